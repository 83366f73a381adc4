package job

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"folio/internal/testservers"
	"folio/internal/testsite/wpsite"
)

var (
	benchWorkerArticles = flag.Int("bench.workers.articles", 300, "articles of the site BenchmarkWorkers crawls")
	benchWorkerDelay    = flag.Duration("bench.workers.delay", 0, "the site's delay in BenchmarkWorkers (0: none, the crawl bound by the cores)")
)

// countingHook counts the round trips a go-redis client makes: each command
// and each pipeline (a script's EVALSHA, and its EVAL when the server does
// not know it yet, each count one).
type countingHook struct{ n *atomic.Int64 }

func (h countingHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h countingHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h countingHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

// BenchmarkWorkers compares, in one run on one machine, two workers sharing
// a crawl through Redis with one process crawling alone:
//
//	go test ./internal/job -run '^$' -bench Workers -benchtime 3x
//	go test ./internal/job -run '^$' -bench Workers -benchtime 1x -bench.workers.delay 20ms -bench.workers.articles 100
//
// Each iteration crawls the fixture site (-bench.workers.articles articles,
// pages padded to 20 KB) into a fresh SQLite archive twice, with the same
// settings (8 requests in flight per host and per process, and by default
// no delay: the crawl is bound by the machine's cores, where the sharing
// costs most; -bench.workers.delay measures the round trips of a polite
// crawl, whose speed the delay sets):
// once by job.Run alone, its frontier in the process; once by two job.Runs
// at once, each with its own Redis client as two processes would have,
// sharing the crawl through a private redis-server. It reports the pages
// per second of each (pages handed on over the wall time of the crawl),
// their ratio (workers over one), the ratio of the times each took to
// archive the whole site (one over workers: the workers hand on a few more
// pages, as each process keeps its own trap counters), and the Redis round
// trips per page of the two workers together, counted by a hook on their
// clients.
func BenchmarkWorkers(b *testing.B) {
	rs := testservers.Redis(b)
	site := wpsite.New(wpsite.Options{Articles: *benchWorkerArticles, PageBytes: 20 << 10})
	srv := httptest.NewServer(site)
	defer srv.Close()
	s := SiteFor(srv.URL + "/")
	s.Crawl.Concurrency = 8
	delay := *benchWorkerDelay
	s.Crawl.Delay = &delay

	var onePPS, twoPPS, ratios, timeRatios, rtPerPage float64
	iterations := 0
	for i := 0; b.Loop(); i++ {
		iterations++
		// One process alone.
		st := openArchive(b)
		start := time.Now()
		sum, err := Run(context.Background(), s, Deps{Archive: st}, RunOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		oneElapsed := time.Since(start)
		one := float64(sum.Crawl.Pages) / oneElapsed.Seconds()
		records := sum.New

		// Two workers sharing the crawl.
		st = openArchive(b)
		var trips atomic.Int64
		prefix := fmt.Sprintf("bench%d:", i)
		var wg sync.WaitGroup
		sums := make([]Summary, 2)
		errs := make([]error, 2)
		start = time.Now()
		for w := range 2 {
			opts, _ := redis.ParseURL(rs.URL())
			rdb := redis.NewClient(opts)
			rdb.AddHook(countingHook{&trips})
			defer rdb.Close()
			fr := NewFrontier(rdb, FrontierOptions{Prefix: prefix}, nil)
			wg.Go(func() {
				sums[w], errs[w] = Run(context.Background(), s, Deps{Archive: st, Frontier: fr}, RunOptions{}, nil)
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		pages, shared := 0, 0
		for w, err := range errs {
			if err != nil {
				b.Fatalf("worker %d: %v", w, err)
			}
			pages += sums[w].Crawl.Pages
			shared += sums[w].New
		}
		if shared != records {
			b.Fatalf("two workers archived %d new records, one process %d", shared, records)
		}
		two := float64(pages) / elapsed.Seconds()
		b.Logf("iteration %d: one process %.0f pages/s (%d pages in %v), two workers %.0f pages/s (%d pages in %v), ratio %.2f (of the times to archive the site: %.2f), %.2f round trips per page",
			i, one, sum.Crawl.Pages, oneElapsed.Round(time.Millisecond), two, pages, elapsed.Round(time.Millisecond), two/one,
			oneElapsed.Seconds()/elapsed.Seconds(), float64(trips.Load())/float64(pages))
		timeRatios += oneElapsed.Seconds() / elapsed.Seconds()
		onePPS += one
		twoPPS += two
		ratios += two / one
		rtPerPage += float64(trips.Load()) / float64(pages)
	}
	n := float64(iterations)
	b.ReportMetric(onePPS/n, "one-pages/s")
	b.ReportMetric(twoPPS/n, "workers-pages/s")
	b.ReportMetric(ratios/n, "ratio")
	b.ReportMetric(timeRatios/n, "time-ratio")
	b.ReportMetric(rtPerPage/n, "roundtrips/page")
	b.ReportMetric(0, "ns/op")
}
