package wpsite

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures a Site. The zero value is the default site.
type Options struct {
	// Articles is the number of articles (default 60; at least 3, the
	// source blog's article and the two it links to).
	Articles int
	// Seed varies the generated articles; the same Options always give the
	// same site, byte for byte.
	Seed uint64

	// The switches below make the site behave like particular real hosts;
	// all are off in the zero value, which is a plain WordPress install.

	// Latency delays every response, like a slow host.
	Latency time.Duration
	// PageBytes pads every HTML page to at least this many bytes with an
	// inline script in its head, as real WordPress pages carry tens of
	// kilobytes of inline script and style.
	PageBytes int
	// Gzip compresses responses for clients that accept it.
	Gzip bool
	// Validators sends ETag and Last-Modified and answers conditional
	// requests (If-None-Match, If-Modified-Since) with 304 Not Modified.
	// An article's validators follow its content (its post and its edits),
	// as WordPress's post_modified does, so that a new post changing the
	// sidebar of every page leaves them as they were; a listing's follow
	// its bytes.
	Validators bool
	// SitemapLastmod gives each post of the posts sitemap a lastmod, its
	// last change, as WordPress does since 6.5. Without it the sitemaps
	// give no lastmod, as WordPress 6.1's core sitemaps.
	SitemapLastmod bool
	// SEOMeta prints in every page's head what an SEO plugin (Yoast SEO)
	// prints: og:type article on posts and on pages alike, website on the
	// home page and archives, og:title, og:site_name, og:url, and a JSON-LD
	// graph typed Article and WebPage on posts, WebPage on pages,
	// CollectionPage on listings. Its values are the page's own, so the
	// ground truth holds.
	SEOMeta bool
	// Faults switches on fault modes (see Fault); AllFaults for every one.
	Faults Fault
	// RobotsStatus, when set, is the status robots.txt answers with,
	// without rules (503, 500, 404, 403...), or RobotsUnreachable: the
	// connection is closed before any answer.
	RobotsStatus int
	// RobotsBytes pads robots.txt, after its rules, with comment lines to
	// at least this many bytes, and puts a last rule past them:
	// "Disallow: /" (PastPaddingRule), which a crawler reading only a
	// prefix of a huge robots.txt never sees.
	RobotsBytes int
	// ReplyRedirects makes the comment-reply addresses (?replytocom=N)
	// answer 302 Found to the post's comment, as some WordPress set-ups do,
	// rather than the post again.
	ReplyRedirects bool
	// PartnerURL is the other host FaultExternal links to. Default
	// https://partenaire.example; tests set it to a server that counts
	// what reaches it.
	PartnerURL string
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

	legalPath        = "/mentions-legales/"
	podcastsPath     = "/podcasts/"
	aboutPath        = "/a-propos/"
	contactPath      = "/contact/"
	sectionsPath     = "/emissions/"
	calendarPagePath = "/calendrier/"
	membersPath      = DisallowedPrefix + "espace-membres/"
	commentPostPath  = "/wp-comments-post.php"
	logoPath         = "/wp-content/uploads/2021/03/logo.png"
	stylePath        = "/wp-content/themes/proradio/style.css"

	postsPerPage    = 10
	feedItems       = 10
	sitemapPageSize = 2000
)

// Site is the test site: an http.Handler serving a deterministic French
// WordPress news site, which also knows its ground truth (Expected) and
// counts the requests it receives.
type Site struct {
	opts  Options
	model atomic.Pointer[model]

	mutateMu sync.Mutex
	rounds   []round // the Mutate and Edit calls

	mu       sync.Mutex
	requests map[string]int
	params   map[string]int
	total    int
	answered map[pathStatus]int
	bytes    map[string]int64
	times    map[string][]time.Time
}

type pathStatus struct {
	path   string
	status int
}

// New builds the site. Building is cheap (the text of an article is
// generated when a page needs it), so tests may build a site per test.
func New(opts Options) *Site {
	if opts.Articles == 0 {
		opts.Articles = 60
	}
	opts.Articles = max(opts.Articles, len(anchors))
	if opts.PartnerURL == "" {
		opts.PartnerURL = defaultPartner
	}
	s := &Site{opts: opts}
	s.model.Store(newModel(opts.Articles, opts.Seed, nil))
	s.ResetRequests()
	return s
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
	return maps.Clone(s.requests)
}

