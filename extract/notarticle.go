package extract

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"folio"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	pagedPath = mustQuick(`^/(.+/)?page/\d+/?$`)
	datePath  = mustQuick(`^/\d{4}(/\d{2}){0,2}/?$`)
	// monthQuery is a month asked for in an address's query: a calendar's
	// ?mois=2024-07 or ?month=2024-07, WordPress's date archive ?m=202407.
	monthQuery = mustQuick(`^\d{4}-(0[1-9]|1[0-2])$`)
	wpMonth    = mustQuick(`^\d{4}(0[1-9]|1[0-2])(\d{2})?$`)
	// postPath is a dated permalink: /2022/11/07/slug/, /2018/06/slug.html.
	postPath = mustQuick(`/(19|20)\d{2}/(0[1-9]|1[0-2])/(\d{2}/)?[^/]*\pL[^/]*/?$`)
)

// minProse is the number of words of prose (proseWords) that makes a page
// with no article markup a text of its own rather than a site's furniture
// or a list of links: a WordPress "page", a home page, a page of teasers.
// The podcast, members' and section pages of news sites hold a few dozen;
// a short article holds more.
const minProse = 100

// notFoundTitles start the <title> of error pages.
var notFoundTitles = []string{"page not found", "page non trouvee", "page introuvable", "not found",
	"erreur 404", "error 404", "404", "seite nicht gefunden", "pagina no encontrada", "pagina non trovata"}

// notArticleReason says why the page holds no article, or "" when it may
// hold one. It reads what a page says about itself: WordPress's body
// classes, JSON-LD and OpenGraph types, its title and the shape of its
// address. Signals that also fit a page with a text of its own (a
// WordPress "page", a home page, a list of teasers) refuse it only when it
// holds little prose (minProse).
func (x *extraction) notArticleReason() string {
	if n, how := x.rules.notArticle.first(x.doc); n != nil {
		return "matches rules.not_article " + how
	}
	classes := map[string]bool{}
	single, wpPage := false, false
	for _, c := range x.meta.bodyClasses {
		classes[c] = true
		single = single || c == "single" || c == "single-post" || strings.HasPrefix(c, "postid-")
		wpPage = wpPage || strings.HasPrefix(c, "page-id-")
	}
	switch {
	case classes["error404"]:
		return "404 page"
	case classes["search-results"] || classes["search-no-results"]:
		return "search results page"
	case single:
		return ""
	}
	// SEO plugins (Yoast…) type every WordPress page og:type article, some
	// JSON-LD Article too: on a WordPress page its text decides.
	declared := !wpPage && x.declaresArticle()
	if kind := x.siteInfoKind(declared); kind != "" {
		return kind
	}
	if declared {
		return ""
	}
	// The words below are WordPress's classes for listings, but other
	// sites use them freely; they count only on a page that does not say
	// it is an article.
	switch {
	case classes["home"] && !wpPage:
		return "home page"
	case classes["blog"] && !wpPage:
		return "listing page"
	case classes["search"]:
		return "search results page"
	case classes["archive"] || classes["category"] || classes["tag"] || classes["author"] || classes["date"]:
		return "archive page"
	}
	title := labelKey(x.meta.title)
	for _, t := range notFoundTitles {
		if strings.HasPrefix(title, t) {
			return "404 page"
		}
	}
	if reason := x.archiveAddress(); reason != "" {
		return reason
	}
	soft := ""
	switch t, listing := x.meta.isListing(); {
	case calendarGrid(x.body):
		soft = "calendar page (a month grid)"
	case classes["home"]:
		soft = "home page"
	case wpPage:
		soft = "static page"
	case listing:
		soft = "listing page (json-ld " + t + ")"
	case x.isHome():
		soft = "home page"
	default:
		if n := teasers(x.body); n >= 3 {
			soft = fmt.Sprintf("listing page (%d article teasers)", n)
		}
	}
	// A permalink with a date in it is a post's.
	if soft == "" || (x.pageURL != nil && postPath.MatchString(x.pageURL.Path)) {
		return ""
	}
	if words := x.proseWords(x.body); words < minProse {
		return fmt.Sprintf("%s with little text of its own (%d words)", soft, words)
	}
	return ""
}

