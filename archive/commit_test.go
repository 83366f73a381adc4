package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
)

// TestGroupCommit: what many goroutines queue without waiting (records,
// links, pages done) is committed in a few transactions, and each record's
// callback learns its outcome before Sync returns.
func TestGroupCommit(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const workers, each = 8, 25
	var (
		mu       sync.Mutex
		outcomes = map[string]Outcome{}
		wg       sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				a := testArticle("radio.example", w*each+i)
				if _, err := s.Enqueue(ctx, "radio.example", a.URL+"next/", 1); err != nil {
					t.Error(err)
				}
				err := s.PutLater(ctx, a, testPage(a), func(res PutResult, err error) {
					if err != nil {
						t.Errorf("%s: %v", a.URL, err)
					}
					mu.Lock()
					outcomes[a.URL] = res.Outcome
					mu.Unlock()
				})
				if err != nil {
					t.Error(err)
				}
				if err := s.Done(ctx, "radio.example", a.URL); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	before := s.WriteStats().Transactions
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(outcomes) != workers*each {
		t.Errorf("%d callbacks before Sync returned, want %d", len(outcomes), workers*each)
	}
	for u, o := range outcomes {
		if o != New {
			t.Errorf("%s: %v, want new", u, o)
		}
	}
	mu.Unlock()
	writes := 3 * workers * each
	if got := s.WriteStats().Transactions; got > int64(writes/20) {
		t.Errorf("%d writes took %d transactions (%d before Sync), want at least 20 writes in each", writes, got, before)
	}
	if n, err := s.Count(ctx); err != nil || n != workers*each {
		t.Errorf("Count = %d, %v; want %d", n, err, workers*each)
	}
	f, err := s.Frontier(ctx, "radio.example")
	if err != nil || len(f) != workers*each {
		t.Errorf("Frontier holds %d URLs (%v), want the %d links", len(f), err, workers*each)
	}
}

// TestCrawlStateOutlivesTheStore: the crawl state queued without waiting is
// committed by Close, and a Store opened again decides the dedup from it.
func TestCrawlStateOutlivesTheStore(t *testing.T) {
	ctx := context.Background()
	dir := testLocation(t)
	u := func(i int) string { return fmt.Sprintf("https://radio.example/%d/", i) }
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if added, err := s.Enqueue(ctx, "radio.example", u(i), i); err != nil || !added {
			t.Fatalf("Enqueue(%s) = %v, %v", u(i), added, err)
		}
	}
	s.Done(ctx, "radio.example", u(1))
	s.Done(ctx, "radio.example", u(9)) // done without being queued
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openStore(t, dir)
	for i, want := range map[int]bool{0: false, 1: false, 9: false, 5: true} {
		if added, err := s.Enqueue(ctx, "radio.example", u(i), 1); err != nil || added != want {
			t.Errorf("Enqueue(%s) after reopening = %v, %v; want %v", u(i), added, err, want)
		}
	}
	got, err := s.Frontier(ctx, "radio.example")
	if err != nil {
		t.Fatal(err)
	}
	want := []folio.FrontierURL{{URL: u(0)}, {URL: u(2), Depth: 2}, {URL: u(3), Depth: 3}, {URL: u(5), Depth: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("Frontier after reopening = %v, want %v", got, want)
	}
}

// TestFailedRecordStopsTheCrawlState: a record queued with PutLater that
// fails when committed (here another process holds the write lock past the
// busy timeout) is reported to its callback, and the crawl state's writes
// queued after it are refused, so that the page is not done without its
// record; once the crawl state is read again, writes go on.
func TestFailedRecordStopsTheCrawlState(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, WithBusyTimeout(50*time.Millisecond))
	other, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName)+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO crawl_queue (site, url, depth) VALUES ('autre.example', 'https://autre.example/', 0)`); err != nil {
		t.Fatal(err)
	}

	a := testArticle("radio.example", 1)
	failed := make(chan error, 1)
	if err := s.PutLater(ctx, a, testPage(a), func(_ PutResult, err error) { failed <- err }); err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx); err == nil {
		t.Error("Sync after a failed record: nil, want its error")
	}
	if err := <-failed; err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("the record's callback got %v, want the locked error", err)
	}
	if err := s.Done(ctx, "radio.example", a.URL); err == nil {
		t.Error("Done after the page's record failed: nil, want the record's error")
	}
	tx.Rollback()
	if _, err := s.Frontier(ctx, "radio.example"); err != nil {
		t.Fatal(err)
	}
	if err := s.Done(ctx, "radio.example", a.URL); err != nil {
		t.Errorf("Done once the crawl state was read again: %v", err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Error(err)
	}
}

// TestFailedPutInABatch: a record that fails halfway through its
// statements (here a trigger refuses its capture, after its article and
// revision rows were written) leaves nothing of itself, and the writes
// queued with it in the same transaction are committed. The writer runs
// a batch without savepoints first, so this is its second try.
func TestFailedPutInABatch(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	// The writer is one connection: a temporary trigger made on it
	// applies to its transactions.
	refuse := `
