package extract

import (
	"strings"
	"sync"
	"unicode"

	"codeberg.org/readeck/go-readability/v2"
	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// sanitizer is built once: a bluemonday policy is safe for concurrent use
// once configured, and building one costs more than using it.
var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false)
	p.AllowAttrs("srcset", "sizes", "loading").OnElements("img")
	p.AllowElements("figure", "figcaption", "picture")
	return p
})

// bodyText returns the article's paragraphs and its sanitised HTML: from
// the element the rules select, else from go-readability run on the page
// already parsed (and already rid of boilerplate). It must be the last step
// to read the page's tree.
func (x *extraction) bodyText() ([]string, string) {
	if x.bodyNode != nil {
		var paras []string
		var htmls []string
		for _, b := range x.bodyBlocks() {
			notText := x.cleanBody(b)
			if p := paragraphsExcept(b, notText); len(p) > 0 {
				paras = append(paras, p...)
				x.boldEnd = boldSignature(b)
				htmls = append(htmls, x.bodyHTML(b))
			}
		}
		if paras = trimTail(x.dropMetaParagraphs(paras)); len(paras) > 0 {
			x.won("body", layerRules, x.bodyHow)
			return paras, strings.Join(htmls, "\n")
		}
	}
	// Readability runs last, on the tree every other field has been read
	// from, so it may work on that tree itself rather than on a copy
	// (FromDocument clones the whole document first).
	leadParas, leadHTML := x.readLead(x.headerLead())
	parser := readability.NewParser()
	art, err := parser.ParseAndMutate(x.doc, x.base)
	if err != nil || art.Node == nil {
		return nil, ""
	}
	notText := x.cleanBody(art.Node)
	trimLinkLines(art.Node)
	paras := trimTail(x.dropMetaParagraphs(x.trimMetaLines(paragraphsExcept(art.Node, notText))))
	if len(paras) == 0 {
		return nil, ""
	}
	x.boldEnd = boldSignature(art.Node)
	x.won("body", layerReadability, "readability")
	html := x.bodyHTML(art.Node)
	if len(leadParas) > 0 && !strings.Contains(strings.Join(paras, " "), leadParas[0]) {
		paras = append(leadParas, paras...)
		html = leadHTML + "\n" + html
	}
	return paras, html
}

// readLead reads a standfirst found before readability runs (which may
// take it apart): its paragraphs and HTML, nothing when lead is nil.
func (x *extraction) readLead(lead *html.Node) ([]string, string) {
	if lead == nil {
		return nil, ""
	}
	paras := x.dropMetaParagraphs(paragraphsExcept(lead, x.cleanBody(lead)))
	if len(paras) == 0 {
		return nil, ""
	}
	return paras, x.bodyHTML(lead)
}

// trimLinkLines removes, from the end of a body readability found, up to
// three blocks made of nothing but a few links ("Print this page |
// Contact", "Share on Twitter"): page tools that shared the article's
// container.
func trimLinkLines(body *html.Node) {
	for range 3 {
		b := lastTextBlock(body)
		if b == nil || b == body || !isLinkLine(b) {
			return
		}
		detach(b)
	}
}

// lastTextBlock is the innermost block element holding the last text of n.
func lastTextBlock(n *html.Node) *html.Node {
	for c := n.LastChild; c != nil; c = c.PrevSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return n
		case c.Type == html.ElementNode && !skippedTags[c.DataAtom] && textOf(c) != "":
			if blockTags[c.DataAtom] {
				if inner := lastTextBlock(c); inner != nil {
					return inner
				}
				return c
			}
			return n
		}
	}
	return nil
}

// isLinkLine reports a short block whose letters are nearly all link text.
func isLinkLine(n *html.Node) bool {
	text := textOf(n)
	if len(strings.Fields(text)) > 10 {
		return false
	}
	linked := 0
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			linked += countLetters(textOf(c))
		}
		return false
	})
	all := countLetters(text)
	return all > 0 && linked*10 >= all*9
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// copyrightWords mark a copyright line, which readability keeps when it
// shares a container with the article's paragraphs.
var copyrightWords = []string{"©", "copyright", "all rights reserved", "tous droits reserves",
	"alle rechte vorbehalten", "todos los derechos reservados", "tutti i diritti riservati",
	"todos os direitos reservados"}

// trimMetaLines drops, from the ends of a body readability found, the lines
// that are no article text: a dateline or byline before the text (a short
// line holding the publication date, or opening with "By"), and a
// copyright line after it.
func (x *extraction) trimMetaLines(paras []string) []string {
	for len(paras) > 1 && x.isMetaLine(paras[0]) {
		paras = paras[1:]
	}
	for len(paras) > 1 {
		last := paras[len(paras)-1]
		key := labelKey(last)
		copyright := false
		for _, w := range copyrightWords {
			copyright = copyright || strings.Contains(key, w) || strings.Contains(last, w)
		}
		if !copyright || len(last) > 200 {
			break
		}
		paras = paras[:len(paras)-1]
	}
	return paras
}

func (x *extraction) isMetaLine(p string) bool {
	if len(p) > 160 || len(strings.Fields(p)) > 16 {
		return false
	}
	if _, ok := bylineLabels.cut(p); ok && len(strings.Fields(p)) <= 8 {
		return true
	}
	if x.published == nil || !dateCandidate(p) {
		return false
	}
	t, err := x.dates.parse(p)
	if err != nil {
		return false
	}
	y1, m1, d1 := t.Date()
	y2, m2, d2 := x.published.In(t.Location()).Date()
	return y1 == y2 && m1 == m2 && d1 == d2
}

