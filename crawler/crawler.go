package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"folio"
)

// Crawler fetches the pages of sites politely and hands each HTML page on.
// Build it with New; a Crawler runs one crawl at a time.
type Crawler struct {
	opts     Options
	state    State
	log      *slog.Logger
	tracking []string
	allowed  []string // normalised AllowedHosts
	// robotsName is the crawler's name in robots directives: the product
	// token of its User-Agent, lower-cased ("folio").
	robotsName string
}

// New checks opts (after filling defaults) and returns a Crawler that keeps
// its crawl state in st. A nil st means NewMemState(); a nil logger
// discards logs.
func New(opts Options, st State, logger *slog.Logger) (*Crawler, error) {
	opts = opts.WithDefaults()
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("crawler options: %w", err)
	}
	if st == nil {
		st = NewMemState()
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Crawler{
		opts:     opts,
		state:    st,
		log:      logger,
		tracking: append(DefaultTrackingParams(), opts.TrackingParams...),
	}
	for _, h := range opts.AllowedHosts {
		key, _ := normaliseHost(h) // checked by Validate
		c.allowed = append(c.allowed, key)
	}
	c.robotsName = strings.ToLower(strings.TrimSpace(opts.UserAgent))
	if i := strings.IndexAny(c.robotsName, "/ ("); i >= 0 {
		c.robotsName = c.robotsName[:i]
	}
	return c, nil
}

// Run crawls from seeds and calls onPage for every HTML page fetched with
// status 200 (body decoded to UTF-8, URL canonical after redirects). It
// stays on the hosts of the seeds and Options.AllowedHosts, obeys
// robots.txt, follows every link in scope (pagination, archives,
// previous-post links, feeds and sitemaps, robots.txt Sitemap lines) and
// fetches each canonical URL once: State.Enqueue is the dedup.
//
// Each page is handed on once per run. An address met after the page it
// redirects to was handed on (an old slug found late) is not fetched again:
// onPage receives it as an alias, a Page whose URL is the canonical target,
// RequestedURL the address, and whose Header and Body are nil.
//
// onPage may be called from several goroutines at once. A URL is marked
// done in State only after onPage returns for it, so a crawl killed at any
// moment loses nothing: the next Run with the same State resumes from
// State.Frontier. When the crawl completes, Run calls State.Finish for each
// site, and the next Run starts afresh from its seeds, fetching archived
// pages conditionally, or, for a site that sent no validators, when
// Options.Recheck says they are due.
//
// A page whose rel=canonical names another page of the crawl, or that asks
// robots not to index it, is fetched but not handed on (see
// canonicalElsewhere and robotsDirectives); Options.IgnoreRobots turns the
// latter off.
//
// When ctx ends, Run sends no new request, lets pages in flight finish, and
// returns the counts so far with ctx.Err(). Page failures are counted in
// Stats, not returned; Run returns an error only for bad seeds, a failing
// State or a stopped ctx. A run stopped by MaxPages returns no error and
// leaves its frontier for the next run.
func (c *Crawler) Run(ctx context.Context, seeds []string, onPage func(folio.Page)) (Stats, error) {
	if onPage == nil {
		onPage = func(folio.Page) {}
	}
	return c.RunStore(ctx, seeds, RunOptions{}, func(p folio.Page) error {
		onPage(p)
		return nil
	})
}

// RunStore is Run for a caller that stores what it is handed, run as ro
// asks (Run runs with the zero RunOptions): a page is
// marked done only once store has returned nil for it, so that a page
// whose record is not durable is fetched again by the next run. store may
// return before the record is durable if the record becomes durable no
// later than the State's writes the crawler makes after store returns (the
// archive queues both in one order). An error
// from store stops the run, as a failing State does (a full disk fails
// every page after it), and Run returns it; the page, and every page not
// stored yet, stays in the frontier.
func (c *Crawler) RunStore(ctx context.Context, seeds []string, ro RunOptions, store func(folio.Page) error) (Stats, error) {
	r, err := c.newRun(ctx, seeds, ro, store)
	if err != nil {
		return Stats{}, err
	}
	defer r.close()
	return r.crawl(seeds)
}

// run is the state of one Run.
type run struct {
	c        *Crawler
	ro       RunOptions
	ctx      context.Context // the caller's: its end stops the run
	stateCtx context.Context // for bookkeeping that must outlive a stop
	onPage   func(folio.Page) error
	log      *slog.Logger

	collector *colly.Collector
	transport *http.Transport
	scope     map[string]bool
	sites     []string

	hostsMu sync.Mutex
	hosts   map[string]*host

	frontier workQueue
	// shared is the frontier itself in a crawl shared with other
	// processes (RunOptions.Shared), nil otherwise.
	shared    *sharedQueue
	traps     *trapGuard
	stats     *statsCounter
	seen      *seenCache
	redirects redirectClaims
	// hints are what the run's feeds and sitemaps said of the pages they
	// list (see Recheck).
	hints *hintTable
	// seeds notes what became of the start URLs: a run whose start URLs
	// all failed ends in a *StartURLsError.
	seeds *seedTracker
	// probes are the conventional sitemap addresses of the seeds' hosts,
	// tried once per run; their absence is not an error.
	probes []string

	canonMu    sync.Mutex
	canonCache map[string]string // link as written → canonical, "" if none

	progressMu sync.Mutex
	fatalMu    sync.Mutex
	fatal      error
}

