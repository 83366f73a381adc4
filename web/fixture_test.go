package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/job"
	"folio/internal/testsite/wpsite"
)

// archiveFixture is a real archive and index, crawled from the bundled
// test site, with one article edited (two revisions) and one hostile
// record whose body carries a script and an onerror handler.
type archiveFixture struct {
	dir   string
	base  string
	site  *wpsite.Site
	truth []wpsite.Article
	// edited is the article with two revisions; hostile the id of the
	// record with a script in its body.
	edited  wpsite.Article
	hostile string
}

var shared struct {
	once sync.Once
	f    *archiveFixture
	err  error
	srv  *httptest.Server
}

// fixtureArticles is the size of the crawled site.
const fixtureArticles = 30

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Close()
	}
	if shared.f != nil {
		os.RemoveAll(shared.f.dir)
	}
	os.Exit(code)
}

// fixture builds the archive once for the package's tests; they only read
// it (a test that writes builds its own with buildArchive).
func fixture(t testing.TB) *archiveFixture {
	t.Helper()
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "folio-web-")
		if err != nil {
			shared.err = err
			return
		}
		site := wpsite.New(wpsite.Options{Articles: fixtureArticles})
		shared.srv = httptest.NewServer(site)
		shared.f, shared.err = buildArchive(dir, site, shared.srv.URL+"/")
	})
	if shared.err != nil {
		t.Fatalf("build the archive: %v", shared.err)
	}
	return shared.f
}

func localSite(base string) job.Site {
	s := job.SiteFor(base)
	s.Crawl.Concurrency = 8
	zero := time.Duration(0)
	s.Crawl.Delay = &zero
	return s
}

// buildArchive crawls site into dir, edits its newest article and crawls
// again, then stores a hostile record.
func buildArchive(dir string, site *wpsite.Site, base string) (*archiveFixture, error) {
	ctx := context.Background()
	f := &archiveFixture{dir: dir, base: base, site: site}
	if err := crawl(ctx, dir, base); err != nil {
		return nil, err
	}
	newest := site.ArticlePaths()[0]
	site.Edit(newest)
	if err := crawlFull(ctx, dir, base); err != nil {
		return nil, err
	}
	f.truth = site.Expected(strings.TrimSuffix(base, "/"))
	for _, a := range f.truth {
		if strings.HasSuffix(a.URL, newest) {
			f.edited = a
		}
	}
	st, err := archive.Open(dir)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	hostile := folio.Article{
		URL: "http://hostile.example/2024/01/02/piege/", Site: "hostile.example", Title: "Un article piégé",
		Language: "fr", Body: "Un texte ordinaire sur la Corée.",
		BodyHTML: `<p>Un texte ordinaire sur la Corée.</p><script>window.__pwned = "script"</script>` +
			`<img src="x" onerror="window.__pwned = 'onerror'"><a href="javascript:window.__pwned='link'">lien</a>` +
			`<iframe src="http://hostile.example/frame"></iframe>`,
	}
	_, err = st.Put(ctx, hostile, folio.Page{URL: hostile.URL, Status: 200, FetchedAt: time.Now(),
		Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html></html>")})
	if err != nil {
		return nil, fmt.Errorf("store the hostile record: %w", err)
	}
	f.hostile = folio.ArticleID(hostile.URL)
	return f, syncIndex(ctx, dir, st)
}

func crawl(ctx context.Context, dir, base string) error {
	return runJob(ctx, dir, base, job.RunOptions{})
}

func crawlFull(ctx context.Context, dir, base string) error {
	return runJob(ctx, dir, base, job.RunOptions{Full: true})
}

func runJob(ctx context.Context, dir, base string, opts job.RunOptions) error {
	st, err := archive.Open(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	ix, err := index.OpenShared(filepath.Join(dir, "index.bleve"), index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	sum, err := job.Run(ctx, localSite(base), job.Deps{Archive: st, Index: ix}, opts, nil)
	if err == nil && sum.Errors > 0 {
		err = fmt.Errorf("crawl of %s: %d errors %v", base, sum.Errors, sum.ErrorsByKind)
	}
	return err
}

func syncIndex(ctx context.Context, dir string, st *archive.Store) error {
	ix, err := index.OpenShared(filepath.Join(dir, "index.bleve"), index.Options{})
	if err != nil {
		return err
	}
	defer ix.Close()
	_, err = job.SyncIndex(ctx, st, ix, 0, nil)
	return err
}

// searchIndex is Deps.Search as `folio serve` builds it: the index opened
// read-only for one search.
func searchIndex(dir string) func(context.Context, index.Query) (index.Result, error) {
	return func(ctx context.Context, q index.Query) (index.Result, error) {
		ix, err := index.Open(filepath.Join(dir, "index.bleve"), index.Options{ReadOnly: true, LockWait: time.Minute})
		if err != nil {
			return index.Result{}, err
		}
		res, err := ix.Search(ctx, q)
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
		return res, err
	}
}

// newServer serves dir's archive read-only, as `folio serve` does.
func newServer(t testing.TB, dir string, opts Options) *httptest.Server {
	t.Helper()
	st, err := archive.OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(Deps{Archive: st, Search: searchIndex(dir), Canonical: canonical}, opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return hs
}

// canonical is the crawler's canonical form of a URL, as `folio serve`
// passes it.
func canonical(raw string) (string, error) { return job.SiteFor(raw).CanonicalURL(raw) }

func newHTTPTestServer(h http.Handler) *httptest.Server { return httptest.NewServer(h) }
