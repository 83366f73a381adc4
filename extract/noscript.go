package extract

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The HTML parser reads a page as a browser that runs scripts does, so a
// <noscript> element holds its markup as raw text. A page that renders its
// byline with a script often prints the same byline, for readers without
// scripts, inside <noscript>: that copy is the page's byline too.

// unwrapNoscriptText replaces with the markup it holds each <noscript>
// element that is the only text of its parent and holds paragraphs of
// prose: the copy of an article's text for readers without scripts, on a
// page whose script renders the text from a template (Blogger's
// "post-content"). The body is then read from it as from any page.
func unwrapNoscriptText(doc *html.Node) (unwrapped []*html.Node) {
	var found []*html.Node
	walkElements(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Noscript && n.Parent != nil && strings.Contains(strings.ToLower(rawText(n)), "<p") {
			found = append(found, n)
		}
		return false
	})
	for _, n := range found {
		holder := parseRaw(n)
		if holder == nil {
			continue
		}
		prose := 0
		walkElements(holder, func(p *html.Node) bool {
			if p.DataAtom == atom.P && proseLetters(p) >= minParagraphProse {
				prose++
			}
			return prose >= 2
		})
		// Read last: the parent's text may be long, the test above cheap.
		if prose < 2 || strings.TrimSpace(ownText(n.Parent)) != "" {
			continue
		}
		n.Parent.InsertBefore(holder, n)
		n.Parent.RemoveChild(n)
		unwrapped = append(unwrapped, holder)
	}
	return unwrapped
}

// ownText is the text of n outside its <script>, <style>, <template> and
// <noscript> elements.
func ownText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && (skippedTags[c.DataAtom] || c.DataAtom == atom.Noscript || c.DataAtom == atom.Template):
			case c.Type == html.ElementNode:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// rawText is the raw markup a <noscript> element holds, as text.
func rawText(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

// parseRaw parses the raw markup a <noscript> element holds into a <div>
// of its own; nil when it holds no markup.
func parseRaw(n *html.Node) *html.Node {
	raw := rawText(n)
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
	return holder
}

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
			if slices.Contains(x.unwrapped, c) {
				if names := x.bylineIn(c); len(names) > 0 {
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
	holder := parseRaw(n)
	if holder == nil {
		return nil
	}
	return x.bylineIn(holder)
}

// bylineIn reads the byline of the markup a <noscript> element held.
func (x *extraction) bylineIn(holder *html.Node) []string {
	if names := x.classedByline(holder); len(names) > 0 {
		return names
	}
	return x.visibleByline(holder, nil)
}