func (c *Crawler) newRun(ctx context.Context, seeds []string, ro RunOptions, onPage func(folio.Page) error) (*run, error) {
	if len(seeds) == 0 {
		return nil, errors.New("crawl: no start URL")
	}
	if onPage == nil {
		onPage = func(folio.Page) error { return nil }
	}
	r := &run{
		c:        c,
		ro:       ro,
		ctx:      ctx,
		stateCtx: context.WithoutCancel(ctx),
		onPage:   onPage,
		log:      c.log,
		scope:    map[string]bool{},
		hosts:    map[string]*host{},
		frontier: newFrontier(c.opts.MaxPages),
		traps:    newTrapGuard(c.opts),
		stats:    newStatsCounter(),
		seen:     newSeenCache(seenCacheSize),
		hints:    newHintTable(hintTableSize),
		seeds:    newSeedTracker(),

		canonCache: map[string]string{},
	}
	var seedURLs []*url.URL
	for _, s := range seeds {
		canon, err := Canonicalize(s, nil, c.tracking)
		if err != nil {
			return nil, fmt.Errorf("crawl: start URL: %w", err)
		}
		u, _ := url.Parse(canon)
		r.scope[u.Host] = true
		seedURLs = append(seedURLs, u)
		for _, p := range sitemapProbes {
			if probe := u.Scheme + "://" + u.Host + p; !slices.Contains(r.probes, probe) {
				r.probes = append(r.probes, probe)
			}
		}
	}
	for _, h := range c.allowed {
		r.scope[h] = true
	}
	for h := range r.scope {
		if site := folio.SiteOf("http://" + h + "/"); !slices.Contains(r.sites, site) {
			r.sites = append(r.sites, site)
		}
	}
	slices.Sort(r.sites)
	if ro.Shared != nil {
		if ro.Shared.Frontier == nil {
			return nil, errors.New("crawl: shared crawl without a frontier")
		}
		r.shared = newSharedQueue(r, *ro.Shared)
		r.frontier = r.shared
	}
	r.collector, r.transport = r.newCollector(newDialPolicy(c.opts.AllowPrivate, seedURLs))
	return r, nil
}

func (r *run) close() {
	r.transport.CloseIdleConnections()
}

func (r *run) crawl(seeds []string) (Stats, error) {
	if r.shared != nil {
		return r.crawlShared(seeds)
	}
	for _, site := range r.sites {
		pending, err := r.c.state.Frontier(r.ctx, site)
		if err != nil {
			return r.snapshot(), fmt.Errorf("crawl: read frontier of %s: %w", site, err)
		}
		if len(pending) > 0 {
			r.log.Info("resuming crawl", slog.String("site", site), slog.Int("pending", len(pending)))
		}
		for _, p := range pending {
			r.seen.add(p.URL)
			r.frontier.push(item{url: p.URL, depth: p.Depth})
		}
	}
	for _, s := range seeds {
		canon, _ := Canonicalize(s, nil, r.c.tracking)
		added, err := r.c.state.Enqueue(r.ctx, folio.SiteOf(canon), canon, 0)
		if err != nil {
			return r.snapshot(), fmt.Errorf("crawl: enqueue %s: %w", canon, err)
		}
		r.seen.add(canon)
		if added {
			r.seeds.add(canon)
			r.frontier.push(item{url: canon})
		}
	}
	// Sitemaps at their conventional addresses, besides those robots.txt
	// names: once per run, like any URL.
	for _, p := range r.probes {
		added, err := r.c.state.Enqueue(r.ctx, folio.SiteOf(p), p, 1)
		if err != nil {
			return r.snapshot(), fmt.Errorf("crawl: enqueue %s: %w", p, err)
		}
		r.seen.add(p)
		if added {
			r.frontier.push(item{url: p, depth: 1})
		}
	}
	return r.runWorkers(seeds, r.c.state.Finish)
}

