package crawler

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/internal/testsite/wpsite"
)

// TestRunWPSite crawls the fixture WordPress site and holds the crawl
// against its ground truth and its request counters.
func TestRunWPSite(t *testing.T) {
	t.Parallel()
	site := wpsite.New(wpsite.Options{Articles: 60})
	srv := httptest.NewServer(site)
	defer srv.Close()

	stats, sink := runCrawl(t, fastOptions(), NewMemState(), srv.URL+"/")

	expected := site.Expected(srv.URL)
	if len(expected) != 60 {
		t.Fatalf("ground truth has %d articles", len(expected))
	}
	for _, a := range expected {
		canon, err := Canonicalize(a.URL, nil, defaultTrackingParams)
		if err != nil {
			t.Fatal(err)
		}
		if n := sink.count[canon]; n != 1 {
			t.Errorf("article %s handed on %d times, want 1", canon, n)
		}
	}
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n != 1 {
			t.Errorf("article %s requested %d times, want 1", p, n)
		}
	}
	for _, p := range site.ListingPaths() {
		if n := site.Requests(p); n > 1 {
			t.Errorf("listing %s requested %d times", p, n)
		}
	}
	if n := site.RequestsWithPrefix(wpsite.DisallowedPrefix); n != 0 {
		t.Errorf("disallowed section requested %d times", n)
	}
	if n := site.Requests(wpsite.RobotsPath); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
	for u, n := range sink.count {
		if n != 1 {
			t.Errorf("%s handed on %d times", u, n)
		}
		if !strings.HasPrefix(u, srv.URL+"/") {
			t.Errorf("off-site page %s handed on", u)
		}
	}
	if stats.Errors != 0 {
		t.Errorf("errors: %v", stats.ErrorsByKind)
	}
	t.Logf("requests %d (site saw %d), pages %d, feeds %d, skipped %v, elapsed %s",
		stats.Requests, site.TotalRequests(), stats.Pages, stats.Feeds, stats.SkippedByReason, stats.Elapsed)
	counts := site.RequestCounts()
	var top []string
	for p, n := range counts {
		if n > 1 {
			top = append(top, p)
		}
	}
	if len(top) > 0 {
		t.Errorf("paths requested more than once: %v", top)
	}
}

