package job

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"folio"
	"folio/crawler"
	"folio/internal/redistest"
	"folio/internal/testsite/wpsite"
)

// lossAtRenewal is a Frontier whose Redis loses the crawl's state (its
// keys deleted, as a restart of a Redis that keeps nothing does) just
// before the first registration renewal once armed: the renewal that the
// crawler sends in the background, not the run's own lease, is then the
// first call to meet the emptied state.
type lossAtRenewal struct {
	*Frontier
	rdb    *redis.Client
	prefix string
	armed  atomic.Bool
	fired  atomic.Bool
}

func (f *lossAtRenewal) Lease(ctx context.Context, site, worker string, n int, ttl time.Duration) (crawler.Leased, error) {
	if n == 0 && f.armed.Load() && !f.fired.Swap(true) {
		keys, err := redistest.Keys(ctx, f.rdb, f.prefix)
		if err != nil {
			return crawler.Leased{}, err
		}
		if err := f.rdb.Del(ctx, keys...).Err(); err != nil {
			return crawler.Leased{}, err
		}
	}
	return f.Frontier.Lease(ctx, site, worker, n, ttl)
}

// A loss of the shared state that a registration renewal meets first is
// still told to the run before it takes the emptied frontier for a
// finished crawl: it rebuilds from the pages handled so far and the start
// URLs, and every article is handed on.
func TestLossMetByARenewalIsRebuilt(t *testing.T) {
	t.Parallel()
	url, rdb := redistest.Available(t)
	prefix := redistest.Prefix(t, rdb)
	site := wpsite.New(wpsite.Options{Articles: 40, Latency: 10 * time.Millisecond})
	srv := httptest.NewServer(site)
	defer srv.Close()

	fr := &lossAtRenewal{Frontier: openFrontier(t, url, prefix, FrontierOptions{}), rdb: rdb, prefix: prefix}
	var (
		mu       sync.Mutex
		handled  = map[string]int{}
		rebuilds atomic.Int32
	)
	sh := &crawler.Shared{
		Frontier: fr,
		LeaseTTL: 300 * time.Millisecond, // a renewal every 100 ms
		Rebuild: func(ctx context.Context, site string) ([]folio.FrontierURL, error) {
			rebuilds.Add(1)
			mu.Lock()
			defer mu.Unlock()
			var urls []folio.FrontierURL
			for u := range handled {
				urls = append(urls, folio.FrontierURL{URL: u, Depth: 1})
			}
			return urls, nil
		},
	}
	opts := workerSite(srv.URL + "/").Crawl
	opts.Concurrency = 2
	c, err := crawler.New(opts, crawler.NewMemState(), testLogger())
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RunStore(context.Background(), []string{srv.URL + "/"}, crawler.RunOptions{Shared: sh}, func(p folio.Page) error {
		mu.Lock()
		defer mu.Unlock()
		handled[p.URL]++
		if len(handled) >= 10 {
			fr.armed.Store(true)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !fr.fired.Load() {
		t.Fatal("the state was never lost: the crawl ended before a renewal")
	}
	if n := rebuilds.Load(); n < 2 {
		t.Errorf("Rebuild called %d times, want at the start and after the loss", n)
	}
	for _, p := range site.ArticlePaths() {
		if handled[srv.URL+p] == 0 {
			t.Errorf("article %s never handed on", p)
		}
	}
}

// A Rebuild whose reads of the archive fail (a connection to PostgreSQL
// cut, as CI met) is tried again, as the calls to Redis are: the run
// rebuilds once the archive answers and hands on every article, where it
// used to fail ("rebuild the frontier of …: write: connection reset").
func TestFailedRebuildIsTriedAgain(t *testing.T) {
	t.Parallel()
	url, rdb := redistest.Available(t)
	prefix := redistest.Prefix(t, rdb)
	site := wpsite.New(wpsite.Options{Articles: 20})
	srv := httptest.NewServer(site)
	defer srv.Close()

	var calls atomic.Int32
	sh := &crawler.Shared{
		Frontier: openFrontier(t, url, prefix, FrontierOptions{}),
		Rebuild: func(ctx context.Context, site string) ([]folio.FrontierURL, error) {
			if calls.Add(1) <= 2 {
				return nil, errors.New("iterate archive: write: connection reset by peer")
			}
			return nil, nil
		},
	}
	c, err := crawler.New(workerSite(srv.URL+"/").Crawl, crawler.NewMemState(), testLogger())
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	handled := map[string]bool{}
	_, err = c.RunStore(context.Background(), []string{srv.URL + "/"}, crawler.RunOptions{Shared: sh}, func(p folio.Page) error {
		mu.Lock()
		defer mu.Unlock()
		handled[p.URL] = true
		return nil
	})
	if err != nil {
		t.Fatalf("crawl with a Rebuild that failed twice: %v", err)
	}
	if n := calls.Load(); n < 3 {
		t.Errorf("Rebuild called %d times, want the two failures and the call that answered", n)
	}
	for _, p := range site.ArticlePaths() {
		if !handled[srv.URL+p] {
			t.Errorf("article %s never handed on", p)
		}
	}
}
