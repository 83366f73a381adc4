package job

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"folio"
	"folio/extract"
	"folio/internal/testsite/wpsite"
)

// highWater counts what is running at once and remembers the most.
type highWater struct{ now, most atomic.Int32 }

func (h *highWater) enter() {
	n := h.now.Add(1)
	for {
		m := h.most.Load()
		if n <= m || h.most.CompareAndSwap(m, n) {
			return
		}
	}
}

func (h *highWater) leave() { h.now.Add(-1) }

// TestExtractionsBounded crawls with sixteen fetches per host over
// loopback: the site sees many more requests in flight than the run's
// extraction bound, yet no more extractions than that bound run at once,
// and every article is archived and indexed. The test sets the bound
// itself (as GOMAXPROCS sets it by default), so that it holds on a
// machine of any size.
func TestExtractionsBounded(t *testing.T) {
	t.Parallel()
	const extractions, concurrency = 4, 16
	var extracting highWater
	countExtractions := func(page folio.Page, r extract.Rules, opts ...extract.Option) (folio.Article, error) {
		extracting.enter()
		defer extracting.leave()
		return extract.Extract(page, r, opts...)
	}

	const articles = 60
	site := wpsite.New(wpsite.Options{Articles: articles, PageBytes: 60_000, Latency: 20 * time.Millisecond})
	var serving highWater
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serving.enter()
		defer serving.leave()
		site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f := &fixture{site: site, base: srv.URL + "/", dir: t.TempDir()}
	f.open(t)

	s := f.localSite()
	s.Crawl.Concurrency = concurrency
	sum, err := Run(context.Background(), s, Deps{Archive: f.store, Index: f.index, extract: countExtractions}, RunOptions{Extractions: extractions}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != articles || sum.Indexed != articles || sum.Errors != 0 {
		t.Errorf("new %d, indexed %d, errors %d (%v); want %d, %d, 0", sum.New, sum.Indexed, sum.Errors, sum.ErrorsByKind, articles, articles)
	}
	t.Logf("bound %d: at most %d extractions and %d requests at once", extractions, extracting.most.Load(), serving.most.Load())
	if got := extracting.most.Load(); got > extractions {
		t.Errorf("%d extractions ran at once, more than the bound (%d)", got, extractions)
	}
	if got := serving.most.Load(); got <= extractions {
		t.Errorf("at most %d requests in flight with concurrency %d: fetching was held to the extractions' bound (%d)", got, concurrency, extractions)
	}
}

// TestRunIndexesFullBatches: while a run crawls, each write of the index
// adds a full batch, whatever has been archived meanwhile; only the
// catch-up ending the run indexes a remainder.
func TestRunIndexesFullBatches(t *testing.T) {
	t.Parallel()
	const articles, batch = 55, 10
	f := newFixture(t, wpsite.Options{Articles: articles})
	var mu sync.Mutex
	seen := map[int]bool{}
	sum, err := Run(context.Background(), f.localSite(), Deps{Archive: f.store, Index: f.index}, RunOptions{IndexBatch: batch}, func(e Event) {
		mu.Lock() // events come from several goroutines
		seen[e.Progress.Indexed] = true
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Indexed != articles {
		t.Fatalf("indexed %d, want %d", sum.Indexed, articles)
	}
	// Every count the index went through was reported, in some order.
	counts := slices.Sorted(maps.Keys(seen))
	if len(counts) < 4 {
		t.Fatalf("indexed counts %v: too few batches to tell", counts)
	}
	for i := 1; i < len(counts)-1; i++ {
		if step := counts[i] - counts[i-1]; step != batch {
			t.Errorf("indexed counts %v: a write during the run added %d records, not a batch of %d", counts, step, batch)
			break
		}
	}
}
