package crawler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"folio"
)

// SharedFrontier is the crawl state that several processes share when they
// crawl the same sites together: the frontier and dedup of each site's
// crawl, the leases of the URLs each process took from it, and each host's
// next allowed request time. crawler/redisstate keeps it in Redis;
// internal/job adapts it to this interface. Implementations must be safe
// for concurrent use.
type SharedFrontier interface {
	// Lease takes up to n URLs of site's frontier that no process holds,
	// in the order they were enqueued, each this process's for ttl: past
	// it, a URL whose lease was not ended returns to the frontier. It
	// returns none when every URL not done is held (see Status). It
	// registers the process, named worker, as one of the crawl's for ttl,
	// and says how many are and where this one ranks (Leased.Workers,
	// Rank); n 0 only renews the registration.
	Lease(ctx context.Context, site, worker string, n int, ttl time.Duration) (Leased, error)
	// Extend moves the deadline of the leases on urls to ttl from now.
	Extend(ctx context.Context, site string, ttl time.Duration, urls ...string) error
	// Release returns leased URLs to the frontier at once.
	Release(ctx context.Context, site string, urls ...string) error
	// Update enqueues links to site's crawl, then marks done the URLs
	// given, ending their leases, in one atomic step; added[i] reports
	// whether links[i] was new to the crawl.
	Update(ctx context.Context, site string, links []folio.FrontierURL, done ...string) (added []bool, err error)
	// Status reports whether site's crawl is complete (no URL ready, none
	// leased, by any process), and whether the shared state was lost
	// since this process last asked (its server restarted empty): the
	// crawl's frontier must then be rebuilt. A fresh state, never used
	// before, counts as lost.
	Status(ctx context.Context, site string) (complete, lost bool, err error)
	// Wait reserves the next request start on host, at least delay after
	// the start reserved before it by any process, and waits for it.
	Wait(ctx context.Context, host string, delay time.Duration) error
	// Leave ends the registration of worker (see Lease), which stops.
	Leave(ctx context.Context, site, worker string) error
	// Finish forgets site's crawl, once complete.
	Finish(ctx context.Context, site string) error
}

// Leased is what a Lease took, and what it learnt of the crawl.
type Leased struct {
	URLs []folio.FrontierURL
	// Busy reports that some URL is leased once the call is done (these
	// included), by any process: the crawl is not complete.
	Busy bool
	// Lost reports, as Status does, that the shared state was lost since
	// this process last asked. It must say so in the Lease that first
	// returns URLs of the rebuilt frontier: the run rebuilds (and reads
	// the archive afresh) before it handles them, so that a page another
	// process archived before the loss is asked for conditionally.
	Lost bool
	// Workers is how many processes lease from the crawl (0: unknown),
	// Rank this one's place among them: each takes its share of a host's
	// concurrency (see share).
	Workers, Rank int
	// Deadline is when this process's registration runs out, on the
	// shared server's clock, and OldestPeer the same for the other
	// process that renewed least recently (zero: none). A process that
	// joins others leases once OldestPeer has passed its first Deadline:
	// every other process has leased since, and knows its smaller share.
	Deadline, OldestPeer time.Time
}

// share is worker rank's part of places shared between workers, all of
// them between them: places/workers, and one more for the first
// places%workers. Unknown workers (0) leave it all to each.
func share(places, workers, rank int) int {
	if workers <= 0 {
		return places
	}
	n := places / workers
	if rank < places%workers {
		n++
	}
	return n
}

