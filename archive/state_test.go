package archive

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio"
)

func TestCrawlState(t *testing.T) {
	ctx := context.Background()
	dir := testLocation(t)
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
	if got, err := s.DoneURLs(ctx); err != nil || !slices.Equal(got, []string{u("/"), u("/b/")}) {
		t.Errorf("DoneURLs after reopen = %q, %v; want the seed and /b/", got, err)
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

func TestArchived(t *testing.T) {
	ctx := context.Background()
	loc := testLocation(t)
	s := openStore(t, loc)
	a := testArticle("radio.example", 1)
	modified := a.Published.Add(48 * time.Hour)
	a.Modified = &modified
	page := testPage(a)
	page.RequestedURL = "https://radio.example/?p=1"
	page.Header = http.Header{"Etag": {`W/"v1"`}, "Last-Modified": {"Mon, 07 Nov 2022 08:00:00 GMT"}}
	first := page.FetchedAt
	mustPut(t, s, a, page)

	// Asked of the store that put the page, and of a store that did not
	// (on PostgreSQL, it answers from what it read of the whole site).
	check := func(url string, want folio.ArchivedPage) {
		t.Helper()
		for _, st := range []*Store{s, openStore(t, loc, ReadOnly())} {
			got, err := st.Archived(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, equalTimes); diff != "" {
				t.Errorf("Archived(%s) (-want +got):\n%s", url, diff)
			}
		}
	}
	want := folio.ArchivedPage{
		ETag: `W/"v1"`, LastModified: "Mon, 07 Nov 2022 08:00:00 GMT",
		Checked: first, Archived: first, Published: a.Published, Modified: a.Modified,
	}
	check(a.URL, want)
	check(page.RequestedURL, want)
	check("https://radio.example/never-fetched/", folio.ArchivedPage{})

	// Fetched at an address of another host (a redirect), which answers
	// for it there too.
	b := testArticle("radio.example", 2)
	other := testPage(b)
	other.RequestedURL = "http://www.radio.example:8080/?p=2"
	other.Header = http.Header{"Etag": {`"b"`}}
	mustPut(t, s, b, other)
	wantB := folio.ArchivedPage{ETag: `"b"`, Checked: b.FetchedAt, Archived: b.FetchedAt, Published: b.Published}
	check(other.RequestedURL, wantB)
	check(b.URL, wantB)
	check("http://www.radio.example:8080/?p=3", folio.ArchivedPage{})

	// The same text served a day later with new validators: they replace
	// the old ones (or the next crawl would fetch the page in full every
	// time), and the page counts as checked then.
	page.Header = http.Header{"Etag": {`W/"v2"`}}
	page.FetchedAt = first.Add(24 * time.Hour)
	if res := mustPut(t, s, a, page); res.Outcome != Unchanged {
		t.Fatalf("Put = %v, want unchanged", res.Outcome)
	}
	want.ETag, want.LastModified, want.Checked = `W/"v2"`, "", page.FetchedAt
	check(a.URL, want)

	// A record stored without its page (an import) leaves validators alone.
	mustPut(t, s, a, folio.Page{})
	check(a.URL, want)

	// A changed text, fetched from its canonical URL with no validators:
	// Changed is that fetch, Archived stays the first one; the address of
	// the first fetch keeps its own validators.
	a.Body += "\n\nMise à jour."
	a.ContentHash = ""
	a.Modified = nil
	a.FetchedAt = first.Add(72 * time.Hour)
	page = testPage(a)
	page.Header = http.Header{}
	if res := mustPut(t, s, a, page); res.Outcome != Changed {
		t.Fatalf("Put = %v, want changed", res.Outcome)
	}
	check(a.URL, folio.ArchivedPage{Checked: a.FetchedAt, Archived: first, Changed: a.FetchedAt, Published: a.Published})
	check("https://radio.example/?p=1", folio.ArchivedPage{
		ETag: `W/"v2"`, Checked: a.FetchedAt, Archived: first, Changed: a.FetchedAt, Published: a.Published,
	})
}
