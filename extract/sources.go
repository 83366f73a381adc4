package extract

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The fallback order of a field is data: an ordered list of the sources it
// may be read from, tried from the most to the least trusted until one
// gives a value, as readeck keeps its extraction processors in a list. The
// lists below say, for the fields with several values and for the byline,
// which source comes before which; the functions after them only run a
// list, and say which source won.

// source is one place a field's values may be read from.
type source struct {
	layer string // layerRules, layerMetadata or layerHeuristics
	rule  string // what --explain names, when read names nothing finer
	// read gives the values found, none when the source is silent, and
	// the rule that matched when it is finer than rule (the selector
	// alternative that matched).
	read func(x *extraction) (values []string, rule string)
}

// firstSource runs sources in order and gives the values of the first that
// gives any, with where they came from.
func (x *extraction) firstSource(field string, sources []source) ([]string, Origin) {
	return x.firstSourceWhere(field, sources, nil)
}

// firstSourceWhere is firstSource that passes over values that accept, when
// not nil, refuses.
func (x *extraction) firstSourceWhere(field string, sources []source, accept func([]string) bool) ([]string, Origin) {
	for _, s := range sources {
		values, rule := s.read(x)
		if len(values) == 0 || accept != nil && !accept(values) {
			continue
		}
		if rule == "" {
			rule = s.rule
		}
		return values, Origin{Field: field, Layer: s.layer, Rule: rule}
	}
	return nil, Origin{}
}

// readFirst is firstSource for a field read from its list alone: the
// winning source is recorded.
func (x *extraction) readFirst(field string, sources []source) []string {
	values, o := x.firstSource(field, sources)
	if len(values) > 0 {
		x.won(o.Field, o.Layer, o.Rule)
	}
	return values
}

// categorySources: the site's category links, the section the metadata
// states, the breadcrumb trail, an element classed as the category, links
// to and classes of WordPress's category archives, the section the site's
// menu marks as current, then the address's first segment.
var categorySources = []source{
	{layerRules, "", func(x *extraction) ([]string, string) {
		nodes := x.rules.category.all(x.root)
		if c := texts(nodes); len(c) > 0 {
			// A site's own rule gives its categories as it lists them.
			if !x.siteRules["category"] {
				c = genericLast(c)
			}
			return c, x.rules.category.matching(nodes)
		}
		return nil, ""
	}},
	{layerRules, "", (*extraction).categoryAbove},
	{layerMetadata, "json-ld articleSection", func(x *extraction) ([]string, string) {
		return x.notHeadline(sections(x.meta.ldStrings(x.meta.article, "articleSection", false))), ""
	}},
	{layerMetadata, "meta article:section", func(x *extraction) ([]string, string) {
		return x.notHeadline(sections(x.meta.metas["article:section"])), ""
	}},
	{layerMetadata, "microdata articleSection", func(x *extraction) ([]string, string) {
		return x.notHeadline(sections(x.meta.microdata["articleSection"])), ""
	}},
	{layerHeuristics, "", func(x *extraction) ([]string, string) {
		if s, how := x.breadcrumbSection(); s != "" {
			return []string{s}, how
		}
		return nil, ""
	}},
	{layerHeuristics, "element classed as the category", func(x *extraction) ([]string, string) {
		return x.classedCategory(), ""
	}},
	{layerHeuristics, "section link by the headline", func(x *extraction) ([]string, string) {
		return x.kickerLink(), ""
	}},
	{layerHeuristics, "links to /category/ archives", func(x *extraction) ([]string, string) {
		return x.termLinks("category"), ""
	}},
	{layerHeuristics, "wordpress category-* class", func(x *extraction) ([]string, string) {
		return x.termsFromClasses("category"), ""
	}},
	{layerHeuristics, "the menu's current section", func(x *extraction) ([]string, string) {
		if x.navCurrent == "" {
			return nil, ""
		}
		return []string{x.navCurrent}, ""
	}},
	{layerHeuristics, "the address's first segment", func(x *extraction) ([]string, string) {
		if s := x.urlSection(); s != "" {
			return []string{s}, ""
		}
		return nil, ""
	}},
}

