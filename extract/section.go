package extract

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A page says which section it belongs to in more ways than its metadata
// and its breadcrumb trail: a link classed as the category above the
// headline, the site's menu marking the current section, and the first
// segment of its address (/politik/…). These are the category's sources of
// last resort.

// categoryClass matches one class token of an element holding the
// article's category: "cat-links", "f--category", "post-categories",
// "Rubric", "primary-tag". WordPress's "category-<slug>" classes on the
// article element do not match: a token ends at the word or a suffix
// naming a link or label.
var categoryClass = mustQuick(`(?i)^(?:.*[-_])?(?:categor(?:y|ies)|cat[es]?|rubri[ck]s?|ressort|primary[-_]tag|main[-_]topic)(?:[-_]+(?:name|links?|label|title|tag|items?))?$`)

// classedCategory is the text of the links (or, with none, the short text)
// of the first element of the article, outside its body, whose class names
// a category.
func (x *extraction) classedCategory() []string {
	var found []string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c == x.bodyNode || skippedTags[c.DataAtom] || c.DataAtom == atom.Nav {
				continue
			}
			if classedAsCategory(c) {
				if names := x.categoryNames(c); len(names) > 0 {
					found = names
					return true
				}
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(x.root)
	return found
}

// categoryWord matches "category" as one word of a longer class token:
// "article-category-rootline".
var categoryWord = mustQuick(`(?i)[-_]categor(?:y|ies)(?:[-_]|$)`)

func classedAsCategory(n *html.Node) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if categoryClass.MatchString(c) || categoryWord.MatchString(c) {
			return true
		}
	}
	return false
}

// categoryLabels head a list of categories: "Categories: A, B".
var categoryLabels = labelSet("Categories", "Category", "Kategorien", "Kategorie", "Catégories", "Catégorie",
	"Categorías", "Categoría", "Categorie", "Categoria", "Rubrik", "Rubriken", "Rubrique", "Ressort")

// categoryNames is the names an element classed as the category gives:
// the texts of its links to the section's pages. An element that links
// nowhere is more often a box's heading ("Rubrik: Kommentare") or a date
// line than a category.
func (x *extraction) categoryNames(n *html.Node) []string {
	var links []string
	walkElements(n, func(a *html.Node) bool {
		if isElement(a, atom.A) && !x.isHomeCrumb(textOf(a), attr(a, "href")) {
			links = append(links, textOf(a))
		}
		return false
	})
	if len(links) == 0 {
		// "Kategorien: Allgemein", the names unlinked after a label.
		if text, short := shortText(n, 200); short {
			if rest, ok := categoryLabels.cut(text); ok {
				links = strings.Split(rest, ",")
			}
		}
	}
	var out []string
	for _, l := range distinct(links) {
		if l = strings.Trim(l, " ,;:|/·•"); l == "" || len(strings.Fields(l)) > 5 || genericSections.is(l) ||
			categoryLabels.is(l) || strings.ContainsAny(l, "0123456789") {
			continue
		}
		out = append(out, l)
	}
	if len(out) > 5 {
		return nil // a list of every section, not the page's
	}
	return out
}

// kickerLink is the section link printed as a kicker just above or below
// the headline: a short line holding a link to a section of the site
// ("/fr/entretiens", "/politik/") that the link's text names.
func (x *extraction) kickerLink() []string {
	h := findElement(x.root, atom.H1)
	if h == nil {
		return nil
	}

	for _, sib := range []*html.Node{adjacentElement(h, true), adjacentElement(h, false)} {
		if sib == nil || sib == x.bodyNode || contains(sib, x.bodyNode) {
			continue
		}
		// Raw text counts the markup's indentation: the limit is loose,
		// the word count is not.
		text, short := shortText(sib, 600)
		if !short || text == "" || len(strings.Fields(text)) > 12 {
			continue
		}
		var links []*html.Node
		walkElements(sib, func(a *html.Node) bool {
			if isElement(a, atom.A) {
				links = append(links, a)
			}
			return false
		})
		if isElement(sib, atom.A) {
			links = append(links, sib)
		}
		if len(links) > 3 {
			continue
		}
		for _, a := range links {
			// The link names the section its address does: "Entretiens"
			// for /fr/entretiens, not "Subscribe" for /newsletters.
			name := textOf(a)
			if seg := x.sectionPath(attr(a, "href")); seg != "" && squeezeKey(name) == squeezeKey(seg) &&
				!genericSections.is(name) {
				return []string{name}
			}
		}
	}
	return nil
}

