package redisstate_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"folio"
	"folio/crawler/redisstate"
	"folio/internal/redistest"
)

// roundTrips counts the requests a client sends to Redis: one per command,
// one per pipeline (a script's EVALSHA and, the first time, its EVAL after
// NOSCRIPT count one each).
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

var _ redis.Hook = (*roundTrips)(nil)

// benchLinks is what a page of a real blog links to within its site:
// about 40 links (menus, categories, tags, recent posts, pagination), nearly
// all of them seen before; here the page's two children and 38 pages the
// crawl already knows.
func benchLinks(i, depth int) []folio.FrontierURL {
	out := make([]folio.FrontierURL, 0, 40)
	out = append(out, folio.FrontierURL{URL: u(2 * i), Depth: depth + 1}, folio.FrontierURL{URL: u(2*i + 1), Depth: depth + 1})
	for j := range 38 {
		out = append(out, folio.FrontierURL{URL: u(1 + j%max(i, 1)), Depth: depth + 1})
	}
	return out
}

// BenchmarkCycle crawls b.N pages of one site through the Store as one
// worker does, and reports the Redis round trips per page:
//
//   - batched: a lease of 10 URLs, a politeness slot per page, then one
//     Update per page that enqueues its links and marks it done;
//   - state: the crawler.State calls today's crawler makes, one Enqueue per
//     link and a Done per page, with the same leases and slots.
//
// go test -run '^$' -bench Cycle -benchtime 2000x ./crawler/redisstate/
func BenchmarkCycle(b *testing.B) {
	for _, mode := range []string{"batched", "state"} {
		b.Run(mode, func(b *testing.B) {
			ctx := context.Background()
			rdb := redistest.Client(b, redistest.URL())
			// A client of its own, so that the count is this cycle's alone.
			counted := redis.NewClient(rdb.Options())
			defer counted.Close()
			rt := &roundTrips{}
			counted.AddHook(rt)
			prefix := redistest.Prefix(b, rdb)
			st := redisstate.New(counted, redisstate.Options{Prefix: prefix}, nil)
			if _, err := st.Enqueue(ctx, site, u(1), 0); err != nil {
				b.Fatal(err)
			}
			num := map[string]int{u(1): 1}
			rt.n.Store(0)
			b.ResetTimer()
			pages := 0
			for pages < b.N {
				l, err := st.Lease(ctx, site, 10, time.Minute)
				if err != nil {
					b.Fatal(err)
				}
				if len(l.URLs) == 0 {
					b.Fatalf("frontier empty after %d pages", pages)
				}
				for _, f := range l.URLs {
					if pages == b.N {
						break
					}
					if _, err := st.Reserve(ctx, site, 0); err != nil {
						b.Fatal(err)
					}
					i := num[f.URL]
					links := benchLinks(i, f.Depth)
					num[u(2*i)], num[u(2*i+1)] = 2*i, 2*i+1
					if mode == "batched" {
						if _, err := st.Update(ctx, site, links, f.URL); err != nil {
							b.Fatal(err)
						}
					} else {
						for _, l := range links {
							if _, err := st.Enqueue(ctx, site, l.URL, l.Depth); err != nil {
								b.Fatal(err)
							}
						}
						if err := st.Done(ctx, site, f.URL); err != nil {
							b.Fatal(err)
						}
					}
					pages++
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(rt.n.Load())/float64(pages), "roundtrips/page")
		})
	}
}