// archiveAddress gives the reason an address names a listing: WordPress's
// paged, date, category, tag, author and search addresses, in pretty and
// plain permalinks, and a month in the query, as calendars are paged.
func (x *extraction) archiveAddress() string {
	if x.pageURL == nil {
		return ""
	}
	path, query := x.pageURL.Path, x.pageURL.Query()
	root := path == "" || path == "/"
	switch {
	case query.Has("s"):
		return "search results page"
	case root && (query.Has("cat") || query.Has("tag") || query.Has("author") || query.Has("paged")):
		return "archive page"
	case root && wpMonth.MatchString(query.Get("m")):
		return "archive page (a month in the address)"
	case pagedPath.MatchString(path):
		return "listing page"
	case datePath.MatchString(path):
		return "archive page"
	}
	for key, values := range query {
		for _, v := range values {
			if monthQuery.MatchString(v) {
				return fmt.Sprintf("archive page (a month in the address: %s=%s)", key, v)
			}
		}
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	switch first {
	case "category", "tag", "author", "search":
		return "archive page"
	}
	return ""
}

// declaresArticle reports a page whose metadata types it as an article.
func (x *extraction) declaresArticle() bool {
	if x.meta.article != nil || x.meta.microdata != nil {
		return true
	}
	t, _ := x.meta.meta("og:type")
	return strings.EqualFold(t, "article")
}

// siteInfoNames name the pages a site has about itself, in the languages
// folio reads; compared through pageNameKey, so that a title ("Qui
// sommes-nous ?") and an address's last segment ("qui-sommes-nous") match
// the same name.
var siteInfoNames = map[string][]string{
	"legal notice": {"Mentions légales", "Mention légale", "Informations légales", "Legal notice",
		"Legal notices", "Legal information", "Legal", "Imprint", "Impressum", "Aviso legal",
		"Nota legal", "Note legali", "Informazioni legali", "Avisos legais", "Informação legal"},
	"privacy policy": {"Politique de confidentialité", "Confidentialité", "Données personnelles",
		"Protection des données", "Vie privée", "Politique de protection des données personnelles",
		"Privacy policy", "Privacy", "Privacy notice", "Data protection", "Datenschutz",
		"Datenschutzerklärung", "Datenschutzerklaerung", "Datenschutzhinweise",
		"Política de privacidad", "Privacidad", "Protección de datos", "Informativa sulla privacy",
		"Política de privacidade", "Privacidade"},
	"cookie policy": {"Cookies", "Politique de cookies", "Politique des cookies", "Gestion des cookies",
		"Cookie policy", "Cookie-Richtlinie", "Política de cookies",
		"Informativa sui cookie"},
	"terms of use": {"CGU", "CGV", "Conditions générales", "Conditions générales d’utilisation",
		"Conditions générales de vente", "Conditions d’utilisation", "Terms", "Terms of use",
		"Terms of service", "Terms and conditions", "AGB", "Nutzungsbedingungen",
		"Allgemeine Geschäftsbedingungen", "Términos y condiciones", "Condiciones de uso",
		"Termini e condizioni", "Condizioni d’uso", "Termos de uso", "Termos e condições"},
	"accessibility statement": {"Accessibilité", "Déclaration d’accessibilité", "Accessibility",
		"Accessibility statement", "Barrierefreiheit", "Erklärung zur Barrierefreiheit",
		"Accesibilidad", "Accessibilità", "Acessibilidade"},
	"about page": {"À propos", "A propos", "À propos de nous", "Qui sommes-nous", "Qui suis-je",
		"L’équipe", "Notre équipe", "La rédaction", "Notre histoire", "Présentation", "L’association",
		"About", "About us", "About me", "Our team", "The team", "Our story", "Who we are",
		"Über uns", "Ueber uns", "Wir über uns", "Das Team", "Unser Team", "Sobre nosotros",
		"Quiénes somos", "Quienes somos", "Acerca de", "Nuestro equipo", "Chi siamo", "Il team",
		"La redazione", "Sobre nós", "Quem somos", "A equipe"},
	"contact page": {"Contact", "Contacts", "Contactez-nous", "Nous contacter", "Nous écrire",
		"Contact us", "Get in touch", "Kontakt", "Kontaktieren Sie uns", "Contacto", "Contáctenos",
		"Contacta con nosotros", "Contatti", "Contattaci", "Contato", "Fale conosco"},
	"site map": {"Plan du site", "Site map", "Sitemap", "Seitenübersicht", "Mapa del sitio",
		"Mappa del sito", "Mapa do site"},
	"account page": {"Mon compte", "Connexion", "Se connecter", "Inscription", "S’inscrire",
		"My account", "Log in", "Login", "Sign in", "Sign up", "Register", "Mein Konto", "Anmelden",
		"Registrieren", "Mi cuenta", "Iniciar sesión", "Il mio account", "Accedi", "Minha conta"},
	"newsletter page": {"Newsletter", "Newsletters", "Lettre d’information", "S’abonner à la newsletter",
		"Subscribe", "Abonnement", "Abonnements", "Abonnieren", "Suscríbete", "Iscriviti"},
}

// siteInfoKinds maps a pageNameKey to its kind of page.
var siteInfoKinds = func() map[string]string {
	m := map[string]string{}
	for kind, names := range siteInfoNames {
		for _, n := range names {
			m[pageNameKey(n)] = kind
		}
	}
	return m
}()

// pageNameKey is labelKey with hyphens, apostrophes and underscores read
// as spaces, and a file extension dropped: "Qui sommes-nous ?",
// "qui-sommes-nous" and "qui_sommes_nous.html" give one key.
func pageNameKey(s string) string {
	for _, ext := range []string{".html", ".htm", ".php", ".aspx", ".asp", ".jsp"} {
		s = strings.TrimSuffix(s, ext)
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '\'', '’', '‘', '‐', '‑':
			return ' '
		}
		return r
	}, s)
	return labelKey(s)
}

