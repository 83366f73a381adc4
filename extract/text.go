package extract

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// skippedTags hold no readable text.
var skippedTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Svg: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Input: true, atom.Object: true, atom.Embed: true,
	atom.Canvas: true, atom.Video: true, atom.Audio: true, atom.Head: true,
	// A ruby's annotation (the furigana over Japanese kanji) is a reading
	// aid printed above the text, not part of it.
	atom.Rt: true, atom.Rp: true,
}

// blockTags start a new paragraph of plain text.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Main: true, atom.Aside: true,
	atom.Nav: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Ul: true, atom.Ol: true, atom.Li: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Blockquote: true,
	atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Figure: true,
	atom.Figcaption: true, atom.Hr: true, atom.Details: true, atom.Summary: true,
	atom.Address: true, atom.Form: true, atom.Fieldset: true, atom.Caption: true,
	atom.Thead: true, atom.Tbody: true, atom.Tfoot: true,
}

func isElement(n *html.Node, a atom.Atom) bool {
	return n != nil && n.Type == html.ElementNode && n.DataAtom == a
}

func isHeading(n *html.Node) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func detach(n *html.Node) {
	if n != nil && n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

// contains reports whether n is outer or lies inside it.
func contains(outer, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == outer {
			return true
		}
	}
	return false
}

// textOf is the text of n on one line: markup dropped, white space folded,
// a lone no-break space kept (French typography puts one before ; : ? !).
func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	var f spaceFolder
	f.collect(n)
	if f.bad {
		// Bytes that are no UTF-8 may make a character with those of the
		// next text: fold the whole text at once, as cleanSpace does.
		var b strings.Builder
		collectText(n, &b)
		return cleanSpace(b.String())
	}
	return f.b.String()
}

// collect folds the whole text of n as collectText gathers it.
func (f *spaceFolder) collect(n *html.Node) { f.collectLimit(n, noLimit) }

// collectText gathers the raw text of n: its text nodes, with a space
// around block elements and for <br>, skipped elements left out.
func collectText(n *html.Node, b *strings.Builder) { collectTextLimit(n, b, noLimit) }

// noLimit is a limit no page's text reaches (the crawler caps bodies far
// below it).
const noLimit = math.MaxInt32

// shortText is textOf(n) when n's raw text is at most limit bytes long; it
// stops reading as soon as it is longer, for tests run on every block.
func shortText(n *html.Node, limit int) (string, bool) {
	var f spaceFolder
	if !f.collectLimit(n, limit) {
		return "", false
	}
	if f.bad {
		var b strings.Builder
		collectTextLimit(n, &b, limit)
		return cleanSpace(b.String()), true
	}
	return f.b.String(), true
}