// tagSources: the site's tag links, the keywords the metadata states, then
// links to and classes of WordPress's tag archives.
var tagSources = []source{
	{layerRules, "", func(x *extraction) ([]string, string) {
		var nodes []*html.Node
		for _, n := range x.rules.tags.all(x.root) {
			// Block themes mark category links rel="tag" too.
			if termOf(attr(n, "href")) != "category" {
				nodes = append(nodes, n)
			}
		}
		if t := texts(nodes); len(t) > 0 {
			return t, x.rules.tags.matching(nodes)
		}
		return nil, ""
	}},
	{layerMetadata, "meta article:tag", func(x *extraction) ([]string, string) {
		return distinct(x.meta.metas["article:tag"]), ""
	}},
	{layerMetadata, "json-ld keywords", func(x *extraction) ([]string, string) {
		return keywords(x.meta.ldStrings(x.meta.article, "keywords", false)), ""
	}},
	{layerMetadata, "meta dc:subject", func(x *extraction) ([]string, string) {
		return distinct(x.meta.metas["dc:subject"]), ""
	}},
	{layerMetadata, "microdata keywords", func(x *extraction) ([]string, string) {
		return keywords(x.meta.microdata["keywords"]), ""
	}},
	{layerHeuristics, "links to /tag/ archives", func(x *extraction) ([]string, string) {
		return x.termLinks("tag"), ""
	}},
	{layerHeuristics, "wordpress tag-* class", func(x *extraction) ([]string, string) {
		return x.termsFromClasses("tag"), ""
	}},
}

// notHeadline is sections without the page's headline, which some
// themes print as the article's section.
func (x *extraction) notHeadline(sections []string) []string {
	var out []string
	for _, s := range sections {
		if x.headline == "" || titleKey(s) != titleKey(x.headline) {
			out = append(out, s)
		}
	}
	return out
}

// keywords reads a keywords list: several values, or one string of them
// separated by commas.
func keywords(values []string) []string {
	if len(values) == 1 {
		values = strings.Split(values[0], ",")
	}
	return distinct(values)
}

// metaAuthorSources are the authors the page's metadata names: JSON-LD,
// then the Dublin Core, author and parsely meta tags, then microdata, then
// Yoast's reading aids (twitter:label1 "Written by", twitter:data1 the
// name).
var metaAuthorSources = []source{
	metaNames(layerMetadata, "json-ld author", func(x *extraction) []string {
		return x.meta.ldStrings(x.meta.article, "author", false)
	}),
	metaTagNames("dc:creator"),
	metaTagNames("author"),
	metaTagNames("article:author"),
	metaTagNames("parsely-author"),
	metaTagNames("sailthru.author"),
	metaNames(layerMetadata, "microdata author", func(x *extraction) []string {
		return x.meta.microdata["author"]
	}),
	{layerMetadata, "", func(x *extraction) ([]string, string) {
		for i := 1; i <= 4; i++ {
			n := strconv.Itoa(i)
			for j, label := range x.meta.metas["twitter:label"+n] {
				data := x.meta.metas["twitter:data"+n]
				if j < len(data) && (bylineLabels.is(label) || bylineLead.MatchString(label)) {
					if names := x.metaAuthorNames(data[j : j+1]); len(names) > 0 {
						return names, "meta twitter:data" + n
					}
				}
			}
		}
		return nil, ""
	}},
}

// metaNames is a source of the names in values that metadata states.
func metaNames(layer, rule string, values func(x *extraction) []string) source {
	return source{layer, rule, func(x *extraction) ([]string, string) {
		return x.metaAuthorNames(values(x)), ""
	}}
}

// metaTagNames is a source of the names in the meta tags called key.
func metaTagNames(key string) source {
	return metaNames(layerMetadata, "meta "+key, func(x *extraction) []string { return x.meta.metas[key] })
}

// metaAuthorNames reads the names in metadata values, skipping the
// addresses of author pages.
func (x *extraction) metaAuthorNames(values []string) []string {
	var names []string
	for _, v := range values {
		if v == "" || strings.Contains(v, "://") || strings.HasPrefix(v, "/") {
			continue
		}
		names = append(names, x.bylineNames(v)...)
	}
	return distinct(names)
}

