package crawler

import (
	"context"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"folio"
	"folio/internal/testsite/wpsite"
)

// The tests below crawl the fixture site with one fault mode on and hold
// the crawl to the site's counters, one behaviour each.

// wpCrawl serves a fixture site with opts, crawls it from its home page
// and closes the server (which waits for its handlers, so that the
// counters are final).
func wpCrawl(t *testing.T, opts wpsite.Options, copts Options) (*wpsite.Site, string, Stats, *pageSink) {
	t.Helper()
	site := wpsite.New(opts)
	srv := httptest.NewServer(site)
	defer srv.Close()
	stats, sink := runCrawl(t, copts, NewMemState(), srv.URL+"/")
	return site, srv.URL, stats, sink
}

// TestWPEveryArticleOnceDespiteFaults: with every fault on (the slow page
// aside), each article is fetched with a 200 exactly once and handed on
// once, whatever links, redirects and retries lead to it.
func TestWPEveryArticleOnceDespiteFaults(t *testing.T) {
	t.Parallel()
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.AllFaults &^ wpsite.FaultSlow}, fastOptions())
	for _, p := range site.ArticlePaths() {
		if n := site.Answered(p, http.StatusOK); n != 1 {
			t.Errorf("%s answered 200 %d times, want 1", p, n)
		}
		if n := sink.count[base+p]; n < 1 {
			t.Errorf("%s not handed on", p)
		}
	}
	for u := range sink.count {
		if page, _ := sink.get(u); page.Body != nil && countFull(sink, u) != 1 {
			t.Errorf("%s handed on %d times with a body", u, countFull(sink, u))
		}
	}
	if n := site.RequestsWithPrefix(wpsite.DisallowedPrefix); n != 0 {
		t.Errorf("robots-disallowed section requested %d times", n)
	}
	// Failures: the loop, three dead links and the huge page.
	want := map[string]int{"redirect_loop": 1, "status_404": 3, "body_too_large": 1}
	if !mapsEqual(stats.ErrorsByKind, want) {
		t.Errorf("ErrorsByKind = %v, want %v", stats.ErrorsByKind, want)
	}
	t.Logf("requests %d (site saw %d), pages %d, feeds %d, skipped %v, errors %v, elapsed %s",
		stats.Requests, site.TotalRequests(), stats.Pages, stats.Feeds, stats.SkippedByReason, stats.ErrorsByKind, stats.Elapsed)
}

func countFull(sink *pageSink, u string) int {
	sink.mu.Lock()
	defer sink.mu.Unlock()
	n := 0
	for _, p := range sink.pages {
		if p.URL == u && p.Body != nil {
			n++
		}
	}
	return n
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestWPRetriesServerErrors(t *testing.T) {
	t.Parallel()
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultFlaky}, fastOptions())
	flaky := site.Faults().Flaky
	if len(flaky) != 3 {
		t.Fatalf("%d flaky articles", len(flaky))
	}
	for _, p := range flaky {
		if site.Answered(p, http.StatusInternalServerError) != 1 || site.Answered(p, http.StatusOK) != 1 || site.Requests(p) != 2 {
			t.Errorf("%s: %d requests, %d answered 500, %d answered 200; want 2, 1, 1",
				p, site.Requests(p), site.Answered(p, 500), site.Answered(p, 200))
		}
		if sink.count[base+p] != 1 {
			t.Errorf("%s handed on %d times after its retry", p, sink.count[base+p])
		}
	}
	if stats.Errors != 0 {
		t.Errorf("errors %v: a retried page is not a failure", stats.ErrorsByKind)
	}
}

func TestWPHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultBusy}, fastOptions())
	p := site.Faults().Busy[0]
	times := site.RequestTimes(p)
	if len(times) != 2 || site.Answered(p, http.StatusTooManyRequests) != 1 {
		t.Fatalf("%s: %d requests, %d answered 429; want 2 and 1", p, len(times), site.Answered(p, 429))
	}
	if gap := times[1].Sub(times[0]); gap < wpsite.BusyRetryAfter*time.Second {
		t.Errorf("asked again after %s, want at least the Retry-After of %ds", gap, wpsite.BusyRetryAfter)
	}
	if sink.count[base+p] != 1 || stats.Errors != 0 {
		t.Errorf("handed on %d times, errors %v", sink.count[base+p], stats.ErrorsByKind)
	}
}

