// Package statetest is the conformance suite of crawler.State: every
// implementation (crawler.MemState, the archive's persistent store) must
// pass it. Call Run from a test of the package that can see both the
// implementation and crawler.
package statetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"folio"
	"folio/crawler"
)

// Run checks the State contract against fresh states made by newState.
func Run(t *testing.T, newState func(t *testing.T) crawler.State) {
	ctx := context.Background()
	const site = "blog.example.fr"
	u := func(i int) string { return fmt.Sprintf("https://blog.example.fr/article-%d/", i) }

	t.Run("enqueue dedups", func(t *testing.T) {
		st := newState(t)
		for i, want := range []bool{true, false} {
			added, err := st.Enqueue(ctx, site, u(1), 0)
			if err != nil || added != want {
				t.Errorf("Enqueue #%d = %v, %v; want %v", i+1, added, err, want)
			}
		}
		if err := st.Done(ctx, site, u(1)); err != nil {
			t.Fatal(err)
		}
		if added, err := st.Enqueue(ctx, site, u(1), 3); err != nil || added {
			t.Errorf("Enqueue of a done URL = %v, %v; want false", added, err)
		}
	})

	t.Run("frontier keeps order and depth, drops done", func(t *testing.T) {
		st := newState(t)
		for i := 1; i <= 5; i++ {
			if _, err := st.Enqueue(ctx, site, u(i), i); err != nil {
				t.Fatal(err)
			}
		}
		st.Done(ctx, site, u(2))
		st.Done(ctx, site, u(4))
		got, err := st.Frontier(ctx, site)
		if err != nil {
			t.Fatal(err)
		}
		want := []folio.FrontierURL{{URL: u(1), Depth: 1}, {URL: u(3), Depth: 3}, {URL: u(5), Depth: 5}}
		if !slices.Equal(got, want) {
			t.Errorf("Frontier = %v, want %v", got, want)
		}
	})

	t.Run("sites are apart", func(t *testing.T) {
		st := newState(t)
		st.Enqueue(ctx, site, u(1), 0)
		if added, err := st.Enqueue(ctx, "other.example", u(1), 0); err != nil || !added {
			t.Errorf("Enqueue on another site = %v, %v; want true", added, err)
		}
		if f, _ := st.Frontier(ctx, "unknown.example"); len(f) != 0 {
			t.Errorf("Frontier of an unknown site = %v", f)
		}
	})

	t.Run("finish starts afresh", func(t *testing.T) {
		st := newState(t)
		st.Enqueue(ctx, site, u(1), 0)
		st.Enqueue(ctx, site, u(2), 1)
		st.Done(ctx, site, u(1))
		st.Enqueue(ctx, "other.example", u(9), 0)
		if err := st.Finish(ctx, site); err != nil {
			t.Fatal(err)
		}
		if f, _ := st.Frontier(ctx, site); len(f) != 0 {
			t.Errorf("Frontier after Finish = %v", f)
		}
		if added, _ := st.Enqueue(ctx, site, u(1), 0); !added {
			t.Error("a URL done before Finish is not new to the next crawl")
		}
		if f, _ := st.Frontier(ctx, "other.example"); len(f) != 1 {
			t.Errorf("Finish of one site touched another: %v", f)
		}
	})

	t.Run("an unknown URL holds no archived page", func(t *testing.T) {
		st := newState(t)
		// A URL the crawl has queued and handled is still no archived page.
		st.Enqueue(ctx, site, u(1), 0)
		st.Done(ctx, site, u(1))
		a, err := st.Archived(ctx, u(1))
		if err != nil || a != (folio.ArchivedPage{}) {
			t.Errorf("Archived = %+v, %v; want the zero value", a, err)
		}
	})

	t.Run("concurrent enqueue adds once", func(t *testing.T) {
		st := newState(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		added := 0
		for range 8 {
			wg.Go(func() {
				for i := range 50 {
					ok, err := st.Enqueue(ctx, site, u(i), 0)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						added++
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		if added != 50 {
			t.Errorf("50 URLs enqueued by 8 goroutines were added %d times", added)
		}
	})
}
