package job

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

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
	exp, err := wpreal.LoadExpected()
	if err != nil {
		t.Fatal(err)
	}
	for _, theme := range wpreal.Themes() {
		t.Run(theme, func(t *testing.T) {
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
				t.Skip("the crawler still follows WordPress's ?replytocom= reply links; " +
					"dropping the parameter and honouring rel=canonical and noindex is on branch crawl (issue 17, part 3), not yet in main")
				if n := site.RequestsWithQuery("replytocom"); n != 0 {
					t.Errorf("%d requests for ?replytocom= addresses, want none", n)
				}
			})
		})
	}
}
