package extract

import (
	"net/url"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// homeLabels name a site's home page at the head of a breadcrumb trail.
var homeLabels = labelSet("Home", "Homepage", "Startseite", "Start", "Accueil", "Inicio", "Portada",
	"Início", "Home page", "Index")

// genericSections are sections that say where a story was placed on the
// site, not what it is about: "à la une", "Aktuell", "Featured".
var genericSections = labelSet("à la une", "a la une", "une", "aktuell", "aktuelles", "posts", "post",
	"articles", "artikel", "highlight", "highlights", "featured", "top", "topnews", "top news",
	"top stories", "uncategorized", "unkategorisiert", "non classé", "sin categoría", "blog", "stories", "storie",
	"geschichten", "histoires", "historias", "alle artikel", "alle beiträge", "all articles", "all posts",
	"all stories", "tous les articles", "todos los artículos")

// breadcrumbClass matches the class, id or aria-label of a breadcrumb
// trail.
var breadcrumbClass = mustQuick(`(?i)bread[-_]?crumb|crumbs`)

// crumbSeparators split a breadcrumb trail written as text.
var crumbSeparators = mustQuick(`\s*[>›»/|→]\s*`)

// trail is a breadcrumb trail: each crumb's name and address.
type trail struct {
	names, urls []string
	how         string
}

// breadcrumbs reads the page's breadcrumb trails: from JSON-LD
// (BreadcrumbList), then the visible one. It must run before the drop
// rules remove the <nav> holding the visible trail.
func (x *extraction) breadcrumbs() []trail {
	var out []trail
	for _, obj := range x.meta.jsonLD {
		if !hasType(obj, map[string]bool{"BreadcrumbList": true}) {
			continue
		}
		items, _ := obj["itemListElement"].([]any)
		type crumb struct {
			pos       float64
			name, url string
		}
		var crumbs []crumb
		for i, it := range items {
			m, ok := x.meta.resolve(it).(map[string]any)
			if !ok {
				continue
			}
			c := crumb{pos: float64(i)}
			if p, ok := m["position"].(float64); ok {
				c.pos = p
			}
			c.name = x.meta.ldString(m, "name")
			switch item := x.meta.resolve(m["item"]).(type) {
			case string:
				c.url = item
			case map[string]any:
				if c.name == "" {
					c.name = x.meta.ldString(item, "name")
				}
				c.url = x.meta.ldString(item, "@id")
				if u := x.meta.ldString(item, "url"); u != "" {
					c.url = u
				}
			}
			crumbs = append(crumbs, c)
		}
		sort.SliceStable(crumbs, func(i, j int) bool { return crumbs[i].pos < crumbs[j].pos })
		names := make([]string, len(crumbs))
		urls := make([]string, len(crumbs))
		for i, c := range crumbs {
			names[i], urls[i] = c.name, c.url
		}
		out = append(out, trail{names, urls, "json-ld BreadcrumbList"})
	}
	var crumbs *html.Node
	walkElements(x.body, func(n *html.Node) bool {
		if breadcrumbClass.MatchString(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "aria-label")) {
			crumbs = n
			return true
		}
		return false
	})
	if crumbs == nil {
		return out
	}
	var names, urls []string
	walkElements(crumbs, func(n *html.Node) bool {
		if isElement(n, atom.A) {
			names = append(names, textOf(n))
			urls = append(urls, attr(n, "href"))
		}
		return false
	})
	if len(names) == 0 {
		// A trail of script-driven spans, no links: its text, split at
		// the separators, the last piece the page itself.
		pieces := crumbSeparators.Split(textOf(crumbs), -1)
		for _, p := range pieces[:max(len(pieces)-1, 0)] {
			names = append(names, strings.TrimSpace(p))
			urls = append(urls, "")
		}
	}
	// The page itself, often unlinked, ends the trail.
	names = append(names, "")
	urls = append(urls, x.page.URL)
	return append(out, trail{names, urls, "breadcrumb trail"})
}

// breadcrumbSection is the section the page's breadcrumb trail puts it in,
// and how it was read; "" when the trail holds only the home page and the
// page.
func (x *extraction) breadcrumbSection() (string, string) {
	for _, t := range x.crumbs {
		if s := x.section(t.names, t.urls); s != "" {
			return s, t.how
		}
	}
	return "", ""
}

// section is the last crumb of a trail above the page itself, past the
// home page and the page's own entry (its address, or its title when the
// crumb links nowhere).
func (x *extraction) section(names, urls []string) string {
	for i := len(names) - 1; i >= 0; i-- {
		name := cleanSpace(names[i])
		if name == "" || x.isThisPage(urls[i]) || (i == len(names)-1 && urls[i] == "") || x.isHomeCrumb(name, urls[i]) ||
			(x.headline != "" && titleKey(name) == titleKey(x.headline)) || x.nonSectionCrumb(urls[i]) {
			continue
		}
		if len(strings.Fields(name)) > 8 || genericSections.is(name) {
			return ""
		}
		return name
	}
	return ""
}

// nonSectionPath matches the path of an author's archive or of the site's
// search: a trail may pass through either, and neither is a section.
var nonSectionPath = mustQuick(`(?i)(?:^|/)(?:author|authors|autor|autoren|auteur|autore|search|suche|erweiterte-suche|recherche|buscar)(?:/|$)`)

// nonSectionCrumb reports a crumb that links to an author's archive or to
// the site's search.
func (x *extraction) nonSectionCrumb(ref string) bool {
	if ref == "" {
		return false
	}
	u, err := url.Parse(resolveURL(x.base, ref))
	if err != nil {
		return false
	}
	return nonSectionPath.MatchString(u.Path) || u.Query().Has("s") && strings.Trim(u.Path, "/") == ""
}

// isThisPage reports a link to the page itself.
func (x *extraction) isThisPage(ref string) bool {
	if ref == "" {
		return false
	}
	u, err := url.Parse(resolveURL(x.base, ref))
	if err != nil || x.pageURL == nil {
		return false
	}
	return strings.TrimRight(u.Host+u.Path, "/") == strings.TrimRight(x.pageURL.Host+x.pageURL.Path, "/")
}

// isHomeCrumb reports the home page's crumb.
func (x *extraction) isHomeCrumb(name, ref string) bool {
	if homeLabels.is(name) || (x.meta.siteName() != "" && titleKey(name) == titleKey(x.meta.siteName())) {
		return true
	}
	if ref == "" {
		return false
	}
	u, err := url.Parse(resolveURL(x.base, ref))
	return err == nil && strings.Trim(u.Path, "/") == "" && u.RawQuery == ""
}