// siteTypes are the schema.org types of pages about a site.
var siteTypes = map[string]string{"AboutPage": "about page", "ContactPage": "contact page"}

// siteInfoKind is the kind of page a site keeps about itself (legal
// notice, about, contact…) that the page is, by its JSON-LD type, its
// title, its h1 or, unless it is declared an article (a post about privacy
// may well be at /tech/privacy), its address's last segment; "" when none.
func (x *extraction) siteInfoKind(declared bool) string {
	if x.meta.article == nil {
		for _, obj := range x.meta.jsonLD {
			for _, t := range types(obj) {
				if kind := siteTypes[strings.TrimPrefix(strings.TrimPrefix(t, "http://schema.org/"), "https://schema.org/")]; kind != "" {
					return kind + " (json-ld " + t + ")"
				}
			}
		}
	}
	// A whole title names the page; a part of one ("Mentions légales –
	// Radio Exemple") only on a page not declared an article ("Contact –
	// the film, reviewed").
	var names []string
	for _, t := range []string{x.meta.title, x.ogTitle()} {
		t = cleanSpace(t)
		names = append(names, t)
		for _, sep := range titleSeparators {
			if i := strings.Index(t, sep); i > 0 && !declared {
				names = append(names, t[:i], t[strings.LastIndex(t, sep)+len(sep):])
			}
		}
	}
	if h1 := firstHeading(x.body); h1 != nil {
		names = append(names, textOf(h1))
	}
	for _, n := range names {
		if kind := siteInfoKinds[pageNameKey(n)]; kind != "" {
			return fmt.Sprintf("%s (titled %q)", kind, strings.TrimSpace(n))
		}
	}
	if x.pageURL != nil && !declared {
		segs := strings.Split(strings.Trim(x.pageURL.Path, "/"), "/")
		last, _ := url.PathUnescape(segs[len(segs)-1])
		if kind := siteInfoKinds[pageNameKey(last)]; kind != "" && len(segs) <= 3 {
			return fmt.Sprintf("%s (address %s)", kind, x.pageURL.Path)
		}
	}
	return ""
}

