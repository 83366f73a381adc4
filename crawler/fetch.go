package crawler

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
)

const maxRedirects = 10

var (
	errBodyTooLarge     = errors.New("body larger than max_body_bytes")
	errRedirectLoop     = errors.New("redirect loop")
	errTooManyRedirects = errors.New("too many redirects")
	errNoResponse       = errors.New("no response")
)

// fetchResult is the outcome of fetching one URL, retries done.
type fetchResult struct {
	status       int
	header       http.Header
	body         []byte
	final        *url.URL // after redirects
	fetchedAt    time.Time
	rejectedType string // a Content-Type the crawler does not read; body not downloaded
	err          error  // no usable response
}

// attempt carries one request's outcome out of colly's callbacks.
type attempt struct {
	resp         *colly.Response
	anyType      bool // robots.txt: read whatever its type
	tooLarge     bool
	rejectedType string
}

const attemptKey = "folio.attempt"

// newCollector builds the colly collector of a run. colly fetches (one
// synchronous Request per frontier item, from the run's workers) and decodes
// charsets named by Content-Type; the crawler keeps scope, dedup, politeness
// and robots.txt to itself:
//   - colly's visited set is off (AllowURLRevisit): State is the dedup, and
//     retries must be able to fetch a URL again;
//   - colly's robots.txt check stays off: it can fetch robots.txt several
//     times when workers start together, and exposes neither Crawl-delay nor
//     Sitemap lines, which the crawler needs (see loadRobots);
//   - error statuses reach OnResponse (ParseHTTPErrorResponse), because
//     304, 429 and 503 are decisions, not failures;
//   - bodies are decoded (gzip, x-gzip, deflate, a .xml.gz file) by the
//     client's transport, below colly, which caps the decoded bytes at
//     MaxBodyBytes, and cuts robots.txt at 500 KiB (see cappedTransport);
//     colly's own cap is off;
//   - every dial goes through the run's dialPolicy.
//
// maxResponseHeaderBytes caps the header block of every response.
const maxResponseHeaderBytes = 1 << 20

func (r *run) newCollector(policy *dialPolicy) (*colly.Collector, *http.Transport) {
	o := r.c.opts
	dialer := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		DialContext:           policy.dialContext(dialer),
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   o.Concurrency + 2,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   o.ConnectTimeout,
		ResponseHeaderTimeout: o.Timeout,
		ExpectContinueTimeout: time.Second,
		// Go's default is 10 MB per response; no real page needs more
		// than a few KiB, and a hostile server should not cost more.
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
	}
	jar, _ := cookiejar.New(nil)
	col := colly.NewCollector(
		colly.UserAgent(o.UserAgent),
		// The client's transport caps bodies (cappedTransport).
		colly.MaxBodySize(0),
		colly.AllowURLRevisit(),
		colly.ParseHTTPErrorResponse(),
		// In-flight requests finish when the run is stopped; no new one
		// starts (the politeness gate watches the run's context).
		colly.StdlibContext(context.WithoutCancel(r.ctx)),
	)
	col.SetClient(&http.Client{
		Transport: &cappedTransport{next: transport, max: o.MaxBodyBytes},
		Timeout:   o.Timeout,
		Jar:       jar,
	})
	col.SetRedirectHandler(r.checkRedirect)
	col.OnResponseHeaders(func(resp *colly.Response) {
		a, _ := resp.Ctx.GetAny(attemptKey).(*attempt)
		if a == nil {
			return
		}
		if resp.StatusCode == http.StatusOK && !a.anyType {
			if ct := resp.Headers.Get("Content-Type"); ct != "" && classifyContentType(ct, resp.Request.URL.Path) == kindOther {
				a.rejectedType = ct
				resp.Request.Abort()
				return
			}
		}
		if n, err := strconv.ParseInt(resp.Headers.Get("Content-Length"), 10, 64); err == nil && n > o.MaxBodyBytes && !a.anyType {
			a.tooLarge = true
			resp.Request.Abort()
		}
	})
	col.OnResponse(func(resp *colly.Response) {
		if a, _ := resp.Ctx.GetAny(attemptKey).(*attempt); a != nil {
			a.resp = resp
		}
	})
	return col, transport
}