// labelledBylineRule names the source of a byline element classed as one
// whose text also opens with a byline label.
const labelledBylineRule = "element classed byline or author, labelled"

// visibleAuthorSources are the bylines printed on the page: the default
// rules' byline elements (a rule the site set is read before metadata, in
// author), an element classed as a byline, a "Written by" or "Par" line,
// an element classed as a byline outside the article element (which may be
// a teaser or a fragment, with the byline above it in the page's header),
// a "By Name" line above the article element,
// then the author box some themes show instead of a byline.
var visibleAuthorSources = []source{
	{layerRules, "", func(x *extraction) ([]string, string) {
		if x.siteRules["author"] {
			return nil, ""
		}
		return x.ruleAuthor()
	}},
	{layerHeuristics, "element classed byline or author", func(x *extraction) ([]string, string) {
		names, labelled := x.classedBylineLabelled(x.root)
		if labelled {
			return names, labelledBylineRule
		}
		return names, ""
	}},
	{layerHeuristics, "byline text", func(x *extraction) ([]string, string) {
		return x.visibleByline(x.root, nil), ""
	}},
	{layerHeuristics, "byline opening the body", func(x *extraction) ([]string, string) {
		return x.bodyByline(), ""
	}},
	{layerHeuristics, "element classed byline or author, outside the article element", func(x *extraction) ([]string, string) {
		if x.root == x.body {
			return nil, ""
		}
		return x.classedByline(x.body), ""
	}},
	{layerHeuristics, "byline text above the article element", func(x *extraction) ([]string, string) {
		if x.root == x.body {
			return nil, ""
		}
		return x.visibleByline(x.body, x.root), ""
	}},
	{layerHeuristics, "byline inside <noscript>", func(x *extraction) ([]string, string) {
		return x.noscriptNames, ""
	}},
	{layerHeuristics, "", func(x *extraction) ([]string, string) {
		if x.boxAuthor == "" {
			return nil, ""
		}
		return x.bylineNames(x.boxAuthor), x.boxAuthorHow
	}},
	{layerHeuristics, "the writer in the piece's credits", func(x *extraction) ([]string, string) {
		return x.creditNames, ""
	}},
}

func (x *extraction) categories() []string { return x.readFirst("category", categorySources) }

func (x *extraction) tags() []string { return x.readFirst("tags", tagSources) }

// ruleAuthor is the names in the elements the author rule matches outside
// the body, from the first alternative that matches.
func (x *extraction) ruleAuthor() ([]string, string) {
	var names []string
	var how string
	x.rules.author.each(x.root, func(n *html.Node, alt string) bool {
		if how != "" && alt != how {
			return true // only the first alternative that matched
		}
		if x.bodyNode != nil && contains(x.bodyNode, n) {
			return false
		}
		// The default rules match on any site: an author link in a list
		// of other posts names their authors.
		if !x.siteRules["author"] && (x.inTeaserList(n) || x.inImageCredit(n)) {
			return false
		}
		if s := x.bylineNames(textOf(n)); len(s) > 0 {
			names = append(names, s...)
			how = alt
		}
		return len(names) >= maxAuthors
	})
	return distinct(names), how
}

// imageCreditClass marks the block that credits a picture: its caption,
// its licence, its copyright.
var imageCreditClass = mustQuick(`(?i)caption|copyright|licen[cs]e|attribution|bildquelle|(?:photo|image|img|picture|bild|foto)[-_]?credit`)

// inImageCredit reports an element inside the block that credits a
// picture (a figure, an element classed as its caption or licence): the
// "author" it names is the picture's ("<div class=license-info><span
// class=author-name>Jo Kern</span></div>").
func (x *extraction) inImageCredit(n *html.Node) bool {
	for p := n.Parent; p != nil && p != x.root && p != x.body; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if p.DataAtom == atom.Figure || p.DataAtom == atom.Figcaption || isImageCredit(p) {
			return true
		}
	}
	return false
}

