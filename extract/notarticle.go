package extract

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	pagedPath = regexp.MustCompile(`^/(.+/)?page/\d+/?$`)
	datePath  = regexp.MustCompile(`^/\d{4}(/\d{2}){0,2}/?$`)
)

// notFoundTitles start the <title> of error pages.
var notFoundTitles = []string{"page not found", "page non trouvee", "page introuvable", "not found",
	"erreur 404", "error 404", "404", "seite nicht gefunden", "pagina no encontrada", "pagina non trovata"}

// notArticleReason says why the page holds no article, or "" when it may
// hold one. It reads what a page says about itself: WordPress's body
// classes, JSON-LD types, the shape of its address, and, failing those,
// whether it lists several article teasers.
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
	case single || x.declaresArticle():
		return ""
	}
	// The words below are WordPress's classes for listings, but other
	// sites use them freely; they count only on a page that does not say
	// it is an article.
	switch {
	case classes["home"]:
		return "home page"
	case classes["blog"]:
		return "listing page"
	case classes["search"]:
		return "search results page"
	case classes["archive"] || classes["category"] || classes["tag"] || classes["author"] || classes["date"]:
		return "archive page"
	case classes["page"] && wpPage:
		return "static page"
	}
	title := labelKey(x.meta.title)
	for _, t := range notFoundTitles {
		if strings.HasPrefix(title, t) {
			return "404 page"
		}
	}
	if t, ok := x.meta.isListing(); ok {
		return "listing page (json-ld " + t + ")"
	}
	if x.pageURL != nil {
		path := x.pageURL.Path
		switch {
		case path == "" || path == "/":
			return "home page"
		case x.pageURL.Query().Has("s"):
			return "search results page"
		case pagedPath.MatchString(path):
			return "listing page"
		case datePath.MatchString(path):
			return "archive page"
		}
		first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
		switch first {
		case "category", "tag", "author", "search":
			return "archive page"
		}
	}
	if n := teasers(x.body); n >= 3 {
		return fmt.Sprintf("listing page (%d article teasers)", n)
	}
	return ""
}

// declaresArticle reports a page whose metadata types it as an article.
func (x *extraction) declaresArticle() bool {
	if x.meta.article != nil {
		return true
	}
	t, _ := x.meta.meta("og:type")
	return strings.EqualFold(t, "article")
}

// teasers counts the outermost <article> elements when none of them holds
// the page's h1: a list of posts rather than one post.
func teasers(body *html.Node) int {
	count := 0
	headline := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if isElement(c, atom.Article) {
				count++
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