// widgetRoles are ARIA roles of interface pieces, not text: a video
// player's menus and dialogs, a share toolbar.
var widgetRoles = map[string]bool{"dialog": true, "alertdialog": true, "toolbar": true, "menu": true,
	"menubar": true, "button": true, "slider": true, "progressbar": true, "tablist": true, "tooltip": true}

// slideshowClass marks a slideshow or gallery block; one of many pictures
// is a feature of its own, not the article's text.
var slideshowClass = mustQuick(`(?i)gallery|slideshow|carousel|slider`)

// removeWidgets detaches from a body the interface a page embeds in its
// text: form controls, hidden and aria-hidden elements, ARIA widgets, and
// slideshows of ten pictures or more.
func removeWidgets(body *html.Node) {
	var gone []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if isWidget(c) {
				gone = append(gone, c)
				continue
			}
			walk(c)
		}
	}
	walk(body)
	for _, n := range gone {
		detach(n)
	}
}

// styledHidden reports an element its inline style hides.
func styledHidden(n *html.Node) bool {
	style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(style, "display:none") || strings.Contains(style, "visibility:hidden")
}

func isWidget(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Button, atom.Select, atom.Input, atom.Textarea, atom.Form, atom.Dialog:
		return true
	}
	if hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true") || widgetRoles[strings.ToLower(attr(n, "role"))] {
		return true
	}
	if styledHidden(n) {
		return true
	}
	if slideshowClass.MatchString(attr(n, "class")) {
		images := 0
		walkElements(n, func(c *html.Node) bool {
			if c.DataAtom == atom.Img || hasAttr(c, "data-original") || hasAttr(c, "data-src") || hasAttr(c, "data-lazy-src") {
				images++
			}
			return images >= 10
		})
		return images >= 10
	}
	return false
}

// cleanBody removes from the body what the page-wide passes could not
// know about: a copy of the headline, empty blocks and page furniture. It
// returns the elements that stay in the body's HTML but are no part of its
// text: the captions of its pictures.
func (x *extraction) cleanBody(body *html.Node) map[*html.Node]bool {
	removeWidgets(body)
	var empty []*html.Node
	walkElements(body, func(n *html.Node) bool {
		if isHeading(n) && x.headline != "" && textOf(n) == x.headline {
			empty = append(empty, n)
		} else if (n.DataAtom == atom.P || n.DataAtom == atom.Div) && textOf(n) == "" && !hasMedia(n) {
			empty = append(empty, n)
		}
		return false
	})
	for _, n := range empty {
		detach(n)
	}
	return pruneBody(body)
}

func hasMedia(n *html.Node) bool {
	return walkElements(n, func(c *html.Node) bool {
		switch c.DataAtom {
		case atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Iframe:
			return true
		}
		return false
	})
}

// bodyHTML renders the body's content with absolute URLs and sanitises it.
func (x *extraction) bodyHTML(body *html.Node) string {
	walkElements(body, func(n *html.Node) bool {
		x.absolutise(n)
		return false
	})
	var b strings.Builder
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if err := html.Render(&b, c); err != nil {
			return ""
		}
	}
	return strings.TrimSpace(sanitizer().Sanitize(b.String()))
}

// absolutise rewrites the addresses in n's attributes against the page's
// base, and moves a lazy-loaded image address into src.
func (x *extraction) absolutise(n *html.Node) {
	if isElement(n, atom.Img) {
		if src := imageSource(n); src != "" {
			setAttr(n, "src", src)
		}
	}
	for i, a := range n.Attr {
		switch a.Key {
		case "href", "src", "poster", "cite":
			if u := resolveURL(x.base, a.Val); u != "" {
				n.Attr[i].Val = u
			}
		case "srcset":
			n.Attr[i].Val = x.absoluteSrcset(a.Val)
		}
	}
}

func (x *extraction) absoluteSrcset(set string) string {
	parts := strings.Split(set, ",")
	for i, p := range parts {
		fields := strings.Fields(p)
		if len(fields) == 0 {
			continue
		}
		if u := resolveURL(x.base, fields[0]); u != "" {
			fields[0] = u
		}
		parts[i] = strings.Join(fields, " ")
	}
	return strings.Join(parts, ", ")
}

// boldSignature is the text of the paragraph a body ends on when all of
// it is set in bold: "<p><strong>Marina Mucha</strong></p>", the way many
// sites sign an article. "" otherwise.
func boldSignature(body *html.Node) string {
	b := lastTextBlock(body)
	if b == nil || b == body || b.DataAtom != atom.P {
		return ""
	}
	bold := true
	var walk func(n *html.Node, inBold bool)
	walk = func(n *html.Node, inBold bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				if !inBold && strings.TrimSpace(c.Data) != "" {
					bold = false
				}
			case html.ElementNode:
				if !skippedTags[c.DataAtom] {
					walk(c, inBold || c.DataAtom == atom.Strong || c.DataAtom == atom.B)
				}
			}
		}
	}
	walk(b, false)
	if !bold {
		return ""
	}
	return textOf(b)
}
