package index

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/highlight"
	simplefragmenter "github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehighlighter "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// Snippets mark each matched word with MarkStart before it and MarkEnd after
// it. They are ASCII control characters, which never occur in extracted
// text, so a caller can swap them for what its output wants (ANSI bold on a
// terminal, «» or [] when piped) without escaping anything: see Mark.
const (
	MarkStart = "\x02"
	MarkEnd   = "\x03"
)

// Mark replaces the markers of a snippet with before and after. It builds
// no strings.Replacer: one costs kilobytes of tables, and a search page or
// API response marks every snippet of its hits.
func Mark(snippet, before, after string) string {
	i := strings.IndexAny(snippet, MarkStart+MarkEnd)
	if i < 0 {
		return snippet
	}
	var b strings.Builder
	b.Grow(len(snippet) + 4*max(len(before), len(after)))
	for ; i >= 0; i = strings.IndexAny(snippet, MarkStart+MarkEnd) {
		b.WriteString(snippet[:i])
		if snippet[i] == MarkStart[0] {
			b.WriteString(before)
		} else {
			b.WriteString(after)
		}
		snippet = snippet[i+1:]
	}
	b.WriteString(snippet)
	return b.String()
}

const (
	// snippetRunes is the length bleve's fragmenter aims at for a snippet.
	snippetRunes = 160
	// ellipsis stands where a snippet cuts the text.
	ellipsis = "…"
)

// snippetHighlighter cuts snippets; it keeps no state between calls. The
// separator is empty: markFormatter adds the ellipses itself, after
// trimming cut words.
var snippetHighlighter highlight.Highlighter = simplehighlighter.NewHighlighter(simplefragmenter.NewFragmenter(snippetRunes), markFormatter{}, "")

// markFormatter formats a fragment as one line of plain text: no HTML
// escaping (the CLI prints text, not HTML), white space runs folded to one
// space (bodies separate paragraphs with blank lines), words cut at either
// end dropped and replaced by an ellipsis, and matches between MarkStart and
// MarkEnd.
type markFormatter struct{}

func (markFormatter) Format(f *highlight.Fragment, locations highlight.TermLocations) string {
	start, end := f.Start, f.End
	var marks []*highlight.TermLocation
	for _, l := range locations {
		if l == nil || !l.ArrayPositions.Equals(f.ArrayPositions) || l.Start < start || l.End > end {
			continue
		}
		if len(marks) > 0 && l.Start < marks[len(marks)-1].End {
			continue
		}
		marks = append(marks, l)
	}
	firstMark, lastMark := end, start
	if len(marks) > 0 {
		firstMark, lastMark = marks[0].Start, marks[len(marks)-1].End
	}
	// Drop a word cut by the fragment's start or end, unless a match is in it.
	if start > 0 && !isSpaceBefore(f.Orig, start) {
		if i := indexSpace(f.Orig[start:firstMark]); i >= 0 {
			start += i
		}
	}
	if end < len(f.Orig) && !isSpaceAt(f.Orig, end) {
		if i := lastIndexSpace(f.Orig[lastMark:end]); i >= 0 {
			end = lastMark + i
		}
	}

	var b strings.Builder
	if start > 0 {
		b.WriteString(ellipsis)
	}
	curr := start
	for _, l := range marks {
		writeFolded(&b, f.Orig[curr:l.Start])
		b.WriteString(MarkStart)
		writeFolded(&b, f.Orig[l.Start:l.End])
		b.WriteString(MarkEnd)
		curr = l.End
	}
	writeFolded(&b, f.Orig[curr:end])
	out := strings.TrimSpace(b.String())
	if end < len(f.Orig) {
		out += ellipsis
	}
	return out
}

// writeFolded writes text with every run of white space as one space.
func writeFolded(b *strings.Builder, text []byte) {
	space := false
	for len(text) > 0 {
		r, size := utf8.DecodeRune(text)
		text = text[size:]
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if space {
		b.WriteByte(' ')
	}
}

func isSpaceBefore(text []byte, i int) bool {
	r, _ := utf8.DecodeLastRune(text[:i])
	return unicode.IsSpace(r)
}

func isSpaceAt(text []byte, i int) bool {
	r, _ := utf8.DecodeRune(text[i:])
	return unicode.IsSpace(r)
}

func indexSpace(text []byte) int {
	for i, r := range string(text) {
		if unicode.IsSpace(r) {
			return i
		}
	}
	return -1
}

func lastIndexSpace(text []byte) int {
	last := -1
	for i, r := range string(text) {
		if unicode.IsSpace(r) {
			last = i
		}
	}
	return last
}