// checkRedirect decides whether the client follows a redirect: at most
// maxRedirects, no loops, only to hosts in scope and URLs robots.txt allows.
// A redirect it does not follow comes back as a 3xx response, whose target
// is then treated as a link.
func (r *run) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	target := req.URL.String()
	seen := 0
	for _, v := range via {
		if v.URL.String() == target {
			seen++
		}
	}
	// One return to an address already visited is allowed: sites set a
	// cookie that way. A second is a loop.
	if seen >= 2 {
		return errRedirectLoop
	}
	canon, err := Canonicalize(target, nil, r.c.tracking)
	if err != nil {
		return http.ErrUseLastResponse
	}
	u, _ := url.Parse(canon)
	if !r.inScope(u.Host) {
		return http.ErrUseLastResponse
	}
	if !r.c.opts.IgnoreRobots {
		h := r.host(u)
		if !h.robotsLoaded() || !h.allows(u) {
			return http.ErrUseLastResponse
		}
	}
	// Each page is fetched once per run: a redirect to a page this run
	// has handled, or that a worker is fetching, is not followed (an old
	// slug met after its article); following one claims its target for
	// this fetch, so that no worker takes it from the frontier meanwhile.
	// Addresses of the chain itself are left to the loop check.
	origin, err := Canonicalize(via[0].URL.String(), nil, r.c.tracking)
	if err != nil {
		origin = via[0].URL.String()
	}
	if !inChain(via, canon, r.c.tracking) && !r.redirects.holds(origin, canon) {
		prev, ok := r.seen.claimForRedirect(canon)
		if !ok {
			return http.ErrUseLastResponse
		}
		r.redirects.note(origin, canon, prev)
	}
	return nil
}

// redirectClaims are the redirect targets each fetch in progress has
// claimed (see checkRedirect), by the canonical URL fetched.
type redirectClaims struct {
	mu sync.Mutex
	m  map[string][]redirectClaim
}

type redirectClaim struct {
	url  string
	prev uint8 // the target's mark before the claim
}

func (c *redirectClaims) holds(origin, target string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cl := range c.m[origin] {
		if cl.url == target {
			return true
		}
	}
	return false
}

func (c *redirectClaims) note(origin, target string, prev uint8) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string][]redirectClaim{}
	}
	c.m[origin] = append(c.m[origin], redirectClaim{target, prev})
}

// take returns and forgets the claims of the fetch of origin.
func (c *redirectClaims) take(origin string) []redirectClaim {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.m[origin]
	delete(c.m, origin)
	return out
}

// inChain reports whether canon is the canonical form of one of the
// addresses of a redirect chain.
func inChain(via []*http.Request, canon string, tracking []string) bool {
	for _, v := range via {
		if c, err := Canonicalize(v.URL.String(), nil, tracking); err == nil && c == canon {
			return true
		}
	}
	return false
}

// fetch gets rawURL through the host's politeness gate, retrying timeouts,
// connection errors, 5xx and 429 with exponential backoff and jitter, and
// honouring Retry-After. Its error is set only when the run was stopped
// before the fetch could end; failures are in the result.
func (r *run) fetch(h *host, rawURL string, hdr http.Header, anyType bool) (fetchResult, error) {
	return r.fetchPage(h, rawURL, hdr, anyType, false)
}

// fetchPage is fetch, for a URL of the frontier when page is set: in a
// shared crawl, a fetch takes a place among this process's share of the
// host's concurrency, and a page's fails with errNoShare when it has none.
// robots.txt is read whatever the share (a process without one still
// decides what its links may follow): one request more on the host.
func (r *run) fetchPage(h *host, rawURL string, hdr http.Header, anyType, page bool) (fetchResult, error) {
	o := r.c.opts
	places := r.sharedPlaces(h)
	if !page && places != nil {
		share := places
		places = func() int {
			if n := share(); n != 0 {
				return n
			}
			return -1
		}
	}
	for attempt := 1; ; attempt++ {
		if err := h.acquire(r.ctx, r.sharedWait(), places); err != nil {
			return fetchResult{}, err
		}
		start := time.Now()
		res := r.fetchOnce(rawURL, hdr, anyType)
		h.release(time.Since(start))
		r.stats.update(func(s *Stats) { s.Requests++ })

		wait, retry := r.retryWait(h, res, attempt)
		if !retry || attempt > *o.Retries {
			return res, nil
		}
		r.log.Debug("retrying", slog.String("url", rawURL), slog.Int("attempt", attempt), slog.Int("status", res.status),
			slog.Any("err", res.err), slog.Duration("wait", wait))
		if err := sleep(r.ctx, wait); err != nil {
			return fetchResult{}, err
		}
	}
}

// retryWait tells whether res deserves another try, and after how long.
func (r *run) retryWait(h *host, res fetchResult, attempt int) (time.Duration, bool) {
	o := r.c.opts
	if res.err != nil {
		switch errorKind(res.err) {
		case "timeout", "connection":
			return backoff(o.RetryBackoff, attempt), true
		}
		return 0, false
	}
	switch res.status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		if d, ok := retryAfter(res.header, time.Now()); ok {
			if d > o.MaxRetryAfter {
				r.log.Warn("Retry-After too long: giving up", slog.Any("url", res.final), slog.Duration("retry_after", d))
				return 0, false
			}
			// The whole host waits, not only this URL.
			h.pause(time.Now().Add(d))
			return 0, true
		}
		return backoff(o.RetryBackoff, attempt), true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout, http.StatusRequestTimeout:
		return backoff(o.RetryBackoff, attempt), true
	}
	return 0, false
}