// TestRunWPSiteIncremental crawls the site twice, as an archive would: the
// second crawl fetches each archived article conditionally, and a 304 is
// neither handed on nor counted as an error.
func TestRunWPSiteIncremental(t *testing.T) {
	t.Parallel()
	site := wpsite.New(wpsite.Options{Articles: 30, Gzip: true, Validators: true, PageBytes: 60_000})
	srv := httptest.NewServer(site)
	defer srv.Close()
	st := NewMemState()
	articles := map[string]bool{}
	for _, p := range site.ArticlePaths() {
		articles[srv.URL+p] = true
	}
	c, err := New(fastOptions(), st, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := newPageSink()
	_, err = c.Run(context.Background(), []string{srv.URL + "/"}, func(p folio.Page) {
		first.add(p)
		if articles[p.URL] {
			st.SetValidators(p.URL, p.Header.Get("ETag"), p.Header.Get("Last-Modified"))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for u := range articles {
		p, ok := first.get(u)
		if !ok {
			t.Fatalf("first crawl missed %s", u)
		}
		if p.Header.Get("ETag") == "" || len(p.Body) < 60_000 {
			t.Fatalf("article %s: ETag %q, %d bytes", u, p.Header.Get("ETag"), len(p.Body))
		}
	}

	site.ResetRequests()
	second := newPageSink()
	stats, err := c.Run(context.Background(), []string{srv.URL + "/"}, second.add)
	if err != nil {
		t.Fatal(err)
	}
	if stats.NotModified != len(articles) {
		t.Errorf("NotModified = %d, want %d", stats.NotModified, len(articles))
	}
	for u := range articles {
		if second.count[u] != 0 {
			t.Errorf("unchanged article %s handed on again", u)
		}
	}
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n != 1 {
			t.Errorf("article %s requested %d times in the re-crawl, want 1", p, n)
		}
	}
	if stats.Errors != 0 || stats.Pages != len(first.pages)-len(articles) {
		t.Errorf("re-crawl: %d pages, %d errors (%v); first crawl %d pages", stats.Pages, stats.Errors, stats.ErrorsByKind, len(first.pages))
	}
}

// BenchmarkCrawlWPSite crawls the fixture site with 500 articles of ~60 KB,
// politeness off, pages discarded.
func BenchmarkCrawlWPSite(b *testing.B) {
	site := wpsite.New(wpsite.Options{Articles: 500, PageBytes: 60_000})
	srv := httptest.NewServer(site)
	defer srv.Close()
	for b.Loop() {
		c, err := New(fastOptions(), NewMemState(), nil)
		if err != nil {
			b.Fatal(err)
		}
		stats, err := c.Run(context.Background(), []string{srv.URL + "/"}, func(folio.Page) {})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(stats.Fetched)/stats.Elapsed.Seconds(), "pages/s")
		b.ReportMetric(float64(stats.Requests), "requests")
	}
}

// TestWPRepliesNoindexAndCopies: on the fixture site, no comment-reply or
// sharing address is requested; pages that ask robots not to index them
// are fetched once and not handed on, their links followed unless they say
// nofollow; a copy of an article whose canonical link names the article is
// not handed on, and the article is fetched once.
func TestWPRepliesNoindexAndCopies(t *testing.T) {
	t.Parallel()
	site, base, stats, sink := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultNoindex | wpsite.FaultDuplicate}, fastOptions())
	fp := site.Faults()
	for _, param := range []string{"replytocom", "share"} {
		if n := site.RequestsWithParam(param); n != 0 {
			t.Errorf("%d requests with ?%s=", n, param)
		}
	}
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n != 1 || sink.count[base+p] != 1 {
			t.Errorf("article %s requested %d times, handed on %d times; want 1 and 1", p, n, sink.count[base+p])
		}
	}
	for _, p := range fp.Noindex {
		if n := site.Requests(p); n != 1 || sink.count[base+p] != 0 {
			t.Errorf("noindex preview %s requested %d times, handed on %d times; want 1 and 0", p, n, sink.count[base+p])
		}
	}
	if n := site.Requests(fp.NoindexLink); n != 1 || sink.count[base+fp.NoindexLink] != 1 {
		t.Errorf("the page a noindex, follow preview links: requested %d times, handed on %d; want 1 and 1", n, sink.count[base+fp.NoindexLink])
	}
	for _, p := range fp.Unfollowed {
		if n := site.Requests(p); n != 0 {
			t.Errorf("%s, linked only nofollow, requested %d times", p, n)
		}
	}
	copies := 0
	for link := range fp.Copies {
		path, _, _ := strings.Cut(link, "?")
		if path == fp.Copies[link] {
			continue // the article itself, once its query is dropped
		}
		copies++
		if n := site.Requests(path); n != 1 || sink.count[base+path] != 0 {
			t.Errorf("copy %s requested %d times, handed on %d times; want 1 and 0", path, n, sink.count[base+path])
		}
	}
	if copies != 1 {
		t.Errorf("%d copies at their own path, want the print version", copies)
	}
	if stats.SkippedByReason["noindex"] != len(fp.Noindex) || stats.SkippedByReason["canonical"] != copies || stats.SkippedByReason["nofollow"] == 0 {
		t.Errorf("skipped %v, want noindex %d, canonical %d and nofollow links", stats.SkippedByReason, len(fp.Noindex), copies)
	}
	if stats.Errors != 0 {
		t.Errorf("errors: %v", stats.ErrorsByKind)
	}
}

// TestWPRepliesWithoutRobots: with robots directives ignored, the
// comment-reply links marked nofollow are followed, and still cost no
// request: their canonical form is the post.
func TestWPRepliesWithoutRobots(t *testing.T) {
	t.Parallel()
	opts := fastOptions()
	opts.IgnoreRobots = true
	site, _, stats, _ := wpCrawl(t, wpsite.Options{Faults: wpsite.FaultDuplicate}, opts)
	for _, param := range []string{"replytocom", "share"} {
		if n := site.RequestsWithParam(param); n != 0 {
			t.Errorf("%d requests with ?%s=", n, param)
		}
	}
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n != 1 {
			t.Errorf("article %s requested %d times, want 1", p, n)
		}
	}
	if n := stats.SkippedByReason["nofollow"]; n != 0 {
		t.Errorf("%d nofollow links skipped with robots ignored", n)
	}
}