func TestWPSlowPage(t *testing.T) {
	t.Parallel()
	t.Run("within the timeout", func(t *testing.T) {
		opts := fastOptions()
		opts.Timeout = 10 * wpsite.SlowDelay // room for a loaded machine
		site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultSlow}, opts)
		p := site.Faults().Slow[0]
		if site.Requests(p) != 1 || sink.count[base+p] != 1 || stats.Errors != 0 {
			t.Errorf("slow page: %d requests, handed on %d times, errors %v; want 1, 1, none",
				site.Requests(p), sink.count[base+p], stats.ErrorsByKind)
		}
		if stats.Elapsed < wpsite.SlowDelay {
			t.Errorf("crawl took %s, less than the slow page's %s", stats.Elapsed, wpsite.SlowDelay)
		}
	})
	t.Run("beyond the timeout", func(t *testing.T) {
		opts := fastOptions()
		opts.Timeout = wpsite.SlowDelay / 2
		opts.Retries = ptr(1)
		site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultSlow}, opts)
		p := site.Faults().Slow[0]
		// At least one timeout: on a loaded machine another page may miss
		// the deadline too.
		if site.Requests(p) != 2 || sink.count[base+p] != 0 || stats.ErrorsByKind["timeout"] < 1 {
			t.Errorf("slow page: %d requests, handed on %d times, errors %v; want 2 (one retry), 0, one timeout",
				site.Requests(p), sink.count[base+p], stats.ErrorsByKind)
		}
	})
}

// TestWPOldSlugs: an old address of an article leads to the article, which
// is fetched once; the page or, when the article was handled first, an
// alias carries the old address as RequestedURL.
func TestWPOldSlugs(t *testing.T) {
	t.Parallel()
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultOldSlugs}, fastOptions())
	for old, current := range site.Faults().OldSlugs {
		if site.Requests(old) != 1 || site.Answered(current, http.StatusOK) != 1 {
			t.Errorf("%s requested %d times, its article answered 200 %d times; want 1 and 1",
				old, site.Requests(old), site.Answered(current, 200))
		}
		found := false
		sink.mu.Lock()
		for _, p := range sink.pages {
			if p.URL == base+current && p.RequestedURL == base+old {
				found = true
			}
		}
		sink.mu.Unlock()
		if !found {
			t.Errorf("no page or alias of %s was handed on with RequestedURL %s", current, old)
		}
	}
	if stats.Errors != 0 {
		t.Errorf("errors %v", stats.ErrorsByKind)
	}
}

func TestWPRedirectLoop(t *testing.T) {
	t.Parallel()
	site, _, stats, _ := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultRedirectLoop}, fastOptions())
	loop := site.Faults().RedirectLoop
	if stats.ErrorsByKind["redirect_loop"] != 1 || stats.Errors != 1 {
		t.Errorf("ErrorsByKind = %v, want redirect_loop: 1", stats.ErrorsByKind)
	}
	// The loop check allows one return to an address (cookie redirects),
	// and a loop is not retried.
	if n := site.Requests(loop[0]) + site.Requests(loop[1]); n > 4 {
		t.Errorf("the loop cost %d requests, want at most 4", n)
	}
}

func TestWPDeadLinks(t *testing.T) {
	t.Parallel()
	site, _, stats, _ := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultBrokenLinks}, fastOptions())
	for _, p := range site.Faults().BrokenLinks {
		if site.Requests(p) != 1 {
			t.Errorf("dead link %s requested %d times, want 1 (a 404 is not retried)", p, site.Requests(p))
		}
	}
	if stats.ErrorsByKind["status_404"] != 3 || stats.Errors != 3 {
		t.Errorf("ErrorsByKind = %v, want status_404: 3", stats.ErrorsByKind)
	}
}

// TestWPLatin1Page: the page is handed on in UTF-8, with the text of its
// ground truth (internal/job holds the extracted record to it too).
func TestWPLatin1Page(t *testing.T) {
	t.Parallel()
	site, base, _, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultLatin1}, fastOptions())
	p := site.Faults().Latin1[0]
	page, ok := sink.get(base + p)
	if !ok {
		t.Fatalf("Latin-1 page %s not handed on", p)
	}
	if !utf8.Valid(page.Body) {
		t.Fatal("the Latin-1 page was handed on undecoded")
	}
	text := folio.FoldSpace(html.UnescapeString(string(page.Body)))
	for _, want := range groundTruth(site, base, p) {
		if !strings.Contains(text, want) {
			t.Errorf("decoded page lacks %.60q…", want)
		}
	}
}

