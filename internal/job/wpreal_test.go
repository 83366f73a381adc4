package job

import (
	"context"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/internal/testsite/wpreal"
)

// TestCrawlRealWordPress crawls the pages saved from a real WordPress under
// each stock theme (internal/testsite/wpreal), over their real link
// structure (pagination, archives, feeds, wp-sitemap.xml, shortlinks,
// ?replytocom= reply links): every post is archived once, with its own
// title, and no other page gives a record.
func TestCrawlRealWordPress(t *testing.T) {
	t.Parallel()
	exp, err := wpreal.LoadExpected()
	if err != nil {
		t.Fatal(err)
	}
	for _, theme := range wpreal.Themes() {
		t.Run(theme, func(t *testing.T) {
			t.Parallel()
			site, err := wpreal.New(theme)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(site)
			defer srv.Close()
			host := strings.TrimPrefix(srv.URL, "http://")
			f := &fixture{base: srv.URL + "/", dir: t.TempDir()}
			f.open(t)
			sum, err := f.run(t, context.Background(), false, nil)
			if err != nil {
				t.Fatal(err)
			}

			titles := map[string]string{}
			for _, p := range exp.Posts {
				titles[wpreal.Rebase(p.URL, host)] = p.Title
			}
			archived := map[string]int{}
			err = f.store.Iterate(context.Background(), archive.IterateOptions{}, func(a folio.Article) error {
				archived[a.URL]++
				want, isPost := titles[a.URL]
				switch {
				case !isPost:
					t.Errorf("record for %s (%q), which is no post", a.URL, a.Title)
				case folio.FoldSpace(a.Title) != folio.FoldSpace(want):
					t.Errorf("record for %s titled %q, want %q", a.URL, a.Title, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for u := range titles {
				if archived[u] != 1 {
					t.Errorf("post %s archived %d times, want once", u, archived[u])
				}
			}
			if sum.New != len(exp.Posts) || sum.Changed != 0 {
				t.Errorf("summary: %d new, %d changed; want %d new", sum.New, sum.Changed, len(exp.Posts))
			}
			missing := site.Missing()
			t.Logf("%s: %d requests (%d with replytocom), %d pages judged no article, %d errors %v, %d addresses not saved: %v",
				theme, site.TotalRequests(), site.RequestsWithQuery("replytocom"), sum.NotArticles, sum.Errors, sum.ErrorsByKind,
				len(missing), slices.Sorted(func(yield func(string) bool) {
					for k := range missing {
						if !yield(k) {
							return
						}
					}
				}))

			t.Run("no replytocom requests", func(t *testing.T) {
				if n := site.RequestsWithQuery("replytocom"); n != 0 {
					t.Errorf("%d requests for ?replytocom= addresses, want none", n)
				}
			})
		})
	}
}

// TestRecrawlRealWordPress re-crawls the saved WordPress (which sends no
// validators on its posts) on an injected clock, 2 hours then 22 hours
// after its newest post: the re-crawl of the unchanged site fetches at
// most a fifth of its posts (crawler.Recheck).
func TestRecrawlRealWordPress(t *testing.T) {
	t.Parallel()
	exp, err := wpreal.LoadExpected()
	if err != nil {
		t.Fatal(err)
	}
	var newest time.Time
	for _, p := range exp.Posts {
		d, err := time.Parse(time.RFC3339, p.Published)
		if err != nil {
			t.Fatal(err)
		}
		if d.After(newest) {
			newest = d
		}
	}
	theme := wpreal.Themes()[len(wpreal.Themes())-1]
	site, err := wpreal.New(theme)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	var paths []string
	for _, p := range exp.Posts {
		u, err := url.Parse(p.URL)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, u.Path)
	}
	f := &fixture{base: srv.URL + "/", dir: t.TempDir()}
	f.open(t)
	crawl := func(at time.Time) (Summary, int, int) {
		t.Helper()
		before := site.TotalRequests()
		posts := 0
		for _, p := range paths {
			posts -= site.Requests(p)
		}
		sum, err := Run(context.Background(), f.localSite(), Deps{Archive: f.store, Index: f.index, Now: func() time.Time { return at }}, RunOptions{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			posts += site.Requests(p)
		}
		return sum, site.TotalRequests() - before, posts
	}
	first, firstRequests, firstPosts := crawl(newest.Add(2 * time.Hour))
	if first.New != len(exp.Posts) || firstPosts != len(exp.Posts) {
		t.Fatalf("first crawl: %d new, %d post fetches; want %d", first.New, firstPosts, len(exp.Posts))
	}
	again, requests, posts := crawl(newest.Add(22 * time.Hour))
	if posts > len(exp.Posts)/5 || again.New+again.Changed != 0 || again.Errors != 0 {
		t.Errorf("re-crawl: %d post fetches, %d new, %d changed, %d errors; want at most %d and nothing new",
			posts, again.New, again.Changed, again.Errors, len(exp.Posts)/5)
	}
	t.Logf("%s: first crawl %d requests, %d posts; re-crawl 20 h later %d requests, %d posts fetched (%.1f %%), skipped %v",
		theme, firstRequests, firstPosts, requests, posts, 100*float64(posts)/float64(len(exp.Posts)), again.Crawl.SkippedByReason)
}
