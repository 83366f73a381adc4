package wpsite

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Options configures a Site. The zero value is the default site.
type Options struct {
	// Articles is the number of articles (default 60; at least 3, the
	// source blog's article and the two it links to).
	Articles int
	// Seed varies the generated articles; the same Options always give the
	// same site, byte for byte.
	Seed uint64
}

// Paths of the site that tests and crawlers need to know.
const (
	// DisallowedPrefix is the section robots.txt disallows; every page links
	// into it ("Espace membres" in the footer), and it answers 200, so only
	// a crawler that obeys robots.txt keeps out.
	DisallowedPrefix = "/prive/"
	// AdminPrefix is also disallowed, as on every WordPress site; nothing
	// links to it.
	AdminPrefix = "/wp-admin/"

	FeedPath    = "/feed/"
	SitemapPath = "/wp-sitemap.xml"
	RobotsPath  = "/robots.txt"

	legalPath       = "/mentions-legales/"
	podcastsPath    = "/podcasts/"
	membersPath     = DisallowedPrefix + "espace-membres/"
	commentPostPath = "/wp-comments-post.php"
	logoPath        = "/wp-content/uploads/2021/03/logo.png"
	stylePath       = "/wp-content/themes/proradio/style.css"

	postsPerPage    = 10
	feedItems       = 10
	sitemapPageSize = 2000
)

// Site is the test site: an http.Handler serving a deterministic French
// WordPress news site, which also knows its ground truth (Expected) and
// counts the requests it receives.
type Site struct {
	opts  Options
	model *model

	mu       sync.Mutex
	requests map[string]int
	total    int
}

// New builds the site. Building is cheap (the text of an article is
// generated when a page needs it), so tests may build a site per test.
func New(opts Options) *Site {
	if opts.Articles == 0 {
		opts.Articles = 60
	}
	opts.Articles = max(opts.Articles, len(anchors))
	return &Site{opts: opts, model: newModel(opts.Articles, opts.Seed), requests: map[string]int{}}
}

// Options returns the options the site was built with, defaults applied.
func (s *Site) Options() Options { return s.opts }

// Requests returns how many requests the site received for path (the URL
// path, without query), whatever their outcome.
func (s *Site) Requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// RequestsWithPrefix returns how many requests the site received for paths
// starting with prefix.
func (s *Site) RequestsWithPrefix(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for path, c := range s.requests {
		if strings.HasPrefix(path, prefix) {
			n += c
		}
	}
	return n
}

// TotalRequests returns how many requests the site received.
func (s *Site) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// RequestCounts returns a copy of the per-path request counts.
func (s *Site) RequestCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.requests))
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

// ResetRequests sets every counter back to zero, for tests that crawl twice.
func (s *Site) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = map[string]int{}
	s.total = 0
}

func (s *Site) count(path string) {
	s.mu.Lock()
	s.requests[path]++
	s.total++
	s.mu.Unlock()
}

// ArticlePaths returns the path of every article, newest first.
func (s *Site) ArticlePaths() []string {
	out := make([]string, 0, len(s.model.posts))
	for _, rank := range s.model.newestFirst {
		out = append(out, s.model.posts[rank].path)
	}
	return out
}

// ListingPaths returns every listing page the site links to: the home page
// and its /page/N/ pages, then the category, tag, author and monthly
// archives with their pages. None of them is an article.
func (s *Site) ListingPaths() []string {
	var out []string
	for _, l := range s.model.listings() {
		for n := 1; n <= l.pages(); n++ {
			out = append(out, l.pagePath(n))
		}
	}
	return out
}

// PagePaths returns the WordPress "pages" (as opposed to posts) outside the
// disallowed section: titled, with rel=canonical, but with no date, category
// or author. They are not articles.
func (s *Site) PagePaths() []string { return []string{legalPath, podcastsPath} }

// NonArticlePaths returns every HTML page a polite crawler can reach that is
// not an article: ListingPaths then PagePaths.
func (s *Site) NonArticlePaths() []string { return append(s.ListingPaths(), s.PagePaths()...) }

// DisallowedPaths returns the pages of the robots-disallowed section that
// the site links to.
func (s *Site) DisallowedPaths() []string {
	out := make([]string, 0, len(privatePages))
	for _, p := range privatePages {
		out = append(out, p.path)
	}
	return out
}

// response is what a route produces.
type response struct {
	status   int
	ctype    string
	body     string
	bodyB    []byte
	location string // for redirects: a path or an absolute URL
	header   map[string]string
}

const (
	htmlType = "text/html; charset=UTF-8"
	rssType  = "application/rss+xml; charset=UTF-8"
	xmlType  = "application/xml; charset=UTF-8"
	textType = "text/plain; charset=utf-8"
	jsonType = "application/json; charset=UTF-8"
)

