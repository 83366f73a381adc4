package job

import (
	"context"
	"os"
	"testing"

	"folio/index"
	"folio/internal/datadir"
	"folio/internal/testsite/wpsite"
)

// TestRebuild: the rebuilt index takes the old one's place with every
// archived record and leaves nothing beside it; a rebuild stopped before
// its end leaves the old index as it was.
func TestRebuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, wpsite.Options{Articles: 12})
	if _, err := f.run(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	f.index.Close()
	f.index = nil
	final := datadir.IndexDir(f.dir)
	docs := func() uint64 {
		t.Helper()
		ix, err := index.Open(final, index.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		n, err := ix.DocCount()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	leftovers := func() {
		t.Helper()
		for _, dir := range []string{final + ".new", final + ".old"} {
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Errorf("%s is left beside the index (%v)", dir, err)
			}
		}
	}

	stopped, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Rebuild(stopped, f.store, f.dir, testLogger(), nil); err == nil {
		t.Fatal("a cancelled rebuild succeeded")
	}
	leftovers()
	if n := docs(); n != 12 {
		t.Errorf("after a stopped rebuild the index holds %d records, want the old index's 12", n)
	}

	var last IndexProgress
	n, err := Rebuild(ctx, f.store, f.dir, testLogger(), func(p IndexProgress) { last = p })
	if err != nil || n != 12 {
		t.Fatalf("Rebuild: %d, %v; want 12", n, err)
	}
	if last.Indexed != 12 || last.Total != 12 {
		t.Errorf("last progress %+v, want 12 of 12", last)
	}
	leftovers()
	if n := docs(); n != 12 {
		t.Errorf("the rebuilt index holds %d records, want 12", n)
	}
}
