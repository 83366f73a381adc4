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
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// sitemapProbes are where sites put their sitemaps when robots.txt does
// not say: WordPress core's index, and the common one.
var sitemapProbes = []string{"/wp-sitemap.xml", "/sitemap.xml"}

// pageLinks is what a crawl needs from an HTML page: where its links point.
type pageLinks struct {
	base      string   // <base href>, if any
	canonical string   // <link rel=canonical href>, if any
	links     []string // <a>, <area>, <link rel=next|prev> targets, feeds
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
				if href := attr(z, "href", nil); href != "" {
					pl.links = append(pl.links, href)
				}
			case "base":
				if href := attr(z, "href", nil); href != "" && pl.base == "" {
					pl.base = href
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
	Loc string `xml:"loc"`
}

var errNotSitemap = errors.New("not a sitemap")

// parseSitemap returns the locations a sitemap or sitemap index lists.
func parseSitemap(body []byte) ([]string, error) {
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
		locs := make([]string, 0, len(doc.URLs)+len(doc.Sitemaps))
		for _, l := range slices.Concat(doc.Sitemaps, doc.URLs) {
			if loc := strings.TrimSpace(l.Loc); loc != "" {
				locs = append(locs, loc)
			}
		}
		return locs, nil
	}
}

// parseFeed returns the item links of an RSS, Atom or RDF feed.
func parseFeed(body []byte) ([]string, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	var links []string
	for _, it := range feed.Items {
		if it.Link != "" {
			links = append(links, it.Link)
		}
		for _, l := range it.Links {
			if l != "" && l != it.Link {
				links = append(links, l)
			}
		}
	}
	return links, nil
}

// parseXML reads a feed or a sitemap, whichever body is.
func parseXML(body []byte) ([]string, error) {
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
//     segment is a number: "/page/N/", "/calendar/N/N/N/"). An article's
//     slug or a new category is productive; the next month of a calendar or
//     the next page of a listing is not. A page that is not productive is
//     barren. Its look-alike links (counters, or links of the page's own
//     pattern) are limited: at most barrenFanout of them, and only while
//     fewer than maxBarren barren pages lead to it in a row. A branch of
//     look-alikes thus dies out within a few dozen requests, while its other
//     links (articles listed by a page that has nothing else new) are
//     always followed.
//
// The cost of the rule: a previous-post chain of articles whose URLs differ
// only by a number ("/article/12345/") is followed for maxBarren hops only;
// such articles are reached through listings and sitemaps instead.
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