// runWorkers runs the workers until the frontier is done with, then calls
// finish for each site if the crawl completed.
func (r *run) runWorkers(seeds []string, finish func(ctx context.Context, site string) error) (Stats, error) {
	o := r.c.opts
	r.log.Debug("crawl started", slog.Int("seeds", len(seeds)), slog.Int("hosts", len(r.scope)),
		slog.Int("concurrency", o.Concurrency), slog.Duration("delay", *o.Delay))

	stopOnCancel := context.AfterFunc(r.ctx, r.frontier.close)
	defer stopOnCancel()
	workers := min(o.Concurrency*len(r.scope), 256)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(r.work)
	}
	stopTicks := r.tickWhileWaiting()
	wg.Wait()
	stopTicks()

	stats := r.snapshot()
	r.fatalMu.Lock()
	fatal := r.fatal
	r.fatalMu.Unlock()
	switch {
	case fatal != nil:
		return stats, fatal
	case r.ctx.Err() != nil:
		r.log.Info("crawl stopped", slog.Int("fetched", stats.Fetched), slog.Int("pages", stats.Pages), slog.Int("queued", stats.Queued))
		return stats, r.ctx.Err()
	case r.frontier.reachedLimit():
		r.log.Info("crawl reached max_pages; its frontier is kept", slog.Int("max_pages", o.MaxPages), slog.Int("queued", stats.Queued))
		return stats, nil
	}
	for _, site := range r.sites {
		if err := finish(r.stateCtx, site); err != nil {
			return stats, fmt.Errorf("crawl: finish %s: %w", site, err)
		}
	}
	r.log.Debug("crawl finished", slog.Int("fetched", stats.Fetched), slog.Int("pages", stats.Pages),
		slog.Int("not_modified", stats.NotModified), slog.Int("skipped", stats.Skipped),
		slog.Int("errors", stats.Errors), slog.Duration("elapsed", stats.Elapsed))
	// The state is finished all the same, so that the next run starts
	// afresh from the start URLs rather than resuming an empty frontier.
	if err := r.seeds.err(); err != nil {
		return stats, fmt.Errorf("crawl: %w", err)
	}
	return stats, nil
}

func (r *run) work() {
	for {
		it, ok := r.frontier.pop()
		if !ok {
			return
		}
		err := r.process(it)
		if errors.Is(err, errNoShare) {
			// Released by flush, for a worker with a share of the host,
			// and no longer claimed here: it may come back.
			r.seen.settle(it.url, 0, false)
			err = r.shared.flush(it, true)
		} else if r.shared != nil {
			// The page's links and done marks go in one Update, and a
			// URL the run did not end goes back to the shared frontier.
			if ferr := r.shared.flush(it, err != nil); err == nil {
				err = ferr
			}
		}
		r.frontier.done(it)
		if err != nil {
			r.stop(err)
		}
		r.progress()
	}
}

// stop ends the run after a State failure, or notes that ctx ended.
func (r *run) stop(err error) {
	if r.ctx.Err() == nil || !errors.Is(err, r.ctx.Err()) {
		r.fatalMu.Lock()
		if r.fatal == nil {
			r.fatal = err
		}
		r.fatalMu.Unlock()
	}
	r.frontier.close()
}

func (r *run) snapshot() Stats {
	s := r.stats.snapshot(r.frontier.len())
	s.Waiting = r.waitingHosts()
	return s
}

// waitingAfter is how long a host must be held before it counts as
// waiting (Stats.Waiting): longer than the usual delay between requests.
const waitingAfter = 5 * time.Second

// waitingHosts counts the hosts held for waitingAfter or more.
func (r *run) waitingHosts() int {
	r.hostsMu.Lock()
	hosts := slices.Collect(maps.Values(r.hosts))
	r.hostsMu.Unlock()
	now := time.Now()
	n := 0
	for _, h := range hosts {
		h.mu.Lock()
		if h.next.Sub(now) >= waitingAfter {
			n++
		}
		h.mu.Unlock()
	}
	return n
}

