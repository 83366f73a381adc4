package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
)

func ptr[T any](v T) *T { return &v }

// fastOptions are polite to nothing: for loopback test sites only.
func fastOptions() Options {
	return Options{
		Concurrency:  8,
		Delay:        ptr(time.Duration(0)),
		RetryBackoff: 5 * time.Millisecond,
		// The default: a loaded machine (GOMAXPROCS=16 on 2 cores) held
		// an answer past 5 s, and its retry fetched an article twice.
		// Tests of timeouts set their own.
		Timeout: 30 * time.Second,
	}
}

// pageSink collects what Run hands on, from any goroutine.
type pageSink struct {
	mu    sync.Mutex
	pages []folio.Page
	count map[string]int
}

func newPageSink() *pageSink { return &pageSink{count: map[string]int{}} }

func (s *pageSink) add(p folio.Page) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages = append(s.pages, p)
	s.count[p.URL]++
}

func (s *pageSink) get(u string) (folio.Page, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pages {
		if p.URL == u {
			return p, true
		}
	}
	return folio.Page{}, false
}

func (s *pageSink) urls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for u := range s.count {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

func runCrawl(t *testing.T, opts Options, st State, seeds ...string) (Stats, *pageSink) {
	t.Helper()
	return runCrawlWith(t, opts, RunOptions{}, st, seeds...)
}

// runCrawlWith is runCrawl for a run that ro asks more of.
func runCrawlWith(t *testing.T, opts Options, ro RunOptions, st State, seeds ...string) (Stats, *pageSink) {
	t.Helper()
	c, err := New(opts, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	sink := newPageSink()
	stats, err := c.RunStore(context.Background(), seeds, ro, func(p folio.Page) error { sink.add(p); return nil })
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return stats, sink
}

// runFailedCrawl is runCrawl for a start URL that cannot be fetched: the
// run must end in a *StartURLsError naming it, with cause in its text.
func runFailedCrawl(t *testing.T, opts Options, st State, seed, cause string) (Stats, *pageSink) {
	t.Helper()
	c, err := New(opts, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	sink := newPageSink()
	stats, err := c.Run(context.Background(), []string{seed}, sink.add)
	var se *StartURLsError
	if !errors.Is(err, ErrNothingReached) || !errors.As(err, &se) {
		t.Fatalf("Run = %v, want a StartURLsError", err)
	}
	if len(se.Failures) != 1 || se.Failures[0].URL != seed || !strings.Contains(se.Failures[0].Cause, cause) {
		t.Errorf("failures %+v, want %s with %q", se.Failures, seed, cause)
	}
	return stats, sink
}

func TestRunCrawlsWholeSiteOnce(t *testing.T) {
	ext := newExternalSite(t)
	site := newTestSite(t, ext.URL)
	stats, sink := runCrawl(t, fastOptions(), NewMemState(), site.URL)

	for _, a := range site.articles {
		u := site.URL + a
		if n := sink.count[u]; n != 1 {
			t.Errorf("article %s handed on %d times, want 1", a, n)
		}
		if n := site.hits(a); n != 1 {
			t.Errorf("article %s requested %d times, want 1", a, n)
		}
	}
	for _, only := range []string{"/feed-only/", "/sitemap-only/"} {
		if sink.count[site.URL+only] != 1 {
			t.Errorf("%s (linked only from a feed or sitemap) not handed on once: %d", only, sink.count[site.URL+only])
		}
	}
	if n := site.hitsWithPrefix("/prive/"); n != 0 {
		t.Errorf("robots-disallowed section requested %d times", n)
	}
	if n := ext.hits(); n != 0 {
		t.Errorf("external host requested %d times", n)
	}
	if n := site.hits("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
	if n := site.hits("/docs/rapport.pdf"); n != 0 {
		t.Errorf("PDF attachment requested %d times", n)
	}
	if n := site.hitsWithPrefix("/cases/"); n != 0 {
		t.Errorf("unlinked cases requested %d times", n)
	}
	if _, ok := sink.get(site.URL + "/telecharger/rapport/"); ok {
		t.Error("a PDF served without extension was handed on as a page")
	}
	for u, n := range sink.count {
		if strings.Contains(u, "utm_") || strings.Contains(u, "#") {
			t.Errorf("page URL %s is not canonical", u)
		}
		if n != 1 {
			t.Errorf("%s handed on %d times", u, n)
		}
	}
	// Home, 3 listing pages, category, 25 articles, 2 only in feed or sitemap.
	wantPages := 1 + 2 + 1 + testArticles + 2
	if stats.Pages != wantPages || len(sink.pages) != wantPages {
		t.Errorf("Stats.Pages = %d, handed on %d, want %d: %v", stats.Pages, len(sink.pages), wantPages, sink.urls())
	}
	if stats.Feeds != 3 { // /feed/, the sitemap index and its sitemap
		t.Errorf("Stats.Feeds = %d, want 3", stats.Feeds)
	}
	if stats.SkippedByReason["robots"] != 1 || stats.SkippedByReason["scope"] != 1 || stats.SkippedByReason["attachment"] != 2 {
		t.Errorf("SkippedByReason = %v, want robots 1, scope 1, attachment 2", stats.SkippedByReason)
	}
	if stats.Errors != 0 {
		t.Errorf("Errors = %d (%v), want 0", stats.Errors, stats.ErrorsByKind)
	}

	home, _ := sink.get(site.URL + "/")
	if home.RequestedURL != site.URL+"/" || home.Status != 200 || home.Depth != 0 ||
		!strings.Contains(home.Header.Get("Content-Type"), "text/html") || home.FetchedAt.IsZero() {
		t.Errorf("home page = %+v", home)
	}
	if !strings.Contains(string(home.Body), "L’Europe") {
		t.Error("home body lost its UTF-8 text")
	}
	oldest, _ := sink.get(site.URL + site.articles[len(site.articles)-1])
	if oldest.Depth < 2 {
		t.Errorf("oldest article depth = %d, want it reached through links", oldest.Depth)
	}
	if ua := site.headers["/"].Get("User-Agent"); !strings.HasPrefix(ua, "folio/") || !strings.Contains(ua, DefaultContact) {
		t.Errorf("User-Agent = %q, want folio and a contact URL", ua)
	}
}

// recordingState notes the order of Done calls against pages handed on.
type recordingState struct {
	*MemState
	mu            sync.Mutex
	handed        map[string]bool
	doneAfterPage map[string]bool
	finished      []string
}

func (s *recordingState) Done(ctx context.Context, site, u string) error {
	s.mu.Lock()
	if s.doneAfterPage == nil {
		s.doneAfterPage = map[string]bool{}
	}
	s.doneAfterPage[u] = s.handed[u]
	s.mu.Unlock()
	return s.MemState.Done(ctx, site, u)
}

func (s *recordingState) Finish(ctx context.Context, site string) error {
	s.mu.Lock()
	s.finished = append(s.finished, site)
	s.mu.Unlock()
	return s.MemState.Finish(ctx, site)
}

func (s *recordingState) Enqueue(ctx context.Context, site, u string, depth int) (bool, error) {
	return s.MemState.Enqueue(ctx, site, u, depth)
}

func TestRunDoneOnlyAfterOnPage(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	st := &recordingState{MemState: NewMemState(), handed: map[string]bool{}}
	c, err := New(fastOptions(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	var mu sync.Mutex
	_, err = c.Run(context.Background(), []string{site.URL}, func(p folio.Page) {
		st.mu.Lock()
		st.handed[p.URL] = true
		st.mu.Unlock()
		mu.Lock()
		urls = append(urls, p.URL)
		mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range urls {
		if !st.doneAfterPage[u] {
			t.Errorf("%s marked done before onPage returned", u)
		}
	}
	if want := []string{"127.0.0.1"}; !slices.Equal(st.finished, want) {
		t.Errorf("Finish called for %v, want %v", st.finished, want)
	}
}

func TestRunRetriesServerErrors(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	stats, sink := runCrawl(t, fastOptions(), NewMemState(), site.cases.URL+"/cases/flaky/", site.cases.URL+"/cases/broken/")
	if _, ok := sink.get(site.cases.URL + "/cases/flaky/"); !ok {
		t.Error("500-then-200 page not handed on")
	}
	if n := site.hits("/cases/flaky/"); n != 2 {
		t.Errorf("flaky page requested %d times, want 2", n)
	}
	if n := site.hits("/cases/broken/"); n != 4 {
		t.Errorf("always-502 page requested %d times, want 1 + 3 retries", n)
	}
	if stats.ErrorsByKind["status_502"] != 1 || stats.Errors != 1 {
		t.Errorf("ErrorsByKind = %v, want status_502: 1", stats.ErrorsByKind)
	}
}

func TestRunRetriesNothingWhenRetriesZero(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	opts := fastOptions()
	opts.Retries = ptr(0)
	runFailedCrawl(t, opts, NewMemState(), site.cases.URL+"/cases/broken/", "HTTP 502 Bad Gateway")
	if n := site.hits("/cases/broken/"); n != 1 {
		t.Errorf("requested %d times with retries: 0, want 1", n)
	}
}

func TestRunTimesOut(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	opts := fastOptions()
	// Far below the stall, far above what a loaded machine needs to
	// answer anything else.
	opts.Timeout = 400 * time.Millisecond
	opts.Retries = ptr(1)
	stats, sink := runFailedCrawl(t, opts, NewMemState(), site.cases.URL+"/cases/stall/", "timeout")
	if stats.ErrorsByKind["timeout"] != 1 || len(sink.pages) != 0 {
		t.Errorf("ErrorsByKind = %v, pages %v; want one timeout", stats.ErrorsByKind, sink.urls())
	}
	if n := site.hits("/cases/stall/"); n != 2 {
		t.Errorf("stalled page requested %d times, want 1 + 1 retry", n)
	}
}

func TestRunHonoursRetryAfter(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	_, sink := runCrawl(t, fastOptions(), NewMemState(), site.cases.URL+"/cases/busy/")
	if _, ok := sink.get(site.cases.URL + "/cases/busy/"); !ok {
		t.Fatal("page answered 429 then 200 not handed on")
	}
	times := site.times["/cases/busy/"]
	if len(times) != 2 {
		t.Fatalf("requested %d times, want 2", len(times))
	}
	if gap := times[1].Sub(times[0]); gap < time.Second {
		t.Errorf("retried after %s, want at least the 1s Retry-After", gap)
	}
}

func TestRunGivesUpOnLongRetryAfter(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	opts := fastOptions()
	opts.MaxRetryAfter = 500 * time.Millisecond
	stats, _ := runFailedCrawl(t, opts, NewMemState(), site.cases.URL+"/cases/busy/", "HTTP 429")
	if n := site.hits("/cases/busy/"); n != 1 {
		t.Errorf("requested %d times, want 1: Retry-After exceeds max_retry_after", n)
	}
	if stats.ErrorsByKind["status_429"] != 1 {
		t.Errorf("ErrorsByKind = %v, want status_429: 1", stats.ErrorsByKind)
	}
}

func TestRunConditionalFetch(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	st := NewMemState()
	u := site.cases.URL + "/cases/etag/"
	st.SetValidators(u, `"v1"`, "Mon, 07 Nov 2022 10:00:00 GMT")
	stats, sink := runCrawl(t, fastOptions(), st, u)
	if h := site.headers["/cases/etag/"]; h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") != "Mon, 07 Nov 2022 10:00:00 GMT" {
		t.Errorf("request headers %v lack the validators", h)
	}
	if len(sink.pages) != 0 {
		t.Errorf("a 304 was handed on: %v", sink.urls())
	}
	// Fetched: the page and the two sitemap addresses tried (404 here).
	if stats.NotModified != 1 || stats.Fetched != 1+len(sitemapProbes) || site.hits("/cases/etag/") != 1 {
		t.Errorf("NotModified = %d, Fetched = %d, requests %d; want 1, 3 and 1", stats.NotModified, stats.Fetched, site.hits("/cases/etag/"))
	}

	// --full ignores the validators.
	stats, sink = runCrawlWith(t, fastOptions(), RunOptions{Full: true}, st, u)
	if h := site.headers["/cases/etag/"]; h.Get("If-None-Match") != "" {
		t.Errorf("full crawl sent If-None-Match %q", h.Get("If-None-Match"))
	}
	if stats.NotModified != 0 || sink.count[u] != 1 || sink.count[site.cases.URL+"/cases/etag-child/"] != 1 {
		t.Errorf("full crawl: NotModified %d, pages %v", stats.NotModified, sink.urls())
	}
}

func TestRunBodyCap(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	opts := fastOptions()
	opts.MaxBodyBytes = 1 << 20
	stats, sink := runFailedCrawl(t, opts, NewMemState(), site.cases.URL+"/cases/huge/", "body larger than max_body_bytes")
	if len(sink.pages) != 0 {
		t.Error("a page over max_body_bytes was handed on")
	}
	if stats.ErrorsByKind["body_too_large"] != 1 {
		t.Errorf("ErrorsByKind = %v, want body_too_large: 1", stats.ErrorsByKind)
	}
	if n := site.hits("/cases/huge/"); n != 1 {
		t.Errorf("requested %d times, want 1 (not retried)", n)
	}
}

func TestRunDecodesCharsets(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	cases := map[string]string{
		"/cases/latin1-header/":   "L'été à Corée",
		"/cases/latin1-meta/":     "L'été à Corée",
		"/cases/utf8-undeclared/": "L’été à Corée",
		"/cases/utf8-bom/":        "L’été à Corée",
	}
	var seeds []string
	for p := range cases {
		seeds = append(seeds, site.cases.URL+p)
	}
	_, sink := runCrawl(t, fastOptions(), NewMemState(), seeds...)
	for p, want := range cases {
		page, ok := sink.get(site.cases.URL + p)
		if !ok {
			t.Errorf("%s not handed on", p)
			continue
		}
		if !strings.Contains(string(page.Body), want) {
			t.Errorf("%s body = %q, want it to contain %q", p, page.Body, want)
		}
		if strings.HasPrefix(string(page.Body), "\ufeff") {
			t.Errorf("%s body keeps its byte-order mark", p)
		}
	}
}

func TestRunRedirects(t *testing.T) {
	ext := newExternalSite(t)
	site := newTestSite(t, ext.URL)
	stats, sink := runCrawl(t, fastOptions(), NewMemState(),
		site.cases.URL+"/cases/old-slug/", site.cases.URL+"/cases/loop-a/", site.cases.URL+"/cases/offsite/")
	p, ok := sink.get(site.cases.URL + "/cases/new-slug/")
	if !ok {
		t.Fatalf("redirect target not handed on: %v", sink.urls())
	}
	if p.RequestedURL != site.cases.URL+"/cases/old-slug/" {
		t.Errorf("RequestedURL = %q, want the old slug", p.RequestedURL)
	}
	if n := site.hits("/cases/new-slug/"); n != 1 {
		t.Errorf("redirect target requested %d times, want 1", n)
	}
	for _, u := range sink.urls() {
		if strings.Contains(u, "old-slug") || strings.Contains(u, "loop-") || strings.Contains(u, "offsite") {
			t.Errorf("%s handed on", u)
		}
	}
	if stats.ErrorsByKind["redirect_loop"] != 1 {
		t.Errorf("ErrorsByKind = %v, want redirect_loop: 1", stats.ErrorsByKind)
	}
	if n := site.hits("/cases/loop-a/") + site.hits("/cases/loop-b/"); n > 4 {
		t.Errorf("redirect loop cost %d requests", n)
	}
	if n := ext.hits(); n != 0 {
		t.Errorf("off-site redirect followed: %d requests", n)
	}
}

func TestRunResumesFromFrontier(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	st := NewMemState()
	ctx := context.Background()
	// A crawl that stopped after the home page: the home page is done and
	// two of its links are pending.
	home := site.URL + "/"
	pending := []string{site.URL + site.articles[0], site.URL + "/page/2/"}
	for _, u := range append([]string{home}, pending...) {
		if _, err := st.Enqueue(ctx, "127.0.0.1", u, 1); err != nil {
			t.Fatal(err)
		}
	}
	st.Done(ctx, "127.0.0.1", home)
	_, sink := runCrawl(t, fastOptions(), st, home)
	if n := site.hits("/"); n != 0 {
		t.Errorf("done home page fetched again %d times", n)
	}
	for _, u := range pending {
		if sink.count[u] != 1 {
			t.Errorf("pending %s handed on %d times, want 1", u, sink.count[u])
		}
	}
	if front, _ := st.Frontier(ctx, "127.0.0.1"); len(front) != 0 {
		t.Errorf("frontier after a completed crawl = %v, want empty (Finish)", front)
	}
}

func TestRunStopsAndResumesWithoutLoss(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	st := NewMemState()
	opts := fastOptions()
	opts.Concurrency = 2
	c, err := New(opts, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sink := newPageSink()
	var once sync.Once
	stats, err := c.Run(ctx, []string{site.URL}, func(p folio.Page) {
		sink.add(p)
		if len(sink.urls()) >= 8 {
			once.Do(cancel)
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel returned %v, want context.Canceled", err)
	}
	if stats.Pages < 8 || stats.Pages >= 31 {
		t.Fatalf("stopped run handed on %d pages", stats.Pages)
	}
	front, _ := st.Frontier(context.Background(), "127.0.0.1")
	if len(front) == 0 {
		t.Fatal("stopped run left no frontier")
	}
	_, err = c.Run(context.Background(), []string{site.URL}, sink.add)
	if err != nil {
		t.Fatal(err)
	}
	for u, n := range sink.count {
		if n != 1 {
			t.Errorf("%s handed on %d times over both runs", u, n)
		}
	}
	for _, a := range site.articles {
		if sink.count[site.URL+a] != 1 {
			t.Errorf("article %s lost across the stop", a)
		}
		if n := site.hits(a); n != 1 {
			t.Errorf("article %s requested %d times over both runs", a, n)
		}
	}
}

func TestRunLimits(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	t.Run("max depth", func(t *testing.T) {
		opts := fastOptions()
		opts.MaxDepth = 3
		stats, _ := runCrawl(t, opts, NewMemState(), site.cases.URL+"/cases/chain/"+numberSlug(0)+"/")
		if n := site.hitsWithPrefix("/cases/chain/"); n != 4 {
			t.Errorf("chain pages requested %d, want depths 0 to 3", n)
		}
		if stats.SkippedByReason["depth"] != 1 {
			t.Errorf("SkippedByReason = %v, want depth: 1", stats.SkippedByReason)
		}
	})
	t.Run("max pages", func(t *testing.T) {
		st := NewMemState()
		opts := fastOptions()
		opts.MaxPages = 5
		opts.Concurrency = 1
		stats, _ := runCrawl(t, opts, st, site.cases.URL+"/cases/chain/"+numberSlug(100)+"/")
		if stats.Fetched != 5 {
			t.Errorf("Fetched = %d, want 5", stats.Fetched)
		}
		// The seed, the two sitemap addresses, then two chain pages.
		front, _ := st.Frontier(context.Background(), "127.0.0.1")
		if len(front) != 1 || front[0].URL != site.cases.URL+"/cases/chain/"+numberSlug(103)+"/" {
			t.Errorf("frontier after max_pages = %v, want the next chain page kept", front)
		}
	})
}

func TestRunTrapsCostBoundedRequests(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	stats, _ := runCrawl(t, fastOptions(), NewMemState(), site.cases.URL+"/cases/calendar-start/")
	if n := site.hitsWithPrefix("/calendar/"); n > 50 || n == 0 {
		t.Errorf("infinite calendar cost %d requests, want 1 to 50", n)
	}
	if n := site.hits("/cases/facets/"); n > 12 {
		t.Errorf("faceted navigation cost %d requests, want at most 12", n)
	}
	if stats.SkippedByReason["trap"] == 0 {
		t.Errorf("SkippedByReason = %v, want traps counted", stats.SkippedByReason)
	}
}

// TestRunNumberedArticles: the trap guard does not cap what a sitemap
// lists, nor the listings of articles at numbered paths, while the calendar
// those articles link stays capped.
func TestRunNumberedArticles(t *testing.T) {
	for _, seed := range []string{"/cases/news-sitemap.xml", "/news/page/1/"} {
		t.Run(seed, func(t *testing.T) {
			site := newTestSite(t, "http://192.0.2.1")
			stats, sink := runCrawl(t, fastOptions(), NewMemState(), site.cases.URL+seed)
			missed := 0
			for n := 1000; n < 1200; n++ {
				if sink.count[fmt.Sprintf("%s/news/%d/", site.cases.URL, n)] != 1 {
					missed++
				}
			}
			if missed > 0 {
				t.Errorf("%d of the 200 numbered articles not handed on once", missed)
			}
			if n := site.hitsWithPrefix("/calendar/"); n > 50 || n == 0 {
				t.Errorf("infinite calendar cost %d requests, want 1 to 50", n)
			}
			t.Logf("requests %d, skipped %v", stats.Requests, stats.SkippedByReason)
		})
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	c, err := New(fastOptions(), NewMemState(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 350*time.Millisecond)
	defer cancel()
	sink := newPageSink()
	stats, err := c.Run(ctx, []string{site.cases.URL + "/cases/slow/" + numberSlug(1) + "/"}, sink.add)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run returned %v, want the context's error", err)
	}
	requested := site.hitsWithPrefix("/cases/slow/")
	// Every request that started was finished and handed on.
	if stats.Pages != requested || len(sink.pages) != requested {
		t.Errorf("requests %d, pages handed on %d (stats %d): in-flight pages must finish", requested, len(sink.pages), stats.Pages)
	}
	if stats.Queued == 0 {
		t.Error("Stats.Queued = 0 after a stop with work left")
	}
}

func TestRunSpacesRequests(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	tests := []struct {
		name    string
		base    string
		delay   time.Duration
		wantGap time.Duration
	}{
		{"configured delay", site.cases.URL, 60 * time.Millisecond, 60 * time.Millisecond},
		{"robots.txt Crawl-delay wins over a shorter delay", site.polite.URL, 10 * time.Millisecond, 100 * time.Millisecond},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := fastOptions()
			opts.Delay = ptr(tt.delay)
			opts.MaxPages = 8     // 6 chain pages and the 2 sitemap addresses
			start := 10 * (i + 1) // a chain of its own for each case
			prefix := "/cases/chain/"
			runCrawl(t, opts, NewMemState(), tt.base+prefix+numberSlug(start)+"/")
			site.mu.Lock()
			var times []time.Time
			for p, ts := range site.times {
				if strings.HasPrefix(p, prefix) && slugNumber(strings.Trim(strings.TrimPrefix(p, prefix), "/")) >= start &&
					slugNumber(strings.Trim(strings.TrimPrefix(p, prefix), "/")) < start+10 {
					times = append(times, ts...)
				}
			}
			site.mu.Unlock()
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
			if len(times) < 5 {
				t.Fatalf("only %d chain requests", len(times))
			}
			// The span, not each gap, is compared: one request held up on
			// its way to the server makes one gap shorter and the one
			// before it longer. Half a gap is allowed for that.
			span := times[len(times)-1].Sub(times[0])
			if want := time.Duration(len(times)-1)*tt.wantGap - tt.wantGap/2; span < want {
				t.Errorf("%d requests within %s, want them spread over at least %s", len(times), span, want)
			}
		})
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	if _, err := New(Options{Concurrency: -1}, nil, nil); err == nil || !strings.Contains(err.Error(), "concurrency") {
		t.Errorf("New with concurrency -1: %v, want an error naming concurrency", err)
	}
	c, err := New(fastOptions(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(context.Background(), []string{"ftp://example.fr/"}, nil); err == nil || !strings.Contains(err.Error(), "ftp://example.fr/") {
		t.Errorf("Run with an ftp seed: %v, want an error naming it", err)
	}
	if _, err := c.Run(context.Background(), nil, nil); err == nil {
		t.Error("Run without seeds: no error")
	}
}

func TestDialGuardRefusesPrivateAddresses(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	c, err := New(fastOptions(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A run whose seeds are public does not allow loopback: its client
	// refuses the test site's address when dialling.
	r, err := c.newRun(context.Background(), []string{"https://example.com/"}, RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	u, _ := url.Parse(site.URL + "/")
	r.scope[u.Host] = true
	res, err := r.fetch(r.host(u), site.URL+"/", http.Header{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.err == nil || errorKind(res.err) != "blocked_address" {
		t.Errorf("fetch of a loopback address = %v, want blocked_address", res.err)
	}
	if n := site.total(); n != 0 {
		t.Errorf("loopback site received %d requests", n)
	}
}

// TestRunHonoursRelCanonical: a page whose rel=canonical names another page
// of the crawl is not handed on; its canonical page is fetched, once,
// instead, and its links are followed. A canonical that differs only by
// its scheme, is on another host or is disallowed leaves the page handed
// on.
func TestRunHonoursRelCanonical(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	stats, sink := runCrawl(t, fastOptions(), NewMemState(), site.cases.URL+"/cases/alias/")
	if n := site.hits("/cases/canonical-target/"); n != 1 {
		t.Errorf("declared canonical fetched %d times, want 1", n)
	}
	if _, ok := sink.get(site.cases.URL + "/cases/alias/"); ok {
		t.Error("a page whose canonical is elsewhere was handed on")
	}
	if n := sink.count[site.cases.URL+"/cases/canonical-target/"]; n != 1 {
		t.Errorf("canonical page handed on %d times, want 1: %v", n, sink.urls())
	}
	for _, p := range []string{"/cases/scheme-canonical/", "/cases/canonical-off-site/", "/cases/canonical-disallowed/"} {
		if n := sink.count[site.cases.URL+p]; n != 1 {
			t.Errorf("%s handed on %d times, want 1", p, n)
		}
	}
	if n := site.hits("/prive/copie/"); n != 0 {
		t.Errorf("disallowed canonical fetched %d times", n)
	}
	if n := stats.SkippedByReason["canonical"]; n != 1 {
		t.Errorf("skipped as canonical elsewhere: %d, want 1 (%v)", n, stats.SkippedByReason)
	}
}

func TestRunReadsGzippedSitemap(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	stats, sink := runCrawl(t, fastOptions(), NewMemState(), site.cases.URL+"/cases/sitemap.xml.gz")
	if _, ok := sink.get(site.cases.URL + "/cases/from-gzip/"); !ok || stats.Feeds != 1 {
		t.Errorf("gzipped sitemap: feeds %d, pages %v", stats.Feeds, sink.urls())
	}
}

func TestRunAllowedHosts(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	opts := fastOptions()
	opts.AllowedHosts = []string{site.polite.URL}
	// The allowed host is on loopback too: the start URL exempts only its
	// own host:port (TestRunLocalSeedExemptsOnlyItself).
	opts.AllowPrivate = true
	_, sink := runCrawl(t, opts, NewMemState(), site.cases.URL+"/cases/cross-host/")
	if _, ok := sink.get(site.polite.URL + "/cases/from-other-host/"); !ok {
		t.Errorf("page on an allowed host not handed on: %v", sink.urls())
	}
	if n := site.hits("/cases/from-main-host/"); n != 0 {
		t.Errorf("host outside the scope requested %d times", n)
	}
}

func TestRunReportsProgress(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	var calls []Stats
	ro := RunOptions{OnProgress: func(s Stats) { calls = append(calls, s) }} // serialised by Run
	stats, _ := runCrawlWith(t, fastOptions(), ro, NewMemState(), site.cases.URL+"/cases/chain/"+numberSlug(190)+"/")
	if len(calls) != stats.Fetched {
		t.Errorf("OnProgress called %d times for %d URLs", len(calls), stats.Fetched)
	}
	last := calls[len(calls)-1]
	if last.Pages != stats.Pages || last.Queued != 0 {
		t.Errorf("last progress %+v, final %+v", last, stats)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i].Pages < calls[i-1].Pages {
			t.Errorf("progress went backwards: %d then %d pages", calls[i-1].Pages, calls[i].Pages)
		}
	}
}

// TestRunRedirectRace: an old address and its page taken by two workers at
// once cost one fetch of the page, handed on once, with the old address as
// RequestedURL; a redirect to a page that fails leaves that page to be
// tried on its own.
func TestRunRedirectRace(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	opts := fastOptions()
	opts.Retries = ptr(1)
	stats, sink := runCrawl(t, opts, NewMemState(), site.cases.URL+"/cases/race-start/")
	newURL := site.cases.URL + "/cases/race-new/"
	if n := site.hits("/cases/race-new/"); n != 1 {
		t.Errorf("page requested %d times, want 1", n)
	}
	full, aliases := 0, 0
	for _, p := range sink.pages {
		switch {
		case p.URL != newURL:
		case p.Body != nil:
			full++
			if p.RequestedURL != site.cases.URL+"/cases/race-old/" && p.RequestedURL != newURL {
				t.Errorf("page handed on with RequestedURL %s", p.RequestedURL)
			}
		default:
			aliases++
		}
	}
	if full != 1 {
		t.Errorf("page handed on %d times, want 1", full)
	}
	if full+aliases != 1 && aliases != 1 {
		t.Errorf("%d aliases", aliases)
	}
	// The failing page: tried through the redirect (1 + 1 retry), and on
	// its own once that ended (1 + 1 retry).
	if n := site.hits("/cases/race-down/"); n != 4 {
		t.Errorf("failing page requested %d times, want 4", n)
	}
	if stats.ErrorsByKind["status_503"] != 2 {
		t.Errorf("ErrorsByKind = %v, want status_503: 2 (the old address and the page)", stats.ErrorsByKind)
	}
}

// TestRunStoreFailureLeavesPagesToResume: a store that fails (a disk that
// fills up after a few pages) stops the run with its error, and no page it
// failed to store is marked done: the next run hands on every page the
// first did not store, so that the two runs together stored every article.
func TestRunStoreFailureLeavesPagesToResume(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	first := NewMemState()
	errFull := errors.New("disk full")
	stored := newPageSink()
	var mu sync.Mutex
	room := 8
	fillingUp := func(p folio.Page) error {
		mu.Lock()
		defer mu.Unlock()
		if room == 0 {
			return errFull
		}
		room--
		stored.add(p)
		return nil
	}
	c, err := New(fastOptions(), first, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RunStore(context.Background(), []string{site.URL + "/"}, RunOptions{}, fillingUp)
	if !errors.Is(err, errFull) {
		t.Fatalf("RunStore with a full store: %v, want the store's error", err)
	}
	if len(stored.pages) != 8 {
		t.Fatalf("%d pages stored before the store filled up, want 8", len(stored.pages))
	}
	front, err := first.Frontier(context.Background(), "127.0.0.1")
	if err != nil || len(front) == 0 {
		t.Fatalf("frontier after the failure = %v (%v), want the pages not stored", front, err)
	}
	mu.Lock()
	room = 1 << 20
	mu.Unlock()
	if _, err := c.RunStore(context.Background(), []string{site.URL + "/"}, RunOptions{}, fillingUp); err != nil {
		t.Fatalf("resumed run: %v", err)
	}
	for _, a := range site.articles {
		if n := stored.count[site.URL+a]; n != 1 {
			t.Errorf("article %s stored %d times over the two runs, want 1", a, n)
		}
	}
	if front, _ := first.Frontier(context.Background(), "127.0.0.1"); len(front) != 0 {
		t.Errorf("frontier after the resumed run = %v, want empty", front)
	}
}