// Answered returns how many requests for path the site answered with
// status: Answered(p, 304) counts the conditional requests that cost p
// nothing, Answered(p, 200) the times its body was sent.
func (s *Site) Answered(path string, status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered[pathStatus{path, status}]
}

// BytesServed returns how many bytes of response bodies the site wrote for
// path, as they were on the wire (compressed when compressed). A client that
// stops reading a streamed body stops its count a few socket buffers later.
func (s *Site) BytesServed(path string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes[path]
}

// RequestTimes returns when each request for path arrived, oldest first,
// for the fault pages (see FaultPages) only: the site does not keep the
// times of its other pages.
func (s *Site) RequestTimes(path string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.times[path])
}

// MostInWindow returns the most of times, sorted oldest first, that fall
// within any span shorter than window: the burst a rate limit must bound.
func MostInWindow(times []time.Time, window time.Duration) int {
	most := 0
	for i := range times {
		j := i
		for j < len(times) && times[j].Sub(times[i]) < window {
			j++
		}
		most = max(most, j-i)
	}
	return most
}

// ResetRequests sets every counter back to zero, for tests that crawl twice.
// The FaultFlaky and FaultBusy articles count their requests from there
// again: the next one fails.
func (s *Site) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = map[string]int{}
	s.params = map[string]int{}
	s.total = 0
	s.answered = map[pathStatus]int{}
	s.bytes = map[string]int64{}
	s.times = map[string][]time.Time{}
}

// RequestsWithParam returns how many requests the site received whose query
// has a parameter called name ("replytocom"), whatever their path.
func (s *Site) RequestsWithParam(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.params[name]
}

// count records a request for path, with the parameters of its query, and
// returns its number for that path.
func (s *Site) count(path string, query url.Values, at time.Time, keepTime bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for name := range query {
		s.params[name]++
	}
	s.requests[path]++
	s.total++
	if keepTime {
		s.times[path] = append(s.times[path], at)
	}
	return s.requests[path]
}

// ArticlePaths returns the path of every article, newest first.
func (s *Site) ArticlePaths() []string {
	m := s.model.Load()
	out := make([]string, 0, len(m.posts))
	for _, rank := range m.newestFirst {
		out = append(out, m.posts[rank].path)
	}
	return out
}

// ListingPaths returns every listing page the site links to: the home page
// and its /page/N/ pages, then the category, tag, author and monthly
// archives with their pages. None of them is an article.
func (s *Site) ListingPaths() []string {
	var out []string
	for _, l := range s.model.Load().listings() {
		for n := 1; n <= l.pages(); n++ {
			out = append(out, l.pagePath(n))
		}
	}
	return out
}

