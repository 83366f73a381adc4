package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The default article and body selectors match on any site, and so they
// also match teaser cards, a metadata line classed like the content, or
// the first of several blocks an article is split into. The choices below
// weigh each match by its prose; a selector the site configured keeps the
// plain first-match meaning.

// chooseRoot picks the element holding the article: with a site's rule,
// the first match of the earliest alternative that matches outside the
// comments; with the default rule, the match with the most prose of the
// earliest alternative whose richest match holds an article's worth of
// prose (a page of cards has many <article> elements, and the story is the
// long one, or in none of them).
func (x *extraction) chooseRoot() (*html.Node, string) {
	if x.siteRules["article"] {
		var found *html.Node
		var how string
		x.rules.article.each(x.doc, func(n *html.Node, alt string) bool {
			if inComments(n) {
				return false
			}
			found, how = n, alt
			return true
		})
		return found, how
	}
	// The richest match of each alternative, in the order written.
	type pick struct {
		n     *html.Node
		how   string
		prose int
	}
	var picks []pick
	x.rules.article.each(x.doc, func(n *html.Node, alt string) bool {
		if inComments(n) {
			return false
		}
		p := proseLetters(n)
		if len(picks) == 0 || picks[len(picks)-1].how != alt {
			picks = append(picks, pick{n, alt, p})
		} else if last := &picks[len(picks)-1]; p > last.prose {
			*last = pick{n, alt, p}
		}
		return false
	})
	if len(picks) == 0 {
		return nil, ""
	}
	// An alternative whose best match holds little of the page's prose
	// matched teaser cards only: a later one may hold the story.
	page := proseLetters(x.body)
	for _, p := range picks {
		if p.prose >= minRootProse || 4*p.prose >= page {
			return p.n, p.how
		}
	}
	// None does: the first whose headline does not link to another page
	// (a short post), else none at all, when every match is a teaser card
	// of other posts and the story sits outside them.
	for _, p := range picks {
		if !x.isTeaser(p.n) {
			return p.n, p.how
		}
	}
	return nil, ""
}

// isTeaser reports an element whose first heading is a link to another
// page of the site: the card of another post, not a post.
func (x *extraction) isTeaser(n *html.Node) bool {
	var h *html.Node
	walkElements(n, func(c *html.Node) bool {
		if isHeading(c) {
			h = c
		}
		return h != nil
	})
	return h != nil && x.linksToSibling(h)
}

// minRootProse is the prose, in letters, past which an element is long
// enough to hold an article whatever else the page holds.
const minRootProse = 1500

// chooseBody picks the element holding the article's text inside the root.
// With the default rule, a match counts only if it holds at least half the
// prose of the richest match: the earliest such alternative wins, and its
// first such match. Other matches of the same alternative that sit beside
// it (not inside it, not around it) and hold prose of their own are parts
// of the same text, joined to it when the body is read.
func (x *extraction) chooseBody() (*html.Node, string, []*html.Node) {
	if x.siteRules["body"] {
		n, how := x.rules.body.first(x.root)
		return n, how, nil
	}
	type match struct {
		n     *html.Node
		alt   string
		prose int
	}
	var all []match
	most := 0
	x.rules.body.each(x.root, func(n *html.Node, alt string) bool {
		if inComments(n) || inCard(x.root, n) {
			return false
		}
		p := proseLetters(n)
		all = append(all, match{n, alt, p})
		most = max(most, p)
		return false
	})
	var chosen *match
	for i := range all {
		if 2*all[i].prose >= most {
			chosen = &all[i]
			break
		}
	}
	if chosen == nil {
		return nil, "", nil
	}
	// A match holding a small part of the article's prose is a teaser or a
	// box the theme classed like content: readability looks for the text.
	if chosen.prose < minRootProse && 4*chosen.prose < articleProse(x.root) {
		return nil, "", nil
	}
	var parts []*html.Node
	for _, m := range all {
		if m.n == chosen.n || m.alt != chosen.alt || m.prose < minPartProse ||
			contains(chosen.n, m.n) || contains(m.n, chosen.n) || nestedIn(parts, m.n) {
			continue
		}
		parts = append(parts, m.n)
	}
	return chosen.n, chosen.alt, parts
}

// minPartProse is the prose, in letters, that a further match of the body
// selector must hold to be joined to the body: a sentence or two, more than
// a label or a teaser line.
const minPartProse = 150

func nestedIn(nodes []*html.Node, n *html.Node) bool {
	for _, o := range nodes {
		if contains(o, n) || contains(n, o) {
			return true
		}
	}
	return false
}

