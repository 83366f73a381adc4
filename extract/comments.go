package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// commentClasses are the classes WordPress and most themes give the
// comments section ("comments-area", a block theme's "wp-block-comments"),
// its lists ("comment-list", "commentlist") and each comment ("comment",
// "comment-body").
var commentClasses = map[string]bool{
	"comments": true, "comments-area": true, "comment-list": true, "commentlist": true,
	"comments-list": true, "wp-block-comments": true, "wp-block-post-comments": true,
	"comment": true, "comment-body": true,
}

// isCommentBlock reports whether n is the comments section, a list of
// comments or one comment: id "comments", one of commentClasses, or a
// schema.org Comment item.
func isCommentBlock(n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	if id := attr(n, "id"); id == "comments" || commentID.MatchString(id) || attr(n, "itemprop") == "comment" ||
		strings.Contains(attr(n, "itemtype"), "schema.org/Comment") {
		return true
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if commentClasses[c] || commentClass.MatchString(c) && n.DataAtom != atom.Body && n.DataAtom != atom.Html {
			return true
		}
	}
	return false
}

// commentClass matches the classes other themes give a comment or a list
// of them: a word ending in "comment" or "comments" ("kb-recipe-comment",
// "user-comments"), or "comment" before the part of a comment
// ("comment-item", "article-comment-box"). The page's own element may say
// it shows comments ("showing-comments" on <body>): that class is read
// only on the elements inside it.
var commentClass = mustQuick(`(?i)^(?:[a-z0-9]+[-_])+comments?$|(?:^|[-_])comments?[-_](?:item|entry|box|list|thread|wrapper|container|section|area|content|body)(?:$|[-_])`)

// commentID matches the id WordPress and most comment systems give each
// comment: "comment-42", "li-comment-42", "comment3111".
var commentID = mustQuick(`^(?:li-)?comment-?\d+$`)

// inComments reports whether n is a comment block or lies inside one.
func inComments(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if isCommentBlock(n) {
			return true
		}
	}
	return false
}

// commentBlocks lists the outermost comment blocks under n.
func commentBlocks(n *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if isCommentBlock(c) {
				out = append(out, c)
				continue
			}
			walk(c)
		}
	}
	walk(n)
	return out
}