// isImageCredit reports an element classed as a picture's caption or
// credit; one holding a heading is the article's header, whatever its
// class says.
func isImageCredit(n *html.Node) bool {
	return imageCreditClass.MatchString(attr(n, "class")) && !holdsHeading(n)
}

// author is the byline, several authors joined by ", ": a rule the site
// set, then metadata (metaAuthorSources), then what the page prints
// (visibleAuthorSources). Metadata that names only the site, an
// organisation or a login ("admin", "jane.doe") gives way to a person the
// page names, and a first name to the full name the page prints.
func (x *extraction) author() string {
	if x.siteRules["author"] {
		if names, how := x.ruleAuthor(); len(names) > 0 {
			x.won("author", layerRules, how)
			return strings.Join(names, ", ")
		}
	}
	meta, metaFrom := x.firstSource("author", metaAuthorSources)
	weak := len(meta) > 0 && (x.impersonal(meta) || (metaFrom.Rule == "json-ld author" && x.ldOrganisationAuthor()) || anyPhrase(meta) || !allPersonLike(meta))
	names, from := x.firstSource("author", visibleAuthorSources)
	if len(names) > 0 && (x.allSiteNamed(names) || weak && !x.person(names)) {
		// The site's name, or a word the theme classes "author", printed
		// as a byline may sit above the byline that names a person.
		if person, o := x.firstSourceWhere("author", visibleAuthorSources, x.person); len(person) > 0 {
			names, from = person, o
		}
	}
	switch {
	case len(meta) > 0 && !weak:
		if len(names) > 0 && fuller(names, meta) {
			x.won("author", from.Layer, from.Rule+", the full name of the metadata's")
			return strings.Join(names, ", ")
		}
		if len(names) > 0 && strings.HasPrefix(metaFrom.Rule, "meta ") && x.allArchived(names) && !x.anyArchived(meta) {
			// A meta tag is often one name for the whole site; a
			// byline linking to its author's archive is the post's.
			x.won("author", from.Layer, from.Rule+", linked to the author's archive, over "+metaFrom.Rule)
			return strings.Join(names, ", ")
		}
		if len(names) > 0 && strings.HasPrefix(metaFrom.Rule, "meta ") && from.Rule == labelledBylineRule &&
			allPersonLike(names) && fullNames(names) && !sharesName(names, meta) && !x.printed(meta) {
			// A meta tag naming someone the page never prints (the
			// site's owner, a template's default) gives way to the
			// byline the page marks twice, by its class and its label.
			x.won("author", from.Layer, from.Rule+", over "+metaFrom.Rule+", which the page never prints")
			return strings.Join(names, ", ")
		}
		x.won("author", metaFrom.Layer, metaFrom.Rule)
		x.authorYields = metaFrom.Rule
		return strings.Join(meta, ", ")
	case len(names) > 0 && (len(meta) == 0 || x.person(names) || x.allSiteNamed(meta) && allPersonLike(names) && !acronyms(names)):
		x.won("author", from.Layer, from.Rule)
		if logins(names) {
			x.authorYields = from.Rule
		}
		return strings.Join(names, ", ")
	case len(meta) > 0:
		if full := x.loginName(meta); full != "" {
			x.won("author", layerHeuristics, "the name the article prints for the metadata's login")
			return full
		}
		x.won("author", metaFrom.Layer, metaFrom.Rule)
		x.authorYields = metaFrom.Rule
		return strings.Join(meta, ", ")
	}
	return ""
}

// maxTextBylineParas is how many of the body's first paragraphs are
// looked at for a byline of the text's own.
const maxTextBylineParas = 3

// textByline is the byline that opens the article's text, one of its first
// paragraphs and short: "Von Jo Kern", "Ein Interview von Jo Kern mit Eva
// Roth", "Blog-Beitrag von Jo Kern". Its names must all be people's, one
// of them in full.
func (x *extraction) textByline(paras []string) (names []string, line string) {
	for i, p := range paras {
		if i == maxTextBylineParas {
			break
		}
		p = strings.TrimSpace(p)
		if strings.Contains(p, "\n") || utf8.RuneCountInString(p) > 80 {
			continue
		}
		_, labelled := bylineLabels.cut(p)
		if !labelled && !bylineLead.MatchString(p) {
			continue
		}
		if names := x.bylineNames(p); len(names) > 0 && len(names) <= maxAuthors && allPersonLike(names) &&
			!x.impersonal(names) && fullNames(names) {
			return names, p
		}
	}
	return nil, ""
}

