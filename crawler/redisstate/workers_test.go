package redisstate_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"folio"
	"folio/crawler/redisstate"
)

// links is the link graph of the crawl the workers share: page i links to
// pages 2i and 2i+1 of n, and back to page 1, so that most links are
// duplicates the dedup must drop.
func links(i, n, depth int) []folio.FrontierURL {
	out := []folio.FrontierURL{{URL: u(1), Depth: depth + 1}}
	for _, j := range []int{2 * i, 2*i + 1} {
		if j <= n {
			out = append(out, folio.FrontierURL{URL: u(j), Depth: depth + 1})
		}
	}
	return out
}

// page returns the number of a page from its URL.
func page(t *testing.T, url string, n int) int {
	for i := 1; i <= n; i++ {
		if u(i) == url {
			return i
		}
	}
	t.Fatalf("unknown URL %s", url)
	return 0
}

// Several workers share one crawl through the Store, one of them dying with
// leased URLs, one of those in flight. Every page is fetched; the one in
// flight at the death at most twice, every other once.
func TestWorkersShareACrawl(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t, redisstate.Options{})
	const (
		pages   = 300
		workers = 4
		ttl     = 2 * time.Second // ample for a live worker's batch, even under -race
	)
	var mu sync.Mutex
	fetched := map[string]int{}
	depths := map[string]int{}
	fetch := func(f folio.FrontierURL) {
		mu.Lock()
		defer mu.Unlock()
		fetched[f.URL]++
		depths[f.URL] = f.Depth
	}
	for i := 1; i <= 8; i++ {
		if _, err := st.Enqueue(ctx, site, u(i), 0); err != nil {
			t.Fatal(err)
		}
	}

	// The dying worker leases 3 URLs, fetches the first and is killed
	// before its Update.
	dying, err := st.Lease(ctx, site, 3, ttl)
	if err != nil || len(dying.URLs) != 3 {
		t.Fatalf("dying worker's lease = %v, %v", dying.URLs, err)
	}
	fetch(dying.URLs[0])
	inFlight := dying.URLs[0].URL

	// Workers that never see the crawl complete fail the test rather
	// than hang it.
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var reclaimed sync.Map
	for w := range workers {
		wg.Go(func() {
			for {
				l, err := st.Lease(ctx, site, 5, ttl)
				if err != nil {
					t.Error(err)
					return
				}
				if l.Reclaimed > 0 {
					reclaimed.Store(w, l.Reclaimed)
				}
				if len(l.URLs) == 0 {
					c, err := st.Counts(ctx, site)
					if err != nil {
						t.Error(err)
						return
					}
					if c.Ready == 0 && c.Leased == 0 {
						return // the crawl is complete
					}
					select {
					case <-ctx.Done():
						t.Errorf("worker %d: the crawl is not complete after 30 s: %+v", w, c)
						return
					case <-time.After(20 * time.Millisecond):
					}
					continue
				}
				for _, f := range l.URLs {
					fetch(f)
					if _, err := st.Update(ctx, site, links(page(t, f.URL, pages), pages, f.Depth), f.URL); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()

	for i := 1; i <= pages; i++ {
		want := 1
		if u(i) == inFlight {
			want = 2
		}
		if n := fetched[u(i)]; n != want {
			t.Errorf("page %d fetched %d times, want %d", i, n, want)
		}
	}
	if len(fetched) != pages {
		t.Errorf("%d URLs fetched, want %d", len(fetched), pages)
	}
	// Depth is kept through the leases: pages 1 to 8 are seeds, and page
	// 300 is found from 150, 75, 37, 18, 9, which page 4 links to.
	if depths[u(300)] != 6 {
		t.Errorf("page 300 at depth %d, want 6", depths[u(300)])
	}
	total := 0
	reclaimed.Range(func(_, v any) bool { total += v.(int); return true })
	if total != 3 {
		t.Errorf("%d leases reclaimed, want the dying worker's 3", total)
	}
	c, err := st.Counts(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if want := (redisstate.Counts{Enqueued: pages, Done: pages}); c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
	if f, _ := st.Frontier(ctx, site); len(f) != 0 {
		t.Errorf("Frontier after the crawl = %v", f)
	}
}

// Concurrent takers of slots on one host, as workers on several machines
// would be, never get two starts closer than the delay; and Wait returns
// no earlier than the slot it reserved.
func TestReserveSpacesSlotsAcrossWorkers(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t, redisstate.Options{})
	const (
		takers = 6
		each   = 5
		delay  = 20 * time.Millisecond
		host   = "blog.example.fr"
	)
	var mu sync.Mutex
	var starts []time.Time
	var wg sync.WaitGroup
	for range takers {
		wg.Go(func() {
			for range each {
				slot, err := st.Reserve(ctx, host, delay)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				starts = append(starts, slot.Start)
				mu.Unlock()
				time.Sleep(slot.Wait)
			}
		})
	}
	wg.Wait()
	slices.SortFunc(starts, time.Time.Compare)
	if len(starts) != takers*each {
		t.Fatalf("%d slots, want %d", len(starts), takers*each)
	}
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < delay {
			t.Errorf("slots %d and %d are %v apart, under the delay %v", i-1, i, gap, delay)
		}
	}

	// Another host has its own time; a host seen long ago has none left.
	if slot, err := st.Reserve(ctx, "other.example", delay); err != nil || slot.Wait != 0 {
		t.Errorf("first slot on another host = %+v, %v; want no wait", slot, err)
	}
	time.Sleep(delay + 5*time.Millisecond)
	if slot, _ := st.Reserve(ctx, host, delay); slot.Wait != 0 {
		t.Errorf("slot on a host at rest = %+v, want no wait", slot)
	}

	// Wait sleeps out the reservation: 4 Waits in a row on a host take 3
	// delays at least.
	begin := time.Now()
	for range 4 {
		if err := st.Wait(ctx, "third.example", delay); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(begin); took < 3*delay {
		t.Errorf("4 Waits took %v, under 3 delays", took)
	}
	// A Wait whose context ends first gives up.
	st.Reserve(ctx, "fourth.example", time.Minute)
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := st.Wait(cctx, "fourth.example", time.Minute); err != context.DeadlineExceeded {
		t.Errorf("Wait past its context's deadline = %v, want DeadlineExceeded", err)
	}
	if _, err := st.Reserve(ctx, host, -time.Second); err == nil {
		t.Error("a negative delay was accepted")
	}
}
