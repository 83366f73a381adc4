package job

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/testsite/wpsite"
)

// reextractFixture is an archive holding the crawls of two sites on two
// host names (127.0.0.1, crawled at t0, and localhost, ten days later),
// some of whose records were then stored as an older extractor might have
// left them: a stale body (stale), or a stale category (recategorized).
type reextractFixture struct {
	*fixture
	t0           time.Time
	hostA, hostB string
	// countA and countB are the records of each host.
	countA, countB int
	// stale maps the ids of the records stored with a stale body to the
	// body their capture gives; recategorized holds the id of the record
	// stored with a stale category.
	stale         map[string]string
	staleA        []string
	recategorized string
	// pathA is an article path of site A, for rules that single it out.
	pathA string
}

const staleWord = "zzobsoletetext"

// reextractTemplate is the data directory of the first reextractFixture
// built in this process, with its description: each later fixture is a
// copy of it, which costs a file copy rather than two crawls and an
// indexing. TestMain removes it.
var reextractTemplate struct {
	once sync.Once
	dir  string
	f    reextractFixture // without its store, index and directory
	err  error
}

// newReextractFixture returns a fixture of its own, copied from the
// template, that t may change at will.
func newReextractFixture(t *testing.T) *reextractFixture {
	t.Helper()
	tpl := &reextractTemplate
	tpl.once.Do(func() {
		built := buildReextractFixture(t)
		built.close()
		if tpl.dir, tpl.err = os.MkdirTemp("", "folio-reextract-"); tpl.err != nil {
			return
		}
		if tpl.err = os.CopyFS(tpl.dir, os.DirFS(built.dir)); tpl.err != nil {
			return
		}
		tpl.f = *built
		tpl.f.fixture = &fixture{site: built.site, base: built.base}
	})
	if tpl.err != nil || tpl.dir == "" {
		t.Fatalf("reextract fixture: %v", cmp.Or(tpl.err, errors.New("the first build failed")))
	}
	f := tpl.f
	f.fixture = &fixture{site: tpl.f.site, base: tpl.f.base, dir: t.TempDir()}
	f.stale = maps.Clone(tpl.f.stale)
	f.staleA = slices.Clone(tpl.f.staleA)
	if err := os.CopyFS(f.dir, os.DirFS(tpl.dir)); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	return &f
}

