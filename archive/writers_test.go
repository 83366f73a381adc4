package archive

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"folio/internal/pgtest"
)

// TestTwoWritersOneArchive: two Stores writing to one archive at once, as
// two processes do (on PostgreSQL, on several machines): a reader that
// catches up with Iterate(AfterSeq) meets every sequence number once and in
// order, with no number showing up after a later one was read; and their
// crawl states of one site add up to one right frontier: each URL queued
// once, a URL done by one writer never queued again by the other.
func TestTwoWritersOneArchive(t *testing.T) {
	ctx := context.Background()
	loc := testLocation(t)
	writers := []*Store{openStore(t, loc), openStore(t, loc)}
	reader := openStore(t, loc, ReadOnly())
	const perWriter = 150

	var wg sync.WaitGroup
	for w, st := range writers {
		wg.Go(func() {
			for i := range perWriter {
				a := testArticle(fmt.Sprintf("w%d.example", w), i)
				err := st.PutLater(ctx, a, testPage(a), nil)
				if err == nil && i%10 == 9 {
					err = st.Sync(ctx)
				}
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
			if err := st.Sync(ctx); err != nil {
				t.Errorf("writer %d: %v", w, err)
			}
		})
	}
	done := make(chan struct{})
	var last int64
	var readErr error
	go func() {
		defer close(done)
		for last < 2*perWriter {
			err := reader.IterateEntries(ctx, IterateOptions{AfterSeq: last, Order: OrderSeq}, func(e Entry) error {
				if e.Seq != last+1 {
					n, _ := reader.MaxSeq(ctx)
					return fmt.Errorf("seq %d read after %d (max %d, site %s)", e.Seq, last, n, e.Article.Site)
				}
				last = e.Seq
				return nil
			})
			if err != nil {
				readErr = err
				return
			}
		}
	}()
	wg.Wait()
	<-done
	if readErr != nil {
		t.Fatal(readErr)
	}
	if n, err := reader.Count(ctx); err != nil || n != 2*perWriter {
		t.Errorf("Count = %d, %v; want %d", n, err, 2*perWriter)
	}

	// The crawl state: both enqueue the same URLs, the first marks some
	// done; then the second enqueues them again.
	const site = "radio.example"
	u := func(i int) string { return fmt.Sprintf("https://radio.example/%d/", i) }
	for w, st := range writers {
		wg.Go(func() {
			for i := range 50 {
				if _, err := st.Enqueue(ctx, site, u(i), w); err != nil {
					t.Errorf("writer %d: Enqueue: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for i := range 25 {
		if err := writers[0].Done(ctx, site, u(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := writers[0].Sync(ctx); err != nil {
		t.Fatal(err)
	}
	// The second writer's dedup forgets what it queued (as a new process
	// would), and queues every URL again.
	if _, err := writers[1].Frontier(ctx, site); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := writers[1].Enqueue(ctx, site, u(i), 9); err != nil {
			t.Fatal(err)
		}
	}
	got, err := writers[1].Frontier(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, f := range got {
		urls = append(urls, f.URL)
	}
	var want []string
	for i := 25; i < 50; i++ {
		want = append(want, u(i))
	}
	slices.Sort(urls)
	slices.Sort(want)
	if !slices.Equal(urls, want) {
		t.Errorf("frontier after two writers = %v\nwant %v", urls, want)
	}
}

// TestFoldFunctionIsFoldKey: on PostgreSQL, the SQL function folio_key
// that filters use folds every rune of the Basic Multilingual Plane as
// FoldKey does, and the words of the filter tests too.
func TestFoldFunctionIsFoldKey(t *testing.T) {
	if testBackend != "postgres" {
		t.Skip("folio_key is SQLite's FoldKey itself")
	}
	s := newStore(t)
	ctx := context.Background()
	var all []rune
	for r := rune(1); r < 0x10000; r++ {
		if r < 0xD800 || r >= 0xE000 {
			all = append(all, r)
		}
	}
	inputs := []string{string(all), "L’Europe", "ÉTÉ À Noël", "Œuvre Æsir straße", "Corée du Nord", "ǅemal", "İstanbul"}
	for _, in := range inputs {
		var got string
		if err := s.queryRow(ctx, `SELECT `+keyFunc+`(?)`, in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if want := FoldKey(in); got != want {
			gr, wr := []rune(got), []rune(want)
			for i := range min(len(gr), len(wr)) {
				if gr[i] != wr[i] {
					t.Errorf("folio_key differs from FoldKey at rune %d: %q, want %q", i, string(gr[max(0, i-2):min(len(gr), i+3)]), string(wr[max(0, i-2):min(len(wr), i+3)]))
					break
				}
			}
			if len(gr) != len(wr) {
				t.Errorf("folio_key of %.40q: %d runes, FoldKey %d", in, len(gr), len(wr))
			}
		}
	}
}

// watchSeqs starts r watching the archive until ctx ends. It returns what
// waits for the next sequence heard of, failing t after within, and the
// channel of what is heard.
func watchSeqs(ctx context.Context, t *testing.T, r *Store, within time.Duration) (next func() int64, heard <-chan int64) {
	ch := make(chan int64, 16)
	go r.Watch(ctx, func(seq int64) { ch <- seq })
	return func() int64 {
		t.Helper()
		select {
		case seq := <-ch:
			return seq
		case <-time.After(within):
			t.Fatalf("nothing heard within %v", within)
		}
		return 0
	}, ch
}

// TestWatch: a store watching the archive hears of each commit that moved
// the sequence, from another store (another process on PostgreSQL), with
// the sequence it stored, and not of another schema's; on SQLite there is
// nothing to hear.
func TestWatch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loc := testLocation(t)
	w := openStore(t, loc)
	r := openStore(t, loc, ReadOnly())
	if testBackend != "postgres" {
		if err := r.Watch(ctx, func(int64) {}); !errors.Is(err, ErrNoWatch) {
			t.Fatalf("Watch on SQLite: %v, want ErrNoWatch", err)
		}
		return
	}
	next, heard := watchSeqs(ctx, t, r, 5*time.Second)
	if seq := next(); seq != 0 {
		t.Fatalf("first call %d, want 0 (listening)", seq)
	}
	other := openStore(t, testLocation(t)) // another schema of the database
	a := testArticle("autre.example", 1)
	mustPut(t, other, a, testPage(a))
	for i := range 3 {
		a := testArticle("radio.example", i)
		started := time.Now()
		res := mustPut(t, w, a, testPage(a))
		if seq := next(); seq != res.Seq {
			t.Errorf("heard %d after a put of seq %d", seq, res.Seq)
		}
		if d := time.Since(started); d > time.Second {
			t.Errorf("heard of seq %d %v after the put began", res.Seq, d)
		}
	}
	// A commit that moves no sequence (crawl state only) is not news.
	if _, err := w.Enqueue(ctx, "radio.example", "https://radio.example/x/", 0); err != nil {
		t.Fatal(err)
	}
	if err := w.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case seq := <-heard:
		t.Errorf("heard %d of a commit that moved no sequence", seq)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestOpenCreatesItsSchema: on PostgreSQL, the schema the URL's
// search_path names is created when it does not exist.
func TestOpenCreatesItsSchema(t *testing.T) {
	if testBackend != "postgres" {
		t.Skip("PostgreSQL's schemas")
	}
	u, err := url.Parse(testLocation(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	name := q.Get("search_path") + "_New" // quoted, as its capital needs
	q.Set("search_path", `"`+name+`"`)
	u.RawQuery = q.Encode()
	db := pgtest.Available(t)
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA IF EXISTS "` + name + `" CASCADE`); err != nil {
			t.Error(err)
		}
		db.Close()
	})
	s := openStore(t, u.String())
	a := testArticle("radio.example", 1)
	mustPut(t, s, a, testPage(a))
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM "` + name + `".articles`).Scan(&n); err != nil || n != 1 {
		t.Errorf("articles in the new schema: %d, %v; want 1", n, err)
	}
}
