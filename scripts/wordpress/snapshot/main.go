// Command snapshot saves every page a local WordPress serves by links, for
// internal/testsite/wpreal: starting from the home page, robots.txt, the
// sitemap index (and /sitemap.xml) and the feed, it follows every same-host link of the HTML
// pages (<a>, <link>), the feeds and sitemaps (any address of the site in
// their text) and robots.txt's Sitemap lines, and writes each answer under
// -out with a manifest.json of addresses, statuses and content types.
// Redirects are recorded, not followed, so that their targets are fetched as
// pages of their own. It also saves WordPress's 404 page, as the answer to
// /wpreal-404/.
//
// Static files (styles, scripts, pictures, fonts), the admin, the REST API,
// the login page and XML-RPC are left out; the manifest lists the addresses
// left out with the reason. The site's address (http://127.0.0.1:PORT, in
// every spelling: plain, with escaped slashes, URL-encoded) becomes
// -placeholder in what is saved, so that the pages can be served from any
// address.
//
// It is run by scripts/wordpress/build.sh, once per theme.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8781", "the site's address")
	placeholder := flag.String("placeholder", "wpreal.invalid", "the host written in place of the site's host and port")
	out := flag.String("out", "", "directory to write the pages and manifest.json to")
	limit := flag.Int("max", 5000, "most addresses to fetch")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "snapshot: -out is required")
		os.Exit(2)
	}
	if err := run(*base, *placeholder, *out, *limit); err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1)
	}
}

// Entry is one address of the saved site, as manifest.json lists it.
type Entry struct {
	// URL is the path and query asked for.
	URL         string `json:"url"`
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// File is where the body is, relative to the manifest; none for
	// redirects and for addresses left out.
	File string `json:"file,omitempty"`
	// Location is a redirect's target, with the placeholder host.
	Location string `json:"location,omitempty"`
	// Header holds the other response headers a crawler may read (Link,
	// X-Robots-Tag), with the placeholder host.
	Header map[string]string `json:"header,omitempty"`
	// Skipped says why an address that pages link to was not fetched.
	Skipped string `json:"skipped,omitempty"`
}

// keptHeaders are the response headers worth replaying besides the content
// type and the location.
var keptHeaders = []string{"Link", "X-Robots-Tag"}

type snapshot struct {
	base        *url.URL
	placeholder string
	out         string
	client      *http.Client

	queue   []string
	seen    map[string]bool
	entries []Entry
	files   map[string]bool
	bytes   int64
}

