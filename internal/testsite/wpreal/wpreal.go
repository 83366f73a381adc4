package wpreal

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed testdata
var testdata embed.FS

// Placeholder is the host the saved files name the site by, in place of
// the 127.0.0.1:PORT WordPress was served from.
const Placeholder = "wpreal.invalid"

// NotFoundPath is the address the build script saved WordPress's 404 page
// from; it is no page of the site.
const NotFoundPath = "/wpreal-404/"

// Themes are the stock themes the site was saved under.
func Themes() []string {
	return []string{"twentytwentyone", "twentytwentytwo", "twentytwentythree"}
}

// Entry is one address of a saved site, as testdata/<theme>/manifest.json
// lists it.
type Entry struct {
	// URL is the path and query asked for.
	URL         string `json:"url"`
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// File is the body's file, relative to the manifest; empty for
	// redirects and for addresses left out.
	File string `json:"file,omitempty"`
	// Location is a redirect's target.
	Location string `json:"location,omitempty"`
	// Header holds other response headers (Link, X-Robots-Tag).
	Header map[string]string `json:"header,omitempty"`
	// Skipped says why the build script did not fetch an address the
	// pages link to.
	Skipped string `json:"skipped,omitempty"`
}

// Page is one saved answer.
type Page struct {
	Entry
	// Body is the saved body, naming the site by Placeholder.
	Body []byte
}

// Site serves one theme's saved pages and counts the requests it gets.
type Site struct {
	theme    string
	entries  map[string]Entry // by path and query
	bodies   map[string][]byte
	notFound Page

	mu       sync.Mutex
	paths    map[string]int // requests by path
	uris     map[string]int // requests by path and query
	missing  map[string]int // requests for addresses not held, by path and query
	total    int
	byStatus map[int]int
}

// New loads the pages saved under theme.
func New(theme string) (*Site, error) {
	entries, err := manifest(theme)
	if err != nil {
		return nil, err
	}
	s := &Site{theme: theme, entries: map[string]Entry{}, bodies: map[string][]byte{}}
	s.ResetRequests()
	for _, e := range entries {
		s.entries[e.URL] = e
		if e.File != "" {
			b, err := fs.ReadFile(testdata, path.Join("testdata", theme, e.File))
			if err != nil {
				return nil, fmt.Errorf("load %s page %s: %w", theme, e.URL, err)
			}
			s.bodies[e.URL] = b
		}
	}
	nf, ok := s.entries[NotFoundPath]
	if !ok || s.bodies[NotFoundPath] == nil {
		return nil, fmt.Errorf("load %s: no 404 page saved as %s", theme, NotFoundPath)
	}
	s.notFound = Page{Entry: nf, Body: s.bodies[NotFoundPath]}
	delete(s.entries, NotFoundPath)
	return s, nil
}

func manifest(theme string) ([]Entry, error) {
	if !slices.Contains(Themes(), theme) {
		return nil, fmt.Errorf("load theme %q: not one of %v", theme, Themes())
	}
	data, err := fs.ReadFile(testdata, path.Join("testdata", theme, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("load %s manifest: %w", theme, err)
	}
	var entries []Entry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("decode %s manifest: %w", theme, err)
	}
	return entries, nil
}

// Theme is the theme the pages were saved under.
func (s *Site) Theme() string { return s.theme }

// Pages lists the saved answers with a body (pages, feeds, sitemaps,
// robots.txt, the 404 page), sorted by address.
func (s *Site) Pages() []Page {
	out := []Page{s.notFound}
	for u, e := range s.entries {
		if b, ok := s.bodies[u]; ok {
			out = append(out, Page{Entry: e, Body: b})
		}
	}
	slices.SortFunc(out, func(a, b Page) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// Entries lists every address of the manifest but the 404 page's: pages,
// redirects and addresses left out.
func (s *Site) Entries() []Entry {
	var out []Entry
	for _, e := range s.entries {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// Rebase writes host (such as 127.0.0.1:PORT) wherever text names the site
// by Placeholder, URL-encoded where the placeholder stands in an encoded
// address ("url=http%3A%2F%2Fwpreal.invalid%2F…").
func Rebase(text, host string) string {
	return strings.NewReplacer(
		"%2F%2F"+Placeholder, "%2F%2F"+url.QueryEscape(host),
		Placeholder, host,
	).Replace(text)
}

// key is the manifest address of a request: its path and query, with the
// server's own host written back as the placeholder.
func key(r *http.Request) string {
	k := r.URL.EscapedPath()
	if k == "" {
		k = "/"
	}
	if r.URL.RawQuery != "" {
		k += "?" + r.URL.RawQuery
	}
	return strings.NewReplacer(url.QueryEscape(r.Host), Placeholder, r.Host, Placeholder).Replace(k)
}

// ServeHTTP answers as WordPress did: the saved body with the server's own
// address in it, the saved status, content type, Location, Link and
// X-Robots-Tag; the 404 page for an address it does not hold.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k := key(r)
	e, ok := s.entries[k]
	body, hasBody := s.bodies[k]
	if !ok || e.Skipped != "" {
		e, body, hasBody = s.notFound.Entry, s.notFound.Body, true
		ok = false
	}
	s.count(r.URL.Path, k, e.Status, !ok)

	h := w.Header()
	if e.ContentType != "" {
		h.Set("Content-Type", e.ContentType)
	}
	for name, v := range e.Header {
		h.Set(name, Rebase(v, r.Host))
	}
	if e.Location != "" {
		h.Set("Location", Rebase(e.Location, r.Host))
	}
	var out []byte
	if hasBody {
		out = []byte(Rebase(string(body), r.Host))
	}
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(e.Status)
	if r.Method != http.MethodHead {
		w.Write(out)
	}
}

func (s *Site) count(p, uri string, status int, missing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths[p]++
	s.uris[uri]++
	s.total++
	s.byStatus[status]++
	if missing {
		s.missing[uri]++
	}
}

// Requests is the number of requests for path, whatever their query.
func (s *Site) Requests(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paths[p]
}

// RequestsWithQuery is the number of requests whose query has the
// parameter param ("replytocom").
func (s *Site) RequestsWithQuery(param string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for uri, c := range s.uris {
		_, q, ok := strings.Cut(uri, "?")
		if !ok {
			continue
		}
		if v, err := url.ParseQuery(q); err == nil && v.Has(param) {
			n += c
		}
	}
	return n
}

// TotalRequests is the number of requests served.
func (s *Site) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Answered is the number of requests answered with status.
func (s *Site) Answered(status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byStatus[status]
}

// RequestCounts returns a copy of the request counts by path and query.
func (s *Site) RequestCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.uris))
	for k, v := range s.uris {
		out[k] = v
	}
	return out
}

// Missing returns the requests for addresses the site does not hold
// (answered with the 404 page), by path and query: addresses WordPress
// does not serve, or that the build script left out (the REST API, static
// files).
func (s *Site) Missing() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.missing))
	for k, v := range s.missing {
		out[k] = v
	}
	return out
}

// ResetRequests sets every counter back to zero.
func (s *Site) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.paths, s.uris, s.missing, s.byStatus = map[string]int{}, map[string]int{}, map[string]int{}, map[int]int{}
	s.total = 0
}
