package wpsite

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzServe asks the site for arbitrary paths: it never panics, answers
// with one of the statuses a WordPress site gives, and every HTML page is a
// whole document.
func FuzzServe(f *testing.F) {
	for _, seed := range []string{"/", "/page/2/", "/page/0/", "/category/leurope/page/2/", "/2022/11/07/", "/2022/11/",
		"/2022/11/07/entre-la-coree-du-nord-et-la-russie-un-rapprochement-symbolique-mais-interesse/feed/",
		"/?p=401", "/?page_id=4", "/wp-json/wp/v2/posts/x", "/wp-sitemap-posts-post-1.xml", "/prive/", "//", "/page//",
		"/wp-content/uploads/2022/11/train-coree-russie.jpg", "/tag/russie", "/%C3%A9t%C3%A9/"} {
		f.Add(seed)
	}
	site := New(Options{Articles: 20})
	allowed := map[int]bool{200: true, 301: true, 403: true, 404: true}
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.Parse("http://radio.example" + target)
		if err != nil || u.Path == "" || !strings.HasPrefix(u.Path, "/") {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "http://radio.example/", nil)
		req.URL = u
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("%q: status %d", target, rec.Code)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") &&
			(!strings.HasPrefix(rec.Body.String(), "<!DOCTYPE html>") || !strings.HasSuffix(rec.Body.String(), "</html>\n")) {
			t.Fatalf("%q: truncated HTML page", target)
		}
	})
}
