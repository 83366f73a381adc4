package extract

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// titleSeparators join a headline and the site's name in <title> and
// og:title ("Headline – Site").
var titleSeparators = []string{" – ", " — ", " - ", " | ", " │ ", " · ", " • ", " :: ", " » ", " // "}

// stripSiteName removes site, with the separator before it, from the end
// (or the start) of title.
func stripSiteName(title, site string) string {
	title = strings.TrimSpace(title)
	if site == "" || title == site {
		return title
	}
	for _, sep := range titleSeparators {
		if head, ok := strings.CutSuffix(title, sep+site); ok && strings.TrimSpace(head) != "" {
			return strings.TrimSpace(head)
		}
		if tail, ok := strings.CutPrefix(title, site+sep); ok && strings.TrimSpace(tail) != "" {
			return strings.TrimSpace(tail)
		}
	}
	return title
}

// cutCJKSuffix cuts the site's name that a title in Chinese, Japanese or
// Korean joins without spaces, as these scripts write no spaces:
// "标题！-新华网", "标题_百度百科". The name is short, after the last
// separator between two characters of these scripts.
func cutCJKSuffix(title string) (string, bool) {
	rs := []rune(title)
	for i := len(rs) - 2; i > 0; i-- {
		switch rs[i] {
		case '-', '_', '|', '｜', '－':
		default:
			continue
		}
		if !isCJK(rs[i-1]) || !isCJK(rs[i+1]) {
			return "", false
		}
		head, tail := strings.TrimSpace(string(rs[:i])), strings.TrimSpace(string(rs[i+1:]))
		if n := utf8.RuneCountInString(tail); n > 8 || utf8.RuneCountInString(head) < 2*n {
			return "", false
		}
		return head, true
	}
	return "", false
}

// isCJK reports a character of Chinese, Japanese or Korean writing, or of
// its full-width punctuation ("！", "。").
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff01 && r <= 0xff65)
}

// stripTitleSuffix removes a trailing " – Site name" from a document title
// when the site's name is unknown: the part after the last separator is cut
// when it is short and what stays is a real headline.
func stripTitleSuffix(title, site string) string {
	title = cleanSpace(title)
	if stripped := stripSiteName(title, site); stripped != title {
		return stripped
	}
	cut := -1
	sepLen := 0
	for _, sep := range titleSeparators {
		if i := strings.LastIndex(title, sep); i > cut {
			cut, sepLen = i, len(sep)
		}
	}
	if cut <= 0 {
		if head, ok := cutCJKSuffix(title); ok {
			return stripTitleSuffix(head, site)
		}
		return title
	}
	head, tail := strings.TrimSpace(title[:cut]), strings.TrimSpace(title[cut+sepLen:])
	if len(strings.Fields(tail)) <= 4 && len(strings.Fields(head)) >= 2 && utf8.RuneCountInString(head) > utf8.RuneCountInString(tail) {
		return stripTitleSuffix(head, site)
	}
	return title
}

// title is the headline. A title rule the site configured wins. Otherwise
// the headline element the default rules find (h1.entry-title, h1) wins
// when the page's metadata title says the same, give or take the site's
// name; when they disagree the metadata title (JSON-LD headline, og:title,
// Dublin Core, twitter:title, then <title>) is the page's own statement of
// its title and wins, as an h1 is as often a section name, a site banner or
// a sub-heading.
func (x *extraction) title() string {
	t := x.withoutHostName(x.headlineTitle())
	if x.siteRules["title"] {
		return t
	}
	// A title that ends or starts with a separator is a template whose
	// headline is missing ("National Rail Enquiries -"): what is left of
	// it is the site's name.
	t, missing := withoutDanglingSeparator(t)
	if !missing && !x.siteish(t) {
		return t
	}
	// The site's name is no headline: the first heading above the body
	// that is not it.
	var found string
	var how string
	for _, level := range []atom.Atom{atom.H1, atom.H2, atom.H3} {
		walkElements(x.body, func(n *html.Node) bool {
			if n == x.bodyNode {
				return true // headings after the body title other stories
			}
			if n.DataAtom != level || x.banner(n) || hiddenHeading(n) {
				return false
			}
			if h := headingText(n); h != "" && !x.siteish(h) && len(strings.Fields(h)) <= 30 &&
				strings.ContainsFunc(h, unicode.IsLetter) {
				found, how = h, "first "+level.String()+" that is not the site's name"
				return true
			}
			return false
		})
		if found != "" {
			x.won("title", layerHeuristics, how)
			return found
		}
	}
	return t
}

