package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Human is a page's record in the human-annotated format: what a person
// wrote down about the page. A null field was not annotated.
type Human struct {
	ID      string `json:"id"`
	Dataset string `json:"dataset"`
	// URL is the page's address, passed as the page URL.
	URL        string   `json:"url"`
	Title      *string  `json:"title"`
	Date       *string  `json:"date"` // YYYY-MM-DD, the publication day
	Author     *string  `json:"author"`
	Categories []string `json:"categories"`
	Tags       []string `json:"tags"`
	// BodyWith are snippets the article body must contain, BodyWithout
	// snippets of boilerplate it must not contain; both null on a page
	// annotated with its date alone.
	BodyWith    []string `json:"body_with"`
	BodyWithout []string `json:"body_without"`
	// Body and Source are in the files but not measured: body is always
	// null, source names where the annotation comes from.
	Body   json.RawMessage `json:"body"`
	Source json.RawMessage `json:"source"`
}

// humanKeys are the keys that only the human-annotated format has.
var humanKeys = []string{"body_with", "body_without", "dataset"}

// isHuman reports whether a record's keys are those of the human-annotated
// format. A record that is not a JSON object is left to the other parser,
// which says what is wrong with it.
func isHuman(raw []byte) bool {
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) != nil {
		return false
	}
	for _, k := range humanKeys {
		if _, ok := keys[k]; ok {
			return true
		}
	}
	return false
}

// ParseHuman reads one human-annotated record strictly: an unknown key is
// an error, and so is a date not of the form YYYY-MM-DD or a record without
// a url. The date's form alone is checked: a few annotations swap month and
// day ("2022-29-11"), and such a day is kept as written, so that no record
// matches it, as in the annotators' own scoring.
func ParseHuman(raw []byte) (Human, error) {
	var h Human
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return Human{}, err
	}
	if h.URL == "" {
		return Human{}, fmt.Errorf("record %q has no url", h.ID)
	}
	if h.Date != nil {
		if !dayForm.MatchString(*h.Date) {
			return Human{}, fmt.Errorf("date %q: not YYYY-MM-DD", *h.Date)
		}
	}
	return h, nil
}

var dayForm = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// fullyAnnotated reports whether a person annotated the whole page (its
// body snippets, hence its other fields) rather than its date alone. On
// such a page a null date means the page shows none, so the right answer
// is no date; on the development set these are exactly the trafilatura/
// pages.
func (h *Human) fullyAnnotated() bool { return h.BodyWith != nil }

var fold = cases.Fold()

// Normalize is the form in which titles, author names and categories are
// compared: Unicode NFKC, case folded, every quotation mark made ", every
// dash made -, and white space collapsed to single spaces and trimmed.
func Normalize(s string) string {
	s = fold.String(norm.NFKC.String(s))
	s = strings.Map(func(r rune) rune {
		switch {
		case isQuote(r):
			return '"'
		case unicode.Is(unicode.Pd, r) || r == '\u2212': // dashes, and the minus sign
			return '-'
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// isQuote: the initial and final quotation marks (‘ ’ “ ” « » ‹ › …) and
// those Unicode files elsewhere (' " ‚ „ ‛ ‟).
func isQuote(r rune) bool {
	switch r {
	case '\'', '"', '\u201a', '\u201e', '\u201b', '\u201f':
		return true
	}
	return unicode.In(r, unicode.Pi, unicode.Pf)
}

// names is the set of a byline's names: split on ';' and ',', each
// normalised, empty ones dropped.
func names(s string) map[string]bool {
	set := map[string]bool{}
	for _, n := range strings.FieldsFunc(Normalize(s), func(r rune) bool { return r == ';' || r == ',' }) {
		if n = strings.TrimSpace(n); n != "" {
			set[n] = true
		}
	}
	return set
}

func sameSet(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// collapse folds runs of white space to one space and trims the ends: the
// form in which snippets are looked for in a body.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// HumanScore is the verdict on one page of the human-annotated format for
// one extractor. A Match's Exact and Fair are the same: these fields have
// one rule each.
type HumanScore struct {
	Case   Case
	Err    error // the extractor refused the page or failed: scored as empty output
	Got    Result
	Title  Match
	Day    Match
	Author Match
	// Category is measured where categories are annotated.
	Category Match
	// Undated is set when Day was measured on a page annotated without a
	// date, where giving none is right.
	Undated bool
	// Body snippet counts: body_with found (TP) and missed (FN), body_without
	// found (FP) and absent (TN).
	TP, FN, FP, TN int
	// Missed are the body_with snippets not found, Kept the body_without
	// snippets found, for the page listing.
	Missed, Kept []string
}

// ScoreHuman compares what an extractor returned for a page with a
// person's annotations of it. A page the extractor refused or failed on
// (err != nil) is scored as an empty record: its titles, authors and
// categories miss, its body_with snippets are false negatives, its
// body_without snippets true negatives, and on a page annotated without a
// date it gives, rightly, no date.
//
//   - title: equal after Normalize;
//   - day: the record's published date, read in the offset the record
//     states, is the annotated calendar day; on a fully annotated page with
//     no date, right when the record has none;
//   - author: the same set of names, the byline and the annotation each
//     split on ';' and ',' and normalised ("By Jane Doe, Staff Writer" is
//     the names "by jane doe" and "staff writer", not "jane doe");
//   - category: the record's category, normalised, is one of the annotated
//     categories, normalised;
//   - body: each snippet, white space collapsed, is a substring of the
//     record's body, white space collapsed (case and punctuation count).
func ScoreHuman(c Case, got Result, err error) HumanScore {
	if err != nil {
		got = Result{}
	}
	h := c.Human
	s := HumanScore{Case: c, Err: err, Got: got}
	verdict := func(ok bool) Match { return Match{Measured: true, Exact: ok, Fair: ok} }
	if h.Title != nil {
		s.Title = verdict(got.Title != "" && Normalize(got.Title) == Normalize(*h.Title))
	}
	switch {
	case h.Date != nil:
		s.Day = verdict(got.Published != nil && got.Published.Format(time.DateOnly) == *h.Date)
	case h.fullyAnnotated():
		s.Day, s.Undated = verdict(got.Published == nil), true
	}
	if h.Author != nil && strings.TrimSpace(*h.Author) != "" {
		want := names(*h.Author)
		s.Author = verdict(len(want) > 0 && sameSet(names(got.Author), want))
	}
	if len(h.Categories) > 0 {
		g := Normalize(got.Category)
		ok := false
		for _, c := range h.Categories {
			ok = ok || (g != "" && g == Normalize(c))
		}
		s.Category = verdict(ok)
	}
	body := collapse(got.Body)
	for _, snip := range h.BodyWith {
		if strings.Contains(body, collapse(snip)) {
			s.TP++
		} else {
			s.FN++
			s.Missed = append(s.Missed, snip)
		}
	}
	for _, snip := range h.BodyWithout {
		if strings.Contains(body, collapse(snip)) {
			s.FP++
			s.Kept = append(s.Kept, snip)
		} else {
			s.TN++
		}
	}
	return s
}
