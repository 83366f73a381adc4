package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/testsite/wpsite"
)

func get(t *testing.T, rawURL string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func getJSON(t *testing.T, rawURL string, want int, into any) {
	t.Helper()
	resp, body := get(t, rawURL)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d: %s", rawURL, resp.StatusCode, want, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q, want JSON", rawURL, ct)
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("GET %s: %v\n%s", rawURL, err, body)
	}
}

// withPrevious is an article of the truth whose previous post is archived.
func withPrevious(t *testing.T, f *archiveFixture) wpsite.Article {
	for _, a := range f.truth {
		if a.Previous != nil && a.URL != f.edited.URL {
			return a
		}
	}
	t.Fatal("no article of the test site has a previous post")
	return wpsite.Article{}
}

// TestAPISearch: every title of the site, typed without accents or
// capitals, with its category as a filter, finds its article first; the
// total and the facets come with the hits.
func TestAPISearch(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	for _, a := range f.truth[:10] {
		v := url.Values{"q": {archive.FoldKey(a.Title)}, "category": {archive.FoldKey(a.Category)}, "facets": {"true"}}
		var res index.Response
		getJSON(t, srv.URL+"/api/search?"+v.Encode(), http.StatusOK, &res)
		if len(res.Hits) == 0 || res.Hits[0].URL != a.URL {
			t.Errorf("search %q in %q: hits %v, want %s first", v.Get("q"), v.Get("category"), res.Hits, a.URL)
			continue
		}
		if res.Total < 1 || res.Facets == nil || len(res.Facets.Category) != 1 || !strings.EqualFold(res.Facets.Category[0].Value, a.Category) {
			t.Errorf("search %q: total %d, facets %+v; want the one category %q", v.Get("q"), res.Total, res.Facets, a.Category)
		}
	}
	var all index.Response
	getJSON(t, srv.URL+"/api/search?limit=5&offset=5", http.StatusOK, &all)
	if want := uint64(fixtureArticles + 1); all.Total != want || len(all.Hits) != 5 || all.Offset != 5 {
		t.Errorf("empty query: total %d, %d hits, offset %d; want %d records, 5 hits from 5", all.Total, len(all.Hits), all.Offset, want)
	}
}

// TestAPIJSONCompact: an API answer, record or error, is one compact line
// of JSON, sent with its length rather than in chunks.
func TestAPIJSONCompact(t *testing.T) {
	f := fixture(t)
	base := newServer(t, f.dir, Options{}).URL + "/"
	a := f.truth[0]
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"api/search?q=russie&facets=true", http.StatusOK},
		{"api/search?q=" + url.QueryEscape(`russie "corée`), http.StatusBadRequest},
		{"api/articles?url=" + url.QueryEscape(a.URL), http.StatusOK},
		{"api/articles/" + folio.ArticleID(f.edited.URL) + "/revisions", http.StatusOK},
		{"api/articles/nothing-here", http.StatusNotFound},
		{"api/stats", http.StatusOK},
		{"healthz", http.StatusOK},
	} {
		resp, body := get(t, base+tc.path)
		if resp.StatusCode != tc.status {
			t.Errorf("GET /%s: %d, want %d: %s", tc.path, resp.StatusCode, tc.status, body)
		}
		if resp.ContentLength != int64(len(body)) || strings.Index(body, "\n") != len(body)-1 || !json.Valid([]byte(body)) {
			t.Errorf("GET /%s: Content-Length %d for %d bytes of JSON on %d lines; want its length, one line",
				tc.path, resp.ContentLength, len(body), strings.Count(body, "\n"))
		}
	}
}

