package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// authorLinkTexts are the texts of links to an author's archive that name
// the author inside a sentence: "View all of Claire Martin's posts.",
// "View all posts by X", "Voir tous les articles de X", "Alle Beiträge von
// X", "Ver todas las entradas de X". The name is the first group.
var authorLinkTexts = []*quickRegexp{
	mustQuick(`(?i)^(?:(?:view|see|show|browse|read)\s+)?(?:all|more)\s+(?:of\s+)?(.+?)['’]s?\s+(?:posts|articles|stories|entries)$`),
	mustQuick(`(?i)^(?:(?:view|see|show|browse|read)\s+)?(?:(?:all|more)\s+)?(?:(?:the|of)\s+)*(?:posts|articles|stories|entries)\s+(?:by|from|of)\s*(.+)$`),
	mustQuick(`(?i)^(?:(?:voir|afficher|lire)\s+)?(?:tous\s+les\s+|les\s+|plus\s+d['’]\s*)?(?:articles|publications|billets|contenus)\s+(?:de|par|d['’])\s*(.+)$`),
	mustQuick(`(?i)^(?:(?:zeige|weitere)\s+)?(?:alle\s+)?(?:beiträge|artikel)\s+von\s+(.+)$`),
	mustQuick(`(?i)^(?:ver\s+)?(?:todas\s+las\s+|todos\s+los\s+)?(?:entradas|publicaciones|artículos)\s+de\s+(.+)$`),
}

// authorLinkName is the name in such a link text, or s itself when it is
// no such sentence.
func authorLinkName(s string) string {
	t := strings.TrimRight(cleanSpace(s), " .…»→›")
	for _, rx := range authorLinkTexts {
		if m := rx.FindStringSubmatch(t); m != nil {
			if name := strings.TrimSpace(m[1]); name != "" {
				return name
			}
		}
	}
	return s
}

// aboutLabels open an author box's heading: "About Claire Martin".
var aboutLabels = labelSet("About", "About the author", "À propos de", "À propos de l'auteur",
	"Über", "Sobre", "Acerca de")

// authorBoxClass matches the class or id of an author box ("author-bio",
// "author-box", "about-author", "author-info", "author-card") and
// authorHeadClass that of the element naming the author in it
// ("author-title", "author-name").
var (
	authorBoxClass  = mustQuick(`(?i)author[-_]?(?:bio|box|info|card|profile|details|description)|about[-_](?:the[-_])?author`)
	authorHeadClass = mustQuick(`(?i)author[-_]?(?:title|name|heading)`)
)

