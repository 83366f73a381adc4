package archive

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio"
)

func TestCrawlState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const site, other = "radio.example", "autre.example"
	u := func(path string) string { return "https://radio.example" + path }
	fu := func(path string, depth int) folio.FrontierURL { return folio.FrontierURL{URL: u(path), Depth: depth} }

	// Each step acts and the frontier after it is checked.
	type step struct {
		name      string
		act       func() (added bool, err error)
		wantAdded bool
		want      []folio.FrontierURL
	}
	enqueue := func(url string, depth int) func() (bool, error) {
		return func() (bool, error) { return s.Enqueue(ctx, site, url, depth) }
	}
	done := func(url string) func() (bool, error) {
		return func() (bool, error) { return false, s.Done(ctx, site, url) }
	}
	steps := []step{
		{"enqueue a seed", enqueue(u("/"), 0), true, []folio.FrontierURL{fu("/", 0)}},
		{"enqueue a link", enqueue(u("/a/"), 1), true, []folio.FrontierURL{fu("/", 0), fu("/a/", 1)}},
		{"enqueue it again, deeper", enqueue(u("/a/"), 2), false, []folio.FrontierURL{fu("/", 0), fu("/a/", 1)}},
		{"mark the seed done", done(u("/")), false, []folio.FrontierURL{fu("/a/", 1)}},
		{"a done URL is not enqueued again", enqueue(u("/"), 0), false, []folio.FrontierURL{fu("/a/", 1)}},
		{"done without enqueue", done(u("/b/")), false, []folio.FrontierURL{fu("/a/", 1)}},
		{"which is then not enqueued", enqueue(u("/b/"), 1), false, []folio.FrontierURL{fu("/a/", 1)}},
		{"another site is apart", func() (bool, error) { return s.Enqueue(ctx, other, u("/c/"), 1) }, true,
			[]folio.FrontierURL{fu("/a/", 1)}},
		{"enqueue order is kept", enqueue(u("/0/"), 3), true, []folio.FrontierURL{fu("/a/", 1), fu("/0/", 3)}},
	}
	for _, st := range steps {
		added, err := st.act()
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if added != st.wantAdded {
			t.Errorf("%s: added = %v, want %v", st.name, added, st.wantAdded)
		}
		got, err := s.Frontier(ctx, site)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("%s: frontier (-want +got):\n%s", st.name, diff)
		}
	}

	// A killed crawl leaves its state behind for the next process.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, dir)
	got, err := s.Frontier(ctx, site)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]folio.FrontierURL{fu("/a/", 1), fu("/0/", 3)}, got); diff != "" {
		t.Errorf("frontier after reopen (-want +got):\n%s", diff)
	}
	if added, err := s.Enqueue(ctx, site, u("/"), 0); err != nil || added {
		t.Errorf("Enqueue of a done URL after reopen = %v, %v; want false", added, err)
	}

	// Finish forgets the crawl of one site only.
	if err := s.Finish(ctx, site); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Frontier(ctx, site); err != nil || len(got) != 0 {
		t.Errorf("frontier after Finish = %v, %v; want empty", got, err)
	}
	if added, err := s.Enqueue(ctx, site, u("/"), 0); err != nil || !added {
		t.Errorf("Enqueue after Finish = %v, %v; want a fresh crawl", added, err)
	}
	if got, err := s.Frontier(ctx, other); err != nil || len(got) != 1 {
		t.Errorf("frontier of the other site after Finish = %v, %v; want its 1 URL", got, err)
	}
}

func TestValidators(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("radio.example", 1)
	page := testPage(a)
	page.RequestedURL = "https://radio.example/?p=1"
	page.Header = http.Header{"Etag": {`W/"v1"`}, "Last-Modified": {"Mon, 07 Nov 2022 08:00:00 GMT"}}
	mustPut(t, s, a, page)

	check := func(url, wantETag, wantLM string) {
		t.Helper()
		etag, lm, err := s.Validators(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		if etag != wantETag || lm != wantLM {
			t.Errorf("Validators(%s) = %q, %q; want %q, %q", url, etag, lm, wantETag, wantLM)
		}
	}
	check(a.URL, `W/"v1"`, "Mon, 07 Nov 2022 08:00:00 GMT")
	check(page.RequestedURL, `W/"v1"`, "Mon, 07 Nov 2022 08:00:00 GMT")
	check("https://radio.example/never-fetched/", "", "")

	// The same text served with new validators: they replace the old ones,
	// or the next crawl would fetch the page in full every time.
	page.Header = http.Header{"Etag": {`W/"v2"`}}
	page.FetchedAt = page.FetchedAt.Add(24 * time.Hour)
	if res := mustPut(t, s, a, page); res.Outcome != Unchanged {
		t.Fatalf("Put = %v, want unchanged", res.Outcome)
	}
	check(a.URL, `W/"v2"`, "")

	// A record stored without its page (an import) leaves validators alone.
	mustPut(t, s, a, folio.Page{})
	check(a.URL, `W/"v2"`, "")
}