// mentions reports whether text names one of names, folding case and
// accents.
func mentions(text string, names []string) bool {
	key := labelKey(text)
	for _, n := range names {
		if k := labelKey(n); k != "" && strings.Contains(key, k) {
			return true
		}
	}
	return false
}

// logins reports names that are all logins rather than names as people
// write theirs: one word in lower case ("admin", "jdoe42").
func logins(names []string) bool {
	for _, n := range names {
		r, _ := utf8.DecodeRuneInString(n)
		if strings.Contains(n, " ") || unicode.IsUpper(r) {
			return false
		}
	}
	return len(names) > 0
}

// printed reports whether the page's text shows one of names.
func (x *extraction) printed(names []string) bool {
	text := labelKey(textOf(x.body))
	for _, n := range names {
		if k := labelKey(n); k != "" && strings.Contains(text, k) {
			return true
		}
	}
	return false
}

// anyPhrase reports names one of which reads as a phrase, an institution's
// name ("Landesanstalt für Wald und Forst"), rather than a person's: three
// words or more, one of them past the first in lower case and no name's
// particle.
func anyPhrase(names []string) bool {
	for _, n := range names {
		words := strings.Fields(n)
		if len(words) < 3 {
			continue
		}
		for _, w := range words[1:] {
			r, _ := utf8.DecodeRuneInString(w)
			if unicode.IsLower(r) && !nameParticles[strings.ToLower(w)] && !nameJoiners[strings.ToLower(w)] {
				return true
			}
		}
	}
	return false
}

// sharesName reports whether two lists of names have one in common,
// folding case and accents.
func sharesName(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if labelKey(x) == labelKey(y) {
				return true
			}
		}
	}
	return false
}

// loginName is the full name the article prints for a byline that is a
// login made of a first and a last name ("christian.stadtfeld" printed
// "Christian P. Stadtfeld"): the two names, capitalised, with at most two
// initials between them. "" when names is no such login or the article
// prints no such name.
func (x *extraction) loginName(names []string) string {
	if len(names) != 1 {
		return ""
	}
	login := names[0]
	if strings.ContainsFunc(login, unicode.IsUpper) {
		return ""
	}
	parts := strings.FieldsFunc(login, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	if len(parts) != 2 {
		return ""
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) < 2 || strings.ContainsFunc(p, func(r rune) bool { return !unicode.IsLetter(r) }) {
			return ""
		}
	}
	re, err := regexp.Compile(`(?i)(?:^|[^\pL])(` + regexp.QuoteMeta(parts[0]) + `(?:\s+\pL\.){0,2}\s+` + regexp.QuoteMeta(parts[1]) + `)(?:[^\pL]|$)`)
	if err != nil {
		return ""
	}
	for _, m := range re.FindAllStringSubmatch(textOf(x.root), -1) {
		words := strings.Fields(m[1])
		capitalised := true
		for _, w := range words {
			r, _ := utf8.DecodeRuneInString(w)
			capitalised = capitalised && unicode.IsUpper(r)
		}
		if capitalised {
			return strings.Join(words, " ")
		}
	}
	return ""
}

// acronyms reports names one of which is written in capitals alone
// ("CSP"): a topic or an organisation, rarely one person's only name.
func acronyms(names []string) bool {
	for _, n := range names {
		if !strings.ContainsFunc(n, unicode.IsLower) {
			return true
		}
	}
	return false
}

// allArchived reports names each of which links to its author's archive.
func (x *extraction) allArchived(names []string) bool {
	for _, n := range names {
		if !x.archivedAuthor(n) {
			return false
		}
	}
	return len(names) > 0
}