// buildReextractFixture crawls the two sites and doctors the records.
func buildReextractFixture(t *testing.T) *reextractFixture {
	t.Helper()
	f := &reextractFixture{
		fixture: newFixture(t, wpsite.Options{Articles: 12}),
		t0:      time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC),
		hostA:   "127.0.0.1", hostB: "localhost",
		stale: map[string]string{},
	}
	ctx := context.Background()
	crawl := func(base string, at time.Time) Summary {
		t.Helper()
		s := SiteFor(base)
		s.Crawl.Concurrency = 8
		zero := time.Duration(0)
		s.Crawl.Delay = &zero
		sum, err := Run(ctx, s, Deps{Archive: f.store, Index: f.index, Now: func() time.Time { return at }}, RunOptions{}, nil)
		if err != nil {
			t.Fatalf("crawl %s: %v", base, err)
		}
		return sum
	}
	f.countA = crawl(f.base, f.t0).New

	siteB := wpsite.New(wpsite.Options{Articles: 8, Seed: 7})
	srvB := httptest.NewServer(siteB)
	t.Cleanup(srvB.Close)
	baseB := strings.Replace(srvB.URL, "127.0.0.1", f.hostB, 1) + "/"
	f.countB = crawl(baseB, f.t0.Add(10*24*time.Hour)).New
	if f.countA != 12 || f.countB != 8 {
		t.Fatalf("crawls stored %d and %d records, want 12 and 8", f.countA, f.countB)
	}
	f.pathA = f.site.ArticlePaths()[0]

	// Store a stale body for 3 records of A and 2 of B, and a stale
	// category for one more of A, each with its capture, as Put keeps them.
	var idsA, idsB []string
	err := f.store.Iterate(ctx, archive.IterateOptions{}, func(a folio.Article) error {
		if a.Site == f.hostA {
			idsA = append(idsA, a.ID)
		} else {
			idsB = append(idsB, a.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	doctor := func(id string, edit func(*folio.Article)) {
		t.Helper()
		a, err := f.store.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		page, err := f.store.Capture(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		edit(&a)
		if _, err := f.store.Put(ctx, a, page); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range slices.Concat(idsA[:3], idsB[:2]) {
		doctor(id, func(a *folio.Article) {
			f.stale[id] = a.Body
			a.Body = "An older extraction kept this " + staleWord + " boilerplate."
		})
	}
	f.staleA = idsA[:3]
	f.recategorized = idsA[3]
	doctor(f.recategorized, func(a *folio.Article) { a.Category = "Stale category" })
	if _, err := SyncIndex(ctx, f.store, f.index, 0, nil); err != nil {
		t.Fatal(err)
	}
	if ids := f.search(t, staleWord); len(ids) != 5 {
		t.Fatalf("before re-extraction, %q finds %d records, want 5", staleWord, len(ids))
	}
	return f
}

// search returns the ids of the records the index finds for text.
func (f *reextractFixture) search(t *testing.T, text string) []string {
	t.Helper()
	res, err := f.index.Search(context.Background(), index.Query{Text: text, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// revisions is the number of revisions of each record, by id.
func (f *reextractFixture) revisions(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	err := f.store.Iterate(context.Background(), archive.IterateOptions{}, func(a folio.Article) error {
		revs, err := f.store.Revisions(context.Background(), a.ID)
		out[a.ID] = len(revs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReextract(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := []struct {
		name  string
		opts  func(f *reextractFixture) ReextractOptions
		want  func(f *reextractFixture) ReextractSummary
		fresh func(f *reextractFixture) []string // the stale records given their text back
	}{
		{
			name: "every record",
			opts: func(f *reextractFixture) ReextractOptions { return ReextractOptions{} },
			want: func(f *reextractFixture) ReextractSummary {
				return ReextractSummary{Records: 20, Changed: 5, Updated: 1, Unchanged: 14, Indexed: 6}
			},
			fresh: func(f *reextractFixture) []string { return mapKeys(f.stale) },
		},
		{
			name: "one host",
			opts: func(f *reextractFixture) ReextractOptions { return ReextractOptions{Hosts: []string{"127.0.0.1"}} },
			want: func(f *reextractFixture) ReextractSummary {
				return ReextractSummary{Records: 12, Changed: 3, Updated: 1, Unchanged: 8, Indexed: 4}
			},
			fresh: func(f *reextractFixture) []string { return f.staleA },
		},
		{
			name: "fetched since",
			opts: func(f *reextractFixture) ReextractOptions { return ReextractOptions{Since: f.t0.Add(5 * day)} },
			want: func(f *reextractFixture) ReextractSummary {
				return ReextractSummary{Records: 8, Changed: 2, Unchanged: 6, Indexed: 2}
			},
			fresh: func(f *reextractFixture) []string {
				var ids []string
				for id := range f.stale {
					if !slices.Contains(f.staleA, id) {
						ids = append(ids, id)
					}
				}
				return ids
			},
		},
		{
			name:  "nothing fetched since",
			opts:  func(f *reextractFixture) ReextractOptions { return ReextractOptions{Since: f.t0.Add(20 * day)} },
			want:  func(f *reextractFixture) ReextractSummary { return ReextractSummary{} },
			fresh: func(f *reextractFixture) []string { return nil },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel() // each has its own archive, index and site
			f := newReextractFixture(t)
			before := f.revisions(t)
			opts := tt.opts(f)
			opts.capturesPage = 5 // the records of one host span several reads
			sum, err := Reextract(context.Background(), Deps{Archive: f.store, Index: f.index}, opts, nil)
			if err != nil {
				t.Fatal(err)
			}
			sum.Elapsed = 0
			if want := tt.want(f); sum != want {
				t.Errorf("summary %+v, want %+v", sum, want)
			}
			fresh := tt.fresh(f)
			after := f.revisions(t)
			for id, n := range after {
				want := before[id]
				if slices.Contains(fresh, id) {
					want++
				}
				if n != want {
					t.Errorf("%s: %d revisions, want %d", id, n, want)
				}
			}
			ctx := context.Background()
			for _, id := range fresh {
				a, err := f.store.Get(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if a.Body != f.stale[id] {
					t.Errorf("%s: body after re-extraction is %.60q, want the capture's %.60q", id, a.Body, f.stale[id])
				}
				// The index has the new text: a phrase of it finds the record.
				words := strings.Fields(a.Body)
				phrase := `"` + strings.Join(words[len(words)/2:len(words)/2+6], " ") + `"`
				if hits := f.search(t, phrase); !slices.Contains(hits, id) {
					t.Errorf("%s: search %s finds %v, not the record", id, phrase, hits)
				}
			}
			if got, want := len(f.search(t, staleWord)), 5-len(fresh); got != want {
				t.Errorf("after re-extraction, %q finds %d records, want %d", staleWord, got, want)
			}
			if last, _ := f.index.LastSeq(); true {
				if seq, _ := f.store.MaxSeq(ctx); uint64(seq) != last {
					t.Errorf("index at sequence %d, archive at %d", last, seq)
				}
			}

			// A second pass finds nothing left to change.
			again, err := Reextract(ctx, Deps{Archive: f.store, Index: f.index}, tt.opts(f), nil)
			if err != nil {
				t.Fatal(err)
			}
			if again.Changed != 0 || again.Updated != 0 || again.Indexed != 0 || again.Unchanged != tt.want(f).Records {
				t.Errorf("second pass: %+v, want all %d unchanged", again, tt.want(f).Records)
			}
		})
	}
}

// TestReextractKeepsWhatIsNoLongerAnArticle: a record whose capture the
// site's rules now take for no article keeps its record, revisions and
// index entry; a record without a capture (an import) is counted and left.
func TestReextractKeepsWhatIsNoLongerAnArticle(t *testing.T) {
	t.Parallel()
	f := newReextractFixture(t)
	ctx := context.Background()
	imported := folio.Article{URL: f.base + "imported/", Title: "Imported", Body: "Imported without a page."}
	if _, err := f.store.Put(ctx, imported, folio.Page{URL: imported.URL}); err != nil {
		t.Fatal(err)
	}
	target, err := f.store.Get(ctx, f.base+strings.TrimPrefix(f.pathA, "/"))
	if err != nil {
		t.Fatal(err)
	}
	site := SiteFor(f.base)
	site.Rules.NotArticle = `link[rel="canonical"][href$="` + f.pathA + `"]`
	before := f.revisions(t)

	var progress []ReextractSummary
	sum, err := Reextract(ctx, Deps{Archive: f.store, Index: f.index},
		ReextractOptions{Sites: []Site{site}, Hosts: []string{f.hostA}},
		func(s ReextractSummary) { progress = append(progress, s) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.NotArticles != 1 || sum.NoCapture != 1 || sum.Records != 12 {
		t.Errorf("summary %+v: want 12 records, 1 no longer an article, 1 without capture", sum)
	}
	if len(progress) < sum.Records || progress[len(progress)-1].Records != sum.Records {
		t.Errorf("%d progress reports, last %+v: want one a record at least", len(progress), progress[len(progress)-1])
	}
	kept, err := f.store.Get(ctx, target.ID)
	if err != nil {
		t.Fatalf("the record no longer an article: %v", err)
	}
	if kept.ContentHash != target.ContentHash {
		t.Errorf("the record no longer an article was rewritten")
	}
	if n := f.revisions(t)[target.ID]; n != before[target.ID] {
		t.Errorf("the record no longer an article has %d revisions, had %d", n, before[target.ID])
	}
	if hits := f.search(t, `"`+target.Title+`"`); !slices.Contains(hits, target.ID) {
		t.Errorf("the record no longer an article left the index")
	}
}

func mapKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