// TestAPIErrors: malformed requests get a 400 saying what is wrong, as
// JSON; the query's column at fault comes with a query error.
func TestAPIErrors(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	tests := []struct {
		path string
		want int
		msg  string
		col  int
	}{
		{"/api/search?q=" + url.QueryEscape(`russie "corée`), 400, "unterminated quote", 8},
		{"/api/search?limit=1000", 400, "limit", 0},
		{"/api/search?limit=0", 400, "limit", 0},
		{"/api/search?offset=-1", 400, "offset", 0},
		{"/api/search?offset=999999", 400, "offset", 0},
		{"/api/search?sort=newest", 400, "sort", 0},
		{"/api/search?since=yesterday", 400, "since", 0},
		{"/api/search?q=" + strings.Repeat("a", 1001), 400, "at most 1000", 0},
		{"/api/articles/nope", 404, "no archived article", 0},
		{"/api/articles?url=" + url.QueryEscape("http://nowhere.example/x/"), 404, "no archived article", 0},
		{"/api/articles", 400, "url=", 0},
		{"/api/articles/nope/revisions", 404, "no archived article", 0},
		{"/api/export?format=xml", 400, "format", 0},
		{"/api/nothing", 404, "openapi", 0},
	}
	for _, tt := range tests {
		var e apiErrorBody
		getJSON(t, srv.URL+tt.path, tt.want, &e)
		if e.Status != tt.want || !strings.Contains(e.Message, tt.msg) || e.Column != tt.col {
			t.Errorf("GET %s: %+v; want status %d, a message with %q, column %d", tt.path, e, tt.want, tt.msg, tt.col)
		}
	}
}

// TestAPIArticle: a record is found by its id and by every spelling of
// its URL that the crawler takes for the same page, with the export's
// field names.
func TestAPIArticle(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	a := withPrevious(t, f)
	id := folio.ArticleID(a.URL)
	var byID map[string]any
	getJSON(t, srv.URL+"/api/articles/"+id, http.StatusOK, &byID)
	if byID["url"] != a.URL || byID["title"] != a.Title || byID["previous"] == nil {
		t.Errorf("by id: url %v title %v previous %v; want %s, %q and a previous post", byID["url"], byID["title"], byID["previous"], a.URL, a.Title)
	}
	for _, field := range []string{"id", "url", "site", "title", "published", "category", "author", "body", "body_html", "fetched_at", "content_hash", "source_url"} {
		if _, ok := byID[field]; !ok {
			t.Errorf("record lacks the export field %q", field)
		}
	}
	for _, spelling := range []string{a.URL, strings.TrimSuffix(a.URL, "/"), a.URL + "#comments", a.URL + "?utm_source=x&utm_medium=y"} {
		var got folio.Article
		getJSON(t, srv.URL+"/api/articles?url="+url.QueryEscape(spelling), http.StatusOK, &got)
		if got.ID != id {
			t.Errorf("by URL %s: id %s, want %s", spelling, got.ID, id)
		}
	}
}

func TestAPIRevisions(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	var revs []revisionRecord
	getJSON(t, srv.URL+"/api/articles/"+folio.ArticleID(f.edited.URL)+"/revisions", http.StatusOK, &revs)
	if len(revs) != 2 || revs[0].Number != 1 || revs[1].Number != 2 || revs[0].ContentHash == revs[1].ContentHash {
		t.Fatalf("revisions of the edited article: %+v; want 1 and 2 with different content", revs)
	}
	if revs[1].Record.Body == revs[0].Record.Body && revs[1].Record.Title == revs[0].Record.Title {
		t.Error("the two revisions hold the same text")
	}
}

// TestAPIExport streams every record, as JSON Lines and as one array, the
// same records `folio export` writes.
func TestAPIExport(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	resp, err := http.Get(srv.URL + "/api/export")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		t.Errorf("Content-Type %q, want application/x-ndjson", ct)
	}
	ids := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var a folio.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %d: %v", len(ids)+1, err)
		}
		ids[a.ID] = true
	}
	if want := fixtureArticles + 1; len(ids) != want || !ids[f.hostile] {
		t.Errorf("jsonl export: %d records, hostile one there: %v; want %d", len(ids), ids[f.hostile], want)
	}
	var arr []folio.Article
	getJSON(t, srv.URL+"/api/export?format=json&category="+url.QueryEscape(archive.FoldKey(f.truth[0].Category)), http.StatusOK, &arr)
	want := 0
	for _, a := range f.truth {
		if strings.EqualFold(a.Category, f.truth[0].Category) || containsFold(a.Categories, f.truth[0].Category) {
			want++
		}
	}
	if len(arr) != want {
		t.Errorf("json export of category %q: %d records, want %d", f.truth[0].Category, len(arr), want)
	}
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func TestAPIStatsHealthz(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	var st archive.StatsRecord
	getJSON(t, srv.URL+"/api/stats", http.StatusOK, &st)
	if st.Articles != fixtureArticles+1 || st.Revisions != fixtureArticles+2 || len(st.Runs) != 2 {
		t.Errorf("stats: %d articles, %d revisions, %d runs; want %d, %d, 2", st.Articles, st.Revisions, len(st.Runs), fixtureArticles+1, fixtureArticles+2)
	}
	var h map[string]string
	getJSON(t, srv.URL+"/healthz", http.StatusOK, &h)
	if h["status"] != "ok" {
		t.Errorf("healthz: %v", h)
	}
}

