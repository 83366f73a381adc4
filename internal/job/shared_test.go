package job

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/extract"
	"folio/internal/redistest"
	"folio/internal/syncbuf"
	"folio/internal/testsite/wpsite"
)

// openFrontier opens a Frontier of its own (its own Redis connection, as
// a worker process has) on prefix.
func openFrontier(t testing.TB, url, prefix string, opts FrontierOptions) *Frontier {
	t.Helper()
	return openFrontierLogged(t, url, prefix, opts, testLogger())
}

// openFrontierLogged is openFrontier, its Redis state logging to log.
func openFrontierLogged(t testing.TB, url, prefix string, opts FrontierOptions, log *slog.Logger) *Frontier {
	t.Helper()
	opts.Prefix = prefix
	f, err := OpenFrontier(context.Background(), url, opts, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func openArchive(t testing.TB) *archive.Store {
	t.Helper()
	st, err := archive.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// workerSite is the test site as a worker crawls it: 4 requests in flight,
// no delay, quick retries.
func workerSite(base string) Site {
	s := SiteFor(base)
	s.Crawl.Concurrency = 4
	zero := time.Duration(0)
	s.Crawl.Delay = &zero
	s.Crawl.RetryBackoff = 5 * time.Millisecond
	return s
}

// runWorkers runs n workers of site at once, each with its own Frontier
// on prefix, all storing into st, and returns their summaries.
func runWorkers(t *testing.T, n int, site Site, st *archive.Store, url, prefix string) []Summary {
	t.Helper()
	return runWorkersLogged(t, n, site, st, url, prefix, testLogger())
}

// runWorkersLogged is runWorkers, the workers' Redis state logging to log.
func runWorkersLogged(t *testing.T, n int, site Site, st *archive.Store, url, prefix string, log *slog.Logger) []Summary {
	t.Helper()
	sums := make([]Summary, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		// A short lease: a worker that joins others waits a third of it
		// before it takes its share of the site's concurrency.
		fr := openFrontierLogged(t, url, prefix, FrontierOptions{LeaseTTL: 1500 * time.Millisecond}, log)
		wg.Go(func() {
			sums[i], errs[i] = Run(context.Background(), site, Deps{Archive: st, Frontier: fr, Logger: testLogger()}, RunOptions{}, nil)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
	}
	return sums
}

// records returns the archive's records by URL, as JSON without the fetch
// time, which differs from one crawl to the next.
func records(t testing.TB, st *archive.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := st.Iterate(context.Background(), archive.IterateOptions{}, func(a folio.Article) error {
		a.FetchedAt = time.Time{}
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		if _, dup := out[a.URL]; dup {
			return fmt.Errorf("two records of %s", a.URL)
		}
		out[a.URL] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameRecords fails t unless got holds the records of want, and each
// article of the site.
func sameRecords(t *testing.T, site *wpsite.Site, base string, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d records, want %d", len(got), len(want))
	}
	for u, w := range want {
		if g, ok := got[u]; !ok {
			t.Errorf("no record of %s", u)
		} else if g != w {
			t.Errorf("record of %s differs:\n got %s\nwant %s", u, g, w)
		}
	}
	for _, p := range site.ArticlePaths() {
		if _, ok := got[strings.TrimSuffix(base, "/")+p]; !ok {
			t.Errorf("article %s not archived", p)
		}
	}
}

// reclaimedCount reads how many leases ran out from redisstate's log line.
var reclaimedCount = regexp.MustCompile(`msg="leases past their deadline returned to the frontier".* count=(\d+)`)

// Three workers sharing the crawl through Redis archive what one worker
// archives, each article fetched once between them, or once more for a
// lease that ran out (a worker held up past its lease time on a loaded
// machine: another takes its URL, as leases allow).
func TestWorkersArchiveWhatOneWorkerDoes(t *testing.T) {
	t.Parallel()
	url, rdb := redistest.Available(t)
	// Slow enough that the workers that join the first one, after a third
	// of their lease, find work left.
	site := wpsite.New(wpsite.Options{Articles: 60, Latency: 30 * time.Millisecond})
	srv := httptest.NewServer(site)
	defer srv.Close()
	base := srv.URL + "/"

	one := openArchive(t)
	runWorkers(t, 1, workerSite(base), one, url, redistest.Prefix(t, rdb))
	want := records(t, one)
	if len(want) != 60 {
		t.Fatalf("one worker archived %d records, want 60", len(want))
	}

	site.ResetRequests()
	three := openArchive(t)
	prefix := redistest.Prefix(t, rdb)
	var logs syncbuf.Buffer
	sums := runWorkersLogged(t, 3, workerSite(base), three, url, prefix,
		slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))
	sameRecords(t, site, base, records(t, three), want)
	ranOut := 0
	for _, m := range reclaimedCount.FindAllStringSubmatch(logs.String(), -1) {
		n, _ := strconv.Atoi(m[1])
		ranOut += n
	}
	again := 0
	for _, p := range site.ArticlePaths() {
		n := site.Requests(p)
		if n == 0 {
			t.Errorf("article %s never requested", p)
		}
		again += max(n-1, 0)
	}
	if again > ranOut {
		t.Errorf("articles requested %d times more than once by three workers, with %d leases run out: want none but for those", again, ranOut)
	}
	t.Logf("articles requested again: %d; leases run out: %d", again, ranOut)
	pages := 0
	for i, s := range sums {
		t.Logf("worker %d: %d pages, %d new, %d requests", i, s.Crawl.Pages, s.New, s.Crawl.Requests)
		pages += s.Crawl.Pages
		if s.Crawl.Pages == 0 {
			t.Errorf("worker %d fetched no page: the crawl was not shared", i)
		}
	}
	// The crawl is finished: its keys are gone, the epoch marker stays.
	keys, err := rdb.Keys(context.Background(), prefix+"*").Result()
	if err != nil || !slices.Equal(keys, []string{prefix + "epoch"}) {
		t.Errorf("keys left: %v, %v; want only the epoch", keys, err)
	}
}

// A worker killed in the middle of a crawl (it stops answering, holding
// leases and a page it fetched but never stored) loses nothing: its leases
// run out, the other workers fetch those URLs, and the archive holds every
// article once.
func TestKilledWorkerLosesNothing(t *testing.T) {
	t.Parallel()
	url, rdb := redistest.Available(t)
	site := wpsite.New(wpsite.Options{Articles: 60, Latency: 5 * time.Millisecond})
	srv := httptest.NewServer(site)
	defer srv.Close()
	base := srv.URL + "/"
	prefix := redistest.Prefix(t, rdb)
	st := openArchive(t)
	const ttl = time.Second

	// The victim stores 5 articles, then freezes on the 6th: from then on
	// it neither stores nor speaks to Redis, as a process killed at that
	// point; its context ends only with the test.
	victimCtx, killVictim := context.WithCancel(context.Background())
	defer killVictim()
	// It gives up on Redis after 2 s: long enough for a loaded machine
	// before the freeze (at 100 ms, a slow call ended its run before it
	// froze, and the test waited for the freeze until its time ran out),
	// short once its client is closed.
	victim := openFrontier(t, url, prefix, FrontierOptions{LeaseTTL: ttl, RetryFor: 2 * time.Second})
	frozen := make(chan struct{})
	var once sync.Once
	stored := 0
	var mu sync.Mutex
	deps := Deps{Archive: st, Frontier: victim, Logger: testLogger()}
	deps.extract = func(p folio.Page, r extract.Rules, opts ...extract.Option) (folio.Article, error) {
		mu.Lock()
		stored++
		n := stored
		mu.Unlock()
		if n > 5 {
			once.Do(func() {
				victim.Close() // no more lease extensions, Updates or Releases
				close(frozen)
			})
			<-victimCtx.Done()
			return folio.Article{}, errors.New("killed")
		}
		return extract.Extract(p, r, opts...)
	}
	victimDone := make(chan struct{})
	var victimErr error
	go func() {
		defer close(victimDone)
		_, victimErr = Run(victimCtx, workerSite(base), deps, RunOptions{}, nil)
	}()
	select {
	case <-frozen:
	case <-victimDone:
		t.Fatalf("the victim's run ended before it froze: %v", victimErr)
	}

	// Two workers go on, and finish the crawl once the victim's leases
	// have run out.
	var wg sync.WaitGroup
	for range 2 {
		fr := openFrontier(t, url, prefix, FrontierOptions{LeaseTTL: ttl})
		wg.Go(func() {
			if _, err := Run(context.Background(), workerSite(base), Deps{Archive: st, Frontier: fr, Logger: testLogger()}, RunOptions{}, nil); err != nil {
				t.Errorf("worker: %v", err)
			}
		})
	}
	wg.Wait()
	killVictim()
	<-victimDone

	got := records(t, st)
	if len(got) != 60 {
		t.Errorf("%d records, want 60", len(got))
	}
	for _, p := range site.ArticlePaths() {
		if _, ok := got[strings.TrimSuffix(base, "/")+p]; !ok {
			t.Errorf("article %s not archived", p)
		}
	}
	twice := 0
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n > 1 {
			twice++
		}
	}
	t.Logf("articles fetched twice: %d (the victim's page in flight, and what it held when frozen)", twice)
}

// The requests to the site, whatever their worker, never come closer than
// the delay allows: at most one start per delay over any sliding window,
// summed over three workers.
func TestWorkersKeepTheDelayBetweenThem(t *testing.T) {
	t.Parallel()
	url, rdb := redistest.Available(t)
	site := wpsite.New(wpsite.Options{Articles: 6})
	// The site does not keep the times of its pages' requests: this does.
	var timesMu sync.Mutex
	var times []time.Time
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		timesMu.Lock()
		times = append(times, time.Now())
		paths = append(paths, r.URL.String())
		timesMu.Unlock()
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	base := srv.URL + "/"
	// Long enough that a worker held up by a loaded machine (a request
	// sent late after its slot) does not reach the next slot.
	const delay = 80 * time.Millisecond
	s := workerSite(base)
	d := delay
	s.Crawl.Delay = &d
	st := openArchive(t)
	runWorkers(t, 3, s, st, url, redistest.Prefix(t, rdb))

	timesMu.Lock()
	defer timesMu.Unlock()
	for i := 1; i < len(times); i++ {
		if times[i].Sub(times[i-1]) < delay/2 {
			t.Logf("%v apart: %s then %s", times[i].Sub(times[i-1]), paths[i-1], paths[i])
		}
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	if len(times) < 25 {
		t.Fatalf("only %d request times recorded", len(times))
	}
	// Over any window, at most window/delay + 1 starts. Each start is
	// reserved on the Redis server's clock; it reaches the site a few
	// milliseconds late or early, which moves starts within their slot,
	// never into the next one.
	minGap := time.Hour
	for i := 1; i < len(times); i++ {
		minGap = min(minGap, times[i].Sub(times[i-1]))
	}
	var worst, limit int
	for _, window := range []time.Duration{5 * delay, time.Second} {
		// The site reads a request's time when its handler runs, which
		// a loaded machine (the race detector, other tests) delays by up
		// to tens of milliseconds after the request was sent in its slot:
		// half a delay of that is allowed.
		limit = int((window+delay/2)/delay) + 1
		worst = wpsite.MostInWindow(times, window)
		if worst > limit {
			t.Errorf("%d requests in a %v window, want at most %d (delay %v over all workers)", worst, window, limit, delay)
		}
	}
	const window = time.Second
	t.Logf("%d requests, at most %d in a %v window (limit %d), closest %v apart", len(times), worst, window, limit, minGap)
}

// A host's concurrency holds over all workers, not each: three workers on
// a slow site never have more requests in flight on it at once, measured
// at the site, than its concurrency; with fewer places than workers, some
// workers wait.
func TestWorkersKeepTheConcurrencyBetweenThem(t *testing.T) {
	t.Parallel()
	url, rdb := redistest.Available(t)
	for _, concurrency := range []int{1, 4} {
		t.Run(fmt.Sprint("concurrency ", concurrency), func(t *testing.T) {
			site := wpsite.New(wpsite.Options{Articles: 6, Latency: 40 * time.Millisecond})
			var inFlight, most atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := inFlight.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				// The page is written out only once it no longer counts:
				// a client that has read it may send its next request
				// before this handler would otherwise have returned.
				rec := httptest.NewRecorder()
				site.ServeHTTP(rec, r)
				inFlight.Add(-1)
				maps.Copy(w.Header(), rec.Header())
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
			}))
			defer srv.Close()
			s := workerSite(srv.URL + "/")
			s.Crawl.Concurrency = concurrency
			st := openArchive(t)
			sums := runWorkers(t, 3, s, st, url, redistest.Prefix(t, rdb))
			if n := len(records(t, st)); n != 6 {
				t.Errorf("%d records, want 6", n)
			}
			if m := most.Load(); m > int64(concurrency) {
				t.Errorf("%d requests in flight at once on the site, want at most %d (its concurrency, over all workers)", m, concurrency)
			}
			var requests []int
			for _, sum := range sums {
				requests = append(requests, sum.Crawl.Requests)
			}
			t.Logf("at most %d in flight; requests by worker: %v", most.Load(), requests)
		})
	}
}