func run(rawBase, placeholder, out string, limit int) error {
	base, err := url.Parse(strings.TrimSuffix(rawBase, "/"))
	if err != nil || base.Host == "" {
		return fmt.Errorf("parse -base %q: bad address", rawBase)
	}
	s := &snapshot{
		base:        base,
		placeholder: placeholder,
		out:         out,
		client: &http.Client{
			Timeout: 60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			},
		},
		seen:  map[string]bool{},
		files: map[string]bool{},
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	// notFoundPath is no page of the site: WordPress answers it with its
	// 404 page, which internal/testsite/wpreal serves for every address the
	// snapshot does not hold.
	const notFoundPath = "/wpreal-404/"
	// /sitemap.xml is no link of the site's, but crawlers ask for it and
	// WordPress redirects it to /wp-sitemap.xml.
	for _, start := range []string{"/", "/robots.txt", "/sitemap.xml", "/wp-sitemap.xml", "/feed/", notFoundPath} {
		s.enqueue(start)
	}
	for len(s.queue) > 0 {
		if len(s.entries) >= limit {
			return fmt.Errorf("more than %d addresses: is the site looping?", limit)
		}
		u := s.queue[0]
		s.queue = s.queue[1:]
		if err := s.fetch(u); err != nil {
			return err
		}
	}
	sort.Slice(s.entries, func(i, j int) bool { return s.entries[i].URL < s.entries[j].URL })
	data, err := json.MarshalIndent(s.entries, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(out, "manifest.json"), append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	saved := 0
	for _, e := range s.entries {
		if e.File != "" {
			saved++
		}
	}
	slog.Info("snapshot", slog.String("out", out), slog.Int("addresses", len(s.entries)), slog.Int("files", saved), slog.Int64("bytes", s.bytes))
	return nil
}

// skipReason says why an address of the site is not fetched, or "".
func skipReason(p string) string {
	for _, prefix := range []string{"/wp-admin/", "/wp-json/", "/wp-includes/", "/wp-content/"} {
		if strings.HasPrefix(p, prefix) {
			return "under " + prefix
		}
	}
	switch path.Base(p) {
	case "wp-login.php", "xmlrpc.php", "wp-comments-post.php", "wp-cron.php":
		return path.Base(p)
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".css", ".js", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".ico",
		".woff", ".woff2", ".ttf", ".eot", ".map", ".mp3", ".mp4", ".pdf", ".zip":
		return "static file"
	}
	return ""
}

// enqueue adds a path and query of the site to fetch, once.
func (s *snapshot) enqueue(uri string) {
	if s.seen[uri] {
		return
	}
	s.seen[uri] = true
	p, _, _ := strings.Cut(uri, "?")
	if reason := skipReason(p); reason != "" {
		s.entries = append(s.entries, Entry{URL: s.rewrite(uri), Skipped: reason})
		return
	}
	s.queue = append(s.queue, uri)
}

// local turns a link into the path and query of the site it leads to, or
// "" for a link off the site.
func (s *snapshot) local(from *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u, err := from.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host != s.base.Host {
		return ""
	}
	uri := u.EscapedPath()
	if uri == "" {
		uri = "/"
	}
	if u.RawQuery != "" {
		uri += "?" + u.RawQuery
	}
	return uri
}

func (s *snapshot) fetch(uri string) error {
	target := s.base.String() + uri
	resp, err := s.client.Get(target)
	if err != nil {
		return fmt.Errorf("get %s: %w", target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read %s: %w", target, err)
	}
	if resp.StatusCode >= 500 {
		// A fixture site that fails is misconfigured (a missing PHP
		// extension, a database down): saving its error pages would hide it.
		return fmt.Errorf("get %s: status %d: %.300s", target, resp.StatusCode, body)
	}
	e := Entry{URL: uri, Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type")}
	for _, k := range keptHeaders {
		if v := resp.Header.Values(k); len(v) > 0 {
			if e.Header == nil {
				e.Header = map[string]string{}
			}
			e.Header[k] = s.rewrite(strings.Join(v, ", "))
		}
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		e.Location = s.rewrite(loc)
		if l := s.local(resp.Request.URL, loc); l != "" {
			s.enqueue(l)
		}
	}
	kind := kindOf(e.ContentType)
	if len(body) > 0 && kind != "" {
		e.File = s.fileFor(uri, kind)
		full := filepath.Join(s.out, filepath.FromSlash(e.File))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("create directory for %s: %w", e.File, err)
		}
		rewritten := []byte(s.rewrite(string(body)))
		if err := os.WriteFile(full, rewritten, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", e.File, err)
		}
		s.bytes += int64(len(rewritten))
		for _, l := range s.links(resp.Request.URL, kind, body) {
			s.enqueue(l)
		}
	}
	if len(body) > 0 && kind == "" && resp.StatusCode < 300 {
		e.Skipped = "content type " + e.ContentType
	}
	s.entries = append(s.entries, e)
	return nil
}

// rewrite writes the placeholder for the site's host and port in every
// spelling a page uses: in URLs, in JSON with escaped slashes, and
// URL-encoded in query strings. WordPress writes the feeds' atom:link
// rel=self with the host but without the port; on a site served on its
// default port that is the site's address too, so it becomes the
// placeholder as well.
func (s *snapshot) rewrite(text string) string {
	host := s.base.Host
	pairs := []string{host, s.placeholder, url.QueryEscape(host), s.placeholder}
	if s.base.Port() != "" {
		bare := s.base.Hostname()
		pairs = append(pairs, "://"+bare+"/", "://"+s.placeholder+"/", `:\/\/`+bare+`\/`, `:\/\/`+s.placeholder+`\/`)
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// kindOf is the file extension for a content type worth saving, or "".
func kindOf(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	switch {
	case mt == "text/html":
		return "html"
	case mt == "text/plain":
		return "txt"
	case strings.HasSuffix(mt, "xml") || strings.HasSuffix(mt, "xsl"):
		return "xml"
	}
	return ""
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// fileFor names the file of an address: its path, index.EXT for a
// directory, the query folded into the name ("index.replytocom-5.html").
func (s *snapshot) fileFor(uri, ext string) string {
	p, query, _ := strings.Cut(uri, "?")
	if dec, err := url.PathUnescape(p); err == nil {
		p = dec
	}
	p = strings.TrimPrefix(p, "/")
	dir, name := path.Split(p)
	if name == "" {
		name = "index"
	}
	stem, have := name, strings.TrimPrefix(path.Ext(name), ".")
	if have == ext || (ext == "xml" && have == "xsl") {
		stem = strings.TrimSuffix(name, "."+have)
		ext = have
	}
	if query != "" {
		stem += "." + strings.Trim(unsafeName.ReplaceAllString(query, "-"), "-")
	}
	var parts []string
	for _, seg := range strings.Split(strings.Trim(dir, "/"), "/") {
		if seg != "" {
			parts = append(parts, unsafeName.ReplaceAllString(seg, "-"))
		}
	}
	parts = append(parts, unsafeName.ReplaceAllString(stem, "-")+"."+ext)
	file := strings.Join(parts, "/")
	for n := 2; s.files[file]; n++ {
		file = strings.Join(parts[:len(parts)-1], "/")
		if file != "" {
			file += "/"
		}
		file += fmt.Sprintf("%s.%d.%s", unsafeName.ReplaceAllString(stem, "-"), n, ext)
	}
	s.files[file] = true
	return file
}

// siteURL finds the site's addresses in a feed, a sitemap or robots.txt.
var siteURL = regexp.MustCompile(`https?://[^\s"'<>]+`)

// links lists the site's addresses a saved answer leads to.
func (s *snapshot) links(from *url.URL, kind string, body []byte) []string {
	var out []string
	add := func(href string) {
		if l := s.local(from, href); l != "" {
			out = append(out, l)
		}
	}
	if kind != "html" {
		for _, m := range siteURL.FindAllString(string(body), -1) {
			add(html.UnescapeString(strings.TrimRight(m, ".,;)")))
		}
		return out
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				slog.Warn("html tokenizer", slog.String("url", from.String()), slog.Any("err", z.Err()))
			}
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		tag := string(name)
		if tag != "a" && tag != "link" && tag != "area" {
			continue
		}
		var href, rel string
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			switch string(k) {
			case "href":
				href = string(v)
			case "rel":
				rel = strings.ToLower(string(v))
			}
		}
		if tag == "link" && !followedRel(rel) {
			continue
		}
		add(href)
	}
}

// followedRel reports whether a <link> of that rel leads to a page rather
// than to something the page loads (styles, icons, preloads).
func followedRel(rel string) bool {
	for _, r := range strings.Fields(rel) {
		switch r {
		case "alternate", "canonical", "shortlink", "next", "prev", "index", "author", "search":
			return true
		}
	}
	return false
}
