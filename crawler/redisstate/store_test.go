package redisstate_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/crawler"
	"folio/crawler/redisstate"
	"folio/crawler/statetest"
	"folio/internal/redistest"
	"folio/internal/testservers"
)

var _ crawler.State = (*redisstate.Store)(nil)

const site = "blog.example.fr"

func u(i int) string { return fmt.Sprintf("https://blog.example.fr/article-%d/", i) }

func TestConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) crawler.State {
		st, _ := newStore(t, redisstate.Options{})
		return st
	})
}

// The archive answers Archived, not Redis: the Store asks the Archive it was
// given (here a MemState, which is one).
func TestArchivedAsksTheArchive(t *testing.T) {
	ctx := context.Background()
	arch := crawler.NewMemState()
	arch.SetValidators(u(1), `"v1"`, "")
	st, _ := newStore(t, redisstate.Options{Archive: arch})
	got, err := st.Archived(ctx, u(1))
	if err != nil || got.ETag != `"v1"` {
		t.Errorf("Archived(u1) = %+v, %v; want the archive's ETag", got, err)
	}
	if got, err := st.Archived(ctx, u(2)); err != nil || got != (folio.ArchivedPage{}) {
		t.Errorf("Archived(u2) = %+v, %v; want the zero value", got, err)
	}
}

