package crawler

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// sitemapProbes are where sites put their sitemaps when robots.txt does
// not say: WordPress core's index, and the common one.
var sitemapProbes = []string{"/wp-sitemap.xml", "/sitemap.xml"}

// pageLinks is what a crawl needs from an HTML page: where its links point,
// and what it says of itself to robots.
type pageLinks struct {
	base      string   // <base href>, if any
	canonical string   // <link rel=canonical href>, if any
	links     []string // <a>, <area>, <link rel=next|prev> targets, feeds
	// nofollow are the <a> and <area> targets marked rel="nofollow"
	// (comment-reply and log-in links on WordPress).
	nofollow []string
	// robots are the <meta name content> pairs whose content may hold
	// robots directives (see robotsDirectives).
	robots [][2]string
}

// scanHTML collects the links of an HTML page with a tokenizer rather than a
// DOM: the crawler reads only a few attributes, and building a tree for every
// page would double its cost. Broken markup is tokenized as a browser would.
func scanHTML(body []byte) pageLinks {
	var pl pageLinks
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return pl
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !hasAttr {
				continue
			}
			switch string(name) {
			case "a", "area":
				var rel string
				if href := attr(z, "href", map[string]*string{"rel": &rel}); href != "" {
					if slices.Contains(strings.Fields(strings.ToLower(rel)), "nofollow") {
						pl.nofollow = append(pl.nofollow, href)
					} else {
						pl.links = append(pl.links, href)
					}
				}
			case "base":
				if href := attr(z, "href", nil); href != "" && pl.base == "" {
					pl.base = href
				}
			case "meta":
				var name string
				if content := attr(z, "content", map[string]*string{"name": &name}); name != "" && mayDirect(content) {
					pl.robots = append(pl.robots, [2]string{strings.ToLower(strings.TrimSpace(name)), content})
				}
			case "link":
				var rel, typ string
				href := attr(z, "href", map[string]*string{"rel": &rel, "type": &typ})
				if href == "" {
					continue
				}
				rels := strings.Fields(strings.ToLower(rel))
				switch {
				case slices.Contains(rels, "canonical"):
					if pl.canonical == "" {
						pl.canonical = href
					}
				case slices.Contains(rels, "next"), slices.Contains(rels, "prev"):
					pl.links = append(pl.links, href)
				case slices.Contains(rels, "alternate") && isFeedType(typ):
					pl.links = append(pl.links, href)
				}
			}
		}
	}
}

// mayDirect reports whether a meta content may hold a robots directive the
// crawler obeys, to keep only those metas.
func mayDirect(content string) bool {
	c := strings.ToLower(content)
	return strings.Contains(c, "noindex") || strings.Contains(c, "nofollow") || strings.Contains(c, "none")
}

// robotsDirectives reads the directives a page gives robots, in <meta
// name="robots"> (or a meta named after the crawler, name) and in
// X-Robots-Tag headers, and reports whether they say noindex and nofollow
// ("none" is both). A header whose directives are scoped to another
// crawler ("otherbot: noindex") is not for this one.
func robotsDirectives(metas [][2]string, headers []string, name string) (noindex, nofollow bool) {
	apply := func(directives string) {
		for d := range strings.SplitSeq(directives, ",") {
			switch strings.ToLower(strings.TrimSpace(d)) {
			case "noindex":
				noindex = true
			case "nofollow":
				nofollow = true
			case "none":
				noindex, nofollow = true, true
			}
		}
	}
	for _, m := range metas {
		if m[0] == "robots" || m[0] == name {
			apply(m[1])
		}
	}
	for _, h := range headers {
		if scope, rest, ok := strings.Cut(h, ":"); ok && !isDirectiveWithValue(scope) {
			if strings.ToLower(strings.TrimSpace(scope)) != name {
				continue
			}
			h = rest
		}
		apply(h)
	}
	return noindex, nofollow
}

// isDirectiveWithValue reports whether s, the text before a colon in an
// X-Robots-Tag, is a directive that takes a value rather than the name of a
// crawler.
func isDirectiveWithValue(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "unavailable_after", "max-snippet", "max-image-preview", "max-video-preview":
		return true
	}
	// "noindex, unavailable_after: ..." has directives before the colon.
	return strings.Contains(s, ",")
}

// attr returns the value of the attribute named want, filling others with
// the values of the other attributes it names.
func attr(z *html.Tokenizer, want string, others map[string]*string) string {
	var value string
	for {
		key, val, more := z.TagAttr()
		k := string(key)
		if k == want {
			value = strings.TrimSpace(string(val))
		} else if p, ok := others[k]; ok {
			*p = string(val)
		}
		if !more {
			return value
		}
	}
}

func isFeedType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "application/rss+xml" || t == "application/atom+xml"
}