func (r *run) fetchOnce(rawURL string, hdr http.Header, anyType bool) fetchResult {
	a := &attempt{anyType: anyType}
	cctx := colly.NewContext()
	cctx.Put(attemptKey, a)
	err := r.collector.Request(http.MethodGet, rawURL, nil, cctx, hdr.Clone())
	now := r.c.opts.Now()
	switch {
	case a.tooLarge:
		return fetchResult{err: fmt.Errorf("fetch %s: %w", rawURL, errBodyTooLarge)}
	case a.rejectedType != "":
		return fetchResult{status: http.StatusOK, rejectedType: a.rejectedType, fetchedAt: now}
	case err != nil:
		return fetchResult{err: fmt.Errorf("fetch %s: %w", rawURL, err)}
	case a.resp == nil:
		return fetchResult{err: fmt.Errorf("fetch %s: %w", rawURL, errNoResponse)}
	case int64(len(a.resp.Body)) > r.c.opts.MaxBodyBytes && !anyType:
		return fetchResult{err: fmt.Errorf("fetch %s: %w", rawURL, errBodyTooLarge)}
	}
	return fetchResult{
		status:    a.resp.StatusCode,
		header:    *a.resp.Headers,
		body:      a.resp.Body,
		final:     a.resp.Request.URL,
		fetchedAt: now,
	}
}

// seenCacheSize bounds the run's seenCache; tests make it tiny to show that
// the crawl does not depend on it.
var seenCacheSize = 1 << 18

// seenCache remembers, within a run, URLs already enqueued or ruled out, so
// that the links repeated on every page (menus, sidebars) do not each cost
// a State call, and which of them a worker has claimed (taken to fetch, or
// handled as the target of a redirect), so that none is fetched twice in a
// run. It is bounded: when full it is emptied, and State, the source of
// truth, answers again; a URL claimed before the emptying may then be
// fetched once more, never lost.
type seenCache struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64]uint8
	max  int
}

const (
	markSeen    uint8 = 1
	markClaimed uint8 = 2
	// markRedirect: claimed by a fetch following a redirect, which has
	// not ended yet.
	markRedirect uint8 = 3
)

func newSeenCache(max int) *seenCache {
	return &seenCache{seed: maphash.MakeSeed(), m: map[uint64]uint8{}, max: max}
}

// has reports whether s is known to the run: enqueued, ruled out or
// handled. A URL only being reached through a redirect is not, so that a
// link to it is still queued: the redirect may fail.
func (c *seenCache) has(s string) bool {
	k := maphash.String(c.seed, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.m[k]
	return m != 0 && m != markRedirect
}

// add marks s as seen (a claimed URL stays claimed).
func (c *seenCache) add(s string) {
	k := maphash.String(c.seed, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[k] != 0 {
		return
	}
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = markSeen
}

// reset forgets every URL: the crawl's shared state was lost, and the
// URLs this process saw must be enqueued again.
func (c *seenCache) reset() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}

// claim marks s as claimed and reports whether it was not already.
func (c *seenCache) claim(s string) bool {
	k := maphash.String(c.seed, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m[k] == markClaimed || c.m[k] == markRedirect {
		return false
	}
	if _, ok := c.m[k]; !ok && len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = markClaimed
	return true
}

func (c *seenCache) claimed(s string) bool {
	k := maphash.String(c.seed, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k] == markClaimed || c.m[k] == markRedirect
}

// popClaim is claim for a URL taken from the frontier. It reports
// markClaimed when another worker has handled the URL, markRedirect when a
// fetch following a redirect to it is under way (the caller tries again
// later), and 0 when the URL is now the caller's.
func (c *seenCache) popClaim(s string) uint8 {
	k := maphash.String(c.seed, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch m := c.m[k]; m {
	case markClaimed, markRedirect:
		return m
	case 0:
		if len(c.m) >= c.max {
			clear(c.m)
		}
	}
	c.m[k] = markClaimed
	return 0
}

// claimForRedirect claims s for a fetch following a redirect to it,
// returning its mark before; it fails when s is claimed already.
func (c *seenCache) claimForRedirect(s string) (prev uint8, ok bool) {
	k := maphash.String(c.seed, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	prev = c.m[k]
	if prev == markClaimed || prev == markRedirect {
		return prev, false
	}
	if prev == 0 && len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = markRedirect
	return prev, true
}

// settle ends a redirect claim on s: handled, s is claimed for good;
// otherwise it gets its mark back, and a worker may take it.
func (c *seenCache) settle(s string, prev uint8, handled bool) {
	k := maphash.String(c.seed, s)
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case handled:
		c.m[k] = markClaimed
	case prev == 0:
		delete(c.m, k)
	default:
		c.m[k] = prev
	}
}

func (c *seenCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