// collectLimit folds the text of n as collectTextLimit gathers it, counting
// the raw bytes it reads.
func (f *spaceFolder) collectLimit(n *html.Node, limit int) bool {
	switch n.Type {
	case html.TextNode:
		room := limit + 1 - f.raw
		if room <= 0 {
			return false
		}
		if len(n.Data) > room {
			cut := room
			for cut > 0 && !utf8.RuneStart(n.Data[cut]) {
				cut--
			}
			f.write(n.Data[:cut])
			return false
		}
		f.write(n.Data)
		return f.raw <= limit
	case html.ElementNode:
		if skippedTags[n.DataAtom] {
			return true
		}
		if n.DataAtom == atom.Br || (blockTags[n.DataAtom] && f.raw > 0) {
			f.rawSpace()
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !f.collectLimit(c, limit) {
			return false
		}
	}
	if n.Type == html.ElementNode && blockTags[n.DataAtom] {
		f.rawSpace()
	}
	return f.raw <= limit
}

func collectTextLimit(n *html.Node, b *strings.Builder, limit int) bool {
	switch n.Type {
	case html.TextNode:
		room := limit + 1 - b.Len()
		if room <= 0 {
			return false
		}
		if len(n.Data) > room {
			// Past the limit the rest does not matter: copy only enough to
			// know it was exceeded, cut on a character boundary.
			cut := room
			for cut > 0 && !utf8.RuneStart(n.Data[cut]) {
				cut--
			}
			b.WriteString(n.Data[:cut])
			return false
		}
		b.WriteString(n.Data)
		return b.Len() <= limit
	case html.ElementNode:
		if skippedTags[n.DataAtom] {
			return true
		}
		if n.DataAtom == atom.Br || (blockTags[n.DataAtom] && b.Len() > 0) {
			b.WriteByte(' ')
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !collectTextLimit(c, b, limit) {
			return false
		}
	}
	if n.Type == html.ElementNode && blockTags[n.DataAtom] {
		b.WriteByte(' ')
	}
	return b.Len() <= limit
}

// leadText is the start of n's text, about limit bytes of it: enough to
// test for a label before reading a whole block.
func leadText(n *html.Node, limit int) string {
	var f spaceFolder
	f.collectLimit(n, limit)
	if f.bad {
		var b strings.Builder
		collectTextLimit(n, &b, limit)
		return cleanSpace(b.String())
	}
	return f.b.String()
}

// ownTextUpTo is the text of n's own text children, without its
// elements', or "" when that raw text is longer than limit bytes (no limit
// when negative): for label tests run on every element.
func ownTextUpTo(n *html.Node, limit int) string {
	if limit >= 0 {
		size := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				size += len(strings.TrimSpace(c.Data))
			}
		}
		if size == 0 || size > limit {
			return ""
		}
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return cleanSpace(b.String())
}

// paragraphs is the plain text of n as paragraphs: each block element
// (p, li, h2, blockquote…) gives one, a <br> a line break inside one.
func paragraphs(n *html.Node) []string {
	return paragraphsExcept(n, nil)
}

// paragraphsExcept is paragraphs leaving out the elements in skip.
func paragraphsExcept(n *html.Node, skip map[*html.Node]bool) []string {
	w := paragraphWriter{skip: skip}
	w.walk(n)
	w.flush()
	return w.out
}

type paragraphWriter struct {
	cur  strings.Builder
	out  []string
	skip map[*html.Node]bool
}

// lineBreak marks a <br> while a paragraph is collected; the newlines of
// the page's source are only white space.
const lineBreak = '\u2028'

func (w *paragraphWriter) flush() {
	lines := strings.Split(w.cur.String(), string(lineBreak))
	kept := lines[:0]
	for _, l := range lines {
		if l = cleanSpace(l); l != "" {
			kept = append(kept, l)
		}
	}
	if len(kept) > 0 {
		w.out = append(w.out, strings.Join(kept, "\n"))
	}
	w.cur.Reset()
}

func (w *paragraphWriter) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.cur.WriteString(n.Data)
		return
	case html.ElementNode:
		if skippedTags[n.DataAtom] || w.skip[n] {
			return
		}
		if n.DataAtom == atom.Br {
			w.cur.WriteRune(lineBreak)
			return
		}
	}
	block := n.Type == html.ElementNode && blockTags[n.DataAtom]
	if block {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
	if block {
		w.flush()
	}
}

// cleanSpace folds each run of white space to one space and trims the ends;
// a run made of one no-break space alone is kept as it is.
func cleanSpace(s string) string {
	if isClean(s) {
		return s
	}
	var f spaceFolder
	f.b.Grow(len(s))
	f.write(s)
	return f.b.String()
}

// isClean reports whether cleanSpace would return s as it is: valid UTF-8
// with no white space at its ends and, inside, only single spaces or lone
// no-break spaces. Most short texts are, and cost no copy.
func isClean(s string) bool {
	space := true // the start counts as white space: s must not open with any
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				if space || c != ' ' {
					return false
				}
				space = true
			} else {
				space = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if unicode.IsSpace(r) || isNoBreakSpace(r) {
			if space || !isNoBreakSpace(r) {
				return false
			}
			space = true
		} else {
			space = false
		}
		i += size
	}
	return !space || s == ""
}

