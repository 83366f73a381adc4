package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The headline a reader sees is the page's heading; the metadata titles
// (JSON-LD headline, og:title, <title>) are written for search engines and
// sharing, and often add a kicker ("Chronik: …"), the site's name, or say
// something else altogether. So the visible heading is read first, checked
// against the metadata where it can be:
//
//   - a heading that the metadata titles state (equal, or one part of a
//     title split at its separators, or most of it) is the headline;
//   - the one heading of a page is the headline even when the metadata
//     disagrees, unless it is a metadata title with a kicker or the site's
//     name glued to it ("Immobilienkrise Rene Benko-Firma…"), where the
//     metadata title is the headline without them;
//   - a page without an h1 may show its headline as an h2 the metadata
//     states.
//
// Headings that are the site's banner (its logo or name, a link to its home
// page) or text for screen readers only are never the headline.

// bannerClass matches the class or id of a site's banner heading or of what
// holds it.
var bannerClass = mustQuick(`(?i)logo|site[-_]?(?:title|name|branding|header)|blog[-_]?(?:title|name)|blogname|brand|masthead`)

// hiddenClass matches the classes that hide text from the eye and keep it
// for screen readers ("Navigation und Service", the site's name).
var hiddenClass = mustQuick(`(?i)(?:^|[\s_-])(?:sr-only|visually-hidden|visuallyhidden|screen-reader-text|screenreader|aural|element-invisible|offscreen|off-screen|navskip|skip-link)(?:$|[\s_-])`)

// headingTitle chooses the headline among the page's headings, checked
// against titles, the page's metadata titles (most trusted first). It
// returns "" when no heading qualifies, leaving the choice to the metadata.
func (x *extraction) headingTitle(titles []string, site string) (string, string) {
	if len(titles) == 0 {
		return "", ""
	}
	h1s := x.headings(atom.H1, site)
	// A heading the metadata states, in document order.
	for _, h := range h1s {
		if headlineStated(h, titles[0], site) {
			return h, "h1 the metadata title states"
		}
	}
	if len(h1s) == 1 {
		if t := kickedTitle(h1s[0], titles, site); t != "" {
			return t, "metadata title inside the h1"
		}
		if sharesWords(h1s[0], titles) {
			return h1s[0], "the page's one h1"
		}
	}
	if len(h1s) > 0 {
		return "", ""
	}
	for _, h := range x.headings(atom.H2, site) {
		if headlineStated(h, titles[0], site) {
			return h, "h2 the metadata title states"
		}
	}
	return "", ""
}

// headings lists the texts of the page's headings of one level, in
// document order, without banners, screen-reader text or empty ones.
func (x *extraction) headings(level atom.Atom, site string) []string {
	var out []string
	siteKey := titleKey(site)
	walkElements(x.body, func(n *html.Node) bool {
		if n.DataAtom != level {
			return false
		}
		s := headingText(n)
		if s == "" || !strings.ContainsFunc(s, unicode.IsLetter) || (siteKey != "" && titleKey(s) == siteKey) ||
			x.banner(n) || hiddenHeading(n) {
			return false
		}
		for _, o := range out {
			if o == s {
				return false
			}
		}
		out = append(out, s)
		return false
	})
	return out
}

// banner reports a heading that is the site's banner: classed as a logo or
// the site's title (on itself or a near ancestor), or holding only a link to
// the site's home page.
func (x *extraction) banner(n *html.Node) bool {
	depth := 0
	for p := n; p != nil && p != x.body && depth < 4; p = p.Parent {
		if p.Type == html.ElementNode && bannerClass.MatchString(attr(p, "class")+" "+attr(p, "id")) {
			return true
		}
		depth++
	}
	var link *html.Node
	links := 0
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			link = c
			links++
		}
		return false
	})
	if links != 1 || textOf(link) != textOf(n) {
		return false
	}
	href := resolveURL(x.base, attr(link, "href"))
	if href == "" || x.pageURL == nil {
		return false
	}
	home := x.pageURL.Scheme + "://" + strings.ToLower(x.pageURL.Host)
	return strings.TrimSuffix(href, "/") == home || strings.TrimSuffix(href, "/index.html") == home ||
		strings.TrimSuffix(href, "/index.php") == home
}

