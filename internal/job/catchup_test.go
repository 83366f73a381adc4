package job

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
)

// putArticles stores n articles named from prefix through a Store of its
// own, as another process would, and closes it.
func putArticles(t *testing.T, dir, prefix string, n int) {
	t.Helper()
	st, err := archive.Open(dir)
	if err != nil {
		t.Error(err)
		return
	}
	defer st.Close()
	for i := range n {
		url := fmt.Sprintf("https://radio.example/%s/%d/", prefix, i)
		a := folio.Article{ID: folio.ArticleID(url), URL: url, Site: "radio.example", Title: "Titre " + prefix,
			Body: fmt.Sprintf("Texte %s %d.", prefix, i), Language: "fr", FetchedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
		a.ContentHash = folio.ContentHash(a.Title, a.Body)
		if _, err := st.Put(context.Background(), a, folio.Page{}); err != nil {
			t.Error(err)
			return
		}
	}
}

// indexState is what the index of dir holds: its documents and the last
// archive sequence it records.
func indexState(t *testing.T, dir string) (docs, last uint64) {
	t.Helper()
	ix, err := index.Open(datadir.IndexDir(dir), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if docs, err = ix.DocCount(); err != nil {
		t.Fatal(err)
	}
	if last, err = ix.LastSeq(); err != nil {
		t.Fatal(err)
	}
	return docs, last
}

// TestCatchUp: records another process archived are indexed by the next
// CatchUp, which creates the index when there is none and does nothing
// when the index is up to date; while another writer holds the data
// directory, a caller without the lock leaves the index to it.
func TestCatchUp(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "d")
	ctx := context.Background()

	if res, err := CatchUp(ctx, nil, CatchUpOptions{DataDir: dir}); err != nil || res != (CatchUpResult{}) {
		t.Fatalf("catch-up of a data directory with no archive: %+v, %v; want nothing done", res, err)
	}
	putArticles(t, dir, "a", 30)
	started := 0
	res, err := CatchUp(ctx, nil, CatchUpOptions{DataDir: dir, BatchSize: 7, OnStart: func() { started++ }})
	if err != nil || res.Indexed != 30 || res.Writer != nil || started != 1 {
		t.Fatalf("first catch-up: %+v, %v, started %d times; want 30 indexed, started once", res, err, started)
	}
	if docs, _ := indexState(t, dir); docs != 30 {
		t.Errorf("the index holds %d records, want 30", docs)
	}
	res, err = CatchUp(ctx, nil, CatchUpOptions{DataDir: dir, OnStart: func() { started++ }})
	if err != nil || res.Indexed != 0 || started != 1 {
		t.Errorf("catch-up of an index up to date: %+v, %v; want nothing indexed, nothing started", res, err)
	}

	putArticles(t, dir, "b", 5)
	lock, err := datadir.LockWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	res, err = CatchUp(ctx, nil, CatchUpOptions{DataDir: dir})
	if err != nil || res.Indexed != 0 || res.Writer == nil || res.Writer.Dir != dir {
		t.Errorf("catch-up beside another writer: %+v, %v; want the index left to the writer, named", res, err)
	}
	if docs, _ := indexState(t, dir); docs != 30 {
		t.Errorf("a catch-up without the lock wrote to the index: %d records", docs)
	}
	// The writer itself catches up, holding the lock.
	st, err := archive.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err = CatchUp(ctx, st, CatchUpOptions{DataDir: dir, Locked: true})
	if err != nil || res.Indexed != 5 {
		t.Errorf("the writer's catch-up: %+v, %v; want 5 indexed", res, err)
	}
	lock.Release()
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if docs, last := indexState(t, dir); docs != 35 || last != uint64(maxSeq) {
		t.Errorf("the index holds %d records up to sequence %d, want 35 up to %d", docs, last, maxSeq)
	}
}

// TestCatchUpConcurrent: catch-ups running at once, each with an index of
// its own, while records are archived, lose no record and index none twice:
// each batch reads the index's last sequence under the index's write lock.
func TestCatchUpConcurrent(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "d")
	ctx := context.Background()
	putArticles(t, dir, "first", 10)
	st, err := archive.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	var writers, catchers sync.WaitGroup
	for w := range 3 {
		writers.Go(func() { putArticles(t, dir, fmt.Sprintf("w%d", w), 40) })
	}
	done := make(chan struct{})
	var mu sync.Mutex
	indexed := 0
	for range 4 {
		catchers.Go(func() {
			for {
				res, err := CatchUp(ctx, st, CatchUpOptions{DataDir: dir, Locked: true, BatchSize: 9, IndexWait: time.Minute})
				if err != nil {
					t.Errorf("catch-up: %v", err)
					return
				}
				mu.Lock()
				indexed += res.Indexed
				mu.Unlock()
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	writers.Wait()
	close(done)
	catchers.Wait()
	res, err := CatchUp(ctx, st, CatchUpOptions{DataDir: dir, Locked: true})
	if err != nil {
		t.Fatal(err)
	}
	indexed += res.Indexed
	const total = 10 + 3*40
	if indexed != total {
		t.Errorf("the catch-ups indexed %d records in all, want each of the %d once", indexed, total)
	}
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if docs, last := indexState(t, dir); docs != total || last != uint64(maxSeq) {
		t.Errorf("the index holds %d records up to sequence %d, want %d up to %d", docs, last, total, maxSeq)
	}
}