// sectionPath is the one segment, after a language, of the path of an
// address on the page's site (a section's front page), or "".
func (x *extraction) sectionPath(href string) string {
	u, err := url.Parse(resolveURL(x.base, href))
	if err != nil || x.pageURL == nil || u.Host != x.pageURL.Host {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) == 2 && len(parts[0]) == 2 {
		parts = parts[1:]
	}
	if len(parts) != 1 || parts[0] == "" || structuralSegments[strings.ToLower(parts[0])] ||
		strings.ContainsAny(parts[0], ".?=0123456789") {
		return ""
	}
	return parts[0]
}

// adjacentElement is the element beside n (before it when back), or nil
// when text stands between them.
func adjacentElement(n *html.Node, back bool) *html.Node {
	step := func(s *html.Node) *html.Node {
		if back {
			return s.PrevSibling
		}
		return s.NextSibling
	}
	for s := step(n); s != nil; s = step(s) {
		if s.Type == html.ElementNode {
			return s
		}
		if s.Type == html.TextNode && strings.TrimSpace(s.Data) != "" {
			return nil
		}
	}
	return nil
}

// currentClass matches the class with which a menu marks the item of the
// page's section: "active", "current-menu-parent", "selected".
var currentClass = mustQuick(`(?i)(?:^|[\s_-])(?:active|selected|current|clicked)(?:$|[\s_-])|current[-_](?:menu|post|page|cat)`)

// navClass matches the class or id of a menu.
var navClass = mustQuick(`(?i)nav|menu`)

// navSection is the section the site's first menu marks as the current
// one, the deepest marked item when the menu nests, and how it was found.
// It must run before the drop rules remove the <nav>.
func (x *extraction) navSection() string {
	var found string
	var menu *html.Node
	var walk func(n *html.Node, inNav bool)
	walk = func(n *html.Node, inNav bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skippedTags[c.DataAtom] {
				continue
			}
			nav := inNav || c.DataAtom == atom.Nav || navClass.MatchString(attr(c, "class")+" "+attr(c, "id"))
			if menu != nil && !contains(menu, c) && !contains(c, menu) {
				return // only the first menu that marks an item
			}
			if nav && isElement(c, atom.A) && (currentClass.MatchString(attr(c, "class")) ||
				c.Parent != nil && isElement(c.Parent, atom.Li) && currentClass.MatchString(attr(c.Parent, "class"))) {
				name, href := textOf(c), attr(c, "href")
				if name != "" && len(strings.Fields(name)) <= 4 && !x.isHomeCrumb(name, href) && !x.isThisPage(href) &&
					!genericSections.is(name) {
					found = name
					if menu == nil {
						menu = menuOf(c)
					}
				}
			}
			walk(c, nav)
		}
	}
	walk(x.body, false)
	return found
}

// menuOf is the outermost list holding a menu item.
func menuOf(n *html.Node) *html.Node {
	var out *html.Node
	for p := n.Parent; p != nil; p = p.Parent {
		if isElement(p, atom.Ul) || isElement(p, atom.Ol) || isElement(p, atom.Nav) {
			out = p
		}
	}
	if out == nil {
		return n
	}
	return out
}