// sitemapDoc is a sitemap (<urlset>) or a sitemap index (<sitemapindex>).
type sitemapDoc struct {
	XMLName  xml.Name
	URLs     []sitemapLoc `xml:"url"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod"`
}

// listedLink is one link of a feed or a sitemap.
type listedLink struct {
	url string
	// changed is the latest time the page can have changed according to
	// the document (a sitemap's lastmod, a feed entry's updated date, else
	// the feed's lastBuildDate), rounded up to the date's precision; zero
	// when it says nothing of changes.
	changed time.Time
	// index marks the sitemaps of a sitemap index: documents, not pages.
	index bool
	// inFeed marks the entries of a feed.
	inFeed bool
}

var errNotSitemap = errors.New("not a sitemap")

// parseSitemap returns the locations a sitemap or sitemap index lists.
func parseSitemap(body []byte) ([]listedLink, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	alreadyUTF8 := utf8.Valid(body)
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		// A body colly already decoded (its Content-Type named the
		// charset) still declares its original encoding.
		if alreadyUTF8 {
			return input, nil
		}
		return charset.NewReaderLabel(label, input)
	}
	// Skip to the root element to learn what the document is without
	// decoding a feed into sitemap structures.
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errNotSitemap
			}
			return nil, fmt.Errorf("parse sitemap: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if start.Name.Local != "urlset" && start.Name.Local != "sitemapindex" {
			return nil, errNotSitemap
		}
		var doc sitemapDoc
		if err := d.DecodeElement(&doc, &start); err != nil {
			return nil, fmt.Errorf("parse sitemap: %w", err)
		}
		links := make([]listedLink, 0, len(doc.URLs)+len(doc.Sitemaps))
		for _, l := range doc.Sitemaps {
			if loc := strings.TrimSpace(l.Loc); loc != "" {
				links = append(links, listedLink{url: loc, index: true})
			}
		}
		for _, l := range doc.URLs {
			if loc := strings.TrimSpace(l.Loc); loc != "" {
				links = append(links, listedLink{url: loc, changed: parseLastmod(l.Lastmod)})
			}
		}
		return links, nil
	}
}

// parseLastmod reads a sitemap's lastmod (W3C Datetime: a year, a month, a
// day, or a time to the minute, second or fraction, with a zone) and
// returns the latest moment it can mean: the end of the day for a day. A
// time without a zone is taken at the latest zone, UTC-12. It returns
// the zero time for a value it cannot read.
func parseLastmod(s string) time.Time {
	s = strings.TrimSpace(s)
	for _, f := range []struct {
		layout string
		span   func(time.Time) time.Time
	}{
		{time.RFC3339Nano, func(t time.Time) time.Time { return t }},
		{"2006-01-02T15:04Z07:00", func(t time.Time) time.Time { return t.Add(time.Minute) }},
		{"2006-01-02T15:04:05", func(t time.Time) time.Time { return t.Add(12*time.Hour + time.Second) }},
		{"2006-01-02 15:04:05", func(t time.Time) time.Time { return t.Add(12*time.Hour + time.Second) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1).Add(12 * time.Hour) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0).Add(12 * time.Hour) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0).Add(12 * time.Hour) }},
	} {
		if t, err := time.Parse(f.layout, s); err == nil {
			if f.layout == time.RFC3339Nano && t.Nanosecond() == 0 {
				t = t.Add(time.Second)
			}
			return f.span(t)
		}
	}
	return time.Time{}
}

// parseFeed returns the item links of an RSS, Atom or RDF feed, each with
// its entry's date of change, or the feed's when it has none: WordPress
// gives RSS items no such date, but its lastBuildDate is the latest change
// of the posts the feed lists.
func parseFeed(body []byte) ([]listedLink, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	roundUp := func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		// Feed dates are to the second.
		return t.Truncate(time.Second).Add(time.Second)
	}
	var links []listedLink
	for _, it := range feed.Items {
		changed := roundUp(it.UpdatedParsed)
		if changed.IsZero() {
			changed = roundUp(feed.UpdatedParsed)
		}
		if it.Link != "" {
			links = append(links, listedLink{url: it.Link, changed: changed, inFeed: true})
		}
		for _, l := range it.Links {
			if l != "" && l != it.Link {
				links = append(links, listedLink{url: l, changed: changed, inFeed: true})
			}
		}
	}
	return links, nil
}

// parseXML reads a feed or a sitemap, whichever body is.
func parseXML(body []byte) ([]listedLink, error) {
	links, err := parseSitemap(body)
	if errors.Is(err, errNotSitemap) {
		return parseFeed(body)
	}
	return links, err
}

