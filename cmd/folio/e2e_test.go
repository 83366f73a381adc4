package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/testsite/wpsite"
)

// testEnv is a data directory and a globalOpts writing to buffers, for
// calling the run functions the commands call.
type testEnv struct {
	t       *testing.T
	dataDir string
	// configFile is an empty config, so that no ./config.yaml is read.
	configFile string
	stdout     bytes.Buffer
	stderr     bytes.Buffer
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dir := t.TempDir()
	e := &testEnv{t: t, dataDir: filepath.Join(dir, "data"), configFile: filepath.Join(dir, "empty.yaml")}
	if err := os.WriteFile(e.configFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// g returns fresh global options (and empties the output buffers).
func (e *testEnv) g() *globalOpts {
	e.stdout.Reset()
	e.stderr.Reset()
	return &globalOpts{
		configFile: e.configFile, dataDir: e.dataDir,
		logLevel: "warn", logFormat: "text", stdout: &e.stdout, stderr: &e.stderr,
	}
}

// localCrawl is how tests crawl the loopback site: no delay, 8 at a time.
func localCrawl() crawlOptions { return crawlOptions{concurrency: 8, delay: 0} }

func startSite(t *testing.T, articles int) (*wpsite.Site, string) {
	t.Helper()
	site := wpsite.New(wpsite.Options{Articles: articles})
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	return site, srv.URL + "/"
}

// TestEndToEnd crawls the test site through the CLI's own code path and
// holds the archive, the export and the search index to the site's ground
// truth.
func TestEndToEnd(t *testing.T) {
	const articles = 60
	site, base := startSite(t, articles)
	env := newTestEnv(t)
	ctx := context.Background()
	g := env.g()
	// A missing config file is fine only when not named explicitly.
	g.configFile = ""
	t.Chdir(t.TempDir())
	if err := runCrawl(ctx, localCrawl(), g, []string{base}); err != nil {
		t.Fatalf("crawl: %v\nstderr: %s", err, env.stderr.String())
	}
	summary := env.stdout.String()
	for _, want := range []string{"60 new", "errors: 0"} {
		if !strings.Contains(summary, want) {
			t.Errorf("crawl summary lacks %q:\n%s", want, summary)
		}
	}

	if n := site.RequestsWithPrefix(wpsite.DisallowedPrefix); n != 0 {
		t.Errorf("%d requests to the robots-disallowed %s", n, wpsite.DisallowedPrefix)
	}
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n != 1 {
			t.Errorf("%s fetched %d times, want once", p, n)
		}
	}

	truth := site.Expected(strings.TrimSuffix(base, "/"))
	st, err := archive.OpenReadOnly(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Count(ctx); err != nil || n != int64(len(truth)) {
		t.Fatalf("archive holds %d records (err %v), want %d", n, err, len(truth))
	}
	for _, want := range truth {
		got, err := st.Get(ctx, want.URL)
		if err != nil {
			t.Errorf("%s: %v", want.URL, err)
			continue
		}
		compareWithTruth(t, got, want)
	}
	// Nothing but articles is archived: every record's URL is an article's.
	articleURL := map[string]bool{}
	for _, a := range truth {
		articleURL[a.URL] = true
	}
	err = st.Iterate(ctx, archive.IterateOptions{}, func(a folio.Article) error {
		if !articleURL[a.URL] {
			t.Errorf("archived a page that is not an article: %s", a.URL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Export: one JSON array with every contract field in every record.
	out := filepath.Join(t.TempDir(), "archive.json")
	if err := runExport(ctx, exportOptions{format: "json", output: out}, env.g()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var records []map[string]json.RawMessage
	if err := json.Unmarshal(data, &records); err != nil {
		t.Fatalf("export is not a JSON array: %v", err)
	}
	if len(records) != articles {
		t.Errorf("export has %d records, want %d", len(records), articles)
	}
	for _, r := range records {
		for _, f := range contractFields {
			if _, ok := r[f]; !ok {
				t.Errorf("exported record %s lacks %q", r["url"], f)
			}
		}
	}

	// Search: a phrase from one body ranks that article first.
	for _, want := range truth[:5] {
		hits := searchJSON(t, env, `"`+want.Phrase+`"`, searchOptions{limit: 3})
		if len(hits) == 0 || hits[0].URL != want.URL {
			t.Errorf("search for the phrase %q: first hit %v, want %s", want.Phrase, hitURLs(hits), want.URL)
		}
	}
	// Accents do not matter: "coree" finds the articles about Corée.
	withCoree := map[string]bool{}
	for _, a := range truth {
		if strings.Contains(a.Title+a.Body, "Corée") {
			withCoree[a.URL] = true
		}
	}
	hits := searchJSON(t, env, "coree", searchOptions{limit: 100})
	if len(hits) != len(withCoree) {
		t.Errorf("search coree: %d hits, want the %d articles with Corée", len(hits), len(withCoree))
	}
	for _, h := range hits {
		if !withCoree[h.URL] {
			t.Errorf("search coree found %s, which does not mention Corée", h.URL)
		}
	}
}

var contractFields = []string{
	"id", "url", "site", "title", "published", "modified", "category", "categories", "tags",
	"author", "language", "summary", "body", "body_html", "previous", "next", "related",
	"source_url", "comment_count", "images", "fetched_at", "content_hash",
}

func compareWithTruth(t *testing.T, got folio.Article, want wpsite.Article) {
	t.Helper()
	check := func(field, g, w string) {
		if folio.FoldSpace(g) != folio.FoldSpace(w) {
			t.Errorf("%s: %s = %q, want %q", want.URL, field, g, w)
		}
	}
	check("title", got.Title, want.Title)
	check("category", got.Category, want.Category)
	check("author", got.Author, want.Author)
	check("body", got.Body, want.Body)
	check("summary", got.Summary, want.Summary)
	check("source_url", got.SourceURL, want.SourceURL)
	check("language", got.Language, want.Language)
	if got.Published == nil || !got.Published.Equal(want.Published) || got.Published.Format(time.RFC3339) != want.Published.Format(time.RFC3339) {
		t.Errorf("%s: published = %v, want %s", want.URL, got.Published, want.Published.Format(time.RFC3339))
	}
	switch {
	case want.Previous == nil && got.Previous != nil:
		t.Errorf("%s: previous = %+v, want none", want.URL, got.Previous)
	case want.Previous != nil && got.Previous == nil:
		t.Errorf("%s: no previous, want %s", want.URL, want.Previous.URL)
	case want.Previous != nil:
		check("previous.url", got.Previous.URL, want.Previous.URL)
		check("previous.title", got.Previous.Title, want.Previous.Title)
	}
	if strings.Join(got.Tags, "|") != strings.Join(want.Tags, "|") {
		t.Errorf("%s: tags = %q, want %q", want.URL, got.Tags, want.Tags)
	}
}

func searchJSON(t *testing.T, env *testEnv, query string, o searchOptions) []index.HitRecord {
	t.Helper()
	hits, _, err := search(t, env, query, o)
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	return hits
}

func hitURLs(hits []index.HitRecord) []string {
	urls := make([]string, len(hits))
	for i, h := range hits {
		urls[i] = h.URL
	}
	return urls
}

func fetchPage(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}
