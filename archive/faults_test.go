package archive

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
	"folio/internal/faultproxy"
	"folio/internal/pgtest"
)

// throughProxy returns loc (a PostgreSQL URL) reached through a fault
// proxy, and the proxy.
func throughProxy(t *testing.T, loc string) (string, *faultproxy.Proxy) {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := faultproxy.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	u.Host = p.Addr()
	return u.String(), p
}

// TestConnectionsCutWhileWriting: on PostgreSQL, connections cut under the
// writer (a server restart, a network fault) lose no write silently: each
// record is stored, or its callback has its error; most are stored, the
// writer retrying a failed group one write at a time on new connections.
func TestConnectionsCutWhileWriting(t *testing.T) {
	if testBackend != "postgres" {
		t.Skip("SQLite has no connection to lose")
	}
	ctx := context.Background()
	loc, proxy := throughProxy(t, testLocation(t))
	s := openStore(t, loc)
	const total = 200
	var (
		mu     sync.Mutex
		failed = map[string]bool{}
	)
	for i := range total {
		a := testArticle("radio.example", i)
		err := s.PutLater(ctx, a, testPage(a), func(_ PutResult, err error) {
			if err != nil {
				mu.Lock()
				failed[a.ID] = true
				mu.Unlock()
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if i%40 == 20 {
			time.Sleep(30 * time.Millisecond)
			proxy.CutAll()
		}
	}
	s.Sync(ctx) // the error of a failed record, if any, is its callback's
	stored := 0
	for i := range total {
		a := testArticle("radio.example", i)
		_, err := s.Get(ctx, a.ID)
		mu.Lock()
		lost := failed[a.ID]
		mu.Unlock()
		switch {
		case err == nil && lost:
			t.Errorf("record %d stored, but its callback had an error", i)
		case err != nil && !lost:
			t.Errorf("record %d not stored (%v), and its callback had no error", i, err)
		case err == nil:
			stored++
		}
	}
	if stored < total*9/10 {
		t.Errorf("%d of %d records stored through the cuts, want most", stored, total)
	}
	_, cut := proxy.Counts()
	t.Logf("%d connections cut, %d of %d records stored", cut, stored, total)
}

// TestWatchListensAgain: a watcher whose connection is cut listens again,
// says so (fn(0)), and hears the commits after.
func TestWatchListensAgain(t *testing.T) {
	if testBackend != "postgres" {
		t.Skip("SQLite sends no notifications")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loc := testLocation(t)
	w := openStore(t, loc)
	proxied, proxy := throughProxy(t, loc)
	r := openStore(t, proxied, ReadOnly())
	next, _ := watchSeqs(ctx, t, r, 10*time.Second)
	if seq := next(); seq != 0 {
		t.Fatalf("first call %d, want 0", seq)
	}
	proxy.CutAll()
	if seq := next(); seq != 0 {
		t.Fatalf("after the cut: %d, want 0 (listening again)", seq)
	}
	a := testArticle("radio.example", 1)
	res := mustPut(t, w, a, testPage(a))
	if seq := next(); seq != res.Seq {
		t.Errorf("heard %d, want %d", seq, res.Seq)
	}
}

// TestSequenceLockHeldElsewhere: on PostgreSQL, a write waits for another
// process holding the sequence's row at most the busy timeout, then fails
// with the server's reason; once the row is free, writes go on.
func TestSequenceLockHeldElsewhere(t *testing.T) {
	if testBackend != "postgres" {
		t.Skip("TestWriteLockHeldElsewhere is SQLite's")
	}
	ctx := context.Background()
	loc := testLocation(t)
	s := openStore(t, loc, WithBusyTimeout(200*time.Millisecond))
	other := openStore(t, loc)
	tx, err := other.write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, pgLockSeq); err != nil {
		t.Fatal(err)
	}
	a := testArticle("radio.example", 1)
	started := time.Now()
	_, err = s.Put(ctx, a, testPage(a))
	if err == nil || !strings.Contains(err.Error(), "lock timeout") {
		t.Errorf("Put while another process holds the sequence: %v, want a lock timeout", err)
	}
	if d := time.Since(started); d > 3*time.Second {
		t.Errorf("Put failed after %v, want about the busy timeout", d)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, a, testPage(a))
}

// TestMaxSeqAfterConnectionsCut: a process that keeps a read-only archive
// open to ask, search after search, whether its index lags (folio serve)
// gets its answer on the first ask after the server dropped the
// connections of its pool (a restart, a network fault), not an error.
func TestMaxSeqAfterConnectionsCut(t *testing.T) {
	if testBackend != "postgres" {
		t.Skip("SQLite has no connection to lose")
	}
	ctx := context.Background()
	direct := testLocation(t)
	w := openStore(t, direct)
	loc, proxy := throughProxy(t, direct)
	r := openStore(t, loc, ReadOnly())
	for i := range 10 {
		u := fmt.Sprintf("https://example.com/%d", i)
		if _, err := w.Put(ctx, folio.Article{URL: u, Title: u, Body: u}, folio.Page{URL: u}); err != nil {
			t.Fatal(err)
		}
		want, err := w.MaxSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The pool's connections were just used: the driver does not
		// check them before their next use.
		if _, err := r.MaxSeq(ctx); err != nil {
			t.Fatal(err)
		}
		if proxy.CutAll() == 0 {
			t.Fatal("no connection to cut")
		}
		got, err := r.MaxSeq(ctx)
		if err != nil || got != want {
			t.Fatalf("MaxSeq after the connections were cut (round %d): %d, %v; want %d", i, got, err, want)
		}
	}
}

// TestOpenWaitsOutADroppedConnection: a server that accepts connections
// and drops them at once (a restart under way, a proxy without its
// backend) holds an Open up until it serves again; one that refuses the
// dial fails it at once.
func TestOpenWaitsOutADroppedConnection(t *testing.T) {
	if testBackend != "" {
		t.Skip("run once, by the parent")
	}
	t.Parallel()
	loc, proxy := throughProxy(t, pgtest.Schema(t))
	proxy.Refuse(700 * time.Millisecond)
	began := time.Now()
	s := openStore(t, loc)
	if took := time.Since(began); took < 600*time.Millisecond {
		t.Errorf("Open returned after %v, before the server served again", took)
	}
	if _, err := s.Stats(context.Background()); err != nil {
		t.Fatalf("Stats after the wait: %v", err)
	}
	if accepted, _ := proxy.Counts(); accepted < 2 {
		t.Errorf("proxy accepted %d connections; want the dropped ones, then one served", accepted)
	}

	refused := strings.Replace(loc, proxy.Addr(), "127.0.0.1:1", 1)
	began = time.Now()
	_, err := Open(refused)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("Open of a refused address: %v; want connection refused", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("Open of a refused address took %v; want it to fail at once", took)
	}
}