// TestOpenAPI: the document is JSON, and it describes exactly the API the
// server answers.
func TestOpenAPI(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	getJSON(t, srv.URL+"/api/openapi.json", http.StatusOK, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi %q, want 3.x", doc.OpenAPI)
	}
	id := folio.ArticleID(f.truth[0].URL)
	served := map[string]string{
		"/api/search": "/api/search", "/api/articles": "/api/articles?url=" + url.QueryEscape(f.truth[0].URL),
		"/api/articles/{id}": "/api/articles/" + id, "/api/articles/{id}/revisions": "/api/articles/" + id + "/revisions",
		"/api/export": "/api/export", "/api/stats": "/api/stats", "/api/openapi.json": "/api/openapi.json", "/healthz": "/healthz",
	}
	for path := range doc.Paths {
		if _, ok := served[path]; !ok {
			t.Errorf("the document describes %s, which the test does not know", path)
		}
	}
	for path, example := range served {
		if _, ok := doc.Paths[path]["get"]; !ok {
			t.Errorf("the document does not describe GET %s", path)
		}
		if resp, body := get(t, srv.URL+example); resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d %s", example, resp.StatusCode, body)
		}
	}
}

// TestSecurityHeaders: every response, pages, API, assets and errors,
// carries the policy that keeps an archived page's scripts from running.
func TestSecurityHeaders(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	for _, path := range []string{"/", "/?q=corée", "/articles/" + f.hostile, "/sites", "/nothing", "/api/search", "/api/nothing", "/static/style.css", "/healthz"} {
		resp, _ := get(t, srv.URL+path)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: Content-Security-Policy %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("GET %s: Content-Security-Policy %q allows inline script", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", path, h.Get("X-Content-Type-Options"))
		}
	}
}

// TestHostileBodySanitised: the reader view of a record whose body
// carries a script, an onerror handler, a javascript: link and a frame
// shows its text and none of those.
func TestHostileBodySanitised(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	resp, body := get(t, srv.URL+"/articles/"+f.hostile)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Un texte ordinaire") {
		t.Fatalf("hostile article: %d, text shown %v", resp.StatusCode, strings.Contains(body, "Un texte ordinaire"))
	}
	for _, bad := range []string{"__pwned", "onerror", "javascript:", "<iframe", "<script>window"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page carries %q", bad)
		}
	}
	if n := strings.Count(body, "<script"); n != 1 || !strings.Contains(body, `<script src="/static/keys.js"`) {
		t.Errorf("%d script elements; want only the server's own", n)
	}
}