CREATE TEMP TRIGGER refuse_capture BEFORE INSERT ON captures WHEN NEW.url LIKE '%/article-2/'
BEGIN SELECT RAISE(ABORT, 'capture refused'); END`
	// SQLite runs the batch without savepoints, then with them;
	// PostgreSQL runs it whole, then each write alone.
	wantTx := int64(2)
	if s.pg {
		refuse = `ALTER TABLE captures ADD CONSTRAINT "capture refused" CHECK (url NOT LIKE '%/article-2/')`
		wantTx = 1 + 4
	}
	if _, err := s.write.ExecContext(ctx, refuse); err != nil {
		t.Fatal(err)
	}
	outcomes := make([]error, 4)
	var mu sync.Mutex
	before := s.WriteStats().Transactions
	for i := range outcomes {
		a := testArticle("radio.example", i)
		err := s.PutLater(ctx, a, testPage(a), func(_ PutResult, err error) {
			mu.Lock()
			outcomes[i] = err
			mu.Unlock()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Sync(ctx); err == nil || !strings.Contains(err.Error(), "capture refused") {
		t.Errorf("Sync after a failed record: %v, want its error", err)
	}
	// The four writes are one batch unless the machine holds this loop
	// past the writer's gathering time: then each batch split off from
	// the failed one costs a transaction of its own (5 at most).
	if got := s.WriteStats().Transactions - before; got < wantTx-2 || got > 5 || (!s.pg && got < wantTx) {
		t.Errorf("%d transactions, want %d (up to 5 if the writes came in several batches): the batch, then its second try", got, wantTx)
	}
	mu.Lock()
	defer mu.Unlock()
	for i, err := range outcomes {
		a := testArticle("radio.example", i)
		_, getErr := s.Get(ctx, a.ID)
		var revisions, captures int
		if err := s.queryRow(ctx, `SELECT (SELECT count(*) FROM revisions WHERE article_id = ?1), (SELECT count(*) FROM captures WHERE article_id = ?1)`, a.ID).Scan(&revisions, &captures); err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if err == nil || !errors.Is(getErr, ErrNotFound) || revisions+captures != 0 {
				t.Errorf("the refused record: outcome %v, Get %v, %d revisions and %d captures; want an error and nothing stored", err, getErr, revisions, captures)
			}
			continue
		}
		if err != nil || getErr != nil || revisions != 1 || captures != 1 {
			t.Errorf("record %d: outcome %v, Get %v, %d revisions and %d captures; want it stored", i, err, getErr, revisions, captures)
		}
	}
	// The sequence went on past the numbers the batch took.
	a := testArticle("radio.example", 9)
	res, err := s.Put(ctx, a, testPage(a))
	if err != nil {
		t.Fatal(err)
	}
	if res.Seq <= 3 {
		t.Errorf("the next record's Seq is %d, want more than the 3 stored before", res.Seq)
	}
}