// hiddenHeading reports a heading kept for screen readers only.
func hiddenHeading(n *html.Node) bool {
	for p := n; p != nil && p.Type == html.ElementNode; p = p.Parent {
		if hiddenClass.MatchString(attr(p, "class")) || hasAttr(p, "hidden") {
			return true
		}
		if p.DataAtom == atom.Body {
			break
		}
	}
	return false
}

// headlineStated reports whether heading h is what title, the most trusted
// title the page states, says: the same words, or one part of the title
// between its separators (the rest being a kicker or the site's name), or
// most of it. Only the most trusted title counts: a heading that <title>
// states and og:title rewords is as often a section's name as the
// headline.
func headlineStated(h, title, site string) bool {
	hk, tk := titleKey(h), titleKey(title)
	if hk == "" || tk == "" {
		return false
	}
	if tk == hk || titleKey(stripSiteName(title, site)) == hk {
		return true
	}
	for _, part := range titleParts(title) {
		if titleKey(part) == hk {
			return true
		}
	}
	// "Chronik: Lotte Tobisch ist tot" states "Lotte Tobisch ist tot": the
	// heading is most of the title, on word boundaries.
	return len(hk)*2 >= len(tk) && strings.Contains(" "+tk+" ", " "+hk+" ")
}

// titleParts splits a title at its separators ("Headline | Section | Site"),
// trying each separator that occurs; the parts keep their order. It also
// returns each run of parts that leaves out the first or the last one, so
// that "Site » Blog Archive » Headline" gives "Headline" and "A - B | Site"
// gives "A - B".
func titleParts(t string) []string {
	var out []string
	for _, sep := range append(titleSeparators, ": ", " : ") {
		parts := strings.Split(t, sep)
		if len(parts) < 2 {
			continue
		}
		for i := range parts {
			out = append(out, strings.TrimSpace(parts[i]))
			if i > 0 {
				out = append(out, strings.TrimSpace(strings.Join(parts[i:], sep)))
			}
			if i+1 < len(parts) {
				out = append(out, strings.TrimSpace(strings.Join(parts[:i+1], sep)))
			}
		}
	}
	return out
}

// kickedTitle is the metadata title, without the site's name, that
// heading h holds with a kicker before it ("Immobilienkrise Rene
// Benko-Firma Signa in Sorge"), or followed by a separator and more
// ("EU-Taxonomie: … | Umweltbundesamt"); "" when h holds none. The title
// must be most of the heading.
func kickedTitle(h string, titles []string, site string) string {
	hk := titleKey(h)
	for _, t := range titles {
		whole := []string{t, stripSiteName(t, site)}
		for i, c := range append(whole, leadingRuns(t)...) {
			ck := titleKey(c)
			if ck == "" || ck == hk || len(strings.Fields(ck)) < 2 || 2*len(ck) < len(hk) {
				continue
			}
			if strings.HasSuffix(hk, " "+ck) && isKicker(headPrefix(h, ck)) {
				return c
			}
			if i >= len(whole) || !strings.HasPrefix(hk, ck+" ") {
				continue
			}
			for _, sep := range titleSeparators {
				if j := strings.Index(h, sep); j > 0 && titleKey(h[:j]) == ck {
					return c
				}
			}
		}
	}
	return ""
}

// headPrefix is what heading h holds before the words whose key is ck.
func headPrefix(h, ck string) string {
	prevSpace := true
	for i, r := range h {
		if prevSpace && !unicode.IsSpace(r) && titleKey(h[i:]) == ck {
			return strings.TrimSpace(h[:i])
		}
		prevSpace = unicode.IsSpace(r)
	}
	return ""
}