// TestToken: with a token, every call but /healthz and the sign-in needs
// it, in the header or in the cookie /login sets.
func TestToken(t *testing.T) {
	f := fixture(t)
	const token = "s3cret-token"
	srv := newServer(t, f.dir, Options{Token: token})
	var e apiErrorBody
	getJSON(t, srv.URL+"/api/search", http.StatusUnauthorized, &e)
	getJSON(t, srv.URL+"/api/stats", http.StatusUnauthorized, &e)
	if resp, _ := get(t, srv.URL+"/api/search", "Authorization", "Bearer wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d, want 401", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/api/search", "Authorization", "Bearer "+token); resp.StatusCode != http.StatusOK {
		t.Errorf("the token: %d, want 200", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("a page without the token: %d to %q, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := get(t, srv.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz without the token: %d", resp.StatusCode)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range []struct {
		token, location string
		cookie          bool
	}{{"wrong", "/login?failed", false}, {token, "/", true}} {
		resp, err := client.PostForm(srv.URL+"/login", url.Values{"token": {tt.token}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cookies := resp.Cookies()
		if resp.Header.Get("Location") != tt.location || (len(cookies) == 1) != tt.cookie {
			t.Errorf("sign in with %q: to %q, cookies %v; want %q, a cookie %v", tt.token, resp.Header.Get("Location"), cookies, tt.location, tt.cookie)
		}
		if tt.cookie {
			if c := cookies[0]; !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict", c)
			}
			if resp, _ := get(t, srv.URL+"/sites", "Cookie", cookies[0].String()); resp.StatusCode != http.StatusOK {
				t.Errorf("a page with the cookie: %d", resp.StatusCode)
			}
		}
	}
}

// TestPages: the search page shows the total, marked snippets, facets
// and pages; the reader view links the previous post to its archived
// copy and shows the original; the diff marks what changed.
func TestPages(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	a := withPrevious(t, f)

	_, body := get(t, srv.URL+"/?q=coree")
	for _, want := range []string{"<mark>", `class="facets"`, `value="coree"`} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	_, body = get(t, srv.URL+"/?page=2")
	for _, want := range []string{fmt.Sprintf("%d articles, 11–20 shown", fixtureArticles+1), `rel="next" href="/?page=3"`, `rel="prev" href="/?page=1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("second page of the newest records lacks %q", want)
		}
	}
	resp, body := get(t, srv.URL+"/?q="+url.QueryEscape(`russie "corée`))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "unterminated quote") || !strings.Contains(body, "column 8") {
		t.Errorf("malformed query page: %d; want 400 naming the quote at column 8", resp.StatusCode)
	}

	_, body = get(t, srv.URL+"/articles/"+folio.ArticleID(a.URL))
	prevID := folio.ArticleID(a.Previous.URL)
	for _, want := range []string{
		escaped(a.Title), `href="/articles/` + prevID + `"`, `href="` + a.Previous.URL + `"`, `href="` + a.URL + `"`, "Revisions",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	resp, _ = get(t, srv.URL+"/articles/"+url.PathEscape(a.URL))
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/articles/"+folio.ArticleID(a.URL) {
		t.Errorf("an article by URL: %d to %q; want a redirect to its id", resp.StatusCode, resp.Header.Get("Location"))
	}

	editedID := folio.ArticleID(f.edited.URL)
	_, body = get(t, srv.URL+"/articles/"+editedID)
	if !strings.Contains(body, "/articles/"+editedID+"/diff?from=1&amp;to=2") {
		t.Error("the edited article's page has no link to the diff of its revisions")
	}
	_, body = get(t, srv.URL+"/articles/"+editedID+"/diff?from=1&to=2")
	if !strings.Contains(body, "<ins>") && !strings.Contains(body, "<del>") {
		t.Error("the diff of two different revisions marks nothing")
	}
	if resp, _ := get(t, srv.URL+"/articles/"+editedID+"/diff?from=1&to=9"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("diff with revision 9 of 2: %d, want 400", resp.StatusCode)
	}

	_, body = get(t, srv.URL+"/sites")
	host := folio.SiteOf(f.base)
	for _, want := range []string{host, "Recent runs", "completed"} {
		if !strings.Contains(body, want) {
			t.Errorf("sites page lacks %q", want)
		}
	}

	resp, body = get(t, srv.URL+"/no/such/page")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "404") || !strings.Contains(body, `href="/"`) || !strings.Contains(body, `id="q"`) {
		t.Errorf("404 page: %d; want a page that offers the search box and the start", resp.StatusCode)
	}
	resp, body = get(t, srv.URL+"/articles/nope")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "holds no article") {
		t.Errorf("unknown article page: %d", resp.StatusCode)
	}
}

// escaped is s as html/template writes it in text.
func escaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}

