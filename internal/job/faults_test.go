package job

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
	"folio/internal/testsite/wpsite"
)

// checkRecord holds an archived record to the site's ground truth on the
// fields the fault pages could spoil.
func checkRecord(t *testing.T, got folio.Article, want wpsite.Article) {
	t.Helper()
	for _, f := range []struct{ name, got, want string }{
		{"url", got.URL, want.URL},
		{"title", got.Title, want.Title},
		{"author", got.Author, want.Author},
		{"category", got.Category, want.Category},
		{"summary", got.Summary, want.Summary},
		{"body", got.Body, want.Body},
	} {
		if folio.FoldSpace(f.got) != folio.FoldSpace(f.want) {
			t.Errorf("%s: %s = %.80q…, want %.80q…", want.URL, f.name, f.got, f.want)
		}
	}
	if got.Published == nil || !got.Published.Equal(want.Published) {
		t.Errorf("%s: published %v, want %s", want.URL, got.Published, want.Published)
	}
}

// TestRunArchivesFaultSite crawls the site with every fault on (the slow
// page aside) and finds in the archive exactly its articles, each true to
// its ground truth, the Latin-1 and the broken page included; old
// addresses lead to their articles.
func TestRunArchivesFaultSite(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wpsite.Options{Faults: wpsite.AllFaults &^ wpsite.FaultSlow})
	ctx := context.Background()
	s := f.localSite()
	s.Crawl.RetryBackoff = 10 * time.Millisecond
	sum, err := Run(ctx, s, Deps{Archive: f.store, Index: f.index}, RunOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	base := strings.TrimSuffix(f.base, "/")
	truth := f.site.Expected(base)
	if sum.New != len(truth) || sum.Changed != 0 {
		t.Errorf("new %d, changed %d; want %d and 0", sum.New, sum.Changed, len(truth))
	}
	wantErrors := map[string]int{"redirect_loop": 1, "status_404": 3, "body_too_large": 1}
	if !mapsEqual(sum.ErrorsByKind, wantErrors) {
		t.Errorf("errors %v, want %v", sum.ErrorsByKind, wantErrors)
	}
	if n, _ := f.store.Count(ctx); n != int64(len(truth)) {
		t.Errorf("archive holds %d records, want %d", n, len(truth))
	}
	for _, want := range truth {
		got, err := f.store.Get(ctx, want.URL)
		if err != nil {
			t.Errorf("%s: %v", want.URL, err)
			continue
		}
		checkRecord(t, got, want)
	}
	fp := f.site.Faults()
	for old, current := range fp.OldSlugs {
		got, err := f.store.Get(ctx, base+old)
		if err != nil || got.URL != base+current {
			t.Errorf("Get(%s) = %s, %v; want the article at %s", old, got.URL, err, current)
		}
	}
	for link, current := range fp.Tracking {
		if f.site.Requests(current) != 1 {
			t.Errorf("%s (linked as %s) requested %d times", current, link, f.site.Requests(current))
		}
	}
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

// TestRecrawlAfterMutate: the site edits k articles and publishes k new
// ones; the re-crawl stores exactly k changed revisions and k new records,
// and fetches no unchanged article's body (every one answers 304).
func TestRecrawlAfterMutate(t *testing.T) {
	t.Parallel()
	const k = 5
	f := newFixture(t, wpsite.Options{Articles: 30, Validators: true})
	ctx := context.Background()
	if _, err := f.run(t, ctx, false, nil); err != nil {
		t.Fatal(err)
	}
	revisions := countRevisions(t, f.store)
	mu := f.site.Mutate(k)
	f.site.ResetRequests()
	var outcomesMu sync.Mutex
	outcomes := map[string]Outcome{}
	sum, err := f.run(t, ctx, false, func(e Event) {
		if e.Kind == EventPage {
			outcomesMu.Lock() // pages are handled concurrently
			outcomes[e.URL] = e.Outcome
			outcomesMu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != k || sum.Changed != k || sum.Unchanged != 0 {
		t.Errorf("recrawl: new %d, changed %d, unchanged %d; want %d, %d, 0", sum.New, sum.Changed, sum.Unchanged, k, k)
	}
	if got := countRevisions(t, f.store); got != revisions+2*k {
		t.Errorf("revisions %d → %d, want %d more", revisions, got, 2*k)
	}
	base := strings.TrimSuffix(f.base, "/")
	for _, p := range mu.Added {
		if outcomes[base+p] != OutcomeNew {
			t.Errorf("added %s: outcome %q", p, outcomes[base+p])
		}
	}
	for _, p := range mu.Changed {
		if outcomes[base+p] != OutcomeChanged {
			t.Errorf("edited %s: outcome %q", p, outcomes[base+p])
		}
		revs, err := f.store.Revisions(ctx, base+p)
		if err != nil || len(revs) != 2 {
			t.Errorf("edited %s: %d revisions (%v), want 2", p, len(revs), err)
		}
	}
	fetched := slices.Concat(mu.Changed, mu.Added)
	for _, p := range f.site.ArticlePaths() {
		if slices.Contains(fetched, p) {
			continue
		}
		if f.site.Answered(p, http.StatusOK) != 0 || f.site.Answered(p, http.StatusNotModified) != 1 {
			t.Errorf("unchanged %s: %d bodies sent, %d 304s; want 0 and 1", p, f.site.Answered(p, 200), f.site.Answered(p, 304))
		}
	}
	for _, want := range f.site.Expected(base) {
		got, err := f.store.Get(ctx, want.URL)
		if err != nil {
			t.Errorf("%s: %v", want.URL, err)
			continue
		}
		checkRecord(t, got, want)
	}
}

// BenchmarkRecrawl500 crawls an unchanged 500-article site (validators on,
// pages of ~60 KB) after a first crawl, and checks what the issue asks of
// an incremental re-crawl: no new revision, and every article request a
// conditional one answered 304. It reports both crawls' requests and wall
// times.
func BenchmarkRecrawl500(b *testing.B) {
	const articles = 500
	for b.Loop() {
		b.StopTimer()
		f := newFixture(b, wpsite.Options{Articles: articles, Validators: true, PageBytes: 60_000})
		ctx := context.Background()
		start := time.Now()
		first, err := f.run(b, ctx, false, nil)
		if err != nil {
			b.Fatal(err)
		}
		firstTime := time.Since(start)
		firstRequests := f.site.TotalRequests()
		revisions := countRevisions(b, f.store)
		f.site.ResetRequests()
		b.StartTimer()

		start = time.Now()
		sum, err := f.run(b, ctx, false, nil)
		if err != nil {
			b.Fatal(err)
		}
		again := time.Since(start)

		b.StopTimer()
		if first.New != articles || sum.New+sum.Changed != 0 || sum.Crawl.NotModified != articles {
			b.Errorf("first crawl %d new; recrawl %d new, %d changed, %d not modified", first.New, sum.New, sum.Changed, sum.Crawl.NotModified)
		}
		if got := countRevisions(b, f.store); got != revisions {
			b.Errorf("revisions %d → %d on an unchanged site", revisions, got)
		}
		bodies := 0
		for _, p := range f.site.ArticlePaths() {
			bodies += f.site.Answered(p, http.StatusOK)
			if f.site.Answered(p, http.StatusNotModified) != 1 {
				b.Errorf("%s: %d 304s in the recrawl, want 1", p, f.site.Answered(p, 304))
			}
		}
		if bodies != 0 {
			b.Errorf("%d article bodies sent again", bodies)
		}
		b.ReportMetric(float64(firstRequests), "requests-first")
		b.ReportMetric(firstTime.Seconds(), "s-first")
		b.ReportMetric(float64(f.site.TotalRequests()), "requests-recrawl")
		b.ReportMetric(again.Seconds(), "s-recrawl")
		f.close()
		b.StartTimer()
	}
}
