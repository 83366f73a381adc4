package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio"
)

// FuzzExtract holds Extract to its contract whatever the bytes: it does not
// panic; it either refuses the page with ErrNotArticle or returns a record
// with a title, a body and the fields derived from them.
func FuzzExtract(f *testing.F) {
	pages, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(wpPage(`<title>x</title>`, singleClass, `<h1>T</h1><i class="material-icons">today</i>novembre 7, 2022<div class="entry-content">`+leadPara+`</div>`))
	f.Add([]byte(`<h1>T</h1><p>À lire aussi : <a href="/a">A</a></p><p><a href="//x">La source</a></p><h5>Previous post</h5>`))
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","headline":"H","datePublished":"2022-13-45","author":{"@id":"#p"}},{"@id":"#p","name":"N"}]}</script>`))
	const pageURL = "https://radio.example/2022/11/07/x/"
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := Extract(folio.Page{URL: pageURL, Status: 200, Body: body, FetchedAt: goldenFetchedAt}, DefaultRules())
		if err != nil {
			if !errors.Is(err, ErrNotArticle) {
				t.Fatalf("Extract error %v does not wrap ErrNotArticle", err)
			}
			return
		}
		if a.Title == "" || a.Body == "" || a.URL == "" {
			t.Fatalf("record without title, body or url: %+v", a)
		}
		if a.ID != folio.ArticleID(a.URL) || a.ContentHash != folio.ContentHash(a.Title, a.Body) {
			t.Fatalf("derived fields do not match: id %q, hash %q", a.ID, a.ContentHash)
		}
		for _, d := range []*folio.PostLink{a.Previous, a.Next} {
			if d != nil && !strings.HasPrefix(d.URL, "http") {
				t.Fatalf("neighbour url %q is not absolute", d.URL)
			}
		}
		if a.Published != nil && (a.Published.Year() < minYear || a.Published.Year() >= maxYear) {
			t.Fatalf("published %s out of range", a.Published)
		}
	})
}
