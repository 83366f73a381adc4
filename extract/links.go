package extract

import (
	"strconv"
	"strings"
	"time"

	"folio"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	// countInBrackets reads "Post comments (3)".
	countInBrackets = mustQuick(`\((\d{1,6})\)`)
	// countFirst reads "3 commentaires", "12 Comments".
	countFirst = mustQuick(`^(\d{1,6})\b`)
	// commentWords say that a number counts comments.
	commentWords = mustQuick(`(?i)\b(comments?|commentaires?|r[ée]actions?|r[ée]ponses?|replies|responses?|kommentare?|comentarios?|commenti)\b`)
	// noComments is how themes say zero.
	noComments = mustQuick(`(?i)^(no comments?( yet)?|aucun commentaire|pas de commentaires?|0 comments?|0 commentaire)$`)
)

func parseCount(s string, needWord bool) (int, bool) {
	s = cleanSpace(s)
	if s == "" || len(s) > 80 {
		return 0, false
	}
	if noComments.MatchString(s) {
		return 0, true
	}
	if needWord && !commentWords.MatchString(s) {
		return 0, false
	}
	for _, rx := range []*quickRegexp{countInBrackets, countFirst} {
		if m := rx.FindStringSubmatch(s); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil {
				return n, true
			}
		}
	}
	return 0, false
}

