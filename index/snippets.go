package index

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
)

// snippetSummaryRunes is the length of the snippet taken from the summary
// when there is nothing to highlight.
const snippetSummaryRunes = snippetRunes

// storedHit is what a hit shows of its record's stored fields.
type storedHit struct {
	url, title, category, published string
	summary, body                   []byte
}

// storedOf reads the stored fields of hits through one reader of the
// index. Asked for through the request's Fields, bleve turns each field
// into a string (the body's kilobytes copied once more) in a map per hit;
// here the summary and body stay the bytes bleve decoded.
func (ix *Index) storedOf(hits search.DocumentMatchCollection) ([]storedHit, error) {
	out := make([]storedHit, len(hits))
	if len(hits) == 0 {
		return out, nil
	}
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, fmt.Errorf("read hits of %s: %w", ix.dir, err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("read hits of %s: %w", ix.dir, err)
	}
	defer r.Close()
	for i, h := range hits {
		d, err := r.Document(h.ID)
		if err != nil {
			return nil, fmt.Errorf("read hit %s of %s: %w", h.ID, ix.dir, err)
		}
		doc, ok := d.(*document.Document)
		if !ok {
			continue // gone, or not a document bleve wrote
		}
		for _, f := range doc.Fields {
			switch f.Name() {
			case fieldURL:
				out[i].url = string(f.Value())
			case fieldTitle:
				out[i].title = string(f.Value())
			case fieldCategory:
				out[i].category = string(f.Value())
			case fieldPublishedText:
				out[i].published = string(f.Value())
			case fieldSummary:
				out[i].summary = f.Value()
			case fieldBody:
				out[i].body = f.Value()
			}
		}
	}
	return out, nil
}

// hitOf converts a bleve hit and its stored fields, with snippets at the
// locations of the words when the query had words to highlight.
func hitOf(h *search.DocumentMatch, st storedHit, locations search.FieldTermLocationMap, highlighted bool) Hit {
	hit := Hit{ID: h.ID, Score: h.Score, URL: st.url, Title: st.title, Category: st.category}
	if math.IsNaN(hit.Score) {
		hit.Score = 0
	}
	if st.published != "" {
		if t, err := time.Parse(time.RFC3339Nano, st.published); err == nil {
			hit.Published = t
		}
	}
	if highlighted {
		hit.Snippets = snippetsOf(st, locations)
	}
	if len(hit.Snippets) == 0 && len(st.summary) > 0 {
		hit.Snippets = []string{leadOf(string(st.summary), snippetSummaryRunes)}
	}
	return hit
}

// snippetsOf picks the passages to show from the stored body and summary
// st: the body's with a match, else the summary's with a match,
// else the start of the summary or the body, unmarked (the words matched
// the title only).
//
// The words of the body are indexed in fieldText only, so their locations
// there, whose array position says whether they are in the title, summary
// or body, are handed to the highlighter as locations in the summary and
// body fields.
func snippetsOf(st storedHit, locations search.FieldTermLocationMap) []string {
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
	snippet := func(field string, text []byte) []string {
		if len(text) == 0 {
			return nil
		}
		return bestFragment(field, text, inFields[field])
	}
	marked := func(fragments []string) bool {
		return slices.ContainsFunc(fragments, func(f string) bool { return strings.Contains(f, MarkStart) })
	}
	body := snippet(fieldBody, st.body)
	if marked(body) {
		return body
	}
	if summary := snippet(fieldSummary, st.summary); len(summary) > 0 {
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