// anyArchived reports names one of which links to its author's archive.
func (x *extraction) anyArchived(names []string) bool {
	for _, n := range names {
		if x.archivedAuthor(n) {
			return true
		}
	}
	return false
}

// anySiteNamed reports names one of which is the site's.
func (x *extraction) anySiteNamed(names []string) bool {
	for _, n := range names {
		if x.siteNamed(n) {
			return true
		}
	}
	return false
}

// allSiteNamed reports names that are all the site's.
func (x *extraction) allSiteNamed(names []string) bool {
	for _, n := range names {
		if !x.siteNamed(n) {
			return false
		}
	}
	return len(names) > 0
}

// signedAuthor is the author of last resort, read once the body is: the
// signature ending the body.
func (x *extraction) signedAuthor(paras []string) string {
	if names := x.signature(paras); len(names) > 0 {
		x.won("author", layerHeuristics, "signature ending the body")
		return strings.Join(names, ", ")
	}
	return ""
}

// siteOwner is the person a personal site is named after, for a page that
// names no author: a name in the site's name or the page's title
// ("Marta Lindqvist's Notebook", "Dr. Jonas Brenner") whose letters
// are the host's own (martalindqvist.net, jonas-brenner.org).
func (x *extraction) siteOwner() string {
	if x.pageURL == nil {
		return ""
	}
	labels := strings.Split(strings.TrimPrefix(strings.ToLower(x.pageURL.Hostname()), "www."), ".")
	if len(labels) < 2 {
		return ""
	}
	// The blog's own label on a blog host: alexanderlasch.wordpress.com.
	var owners []string
	for _, l := range labels[:len(labels)-1] {
		if l = strings.ReplaceAll(l, "-", ""); utf8.RuneCountInString(l) >= 6 {
			owners = append(owners, l)
		}
	}
	candidates := append([]string{x.meta.siteName(), x.meta.title}, x.meta.metas["application-name"]...)
	candidates = append(candidates, x.meta.metas["msapplication-tooltip"]...)
	for _, c := range candidates {
		words := strings.FieldsFunc(c, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune("|–—-:·•»«", r)
		})
		for i := range words {
			for n := 2; n <= 3 && i+n <= len(words); n++ {
				name := strings.Join(words[i:i+n], " ")
				name = strings.TrimSuffix(strings.TrimSuffix(name, "'s"), "’s")
				if strings.HasSuffix(name, "s'") || strings.HasSuffix(name, "s’") { // "Tobias Rees' Notebook"
					name = strings.TrimRight(name, "'’")
				}
				if !personLike(name) || brandCased(name) {
					continue
				}
				key := strings.Map(func(r rune) rune {
					if unicode.IsLetter(r) || unicode.IsDigit(r) {
						return unicode.ToLower(r)
					}
					return -1
				}, name)
				for _, o := range owners {
					if key == o {
						return name
					}
				}
			}
		}
	}
	return ""
}

// brandCased reports a name with a word of three letters or more in
// capitals ("EAT SMARTER", "Eishockey NEWS"): a site's name so written is
// a brand's, where one named after a person writes the name as names are.
func brandCased(name string) bool {
	for _, w := range strings.Fields(name) {
		if utf8.RuneCountInString(w) >= 3 && strings.ToUpper(w) == w && strings.ContainsFunc(w, unicode.IsLetter) {
			return true
		}
	}
	return false
}

// creditPattern is a line that credits the story's source: "Quelle: dpa",
// "Source : AFP", "Fuente: EFE".
var creditPattern = mustQuick(`(?i)^(?:quelle|source|fuente|fonte)\s*:\s*(\S.{1,40})$`)

// creditLine is the agency or issuer that a line of the article credits
// as its source ("Quelle: kathpress"), outside figures and other pages'
// teasers; "" when there is none.
func (x *extraction) creditLine() string {
	var found string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				// Only a text that opens with a label is looked at twice.
				if !creditStart(c.Data) {
					continue
				}
				block := c.Parent
				for block != nil && block.Type == html.ElementNode && !blockTags[block.DataAtom] {
					block = block.Parent
				}
				if block == nil || block.Type != html.ElementNode {
					continue
				}
				if name := x.creditIn(block); name != "" {
					found = name
					return true
				}
			case c.Type == html.ElementNode && c.DataAtom != atom.Figure && c.DataAtom != atom.Figcaption && !skippedTags[c.DataAtom]:
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	walk(x.body)
	return found
}