// PagePaths returns the WordPress "pages" (as opposed to posts) outside the
// disallowed section: titled, with rel=canonical, but with no date, category
// or author: legal notice, podcasts, about, contact, the section index and
// the calendar. They are not articles. With faults on, the Dossiers page
// (FaultHubPath) is one of them, and with FaultNoindex the page only a
// noindex preview links (FaultPages.NoindexLink).
func (s *Site) PagePaths() []string {
	out := make([]string, 0, len(publicPages)+1)
	for _, sp := range publicPages {
		if sp.calendar {
			out = append(out, s.model.Load().calendarLink())
			continue
		}
		out = append(out, sp.path)
	}
	if s.opts.Faults != 0 {
		out = append(out, FaultHubPath)
	}
	if s.opts.Faults&FaultNoindex != 0 {
		out = append(out, programmePath)
	}
	return out
}

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
	location string    // for redirects: a path or an absolute URL
	modified time.Time // for Last-Modified, when known
	// version, when set, is what the ETag derives from instead of the
	// body: an article's content version.
	version    uint64
	retryAfter int    // seconds, for 429
	robotsTag  string // X-Robots-Tag header
	delay      time.Duration
	// stream, when set, writes the body as it is generated: no ETag,
	// compression or Content-Length (unless length is set).
	stream func(io.Writer)
	length int
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
func (s *Site) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	m := s.model.Load()
	nth := s.count(r.URL.Path, r.URL.Query(), time.Now(), m.isFaultPage(s.opts.Faults, r.URL.Path))
	w := &countingWriter{ResponseWriter: rw, site: s, path: r.URL.Path}
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
	case r.URL.Path == RobotsPath && s.opts.RobotsStatus == RobotsUnreachable:
		// Counted, then no answer at all: the client sees the connection
		// close, as with a host whose robots.txt times out or resets.
		if hj, ok := rw.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case r.URL.Path == commentPostPath && r.Method == http.MethodPost:
		resp = response{status: http.StatusSeeOther, location: "/"}
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		w.Header().Set("Allow", "GET, HEAD")
		resp = response{status: http.StatusMethodNotAllowed, ctype: textType, body: "méthode non autorisée\n"}
	default:
		var ok bool
		if resp, ok = s.faultResponse(m, base, r.URL.Path, r.URL.Query(), nth); !ok {
			resp = s.route(m, base, r.URL.Path, r.URL.Query())
		}
		if resp.status == http.StatusNotFound && !strings.HasSuffix(r.URL.Path, "/") && !strings.Contains(lastSegment(r.URL.Path), ".") {
			// WordPress's redirect_canonical adds the missing slash.
			if alt := s.route(m, base, r.URL.Path+"/", r.URL.Query()); alt.status == http.StatusOK {
				resp = response{status: http.StatusMovedPermanently, location: r.URL.Path + "/"}
			}
		}
	}
	if resp.status == http.StatusNotFound && resp.body == "" && resp.bodyB == nil {
		resp.ctype = htmlType
		resp.body = s.render(m, base, func(pw *pageWriter) { pw.notFound() })
	}
	if wait := s.opts.Latency + resp.delay; wait > 0 {
		select {
		case <-time.After(wait):
		case <-r.Context().Done():
			return
		}
	}
	h := w.Header()
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
	if resp.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(resp.retryAfter))
	}
	if resp.robotsTag != "" {
		h.Set("X-Robots-Tag", resp.robotsTag)
	}
	if resp.stream != nil {
		if resp.length > 0 {
			h.Set("Content-Length", strconv.Itoa(resp.length))
		}
		w.WriteHeader(resp.status)
		if r.Method != http.MethodHead {
			resp.stream(w)
		}
		return
	}
	body := resp.bodyB
	if body == nil {
		body = []byte(resp.body)
	}
	if s.opts.Validators && resp.status == http.StatusOK {
		tag := resp.version
		if tag == 0 {
			tag = fnv64a(body)
		}
		etag := fmt.Sprintf(`"%016x"`, tag)
		h.Set("ETag", etag)
		if !resp.modified.IsZero() {
			h.Set("Last-Modified", resp.modified.UTC().Format(http.TimeFormat))
		}
		if notModified(r, etag, resp.modified) {
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if s.opts.Gzip && len(body) > 0 && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		body = gzipped(body)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// countingWriter records the status and the body bytes of a response in
// the site's counters as they are written.
type countingWriter struct {
	http.ResponseWriter
	site   *Site
	path   string
	status int
}

func (w *countingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
		w.site.mu.Lock()
		w.site.answered[pathStatus{w.path, status}]++
		w.site.mu.Unlock()
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	n, err := w.ResponseWriter.Write(b)
	w.site.mu.Lock()
	w.site.bytes[w.path] += int64(n)
	w.site.mu.Unlock()
	return n, err
}

// version is the content version of an article page, what its ETag derives
// from: the post, its edits, and the options that change its bytes.
func (s *Site) version(p *post) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, v := range []uint64{s.opts.Seed, uint64(p.id), uint64(len(p.edits)), uint64(s.opts.PageBytes), uint64(s.opts.Faults)} {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	h.Write([]byte(p.path))
	return h.Sum64()
}

// notModified evaluates a conditional request as RFC 9110 says: an
// If-None-Match header decides alone; otherwise If-Modified-Since does.
func notModified(r *http.Request, etag string, modified time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == etag || tag == "*" {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.Truncate(time.Second).After(t)
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(params, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func gzipped(body []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b) // no name or time in the header: same bytes every time
	zw.Write(body)
	zw.Close()
	return b.Bytes()
}

func fnv64a(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func lastSegment(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }

func (s *Site) render(m *model, base string, f func(*pageWriter)) string {
	pw := &pageWriter{m: m, base: base, hubLink: s.opts.Faults != 0, seo: s.opts.SEOMeta}
	pw.Grow(max(48<<10, s.opts.PageBytes+4<<10))
	f(pw)
	return padPage(pw.String(), s.opts.PageBytes)
}

func (s *Site) html(m *model, base string, modified time.Time, f func(*pageWriter)) response {
	return response{status: http.StatusOK, ctype: htmlType, body: s.render(m, base, f), modified: modified}
}

// articlePage is the response for the page of post p, in the shape its
// fault (if switched on) gives it.
func (s *Site) articlePage(m *model, base string, p *post) response {
	return s.articleCopy(m, base, p, func(*pageWriter) {})
}

// articleCopy is articlePage with the page writer set up by setup first:
// the same article under another address, or with robots directives.
func (s *Site) articleCopy(m *model, base string, p *post, setup func(*pageWriter)) response {
	resp := s.html(m, base, p.modified(), func(pw *pageWriter) {
		setup(pw)
		pw.article(p)
	})
	resp.version = s.version(p)
	switch p.fault & s.opts.Faults {
	case FaultSlow:
		resp.delay = SlowDelay
	case FaultLatin1:
		resp.ctype, resp.bodyB, resp.body = latin1Type, latin1(resp.body), ""
	case FaultBrokenHTML:
		resp.body = breakHTML(resp.body)
	}
	return resp
}

// padPage grows an HTML page to at least size bytes with an inline script
// before </head>.
func padPage(page string, size int) string {
	const open, close = "<script type=\"text/javascript\" id=\"wp-padding\">\n", "</script>\n"
	missing := size - len(page) - len(open) - len(close)
	if missing <= 0 {
		return page
	}
	const line = "/* wp-emoji-release, block-library, jquery-migrate: inline assets */\n"
	pad := strings.Repeat(line, missing/len(line)+1)[:missing]
	i := strings.Index(page, "</head>")
	return page[:i] + open + pad + close + page[i:]
}

var notFound = response{status: http.StatusNotFound}

// route maps a path to its response.
func (s *Site) route(m *model, base, path string, query url.Values) response {
	switch path {
	case RobotsPath:
		if s.opts.RobotsStatus > 0 {
			return response{status: s.opts.RobotsStatus, ctype: textType, body: http.StatusText(s.opts.RobotsStatus) + "\n"}
		}
		return response{status: http.StatusOK, ctype: textType, body: paddedRobots(robotsTxt(base), s.opts.RobotsBytes)}
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
				if strconv.Itoa(sp.id) == id && sp.calendar {
					return response{status: http.StatusMovedPermanently, location: m.calendarLink()}
				}
				if strconv.Itoa(sp.id) == id {
					return response{status: http.StatusMovedPermanently, location: sp.path}
				}
			}
			return notFound
		}
	}
	if strings.HasPrefix(path, "/wp-sitemap-") {
		return m.sitemap(base, strings.TrimPrefix(path, "/wp-sitemap-"), s.opts.SitemapLastmod)
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
		// Any new post changes every page of a listing.
		return s.html(m, base, m.posts[l.posts[0]].day, func(pw *pageWriter) { pw.listing(l, page) })
	}
	if page > 1 {
		return notFound
	}
	switch {
	case len(segs) == 4:
		if p, ok := m.byPath[path]; ok {
			switch {
			case isShareService(query.Get("share")):
				// Jetpack's sharing buttons send the visitor to the service.
				return response{status: http.StatusFound, location: "https://www.facebook.com/sharer.php?u=" + url.QueryEscape(base+p.path)}
			case query.Has("replytocom") && s.opts.ReplyRedirects:
				return response{status: http.StatusFound, location: p.path + "#comment-" + url.QueryEscape(query.Get("replytocom"))}
			case query.Has("replytocom"):
				// The reply form aimed at a comment: the post again, which
				// WordPress keeps out of search engines.
				return s.articleCopy(m, base, p, func(pw *pageWriter) { pw.robots = "noindex, follow" })
			}
			return s.articlePage(m, base, p)
		}
	case len(segs) == 5 && segs[4] == "feed":
		if p, ok := m.byPath[strings.TrimSuffix(path, "feed/")]; ok {
			return response{status: http.StatusOK, ctype: rssType, body: m.commentsFeed(base, p), modified: p.day}
		}
	case path == FeedPath:
		return response{status: http.StatusOK, ctype: rssType, body: m.feed(base), modified: m.feedBuilt()}
	case strings.HasPrefix(path, DisallowedPrefix):
		for _, sp := range privatePages {
			if sp.path == path {
				return s.html(m, base, time.Time{}, func(pw *pageWriter) { pw.staticPage(sp) })
			}
		}
	}
	for _, sp := range publicPages {
		if sp.path != path {
			continue
		}
		var month time.Time
		if sp.calendar {
			t, ok := m.calendarMonth(query.Get("mois"))
			if !ok {
				return notFound
			}
			month = t
		}
		return s.html(m, base, time.Time{}, func(pw *pageWriter) { pw.month = month; pw.staticPage(sp) })
	}
	return notFound
}
