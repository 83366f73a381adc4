package extract

import (
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// postedAfterLink matches the words that follow a link to the post in the
// sentence a classic blog theme prints about it: "<a rel=bookmark>Title</a>
// was posted on …", "… wurde am … gepostet", "… a été publié le …".
var postedAfterLink = mustQuick(`(?i)^\s*(?:(?:was|has been)\s+(?:posted|published|written)\s+on|wurde\s+am|erschien\s+am|a\s+été\s+publié\s+le|fue\s+publicado\s+el)\s*$`)

// permalinkDate is the date of the sentence about the post that opens with
// a link to the page itself ("<a rel=bookmark href=…this page>Title</a>
// wurde am <nobr>19. Mai 2010</nobr> … gepostet"): themes print it in the
// post's footer or in a sidebar box about the post. It is read before the
// drop rules remove the sidebar.
func (x *extraction) permalinkDate() time.Time {
	self := strings.TrimSuffix(x.page.URL, "/")
	canonical := strings.TrimSuffix(resolveURL(x.base, x.meta.canonical), "/")
	var found time.Time
	walkElements(x.doc, func(n *html.Node) bool {
		if skippedTags[n.DataAtom] {
			return false
		}
		if n.DataAtom != atom.A || !hasToken(attr(n, "rel"), "bookmark") {
			return false
		}
		href := strings.TrimSuffix(resolveURL(x.base, attr(n, "href")), "/")
		if href == "" || href != self && href != canonical {
			return false
		}
		words := n.NextSibling
		if words == nil || words.Type != html.TextNode || !postedAfterLink.MatchString(words.Data) {
			return false
		}
		for c := words.NextSibling; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
				if t, err := x.dates.parse(strings.TrimSpace(c.Data)); err == nil {
					found = t
					return true
				}
				return false
			}
			if c.Type == html.ElementNode {
				if t, ok := x.dateOf(c); ok {
					found = t
					return true
				}
				return false
			}
		}
		return false
	})
	return found
}
