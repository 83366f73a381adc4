package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"folio"
)

func zapFiles(t *testing.T, dir string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

// copies returns n copies of the corpus with ids of their own.
func copies(n int) []folio.Article {
	var out []folio.Article
	for i := range n {
		for _, a := range corpus {
			a.ID = fmt.Sprintf("%s-%d", a.ID, i)
			out = append(out, a)
		}
	}
	return out
}

// TestSharedWritesOneBatchAtATime: between two writes a Shared index holds
// nothing, so that another process (here a read-only open, which bleve
// refuses while a writer has the index) can search; what a write indexed is
// there for it, with its last sequence.
func TestSharedWritesOneBatchAtATime(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index.bleve")
	sh, err := OpenShared(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, batch := range [][]folio.Article{corpus[:4], corpus[4:]} {
		err := sh.Write(ctx, func(ix *Index) error { return ix.IndexUpTo(ctx, batch, uint64(10*(i+1))) })
		if err != nil {
			t.Fatal(err)
		}
		reader, err := Open(dir, Options{ReadOnly: true, LockWait: 100 * time.Millisecond})
		if err != nil {
			t.Fatalf("read-only open after write %d: %v", i+1, err)
		}
		n, _ := reader.DocCount()
		seq, _ := reader.LastSeq()
		reader.Close()
		if want := 4 + (len(corpus)-4)*i; n != uint64(want) || seq != uint64(10*(i+1)) {
			t.Errorf("after write %d: %d records, last sequence %d; want %d and %d", i+1, n, seq, want, 10*(i+1))
		}
	}
	if seq, err := sh.LastSeq(); err != nil || seq != 20 {
		t.Errorf("LastSeq %d, %v; want 20", seq, err)
	}
	if r, err := sh.Search(ctx, Query{Text: "coree"}); err != nil || r.Total != 2 {
		t.Errorf("Search: %d hits, %v; want 2", r.Total, err)
	}

	// A reader holding the index makes a write wait, then fail.
	reader, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := OpenShared(dir, Options{LockWait: 100 * time.Millisecond})
	if err == nil {
		err = waiting.Write(ctx, func(*Index) error { return nil })
	}
	if !errors.Is(err, ErrLocked) {
		t.Errorf("write while a reader holds the index: error %v, want ErrLocked", err)
	}
	reader.Close()

	if err := sh.Close(); err != nil {
		t.Fatal(err)
	}
	if err := sh.Write(ctx, func(*Index) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("write after Close: error %v, want ErrClosed", err)
	}
	if _, err := OpenShared(dir, Options{ReadOnly: true}); err == nil {
		t.Error("OpenShared read-only: no error")
	}
}

// TestSharedMergesAsItGoes: scorch merges segments in the background and a
// writer closed after each batch would never let it finish; Shared runs the
// merges due before closing, so that many small writes leave few segments.
func TestSharedMergesAsItGoes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index.bleve")
	sh, err := OpenShared(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	docs := copies(40)
	const writes = 40
	per := len(docs) / writes
	most := 0
	for i := range writes {
		batch := docs[i*per : (i+1)*per]
		if err := sh.Write(ctx, func(ix *Index) error { return ix.Index(ctx, batch) }); err != nil {
			t.Fatal(err)
		}
		most = max(most, zapFiles(t, dir))
	}
	// scorch's plan merges the small segments as they reach ten.
	if most > 10 {
		t.Errorf("up to %d segment files over %d writes: want merges to keep them at ten at most", most, writes)
	}
	r, err := sh.Search(ctx, Query{Text: "coree"})
	if err != nil || r.Total != 2*40 {
		t.Errorf("coree finds %d records, %v; want %d", r.Total, err, 2*40)
	}
}

// TestCompact merges an index of many segments into one, which finds the
// same records, and leaves no file of the segments it replaced.
func TestCompact(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index.bleve")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range copies(5) {
		if err := ix.IndexUpTo(ctx, []folio.Article{a}, uint64(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if n := zapFiles(t, dir); n != 1 {
		t.Errorf("%d segment files after Compact, want 1", n)
	}
	ix, err = Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, _ := ix.DocCount(); n != uint64(5*len(corpus)) {
		t.Errorf("%d records after Compact, want %d", n, 5*len(corpus))
	}
	if seq, _ := ix.LastSeq(); seq != uint64(5*len(corpus)) {
		t.Errorf("last sequence %d after Compact, want %d", seq, 5*len(corpus))
	}
	if err := ix.Compact(ctx); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Compact of a read-only index: error %v, want ErrReadOnly", err)
	}
}
