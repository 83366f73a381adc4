package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The HTML parser reads a page as a browser that runs scripts does, so a
// <noscript> element holds its markup as raw text. A page that renders its
// byline with a script often prints the same byline, for readers without
// scripts, inside <noscript>: that copy is the page's byline too.

// noscriptByline is the byline printed inside one of the article's
// <noscript> elements: an element classed as a byline, or a "By Name"
// line, in the markup it holds.
func (x *extraction) noscriptByline() []string {
	var found []string
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Noscript {
				if names := x.bylineInMarkup(c); len(names) > 0 {
					found = names
					return true
				}
				continue
			}
			if skippedTags[c.DataAtom] {
				continue
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

// bylineInMarkup parses the raw markup a <noscript> element holds and reads
// its byline.
func (x *extraction) bylineInMarkup(n *html.Node) []string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	raw := b.String()
	if !strings.Contains(raw, "<") {
		return nil
	}
	holder := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(raw), holder)
	if err != nil {
		return nil
	}
	for _, c := range nodes {
		holder.AppendChild(c)
	}
	if names := x.classedByline(holder); len(names) > 0 {
		return names
	}
	return x.visibleByline(holder, nil)
}