// TestNoPathTraversal: the assets are served from the embedded files
// only.
func TestNoPathTraversal(t *testing.T) {
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	for _, path := range []string{"/static/../server.go", "/static/%2e%2e/server.go", "/static/..%2fserver.go", "/static/../../go.mod"} {
		resp, body := get(t, srv.URL+path)
		if strings.Contains(body, "package web") || strings.Contains(body, "module folio") {
			t.Errorf("GET %s: %d served a file outside the assets", path, resp.StatusCode)
		}
	}
	if resp, body := get(t, srv.URL+"/static/style.css"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "prefers-color-scheme") {
		t.Errorf("the style sheet: %d", resp.StatusCode)
	}
}

// TestLive: a server started before a crawl sees the crawl's records in
// its searches, as folio search does.
func TestLive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := wpsite.New(wpsite.Options{Articles: 12, Seed: 1})
	s1 := httpServer(t, first)
	if err := crawl(context.Background(), dir, s1); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, dir, Options{})
	var before index.Response
	getJSON(t, srv.URL+"/api/search", http.StatusOK, &before)

	second := wpsite.New(wpsite.Options{Articles: 15, Seed: 2})
	s2 := httpServer(t, second)
	if err := crawl(context.Background(), dir, s2); err != nil {
		t.Fatal(err)
	}
	var after index.Response
	getJSON(t, srv.URL+"/api/search", http.StatusOK, &after)
	if before.Total != 12 || after.Total != 27 {
		t.Errorf("total before the second crawl %d, after %d; want 12 then 27", before.Total, after.Total)
	}
	var st archive.StatsRecord
	getJSON(t, srv.URL+"/api/stats", http.StatusOK, &st)
	if st.Articles != 27 {
		t.Errorf("stats after the second crawl: %d articles, want 27", st.Articles)
	}
}

func httpServer(t *testing.T, h http.Handler) string {
	srv := newHTTPTestServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// TestSitesPageSchedule: the sites page shows each configured site's cron
// expression and next run, and says so of a site with none.
func TestSitesPageSchedule(t *testing.T) {
	f := fixture(t)
	st, err := archive.OpenReadOnly(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	next := time.Date(2026, 12, 7, 6, 30, 0, 0, time.Local)
	srv, err := New(Deps{Archive: st, Search: searchIndex(f.dir), Schedule: func(context.Context) ([]SiteSchedule, error) {
		return []SiteSchedule{{Site: "radio", Cron: "30 6 * * *", Next: next}, {Site: "blog"}}, nil
	}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	_, body := get(t, hs.URL+"/sites")
	for _, want := range []string{"<code>30 6 * * *</code>", "2026-12-07 06:30", "blog", "not scheduled"} {
		if !strings.Contains(body, want) {
			t.Errorf("sites page lacks %q", want)
		}
	}
}

// TestSearchesBoundedByCores: a burst of searches runs at most as many at
// once as there are cores (or Options.MaxSearches); the others wait their
// turn rather than share the cores and all finish late.
func TestSearchesBoundedByCores(t *testing.T) {
	f := fixture(t)
	st, err := archive.OpenReadOnly(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tc := range []struct {
		name string
		max  int // Options.MaxSearches
		want int32
	}{
		{"default", 0, int32(runtime.GOMAXPROCS(0))},
		{"one", 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var running, most atomic.Int32
			search := searchIndex(f.dir)
			srv, err := New(Deps{Archive: st, Search: func(ctx context.Context, q index.Query) (index.Result, error) {
				n := running.Add(1)
				defer running.Add(-1)
				for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
				}
				time.Sleep(20 * time.Millisecond)
				return search(ctx, q)
			}}, Options{MaxSearches: tc.max})
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv)
			defer hs.Close()
			var wg sync.WaitGroup
			for range 20 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if resp, body := get(t, hs.URL+"/api/search?q=coree"); resp.StatusCode != http.StatusOK {
						t.Errorf("search: %d %s", resp.StatusCode, body)
					}
				}()
			}
			wg.Wait()
			if most.Load() > tc.want || most.Load() < 1 {
				t.Errorf("%d searches ran at once, want 1 to %d", most.Load(), tc.want)
			}
		})
	}
}