// commentCount reads the number of comments: the rules' element, JSON-LD,
// or a heading such as "Post comments (0)" or "3 commentaires".
func (x *extraction) commentCount() *int {
	var count int
	var how string
	found := false
	x.rules.commentCount.each(x.doc, func(n *html.Node, alt string) bool {
		count, found = parseCount(textOf(n), false)
		how = alt
		return found
	})
	if found {
		x.won("comment_count", layerRules, how)
		return &count
	}
	if s := x.meta.ldString(x.meta.article, "commentCount"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 0 {
			x.won("comment_count", layerMetadata, "json-ld commentCount")
			return &n
		}
	}
	if v, _ := x.meta.meta("commentcount"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			x.won("comment_count", layerMetadata, "meta commentCount")
			return &n
		}
	}
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type != html.ElementNode || skippedTags[n.DataAtom] {
			return false
		}
		if isHeading(n) || strings.Contains(strings.ToLower(attr(n, "class")), "comment") {
			if c, ok := parseCount(textOf(n), true); ok {
				count, found = c, true
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	if walk(x.body) {
		x.won("comment_count", layerHeuristics, "comment heading")
		return &count
	}
	return nil
}

// neighbour reads the previous or next post: the card the rules select,
// else the card under a "Previous post" heading, else <link rel=prev>.
// The card is removed from the page so that its title, date and category
// are not taken for the article's own.
func (x *extraction) neighbour(field string, sel selector, names labels, rel string) *folio.PostLink {
	card, how := sel.first(x.doc)
	layer := layerRules
	if card == nil {
		card = x.labelledCard(names)
		layer, how = layerHeuristics, "card under a "+field+" label"
	}
	if card != nil {
		link := x.postLink(card, names)
		detach(card)
		if link != nil {
			x.won(field, layer, how)
			return link
		}
	}
	for _, l := range x.meta.links[rel] {
		if u := resolveURL(x.base, attr(l, "href")); u != "" {
			x.won(field, layerMetadata, "link[rel="+rel+"]")
			return &folio.PostLink{URL: u, Title: cleanSpace(attr(l, "title"))}
		}
	}
	return nil
}

// labelledCard finds an element reading only "Previous post" (or another
// of names) and returns the nearest element around it that holds a link.
func (x *extraction) labelledCard(names labels) *html.Node {
	var card *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type != html.ElementNode || skippedTags[n.DataAtom] {
			return false
		}
		if own := ownTextUpTo(n, 60); own != "" && names.is(own) {
			for c := n; c != nil && c != x.body; c = c.Parent {
				if isCardTooBig(c, x.root) {
					break // the label is a widget's, not a card's: no card
				}
				if isLink(c) || firstLink(c, n) != nil {
					card = c
					return true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(x.body)
	return card
}

// firstLink is the first <a href> under n that does not lie inside skip.
func firstLink(n, skip *html.Node) *html.Node {
	var found *html.Node
	var walk func(*html.Node) bool
	walk = func(c *html.Node) bool {
		if c == skip && c != n {
			return false
		}
		if isLink(c) {
			found = c
			return true
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			if walk(k) {
				return true
			}
		}
		return false
	}
	walk(n)
	return found
}

// isLink reports an <a> that leads to another page.
func isLink(n *html.Node) bool {
	if !isElement(n, atom.A) {
		return false
	}
	href := strings.TrimSpace(attr(n, "href"))
	return href != "" && !strings.HasPrefix(href, "#") && !strings.HasPrefix(strings.ToLower(href), "javascript:")
}

// postLink reads a neighbour card: the link in its heading (or its first
// link that is not a category or tag), the category, the date and the
// excerpt shown.
func (x *extraction) postLink(card *html.Node, names labels) *folio.PostLink {
	var titleLink *html.Node
	if isElement(card, atom.A) {
		titleLink = card
	}
	walkElements(card, func(n *html.Node) bool {
		if titleLink == nil && isHeading(n) {
			titleLink = firstLink(n, nil)
		}
		return titleLink != nil
	})
	if titleLink == nil {
		walkElements(card, func(n *html.Node) bool {
			if isElement(n, atom.A) && !isTermLink(n) && textOf(n) != "" && !names.is(textOf(n)) {
				titleLink = n
			}
			return titleLink != nil
		})
	}
	if titleLink == nil {
		return nil
	}
	u := resolveURL(x.base, attr(titleLink, "href"))
	if u == "" {
		return nil
	}
	link := &folio.PostLink{URL: u, Title: x.cardTitle(titleLink, names)}
	walkElements(card, func(n *html.Node) bool {
		if isElement(n, atom.A) && hasToken(attr(n, "rel"), "category") {
			link.Category = textOf(n)
		}
		return link.Category != ""
	})
	link.Published = x.cardDate(card, titleLink)
	link.Excerpt = cardExcerpt(card, titleLink)
	return link
}

// cardTitle is the text of a card's title link, without the "Previous
// post" label that a WordPress post navigation puts inside the link.
func (x *extraction) cardTitle(link *html.Node, names labels) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n != link && names.is(textOf(n)) {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(link)
	title := cleanSpace(b.String())
	if rest, ok := names.cut(title); ok && rest != "" {
		title = rest
	}
	if title == "" {
		title = cleanSpace(attr(link, "title"))
	}
	return title
}

func (x *extraction) cardDate(card, titleLink *html.Node) *time.Time {
	var found time.Time
	walkElements(card, func(n *html.Node) bool {
		if isElement(n, atom.Time) {
			if t, ok := x.dateOf(n); ok {
				found = t
			}
		}
		return !found.IsZero()
	})
	if found.IsZero() {
		tried := 0
		eachText(card, func(s string) bool {
			if !dateCandidate(s) || tried >= 6 {
				return tried >= 6
			}
			tried++
			if t, err := x.dates.parse(s); err == nil {
				found = t
				return true
			}
			return false
		})
	}
	if found.IsZero() {
		return nil
	}
	return &found
}

// cardExcerpt is the longest paragraph of a card outside its title.
func cardExcerpt(card, titleLink *html.Node) string {
	var best string
	walkElements(card, func(n *html.Node) bool {
		if (isElement(n, atom.P) || strings.Contains(attr(n, "class"), "excerpt")) && !contains(n, titleLink) && !contains(titleLink, n) {
			if s := textOf(n); len(s) > len(best) {
				best = s
			}
		}
		return false
	})
	return best
}

// walkElements calls fn for every element under n, in document order,
// until fn returns true.
func walkElements(n *html.Node, fn func(*html.Node) bool) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if fn(c) || walkElements(c, fn) {
			return true
		}
	}
	return false
}

func isTermLink(n *html.Node) bool {
	rel := attr(n, "rel")
	return hasToken(rel, "category") || hasToken(rel, "tag") || hasToken(rel, "author")
}

// related reads the "À lire aussi" links: blocks the rules select, else a
// paragraph or heading that starts with a "read also" label. The blocks are
// removed, so the label never reaches the body.
func (x *extraction) related() []folio.Link {
	var out []folio.Link
	seen := map[string]bool{}
	add := func(a *html.Node) {
		u := resolveURL(x.base, attr(a, "href"))
		title := textOf(a)
		if title == "" {
			title = cleanSpace(attr(a, "title"))
		}
		if u == "" || title == "" || seen[u] || isTermLink(a) {
			return
		}
		seen[u] = true
		out = append(out, folio.Link{URL: u, Title: title})
	}
	links := func(block *html.Node) {
		if isElement(block, atom.A) {
			add(block)
			return
		}
		walkElements(block, func(n *html.Node) bool {
			if isElement(n, atom.A) {
				add(n)
			}
			return false
		})
	}
	if blocks := x.rules.related.all(x.root); len(blocks) > 0 {
		for _, b := range blocks {
			links(b)
			detach(b)
		}
		if len(out) > 0 {
			x.won("related", layerRules, x.rules.related.matching(blocks))
			return out
		}
	}
	var taken []*html.Node
	walkElements(x.root, func(n *html.Node) bool {
		if !isBlockish(n) {
			return false
		}
		if lead := leadText(n, 80); lead == "" {
			return false
		} else if _, ok := relatedLabels.cut(lead); !ok {
			return false
		}
		text, short := shortText(n, 1200)
		if !short || len(text) > 400 {
			return false
		}
		rest, ok := relatedLabels.cut(text)
		if !ok {
			return false
		}
		if rest != "" && firstLink(n, nil) != nil {
			links(n)
			taken = append(taken, n)
		} else if rest == "" {
			if next := nextElement(n); next != nil && firstLink(next, nil) != nil {
				links(next)
				taken = append(taken, n, next)
			}
		}
		return false
	})
	for _, n := range taken {
		detach(n)
	}
	if len(out) > 0 {
		x.won("related", layerHeuristics, "block after a read-also label")
	}
	return out
}

func isBlockish(n *html.Node) bool {
	return n.Type == html.ElementNode && blockTags[n.DataAtom] && n.DataAtom != atom.Article
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// source reads the link to the original: the rules' element, else a link
// reading "La source" (or a "Source :" line), else an off-site "Lire la
// suite" link. The paragraphs holding these links are removed from the
// page, and so are "Lire la suite" lines.
func (x *extraction) source() string {
	var found string
	if n, how := x.rules.source.first(x.root); n != nil {
		a := n
		if !isElement(a, atom.A) {
			a = firstLink(n, nil)
		}
		if a != nil {
			if u := resolveURL(x.base, attr(a, "href")); u != "" {
				found = u
				x.won("source_url", layerRules, how)
			}
		}
		removeLinkLine(n)
	}
	var lines []*html.Node
	labelled := map[*html.Node]bool{} // paragraphs opening with "Source :", by node
	walkElements(x.root, func(n *html.Node) bool {
		if !isElement(n, atom.A) {
			return false
		}
		text := textOf(n)
		switch {
		case sourceLabels.is(text) && standalone(n):
			if found == "" {
				if u := resolveURL(x.base, attr(n, "href")); u != "" {
					found = u
					x.won("source_url", layerHeuristics, "link reading "+text)
				}
			}
			lines = append(lines, n)
		case readMoreLabels.is(text) && standalone(n):
			if u := resolveURL(x.base, attr(n, "href")); u != "" && folio.SiteOf(u) != folio.SiteOf(x.page.URL) && x.readMore == "" {
				x.readMore = u
			}
			lines = append(lines, n)
		case found == "":
			// "Source : <a>AFP</a>": the label opens the link's paragraph.
			p := blockParent(n)
			if p == nil {
				break
			}
			opens, seen := labelled[p]
			if !seen {
				opens = sourceLabels.beforeColon(leadText(p, 60))
				labelled[p] = opens
			}
			if !opens || !standalone(n) {
				break
			}
			if u := resolveURL(x.base, attr(n, "href")); u != "" {
				found = u
				x.won("source_url", layerHeuristics, "link after a source label")
				lines = append(lines, n)
			}
		}
		return false
	})
	for _, n := range lines {
		removeLinkLine(n)
	}
	if found == "" && x.readMore != "" {
		found = x.readMore
		x.won("source_url", layerHeuristics, "off-site read-more link")
	}
	return found
}

func blockParent(n *html.Node) *html.Node {
	for p := n.Parent; p != nil; p = p.Parent {
		if isBlockish(p) {
			return p
		}
	}
	return nil
}

// standalone reports whether link a is alone in its paragraph but for a
// label: "<p><a>La source</a></p>", "<p>Source : <a>AFP</a></p>", not a
// link inside a sentence.
func standalone(a *html.Node) bool {
	p := blockParent(a)
	if p == nil {
		return true
	}
	text, short := shortText(p, 400)
	if !short {
		return false
	}
	rest := strings.Replace(text, textOf(a), "", 1)
	return labelKey(rest) == "" || sourceLabels.is(rest) || readMoreLabels.is(rest)
}

// removeLinkLine removes a standalone link with the paragraph that holds
// it, so that neither the label nor the link text reaches the body.
func removeLinkLine(a *html.Node) {
	if !standalone(a) {
		return
	}
	if p := blockParent(a); p != nil {
		detach(p)
		return
	}
	detach(a)
}
