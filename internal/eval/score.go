package eval

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"folio"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Match is the verdict on one field of one page.
type Match struct {
	Measured bool // the reference has the field
	Exact    bool // equal after the field's normalisation
	Fair     bool // equal under the field's looser rule (see Score)
}

// TextScore is precision, recall and F1 of one page's body.
type TextScore struct {
	Precision, Recall, F1 float64
}

// PageScore is the verdict on one page for one extractor.
type PageScore struct {
	Case      string
	Err       error // the extractor refused the page or failed
	Title     Match
	Published Match
	Author    Match
	Language  Match
	Category  Match
	Tags      Match
	Bag       TextScore // body as a bag of lower-cased words
	Shingles  TextScore // body as 4-word shingles
	Got       Result    // what the extractor returned, for the per-page listing
}

// Score compares what an extractor returned for a page with the page's
// reference record.
//
//   - title: exact when equal after folding white space; fair also when it
//     is the start or the end of the reference, cut at a separator (| - – —
//     · :: » / :), and the part cut off is shorter than what stays ("Title |
//     Site", "Title - Author - Site", "Site » Title"), since folio's
//     contract strips site names from titles;
//   - published: the calendar day, in the reference's offset when it has
//     one, else in the offset of the extracted time (exact and fair alike);
//   - author: exact when equal after folding case, accents, punctuation and
//     a leading "by"; fair when one contains the other, as references are
//     hints that may hold several names or stray words;
//   - language: the base language (fr of fr-FR), case folded;
//   - category: exact after folding white space; tags: the same list;
//   - body: see BagOfWords and Shingles.
func Score(c Case, got Result, err error) PageScore {
	s := PageScore{Case: c.Name, Err: err, Got: got}
	w := c.Want
	if w.Title != nil {
		ref, g := folio.FoldSpace(*w.Title), folio.FoldSpace(got.Title)
		s.Title = Match{Measured: true, Exact: ref == g && g != ""}
		s.Title.Fair = s.Title.Exact || (g != "" && titleWithoutSiteName(ref, g))
	}
	if w.Published != nil {
		s.Published.Measured = true
		ref, zoned, perr := parseReferenceDate(*w.Published)
		if perr == nil && got.Published != nil {
			g := *got.Published
			if zoned {
				g = g.In(ref.Location())
			}
			s.Published.Exact = sameDay(ref, g)
			s.Published.Fair = s.Published.Exact
		}
	}
	if w.Author != nil && strings.TrimSpace(*w.Author) != "" {
		ref, g := personKey(*w.Author), personKey(got.Author)
		s.Author = Match{Measured: true, Exact: ref == g && g != ""}
		s.Author.Fair = s.Author.Exact || (g != "" && ref != "" && (strings.Contains(ref, g) || strings.Contains(g, ref)))
	}
	if w.Language != nil && *w.Language != "" {
		ok := baseLanguage(*w.Language) == baseLanguage(got.Language)
		s.Language = Match{Measured: true, Exact: ok, Fair: ok}
	}
	if w.Category != nil {
		ok := folio.FoldSpace(*w.Category) == folio.FoldSpace(got.Category)
		s.Category = Match{Measured: true, Exact: ok, Fair: ok}
	}
	if w.Tags != nil {
		ok := len(*w.Tags) == len(got.Tags)
		for i := 0; ok && i < len(got.Tags); i++ {
			ok = folio.FoldSpace((*w.Tags)[i]) == folio.FoldSpace(got.Tags[i])
		}
		s.Tags = Match{Measured: true, Exact: ok, Fair: ok}
	}
	ref := ""
	if w.Body != nil {
		ref = *w.Body
	}
	s.Bag = BagOfWords(ref, got.Body)
	s.Shingles = Shingles(ref, got.Body, 4)
	return s
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// titleSeparators part a headline from a site's name in a page title.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " · ", " :: ", " » ", " / ", ": "}

// titleWithoutSiteName reports whether got is the start of ref up to a
// separator, or its end from one, and the part cut off is the shorter.
func titleWithoutSiteName(ref, got string) bool {
	for _, sep := range titleSeparators {
		if rest, ok := strings.CutPrefix(ref, got+sep); ok && shorter(rest, got) {
			return true
		}
		if rest, ok := strings.CutSuffix(ref, sep+got); ok && shorter(rest, got) {
			return true
		}
	}
	return false
}

func shorter(a, b string) bool {
	return strings.TrimSpace(a) != "" && utf8.RuneCountInString(a) < utf8.RuneCountInString(b)
}

// stripMarks removes accents. A chain keeps state between calls: each
// call makes its own, as evals run at once (the tests of cmd/folio).
func stripMarks() transform.Transformer {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}

// personKey folds a byline for comparison: lower case, no accents, words of
// letters and digits only, without a leading "by".
func personKey(s string) string {
	if folded, _, err := transform.String(stripMarks(), s); err == nil {
		s = folded
	}
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for len(words) > 0 && (words[0] == "by" || words[0] == "par" || words[0] == "von" || words[0] == "por") {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

func baseLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	return s
}

// Tokens splits text into its \w+ tokens (letters, digits, marks and
// underscore, as Python's re does), lower-cased.
func Tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_')
	})
}

// BagOfWords scores got against ref as multisets of lower-cased tokens.
func BagOfWords(ref, got string) TextScore {
	return fromCounts(counts(Tokens(ref), 1), counts(Tokens(got), 1))
}

// Shingles scores got against ref as multisets of n-token shingles: per
// page, true positives, false positives and false negatives normalised by
// their sum (the public article-extraction benchmark's method). A text of
// fewer than n tokens is one shingle.
func Shingles(ref, got string, n int) TextScore {
	return fromCounts(counts(Tokens(ref), n), counts(Tokens(got), n))
}

// counts is the multiset of n-token shingles of toks, joined by a space.
func counts(toks []string, n int) map[string]int {
	m := map[string]int{}
	if len(toks) == 0 {
		return m
	}
	if n <= 1 {
		for _, t := range toks {
			m[t]++
		}
		return m
	}
	last := len(toks) - n + 1
	if last < 1 {
		last = 1
	}
	for i := 0; i < last; i++ {
		end := i + n
		if end > len(toks) {
			end = len(toks)
		}
		m[strings.Join(toks[i:end], " ")]++
	}
	return m
}

// fromCounts scores two multisets. Both empty is a perfect score; one empty
// scores zero.
func fromCounts(ref, got map[string]int) TextScore {
	var tp, fp, fn float64
	for k, r := range ref {
		g := got[k]
		tp += float64(min(r, g))
		fn += float64(max(0, r-g))
	}
	for k, g := range got {
		fp += float64(max(0, g-ref[k]))
	}
	if sum := tp + fp + fn; sum > 0 {
		tp, fp, fn = tp/sum, fp/sum, fn/sum
	}
	s := TextScore{Precision: ratio(tp, fp, fn), Recall: ratio(tp, fn, fp)}
	s.F1 = f1(s.Precision, s.Recall)
	return s
}

// ratio is tp/(tp+miss), with the benchmark's conventions: 1 when nothing
// was expected or found wrongly, 0 when nothing was found right.
func ratio(tp, miss, other float64) float64 {
	switch {
	case miss == 0 && other == 0:
		return 1
	case tp == 0 && miss == 0:
		return 0
	}
	return tp / (tp + miss)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