// structuralSegments are first path segments that say how a site stores
// its pages, not what they are about.
var structuralSegments = map[string]bool{
	"a": true, "art": true, "p": true, "s": true, "c": true, "n": true, "amp": true, "m": true, "www": true, "web": true,
	"article": true, "articles": true, "artikel": true, "content": true, "contents": true, "node": true,
	"post": true, "posts": true, "story": true, "stories": true, "page": true, "pages": true, "entry": true,
	"entries": true, "item": true, "items": true, "detail": true, "details": true, "view": true,
	"wiki": true, "moin": true, "index": true, "modules": true, "service": true, "services": true,
	"forum": true, "forums": true, "thread": true, "threads": true, "discussion": true, "tag": true,
	"tags": true, "category": true, "categories": true, "author": true, "authors": true, "user": true,
	"users": true, "search": true, "print": true, "share": true, "media": true, "static": true,
	"assets": true, "files": true, "uploads": true, "wp-content": true, "cgi-bin": true, "go": true,
	"redirect": true, "start": true, "home": true, "archive": true, "archives": true, "archiv": true,
	"blog": true, "blogs": true, "news_lang": true, "beitrag": true, "beitraege": true, "meldung": true,
	"meldungen": true, "nachricht": true, "aktuelles": true, "aktuell": true, "doc": true, "docs": true,
	"html": true, "show": true, "read": true, "info": true, "id": true, "de": true, "en": true,
}

// urlSection is the section the page's address names in its first
// segment ("/politik/2020/…", "/de/daily/…"), as the site's own link to
// that section names it when the page holds one, else as written.
func (x *extraction) urlSection() string {
	if x.pageURL == nil {
		return ""
	}
	parts := strings.Split(strings.Trim(x.pageURL.Path, "/"), "/")
	if len(parts) > 1 && len(parts[0]) == 2 && !strings.Contains(parts[0], ".") { // a language: /de/…
		parts = parts[1:]
	}
	if len(parts) < 2 { // the segment must hold the page, not be it
		return ""
	}
	seg := parts[0]
	lower := strings.ToLower(seg)
	if len(seg) < 4 || len(seg) > 30 || structuralSegments[lower] || strings.Count(seg, "-") > 2 ||
		strings.ContainsFunc(seg, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		return ""
	}
	// The site's link to the section names it, when its text is the
	// segment's words ("Innenpolitik" for /innenpolitik/) rather than a
	// call to action ("Sign up" for /newsletters/).
	if name, ok := x.sectionNames[lower]; ok && squeezeKey(name) == squeezeKey(seg) {
		return name
	}
	name := strings.ReplaceAll(seg, "-", " ")
	if genericSections.is(name) {
		return ""
	}
	return name
}

// collectSectionNames maps the first segment of the site's links to one
// segment ("/politik/") to the text they display, so that the section an
// address names is read as the site names it.
func (x *extraction) collectSectionNames() map[string]string {
	names := map[string]string{}
	walkElements(x.body, func(n *html.Node) bool {
		if !isElement(n, atom.A) {
			return false
		}
		u, err := url.Parse(attr(n, "href"))
		if err != nil || (u.Host != "" && x.pageURL != nil && u.Host != x.pageURL.Host) {
			return false
		}
		seg := strings.ToLower(strings.Trim(u.Path, "/"))
		if seg == "" || strings.Contains(seg, "/") {
			return false
		}
		if _, seen := names[seg]; !seen {
			if s := textOf(n); s != "" && len(strings.Fields(s)) <= 4 && !genericSections.is(s) && !homeLabels.is(s) {
				names[seg] = s
			}
		}
		return false
	})
	return names
}

// squeezeKey is s folded as labels are, without what is not a letter or a
// digit: "Soziales & Gesundheit" and "soziales-gesundheit" agree.
func squeezeKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, labelKey(s))
}

// categoryAbove is the text of the category links the rules find above
// the article element, in the header that holds the headline when the
// element found holds only the text.
func (x *extraction) categoryAbove() ([]string, string) {
	if x.root == x.body {
		return nil, ""
	}
	var nodes []*html.Node
	walkElements(x.body, func(n *html.Node) bool {
		if n == x.root {
			return true
		}
		if x.rules.category.matches(n) {
			nodes = append(nodes, n)
		}
		return false
	})
	if c := texts(nodes); len(c) > 0 {
		return c, x.rules.category.matching(nodes) + ", above the article element"
	}
	return nil, ""
}
