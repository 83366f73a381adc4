package crawler

import (
	"maps"
	"sync"
	"time"
)

// SkipReason says why a URL was not fetched, or not handed on: the keys
// of Stats.SkippedByReason. Its values are part of the run's summary
// (folio crawl --json), so they do not change.
type SkipReason string

// The reasons a URL is skipped.
const (
	SkipRobots     SkipReason = "robots"     // robots.txt disallows it
	SkipScope      SkipReason = "scope"      // off the crawl's hosts
	SkipAttachment SkipReason = "attachment" // not a page, by extension or Content-Type
	SkipDepth      SkipReason = "depth"      // past MaxDepth
	SkipTrap       SkipReason = "trap"       // a path that repeats its segments
	SkipFeed       SkipReason = "feed"       // a per-post comment feed
	SkipURLTooLong SkipReason = "url_too_long"
	// SkipDuplicate: redirected to a page already handled, or taken from
	// the frontier after a redirect to it was handled.
	SkipDuplicate SkipReason = "duplicate"
	// SkipRedirect: a redirect left to scope and robots to judge.
	SkipRedirect SkipReason = "redirect"
	// SkipNotFollowed: a 2xx other than 200 and 203.
	SkipNotFollowed SkipReason = "not_followed"
	// SkipNoSitemap: /wp-sitemap.xml or /sitemap.xml tried on a host that
	// has none.
	SkipNoSitemap SkipReason = "no_sitemap"
	// SkipCanonical: a page whose rel=canonical names another page of the
	// crawl, fetched instead.
	SkipCanonical SkipReason = "canonical"
	// SkipNoindex: a page that asks robots not to index it.
	SkipNoindex SkipReason = "noindex"
	// SkipNofollow: the links of a nofollow page, or marked
	// rel="nofollow", once per page.
	SkipNofollow SkipReason = "nofollow"
	// SkipNotDue: an archived article of a site without validators, not
	// fetched (see Recheck).
	SkipNotDue SkipReason = "not_due"
)

// Stats counts what a run did. Every URL taken from the frontier ends in
// one of Pages, NotModified, Feeds, Skipped or Errors (or stays pending when
// the run is stopped). Links not followed are counted in Skipped too: once
// per URL when the reason holds wherever the link is (scope, robots,
// attachment), once per page showing it otherwise (depth, trap, feed).
type Stats struct {
	// Requests is the number of HTTP requests sent, retries and robots.txt
	// included.
	Requests int
	// Fetched is the number of URLs whose fetch ended with an HTTP response,
	// whatever its status.
	Fetched int
	// NotModified is the number of conditional fetches answered 304: pages
	// unchanged since they were archived, not handed on.
	NotModified int
	// Pages is the number of HTML pages handed to onPage.
	Pages int
	// Feeds is the number of feeds and sitemaps read for links.
	Feeds int
	// Skipped counts URLs not fetched or not handed on by rule;
	// SkippedByReason splits them by SkipReason.
	Skipped         int
	SkippedByReason map[SkipReason]int
	// Errors counts URLs that failed after their retries; ErrorsByKind by
	// kind: timeout, connection, status_NNN, body_too_large, redirect_loop,
	// too_many_redirects, blocked_address, bad_feed, charset.
	Errors       int
	ErrorsByKind map[string]int
	// Queued is the number of URLs waiting in the frontier.
	Queued int
	// Waiting is the number of hosts on which no request may start for
	// another waitingAfter or more: a long Crawl-delay or a Retry-After.
	// While there are any, RunOptions.OnProgress is called every second too.
	Waiting int
	// Elapsed is the wall time of the run so far.
	Elapsed time.Duration
}

// statsCounter is Stats behind a mutex, shared by the workers of a run.
type statsCounter struct {
	mu    sync.Mutex
	s     Stats
	start time.Time
}

func newStatsCounter() *statsCounter {
	return &statsCounter{
		s:     Stats{SkippedByReason: map[SkipReason]int{}, ErrorsByKind: map[string]int{}},
		start: time.Now(),
	}
}

func (c *statsCounter) update(f func(*Stats)) {
	c.mu.Lock()
	f(&c.s)
	c.mu.Unlock()
}

func (c *statsCounter) skip(reason SkipReason) {
	c.update(func(s *Stats) {
		s.Skipped++
		s.SkippedByReason[reason]++
	})
}

func (c *statsCounter) fail(kind string) {
	c.update(func(s *Stats) {
		s.Errors++
		s.ErrorsByKind[kind]++
	})
}

func (c *statsCounter) snapshot(queued int) Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.s
	s.SkippedByReason = maps.Clone(c.s.SkippedByReason)
	s.ErrorsByKind = maps.Clone(c.s.ErrorsByKind)
	s.Queued = queued
	s.Elapsed = time.Since(c.start)
	return s
}