// groundTruth returns the title and the paragraphs of the article at path,
// white space folded.
func groundTruth(site *wpsite.Site, base, path string) []string {
	for _, a := range site.Expected(base) {
		if a.URL == base+path {
			out := []string{folio.FoldSpace(a.Title)}
			for _, para := range strings.Split(a.Body, "\n\n") {
				out = append(out, folio.FoldSpace(para))
			}
			return out
		}
	}
	return nil
}

// TestWPBrokenHTML: a page with broken markup is handed on, and its links
// (the previous post) are followed.
func TestWPBrokenHTML(t *testing.T) {
	t.Parallel()
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultBrokenHTML}, fastOptions())
	p := site.Faults().BrokenHTML[0]
	if _, ok := sink.get(base + p); !ok || stats.Errors != 0 {
		t.Fatalf("broken page handed on: %v; errors %v", ok, stats.ErrorsByKind)
	}
	expected := site.Expected(base)
	for i, a := range expected {
		if a.URL == base+p && i+1 < len(expected) {
			prev := strings.TrimPrefix(a.Previous.URL, base)
			if site.Requests(prev) != 1 {
				t.Errorf("previous post %s of the broken page requested %d times", prev, site.Requests(prev))
			}
		}
	}
}

func TestWPCalendarTrap(t *testing.T) {
	t.Parallel()
	site, _, stats, _ := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultCalendar}, fastOptions())
	n := site.RequestsWithPrefix(wpsite.CalendarPath)
	if n == 0 || n > 50 {
		t.Errorf("the infinite calendar cost %d requests, want 1 to 50", n)
	}
	if stats.SkippedByReason["trap"] == 0 {
		t.Errorf("SkippedByReason = %v, want the calendar's months counted as traps", stats.SkippedByReason)
	}
	t.Logf("calendar: %d requests", n)
}

func TestWPTrackingParamsAndFragments(t *testing.T) {
	t.Parallel()
	site, base, _, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultTracking}, fastOptions())
	for link, p := range site.Faults().Tracking {
		if site.Requests(p) != 1 || sink.count[base+p] != 1 {
			t.Errorf("%s (linked as %s): %d requests, handed on %d times; want 1 and 1", p, link, site.Requests(p), sink.count[base+p])
		}
	}
	for u := range sink.count {
		if strings.ContainsAny(u, "#") || strings.Contains(u, "utm_") || strings.Contains(u, "fbclid") {
			t.Errorf("handed on %s", u)
		}
	}
}

// TestWPExternalLinksAndAttachments: nothing reaches the other host, files
// linked by extension are never requested, and the one without extension is
// dropped on its Content-Type, its body left unread.
func TestWPExternalLinksAndAttachments(t *testing.T) {
	t.Parallel()
	var partnerHits atomic.Int64
	partner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		partnerHits.Add(1)
		fmt.Fprint(w, "<html><body>partenaire</body></html>")
	}))
	defer partner.Close()
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultExternal, PartnerURL: partner.URL}, fastOptions())
	if n := partnerHits.Load(); n != 0 {
		t.Errorf("the other host received %d requests", n)
	}
	att := site.Faults().Attachments
	for _, p := range att[:2] {
		if site.Requests(p) != 0 {
			t.Errorf("attachment %s requested %d times", p, site.Requests(p))
		}
	}
	download := att[2]
	if site.Requests(download) > 1 || site.BytesServed(download) > wpsite.DownloadBytes/2 {
		t.Errorf("extensionless PDF: %d requests, %d of its %d bytes sent; want its body left unread",
			site.Requests(download), site.BytesServed(download), wpsite.DownloadBytes)
	}
	if _, ok := sink.get(base + download); ok {
		t.Error("the PDF was handed on as a page")
	}
	if stats.SkippedByReason["attachment"] != 3 || stats.SkippedByReason["scope"] == 0 {
		t.Errorf("SkippedByReason = %v, want 3 attachments and links out of scope", stats.SkippedByReason)
	}
	t.Logf("extensionless PDF: %d bytes sent of %d", site.BytesServed(download), wpsite.DownloadBytes)
}