// asciiSpace marks the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// spaceFolder writes texts one after the other as cleanSpace folds their
// concatenation: runs of white space to one space, a run of one no-break
// space kept, nothing at the ends.
type spaceFolder struct {
	b strings.Builder
	// run counts the white space characters read and not yet written,
	// runFirst is the first of them.
	run      int
	runFirst rune
	// bad is set once a text holds bytes that are no UTF-8.
	bad bool
	// raw counts the bytes written before folding.
	raw int
}

// rawSpace writes the space that separates blocks.
func (f *spaceFolder) rawSpace() {
	f.raw++
	f.space(' ')
}

func (f *spaceFolder) space(r rune) {
	if f.run == 0 {
		f.runFirst = r
	}
	f.run++
}

// endRun writes the pending white space before a character that is none.
func (f *spaceFolder) endRun() {
	if f.run == 0 {
		return
	}
	if f.b.Len() > 0 {
		if f.run == 1 && isNoBreakSpace(f.runFirst) {
			f.b.WriteRune(f.runFirst)
		} else {
			f.b.WriteByte(' ')
		}
	}
	f.run = 0
}

func (f *spaceFolder) write(s string) {
	f.raw += len(s)
	start := -1 // start of the characters not yet written, -1 when none
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				if start >= 0 {
					f.b.WriteString(s[start:i])
					start = -1
				}
				f.space(rune(c))
			} else if start < 0 {
				f.endRun()
				start = i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r) || isNoBreakSpace(r):
			if start >= 0 {
				f.b.WriteString(s[start:i])
				start = -1
			}
			f.space(r)
		case r == utf8.RuneError && size == 1:
			// Written as the replacement character, as ranging over the
			// string reads it.
			if start >= 0 {
				f.b.WriteString(s[start:i])
				start = -1
			}
			f.endRun()
			f.b.WriteRune(r)
			f.bad = true
		default:
			if start < 0 {
				f.endRun()
				start = i
			}
		}
		i += size
	}
	if start >= 0 {
		f.b.WriteString(s[start:])
	}
}

func isNoBreakSpace(r rune) bool {
	return r == '\u00a0' || r == '\u202f' || r == '\u2007'
}

// labelKey is s reduced for comparing with a label: lower case, accents
// and surrounding punctuation dropped, white space folded. It runs on every
// short text of a page, so it avoids allocating beyond its result.
func labelKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	var buf [utf8.UTFMax]byte
	for _, r := range s {
		if unicode.IsSpace(r) || isNoBreakSpace(r) {
			space = b.Len() > 0
			continue
		}
		if r >= utf8.RuneSelf {
			// The first rune of the canonical decomposition is the letter
			// without its accents: é → e, Ç → C.
			n := utf8.EncodeRune(buf[:], r)
			if d := norm.NFD.Properties(buf[:n]).Decomposition(); len(d) > 0 {
				r, _ = utf8.DecodeRune(d)
			}
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || r == ' '
	})
}

// textLonger reports whether len(textOf(n)) > limit, reading no more of n
// than it needs: the folded text of a prefix is never longer than the
// whole's, so it stops once a prefix's is. Tests run on every element of a
// page would otherwise read whole subtrees at each level of nesting.
func textLonger(n *html.Node, limit int) bool {
	if n == nil {
		return false
	}
	var b strings.Builder
	next := 2*limit + 64
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			if b.Len() > next {
				if len(cleanSpace(b.String())) > limit {
					return true
				}
				next = 2 * b.Len()
			}
			return false
		case html.ElementNode:
			if skippedTags[n.DataAtom] {
				return false
			}
			if n.DataAtom == atom.Br || (blockTags[n.DataAtom] && b.Len() > 0) {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		if n.Type == html.ElementNode && blockTags[n.DataAtom] {
			b.WriteByte(' ')
		}
		return false
	}
	return walk(n) || len(cleanSpace(b.String())) > limit
}