// creditStart reports a text that may open a credit line: its first word
// is one of creditPattern's labels.
func creditStart(s string) bool {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	if len(s) < 6 {
		return false
	}
	switch strings.ToLower(s[:5]) {
	case "quell", "sourc", "fuent", "fonte":
		return true
	}
	return false
}

// creditIn is the name a block's short text credits as the story's
// source, or "".
func (x *extraction) creditIn(block *html.Node) string {
	text, short := shortText(block, 80)
	if !short {
		return ""
	}
	m := creditPattern.FindStringSubmatch(text)
	if m == nil || !contains(x.root, block) && x.inTeaserList(block) {
		return ""
	}
	// As printed: "RADIO NORD/ab" is the desk and the editor.
	name := strings.TrimRight(strings.TrimSpace(m[1]), " .;,")
	if !strings.ContainsFunc(name, unicode.IsLetter) || strings.Contains(name, "://") || strings.Contains(name, "@") ||
		len(strings.Fields(name)) > 4 {
		return ""
	}
	return name
}

// creditedSource is the source the story credits, for a story no byline
// signs: its source line ("Quelle: dpa"), else a wire dateline's agency,
// else the agency's credit ending it; and how it was found.
func (x *extraction) creditedSource() (string, string) {
	if x.credit != "" {
		return x.credit, "the source line of the article"
	}
	if s := x.wireDateline(); s != "" {
		return s, "the agency of the wire dateline opening the article"
	}
	if s := x.trailingCredit(); s != "" {
		return s, "the agency's credit ending the article"
	}
	return "", ""
}

// trailingAgency is the agency credit in brackets that ends a story's
// paragraph: "…, hieß es. (KZ mit AFP)", "(dpa/tmn)", "(AFP)".
var trailingAgency = mustQuick(`\(([\pL][\pL ./-]{1,28})\)$`)

// trailingCredit is the agency credit ending one of the last paragraphs
// of the article element (a note or a photo credit may follow it), when
// it names an agency.
func (x *extraction) trailingCredit() string {
	var paras []*html.Node
	walkElements(x.root, func(n *html.Node) bool {
		if n.DataAtom == atom.P {
			paras = append(paras, n)
		}
		return false
	})
	seen := 0
	for i := len(paras) - 1; i >= 0 && seen < 3; i-- {
		text := cleanSpace(textOf(paras[i]))
		if text == "" || x.inTeaserList(paras[i]) {
			continue
		}
		seen++
		m := trailingAgency.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(m[1]), func(r rune) bool { return r == ' ' || r == '/' }) {
			if agencies[w] {
				return m[1]
			}
		}
	}
	return ""
}

// wireDateline matches the dateline that opens a wire story: the place,
// the agency's code in brackets, a dash: "Bremen (dpa/lni) – Trotz…".
var wireDateline = mustQuick(`^\p{Lu}[\pL .'-]{1,30}\s+\(([\pL]{2,10}(?:[/-][\pL]{1,10})?)\)\s*[–—-]\s`)

// wireDateline is the agency code of the wire dateline that opens one of
// the article's first paragraphs, when the code is an agency's.
func (x *extraction) wireDateline() string {
	var found string
	paras := 0
	walkElements(x.root, func(n *html.Node) bool {
		if n.DataAtom != atom.P || paras >= 3 {
			return paras >= 3
		}
		text := cleanSpace(textOf(n))
		if len(text) > 200 {
			text = text[:200]
		}
		if text == "" {
			return false
		}
		paras++
		if m := wireDateline.FindStringSubmatch(text); m != nil {
			code := strings.ToLower(m[1])
			if i := strings.IndexAny(code, "/-"); i > 0 {
				code = code[:i]
			}
			if agencies[code] {
				found = m[1]
			}
		}
		return found != ""
	})
	return found
}