// TestWPHugePage: the 50 MB page is cut at the body cap; the site sends the
// cap and what socket buffers hold, not the page.
func TestWPHugePage(t *testing.T) {
	t.Parallel()
	// What the socket buffers take in before the server sees the
	// connection close: the receive buffer grows with fast reads (Linux
	// lets it reach tcp_rmem's maximum, often 6 to 32 MiB), so measured
	// values of 0.5 to 5 MiB leave this much room.
	const slack = 16 << 20
	opts := fastOptions()
	opts.MaxBodyBytes = 2 << 20
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultHuge}, opts)
	p := site.Faults().Huge
	if stats.ErrorsByKind["body_too_large"] != 1 || site.Requests(p) != 1 {
		t.Errorf("huge page: errors %v, %d requests; want one body_too_large, not retried", stats.ErrorsByKind, site.Requests(p))
	}
	if _, ok := sink.get(base + p); ok {
		t.Error("the huge page was handed on")
	}
	if sent := site.BytesServed(p); sent > opts.MaxBodyBytes+slack {
		t.Errorf("the site sent %d bytes of the huge page, want at most the cap %d + %d", sent, opts.MaxBodyBytes, slack)
	} else {
		t.Logf("huge page: %d bytes sent of %d (cap %d)", sent, wpsite.HugeBytes, opts.MaxBodyBytes)
	}
}

// TestWPSitemapAddresses: /wp-sitemap.xml and /sitemap.xml are tried once
// each, even when robots.txt names one of them, and a missing one is not an
// error. Without a Sitemap line, the sitemap is still found.
func TestWPSitemapAddresses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		robots string // "" serves the site's own
	}{
		{"robots.txt names the sitemap", ""},
		{"robots.txt names none", "User-agent: *\nDisallow: " + wpsite.DisallowedPrefix + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := wpsite.New(wpsite.Options{})
			var h http.Handler = site
			if tt.robots != "" {
				h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Path == wpsite.RobotsPath {
						fmt.Fprint(w, tt.robots)
						return
					}
					site.ServeHTTP(w, r)
				})
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			stats, _ := runCrawl(t, fastOptions(), NewMemState(), srv.URL+"/")
			if site.Requests(wpsite.SitemapPath) != 1 || site.Requests("/sitemap.xml") != 1 {
				t.Errorf("/wp-sitemap.xml requested %d times, /sitemap.xml %d; want 1 and 1",
					site.Requests(wpsite.SitemapPath), site.Requests("/sitemap.xml"))
			}
			if site.Requests("/wp-sitemap-posts-post-1.xml") != 1 {
				t.Error("the posts sitemap the index lists was not read")
			}
			if stats.Errors != 0 || stats.SkippedByReason["no_sitemap"] != 1 {
				t.Errorf("errors %v, skipped %v; want no error and /sitemap.xml as no_sitemap", stats.ErrorsByKind, stats.SkippedByReason)
			}
		})
	}
}

// TestWPMutateRecrawl: after the site edits k articles and publishes k,
// a re-crawl fetches those 2k bodies and asks for every other article
// conditionally, getting 304s.
func TestWPMutateRecrawl(t *testing.T) {
	t.Parallel()
	const k = 5
	site := wpsite.New(wpsite.Options{Validators: true})
	srv := httptest.NewServer(site)
	defer srv.Close()
	st := NewMemState()
	c, err := New(fastOptions(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	remember := func(p folio.Page) {
		if p.Header != nil {
			st.SetValidators(p.URL, p.Header.Get("ETag"), p.Header.Get("Last-Modified"))
		}
	}
	if _, err := c.Run(context.Background(), []string{srv.URL + "/"}, remember); err != nil {
		t.Fatal(err)
	}
	mu := site.Mutate(k)
	site.ResetRequests()
	sink := newPageSink()
	stats, err := c.Run(context.Background(), []string{srv.URL + "/"}, sink.add)
	if err != nil {
		t.Fatal(err)
	}
	fetched := slices.Concat(mu.Changed, mu.Added)
	for _, p := range site.ArticlePaths() {
		body, notModified := site.Answered(p, http.StatusOK), site.Answered(p, http.StatusNotModified)
		if slices.Contains(fetched, p) {
			if body != 1 || sink.count[srv.URL+p] != 1 {
				t.Errorf("changed or new %s: %d bodies sent, handed on %d times; want 1 and 1", p, body, sink.count[srv.URL+p])
			}
		} else if body != 0 || notModified != 1 {
			t.Errorf("unchanged %s: %d bodies sent, %d 304s; want 0 and 1", p, body, notModified)
		}
	}
	if stats.NotModified != len(site.ArticlePaths())-2*k {
		t.Errorf("NotModified = %d, want %d", stats.NotModified, len(site.ArticlePaths())-2*k)
	}
}

// TestRunWithTinySeenCache: the crawl's in-memory dedup is a bounded cache
// in front of State; with room for 8 URLs it still fetches each page once.
// (Only the redirects of old addresses met late depend on the cache: once
// it has forgotten that their target was handled, one is followed again.)
func TestRunWithTinySeenCache(t *testing.T) {
	defer func(n int) { seenCacheSize = n }(seenCacheSize)
	seenCacheSize = 8
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultTracking}, fastOptions())
	for _, p := range site.ArticlePaths() {
		if n := site.Answered(p, http.StatusOK); n != 1 || sink.count[base+p] == 0 {
			t.Errorf("%s answered 200 %d times, handed on %d times", p, n, sink.count[base+p])
		}
	}
	for p, n := range site.RequestCounts() {
		if n > 1 {
			t.Errorf("%s requested %d times", p, n)
		}
	}
	if stats.Errors != 0 {
		t.Errorf("errors %v", stats.ErrorsByKind)
	}
}

