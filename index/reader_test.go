package index

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// readerFixture is an index of the test corpus and a Reader of it that
// counts its opens; busy is what the Reader's busy func reports.
type readerFixture struct {
	dir   string
	opens atomic.Int32
	busy  atomic.Bool
	r     *Reader
}

func newReaderFixture(t *testing.T, idle time.Duration) *readerFixture {
	t.Helper()
	f := &readerFixture{dir: filepath.Join(t.TempDir(), "index.bleve")}
	ix, err := Open(f.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.IndexUpTo(context.Background(), corpus, 1); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	f.r = NewReader(func(context.Context) (*Index, error) {
		f.opens.Add(1)
		return Open(f.dir, Options{ReadOnly: true, LockWait: 5 * time.Second})
	}, f.busy.Load, idle)
	t.Cleanup(func() { f.r.Close() })
	return f
}

func (f *readerFixture) search(t *testing.T) {
	t.Helper()
	res, err := f.r.Search(context.Background(), Query{Text: "corée"})
	if err != nil || res.Total == 0 {
		t.Fatalf("search: %d hits, %v", res.Total, err)
	}
}

// writerGetsIn tells whether a writer can open the index within wait.
func (f *readerFixture) writerGetsIn(wait time.Duration) bool {
	ix, err := Open(f.dir, Options{LockWait: wait})
	if err != nil {
		return false
	}
	ix.Close()
	return true
}

// TestReaderHoldsOneOpen: a stream of searches, from several goroutines,
// shares one open of the index, which keeps writers out meanwhile.
func TestReaderHoldsOneOpen(t *testing.T) {
	f := newReaderFixture(t, time.Minute)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if _, err := f.r.Search(context.Background(), Query{Text: "corée"}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := f.opens.Load(); n != 1 {
		t.Errorf("160 searches opened the index %d times, want once", n)
	}
	if f.writerGetsIn(50 * time.Millisecond) {
		t.Error("a writer opened the index while the reader held it")
	}
}

// TestReaderLetsWritersIn: when a writer wants the index (busy), the held
// open is given up, each search opens the index for itself, and the
// writer gets in between two searches; an idle reader gives it up too.
func TestReaderLetsWritersIn(t *testing.T) {
	// Idle for 500 ms: two searches in a row share one open even on a
	// loaded machine (at 50 ms, GOMAXPROCS=16 on 2 cores parted them).
	f := newReaderFixture(t, 500*time.Millisecond)
	f.search(t)
	f.busy.Store(true)
	for range 3 {
		f.search(t)
	}
	if n := f.opens.Load(); n != 4 {
		t.Errorf("one held open and 3 busy searches opened the index %d times, want 4", n)
	}
	if !f.writerGetsIn(time.Second) {
		t.Error("a writer could not get in between searches while busy")
	}

	f.busy.Store(false)
	f.search(t)
	f.search(t)
	if n := f.opens.Load(); n != 5 {
		t.Errorf("after the writer left, two searches opened the index %d more times, want 1", n-4)
	}
	if f.writerGetsIn(20 * time.Millisecond) {
		t.Error("a writer got in while the reader held the index")
	}
	// No search for a while: the timer lets the index go.
	if !f.writerGetsIn(2 * time.Second) {
		t.Error("a writer could not get in once the reader was idle")
	}
	// The timer also notices a writer while searches keep coming.
	f.search(t)
	f.busy.Store(true)
	stop := f.searchStreams(t, 1)
	if !f.writerGetsIn(5 * time.Second) {
		t.Error("a writer could not get in among a stream of searches while busy")
	}
	stop()
}

// TestReaderNoticesWriterWhileIdle: a reader idle for less than its idle
// time keeps the index, but lets a writer in within ReaderCheck or so of
// its wanting the index, with no search to notice it.
func TestReaderNoticesWriterWhileIdle(t *testing.T) {
	f := newReaderFixture(t, time.Minute)
	f.search(t)
	if f.writerGetsIn(3 * ReaderCheck) {
		t.Fatal("a writer got in while the reader held the index, idle for less than its idle time")
	}
	f.busy.Store(true)
	started := time.Now()
	if !f.writerGetsIn(5 * time.Second) {
		t.Fatal("a writer could not get in while the reader was idle")
	}
	if took := time.Since(started); took > 2*time.Second {
		t.Errorf("the writer waited %v for an idle reader, want about %v", took, ReaderCheck)
	}
	f.search(t)
	if n := f.opens.Load(); n != 2 {
		t.Errorf("%d opens, want 2: the writer's wish let the index go", n)
	}
}

// searchStreams runs n streams of searches until the returned stop is
// called.
func (f *readerFixture) searchStreams(t *testing.T, n int) (stop func()) {
	quit := make(chan struct{})
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				select {
				case <-quit:
					return
				default:
				}
				if _, err := f.r.Search(context.Background(), Query{Text: "corée"}); err != nil {
					t.Errorf("search among the writer's opens: %v", err)
					return
				}
			}
		})
	}
	return func() {
		close(quit)
		wg.Wait()
	}
}

func TestReaderClose(t *testing.T) {
	f := newReaderFixture(t, time.Minute)
	f.search(t)
	if err := f.r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.r.Search(context.Background(), Query{Text: "corée"}); !errors.Is(err, ErrClosed) {
		t.Errorf("search after Close: %v, want ErrClosed", err)
	}
	if !f.writerGetsIn(time.Second) {
		t.Error("a writer could not get in after Close")
	}
}

// TestReaderQueryErrorKeepsIndex: a malformed query is the asker's fault;
// it does not cost the next search an open.
func TestReaderQueryErrorKeepsIndex(t *testing.T) {
	f := newReaderFixture(t, time.Minute)
	f.search(t)
	var qe *QueryError
	if _, err := f.r.Search(context.Background(), Query{Text: `"corée`}); !errors.As(err, &qe) {
		t.Fatalf("malformed query: %v, want a QueryError", err)
	}
	f.search(t)
	if n := f.opens.Load(); n != 1 {
		t.Errorf("%d opens, want 1", n)
	}
}

// TestReaderLetsWritersInAmongConcurrentSearches: searches from several
// goroutines at once, as a server runs them, overlap their read-only opens;
// while a writer wants the index they still leave it a window.
func TestReaderLetsWritersInAmongConcurrentSearches(t *testing.T) {
	f := newReaderFixture(t, time.Minute)
	f.busy.Store(true)
	stop := f.searchStreams(t, 16)
	for i := range 3 {
		if !f.writerGetsIn(2 * time.Second) {
			t.Errorf("writer %d could not get in among 16 streams of searches", i)
		}
	}
	stop()
}