// tickWhileWaiting reports progress every second while some host is
// waiting, so that a crawl held by a long Crawl-delay or Retry-After says
// so rather than sitting silent; the returned func stops it.
func (r *run) tickWhileWaiting() (stop func()) {
	if r.ro.OnProgress == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if r.waitingHosts() > 0 {
					r.progress()
				}
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

func (r *run) progress() {
	if r.ro.OnProgress == nil {
		return
	}
	r.progressMu.Lock()
	defer r.progressMu.Unlock()
	r.ro.OnProgress(r.snapshot())
}

func (r *run) inScope(hostKey string) bool { return r.scope[hostKey] }

// host returns the politeness and robots state of a host, creating it on
// first use.
func (r *run) host(u *url.URL) *host {
	r.hostsMu.Lock()
	defer r.hostsMu.Unlock()
	h := r.hosts[u.Host]
	if h == nil {
		h = newHost(u.Host, r.c.opts)
		h.scheme = u.Scheme
		r.hosts[u.Host] = h
	}
	return h
}

// enqueue adds u, found while handling the item whose batch is b, to the
// crawl. In a shared crawl the link joins b, sent when the item ends; it
// is then reported added, as the shared frontier will drop it if not.
func (r *run) enqueue(b *batch, u string, depth, barren int) (bool, error) {
	if r.shared != nil {
		return r.shared.enqueue(b, folio.FrontierURL{URL: u, Depth: depth, Barren: barren})
	}
	added, err := r.c.state.Enqueue(r.stateCtx, folio.SiteOf(u), u, depth)
	if err != nil {
		return false, fmt.Errorf("crawl: enqueue %s: %w", u, err)
	}
	return added, nil
}

// markDone records that u was handled, as part of the item whose batch is
// b.
func (r *run) markDone(b *batch, u string) error {
	if r.shared != nil {
		return r.shared.markDone(b, u)
	}
	if err := r.c.state.Done(r.stateCtx, folio.SiteOf(u), u); err != nil {
		return fmt.Errorf("crawl: mark %s done: %w", u, err)
	}
	return nil
}

// process fetches one URL of the frontier and hands on what it holds. It
// returns an error only when the run must stop: ctx ended before the fetch
// (the URL stays pending) or State failed.
func (r *run) process(it item) error {
	if r.shared != nil && r.shared.noShare(folio.SiteOf(it.url)) {
		// Not even robots.txt: a worker with a share fetches it.
		return errNoShare
	}
	if done, err := r.awaitRedirectClaim(it); done || err != nil {
		return err
	}
	u, h, done, err := r.admit(it)
	if done || err != nil {
		return err
	}
	hdr, done, err := r.requestHeader(it)
	if done || err != nil {
		return err
	}
	res, err := r.fetchPage(h, it.url, hdr, false, true)
	// The redirects this fetch followed claimed their targets; once it is
	// known whether the page was handled, the claims are settled.
	claims := r.redirects.take(it.url)
	handled := false
	defer func() { r.settleClaims(claims, handled) }()
	if err != nil {
		return err
	}
	handled, err = r.handleResponse(it, u, res, claims)
	return err
}

// awaitRedirectClaim looks at what a redirect followed by another worker
// claimed of it.url. done: it needs nothing more now, either handed on
// already as a redirect's target (a duplicate), or put back in the
// frontier while that redirect is followed.
func (r *run) awaitRedirectClaim(it item) (done bool, err error) {
	if it.late {
		// A put-off item was claimed when it was first taken.
		return false, nil
	}
	switch r.seen.popClaim(it.url) {
	case markClaimed:
		// Handed on already, as the target of a redirect, which marked it
		// done. A shared frontier may lease it again after that (its lease
		// ran out first): the lease ends here.
		r.stats.skip(SkipDuplicate)
		if r.shared != nil {
			return true, r.markDone(it.batch, it.url)
		}
		return true, nil
	case markRedirect:
		// A worker is following a redirect to it: its turn comes again
		// once that fetch has ended, handled or not. The wait is bounded,
		// whatever happens to that fetch.
		if it.waits < maxRedirectWaits {
			if err := sleep(r.ctx, redirectWait); err != nil {
				return true, err
			}
			it.waits++
			r.frontier.requeue(it)
			return true, nil
		}
	}
	return false, nil
}

// admit checks that it.url is in scope and allowed by its host's
// robots.txt, which it loads first, and returns the URL parsed and its
// host. done: the URL is skipped, and marked done.
func (r *run) admit(it item) (u *url.URL, h *host, done bool, err error) {
	u, err = url.Parse(it.url)
	if err != nil || !r.inScope(u.Host) {
		// A frontier left by a run with other options.
		r.stats.skip(SkipScope)
		return nil, nil, true, r.markDone(it.batch, it.url)
	}
	h = r.host(u)
	if err := r.loadRobots(h); err != nil {
		return nil, nil, true, err
	}
	if !r.c.opts.IgnoreRobots && !h.allows(u) {
		if cause := h.unavailableCause(); cause != "" {
			r.seeds.note(it.url, cause)
		}
		r.stats.skip(SkipRobots)
		r.log.Debug("disallowed by robots.txt", slog.String("url", it.url))
		return nil, nil, true, r.markDone(it.batch, it.url)
	}
	return u, h, false, nil
}

// requestHeader is the header to fetch it.url with: conditional on what is
// archived of it, unless the run is Full. An archived page of a site
// without validators is fetched only when due: done when it is put off
// until the run knows what changed (with what is archived in it.known),
// or is not due and marked done.
func (r *run) requestHeader(it item) (hdr http.Header, done bool, err error) {
	hdr = http.Header{}
	hdr.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	if r.ro.Full {
		return hdr, false, nil
	}
	known := it.known
	if known == nil {
		a, err := r.archived(it.url)
		if err != nil {
			return nil, true, fmt.Errorf("crawl: read what is archived of %s: %w", it.url, err)
		}
		known = &a
	}
	if known.ETag != "" {
		hdr.Set("If-None-Match", known.ETag)
	}
	if known.LastModified != "" {
		hdr.Set("If-Modified-Since", known.LastModified)
	}
	if onSchedule(*known) && it.depth > 0 {
		// A shared crawl decides at once: its put-off lane would hold
		// leases until every process had read the site's listings.
		if !it.late && r.shared == nil {
			// Decided once the feeds, sitemaps and listings this run
			// reaches have said what changed.
			it.known = known
			r.frontier.putOff(it)
			return nil, true, nil
		}
		why := r.c.opts.Recheck.due(r.c.opts.Now(), it.url, *known, r.hints.get(it.url))
		if why == "" {
			r.stats.skip(SkipNotDue)
			return nil, true, r.markDone(it.batch, it.url)
		}
		r.log.Debug("fetching an archived page again", slog.String("url", it.url), slog.String("why", why))
	}
	return hdr, false, nil
}

// archived asks State what is archived of u. In a shared crawl, whose
// archive is a server of its own too, a failure is tried again as the
// shared frontier's are (Shared.RetryFor): a restart holds the crawl up.
func (r *run) archived(u string) (folio.ArchivedPage, error) {
	if r.shared == nil {
		return r.c.state.Archived(r.stateCtx, u)
	}
	var a folio.ArchivedPage
	err := r.shared.do(r.stateCtx, "read what is archived of "+u, func(ctx context.Context) error {
		var err error
		a, err = r.c.state.Archived(ctx, u)
		return err
	})
	return a, err
}

// settleClaims ends the claims a fetch's redirects made on their targets:
// for good when the page was handled, else giving each its mark back.
func (r *run) settleClaims(claims []redirectClaim, handled bool) {
	for _, c := range claims {
		r.seen.settle(c.url, c.prev, handled)
	}
}

// handleResponse counts and hands on what the fetch of it.url (parsed: u)
// gave, and marks it.url done. handled: a page or a feed was handed on
// or read, under the claims its redirects made.
func (r *run) handleResponse(it item, u *url.URL, res fetchResult, claims []redirectClaim) (handled bool, err error) {
	if res.err != nil {
		kind := errorKind(res.err)
		r.stats.fail(kind)
		r.log.Warn("fetch failed", slog.String("url", it.url), slog.String("kind", kind), slog.Any("err", res.err))
		r.seeds.note(it.url, failureCause(res.err))
		return false, r.markDone(it.batch, it.url)
	}
	r.stats.update(func(s *Stats) { s.Fetched++ })
	if res.status < 400 {
		r.seeds.note(it.url, "")
	}
	switch {
	case res.rejectedType != "":
		r.stats.skip(SkipAttachment)
		r.log.Debug("not a page", slog.String("url", it.url), slog.String("content_type", res.rejectedType))
	case res.status == http.StatusNotModified:
		r.stats.update(func(s *Stats) { s.NotModified++ })
	case res.status >= 300 && res.status < 400:
		if err := r.handleRedirect(it, res); err != nil {
			return false, err
		}
	case res.status == http.StatusOK || res.status == http.StatusNonAuthoritativeInfo:
		var done bool
		handled, done, err = r.handleOK(it, u, res, claims)
		if done || err != nil {
			return handled, err
		}
	case res.status < 300:
		r.stats.skip(SkipNotFollowed)
	case (res.status == http.StatusNotFound || res.status == http.StatusGone) && slices.Contains(r.probes, it.url):
		r.stats.skip(SkipNoSitemap)
	default:
		kind := fmt.Sprintf("status_%d", res.status)
		r.stats.fail(kind)
		r.log.Warn("fetch failed", slog.String("url", it.url), slog.Int("status", res.status))
		r.seeds.note(it.url, fmt.Sprintf("HTTP %d %s", res.status, http.StatusText(res.status)))
	}
	return handled, r.markDone(it.batch, it.url)
}

// handleRedirect deals with a redirect the client did not follow: off the
// crawl's hosts, to a host whose robots.txt is not read yet, or to a page
// this run has already claimed. A claimed target makes it.url an alias of
// it; any other target is treated as a link, so that scope, robots and
// dedup decide.
func (r *run) handleRedirect(it item, res fetchResult) error {
	loc := res.header.Get("Location")
	if target, err := Canonicalize(loc, res.final, r.c.tracking); err == nil && r.seen.claimed(target) {
		r.stats.skip(SkipDuplicate)
		return r.handAlias(it, target, res)
	}
	r.stats.skip(SkipRedirect)
	if loc == "" {
		return nil
	}
	return r.followAll(item{url: it.url, depth: it.depth - 1, barren: it.barren, batch: it.batch}, res.final, []string{loc}, false)
}

// handleOK hands on a page, or reads a feed or sitemap, that answered 200,
// unless the redirects that led to it reached a page another worker
// handles: then it.url is handed on as an alias of that page. done: the
// page and the targets of its redirects are marked done (an HTML page by
// handlePage); otherwise the caller marks it.url done. handled: a page or a
// feed was handed on or read.
func (r *run) handleOK(it item, u *url.URL, res fetchResult, claims []redirectClaim) (handled, done bool, err error) {
	final, owned, err := r.claimTarget(it, res, claims)
	if err != nil {
		return false, true, err
	}
	if !owned {
		r.stats.skip(SkipDuplicate)
		r.log.Debug("redirect to a URL already handled", slog.String("url", it.url), slog.String("target", final))
		return false, false, r.handAlias(it, final, res)
	}
	ct := res.header.Get("Content-Type")
	if ct == "" {
		ct = http.DetectContentType(res.body)
	}
	alsoDone := targetsOf(it, final, claims)
	switch classifyContentType(ct, u.Path) {
	case kindHTML:
		return true, true, r.handlePage(it, res, final, alsoDone)
	case kindXML:
		if err := r.handleXML(it, res); err != nil {
			return true, true, err
		}
		for _, d := range alsoDone {
			if err := r.markDone(it.batch, d); err != nil {
				return true, true, err
			}
		}
		return true, false, nil
	default:
		r.stats.skip(SkipAttachment)
		return false, false, nil
	}
}

// targetsOf returns the targets of the redirects followed from it.url to
// final: they are this page, marked done with it.
func targetsOf(it item, final string, claims []redirectClaim) []string {
	var targets []string
	for _, c := range claims {
		targets = append(targets, c.url)
	}
	if final != it.url && !slices.Contains(targets, final) {
		targets = append(targets, final)
	}
	return targets
}

// handAlias hands on, with neither Header nor Body, an address that
// redirects to target, a page this run has handed on or is fetching: the
// page is not fetched or handed on twice, but the caller learns the address
// as another name of it (an old slug). The Page's Status is the redirect's,
// or 200 when the client followed the redirect before another worker took
// the target.
func (r *run) handAlias(it item, target string, res fetchResult) error {
	err := r.onPage(folio.Page{
		URL:          target,
		RequestedURL: it.url,
		Status:       res.status,
		FetchedAt:    res.fetchedAt,
		Depth:        it.depth,
	})
	if err != nil {
		return fmt.Errorf("crawl: store %s as an address of %s: %w", it.url, target, err)
	}
	return nil
}

// claimTarget decides who handles a response that was redirected: the page
// is its target's, and each target is handled once per run. It returns the
// canonical URL the body was served from (it.url when not redirected) and
// whether this worker handles it: the target was new to the crawl, or only
// waiting in the frontier (the frontier then skips it). A target that is
// done, or claimed by another worker, is not handed on again.
//
// claims are the redirect targets the fetch claimed while following
// redirects (see checkRedirect): the final one among them is this worker's.
func (r *run) claimTarget(it item, res fetchResult, claims []redirectClaim) (string, bool, error) {
	if res.final == nil {
		return it.url, true, nil
	}
	fc, err := Canonicalize(res.final.String(), nil, r.c.tracking)
	if err != nil || fc == it.url {
		return it.url, true, nil
	}
	added, err := r.enqueue(it.batch, fc, it.depth, 0)
	if err != nil {
		return "", false, err
	}
	if slices.ContainsFunc(claims, func(c redirectClaim) bool { return c.url == fc }) {
		return fc, true, nil
	}
	claimed := r.seen.claim(fc)
	return fc, added || claimed, nil
}

// handlePage hands on one HTML page, served from final, after queueing its
// links, then marks it done, and alsoDone with it (the redirects that led
// to it): in that order, a crash at any point loses nothing.
func (r *run) handlePage(it item, res fetchResult, final string, alsoDone []string) error {
	body, err := toUTF8(res.body, res.header.Get("Content-Type"))
	if err != nil {
		r.stats.fail("charset")
		r.log.Warn("undecodable page", slog.String("url", final), slog.Any("err", err))
		for _, u := range alsoDone {
			if err := r.markDone(it.batch, u); err != nil {
				return err
			}
		}
		return r.markDone(it.batch, it.url)
	}
	base, _ := url.Parse(final)
	links := scanHTML(body)
	if links.base != "" {
		if b, err := base.Parse(links.base); err == nil {
			base = b
		}
	}
	follow := links.links
	noindex, nofollow := false, false
	if r.c.opts.IgnoreRobots {
		follow = append(follow, links.nofollow...)
	} else {
		noindex, nofollow = robotsDirectives(links.robots, res.header.Values("X-Robots-Tag"), r.c.robotsName)
		skipped := len(links.nofollow)
		if nofollow {
			skipped, follow = skipped+len(follow), nil
		}
		if skipped > 0 {
			r.stats.update(func(s *Stats) {
				s.Skipped += skipped
				s.SkippedByReason[SkipNofollow] += skipped
			})
		}
	}
	if err := r.followAll(it, base, follow, false); err != nil {
		return err
	}
	switch canonical, err := r.canonicalElsewhere(it, links.canonical, base, final); {
	case err != nil:
		return err
	case canonical != "":
		// Another address of a page this run fetches at its own: the
		// page is archived from there, not from here.
		r.stats.skip(SkipCanonical)
		r.log.Debug("canonical elsewhere", slog.String("url", final), slog.String("canonical", canonical))
	case noindex:
		r.stats.skip(SkipNoindex)
		r.log.Debug("noindex", slog.String("url", final))
	default:
		err := r.onPage(folio.Page{
			URL:          final,
			RequestedURL: it.url,
			Status:       res.status,
			Header:       res.header,
			Body:         body,
			FetchedAt:    res.fetchedAt,
			Depth:        it.depth,
		})
		if err != nil {
			// Not done: the next run fetches it again.
			return fmt.Errorf("crawl: store %s: %w", final, err)
		}
		r.stats.update(func(s *Stats) { s.Pages++ })
		r.log.Debug("page", slog.String("url", final), slog.Int("depth", it.depth))
	}
	for _, u := range alsoDone {
		if err := r.markDone(it.batch, u); err != nil {
			return err
		}
	}
	return r.markDone(it.batch, it.url)
}

// canonicalElsewhere returns the canonical URL a page served from final
// declares (href, resolved against base) when it is another page of the
// crawl, and queues it: a copy of an article (a print version, a comment
// reply form) is not archived under its own address, and its canonical page
// is fetched once instead. A canonical address on another host, out of
// scope or disallowed, or that differs from final only by its scheme (a
// site that says http:// while it serves https://), leaves the page to
// stand for itself: "" is returned.
func (r *run) canonicalElsewhere(it item, href string, base *url.URL, final string) (string, error) {
	depth := it.depth
	if href == "" {
		return "", nil
	}
	c, err := Canonicalize(href, base, r.c.tracking)
	if err != nil || c == final || folio.SiteOf(c) != folio.SiteOf(final) || withoutScheme(c) == withoutScheme(final) {
		return "", nil
	}
	u, _ := url.Parse(c)
	if reason, always := r.ruleOut(u, c, depth); reason != "" && always {
		return "", nil
	}
	added, err := r.enqueue(it.batch, c, depth, 0)
	if err != nil {
		return "", err
	}
	r.seen.add(c)
	if added {
		r.frontier.push(item{url: c, depth: depth})
	}
	return c, nil
}

func withoutScheme(u string) string {
	_, rest, _ := strings.Cut(u, "://")
	return rest
}

// handleXML reads a feed or a sitemap for the links it lists, and notes the
// dates of change it gives them (see Recheck).
func (r *run) handleXML(it item, res fetchResult) error {
	listed, err := parseXML(res.body)
	if err != nil {
		r.stats.fail("bad_feed")
		r.log.Warn("unreadable feed or sitemap", slog.String("url", it.url), slog.Any("err", err))
		return nil
	}
	r.stats.update(func(s *Stats) { s.Feeds++ })
	base, _ := url.Parse(it.url)
	if res.final != nil {
		base = res.final
	}
	var docs, pages []string
	for _, l := range listed {
		if l.index {
			docs = append(docs, l.url)
			continue
		}
		pages = append(pages, l.url)
		if c, err := r.canonicalLink(l.url, base); err == nil {
			r.hints.note(c, l.changed, l.inFeed && l.changed.IsZero())
		}
	}
	if err := r.followAll(it, base, docs, false); err != nil {
		return err
	}
	return r.followAll(it, base, pages, true)
}

// followAll queues the links found on parent that are in scope, allowed and
// new. listed marks the pages a sitemap or a feed lists: the site's own
// account of its pages, which the trap guard does not cap. It returns an
// error only when State fails.
func (r *run) followAll(parent item, base *url.URL, raws []string, listed bool) error {
	type candidate struct {
		s string
		u *url.URL
	}
	depth := parent.depth + 1
	var cands []candidate
	here := make(map[string]bool, len(raws))
	for _, raw := range raws {
		s, err := r.canonicalLink(raw, base)
		if err != nil || here[s] || s == parent.url {
			continue // mailto:, javascript:, tel:, a link to itself...
		}
		here[s] = true
		// In a shared crawl Redis decides what is new (one Update a page,
		// however many links): a worker's memory of what it sent may
		// outlive a Redis that restarted empty before this worker saw it,
		// and links it would hold back there would be lost.
		if r.seen.has(s) && r.shared == nil {
			continue
		}
		u, _ := url.Parse(s)
		if reason, final := r.ruleOut(u, s, depth); reason != "" {
			if final {
				r.seen.add(s)
			}
			r.stats.skip(reason)
			continue
		}
		cands = append(cands, candidate{s, u})
	}
	if len(cands) == 0 {
		return nil
	}
	// See trapGuard for the rule.
	parentPattern := ""
	if pu, err := url.Parse(parent.url); err == nil {
		parentPattern = urlPattern(pu)
	}
	productive, items := listed, 0
	for _, c := range cands {
		if productive {
			break
		}
		switch {
		case r.traps.isFresh(c.u):
			productive = true
		case isItem(c.u, parentPattern):
			items++
			productive = items >= barrenFanout
		}
	}
	barren, budget := 0, len(cands)
	if !productive {
		barren, budget = parent.barren+1, barrenFanout
	}
	for _, c := range cands {
		lookalike := !productive && r.traps.isLookalike(c.u, parentPattern)
		if !listed && (lookalike && (barren > r.c.opts.TrapMaxBarren || budget == 0) || !r.traps.allows(c.u)) {
			r.stats.skip(SkipTrap)
			continue
		}
		added, err := r.enqueue(parent.batch, c.s, depth, barren)
		if err != nil {
			return err
		}
		r.seen.add(c.s)
		if added {
			if lookalike {
				budget--
			}
			r.traps.count(c.u)
			r.frontier.push(item{url: c.s, depth: depth, barren: barren})
		}
	}
	return nil
}

var errNotCanonical = errors.New("no canonical form")

// redirectWait is how long a worker that took from the frontier a URL
// another worker is reaching through a redirect waits before putting it
// back.
const redirectWait = 20 * time.Millisecond

// maxRedirectWaits bounds the waits of one URL (about the default timeout):
// past it, the URL is fetched anyway.
const maxRedirectWaits = 1500

// canonicalLink canonicalises a link found on a page whose base is base.
// The same menus and sidebars are on every page of a site, so the
// canonical forms of links whose meaning does not depend on the page
// (absolute, or relative to the host's root) are remembered.
func (r *run) canonicalLink(raw string, base *url.URL) (string, error) {
	var key string
	switch {
	case strings.HasPrefix(raw, "http://"), strings.HasPrefix(raw, "https://"):
		key = raw
	case strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//"):
		key = base.Scheme + "://" + base.Host + "\x00" + raw
	default:
		return Canonicalize(raw, base, r.c.tracking)
	}
	r.canonMu.Lock()
	s, ok := r.canonCache[key]
	r.canonMu.Unlock()
	if ok {
		if s == "" {
			return "", errNotCanonical
		}
		return s, nil
	}
	s, err := Canonicalize(raw, base, r.c.tracking)
	r.canonMu.Lock()
	if len(r.canonCache) >= 1<<16 {
		clear(r.canonCache)
	}
	r.canonCache[key] = s // "" on error
	r.canonMu.Unlock()
	return s, err
}

// ruleOut tells why a link is not followed, or "" when it may be. final
// reports whether the reason holds wherever the link is found (scope,
// robots...) rather than depending on the page it was found on (depth).
func (r *run) ruleOut(u *url.URL, s string, depth int) (reason SkipReason, final bool) {
	o := r.c.opts
	switch {
	case len(s) > o.MaxURLLength:
		return SkipURLTooLong, true
	case !r.inScope(u.Host):
		return SkipScope, true
	case isAttachmentPath(u.Path):
		return SkipAttachment, true
	case repeatsSegments(u.Path):
		return SkipTrap, true
	case isFeedPath(u.Path) && u.Path != "/feed/" && depth > 1:
		// Feeds are entry points: the site's feed and those a start page
		// lists are read; the comment feed of every post is not.
		return SkipFeed, false
	case o.MaxDepth > 0 && depth > o.MaxDepth:
		return SkipDepth, false
	}
	if !o.IgnoreRobots {
		h := r.host(u)
		if err := r.loadRobots(h); err == nil && !h.allows(u) {
			return SkipRobots, true
		}
	}
	return "", false
}

// loadRobots reads the robots.txt of h, once per run, then follows its
// Sitemap lines. Other workers needing the same host wait for it.
func (r *run) loadRobots(h *host) error {
	if r.c.opts.IgnoreRobots {
		return nil
	}
	loaded := false
	var stopped error
	h.robotsOnce.Do(func() {
		loaded = true
		robotsURL := h.scheme + "://" + h.key + "/robots.txt"
		hdr := http.Header{}
		hdr.Set("Accept", "text/plain,*/*;q=0.5")
		res, err := r.fetch(h, robotsURL, hdr, true)
		r.settleClaims(r.redirects.take(robotsURL), false)
		if err != nil {
			stopped = err
			h.setUnavailable("")
			return
		}
		// RFC 9309: a robots.txt that cannot be fetched, or answers a
		// server error once the retries are spent, means complete
		// disallow; the next run asks again.
		if res.err != nil {
			r.log.Warn("robots.txt unreachable: nothing on this host is fetched in this run",
				slog.String("url", robotsURL), slog.Any("err", res.err))
			h.setUnavailable("robots.txt unreachable: " + failureCause(res.err))
			return
		}
		if res.status >= 500 {
			r.log.Warn("robots.txt answers a server error: nothing on this host is fetched in this run",
				slog.String("url", robotsURL), slog.Int("status", res.status))
			h.setUnavailable(fmt.Sprintf("robots.txt answers HTTP %d %s", res.status, http.StatusText(res.status)))
			return
		}
		if len(res.body) >= robotsMaxBytes {
			r.log.Warn("robots.txt is larger than 500 KiB: only its first 500 KiB are read",
				slog.String("url", robotsURL))
		}
		data, err := robotsFromResponse(res.status, res.body)
		if err != nil || data == nil {
			r.log.Warn("robots.txt unreadable: taken as no rules", slog.String("url", robotsURL), slog.Int("status", res.status), slog.Any("err", err))
			h.setRobots(nil, r.c.opts.UserAgent, r.c.opts.MaxCrawlDelay)
			return
		}
		if asked := h.setRobots(data, r.c.opts.UserAgent, r.c.opts.MaxCrawlDelay); asked > r.c.opts.MaxCrawlDelay {
			r.log.Warn("robots.txt Crawl-delay capped at max_crawl_delay", slog.String("url", robotsURL),
				slog.Duration("crawl_delay", asked), slog.Duration("max_crawl_delay", r.c.opts.MaxCrawlDelay))
		}
		r.log.Debug("robots.txt", slog.String("url", robotsURL), slog.Int("status", res.status),
			slog.Duration("crawl_delay", h.crawlDelay), slog.Int("sitemaps", len(h.sitemaps)))
	})
	if stopped != nil {
		return stopped
	}
	if loaded && len(h.sitemaps) > 0 {
		base, _ := url.Parse(h.scheme + "://" + h.key + "/robots.txt")
		return r.followAll(item{url: base.String()}, base, h.sitemaps, false)
	}
	return nil
}

func errorKind(err error) string {
	var ne interface{ Timeout() bool }
	switch {
	case errors.Is(err, errBodyTooLarge):
		return "body_too_large"
	case errors.Is(err, errRedirectLoop):
		return "redirect_loop"
	case errors.Is(err, errTooManyRedirects):
		return "too_many_redirects"
	case errors.Is(err, errBlockedAddress):
		return "blocked_address"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "connection"
}