// Shared is what a run needs to share its crawl with other processes
// (RunOptions.Shared).
//
// Each process leases a few URLs at a time, handles them as a crawl of one
// process does, and sends all that handling a page found (its links) and
// decided (the page done) in one Update when the page ends: with Wait
// before each request to a host that asks for a delay, and a Lease every
// few pages, that is two or three round trips per page. A URL the run did
// not end (it stopped, or its page could not be stored) is released; one a
// process held when it died returns to the frontier when its lease runs
// out. The crawl is complete when no URL is ready and none is leased, by
// any process; the run that sees it first finishes it.
//
// When Lease or Status says the shared state was lost, the run enqueues its seeds
// again, with what Rebuild returns (the archived pages of the site, so that
// each costs a conditional request), and forgets which URLs it has seen.
// Calls that fail are tried again, with backoff, for RetryFor: a shared
// server restarting holds the crawl up but does not end it.
//
// Per host, the delay holds over all processes (Wait), and so does
// Concurrency: each Lease registers this process among the crawl's workers
// and says how many there are and its rank, from which it takes its share
// of the host's places (share); a process that joins others leases once
// each of them has leased since (they have learnt the new count), and one
// that stops leaves. A process whose share is 0 hands back the URLs it
// holds and fetches nothing, but robots.txt, which every process reads
// once. A shared crawl decides at
// once whether an archived article of a site without validators is due
// (Recheck), with what the process has read of the site's feeds and
// sitemaps so far, rather than putting it off.
type Shared struct {
	Frontier SharedFrontier
	// Rebuild returns the URLs, besides the seeds, that a lost frontier of
	// site is rebuilt from. Nil: the seeds alone. A call that fails is
	// tried again for RetryFor, as the frontier's are.
	Rebuild func(ctx context.Context, site string) ([]folio.FrontierURL, error)
	// LeaseTTL is how long a lease lasts; the run extends those it holds
	// every third of it. Default 30s.
	LeaseTTL time.Duration
	// Poll is the longest wait before asking again for work when every
	// URL not done is held by some process. Default 200ms.
	Poll time.Duration
	// RetryFor is how long a failing call to the shared state is tried
	// again before the run stops with its error. Default 2 minutes.
	RetryFor time.Duration
}

const (
	defaultLeaseTTL = 30 * time.Second
	defaultPoll     = 200 * time.Millisecond
	// DefaultRetryFor is Shared.RetryFor when unset.
	DefaultRetryFor = 2 * time.Minute
	// maxLease bounds the URLs leased at once: more cost fewer round
	// trips, but wait longer in this process while others may be idle,
	// and are fetched again if it dies.
	maxLease = 16
	// updateChunk bounds the links of one Update when a frontier is
	// rebuilt from thousands of archived pages.
	updateChunk = 1000
)

// batch is what handling one leased URL found and decided, sent in one
// Update when the URL ends.
type batch struct {
	links []folio.FrontierURL
	done  []string
	// requeued: the URL went back to this process's queue, still leased.
	requeued bool
}

// sharedQueue is the workQueue of a shared crawl: it leases URLs from the
// SharedFrontier, a few at a time, and hands them to the run's workers.
type sharedQueue struct {
	r  *run
	sh Shared
	n  int // URLs leased at once
	// seeds are the run's canonical start URLs; with the run's probes
	// they are enqueued at its start and whenever the frontier is rebuilt.
	seeds []string

	mu      sync.Mutex
	cond    *sync.Cond
	buf     []item
	held    map[string]bool // leased by this process and not ended
	closed  bool
	limited bool
	leasing bool // a worker is asking for a lease; the others wait
	popped  int
	limit   int
	next    int // the site to lease from first, in turn

	// suspect is set when a call had to be tried again: the server may
	// have restarted, and Status is asked before the next lease.
	suspect atomic.Bool
	// leaseMu orders the registration renewals of keepLeases with the
	// leases and Status calls of fill: a loss a renewal learnt of
	// (lostUnseen) is told by fill's next call, before the run handles a
	// URL of the emptied frontier or takes it for a complete crawl.
	leaseMu    sync.Mutex
	lostUnseen bool

	// id names this process among the crawl's workers.
	id string
	// shares are this process's share of each site's hosts' concurrency,
	// from the last Lease (absent: not known yet).
	sharesMu sync.Mutex
	shares   map[string]int
	// joined is, for each site's crawl where this process found other
	// workers, its first registration deadline; it leases once each of
	// them has renewed since (peers), and so learnt its smaller share.
	joined map[string]time.Time
	peers  map[string]time.Time
}

