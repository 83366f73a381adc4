package job

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/extract"
	"folio/index"
	"folio/internal/testsite/wpsite"
)

type fixture struct {
	site  *wpsite.Site
	base  string
	dir   string
	store *archive.Store
	index *index.Shared
}

func newFixture(t testing.TB, opts wpsite.Options) *fixture {
	t.Helper()
	site := wpsite.New(opts)
	return serveFixture(t, site, site)
}

// serveFixture is a fixture on site, served through h (site itself, or a
// handler in front of it).
func serveFixture(t testing.TB, site *wpsite.Site, h http.Handler) *fixture {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	f := &fixture{site: site, base: srv.URL + "/", dir: t.TempDir()}
	f.open(t)
	return f
}

func (f *fixture) open(t testing.TB) {
	t.Helper()
	st, err := archive.Open(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.OpenShared(f.dir+"/index.bleve", index.Options{Logger: testLogger()})
	if err != nil {
		t.Fatal(err)
	}
	f.store, f.index = st, ix
	t.Cleanup(func() { f.close() })
}

func (f *fixture) close() {
	if f.index != nil {
		f.index.Close()
		f.index = nil
	}
	if f.store != nil {
		f.store.Close()
		f.store = nil
	}
}

// docCount is the number of records in the index.
func (f *fixture) docCount(t testing.TB) uint64 {
	t.Helper()
	return readIndex(t, f.index, (*index.Index).DocCount)
}

// readIndex returns what read gives of the shared index, failing t on an
// error.
func readIndex[T any](t testing.TB, sh *index.Shared, read func(*index.Index) (T, error)) T {
	t.Helper()
	var v T
	err := sh.Read(func(ix *index.Index) error {
		var err error
		v, err = read(ix)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (f *fixture) localSite() Site {
	s := SiteFor(f.base)
	s.Crawl.Concurrency = 8
	zero := time.Duration(0)
	s.Crawl.Delay = &zero
	return s
}

func (f *fixture) run(t testing.TB, ctx context.Context, full bool, onEvent func(Event)) (Summary, error) {
	t.Helper()
	return Run(ctx, f.localSite(), Deps{Archive: f.store, Index: f.index}, RunOptions{Full: full}, onEvent)
}

func TestRunArchivesAndIndexesEveryArticle(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wpsite.Options{Articles: 60})
	sum, outcomes, err := f.runOutcomes(t)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 60 || sum.Changed != 0 || sum.Errors != 0 || sum.Indexed != 60 {
		t.Fatalf("summary: new %d changed %d errors %d (%v) indexed %d; want 60 new, 60 indexed, no errors",
			sum.New, sum.Changed, sum.Errors, sum.ErrorsByKind, sum.Indexed)
	}
	if want := len(f.site.NonArticlePaths()); sum.NotArticles < want {
		t.Errorf("%d pages judged not articles, want at least the site's %d non-article pages", sum.NotArticles, want)
	}
	f.checkOutcomes(t, outcomes)
	if n := f.docCount(t); n != 60 {
		t.Errorf("index holds %d documents, want 60", n)
	}
	seq, _ := f.store.MaxSeq(context.Background())
	if last, _ := f.index.LastSeq(); last != uint64(seq) {
		t.Errorf("index last sequence %d, archive %d", last, seq)
	}
	runs, err := f.store.Runs(context.Background(), 1)
	if err != nil || len(runs) != 1 || runs[0].New != 60 || runs[0].Ended.IsZero() {
		t.Fatalf("run history: %+v, %v", runs, err)
	}
}

// runOutcomes runs a crawl and returns, beside its summary, the outcome of
// each page it handled.
func (f *fixture) runOutcomes(t testing.TB) (Summary, map[string]Outcome, error) {
	t.Helper()
	var mu sync.Mutex
	outcomes := map[string]Outcome{}
	sum, err := f.run(t, context.Background(), false, func(e Event) {
		if e.Kind == EventPage {
			mu.Lock()
			outcomes[e.URL] = e.Outcome
			mu.Unlock()
		}
	})
	return sum, outcomes, err
}

// checkOutcomes holds a crawl's outcomes to the site: the articles new, the
// listings and the WordPress pages (legal notice, about, contact, section
// index, calendar) not articles.
func (f *fixture) checkOutcomes(t testing.TB, outcomes map[string]Outcome) {
	t.Helper()
	for _, p := range f.site.ArticlePaths() {
		if got := outcomes[strings.TrimSuffix(f.base, "/")+p]; got != OutcomeNew {
			t.Errorf("article %s: outcome %q, want %q", p, got, OutcomeNew)
		}
	}
	for _, p := range f.site.NonArticlePaths() {
		if got := outcomes[strings.TrimSuffix(f.base, "/")+p]; got != OutcomeNotArticle {
			t.Errorf("%s: outcome %q, want %q", p, got, OutcomeNotArticle)
		}
	}
}

// TestRunRefusesPagesUnderSEOMetadata: an SEO plugin types the WordPress
// pages og:type article, as it does posts; none of them is archived.
func TestRunRefusesPagesUnderSEOMetadata(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wpsite.Options{Articles: 20, SEOMeta: true})
	sum, outcomes, err := f.runOutcomes(t)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 20 || sum.Errors != 0 {
		t.Errorf("summary: new %d errors %d (%v); want 20 new, no errors", sum.New, sum.Errors, sum.ErrorsByKind)
	}
	f.checkOutcomes(t, outcomes)
}

// TestRecrawlFetchesNoUnchangedArticle: with validators on the site, the
// second crawl asks conditionally and stores nothing new.
func TestRecrawlFetchesNoUnchangedArticle(t *testing.T) {
	t.Parallel()
	const articles = 30
	f := newFixture(t, wpsite.Options{Articles: articles, Validators: true})
	if _, err := f.run(t, context.Background(), false, nil); err != nil {
		t.Fatal(err)
	}
	revisionsBefore := countRevisions(t, f.store)
	f.site.ResetRequests()
	sum, err := f.run(t, context.Background(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 0 || sum.Changed != 0 || sum.Crawl.NotModified != articles {
		t.Errorf("recrawl: new %d changed %d not-modified %d; want 0, 0, %d", sum.New, sum.Changed, sum.Crawl.NotModified, articles)
	}
	if got := countRevisions(t, f.store); got != revisionsBefore {
		t.Errorf("revisions %d → %d: an unchanged site stored new ones", revisionsBefore, got)
	}
	for _, p := range f.site.ArticlePaths() {
		if n := f.site.Requests(p); n != 1 {
			t.Errorf("%s requested %d times in the recrawl, want one conditional request", p, n)
		}
	}

	// --full fetches every article again, and still stores nothing new.
	sum, err = f.run(t, context.Background(), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != articles || sum.New+sum.Changed != 0 || sum.Crawl.NotModified != 0 {
		t.Errorf("full recrawl: unchanged %d new %d changed %d 304 %d", sum.Unchanged, sum.New, sum.Changed, sum.Crawl.NotModified)
	}
}

// TestStoppedRunResumes: a run stopped midway keeps its frontier; the next
// run finishes the job with every article archived once. The site holds
// every article request past the 30th until the stop, so that the stopped
// run cannot have fetched them all first (on a fast machine, with the
// site answering at once, it had: 60 of 60 stored).
func TestStoppedRunResumes(t *testing.T) {
	t.Parallel()
	site := wpsite.New(wpsite.Options{Articles: 60})
	articles := map[string]bool{}
	for _, p := range site.ArticlePaths() {
		articles[p] = true
	}
	var served atomic.Int32
	stopped := make(chan struct{})
	f := serveFixture(t, site, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if articles[r.URL.Path] && served.Add(1) > 30 {
			select {
			case <-stopped:
			case <-r.Context().Done():
			}
		}
		site.ServeHTTP(w, r)
	}))
	ctx, cancel := context.WithCancel(context.Background())
	var stored atomic.Int32
	sum, err := f.run(t, ctx, false, func(e Event) {
		if e.Kind == EventPage && e.Outcome == OutcomeNew && stored.Add(1) == 20 {
			cancel()
			close(stopped)
		}
	})
	if !errors.Is(err, context.Canceled) || !sum.Interrupted {
		t.Fatalf("stopped run: err %v, interrupted %v", err, sum.Interrupted)
	}
	first := sum.New
	if first < 20 || first >= 60 {
		t.Fatalf("stopped run stored %d articles, want between 20 and 59", first)
	}
	// Every article stored by the stopped run is in the index too.
	if n := f.docCount(t); n != uint64(first) {
		t.Errorf("index holds %d documents after the stop, archive %d", n, first)
	}
	sum, err = f.run(t, context.Background(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first+sum.New != 60 {
		t.Errorf("resumed run stored %d new, stopped one %d: want 60 in all", sum.New, first)
	}
	if n, _ := f.store.Count(context.Background()); n != 60 {
		t.Errorf("archive holds %d records, want 60", n)
	}
	for _, p := range f.site.ArticlePaths() {
		if n := f.site.Requests(p); n > 2 {
			t.Errorf("%s requested %d times over both runs", p, n)
		}
	}
}

// TestSyncIndexCatchesUp: records archived without reaching the index (a
// crash between the two writes) are indexed by the next SyncIndex.
func TestSyncIndexCatchesUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wpsite.Options{Articles: 30})
	sum, err := Run(context.Background(), f.localSite(), Deps{Archive: f.store}, RunOptions{}, nil)
	if err != nil || sum.New != 30 {
		t.Fatalf("archive-only run: %v, %d new", err, sum.New)
	}
	if n := f.docCount(t); n != 0 {
		t.Fatalf("index holds %d documents before catching up", n)
	}
	var progress []IndexProgress
	n, err := SyncIndex(context.Background(), f.store, f.index, 12, func(p IndexProgress) { progress = append(progress, p) })
	if err != nil || n != 30 {
		t.Fatalf("SyncIndex: %d, %v", n, err)
	}
	if len(progress) != 3 || progress[2].Indexed != 30 {
		t.Errorf("progress %+v: want batches of 12, 12 and 6", progress)
	}
	if n, err := SyncIndex(context.Background(), f.store, f.index, 12, nil); err != nil || n != 0 {
		t.Errorf("second SyncIndex indexed %d (%v), want 0", n, err)
	}
	res, err := f.index.Search(context.Background(), index.Query{Text: "coree", Limit: 1})
	if err != nil || res.Total == 0 {
		t.Errorf("search after catch-up: %d hits, %v", res.Total, err)
	}
}

func TestReindexRebuildsFromArchive(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wpsite.Options{Articles: 30})
	if _, err := f.run(t, context.Background(), false, nil); err != nil {
		t.Fatal(err)
	}
	fresh, err := index.Open(t.TempDir()+"/rebuilt.bleve", index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	n, err := Reindex(context.Background(), f.store, fresh, 0, nil)
	if err != nil || n != 30 {
		t.Fatalf("Reindex: %d, %v", n, err)
	}
	if c, _ := fresh.DocCount(); c != 30 {
		t.Errorf("rebuilt index holds %d documents, want 30", c)
	}
}

func TestSiteValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		site Site
		want string
	}{
		{Site{}, "start_urls"},
		{Site{StartURLs: []string{"radio.example"}}, "http"},
		{Site{StartURLs: []string{"https://"}}, "no host"},
		{Site{StartURLs: []string{"https://a.example/"}, Rules: extract.Rules{Title: "h1["}}, "rules"},
	}
	for _, tt := range tests {
		err := tt.site.WithDefaults().Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want an error about %q", tt.site.StartURLs, err, tt.want)
		}
	}
	if s := SiteFor("https://Radio.Example/"); s.Name != "radio.example" || s.Validate() != nil {
		t.Errorf("SiteFor: name %q, err %v", s.Name, s.Validate())
	}
}

func countRevisions(t testing.TB, st *archive.Store) int {
	t.Helper()
	total := 0
	err := st.Iterate(context.Background(), archive.IterateOptions{}, func(a folio.Article) error {
		revs, err := st.Revisions(context.Background(), a.ID)
		total += len(revs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}
