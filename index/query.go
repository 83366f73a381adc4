package index

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Query is one search. Every field is optional; the zero Query returns the
// newest records.
type Query struct {
	// Text is in bleve's query-string syntax: words, "quoted phrases",
	// +required and -excluded terms, field:value, word~1 (fuzzy), word^2
	// (boost), wild*cards, /regexps/ and published:>="2022-01-01" ranges.
	// Unlike bleve's default, every plain word must match (see doc.go),
	// in the title, summary or body.
	Text string
	// Category, Author, Site and Tag keep records whose value is the given
	// one, ignoring case and accents ("l'europe" keeps "L’Europe").
	Category, Author, Site, Tag string
	// Since and Until keep records published at or after Since and before
	// Until; a zero time sets no bound. A day given as "until 2022-11-30"
	// is therefore Until = 2022-12-01 at midnight.
	Since, Until time.Time
	// Sort is SortRelevance (the default when Text is set), SortDate or
	// SortDateDesc (the default when Text is empty).
	Sort SortOrder
	// Limit is the number of hits to return (default 10); Offset how many
	// to skip first, for paging.
	Limit, Offset int
	// Fuzzy lets plain words match with a few typos: one edit for words of
	// 3 to 5 letters, two for longer ones.
	Fuzzy bool
	// Facets asks for counts of the matching records by category, author,
	// site, tag and month.
	Facets bool
}

// DefaultLimit is the number of hits when Query.Limit is zero.
const DefaultLimit = 10

// SortOrder is the order of a search's hits, in Query.Sort.
type SortOrder string

// The sort orders.
const (
	SortRelevance SortOrder = "relevance"
	SortDate      SortOrder = "date"  // oldest first
	SortDateDesc  SortOrder = "-date" // newest first
)

// Result is what a search found.
type Result struct {
	// Total counts every matching record, not only the returned hits.
	Total uint64
	Took  time.Duration
	Hits  []Hit
	// Facets is filled when Query.Facets is set.
	Facets Facets
}

// Hit is one matching record.
type Hit struct {
	ID    string
	URL   string
	Title string
	// Published is in the offset the record gives (a French article of
	// 2022-11-07T00:00:00+01:00 stays on the 7th); zero when it has no date.
	Published time.Time
	Category  string
	Score     float64
	// Snippets are passages of the body (or else the summary) around the
	// matched words, each word between MarkStart and MarkEnd. With no words
	// to match, the only snippet is the start of the summary.
	Snippets []string
}

// Facets count the matching records by value, most frequent first; Month
// ("2006-01", in the offset each record was published with, as the
// archive's statistics count months) is newest first instead.
type Facets struct {
	Category []FacetCount
	Author   []FacetCount
	Site     []FacetCount
	Tag      []FacetCount
	Month    []FacetCount
}

// FacetCount is the number of matching records with one value.
type FacetCount struct {
	Value string
	Count int
}

// QueryError reports a query that cannot run: a syntax error, an unknown
// field, a bad sort or limit. Its message is one line.
type QueryError struct {
	Query string // the text or option at fault
	Msg   string
	// Col is the 1-based column, in runes, of the fault in Query; 0 when
	// it is not known.
	Col int
}

// Error quotes at most quoteRunes of Query, around the fault.
func (e *QueryError) Error() string {
	return fmt.Sprintf("bad query %q: %s", clip(e.Query, e.Col), e.Msg)
}

// quoteRunes is the most of a query an error message quotes: a query
// pasted by mistake (100 KB) gives a one-line error all the same.
const quoteRunes = 80

// clip returns s, or, when it is longer than quoteRunes, the quoteRunes
// of it around the 1-based column col (from the start when col is 0),
// with "…" where it was cut.
func clip(s string, col int) string {
	if utf8.RuneCountInString(s) <= quoteRunes {
		return s
	}
	r := []rune(s)
	start := max(0, col-1-quoteRunes/2)
	end := min(len(r), start+quoteRunes)
	start = max(0, end-quoteRunes)
	out := string(r[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(r) {
		out += "…"
	}
	return out
}