// withoutDanglingSeparator trims a separator that ends or starts t with
// nothing on its other side, and reports whether there was one and the rest
// is one part, a name ("Site -"; not "Headline :: Site ::", where the
// separator is an ornament).
func withoutDanglingSeparator(t string) (string, bool) {
	trimmed := strings.TrimSpace(t)
	for _, sep := range titleSeparators {
		mark := strings.TrimSpace(sep)
		rest, ok := strings.CutSuffix(trimmed, " "+mark)
		if !ok {
			rest, ok = strings.CutPrefix(trimmed, mark+" ")
		}
		if rest = strings.TrimSpace(rest); ok && rest != "" && len(titleParts(rest)) == 0 {
			return rest, true
		}
	}
	return t, false
}

// siteish reports a title that names the site rather than a page: its name,
// its address, "Home".
func (x *extraction) siteish(t string) bool {
	if t == "" {
		return false
	}
	// og:site_name alone: the other statements of the site's name are at
	// times the page's own.
	if site, _ := x.meta.meta("og:site_name"); site != "" && titleKey(t) == titleKey(site) || homeLabels.is(t) {
		return true
	}
	if x.pageURL == nil {
		return false
	}
	labels := strings.Split(strings.TrimPrefix(strings.ToLower(x.pageURL.Hostname()), "www."), ".")
	if len(labels) < 2 || len(labels[len(labels)-2]) < 4 {
		return false
	}
	squeezed := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, t)
	return squeezed == labels[len(labels)-2] || squeezed == strings.Join(labels[len(labels)-2:], "")
}

// withoutHostName cuts from a title the part after its last separator that
// names the site by its address: "… | homify" on homify.de, "… - La
// Stampa" on lastampa.it.
func (x *extraction) withoutHostName(title string) string {
	if x.pageURL == nil {
		return title
	}
	labels := strings.Split(strings.TrimPrefix(strings.ToLower(x.pageURL.Hostname()), "www."), ".")
	if len(labels) < 2 || len(labels[len(labels)-2]) < 4 {
		return title
	}
	host := labels[len(labels)-2]
	for _, sep := range titleSeparators {
		i := strings.LastIndex(title, sep)
		if i <= 0 {
			continue
		}
		head, tail := strings.TrimSpace(title[:i]), title[i+len(sep):]
		squeezed := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, tail)
		if len(strings.Fields(head)) >= 2 && len(strings.Fields(tail)) <= 4 && strings.HasPrefix(squeezed, host) {
			return head
		}
	}
	return title
}

