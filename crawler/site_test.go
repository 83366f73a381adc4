package crawler

import (
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testSite is a small WordPress-shaped site on loopback, one mux serving
// every case the crawler tests need, with a request counter per path.
type testSite struct {
	*httptest.Server
	// cases serves the same mux under another host: its robots.txt lists
	// no sitemap, so a crawl started there stays among the cases.
	cases *httptest.Server
	// polite serves the same mux again, with a Crawl-delay of 0.1s.
	polite   *httptest.Server
	mu       sync.Mutex
	requests map[string]int
	times    map[string][]time.Time
	headers  map[string]http.Header
	articles []string // paths of the articles, newest first
}

const testArticles = 25

func newTestSite(t *testing.T, external string) *testSite {
	t.Helper()
	s := &testSite{requests: map[string]int{}, times: map[string][]time.Time{}, headers: map[string]http.Header{}}
	for i := testArticles; i >= 1; i-- {
		s.articles = append(s.articles, fmt.Sprintf("/2022/11/%02d/article-%d/", i%28+1, i))
	}
	mux := http.NewServeMux()
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="fr"><head><meta charset="UTF-8"><title>%s</title>
<link rel="alternate" type="application/rss+xml" title="Flux" href="/feed/">
</head><body><nav><a href="/">Accueil</a> <a href="/category/europe">L’Europe</a> <a href="/prive/">Privé</a>
<a href="%s/ailleurs/">Ailleurs</a> <a href="mailto:redaction@example.fr">Écrire</a></nav>
<main>%s</main></body></html>`, title, external, body)
	}
	const perPage = 10
	listing := func(w http.ResponseWriter, n int) {
		var b strings.Builder
		start := (n - 1) * perPage
		if start >= len(s.articles) {
			http.NotFound(w, nil)
			return
		}
		for _, a := range s.articles[start:min(start+perPage, len(s.articles))] {
			fmt.Fprintf(&b, `<article><a href="%s?utm_source=home#more">lire</a></article>`, a)
		}
		if start+perPage < len(s.articles) {
			fmt.Fprintf(&b, `<a class="next" href="/page/%d/">Page suivante</a>`, n+1)
		}
		page(w, fmt.Sprintf("Accueil page %d", n), b.String())
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		listing(w, 1)
	})
	mux.HandleFunc("/page/{n}/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		listing(w, n)
	})
	mux.HandleFunc("/category/europe/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "L’Europe", fmt.Sprintf(`<a href="%s">dernier</a> <a href="/docs/rapport.pdf">rapport</a> <a href="/telecharger/rapport">rapport</a>`, s.articles[0]))
	})
	for i, a := range s.articles {
		prev := ""
		// Each article links the previous one; the oldest ones are reached
		// only through that chain, the feed or the sitemap.
		if i+1 < len(s.articles) {
			prev = fmt.Sprintf(`<div class="nav-previous"><a href="%s" rel="prev">Article précédent</a></div>`, strings.TrimSuffix(s.articles[i+1], "/"))
		}
		mux.HandleFunc(a, func(w http.ResponseWriter, r *http.Request) {
			page(w, "Article "+a, `<h1>Article</h1><p>Corée, Russie, été.</p>`+prev)
		})
	}
	mux.HandleFunc("/docs/rapport.pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4"))
	})
	mux.HandleFunc("/telecharger/rapport/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.4 " + strings.Repeat("x", 1<<16)))
	})
	mux.HandleFunc("/prive/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Privé", "secret")
	})
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /prive/\n")
		if "http://"+r.Host == s.polite.URL {
			fmt.Fprint(w, "Crawl-delay: 0.1\n")
			return
		}
		if "http://"+r.Host != s.cases.URL {
			fmt.Fprintf(w, "\nSitemap: http://%s/wp-sitemap.xml\n", r.Host)
		}
	})
	mux.HandleFunc("/feed/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Site</title><link>http://%s/</link>
<item><title>Feed only</title><link>http://%s/feed-only/</link></item></channel></rss>`, r.Host, r.Host)
	})
	mux.HandleFunc("/feed-only/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Seulement dans le flux", "<p>flux</p>")
	})
	mux.HandleFunc("/wp-sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		if "http://"+r.Host != s.URL {
			// Only the main host has a sitemap: crawls started on the
			// others stay among the cases.
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://%s/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>`, r.Host)
	})
	mux.HandleFunc("/wp-sitemap-posts-post-1.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://%s/sitemap-only/</loc></url><url><loc>http://%s%s</loc></url></urlset>`, r.Host, r.Host, s.articles[0])
	})
	mux.HandleFunc("/sitemap-only/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Seulement dans le plan", "<p>plan</p>")
	})
	bare := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><title>%s</title></head><body>%s</body></html>`, title, body)
	}
	s.addCases(mux, bare, external)
	s.Server = httptest.NewUnstartedServer(s.count(mux))
	s.cases = httptest.NewUnstartedServer(s.count(mux))
	s.polite = httptest.NewUnstartedServer(s.count(mux))
	for _, srv := range []*httptest.Server{s.Server, s.cases, s.polite} {
		srv.Start()
		t.Cleanup(srv.Close)
	}
	return s
}

// count wraps h with the per-path request counter.
func (s *testSite) count(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[r.URL.Path]++
		s.times[r.URL.Path] = append(s.times[r.URL.Path], time.Now())
		s.headers[r.URL.Path] = r.Header.Clone()
		s.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (s *testSite) hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

func (s *testSite) hitsWithPrefix(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.requests {
		if strings.HasPrefix(p, prefix) {
			n += c
		}
	}
	return n
}

func (s *testSite) total() int { return s.hitsWithPrefix("/") }

// externalSite counts every request made to a host the crawl must not
// reach.
type externalSite struct {
	*httptest.Server
	mu sync.Mutex
	n  int
}

func newExternalSite(t *testing.T) *externalSite {
	e := &externalSite{}
	e.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.n++
		e.mu.Unlock()
		fmt.Fprint(w, "<html><body>ailleurs</body></html>")
	}))
	t.Cleanup(e.Close)
	return e
}

func (e *externalSite) hits() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n
}

// addCases serves the fault and edge cases, which nothing on the site links
// to: tests start from them.
func (s *testSite) addCases(mux *http.ServeMux, page func(http.ResponseWriter, string, string), external string) {
	mux.HandleFunc("/cases/flaky/", func(w http.ResponseWriter, r *http.Request) {
		if s.hits(r.URL.Path) == 1 {
			http.Error(w, "oops", http.StatusInternalServerError)
			return
		}
		page(w, "Flaky", "<p>second time lucky</p>")
	})
	mux.HandleFunc("/cases/broken/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	})
	mux.HandleFunc("/cases/busy/", func(w http.ResponseWriter, r *http.Request) {
		if s.hits(r.URL.Path) == 1 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		page(w, "Busy", "<p>now</p>")
	})
	mux.HandleFunc("/cases/etag/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 07 Nov 2022 10:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		page(w, "Etag", `<p>unchanged</p><a href="/cases/etag-child/">child</a>`)
	})
	mux.HandleFunc("/cases/etag-child/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Child", "<p>child</p>")
	})
	mux.HandleFunc("/cases/huge/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>"))
		chunk := []byte(strings.Repeat("<p>bla bla</p>", 1000))
		for range 200 { // about 2.8 MB, without Content-Length
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/cases/latin1-header/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
		w.Write([]byte("<html><head><title>\xc9t\xe9</title></head><body><p>L'\xe9t\xe9 \xe0 Cor\xe9e</p></body></html>"))
	})
	mux.HandleFunc("/cases/latin1-meta/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><head><meta charset=\"iso-8859-1\"><title>\xc9t\xe9</title></head><body><p>L'\xe9t\xe9 \xe0 Cor\xe9e</p></body></html>"))
	})
	mux.HandleFunc("/cases/utf8-undeclared/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><head><title>x</title></head><body><!-- %s --><p>L’été à Corée</p></body></html>", strings.Repeat("a", 2000))
	})
	mux.HandleFunc("/cases/utf8-bom/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("\xef\xbb\xbf<html><body><p>L’été à Corée</p></body></html>"))
	})
	mux.HandleFunc("/cases/old-slug/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cases/new-slug/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/cases/new-slug/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "New slug", `<a href="/cases/new-slug/">ici</a> <a href="/cases/old-slug/">avant</a>`)
	})
	mux.HandleFunc("/cases/loop-a/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cases/loop-b/", http.StatusFound)
	})
	mux.HandleFunc("/cases/loop-b/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cases/loop-a/", http.StatusFound)
	})
	mux.HandleFunc("/cases/offsite/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, external+"/moved/", http.StatusFound)
	})
	// Slow pages, each linking two more, with slugs of words as articles
	// have (numbers would make them look-alikes, see trapGuard).
	mux.HandleFunc("/cases/slow/{slug}/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		n := slugNumber(r.PathValue("slug"))
		page(w, "Slow", fmt.Sprintf(`<a href="/cases/slow/%s/">a</a><a href="/cases/slow/%s/">b</a>`, numberSlug(2*n), numberSlug(2*n+1)))
	})
	mux.HandleFunc("/cases/chain/{slug}/", func(w http.ResponseWriter, r *http.Request) {
		n := slugNumber(r.PathValue("slug"))
		if n >= 200 {
			page(w, "Chain end", "<p>fin</p>")
			return
		}
		page(w, "Chain", fmt.Sprintf(`<a href="/cases/chain/%s/">suivant</a>`, numberSlug(n+1)))
	})
	// An infinite calendar: every month links the next and previous month
	// and each of its days; every day links the next and previous day.
	mux.HandleFunc("/calendar/{y}/{m}/", func(w http.ResponseWriter, r *http.Request) {
		var y, m int
		fmt.Sscan(r.PathValue("y"), &y)
		fmt.Sscan(r.PathValue("m"), &m)
		t := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		var b strings.Builder
		prev, next := t.AddDate(0, -1, 0), t.AddDate(0, 1, 0)
		fmt.Fprintf(&b, `<a href="/calendar/%d/%02d/">«</a> <a href="/calendar/%d/%02d/">»</a>`, prev.Year(), prev.Month(), next.Year(), next.Month())
		for d := t; d.Month() == t.Month(); d = d.AddDate(0, 0, 1) {
			fmt.Fprintf(&b, ` <a href="/calendar/%d/%02d/%02d/">%d</a>`, d.Year(), d.Month(), d.Day(), d.Day())
		}
		page(w, "Calendrier", b.String())
	})
	mux.HandleFunc("/calendar/{y}/{m}/{d}/", func(w http.ResponseWriter, r *http.Request) {
		var y, m, d int
		fmt.Sscan(r.PathValue("y"), &y)
		fmt.Sscan(r.PathValue("m"), &m)
		fmt.Sscan(r.PathValue("d"), &d)
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		prev, next := t.AddDate(0, 0, -1), t.AddDate(0, 0, 1)
		page(w, "Jour", fmt.Sprintf(`<a href="/calendar/%d/%02d/%02d/">«</a> <a href="/calendar/%d/%02d/%02d/">»</a>`,
			prev.Year(), prev.Month(), prev.Day(), next.Year(), next.Month(), next.Day()))
	})
	// A news site whose articles live at numbers: a sitemap lists 200 of
	// them, and each links the one before it and the calendar.
	mux.HandleFunc("/cases/news-sitemap.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
		for n := 1000; n < 1200; n++ {
			fmt.Fprintf(w, "<url><loc>http://%s/news/%d/</loc></url>", r.Host, n)
		}
		fmt.Fprint(w, "</urlset>")
	})
	// The same articles listed ten a page, newest first, with no sitemap.
	mux.HandleFunc("/news/page/{n}/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		var b strings.Builder
		for i := 1199 - (n-1)*10; i > 1199-n*10 && i >= 1000; i-- {
			fmt.Fprintf(&b, `<a href="/news/%d/">dépêche</a> `, i)
		}
		if n < 20 {
			fmt.Fprintf(&b, `<a href="/news/page/%d/">suivante</a>`, n+1)
		}
		page(w, fmt.Sprintf("Dépêches, page %d", n), b.String())
	})
	mux.HandleFunc("/news/{n}/", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		page(w, fmt.Sprintf("Dépêche %d", n), fmt.Sprintf(`<a href="/news/%d/">précédente</a> <a href="/calendar/2024/05/">agenda</a>`, n-1))
	})
	mux.HandleFunc("/cases/calendar-start/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Start", `<a href="/calendar/2024/05/">calendrier</a> <a href="/cases/facets/?color=red">facettes</a>`)
	})
	mux.HandleFunc("/cases/stall/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
		page(w, "Stalled", "<p>late</p>")
	})
	mux.HandleFunc("/cases/alias/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><link rel="canonical" href="/cases/canonical-target"></head>
<body><a href="/cases/canonical-target/">the same page</a></body></html>`)
	})
	mux.HandleFunc("/cases/canonical-target/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Target", `<p>target</p><a href="/cases/scheme-canonical/">scheme</a> <a href="/cases/canonical-off-site/">off</a>
<a href="/cases/canonical-disallowed/">disallowed</a>`)
	})
	mux.HandleFunc("/cases/scheme-canonical/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><link rel="canonical" href="https://%s/cases/scheme-canonical/"></head><body>itself</body></html>`, r.Host)
	})
	mux.HandleFunc("/cases/canonical-off-site/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><link rel="canonical" href="%s/cases/syndicated/"></head><body>syndicated</body></html>`, external)
	})
	mux.HandleFunc("/cases/canonical-disallowed/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><head><link rel="canonical" href="/prive/copie/"></head><body>copie</body></html>`)
	})
	mux.HandleFunc("/cases/sitemap.xml.gz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-gzip")
		zw := gzip.NewWriter(w)
		fmt.Fprintf(zw, `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://%s/cases/from-gzip/</loc></url></urlset>`, r.Host)
		zw.Close()
	})
	mux.HandleFunc("/cases/from-gzip/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "From a gzipped sitemap", "<p>gz</p>")
	})
	mux.HandleFunc("/cases/cross-host/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Hosts", fmt.Sprintf(`<a href="%s/cases/from-other-host/">allowed</a> <a href="%s/cases/from-main-host/">not allowed</a>`,
			s.polite.URL, s.Server.URL))
	})
	mux.HandleFunc("/cases/from-other-host/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Other host", "<p>other</p>")
	})
	mux.HandleFunc("/cases/from-main-host/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Main host", "<p>main</p>")
	})
	// An old address and its article linked side by side, the article
	// slow: two workers meet them at once.
	// A redirect to a failing page, which a slower page links too: the
	// page is in the frontier while the redirect is being followed.
	mux.HandleFunc("/cases/race-start/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Race", `<a href="/cases/race-old/">old</a> <a href="/cases/race-new/">new</a>
<a href="/cases/race-old-down/">old down</a> <a href="/cases/race-hub/">hub</a>`)
	})
	mux.HandleFunc("/cases/race-hub/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		page(w, "Hub", `<a href="/cases/race-down/">down</a>`)
	})
	mux.HandleFunc("/cases/race-old/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cases/race-new/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/cases/race-new/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond)
		page(w, "New", "<p>new</p>")
	})
	mux.HandleFunc("/cases/race-old-down/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cases/race-down/", http.StatusFound)
	})
	mux.HandleFunc("/cases/race-down/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond)
		http.Error(w, "down", http.StatusServiceUnavailable)
	})
	// Faceted navigation: every page links to more filter combinations.
	mux.HandleFunc("/cases/facets/", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var b strings.Builder
		for _, c := range []string{"red", "green", "blue"} {
			for _, size := range []string{"s", "m", "l"} {
				fmt.Fprintf(&b, `<a href="/cases/facets/?color=%s&size=%s&page=%d">x</a> `, c, size, len(q.Get("page"))+1)
			}
		}
		page(w, "Facettes", b.String())
	})
}

// numberSlug spells n with letters ("bc" for 12), so that consecutive pages
// have slugs as unlike as articles' are.
func numberSlug(n int) string {
	var b strings.Builder
	for _, d := range fmt.Sprint(n) {
		b.WriteByte(byte('a' + d - '0'))
	}
	return b.String()
}

func slugNumber(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'a')
	}
	return n
}