// firstHeading is the first h1 outside the page's furniture; a <header>
// may hold it (<header class="entry-header">).
func firstHeading(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (isFurniture(c) && c.DataAtom != atom.Header) {
			continue
		}
		if c.DataAtom == atom.H1 {
			return c
		}
		if h := firstHeading(c); h != nil {
			return h
		}
	}
	return nil
}

func (x *extraction) ogTitle() string {
	t, _ := x.meta.meta("og:title")
	return t
}

// teasers counts the outermost <article> elements that link elsewhere when
// none of them holds the page's h1: a list of posts rather than one post
// (an article split into <article> sections links nowhere).
func teasers(body *html.Node) int {
	count := 0
	headline := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if isElement(c, atom.Article) {
				if linksOut(c) {
					count++
				}
				if findElement(c, atom.H1) != nil {
					headline = true
				}
				continue
			}
			walk(c)
		}
	}
	walk(body)
	if headline {
		return 0
	}
	return count
}

// linksOut reports whether n holds a link to another page.
func linksOut(n *html.Node) bool {
	return walkElements(n, func(c *html.Node) bool {
		if c.DataAtom != atom.A {
			return false
		}
		href := strings.TrimSpace(attr(c, "href"))
		return href != "" && !strings.HasPrefix(href, "#") && !strings.HasPrefix(href, "javascript:")
	})
}

// calendarGrid reports a month grid outside the page's furniture: a table
// or ARIA grid with a cell for each day of a month, as calendar pages show.
// Calendar widgets in sidebars and footers do not count.
func calendarGrid(body *html.Node) bool {
	found := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			if c.Type != html.ElementNode || skippedTags[c.DataAtom] || isFurniture(c) {
				continue
			}
			if c.DataAtom == atom.Table || attr(c, "role") == "grid" {
				if monthDays(c) {
					found = true
				}
				continue
			}
			walk(c)
		}
	}
	walk(body)
	return found
}

// monthDays reports whether grid's cells number at least 28 distinct days
// of a month.
func monthDays(grid *html.Node) bool {
	days := map[int]bool{}
	walkElements(grid, func(c *html.Node) bool {
		if c.DataAtom != atom.Td && c.DataAtom != atom.Th && attr(c, "role") != "gridcell" {
			return false
		}
		if text, ok := shortText(c, 200); ok {
			if f := strings.Fields(text); len(f) > 0 {
				if d, err := strconv.Atoi(f[0]); err == nil && d >= 1 && d <= 31 {
					days[d] = true
				}
			}
		}
		return false
	})
	return len(days) >= 28
}

// proseWords counts the words, outside links, of the page's paragraphs
// and list items that are no teaser's: a paragraph under a heading made of a link to
// another page (a card's title) is an excerpt of that page. Navigation,
// header, footer, sidebars and forms are left out. A post's text counts in
// full, a listing's barely, and a hub page's lines of links not at all.
func (x *extraction) proseWords(root *html.Node) int {
	total := 0
	underLink := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				if !underLink && isElement(n, atom.Div) {
					total += len(strings.Fields(c.Data))
				}
			case c.Type != html.ElementNode || skippedTags[c.DataAtom] || isFurniture(c):
			case isHeading(c):
				words, linked := wordsOutsideLinks(c)
				underLink = words == 0 && linked > 0 && x.linksToSibling(c)
			default:
				if p := paragraphOf(c); p != nil {
					if words, linked := wordsOutsideLinks(p); !underLink && words >= 2*linked {
						total += words
					}
					continue
				}
				walk(c)
			}
		}
	}
	walk(root)
	return total
}