// headlineTitle is title before the final clean-up.
func (x *extraction) headlineTitle() string {
	site := x.meta.siteName()
	var h1, how string
	x.rules.title.each(x.root, func(n *html.Node, alt string) bool {
		h1, how = textOf(n), alt
		if isHeading(n) && !x.siteRules["title"] {
			h1 = headingText(n)
		}
		if h1 != "" && !x.siteRules["title"] && (x.banner(n) || hiddenHeading(n)) {
			h1 = "" // the site's name or logo, or text for screen readers
		}
		return h1 != ""
	})
	if h1 != "" && x.siteRules["title"] {
		x.won("title", layerRules, how)
		return stripSiteName(h1, site)
	}
	if h1 != "" && x.root == x.body && !x.titleAgrees(h1) {
		// With no article element to hold it, an h1 may be the site's
		// name or a comment's heading: trust it only when the page's own
		// title says the same.
		h1 = ""
	}
	h1 = stripSiteName(h1, site)

	type candidate struct{ value, how string }
	var metaTitles []candidate
	if s, key := x.ldTitle(h1); s != "" {
		metaTitles = append(metaTitles, candidate{s, "json-ld " + key})
	}
	docTitle := cleanSpace(x.meta.title)
	docHead := stripTitleSuffix(docTitle, site)
	for _, k := range []string{"dc:title", "og:title", "title", "twitter:title", "parsely-title"} {
		if v, _ := x.meta.meta(k); v != "" {
			v = cleanSpace(v)
			how := "meta " + k
			if whole := quoteCut(v, docHead); whole != "" {
				v, how = whole, how+", cut at a quote, whole in the title element"
			}
			metaTitles = append(metaTitles, candidate{v, how})
		}
	}
	if v := x.meta.itemProp("headline"); v != "" {
		metaTitles = append(metaTitles, candidate{cleanSpace(v), "microdata headline"})
	}
	stated := make([]string, 0, len(metaTitles)+1)
	for _, c := range metaTitles {
		stated = append(stated, c.value)
	}
	if docTitle != "" {
		stated = append(stated, docTitle)
	}
	if h1 != "" && len(stated) > 0 && headlineStated(h1, stated[0], site) {
		x.won("title", layerRules, how)
		return h1
	}
	if s, how := x.headingTitle(stated, site); s != "" {
		x.won("title", layerHeuristics, how)
		return s
	}

	// A headline the theme marks as such (h1.entry-title, .post-title)
	// holds unless the JSON-LD headline, written from the same post,
	// says otherwise; og:title and <title> are often SEO titles there. A
	// bare h1 must agree with the most trusted title the page states.
	if h1 != "" {
		marked := how != "h1"
		stated := docTitle
		if len(metaTitles) > 0 {
			stated = metaTitles[0].value
		}
		if marked && (len(metaTitles) == 0 || !strings.HasPrefix(metaTitles[0].how, "json-ld")) {
			stated = ""
		}
		if stated == "" || sameTitle(h1, stated, site) {
			x.won("title", layerRules, how)
			return h1
		}
	}
	if len(metaTitles) > 0 {
		// Metadata titles are written for sharing and seldom carry the
		// site's name; only a name the page states is cut, as "Headline -
		// a subtitle" is common.
		c := metaTitles[0]
		x.won("title", layerMetadata, c.how)
		return stripSiteName(c.value, site)
	}
	if docTitle != "" {
		// A part of the title that the page's description repeats
		// whole is its headline, whatever stands around it ("Club -
		// Headline - Section - News").
		if d, _ := x.meta.meta("description"); d != "" {
			dk := titleKey(d)
			for _, part := range titleParts(docTitle) {
				if len(strings.Fields(part)) >= 3 && titleKey(part) == dk {
					x.won("title", layerHeuristics, "the part of the title element the description repeats")
					return part
				}
			}
		}
		x.won("title", layerHeuristics, "title element")
		return stripTitleSuffix(docTitle, site)
	}
	if h1 != "" {
		x.won("title", layerRules, how)
		return h1
	}
	if h := findElement(x.body, atom.H1); h != nil {
		if s := textOf(h); s != "" {
			x.won("title", layerHeuristics, "first h1")
			return stripSiteName(s, site)
		}
	}
	return ""
}

// ldTitle is the JSON-LD article's headline, or its name when the two
// differ and only the name is what the page shows as its h1 or title (some
// sites put a description in headline).
func (x *extraction) ldTitle(h1 string) (string, string) {
	headline := cleanSpace(x.meta.ldString(x.meta.article, "headline"))
	name := cleanSpace(x.meta.ldString(x.meta.article, "name"))
	shown := func(s string) bool {
		k := labelKey(s)
		return k != "" && (k == labelKey(h1) || strings.Contains(labelKey(x.meta.title), k))
	}
	switch {
	case headline == "" && name == "":
		return "", ""
	case headline == "" && shown(name):
		return name, "name"
	case headline == "":
		return "", ""
	case name != "" && name != headline && shown(name) && !shown(headline):
		return name, "name"
	}
	return headline, "headline"
}

// sameTitle reports whether headline is title, or title with the site's
// name or another short segment before or after a separator.
func sameTitle(headline, title, site string) bool {
	if title == "" {
		return false
	}
	h, t := labelKey(headline), labelKey(title)
	if h == "" {
		return false
	}
	if h == t || h == labelKey(stripSiteName(title, site)) {
		return true
	}
	// "Headline | Site" or "Site » Headline" with the site unnamed: the
	// part dropped must be the shorter, or the h1 may be the site's banner
	// ("evolve extension for Mercurial") over a title that names the page.
	headLen := utf8.RuneCountInString(headline)
	for _, sep := range titleSeparators {
		if rest, ok := strings.CutPrefix(title, headline+sep); ok && utf8.RuneCountInString(rest) < headLen {
			return true
		}
		if rest, ok := strings.CutSuffix(title, sep+headline); ok && utf8.RuneCountInString(rest) < headLen {
			return true
		}
	}
	return false
}