// authorBox reads the author's name from the author box that themes put
// under a post, often in place of a byline (Twenty Twenty-One shows one when
// the author has a biographical note: "By Claire Martin", then "View all of
// Claire Martin's posts"): a heading of the box or an element classed as
// its title, else a rel=author link. It must run before the drop rules
// remove the box with the rest of the boilerplate; comments and the body
// are not read.
func (x *extraction) authorBox() (string, string) {
	var name, how string
	var inBox func(n *html.Node) bool
	inBox = func(n *html.Node) bool {
		for p := n; p != nil && p != x.root.Parent; p = p.Parent {
			if p.Type == html.ElementNode && authorBoxClass.MatchString(attr(p, "class")+" "+attr(p, "id")) {
				return true
			}
		}
		return false
	}
	var link *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c == x.bodyNode || skippedTags[c.DataAtom] || isCommentBlock(c) {
				continue
			}
			head := authorHeadClass.MatchString(attr(c, "class")) || (isHeading(c) && c.DataAtom != atom.H1)
			if head && inBox(c) {
				if s := boxName(textOf(c)); s != "" {
					name, how = s, "heading of the author box"
					return true
				}
			}
			if link == nil && isElement(c, atom.A) && hasToken(attr(c, "rel"), "author") {
				link = c
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	if walk(x.root) {
		return name, how
	}
	if link != nil {
		if s := boxName(authorLinkName(textOf(link))); s != "" {
			return s, "rel=author link of the author box"
		}
	}
	return "", ""
}

// boxName is the name an author box's heading or link gives, without "By",
// "Par" or "About", or "" when the text does not read as a name.
func boxName(text string) string {
	s := cleanByline(text)
	if rest, ok := aboutLabels.cut(s); ok {
		s = rest
	}
	s = strings.TrimRight(s, " ,;:|·-–—")
	if s == "" || utf8.RuneCountInString(s) > 60 || len(strings.Fields(s)) > 5 ||
		!strings.ContainsFunc(s, unicode.IsLetter) || !readsAsName(s) {
		return ""
	}
	return s
}

// authorArchiveSegments are the path segments under which sites keep an
// author's archive: /author/jo-baker/, /autor/jo-baker, /autoren/….
var authorArchiveSegments = map[string]bool{
	"author": true, "authors": true, "autor": true, "autoren": true, "autorin": true, "auteur": true,
	"auteurs": true, "autore": true, "autori": true, "redakteur": true,
}

// archivedAuthor reports whether name is the text of a link, in the
// article or the page around it, to that author's archive on the site:
// <a href="/author/fabian/">Fabian</a>. Such a link is written for each
// post, where a site's meta author tag is often one value for every page.
func (x *extraction) archivedAuthor(name string) bool {
	want := slugOf(name)
	if want == "" {
		return false
	}
	return walkElements(x.body, func(n *html.Node) bool {
		if n.DataAtom != atom.A || slugOf(textOf(n)) != want {
			return false
		}
		u, err := url.Parse(resolveURL(x.base, attr(n, "href")))
		if err != nil || x.pageURL == nil || !sameHost(u.Hostname(), x.pageURL.Hostname()) {
			return false
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		for i := 0; i+1 < len(parts); i++ {
			if authorArchiveSegments[strings.ToLower(parts[i])] && slugOf(parts[i+1]) == want {
				return !x.teaser(n)
			}
		}
		return false
	})
}

// slugOf is s as a permalink writes it: lower case, letters and digits
// alone, accents kept ("Jörg Staff" → "jörgstaff").
func slugOf(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// sameHost reports two host names of one site, with or without "www.".
func sameHost(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	return strings.TrimPrefix(a, "www.") == strings.TrimPrefix(b, "www.")
}

// creditLabels name, in a list of a piece's credits, the one who wrote it:
// "Text", "Interview" (beside "Fotos", "Styling"…).
var creditLabels = labelSet("Text", "Texte", "Interview", "Autor", "Autorin", "Author", "Words", "Auteur", "Autore")

// creditsClass marks a list of a piece's credits: "credits",
// "single-credits", "credits-credit".
var creditsClass = mustQuick(`(?i)(?:^|[\s_-])credits(?:$|[\s_-])`)

// creditsByline is the writer a magazine's list of credits names, a label
// in one element and the name in the next ("<div>Interview</div><div>Jo
// Kern</div>"), read before the drop rules remove the list.
func (x *extraction) creditsByline() []string {
	var found []string
	walkElements(x.body, func(n *html.Node) bool {
		if skippedTags[n.DataAtom] || !creditsClass.MatchString(attr(n, "class")+" "+attr(n, "id")) {
			return false
		}
		walkElements(n, func(c *html.Node) bool {
			text, short := shortText(c, 40)
			if !short || !creditLabels.is(text) {
				return false
			}
			next := nextLabelled(c)
			if next == nil {
				return false
			}
			if after, short := shortText(next, 200); short {
				if names := x.bylineNames(after); len(names) > 0 && len(names) <= maxAuthors &&
					allPersonLike(names) && !x.impersonal(names) && fullNames(names) {
					found = names
				}
			}
			return true // the first writer's label decides
		})
		return found != nil
	})
	return found
}