func TestUpdateEnqueuesThenMarksDone(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t, redisstate.Options{})
	if _, err := st.Enqueue(ctx, site, u(1), 0); err != nil {
		t.Fatal(err)
	}
	// u(1)'s page links to itself, to u(2) twice and to u(3): u(1) is
	// done, and u(2) is added once.
	links := []folio.FrontierURL{{URL: u(1), Depth: 1}, {URL: u(2), Depth: 1}, {URL: u(2), Depth: 1}, {URL: u(3), Depth: 1}}
	added, err := st.Update(ctx, site, links, u(1))
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true, false, true}; !slices.Equal(added, want) {
		t.Errorf("added = %v, want %v", added, want)
	}
	f, err := st.Frontier(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if want := []folio.FrontierURL{{URL: u(2), Depth: 1}, {URL: u(3), Depth: 1}}; !slices.Equal(f, want) {
		t.Errorf("Frontier = %v, want %v", f, want)
	}
	c, err := st.Counts(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if want := (redisstate.Counts{Ready: 2, Enqueued: 3, Done: 1}); c != want {
		t.Errorf("Counts = %+v, want %+v", c, want)
	}
	if _, err := st.Update(ctx, site, []folio.FrontierURL{{URL: u(4), Depth: -1}}); err == nil {
		t.Error("a negative depth was accepted")
	}
}

// leased returns the URLs of a lease.
func leased(l redisstate.Lease) []string {
	var out []string
	for _, f := range l.URLs {
		out = append(out, f.URL)
	}
	return out
}

func TestLeaseTakesInOrderOnce(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t, redisstate.Options{})
	for i := 1; i <= 6; i++ {
		st.Enqueue(ctx, site, u(i), i)
	}
	a, err := st.Lease(ctx, site, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if want := []folio.FrontierURL{{URL: u(1), Depth: 1}, {URL: u(2), Depth: 2}}; !slices.Equal(a.URLs, want) {
		t.Errorf("first lease = %v, want %v", a.URLs, want)
	}
	if d := time.Until(a.Deadline); d < 50*time.Second || d > 70*time.Second {
		t.Errorf("deadline in %v, want about a minute", d)
	}
	b, _ := st.Lease(ctx, site, 3, time.Minute)
	if want := []string{u(3), u(4), u(5)}; !slices.Equal(leased(b), want) {
		t.Errorf("second lease = %v, want %v", leased(b), want)
	}
	// Leased URLs are still the frontier a resumed crawl starts from.
	if f, _ := st.Frontier(ctx, site); len(f) != 6 {
		t.Errorf("Frontier holds %d URLs, want 6 (leased ones included)", len(f))
	}
	if c, _ := st.Counts(ctx, site); c != (redisstate.Counts{Ready: 1, Leased: 5, Enqueued: 6}) {
		t.Errorf("Counts = %+v", c)
	}
	// Done ends a lease; Release hands one back at its place in the order.
	if err := st.Done(ctx, site, u(1)); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Release(ctx, site, u(4), u(9)); err != nil || n != 1 {
		t.Errorf("Release = %d, %v; want 1 (u9 is not leased)", n, err)
	}
	c, _ := st.Lease(ctx, site, 5, time.Minute)
	if want := []string{u(4), u(6)}; !slices.Equal(leased(c), want) {
		t.Errorf("lease after Release = %v, want %v", leased(c), want)
	}
	if c, _ := st.Counts(ctx, site); c != (redisstate.Counts{Leased: 5, Enqueued: 6, Done: 1}) {
		t.Errorf("Counts = %+v", c)
	}
	if e, _ := st.Lease(ctx, site, 1, time.Minute); len(e.URLs) != 0 || e.Leased != 5 {
		t.Errorf("lease of a frontier all held = %v, %d leased; want none, 5 leased", e.URLs, e.Leased)
	}
	if a.Leased != 2 || b.Leased != 5 {
		t.Errorf("leases counted %d, %d URLs leased after them; want 2, 5", a.Leased, b.Leased)
	}
	for _, bad := range []struct {
		n   int
		ttl time.Duration
	}{{0, time.Minute}, {1, time.Microsecond}} {
		if _, err := st.Lease(ctx, site, bad.n, bad.ttl); err == nil {
			t.Errorf("Lease(n=%d, ttl=%v) was accepted", bad.n, bad.ttl)
		}
	}
}

func TestLeasePastDeadlineReturns(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t, redisstate.Options{})
	for i := 1; i <= 4; i++ {
		st.Enqueue(ctx, site, u(i), 0)
	}
	// A second is the margin the steps before the deadline have, on a
	// loaded machine.
	const ttl = time.Second
	dead, _ := st.Lease(ctx, site, 2, ttl)  // u1, u2: the worker dies
	alive, _ := st.Lease(ctx, site, 1, ttl) // u3: the worker extends
	if len(dead.URLs) != 2 || len(alive.URLs) != 1 {
		t.Fatalf("leases = %v, %v", dead.URLs, alive.URLs)
	}
	if _, n, err := st.Extend(ctx, site, time.Minute, u(3), u(4)); err != nil || n != 1 {
		t.Errorf("Extend = %d, %v; want 1 (u4 is not leased)", n, err)
	}
	if l, _ := st.Lease(ctx, site, 4, time.Minute); !slices.Equal(leased(l), []string{u(4)}) || l.Reclaimed != 0 {
		t.Errorf("lease before the deadline = %v (reclaimed %d), want u4 alone", leased(l), l.Reclaimed)
	}
	time.Sleep(time.Until(dead.Deadline) + 20*time.Millisecond)
	// Past their deadline u1 and u2 come back, at their place in the
	// order; u3's extended lease holds.
	l, err := st.Lease(ctx, site, 4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{u(1), u(2)}; !slices.Equal(leased(l), want) || l.Reclaimed != 2 {
		t.Errorf("lease after the deadline = %v (reclaimed %d), want %v (2)", leased(l), l.Reclaimed, want)
	}
	// The dead worker was only slow: its late Done still counts, and ends
	// the lease the other worker took.
	if err := st.Done(ctx, site, u(1)); err != nil {
		t.Fatal(err)
	}
	if c, _ := st.Counts(ctx, site); c != (redisstate.Counts{Leased: 3, Enqueued: 4, Done: 1}) {
		t.Errorf("Counts = %+v", c)
	}
}

func TestFinishDeletesEveryKey(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Client(t, redistest.URL())
	prefix := redistest.Prefix(t, rdb)
	st := redisstate.New(rdb, redisstate.Options{Prefix: prefix}, nil)
	for i := 1; i <= 3; i++ {
		st.Enqueue(ctx, site, u(i), 0)
	}
	st.Lease(ctx, site, 1, time.Minute)
	st.Done(ctx, site, u(2))
	st.Enqueue(ctx, "other.example", u(1), 0)
	keys, err := redistest.Keys(ctx, rdb, prefix)
	if err != nil {
		t.Fatal(err)
	}
	var mine []string
	for _, k := range keys {
		if strings.Contains(k, "{"+site+"}") {
			mine = append(mine, k)
		}
	}
	if len(mine) != 5 {
		t.Errorf("the crawl holds %d keys, want 5: %v", len(mine), mine)
	}
	if err := st.Finish(ctx, site); err != nil {
		t.Fatal(err)
	}
	for _, k := range mine {
		if n, _ := rdb.Exists(ctx, k).Result(); n != 0 {
			t.Errorf("%s is left after Finish", k)
		}
	}
	if c, _ := st.Counts(ctx, "other.example"); c.Ready != 1 {
		t.Errorf("Finish of one site touched another: %+v", c)
	}
}

func TestPrefixesKeepStoresApart(t *testing.T) {
	ctx := context.Background()
	a, _ := newStore(t, redisstate.Options{})
	b, _ := newStore(t, redisstate.Options{})
	a.Enqueue(ctx, site, u(1), 0)
	if added, err := b.Enqueue(ctx, site, u(1), 0); err != nil || !added {
		t.Errorf("Enqueue under another prefix = %v, %v; want true", added, err)
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Client(t, redistest.URL())
	o := rdb.Options()
	st, err := redisstate.Open(ctx, "redis://"+o.Addr+fmt.Sprintf("/%d", o.DB), redisstate.Options{Prefix: redistest.Prefix(t, rdb)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if added, err := st.Enqueue(ctx, site, u(1), 0); err != nil || !added {
		t.Errorf("Enqueue = %v, %v", added, err)
	}
	if err := st.Close(); err != nil {
		t.Error(err)
	}
	// Port 1 on loopback: nothing listens there.
	if _, err := redisstate.Open(ctx, "redis://127.0.0.1:1", redisstate.Options{}, nil); err == nil {
		t.Error("Open of a closed port succeeded")
	}
	if _, err := redisstate.Open(ctx, "http://127.0.0.1:6379", redisstate.Options{}, nil); err == nil {
		t.Error("Open of an http URL succeeded")
	}
}

// The epoch is set once per life of the server's data: a second store on
// the same prefix sees the same id, and once the key is gone (as after a
// restart of a Redis that keeps nothing on disk) the next call sets a new
// one and says so.
func TestEpochChangesWhenTheStateIsLost(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Client(t, redistest.URL())
	prefix := redistest.Prefix(t, rdb)
	st := redisstate.New(rdb, redisstate.Options{Prefix: prefix}, nil)
	other := redisstate.New(rdb, redisstate.Options{Prefix: prefix}, nil)
	id, created, err := st.Epoch(ctx)
	if err != nil || !created || id == "" {
		t.Fatalf("first Epoch = %q, %v, %v; want a new id", id, created, err)
	}
	again, created, err := other.Epoch(ctx)
	if err != nil || created || again != id {
		t.Fatalf("another store's Epoch = %q, %v, %v; want %q, not created", again, created, err, id)
	}
	keys, err := redistest.Keys(ctx, rdb, prefix)
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys of the store: %v, %v", keys, err)
	}
	if err := rdb.Del(ctx, keys...).Err(); err != nil {
		t.Fatal(err)
	}
	next, created, err := other.Epoch(ctx)
	if err != nil || !created || next == id {
		t.Fatalf("Epoch after the loss = %q, %v, %v; want a new id", next, created, err)
	}
}

// A lease reads the epoch in its own round trip: the URLs of a frontier
// enqueued again after a restart come with no epoch (the restarted server
// has none), so that the worker knows before it handles them. The
// restarted server has also forgotten the lease script: the lease sends it
// whole.
func TestLeaseTellsTheEpochItWasTakenIn(t *testing.T) {
	ctx := context.Background()
	rs := testservers.Redis(t)
	rdb := redistest.Client(t, rs.URL())
	st := redisstate.New(rdb, redisstate.Options{}, nil)
	id, _, err := st.Epoch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Enqueue(ctx, site, u(1), 0); err != nil {
		t.Fatal(err)
	}
	l, err := st.Lease(ctx, site, 1, time.Minute)
	if err != nil || len(l.URLs) != 1 || l.Epoch != id {
		t.Fatalf("Lease = %+v, %v; want u1 in epoch %q", l, err, id)
	}
	rs.Restart(t, 0)
	if _, err := st.Enqueue(ctx, site, u(2), 0); err != nil {
		t.Fatal(err)
	}
	l, err = st.Lease(ctx, site, 1, time.Minute)
	if err != nil || len(l.URLs) != 1 || l.URLs[0].URL != u(2) || l.Epoch != "" {
		t.Fatalf("Lease after the restart = %+v, %v; want u2 and no epoch", l, err)
	}
	next, created, err := st.Epoch(ctx)
	if err != nil || !created {
		t.Fatalf("Epoch after the restart = %q, %v, %v; want a new one", next, created, err)
	}
	if l, err = st.Lease(ctx, site, 1, time.Minute); err != nil || l.Epoch != next {
		t.Fatalf("Lease in the new epoch = %+v, %v; want epoch %q", l, err, next)
	}
}

// A URL's barren run (the crawler's trap guard) travels with it through the
// frontier, so that the worker that leases it judges its links as the one
// that found it would have.
func TestLeaseKeepsTheBarrenRun(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t, redisstate.Options{})
	links := []folio.FrontierURL{{URL: u(1), Depth: 2, Barren: 1}, {URL: u(2), Depth: 3}}
	if _, err := st.Update(ctx, site, links); err != nil {
		t.Fatal(err)
	}
	l, err := st.Lease(ctx, site, 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.URLs, links) {
		t.Errorf("leased %v, want %v", l.URLs, links)
	}
	front, err := st.Frontier(ctx, site)
	if err != nil || !slices.Equal(front, links) {
		t.Errorf("Frontier = %v, %v; want %v", front, err, links)
	}
}

// Workers that lease under their names are counted and ranked in the order
// they joined, so that they can share a host's concurrency and one that
// joins takes no place from those already crawling; a worker that stops
// leasing drops out once its registration has run out, and one that
// leaves at once.
func TestLeaseAsCountsTheWorkers(t *testing.T) {
	ctx := context.Background()
	st, _ := newStore(t, redisstate.Options{})
	if _, err := st.Enqueue(ctx, site, u(1), 0); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"b", "c"} {
		if _, err := st.LeaseAs(ctx, site, w, 0, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	if l, err := st.LeaseAs(ctx, site, "a", 0, 300*time.Millisecond); err != nil || l.Workers != 3 || l.Rank != 2 {
		t.Fatalf("a's lease = %+v, %v; want 3 workers, rank 2 (it joined last)", l, err)
	}
	l, err := st.LeaseAs(ctx, site, "c", 1, time.Minute)
	if err != nil || l.Workers != 3 || l.Rank != 1 || len(l.URLs) != 1 {
		t.Fatalf("c's lease = %+v, %v; want 3 workers, rank 1, one URL", l, err)
	}
	// The peer that renewed least recently is a, whose registration ends
	// first.
	if d := time.Until(l.OldestPeer); d <= 0 || d > 300*time.Millisecond {
		t.Errorf("c's oldest peer's deadline in %v, want a's, within 300ms", d)
	}
	time.Sleep(350 * time.Millisecond) // a's registration runs out
	l, err = st.LeaseAs(ctx, site, "b", 0, time.Minute)
	if err != nil || l.Workers != 2 || l.Rank != 0 || len(l.URLs) != 0 {
		t.Fatalf("b's lease after a stopped = %+v, %v; want 2 workers, rank 0, no URL", l, err)
	}
	// b leaves: c is the first now; a joining anew comes after it.
	if err := st.Leave(ctx, site, "b"); err != nil {
		t.Fatal(err)
	}
	if l, err := st.LeaseAs(ctx, site, "a", 0, time.Minute); err != nil || l.Workers != 2 || l.Rank != 1 {
		t.Fatalf("a's lease after b left = %+v, %v; want 2 workers, rank 1", l, err)
	}
	if l, err := st.LeaseAs(ctx, site, "c", 0, time.Minute); err != nil || l.Workers != 2 || l.Rank != 0 {
		t.Fatalf("c's lease after b left = %+v, %v; want 2 workers, rank 0", l, err)
	}
	if l, _ := st.Lease(ctx, site, 1, time.Minute); l.Workers != 0 {
		t.Errorf("an anonymous Lease counted %d workers", l.Workers)
	}
	if _, err := st.Lease(ctx, site, 0, time.Minute); err == nil {
		t.Error("an anonymous Lease of nothing was accepted")
	}
}