// titleAgrees reports whether the document title or og:title contains
// headline, or there is no such title to disagree.
func (x *extraction) titleAgrees(headline string) bool {
	og, _ := x.meta.meta("og:title")
	if x.meta.title == "" && og == "" {
		return true
	}
	h := labelKey(headline)
	return strings.Contains(labelKey(x.meta.title), h) || strings.Contains(labelKey(og), h)
}

// texts is the distinct non-empty texts of nodes, in order.
func texts(nodes []*html.Node) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range nodes {
		if s := textOf(n); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func distinct(values []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		if v = cleanSpace(v); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// sections reads the sections metadata names: a list, or one string of
// them separated by commas ("Blogartikel,Digitalisierung"), the generic
// ones ("Aktuell", "Featured") after the others.
func sections(values []string) []string {
	var all []string
	for _, v := range values {
		all = append(all, strings.Split(v, ",")...)
	}
	return genericLast(distinct(all))
}

// genericLast orders names with the generic ones ("Uncategorized",
// "Aktuell") after the others, each group in its order.
func genericLast(names []string) []string {
	var specific, generic []string
	for _, s := range names {
		if genericSections.is(s) {
			generic = append(generic, s)
		} else {
			specific = append(specific, s)
		}
	}
	return append(specific, generic...)
}

// collectTermNames maps the slugs of the site's category and tag archive
// links to the names they display, so that WordPress's "category-<slug>"
// classes can be named even when the article itself shows no link.
func collectTermNames(doc *html.Node) map[string]string {
	names := map[string]string{}
	walkElements(doc, func(n *html.Node) bool {
		if !isElement(n, atom.A) {
			return false
		}
		href := attr(n, "href")
		if kind := termOf(href); kind != "" {
			u, _ := url.Parse(href) // termOf parsed it already
			parts := strings.Split(strings.Trim(u.Path, "/"), "/")
			key := kind + "/" + parts[len(parts)-1]
			if _, seen := names[key]; !seen {
				if s := textOf(n); s != "" {
					names[key] = s
				}
			}
		}
		return false
	})
	return names
}

// termLinks is the text of the article's links to WordPress's /category/
// or /tag/ archives (the sidebar and menus are gone by now).
func (x *extraction) termLinks(kind string) []string {
	var out []string
	walkElements(x.root, func(n *html.Node) bool {
		// A term is a name, not a sentence linking to it.
		if isElement(n, atom.A) && termOf(attr(n, "href")) == kind {
			if s := textOf(n); len(strings.Fields(s)) <= 5 {
				out = append(out, s)
			}
		}
		return false
	})
	if kind == "category" {
		return sections(out) // the generic ones ("Topnews") last
	}
	return distinct(out)
}

// termOf is "category" or "tag" for the address of such an archive.
func termOf(href string) string {
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := 0; i+1 < len(parts); i++ {
		if kind, ok := termSegments[strings.ToLower(parts[i])]; ok {
			return kind
		}
	}
	return ""
}

// termSegments are the path segments of category and tag archives, as
// WordPress and other systems spell them: /category/slug/, /cat/3_slug/,
// /kategorie/slug/.
var termSegments = map[string]string{
	"category": "category", "categories": "category", "cat": "category", "kategorie": "category",
	"kategorien": "category", "categoria": "category", "categorie": "category", "rubrique": "category",
	"tag": "tag",
}

// termsFromClasses names the "<kind>-<slug>" classes WordPress puts on the
// article element.
func (x *extraction) termsFromClasses(kind string) []string {
	var out []string
	for _, n := range []*html.Node{x.root, x.body} {
		for _, c := range strings.Fields(attr(n, "class")) {
			slug, ok := strings.CutPrefix(c, kind+"-")
			if !ok {
				continue
			}
			if name, ok := x.termNames[kind+"/"+slug]; ok {
				out = append(out, name)
			}
		}
	}
	return distinct(out)
}

// summary is the rules' standfirst, else the body's lead paragraph, else
// the page's description.
func (x *extraction) summary(paras []string) string {
	var found, how string
	x.rules.summary.each(x.root, func(n *html.Node, alt string) bool {
		found, how = textOf(n), alt
		return found != ""
	})
	if found != "" {
		x.won("summary", layerRules, how)
		return found
	}
	for _, p := range paras {
		if utf8.RuneCountInString(p) >= 40 {
			x.won("summary", layerHeuristics, "lead paragraph")
			return p
		}
	}
	if s := x.meta.ldString(x.meta.article, "description"); s != "" {
		x.won("summary", layerMetadata, "json-ld description")
		return cleanSpace(s)
	}
	if s, k := x.meta.meta("description", "og:description", "twitter:description", "dc:description"); s != "" {
		x.won("summary", layerMetadata, "meta "+k)
		return cleanSpace(s)
	}
	return ""
}

// decorationWords mark images that are not the article's: logos, icons,
// avatars, spacers.
var decorationWords = []string{"logo", "icon", "avatar", "gravatar", "emoji", "sprite", "spinner",
	"loader", "placeholder", "pixel", "spacer", "blank.gif", "badge", "banner-ad"}

func decorative(n *html.Node, src string) bool {
	hay := strings.ToLower(src + " " + attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "alt"))
	for _, w := range decorationWords {
		if strings.Contains(hay, w) {
			return true
		}
	}
	lower := strings.ToLower(src)
	if strings.HasSuffix(lower, ".svg") || strings.HasPrefix(lower, "data:") {
		return true
	}
	for _, k := range []string{"width", "height"} {
		if v, err := strconv.Atoi(strings.TrimSuffix(attr(n, k), "px")); err == nil && v > 0 && v <= 48 {
			return true
		}
	}
	return false
}

// imageSource is the address an element shows: a lazy-loading attribute
// before a placeholder src, the first srcset candidate, or a theme's
// background-image attribute.
func imageSource(n *html.Node) string {
	if isElement(n, atom.Img) || isElement(n, atom.Source) {
		src := attr(n, "src")
		for _, k := range []string{"data-src", "data-lazy-src", "data-original"} {
			if v := attr(n, k); v != "" && (src == "" || strings.HasPrefix(src, "data:")) {
				src = v
			}
		}
		if src == "" {
			if set := strings.Fields(strings.Split(attr(n, "srcset"), ",")[0]); len(set) > 0 {
				src = set[0]
			}
		}
		return src
	}
	for _, k := range []string{"data-bgimage", "data-bg", "data-background-image"} {
		if v := attr(n, k); v != "" {
			return v
		}
	}
	return ""
}

func (x *extraction) images() []string {
	var out []string
	seen := map[string]bool{}
	add := func(raw string, n *html.Node) {
		u := resolveURL(x.base, raw)
		if u == "" || seen[u] || decorative(n, u) {
			return
		}
		seen[u] = true
		out = append(out, u)
	}
	for _, k := range []string{"og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"} {
		for _, v := range x.meta.metas[k] {
			add(v, nil)
		}
	}
	for _, v := range x.meta.ldStrings(x.meta.article, "image", true) {
		add(v, nil)
	}
	metaImages := len(out)
	nodes := x.rules.images.all(x.root)
	for _, n := range nodes {
		add(imageSource(n), n)
	}
	switch {
	case metaImages > 0:
		x.won("images", layerMetadata, "og:image, twitter:image, json-ld image")
	case len(out) > 0:
		x.won("images", layerRules, x.rules.images.matching(nodes))
	}
	return out
}

// quoteCut returns the title element's text, doc, when a meta tag's title,
// v, is doc cut short at a double quote: the page wrote the quote into the
// attribute unescaped (content="Biden de "incapacitado""), which ended the
// value there. Else "".
func quoteCut(v, doc string) string {
	rest, ok := strings.CutPrefix(doc, v)
	if !ok || !strings.HasPrefix(strings.TrimLeft(rest, " "), `"`) {
		return ""
	}
	return doc
}

// tidyTitle drops the ornament a theme sets before a headline ("[> ",
// "» ", "• "): marks, and a bracket or guillemet that nothing closes later.
// (Soft hyphens stay, as in the body: the text is the page's.)
func tidyTitle(t string) string {
	for {
		trimmed := strings.TrimLeft(t, " >|•·~")
		if rest, ok := strings.CutPrefix(trimmed, "["); ok && !strings.Contains(rest, "]") {
			trimmed = rest
		}
		if rest, ok := strings.CutPrefix(trimmed, "»"); ok && !strings.Contains(rest, "«") {
			trimmed = rest
		}
		if trimmed == t {
			return t
		}
		t = trimmed
	}
}
