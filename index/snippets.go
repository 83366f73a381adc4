package index

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
)

// snippetSummaryRunes is the length of the snippet taken from the summary
// when there is nothing to highlight.
const snippetSummaryRunes = snippetRunes

// hitOf converts a bleve hit, with snippets at the locations of the words
// when the query had words to highlight.
func hitOf(h *search.DocumentMatch, locations search.FieldTermLocationMap, highlighted bool) Hit {
	hit := Hit{ID: h.ID, Score: h.Score}
	if math.IsNaN(hit.Score) {
		hit.Score = 0
	}
	hit.URL, _ = h.Fields[fieldURL].(string)
	hit.Title, _ = h.Fields[fieldTitle].(string)
	hit.Category, _ = h.Fields[fieldCategory].(string)
	if s, ok := h.Fields[fieldPublishedText].(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			hit.Published = t
		}
	}
	if highlighted {
		hit.Snippets = snippetsOf(h.Fields, locations)
	}
	if len(hit.Snippets) == 0 {
		if s, ok := h.Fields[fieldSummary].(string); ok && s != "" {
			hit.Snippets = []string{leadOf(s, snippetSummaryRunes)}
		}
	}
	return hit
}

// snippetsOf picks the passages to show from the stored body and summary
// in fields: the body's with a match, else the summary's with a match,
// else the start of the summary or the body, unmarked (the words matched
// the title only).
//
// The words of the body are indexed in fieldText only, so their locations
// there, whose array position says whether they are in the title, summary
// or body, are handed to the highlighter as locations in the summary and
// body fields.
func snippetsOf(fields map[string]interface{}, locations search.FieldTermLocationMap) []string {
	inFields := search.FieldTermLocationMap{}
	add := func(field, term string, l *search.Location) {
		if inFields[field] == nil {
			inFields[field] = search.TermLocationMap{}
		}
		inFields[field][term] = append(inFields[field][term], &search.Location{Pos: l.Pos, Start: l.Start, End: l.End})
	}
	for term, list := range locations[fieldText] {
		for _, l := range list {
			if len(l.ArrayPositions) != 1 {
				continue
			}
			switch l.ArrayPositions[0] {
			case textSummary:
				add(fieldSummary, term, l)
			case textBody:
				add(fieldBody, term, l)
			}
		}
	}
	for term, list := range locations[fieldSummary] {
		for _, l := range list {
			add(fieldSummary, term, l)
		}
	}
	snippet := func(field string) []string {
		s, ok := fields[field].(string)
		if !ok || s == "" {
			return nil
		}
		return bestFragment(field, []byte(s), inFields[field])
	}
	marked := func(fragments []string) bool {
		return slices.ContainsFunc(fragments, func(f string) bool { return strings.Contains(f, MarkStart) })
	}
	body := snippet(fieldBody)
	if marked(body) {
		return body
	}
	if summary := snippet(fieldSummary); len(summary) > 0 {
		return summary
	}
	return body
}

// leadOf returns the start of text, one line, cut at a word boundary.
func leadOf(text string, runes int) string {
	var b strings.Builder
	writeFolded(&b, []byte(text))
	s := strings.TrimSpace(b.String())
	r := []rune(s)
	if len(r) <= runes {
		return s
	}
	cut := string(r[:runes])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + ellipsis
}