// ServeHTTP serves the site. Absolute links are built from the request's
// Host, as on a WordPress site whose address is the one it is reached at.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.count(r.URL.Path)
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	base := scheme + host

	var resp response
	switch {
	case r.URL.Path == commentPostPath && r.Method == http.MethodPost:
		resp = response{status: http.StatusSeeOther, location: "/"}
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		resp = response{status: http.StatusMethodNotAllowed, ctype: textType, body: "méthode non autorisée\n"}
	default:
		resp = s.route(base, r.URL.Path, r.URL.Query())
		if resp.status == http.StatusNotFound && !strings.HasSuffix(r.URL.Path, "/") && !strings.Contains(lastSegment(r.URL.Path), ".") {
			// WordPress's redirect_canonical adds the missing slash.
			if alt := s.route(base, r.URL.Path+"/", r.URL.Query()); alt.status == http.StatusOK {
				resp = response{status: http.StatusMovedPermanently, location: r.URL.Path + "/"}
			}
		}
	}
	if resp.status == http.StatusNotFound && resp.body == "" && resp.bodyB == nil {
		resp.ctype = htmlType
		resp.body = s.render(base, func(pw *pageWriter) { pw.notFound() })
	}
	h := w.Header()
	for k, v := range resp.header {
		h.Set(k, v)
	}
	if resp.location != "" {
		loc := resp.location
		if strings.HasPrefix(loc, "/") {
			loc = base + loc
		}
		h.Set("Location", loc)
	}
	if resp.ctype != "" {
		h.Set("Content-Type", resp.ctype)
	}
	size := len(resp.body) + len(resp.bodyB)
	h.Set("Content-Length", strconv.Itoa(size))
	w.WriteHeader(resp.status)
	if r.Method == http.MethodHead {
		return
	}
	if resp.bodyB != nil {
		w.Write(resp.bodyB)
	} else {
		io.WriteString(w, resp.body)
	}
}

func lastSegment(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }

func (s *Site) render(base string, f func(*pageWriter)) string {
	pw := &pageWriter{m: s.model, base: base}
	pw.Grow(48 << 10)
	f(pw)
	return pw.String()
}

func (s *Site) html(base string, f func(*pageWriter)) response {
	return response{status: http.StatusOK, ctype: htmlType, body: s.render(base, f)}
}

var notFound = response{status: http.StatusNotFound}

// route maps a path to its response.
func (s *Site) route(base, path string, query url.Values) response {
	m := s.model
	switch path {
	case RobotsPath:
		return response{status: http.StatusOK, ctype: textType, body: robotsTxt(base)}
	case SitemapPath:
		return response{status: http.StatusOK, ctype: xmlType, body: m.sitemapIndex(base)}
	case "/":
		if id := query.Get("p"); id != "" {
			// Shortlinks redirect to the permalink.
			n, err := strconv.Atoi(id)
			if p, ok := m.byID[n]; ok && err == nil {
				return response{status: http.StatusMovedPermanently, location: p.path}
			}
			return notFound
		}
		if id := query.Get("page_id"); id != "" {
			for _, sp := range append(publicPages[:len(publicPages):len(publicPages)], privatePages...) {
				if strconv.Itoa(sp.id) == id {
					return response{status: http.StatusMovedPermanently, location: sp.path}
				}
			}
			return notFound
		}
	}
	if strings.HasPrefix(path, "/wp-sitemap-") {
		return m.sitemap(base, strings.TrimPrefix(path, "/wp-sitemap-"))
	}
	if strings.HasPrefix(path, "/wp-content/") {
		return asset(m, path)
	}
	if strings.HasPrefix(path, "/wp-json/") {
		return m.restAPI(base, strings.Split(strings.Trim(strings.TrimPrefix(path, "/wp-json/"), "/"), "/"))
	}
	if strings.HasPrefix(path, AdminPrefix) {
		return response{status: http.StatusForbidden, ctype: textType, body: "accès refusé\n"}
	}
	if !strings.HasSuffix(path, "/") {
		return notFound
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if path == "/" {
		segs = nil
	}

	// A trailing /page/N/ selects a page of a listing.
	page := 1
	if n := len(segs); n >= 2 && segs[n-2] == "page" {
		p, err := strconv.Atoi(segs[n-1])
		if err != nil || p < 1 || segs[n-1] != strconv.Itoa(p) {
			return notFound
		}
		if p == 1 {
			return response{status: http.StatusMovedPermanently, location: strings.TrimSuffix(path, "page/1/")}
		}
		page = p
		segs = segs[:n-2]
	}
	if l, ok := m.listingFor(segs); ok {
		if page > l.pages() {
			return notFound
		}
		return s.html(base, func(pw *pageWriter) { pw.listing(l, page) })
	}
	if page > 1 {
		return notFound
	}
	switch {
	case len(segs) == 4:
		if p, ok := m.byPath[path]; ok {
			return s.html(base, func(pw *pageWriter) { pw.article(p) })
		}
	case len(segs) == 5 && segs[4] == "feed":
		if p, ok := m.byPath[strings.TrimSuffix(path, "feed/")]; ok {
			return response{status: http.StatusOK, ctype: rssType, body: m.commentsFeed(base, p)}
		}
	case path == FeedPath:
		return response{status: http.StatusOK, ctype: rssType, body: m.feed(base)}
	case path == legalPath || path == podcastsPath:
		for _, sp := range publicPages {
			if sp.path == path {
				return s.html(base, func(pw *pageWriter) { pw.staticPage(sp) })
			}
		}
	case strings.HasPrefix(path, DisallowedPrefix):
		for _, sp := range privatePages {
			if sp.path == path {
				return s.html(base, func(pw *pageWriter) { pw.staticPage(sp) })
			}
		}
	}
	return notFound
}
