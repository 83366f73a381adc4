package job

import (
	"testing"

	"folio/archive"
	"folio/crawler"
	"folio/crawler/statetest"
	"folio/internal/pgtest"
)

// TestArchiveIsACrawlerState runs the crawler's State conformance suite on
// the archive, the persistent State that crawls use, in SQLite and in
// PostgreSQL (a fresh schema of the test server for each case).
func TestArchiveIsACrawlerState(t *testing.T) {
	t.Parallel()
	for _, backend := range []struct {
		name     string
		location func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return t.TempDir() }},
		{"postgres", func(t *testing.T) string { return pgtest.Schema(t) }},
	} {
		t.Run(backend.name, func(t *testing.T) {
			t.Parallel()
			statetest.Run(t, func(t *testing.T) crawler.State {
				st, err := archive.Open(backend.location(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st
			})
		})
	}
}