// TestWPRecheckFromTheFeed: on a site without validators, an archived
// article is fetched again when the feed dates a change after its last
// fetch, whichever worker takes it before the feed is read, and not
// otherwise. The state records every article as published long ago, so
// that the age schedule never makes one due.
func TestWPRecheckFromTheFeed(t *testing.T) {
	t.Parallel()
	site := wpsite.New(wpsite.Options{Articles: 60})
	srv := httptest.NewServer(site)
	defer srv.Close()
	st := NewMemState()
	articles := map[string]bool{}
	for _, p := range site.ArticlePaths() {
		articles[srv.URL+p] = true
	}
	longAgo := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	archive := func(p folio.Page) {
		if articles[p.URL] && p.Body != nil {
			st.SetArchived(p.URL, folio.ArchivedPage{Checked: p.FetchedAt, Archived: longAgo, Published: &longAgo})
		}
	}
	newest := site.Expected(srv.URL)[0].Published
	crawl := func(at time.Time) (Stats, int) {
		t.Helper()
		opts := fastOptions()
		opts.Now = func() time.Time { return at }
		c, err := New(opts, st, nil)
		if err != nil {
			t.Fatal(err)
		}
		site.ResetRequests()
		stats, err := c.Run(context.Background(), []string{srv.URL + "/"}, archive)
		if err != nil {
			t.Fatal(err)
		}
		fetched := 0
		for _, p := range site.ArticlePaths() {
			fetched += site.Requests(p)
		}
		return stats, fetched
	}
	if _, n := crawl(newest.Add(2 * time.Hour)); n != len(articles) {
		t.Fatalf("first crawl fetched %d articles, want %d", n, len(articles))
	}
	stats, n := crawl(newest.Add(20 * time.Hour))
	if n != 0 || stats.SkippedByReason["not_due"] != len(articles) {
		t.Errorf("unchanged re-crawl fetched %d articles, skipped %v; want none, all not_due", n, stats.SkippedByReason)
	}
	edited := site.ArticlePaths()[3]
	site.Edit(edited)
	// The feed's lastBuildDate is now the edit's day: every article it
	// lists is fetched once, the others are not.
	stats, n = crawl(newest.AddDate(0, 0, 1).Add(2 * time.Hour))
	if site.Requests(edited) != 1 || n != 10 || stats.SkippedByReason["not_due"] != len(articles)-10 {
		t.Errorf("after an edit to %s, in the feed: %d articles fetched (it %d times), skipped %v; want the feed's 10",
			edited, n, site.Requests(edited), stats.SkippedByReason)
	}
	if _, n = crawl(newest.AddDate(0, 0, 1).Add(5 * time.Hour)); n != 0 {
		t.Errorf("the run after fetched %d articles, want none", n)
	}
}

// TestWPReplyRedirects: on a site of 200 articles whose comment-reply
// links answer 302 to the post, each article is fetched once: the
// comment-reply addresses are the post, and are not requested, whether
// the nofollow on them is obeyed or not. (A redirect met anyway to a page
// the run has claimed or done costs no fetch of that page: TestWPOldSlugs,
// TestRunRedirectRace.)
func TestWPReplyRedirects(t *testing.T) {
	t.Parallel()
	for _, ignoreRobots := range []bool{false, true} {
		opts := fastOptions()
		opts.IgnoreRobots = ignoreRobots
		site, _, stats, _ := wpCrawl(t, wpsite.Options{Articles: 200, ReplyRedirects: true}, opts)
		if n := site.RequestsWithParam("replytocom"); n != 0 {
			t.Errorf("ignore robots %v: %d requests with ?replytocom=", ignoreRobots, n)
		}
		for _, p := range site.ArticlePaths() {
			if n := site.Requests(p); n != 1 {
				t.Errorf("ignore robots %v: article %s requested %d times, want 1", ignoreRobots, p, n)
			}
		}
		t.Logf("ignore robots %v: %d requests for %d articles", ignoreRobots, stats.Requests, len(site.ArticlePaths()))
	}
}