// paragraphOf is n when it is a paragraph, or a list item holding no
// blocks (a step of a recipe, an exercise), or the one paragraph a wrapper
// holds (some CMSs wrap each paragraph in its own div), else nil.
func paragraphOf(n *html.Node) *html.Node {
	switch n.DataAtom {
	case atom.P:
		return n
	case atom.Li:
		if walkElements(n, func(c *html.Node) bool { return blockTags[c.DataAtom] }) {
			return nil
		}
		return n
	case atom.Div, atom.Section:
		var only *html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.ElementNode && (only != nil || c.DataAtom != atom.P):
				return nil
			case c.Type == html.ElementNode:
				only = c
			case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
				return nil
			}
		}
		return only
	}
	return nil
}

// wordsOutsideLinks counts n's words outside links and inside them.
func wordsOutsideLinks(n *html.Node) (words, linked int) {
	var walk func(*html.Node, bool)
	walk = func(n *html.Node, inLink bool) {
		switch {
		case n.Type == html.TextNode:
			if k := len(strings.Fields(n.Data)); inLink {
				linked += k
			} else {
				words += k
			}
			return
		case n.Type == html.ElementNode && skippedTags[n.DataAtom]:
			return
		}
		inLink = inLink || isElement(n, atom.A)
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	walk(n, false)
	return words, linked
}

// isFurniture reports the parts of a page around its text: navigation,
// header, footer, forms, and sidebars with their widgets (WordPress's
// #secondary.widget-area holding section.widget.widget_calendar…).
func isFurniture(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form:
		return true
	}
	switch strings.ToLower(attr(n, "id")) {
	case "sidebar", "secondary":
		return true
	}
	for _, c := range strings.Fields(strings.ToLower(attr(n, "class"))) {
		switch {
		case c == "sidebar" || c == "widget" || c == "widgets" || c == "widget-area",
			strings.HasPrefix(c, "widget_"):
			return true
		}
	}
	return false
}

// linksToSibling reports whether n's first link leads to another page of
// the same site: a card's title. Titles of posts link to their own
// permalink in many themes, and a headline may link to what it is about
// elsewhere.
func (x *extraction) linksToSibling(n *html.Node) bool {
	a := n
	if !isElement(a, atom.A) {
		a = findElement(n, atom.A)
	}
	if a == nil {
		return false
	}
	target := resolveURL(x.base, attr(a, "href"))
	canonical := resolveURL(x.base, x.meta.canonical)
	if target == "" || sameAddress(target, x.page.URL) || sameAddress(target, canonical) {
		return false
	}
	site := folio.SiteOf(target)
	return site == folio.SiteOf(x.page.URL) || (canonical != "" && site == folio.SiteOf(canonical))
}

// sameAddress reports two URLs naming one page: scheme, "www.", fragment
// and a trailing slash aside.
func sameAddress(a, b string) bool {
	key := func(s string) string {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return ""
		}
		return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimSuffix(u.EscapedPath(), "/") + "?" + u.RawQuery
	}
	ka := key(a)
	return ka != "" && ka == key(b)
}

// isHome reports the site's home page, by its address or the canonical
// one it names (feed links and redirects land on it from other addresses).
func (x *extraction) isHome() bool {
	for _, u := range []string{x.page.URL, resolveURL(x.base, x.meta.canonical)} {
		if p, err := url.Parse(u); err == nil && u != "" && (p.Path == "" || p.Path == "/") &&
			!p.Query().Has("p") && !p.Query().Has("page_id") {
			return true
		}
	}
	return false
}