func TestSeenCacheStaysBounded(t *testing.T) {
	c := newSeenCache(100)
	for i := range 10_000 {
		u := fmt.Sprintf("http://radio.example/%d/", i)
		c.add(u)
		if i%3 == 0 {
			c.claim(u)
		}
		if c.len() > 100 {
			t.Fatalf("cache holds %d entries, max 100", c.len())
		}
	}
	c = newSeenCache(100)
	c.add("a")
	if !c.claim("a") || c.claim("a") || !c.claimed("a") {
		t.Error("a URL is claimed once")
	}
	c.add("a")
	if !c.claimed("a") {
		t.Error("add took the claim back")
	}

	// A redirect's claim: the frontier waits for it; links still count
	// the URL as new; it ends claimed for good, or as it was.
	c.add("b")
	if prev, ok := c.claimForRedirect("b"); !ok || prev != markSeen {
		t.Fatalf("claimForRedirect(b) = %d, %v", prev, ok)
	}
	if c.popClaim("b") != markRedirect || c.has("b") || c.claim("b") {
		t.Error("a URL claimed by a redirect was taken, or counted as known")
	}
	c.settle("b", markSeen, false)
	if c.claimed("b") || !c.has("b") || c.popClaim("b") != 0 {
		t.Error("a failed redirect did not give the URL back")
	}
	if _, ok := c.claimForRedirect("c"); !ok {
		t.Fatal("claimForRedirect(c) failed")
	}
	c.settle("c", 0, true)
	if c.popClaim("c") != markClaimed {
		t.Error("a handled redirect target was taken again")
	}
	if _, ok := c.claimForRedirect("c"); ok {
		t.Error("a handled page was claimed by a redirect")
	}
}

// TestDialGuardAfterResolutionAndRedirects: a public-looking host whose
// name resolves to loopback, and a public host redirecting to a private
// address, are both refused when dialling.
func TestDialGuardAfterResolutionAndRedirects(t *testing.T) {
	private := newTestSite(t, "http://192.0.2.1")
	c, err := New(Options{IgnoreRobots: true, Retries: ptr(0), Delay: ptr(time.Duration(0))}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.newRun(context.Background(), []string{"http://public.example/"}, RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()

	// "public.example" is served by a loopback server standing for a
	// public host: its dial bypasses the guard, as a public address would
	// pass it. Every other dial goes through the guarded dialer.
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		http.Redirect(w, req, private.URL+"/", http.StatusFound)
	}))
	defer public.Close()
	guarded := r.transport.DialContext
	r.transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == "public.example:80" {
			return (&net.Dialer{}).DialContext(ctx, network, public.Listener.Addr().String())
		}
		if host, port, _ := net.SplitHostPort(addr); host == "name-of-loopback.example" {
			// What a DNS answer of 127.0.0.1 leads to.
			addr = net.JoinHostPort("127.0.0.1", port)
		}
		return guarded(ctx, network, addr)
	}
	privateURL := strings.TrimPrefix(private.URL, "http://")
	_, port, _ := net.SplitHostPort(privateURL)
	for _, h := range []string{privateURL, "name-of-loopback.example:" + port} {
		r.scope[h] = true
	}
	tests := []struct{ name, url string }{
		{"redirect to a private address", "http://public.example/"},
		{"name resolving to loopback", "http://name-of-loopback.example:" + port + "/"},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.url)
		res, err := r.fetch(r.host(u), tt.url, http.Header{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if res.err == nil || errorKind(res.err) != "blocked_address" {
			t.Errorf("%s: fetch = status %d, %v; want blocked_address", tt.name, res.status, res.err)
		}
	}
	if n := private.total(); n != 0 {
		t.Errorf("the private site received %d requests", n)
	}
}
