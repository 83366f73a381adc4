package crawler

import (
	"maps"
	"sync"
	"time"
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
	// Skipped counts URLs not fetched or not handed on by rule; its reasons
	// are in SkippedByReason: robots, scope, attachment (by extension or
	// Content-Type), depth, trap, feed (per-post comment feeds),
	// url_too_long, duplicate (redirected to a page already handled, or
	// taken from the frontier after a redirect to it was handled),
	// redirect (a redirect left to scope and robots to judge), not_followed
	// (2xx other than 200 and 203), no_sitemap (/wp-sitemap.xml or
	// /sitemap.xml tried on a host that has none), canonical (a page whose
	// rel=canonical names another page of the crawl, fetched instead),
	// noindex (a page that asks robots not to index it), nofollow (links of
	// a nofollow page, or marked rel="nofollow", once per page), not_due (an
	// archived article of a site without validators, not fetched: see
	// Recheck).
	Skipped         int
	SkippedByReason map[string]int
	// Errors counts URLs that failed after their retries; ErrorsByKind by
	// kind: timeout, connection, status_NNN, body_too_large, redirect_loop,
	// too_many_redirects, blocked_address, bad_feed, charset.
	Errors       int
	ErrorsByKind map[string]int
	// Queued is the number of URLs waiting in the frontier.
	Queued int
	// Waiting is the number of hosts on which no request may start for
	// another waitingAfter or more: a long Crawl-delay or a Retry-After.
	// While there are any, OnProgress is called every second too.
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
		s:     Stats{SkippedByReason: map[string]int{}, ErrorsByKind: map[string]int{}},
		start: time.Now(),
	}
}

func (c *statsCounter) update(f func(*Stats)) {
	c.mu.Lock()
	f(&c.s)
	c.mu.Unlock()
}

func (c *statsCounter) skip(reason string) {
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