// trapGuard bounds what look-alike URLs can cost, so that an infinite
// calendar, faceted navigation or session ids in URLs cost a bounded number
// of requests whatever the site does:
//
//   - at most maxQueryVariants distinct query strings per path;
//   - at most maxPerPattern URLs per pattern: the path with runs of digits
//     folded to "N" plus the sorted names of the query's parameters
//     ("/calendar/N/N/?", "/page/N/", "/?p");
//   - a page is productive when one of its new links opens a pattern not
//     seen before in the run, other than a counter (a pattern whose last
//     segment is a number: "/page/N/", "/calendar/N/N/N/"), or when
//     barrenFanout of its new links are numbered items: counters of another
//     family than the page's own (neither its pattern nor one that extends
//     it or that it extends), as "/news/1234/" on "/news/page/2/". An
//     article's slug, a new category or a page listing numbered articles is
//     productive; the next month of a calendar, its days or the next page of
//     a listing is not. A page that is not productive is
//     barren. Its look-alike links (counters, or links of the page's own
//     pattern) are limited: at most barrenFanout of them, and only while
//     fewer than maxBarren barren pages lead to it in a row. A branch of
//     look-alikes thus dies out within a few dozen requests, while its other
//     links (articles listed by a page that has nothing else new) are
//     always followed.
//
// The cost of the rule: a previous-post chain of articles whose URLs differ
// only by a number ("/article/12345/") is followed for maxBarren hops only;
// such articles are reached through listings and sitemaps instead. What a
// sitemap or a feed lists is the site's own account of its pages: the guard
// does not cap it (see followAll).
type trapGuard struct {
	maxQueryVariants int
	maxPerPattern    int
	maxBarren        int

	mu         sync.Mutex
	perPattern map[string]int
	perPath    map[string]int
}

// barrenFanout is the most new URLs a barren page may add.
const barrenFanout = 5

func newTrapGuard(o Options) *trapGuard {
	return &trapGuard{
		maxQueryVariants: o.TrapMaxQueryVariants,
		maxPerPattern:    o.TrapMaxPerPattern,
		maxBarren:        o.TrapMaxBarren,
		perPattern:       map[string]int{},
		perPath:          map[string]int{},
	}
}

// urlPattern folds a URL into the family it belongs to.
func urlPattern(u *url.URL) string {
	var b strings.Builder
	b.Grow(len(u.Path) + 8)
	digits := false
	for i := 0; i < len(u.Path); i++ {
		c := u.Path[i]
		if '0' <= c && c <= '9' {
			if !digits {
				b.WriteByte('N')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteByte(c)
	}
	if u.RawQuery != "" {
		q := u.Query()
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('?')
		b.WriteString(strings.Join(keys, "&"))
	}
	return b.String()
}

// isFresh reports whether u opens a pattern not seen in this run that is
// not a counter.
func (g *trapGuard) isFresh(u *url.URL) bool {
	pattern := urlPattern(u)
	if isCounter(pattern) {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.perPattern[pattern] == 0
}

// isLookalike reports whether u is a counter or shares the pattern of the
// page that links to it.
func (g *trapGuard) isLookalike(u *url.URL, parentPattern string) bool {
	pattern := urlPattern(u)
	return isCounter(pattern) || pattern == parentPattern
}

// isItem reports whether u is a numbered item for a page of parentPattern:
// a counter of another family than the page's.
func isItem(u *url.URL, parentPattern string) bool {
	pattern := urlPattern(u)
	if !isCounter(pattern) {
		return false
	}
	a, _, _ := strings.Cut(pattern, "?")
	b, _, _ := strings.Cut(parentPattern, "?")
	a, b = strings.TrimSuffix(a, "/"), strings.TrimSuffix(b, "/")
	return a != b && !strings.HasPrefix(a, b+"/") && !strings.HasPrefix(b, a+"/")
}

func isCounter(pattern string) bool {
	path, _, _ := strings.Cut(pattern, "?")
	return strings.HasSuffix(strings.TrimSuffix(path, "/"), "/N")
}

// allows reports whether a new URL may join the frontier. Call count once
// it has.
func (g *trapGuard) allows(u *url.URL) bool {
	pattern := urlPattern(u)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.perPattern[pattern] >= g.maxPerPattern {
		return false
	}
	return u.RawQuery == "" || g.perPath[u.Path] < g.maxQueryVariants
}

func (g *trapGuard) count(u *url.URL) {
	pattern := urlPattern(u)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.perPattern[pattern]++
	if u.RawQuery != "" {
		g.perPath[u.Path]++
	}
}

// repeatsSegments reports whether a path repeats one segment three times or
// more, the mark of relative links resolved against themselves
// ("/a/b/a/b/a/b/").
func repeatsSegments(p string) bool {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if len(segs) < 3 {
		return false
	}
	seen := make(map[string]int, len(segs))
	for _, s := range segs {
		if s == "" || strings.Trim(s, "0123456789") == "" {
			continue
		}
		seen[s]++
		if seen[s] >= 3 {
			return true
		}
	}
	return false
}