// isKicker reports whether p, the words a heading holds before a title the
// metadata states, reads as a kicker run on into it ("Immobilienkrise",
// "1. Februar 2022"): not the first half of a sentence the metadata
// shortened, which ends with a word such as "eine" or "the" ("Eignet sich
// eine …").
func isKicker(p string) bool {
	words := strings.Fields(titleKey(p))
	if len(words) == 0 {
		return false
	}
	_, common := stopwords[words[len(words)-1]]
	return !common
}

// leadingRuns are the starts of a title that drop its last parts at a
// separator: "A: B - Site" gives "A: B".
func leadingRuns(t string) []string {
	var out []string
	for _, sep := range titleSeparators {
		parts := strings.Split(t, sep)
		for i := len(parts) - 1; i > 0; i-- {
			out = append(out, strings.TrimSpace(strings.Join(parts[:i], sep)))
		}
	}
	return out
}

// sharesWords reports whether some word of h is in one of titles: a
// heading with no word of any title the page states is no headline of
// it ("Lorem" under "Base URL test").
func sharesWords(h string, titles []string) bool {
	words := map[string]bool{}
	for _, t := range titles {
		for _, w := range strings.Fields(titleKey(t)) {
			words[w] = true
		}
	}
	if len(words) == 0 {
		return true
	}
	for _, w := range strings.Fields(titleKey(h)) {
		if _, common := stopwords[w]; !common && words[w] {
			return true
		}
	}
	return false
}

// titleKey reduces a title for comparing: lower case, accents dropped, only
// letters and digits, words separated by one space; quotes, dashes and
// other punctuation vanish.
func titleKey(s string) string {
	k := labelKey(s)
	var b strings.Builder
	b.Grow(len(k))
	space := false
	for _, r := range k {
		if unicode.Is(unicode.Cf, r) { // soft hyphens, zero-width joiners
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// kickerClass matches the class of the kicker a heading opens with: the
// topic line above the headline ("Klimaschutz", "Nach Corona-Lockerungen").
var kickerClass = mustQuick(`(?i)kicker|dachzeile|overline|eyebrow|topline|roofline|subtitle|topic|titleheader|supertitle|super-?headline|spitzmarke|rubric|small`)

// headingText is a heading's text without the kicker that opens it, in an
// element of its own, nor the hidden separator after it, nor a <small>
// after the headline, nor elements after a line break that ends its text
// (a subtitle, or the date and section a theme prints in the heading): the
// headline.
func headingText(n *html.Node) string {
	var b strings.Builder
	kicker, small, seenText, ownText := false, false, false, false
loop:
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
			seenText = seenText || strings.TrimSpace(c.Data) != ""
			ownText = ownText || strings.TrimSpace(c.Data) != ""
		case html.ElementNode:
			if skippedTags[c.DataAtom] {
				continue
			}
			t := textOf(c)
			if !seenText && !kicker && (kickerClass.MatchString(attr(c, "class")) || c.DataAtom == atom.Small) {
				kicker = true
				continue
			}
			if kicker && !seenText && !strings.ContainsFunc(t, unicode.IsLetter) {
				continue // the separator, hidden or not
			}
			if seenText && (c.DataAtom == atom.Small || c.DataAtom == atom.Br && ownText && onlyElementsAfter(c)) {
				small = true
				if c.DataAtom == atom.Br {
					break loop
				}
				continue
			}
			b.WriteString(" " + t + " ")
			seenText = seenText || t != ""
		}
	}
	if rest := cleanSpace(b.String()); (kicker || small) && len(strings.Fields(rest)) >= 2 {
		return rest
	}
	return textOf(n)
}

// onlyElementsAfter reports whether what follows n holds no text of its own
// outside elements: "Headline<br><span>Subtitle</span>", not
// "First line<br>second line". (Two lines each in an element of its own
// are the two halves of one headline, or a kicker and the headline.)
func onlyElementsAfter(n *html.Node) bool {
	found := false
	for c := n.NextSibling; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return false
		case c.Type == html.ElementNode && c.DataAtom != atom.Br:
			found = true
		}
	}
	return found
}
