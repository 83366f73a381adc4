package crawler

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"folio/internal/testsite/wpsite"
)

// TestRunWPSite crawls the fixture WordPress site and holds the crawl
// against its ground truth and its request counters.
func TestRunWPSite(t *testing.T) {
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
	_ = context.Background
}
