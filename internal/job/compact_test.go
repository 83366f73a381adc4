package job

import (
	"context"
	"path/filepath"
	"testing"

	"folio"

	"folio/index"
	"folio/internal/testsite/wpsite"
)

func segmentsOf(t *testing.T, ix *index.Shared) int {
	t.Helper()
	return readIndex(t, ix, (*index.Index).Segments)
}

// segmentedIndex builds an index of 40 records written by a writer closed
// after single-record batches, which leaves several segments (how many
// depends on scorch's background merges), and opens it shared.
func segmentedIndex(t *testing.T) (*index.Shared, int) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index.bleve")
	w, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	site := wpsite.New(wpsite.Options{Articles: 40})
	for i, want := range site.Expected("http://127.0.0.1/") {
		a := folio.Article{ID: folio.ArticleID(want.URL), URL: want.URL, Title: want.Title, Body: want.Body, Language: "fr"}
		if err := w.IndexUpTo(ctx, []folio.Article{a}, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ix, err := index.OpenShared(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	n := segmentsOf(t, ix)
	if n < 2 {
		t.Skipf("scorch merged the batches into %d segment", n)
	}
	return ix, n
}

// CompactIndex merges an index of more segments than it is given into one
// that finds the same records, and does not compact one of fewer.
func TestCompactIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ix, before := segmentedIndex(t)
	if compacted, err := CompactIndex(ctx, ix, before); err != nil || compacted {
		t.Errorf("CompactIndex(above %d) of %d segments: %v, %v; want no compaction", before, before, compacted, err)
	}

	ix, before = segmentedIndex(t)
	if compacted, err := CompactIndex(ctx, ix, before-1); err != nil || !compacted {
		t.Fatalf("CompactIndex(above %d) of %d segments: %v, %v; want a compaction", before-1, before, compacted, err)
	}
	if n := segmentsOf(t, ix); n != 1 {
		t.Errorf("%d segments after CompactIndex, want 1", n)
	}
	var docs uint64
	err := ix.Read(func(r *index.Index) error {
		var err error
		docs, err = r.DocCount()
		return err
	})
	if err != nil || docs != 40 {
		t.Errorf("index holds %d documents after compaction (%v), want 40", docs, err)
	}
	if seq, err := ix.LastSeq(); err != nil || seq != 40 {
		t.Errorf("last sequence %d after compaction (%v), want 40", seq, err)
	}
}

// A run, which writes its records batch by batch as they come, ends with
// a compact index.
func TestRunEndsWithACompactIndex(t *testing.T) {
	t.Parallel()
	const articles = 30
	f := newFixture(t, wpsite.Options{Articles: articles})
	ctx := context.Background()
	sum, err := Run(ctx, f.localSite(), Deps{Archive: f.store, Index: f.index}, RunOptions{IndexBatch: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Indexed != articles {
		t.Fatalf("indexed %d, want %d", sum.Indexed, articles)
	}
	if n := segmentsOf(t, f.index); n > compactAbove {
		t.Errorf("%d segments after the run, want at most %d", n, compactAbove)
	}
	if n := f.docCount(t); n != articles {
		t.Errorf("index holds %d documents, want %d", n, articles)
	}
}