// proseLetters counts the letters of n's text outside links.
func proseLetters(n *html.Node) int {
	count := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			count += countLetters(n.Data)
			return
		case html.ElementNode:
			if skippedTags[n.DataAtom] || n.DataAtom == atom.A {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return count
}

// bodyBlocks are the blocks the body's text is read from, in document
// order: the chosen element and the further parts of the text still in the
// page (the drop rules may have removed some). They stay where they are, so
// that the summary and the other fields still find what they hold.
func (x *extraction) bodyBlocks() []*html.Node {
	blocks := []*html.Node{x.bodyNode}
	for _, p := range x.bodyParts {
		if contains(x.doc, p) {
			blocks = append(blocks, p)
		}
	}
	if !x.siteRules["body"] {
		if lead := x.leadBlock(); lead != nil {
			blocks = append(blocks, lead)
		}
	}
	if len(blocks) == 1 {
		return blocks
	}
	return documentOrder(x.doc, blocks)
}

// leadClass marks the standfirst printed apart from the body: "excerpt",
// "teaser-text", "article-lead", "intro", "chapo".
var leadClass = mustQuick(`(?i)(^|[-_\s])(excerpt|teaser|lead|intro|standfirst|chapo|summary|subtitle|description|abstract|sapo|entradilla|vorspann|leader|sommario)([-_\s]|$)`)

// leadBlock is the article's standfirst when the body element leaves it
// out: the last element before the body, inside the article, that is
// marked as the description of the item (itemprop=description) or by a
// lead class, and holds a sentence of prose, not links. On a page where no
// element holds the article, the article is the nearest element around
// the body that also holds the page's h1.
func (x *extraction) leadBlock() *html.Node {
	if x.root == nil || !contains(x.doc, x.bodyNode) {
		return nil
	}
	root := x.root
	if root == x.body {
		if root = headedBlock(x.bodyNode, x.body); root == nil {
			return nil
		}
	}
	return x.leadBefore(root, false, x.isLeadMarked, func(n *html.Node) bool { return n == x.bodyNode })
}

// headedBlock is the nearest element around n, short of top, that holds
// the headline (an h1, or the element marked itemprop=headline) before n;
// nil when none does.
func headedBlock(n, top *html.Node) *html.Node {
	for p := n.Parent; p != nil && p != top; p = p.Parent {
		var h *html.Node
		walkElements(p, func(c *html.Node) bool {
			if c.DataAtom == atom.H1 || attr(c, "itemprop") == "headline" {
				h = c
			}
			return h != nil
		})
		if h != nil {
			if documentOrder(p, []*html.Node{h, n})[0] == h {
				return p
			}
			return nil
		}
	}
	return nil
}

// headerLead is the standfirst of an article whose body readability finds:
// the first lead element, as for leadBlock, before the article's first
// paragraph of prose, where readability, which keeps one container, often
// leaves it.
//
// On a page where no element holds the article, only the text the page's
// metadata gives as its description marks the standfirst: lead classes
// there also mark the teasers of other stories.
func (x *extraction) headerLead() *html.Node {
	if x.root == nil {
		return nil
	}
	marked := x.isLeadMarked
	if x.root == x.body {
		marked = x.isDescription
	}
	return x.leadBefore(x.root, true, marked, func(n *html.Node) bool {
		return n.DataAtom == atom.P && !marked(n) && proseLetters(n) >= minParagraphProse
	})
}

// isLeadMarked reports an element marked as the standfirst: the item's
// description, a lead class, or the text the page's metadata gives as its
// description, printed under the headline.
func (x *extraction) isLeadMarked(n *html.Node) bool {
	return attr(n, "itemprop") == "description" || leadClass.MatchString(attr(n, "class")) || x.isDescription(n)
}

// isDescription reports an element whose text is one of the page's stated
// descriptions.
func (x *extraction) isDescription(n *html.Node) bool {
	for _, desc := range x.descriptions() {
		cut := strings.TrimRight(strings.TrimSuffix(desc, "…"), ". ")
		if len(cut) < minLeadProse {
			continue
		}
		text, short := shortText(n, len(desc)+16)
		// A description may be the text cut short ("…").
		if short && (text == desc || cut != desc && strings.HasPrefix(text, cut)) {
			return true
		}
	}
	return false
}

// descriptions are the page's descriptions as its metadata states them
// (the article's JSON-LD, OpenGraph, the description and Twitter metas),
// white space folded; read once.
func (x *extraction) descriptions() []string {
	if x.descs == nil {
		x.descs = []string{}
		seen := map[string]bool{}
		add := func(d string) {
			if d = cleanSpace(d); d != "" && !seen[d] {
				seen[d] = true
				x.descs = append(x.descs, d)
			}
		}
		add(x.meta.ldString(x.meta.article, "description"))
		for _, k := range []string{"og:description", "description", "twitter:description"} {
			d, _ := x.meta.meta(k)
			add(d)
		}
	}
	return x.descs
}

// leadBefore is the lead element (one that marked accepts) in the article
// before the first element for which stop is true: the first one, or the
// last one (the nearest to the body).
func (x *extraction) leadBefore(root *html.Node, first bool, marked, stop func(*html.Node) bool) *html.Node {
	var lead *html.Node
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skippedTags[c.DataAtom] {
				continue
			}
			if stop(c) {
				return true
			}
			if c.DataAtom == atom.H1 || c.DataAtom == atom.Figure || captionClass.MatchString(attr(c, "class")) {
				continue // a picture's caption may be classed "description"
			}
			if marked(c) && proseLetters(c) >= minLeadProse && !linkish(c, 0.3) && !holdsHeaderParts(c) {
				// The item's own description outranks a lead class.
				if lead == nil || !first && (attr(lead, "itemprop") != "description" || attr(c, "itemprop") == "description") {
					lead = c
				}
				continue
			}
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(root)
	return lead
}

// holdsHeaderParts reports whether n holds a heading, a <time> or a
// picture: then it is the article's header, not its standfirst.
func holdsHeaderParts(n *html.Node) bool {
	return walkElements(n, func(c *html.Node) bool {
		return isHeading(c) || c.DataAtom == atom.Time || c.DataAtom == atom.Img
	})
}

// minLeadProse is the prose, in letters, of the shortest standfirst: a
// sentence, more than a label or a date.
const minLeadProse = 40

// documentOrder returns nodes sorted as they appear under root.
func documentOrder(root *html.Node, nodes []*html.Node) []*html.Node {
	want := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		want[n] = true
	}
	out := make([]*html.Node, 0, len(nodes))
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if want[n] {
			out = append(out, n)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

// isCard reports whether an <article> nested in the article is a teaser of
// another story, which goes, rather than a section of the story's own text
// that some themes also wrap in <article>: mostly links, or too little prose
// for a section.
func isCard(n *html.Node) bool {
	return linkish(n, 0.5) || proseLetters(n) < minSectionProse
}

// minSectionProse is the prose, in letters, of the shortest section of
// text nested in an article's own <article>: a card's teaser is shorter.
const minSectionProse = 300

// inCard reports whether n lies in a card nested in root.
func inCard(root, n *html.Node) bool {
	if !isElement(root, atom.Article) {
		return false
	}
	for p := n; p != nil && p != root; p = p.Parent {
		if isElement(p, atom.Article) && isCard(p) {
			return true
		}
	}
	return false
}

// isCardTooBig reports whether n, found around a "Previous" or "Next"
// label, is too big to be the card of a neighbouring post: it holds the
// article, or more prose than a card's title and teaser. A slider's or a
// gallery's "Next" button has no card around it, and climbing from it
// would take the whole page.
func isCardTooBig(n, root *html.Node) bool {
	return (root != nil && contains(n, root)) || proseLetters(n) > maxCardProse
}

// maxCardProse is the most prose, in letters, of a neighbouring post's card.
const maxCardProse = 600

// holdsProse reports whether n holds the paragraphs of an article: at
// least three of some length outside links, and few links overall. The
// default drop rule matches on class names ("sharing", "widget") that
// themes also give the container of the text; a share bar, a newsletter
// box or a sidebar of teasers holds no such paragraphs.
func holdsProse(n *html.Node) bool {
	long := 0
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.P && proseLetters(c) >= minParagraphProse {
			long++
		}
		return long >= 3
	})
	return long >= 3 && !linkish(n, 0.3)
}

// minParagraphProse is the prose, in letters, of a paragraph of text
// rather than a caption or a teaser.
const minParagraphProse = 150

// articleProse counts the letters of root's text outside links, comments
// and teaser cards.
func articleProse(root *html.Node) int {
	count := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			count += countLetters(n.Data)
			return
		case html.ElementNode:
			if skippedTags[n.DataAtom] || n.DataAtom == atom.A || isCommentBlock(n) ||
				n != root && n.DataAtom == atom.Article && isCard(n) {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return count
}