func newSharedQueue(r *run, sh Shared) *sharedQueue {
	if sh.LeaseTTL <= 0 {
		sh.LeaseTTL = defaultLeaseTTL
	}
	if sh.Poll <= 0 {
		sh.Poll = defaultPoll
	}
	if sh.RetryFor <= 0 {
		sh.RetryFor = DefaultRetryFor
	}
	workers := min(r.c.opts.Concurrency*len(r.scope), 256)
	id := make([]byte, 8)
	rand.Read(id)
	q := &sharedQueue{r: r, sh: sh, n: min(workers, maxLease), held: map[string]bool{}, limit: r.c.opts.MaxPages,
		id: hex.EncodeToString(id), shares: map[string]int{}, joined: map[string]time.Time{}, peers: map[string]time.Time{}}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// crawlShared is crawl for a shared crawl: the seeds are enqueued in the
// shared frontier (which rebuilds it if it was lost), the workers lease
// from it, and the leases left at the end are released.
func (r *run) crawlShared(seeds []string) (Stats, error) {
	q := r.shared
	for _, s := range seeds {
		canon, _ := Canonicalize(s, nil, r.c.tracking)
		q.seeds = append(q.seeds, canon)
		// Every process tracks every start URL; one that another process
		// fetched stays pending here, which is not a failure.
		r.seeds.add(canon)
		r.seen.add(canon)
	}
	for _, p := range r.probes {
		r.seen.add(p)
	}
	_, lost, err := q.status(r.ctx)
	if err != nil {
		return r.snapshot(), err
	}
	if err := q.enqueueSeeds(lost); err != nil {
		return r.snapshot(), err
	}
	stopExtending := q.keepLeases()
	stats, err := r.runWorkers(seeds, q.finish)
	stopExtending()
	q.shutdown()
	return stats, err
}

// sharedWait is the politeness of a shared crawl (see host.acquire), nil in
// a crawl of one process.
func (r *run) sharedWait() func(ctx context.Context, host string, spacing time.Duration) error {
	if r.shared == nil {
		return nil
	}
	return r.shared.wait
}

// sharedPlaces is, in a shared crawl, how many requests this process may
// have in flight on h now: its share of the host's concurrency (-1 while
// it is not known: the local slots alone); nil otherwise.
func (r *run) sharedPlaces(h *host) func() int {
	if r.shared == nil {
		return nil
	}
	site := folio.SiteOf("http://" + h.key + "/")
	return func() int {
		n, known := r.shared.shareOf(site)
		if !known {
			return -1
		}
		return n
	}
}

func (q *sharedQueue) shareOf(site string) (int, bool) {
	q.sharesMu.Lock()
	defer q.sharesMu.Unlock()
	n, ok := q.shares[site]
	return n, ok
}

// noShare tells whether this process knows it has no share of site's
// concurrency.
func (q *sharedQueue) noShare(site string) bool {
	n, known := q.shareOf(site)
	return known && n == 0
}

// mayLease tells whether this process may lease from site now: it knows
// its share, the share is not 0, and the wait after joining is over.
func (q *sharedQueue) mayLease(site string) bool {
	q.sharesMu.Lock()
	defer q.sharesMu.Unlock()
	n, ok := q.shares[site]
	joined, waits := q.joined[site]
	peers := q.peers[site]
	// Strictly after: a peer registered in the same millisecond as this
	// one joined had not seen it.
	return ok && n > 0 && (!waits || peers.IsZero() || peers.After(joined))
}

// lease leases up to n URLs of site (0: renews the registration only),
// and notes this process's share of the site's concurrency.
func (q *sharedQueue) lease(ctx context.Context, site string, n int) (Leased, error) {
	var l Leased
	err := q.do(ctx, "lease from "+site, func(ctx context.Context) error {
		q.leaseMu.Lock()
		defer q.leaseMu.Unlock()
		var err error
		l, err = q.sh.Frontier.Lease(ctx, site, q.id, n, q.sh.LeaseTTL)
		if err == nil {
			l.Lost = l.Lost || q.lostUnseen
			q.lostUnseen = false
		}
		return err
	})
	if err == nil {
		q.noteShare(site, l)
	}
	return l, err
}

// renew renews this process's registration in site's crawl, as keepLeases
// does; a loss it learns of is kept for fill's next call to tell.
func (q *sharedQueue) renew(site string) (Leased, error) {
	q.leaseMu.Lock()
	defer q.leaseMu.Unlock()
	l, err := q.sh.Frontier.Lease(q.r.stateCtx, site, q.id, 0, q.sh.LeaseTTL)
	if err == nil && l.Lost {
		q.lostUnseen = true
	}
	return l, err
}

// noteShare records this process's share of site's concurrency, from what
// a Lease said of the workers.
func (q *sharedQueue) noteShare(site string, l Leased) {
	q.sharesMu.Lock()
	defer q.sharesMu.Unlock()
	if _, known := q.shares[site]; !known && l.Workers > 1 {
		q.joined[site] = l.Deadline
	}
	q.peers[site] = l.OldestPeer
	q.shares[site] = share(q.r.c.opts.Concurrency, l.Workers, l.Rank)
}

// do calls f until it succeeds, ctx ends, or RetryFor has passed, waiting
// longer after each failure.
func (q *sharedQueue) do(ctx context.Context, what string, f func(ctx context.Context) error) error {
	deadline := time.Now().Add(q.sh.RetryFor)
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		if err == nil {
			if attempt > 1 {
				q.suspect.Store(true)
				q.r.log.Info("the shared server answers again", slog.String("op", what), slog.Int("attempts", attempt))
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("crawl: %s: %w", what, err)
		}
		if attempt == 1 {
			q.r.log.Warn("a shared server does not answer: trying again", slog.String("op", what), slog.Any("err", err))
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		wait = min(2*wait, 2*time.Second)
	}
}

// status asks the Status of every site of the run: complete when all are,
// lost when any was (the state is lost for all at once).
func (q *sharedQueue) status(ctx context.Context) (complete, lost bool, err error) {
	complete = true
	for _, site := range q.r.sites {
		var c, l bool
		err := q.do(ctx, "status of "+site, func(ctx context.Context) error {
			q.leaseMu.Lock()
			defer q.leaseMu.Unlock()
			var err error
			c, l, err = q.sh.Frontier.Status(ctx, site)
			if err == nil {
				l = l || q.lostUnseen
				q.lostUnseen = false
			}
			return err
		})
		if err != nil {
			return false, false, err
		}
		complete = complete && c
		lost = lost || l
	}
	return complete, lost, nil
}

// enqueueSeeds enqueues the run's start URLs and sitemap probes in every
// site's crawl (a no-op for those already there); rebuild adds the URLs
// Rebuild gives, after forgetting every URL seen: the frontier was lost.
func (q *sharedQueue) enqueueSeeds(rebuild bool) error {
	if rebuild {
		q.r.seen.reset()
	}
	links := map[string][]folio.FrontierURL{}
	for _, s := range q.seeds {
		site := folio.SiteOf(s)
		links[site] = append(links[site], folio.FrontierURL{URL: s})
	}
	for _, p := range q.r.probes {
		site := folio.SiteOf(p)
		links[site] = append(links[site], folio.FrontierURL{URL: p, Depth: 1})
	}
	for _, site := range q.r.sites {
		l := links[site]
		if rebuild && q.sh.Rebuild != nil {
			// Rebuild reads the archive, a server of its own in a shared
			// crawl: its failures are tried again as the frontier's are.
			var more []folio.FrontierURL
			err := q.do(q.r.stateCtx, "rebuild the frontier of "+site, func(ctx context.Context) error {
				var err error
				more, err = q.sh.Rebuild(ctx, site)
				return err
			})
			if err != nil {
				return err
			}
			q.r.log.Info("shared frontier rebuilt from the archive and the start URLs",
				slog.String("site", site), slog.Int("archived", len(more)))
			l = append(l, more...)
		}
		for len(l) > 0 {
			chunk := l[:min(len(l), updateChunk)]
			l = l[len(chunk):]
			if err := q.update(site, chunk, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// update sends one Update of site's crawl.
func (q *sharedQueue) update(site string, links []folio.FrontierURL, done []string) error {
	if len(links) == 0 && len(done) == 0 {
		return nil
	}
	return q.do(q.r.stateCtx, "update the crawl of "+site, func(ctx context.Context) error {
		_, err := q.sh.Frontier.Update(ctx, site, links, done...)
		return err
	})
}

func (q *sharedQueue) wait(ctx context.Context, host string, spacing time.Duration) error {
	return q.do(ctx, "wait for "+host, func(ctx context.Context) error {
		return q.sh.Frontier.Wait(ctx, host, spacing)
	})
}

func (q *sharedQueue) finish(ctx context.Context, site string) error {
	return q.do(ctx, "finish the crawl of "+site, func(ctx context.Context) error {
		return q.sh.Frontier.Finish(ctx, site)
	})
}

// enqueue adds a link to b; without a batch (robots.txt's sitemaps, found
// outside any leased URL), it is sent at once.
func (q *sharedQueue) enqueue(b *batch, link folio.FrontierURL) (bool, error) {
	if b != nil {
		b.links = append(b.links, link)
		return true, nil
	}
	var added []bool
	site := folio.SiteOf(link.URL)
	err := q.do(q.r.stateCtx, "enqueue "+link.URL, func(ctx context.Context) error {
		var err error
		added, err = q.sh.Frontier.Update(ctx, site, []folio.FrontierURL{link})
		return err
	})
	if err != nil {
		return false, err
	}
	return len(added) == 1 && added[0], nil
}

func (q *sharedQueue) markDone(b *batch, u string) error {
	if b != nil {
		b.done = append(b.done, u)
		return nil
	}
	return q.update(folio.SiteOf(u), nil, []string{u})
}

// flush ends a leased URL once handled: one Update per site (one in all,
// unless links lead to an allowed host of another site) with the links and
// done marks of its batch. A URL not marked done, and not put back in this
// process's queue, is released: the run stopped before handling it, or
// could not store its page.
func (q *sharedQueue) flush(it item, failed bool) error {
	b := it.batch
	if b == nil {
		return nil
	}
	links := map[string][]folio.FrontierURL{}
	done := map[string][]string{}
	var sites []string
	for _, l := range b.links {
		site := folio.SiteOf(l.URL)
		if !slices.Contains(sites, site) {
			sites = append(sites, site)
		}
		links[site] = append(links[site], l)
	}
	for _, u := range b.done {
		site := folio.SiteOf(u)
		if !slices.Contains(sites, site) {
			sites = append(sites, site)
		}
		done[site] = append(done[site], u)
	}
	for _, site := range sites {
		if err := q.update(site, links[site], done[site]); err != nil {
			return err
		}
	}
	ended := slices.Contains(b.done, it.url)
	q.mu.Lock()
	for _, u := range b.done {
		delete(q.held, u)
	}
	q.mu.Unlock()
	if ended || b.requeued {
		return nil
	}
	if !failed {
		q.r.log.Warn("shared crawl: a URL ended without being marked done; released", slog.String("url", it.url))
	}
	return q.release(map[string][]string{folio.SiteOf(it.url): {it.url}})
}

func (q *sharedQueue) release(bySite map[string][]string) error {
	for site, urls := range bySite {
		err := q.do(q.r.stateCtx, "release leases on "+site, func(ctx context.Context) error {
			return q.sh.Frontier.Release(ctx, site, urls...)
		})
		if err != nil {
			return err
		}
		q.mu.Lock()
		for _, u := range urls {
			delete(q.held, u)
		}
		q.mu.Unlock()
	}
	return nil
}

// heldBySite returns the URLs this process holds, by site.
func (q *sharedQueue) heldBySite() map[string][]string {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := map[string][]string{}
	for u := range q.held {
		site := folio.SiteOf(u)
		out[site] = append(out[site], u)
	}
	return out
}

// keepLeases extends the leases this process holds every third of their
// time to live, so that a URL waiting in its queue, or a slow fetch, keeps
// its lease; the returned func stops it.
func (q *sharedQueue) keepLeases() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(q.sh.LeaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			for site, urls := range q.heldBySite() {
				if err := q.sh.Frontier.Extend(q.r.stateCtx, site, q.sh.LeaseTTL, urls...); err != nil {
					q.r.log.Warn("shared crawl: extending leases failed", slog.String("site", site), slog.Any("err", err))
				}
			}
			// Still one of the crawl's workers, however long a fetch,
			// and with its share of the concurrency up to date.
			for _, site := range q.r.sites {
				l, err := q.renew(site)
				if err != nil {
					q.r.log.Warn("shared crawl: renewing the registration failed", slog.String("site", site), slog.Any("err", err))
					continue
				}
				q.noteShare(site, l)
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// shutdown releases the URLs still held once the workers have stopped:
// those leased and never handed out; and this process leaves the crawls,
// so that the others take its share of the concurrency at once.
func (q *sharedQueue) shutdown() {
	for _, site := range q.r.sites {
		if err := q.sh.Frontier.Leave(q.r.stateCtx, site, q.id); err != nil {
			q.r.log.Warn("shared crawl: leaving failed; the registration runs out", slog.String("site", site), slog.Any("err", err))
		}
	}
	q.mu.Lock()
	q.buf = nil
	q.mu.Unlock()
	if held := q.heldBySite(); len(held) > 0 {
		if err := q.release(held); err != nil {
			q.r.log.Warn("shared crawl: releasing leases failed; they return to the frontier when they run out", slog.Any("err", err))
		}
	}
}

func (q *sharedQueue) push(item) {} // the shared frontier has it, from Update

func (q *sharedQueue) putOff(it item) { q.requeue(it) }

func (q *sharedQueue) requeue(it item) {
	if it.batch != nil {
		it.batch.requeued = true
	}
	q.mu.Lock()
	q.buf = append(q.buf, it)
	q.popped--
	q.mu.Unlock()
	q.cond.Signal()
}

func (q *sharedQueue) done(item) {}

func (q *sharedQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *sharedQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.buf)
}

func (q *sharedQueue) reachedLimit() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.limited
}

// pop hands out the next leased URL, leasing more when none is left: one
// worker asks while the others wait. It reports false when the crawl is
// complete, the run stopped, or it reached its page limit.
func (q *sharedQueue) pop() (item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		switch {
		case q.closed:
			return item{}, false
		case len(q.buf) > 0:
			if q.limit > 0 && q.popped >= q.limit {
				q.limited = true
				q.closed = true
				q.cond.Broadcast()
				return item{}, false
			}
			it := q.buf[0]
			q.buf[0] = item{}
			q.buf = q.buf[1:]
			q.popped++
			it.batch = &batch{}
			return it, true
		case q.leasing:
			q.cond.Wait()
			continue
		}
		q.leasing = true
		q.mu.Unlock()
		urls, over, err := q.fill()
		q.mu.Lock()
		q.leasing = false
		q.cond.Broadcast()
		if err != nil {
			q.mu.Unlock()
			q.r.stop(err)
			q.mu.Lock()
			return item{}, false
		}
		if over {
			q.closed = true
			return item{}, false
		}
		for _, u := range urls {
			q.held[u.URL] = true
			q.buf = append(q.buf, item{url: u.URL, depth: u.Depth, barren: u.Barren})
		}
	}
}

// fill leases the next URLs, from the run's sites in turn. When none is
// ready it asks whether the crawl is complete (over), rebuilds the
// frontier if it was lost, and otherwise waits, longer each time up to
// Poll, for the URLs other workers will enqueue or release.
func (q *sharedQueue) fill() (urls []folio.FrontierURL, over bool, err error) {
	defer func() {
		if err != nil && q.r.ctx.Err() != nil {
			// Stopped while asking: the run ends as a stopped run does.
			urls, over, err = nil, true, nil
		}
	}()
	wait := 5 * time.Millisecond
	sites := q.r.sites
	for {
		busy := false
		if q.r.ctx.Err() != nil {
			return nil, true, nil
		}
		if q.suspect.Swap(false) {
			if _, lost, err := q.status(q.r.ctx); err != nil {
				return nil, false, err
			} else if lost {
				if err := q.enqueueSeeds(true); err != nil {
					return nil, false, err
				}
			}
		}
		for i := range sites {
			site := sites[(q.next+i)%len(sites)]
			// A process whose share of the site's concurrency is 0 (more
			// workers than places), or not known yet, or that has just
			// joined other workers, only registers: it leases once it
			// may (see joined).
			n := q.n
			if !q.mayLease(site) {
				n = 0
			}
			l, err := q.lease(q.r.ctx, site, n)
			if err != nil {
				return nil, false, err
			}
			if n == 0 && q.mayLease(site) && !l.Lost {
				l, err = q.lease(q.r.ctx, site, q.n)
				if err != nil {
					return nil, false, err
				}
			}
			if l.Lost {
				// Enqueued again, from the seeds and the archive, before
				// the URLs the emptied frontier holds are taken.
				if err := q.enqueueSeeds(true); err != nil {
					return nil, false, err
				}
			}
			urls, busy = l.URLs, busy || l.Busy
			if len(urls) > 0 {
				q.next = (q.next + i + 1) % len(sites)
				return urls, false, nil
			}
		}
		if busy {
			// Workers hold URLs, and may enqueue more: wait, asking
			// Status only once nothing is held, so that an idle worker
			// costs one round trip per poll.
			if err := sleep(q.r.ctx, wait); err != nil {
				return nil, true, nil
			}
			wait = min(2*wait, q.sh.Poll)
			continue
		}
		complete, lost, err := q.status(q.r.ctx)
		switch {
		case err != nil:
			return nil, false, err
		case lost:
			if err := q.enqueueSeeds(true); err != nil {
				return nil, false, err
			}
			continue
		case complete:
			return nil, true, nil
		}
		if err := sleep(q.r.ctx, wait); err != nil {
			return nil, true, nil
		}
		wait = min(2*wait, q.sh.Poll)
	}
}
