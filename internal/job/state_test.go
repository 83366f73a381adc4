package job

import (
	"testing"

	"folio/archive"
	"folio/crawler"
	"folio/crawler/statetest"
)

// TestArchiveIsACrawlerState runs the crawler's State conformance suite on
// the archive, the persistent State that crawls use.
func TestArchiveIsACrawlerState(t *testing.T) {
	t.Parallel()
	statetest.Run(t, func(t *testing.T) crawler.State {
		st, err := archive.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}
