package job

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"folio/internal/testsite/wpsite"
)

// recrawlFixture crawls the fixture site on a clock of its own, as a site
// that sends neither ETag nor Last-Modified.
type recrawlFixture struct {
	*fixture
	t      *testing.T
	newest time.Time // the newest post's publication
}

func newRecrawlFixture(t *testing.T, opts wpsite.Options) *recrawlFixture {
	f := newFixture(t, opts)
	return &recrawlFixture{fixture: f, t: t, newest: f.site.Expected(strings.TrimSuffix(f.base, "/"))[0].Published}
}

// crawl runs a crawl at the given time and returns its summary and the
// paths of the articles whose page the site sent.
func (f *recrawlFixture) crawl(at time.Time, full bool) (Summary, []string) {
	f.t.Helper()
	f.site.ResetRequests()
	sum, err := Run(context.Background(), f.localSite(), Deps{
		Archive: f.store, Index: f.index, Now: func() time.Time { return at },
	}, RunOptions{Full: full}, nil)
	if err != nil {
		f.t.Fatalf("crawl at %s: %v", at, err)
	}
	var fetched []string
	for _, p := range f.site.ArticlePaths() {
		if f.site.Answered(p, http.StatusOK) > 0 {
			fetched = append(fetched, p)
		}
	}
	return sum, fetched
}

func (f *recrawlFixture) revisions(path string) int {
	f.t.Helper()
	revs, err := f.store.Revisions(context.Background(), strings.TrimSuffix(f.base, "/")+path)
	if err != nil {
		f.t.Fatal(err)
	}
	return len(revs)
}

// TestRecrawlWithoutValidators holds re-crawls of a site that sends no
// validators to crawler.Recheck: an unchanged site costs at most a fifth of
// its articles, an edit to a post of the feed is caught on the next run, an
// edit to an old post within the schedule's longest interval (30 days),
// and --full still fetches everything.
func TestRecrawlWithoutValidators(t *testing.T) {
	t.Parallel()
	const articles = 30
	f := newRecrawlFixture(t, wpsite.Options{Articles: articles})
	t0 := f.newest.Add(2 * time.Hour)
	first, fetched := f.crawl(t0, false)
	if first.New != articles || len(fetched) != articles {
		t.Fatalf("first crawl: %d new, %d articles fetched; want %d", first.New, len(fetched), articles)
	}

	sum, fetched := f.crawl(t0.Add(20*time.Hour), false)
	if len(fetched) > articles/5 || sum.New+sum.Changed != 0 || sum.Errors != 0 {
		t.Errorf("unchanged re-crawl: %d articles fetched (%v), %d new, %d changed, %d errors; want at most %d and nothing new",
			len(fetched), fetched, sum.New, sum.Changed, sum.Errors, articles/5)
	}
	t.Logf("first crawl: %d requests, %d articles; unchanged re-crawl 20 h later: %d requests, %d articles fetched (%.1f %%), skipped %v",
		first.Crawl.Requests, articles, sum.Crawl.Requests, len(fetched), 100*float64(len(fetched))/articles, sum.Crawl.SkippedByReason)

	// The newest post, in the feed, and the oldest are edited; the edits
	// are dated the day after the newest post.
	paths := f.site.ArticlePaths()
	newest, oldest := paths[0], paths[len(paths)-1]
	f.site.Edit(newest, oldest)
	edited := f.newest.AddDate(0, 0, 1)
	sum, fetched = f.crawl(edited.Add(2*time.Hour), false)
	if sum.Changed != 1 || f.revisions(newest) != 2 || !slices.Contains(fetched, newest) {
		t.Errorf("next run: %d changed, fetched %v; want the newest post %s changed", sum.Changed, fetched, newest)
	}
	if slices.Contains(fetched, oldest) {
		t.Errorf("the oldest post, in no feed, fetched on the next run")
	}

	// 20 days later the oldest post is not due yet (its interval is at
	// least three quarters of 30 days); 30 days after its last fetch it is.
	if _, fetched = f.crawl(t0.Add(20*24*time.Hour), false); slices.Contains(fetched, oldest) {
		t.Error("the oldest post fetched after 20 days")
	}
	sum, fetched = f.crawl(t0.Add(30*24*time.Hour+time.Hour), false)
	if !slices.Contains(fetched, oldest) || f.revisions(oldest) != 2 || sum.Changed != 1 {
		t.Errorf("after 30 days: fetched %d articles, oldest among them %v, %d changed; want the oldest post's edit",
			len(fetched), slices.Contains(fetched, oldest), sum.Changed)
	}

	if _, fetched = f.crawl(t0.Add(31*24*time.Hour), true); len(fetched) != articles {
		t.Errorf("--full fetched %d articles, want %d", len(fetched), articles)
	}
}

// TestRecrawlSitemapLastmod: a site whose sitemaps give lastmod (WordPress
// 6.5 and later) has an edit to an old post caught on the next run.
func TestRecrawlSitemapLastmod(t *testing.T) {
	t.Parallel()
	f := newRecrawlFixture(t, wpsite.Options{Articles: 30, SitemapLastmod: true})
	t0 := f.newest.Add(2 * time.Hour)
	f.crawl(t0, false)
	paths := f.site.ArticlePaths()
	oldest := paths[len(paths)-1]
	f.site.Edit(oldest)
	sum, fetched := f.crawl(f.newest.AddDate(0, 0, 1).Add(2*time.Hour), false)
	if !slices.Contains(fetched, oldest) || sum.Changed != 1 || f.revisions(oldest) != 2 {
		t.Errorf("next run: fetched %v, %d changed; want the edited %s", fetched, sum.Changed, oldest)
	}
	if len(fetched) > len(paths)/5 {
		t.Errorf("next run fetched %d of %d articles", len(fetched), len(paths))
	}
}

// BenchmarkRecrawlDaily crawls the unchanged 120-article fixture site (no
// validators) once, then once a day for 60 days on an injected clock, and
// reports the articles fetched per daily re-crawl: the cost of
// crawler.Recheck's schedule, its monthly re-checks of old articles spread
// over the days.
//
//	go test ./internal/job -run '^$' -bench RecrawlDaily -benchtime 1x
func BenchmarkRecrawlDaily(b *testing.B) {
	const articles, days = 120, 60
	for b.Loop() {
		site := wpsite.New(wpsite.Options{Articles: articles})
		srv := httptest.NewServer(site)
		f := &fixture{site: site, base: srv.URL + "/", dir: b.TempDir()}
		f.open(b)
		t0 := site.Expected(srv.URL)[0].Published.Add(2 * time.Hour)
		total, most := 0, 0
		for day := 0; day <= days; day++ {
			site.ResetRequests()
			at := t0.Add(time.Duration(day) * 24 * time.Hour)
			if _, err := Run(context.Background(), f.localSite(), Deps{Archive: f.store, Now: func() time.Time { return at }}, RunOptions{}, nil); err != nil {
				b.Fatal(err)
			}
			n := 0
			for _, p := range site.ArticlePaths() {
				n += site.Answered(p, http.StatusOK)
			}
			if day > 0 {
				total += n
				most = max(most, n)
			}
		}
		f.close()
		srv.Close()
		b.ReportMetric(float64(total)/days, "articles/recrawl")
		b.ReportMetric(100*float64(total)/days/articles, "%/recrawl")
		b.ReportMetric(float64(most), "max-articles/recrawl")
	}
}
