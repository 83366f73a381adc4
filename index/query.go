package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	vellumregexp "github.com/blevesearch/vellum/regexp"
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
	// Sort is "relevance" (the default when Text is set), "date" (oldest
	// first) or "-date" (newest first, the default when Text is empty).
	Sort string
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

// Sort orders accepted in Query.Sort.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
	SortDateDesc  = "-date"
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

// maxPartBytes bounds a word or quoted phrase of a query: the query
// parser's time grows with the square of a word's length (10 s for one
// word of 100 KB), and no word or phrase of an article is that long.
const maxPartBytes = 1000

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

// facetSizes bound the values counted per facet; months cover 50 years.
var facetSizes = map[string]int{
	fieldCategory: 100,
	fieldAuthor:   100,
	fieldSite:     100,
	fieldTags:     100,
	fieldMonth:    600,
}

// snippetSummaryRunes is the length of the snippet taken from the summary
// when there is nothing to highlight.
const snippetSummaryRunes = snippetRunes

// Search runs q. A query that cannot run gives a *QueryError.
//
// Snippets are cut in a second search, of the returned hits only: asking
// bleve for highlights makes it decode the term vectors of every matching
// record while it scores them, which took half the time of a search for a
// word found in thousands of records.
func (ix *Index) Search(ctx context.Context, q Query) (_ Result, err error) {
	defer recoverCorrupt("search", ix.dir, &err)
	req, text, err := ix.request(q)
	if err != nil {
		return Result{}, err
	}
	hasWords := text.highlight
	started := time.Now()
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search %s: %w", ix.dir, err)
	}
	var locations map[string]search.FieldTermLocationMap
	if hasWords && len(res.Hits) > 0 {
		if locations, err = ix.locations(ctx, text.words, res.Hits); err != nil {
			return Result{}, err
		}
	}
	out := Result{Total: res.Total, Took: time.Since(started), Hits: make([]Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hitOf(h, locations[h.ID], hasWords))
	}
	if q.Facets {
		out.Facets = facetsOf(res.Facets)
	}
	return out, nil
}

// locations searches words again, in the records of hits only, for where
// they are in each.
func (ix *Index) locations(ctx context.Context, words query.Query, hits search.DocumentMatchCollection) (map[string]search.FieldTermLocationMap, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	q := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), words})
	req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	req.SortBy([]string{"_id"})
	req.IncludeLocations = true
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %s for snippets: %w", ix.dir, err)
	}
	out := make(map[string]search.FieldTermLocationMap, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Locations
	}
	return out, nil
}

// request turns q into a bleve search request, without highlights; it
// returns the rewritten text too, for snippets.
func (ix *Index) request(q Query) (*bleve.SearchRequest, textMatch, error) {
	if q.Limit < 0 {
		return nil, textMatch{}, &QueryError{Query: fmt.Sprint(q.Limit), Msg: "limit must not be negative"}
	}
	if q.Offset < 0 {
		return nil, textMatch{}, &QueryError{Query: fmt.Sprint(q.Offset), Msg: "offset must not be negative"}
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	text, err := ix.textQuery(q.Text, q.Fuzzy)
	if err != nil {
		return nil, textMatch{}, err
	}
	var order []string
	switch q.Sort {
	// Relevance sorts on the score alone: a second key would make bleve
	// read the doc values of every match, not only of the best ones.
	case "":
		order = []string{"-_score"}
		if strings.TrimSpace(q.Text) == "" {
			order = []string{"-" + fieldPublished, "_id"}
		}
	case SortRelevance:
		order = []string{"-_score"}
	case SortDate:
		order = []string{fieldPublished, "_id"}
	case SortDateDesc:
		order = []string{"-" + fieldPublished, "_id"}
	default:
		return nil, textMatch{}, &QueryError{Query: q.Sort, Msg: `sort must be "relevance", "date" or "-date"`}
	}
	if !q.Until.IsZero() && !q.Since.IsZero() && !q.Until.After(q.Since) {
		return nil, textMatch{}, &QueryError{Query: q.Until.Format(time.RFC3339), Msg: "until must be after since " + q.Since.Format(time.RFC3339)}
	}

	// Keyword filters join the words' clauses in one conjunction, as
	// clauses that score nothing: bleve then steps through the shortest
	// list of records and tests the others only on those, where a filter
	// (AddFilter) scores every record the words match before dropping most
	// of them. A date range is a union of many terms, cheaper to test
	// record by record: it stays a filter.
	must := slices.Clone(text.required)
	for _, f := range []struct{ field, value string }{
		{fieldCategory, q.Category}, {fieldAuthor, q.Author}, {fieldSite, q.Site}, {fieldTags, q.Tag},
	} {
		if strings.TrimSpace(f.value) != "" {
			kq := keyQuery(f.field, f.value)
			kq.SetBoost(0)
			must = append(must, kq)
		}
	}
	var final query.Query
	switch len(must) {
	case 0:
		final = query.NewMatchAllQuery()
	case 1:
		final = must[0]
	default:
		final = query.NewConjunctionQuery(must)
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		inclusive, exclusive := true, false
		dr := query.NewDateRangeInclusiveQuery(q.Since, q.Until, &inclusive, &exclusive)
		dr.SetField(fieldPublished)
		if err := dr.Validate(); err != nil {
			return nil, textMatch{}, &QueryError{Query: q.Since.Format(time.DateOnly) + ".." + q.Until.Format(time.DateOnly), Msg: err.Error()}
		}
		bq := query.NewBooleanQuery([]query.Query{final}, nil, nil)
		bq.AddFilter(dr)
		final = bq
	}

	req := bleve.NewSearchRequestOptions(final, limit, q.Offset, false)
	// Body and summary are for snippets: bleve reads every stored field of
	// a hit to return any of them.
	req.Fields = []string{fieldURL, fieldTitle, fieldPublishedText, fieldCategory, fieldSummary}
	req.SortBy(order)
	if text.highlight {
		req.Fields = append(req.Fields, fieldBody)
	}
	if q.Facets {
		for field, size := range facetSizes {
			req.AddFacet(field, bleve.NewFacetRequest(field, size))
		}
	}
	return req, text, nil
}

// keyQuery matches a keyword field's value whatever its case and accents.
func keyQuery(field, value string) *query.MatchQuery {
	mq := query.NewMatchQuery(value)
	mq.SetField(field + keySuffix)
	mq.Analyzer = analyzerKey
	return mq
}

// textMatch is Query.Text rewritten for the index.
type textMatch struct {
	// required are clauses a record must all match; none when the text
	// has no condition.
	required []query.Query
	// words is the condition as one query, for the snippets' search.
	words query.Query
	// highlight tells that the text has words to highlight.
	highlight bool
}

// textQuery parses text with bleve's query-string parser and rewrites what
// it gives for folio's fields and analyzers:
//   - every plain word and phrase is required (bleve makes them optional),
//     unless some indexed language drops it as a stop word;
//   - an unfielded word searches the text field (title, summary and body),
//     analysed with the analyzer of each language the index holds;
//   - category:, author:, site:, tags: and language: ignore case and accents;
//   - unknown fields and ranges on fields that are not dates are errors.
func (ix *Index) textQuery(text string, fuzzy bool) (textMatch, error) {
	if strings.TrimSpace(text) == "" {
		return textMatch{words: query.NewMatchAllQuery()}, nil
	}
	// The parser takes a quote that ends a word (corée") for a letter of
	// it, and one that opens a word ("corée) for a phrase never closed:
	// both are the same slip, an error either way.
	if col := unterminatedQuote(text); col > 0 {
		return textMatch{}, &QueryError{Query: text, Msg: fmt.Sprintf("unterminated quote at column %d", col), Col: col}
	}
	for _, p := range queryParts(text) {
		if len(p.text) > maxPartBytes {
			return textMatch{}, &QueryError{Query: text, Col: p.col,
				Msg: fmt.Sprintf("the word or phrase at column %d is %d bytes long, more than %d", p.col, len(p.text), maxPartBytes)}
		}
	}
	parsed, err := query.NewQueryStringQuery(naturalText(text)).Parse()
	if err != nil {
		msg, col := syntaxMessage(text, err)
		return textMatch{}, &QueryError{Query: text, Msg: msg, Col: col}
	}
	bq, ok := parsed.(*query.BooleanQuery)
	if !ok {
		return textMatch{}, &QueryError{Query: text, Msg: fmt.Sprintf("unexpected %T from the parser", parsed)}
	}
	rw := rewriter{ix: ix, text: text, fuzzy: fuzzy, analyzers: ix.queryAnalyzers()}
	var must, should, mustNot []query.Query
	// A word typed twice ("entreprises entreprises") is one condition:
	// bleve would step through its records twice.
	seen := map[string]bool{}
	for _, c := range append(clausesOf(bq.Must), clausesOf(bq.Should)...) {
		r, err := rw.rewrite(c)
		if err != nil {
			return textMatch{}, err
		}
		if r.q != nil {
			key, err := json.Marshal(r.q)
			if err == nil && seen[string(key)] {
				continue
			}
			seen[string(key)] = true
		}
		switch {
		case r.q == nil:
		case r.optional:
			should = append(should, r.q)
		default:
			must = append(must, r.q)
		}
	}
	out := textMatch{highlight: rw.words} // excluded words have nothing to highlight
	for _, c := range clausesOf(bq.MustNot) {
		r, err := rw.rewrite(c)
		if err != nil {
			return textMatch{}, err
		}
		if r.q != nil {
			mustNot = append(mustNot, r.q)
		}
	}
	if len(must) == 0 && len(should) == 0 {
		if len(mustNot) == 0 {
			// Only stop words: nothing can match them.
			none := query.NewMatchNoneQuery()
			return textMatch{required: []query.Query{none}, words: none}, nil
		}
		must = []query.Query{query.NewMatchAllQuery()}
	}
	words := query.NewBooleanQuery(must, should, mustNot)
	if len(must) == 0 {
		// Only optional words: at least one must match.
		words.SetMinShould(1)
	}
	out.words = words
	// Required clauses alone go straight into the request's conjunction,
	// beside its filters, rather than as a conjunction inside it.
	out.required = []query.Query{words}
	if len(should) == 0 && len(mustNot) == 0 {
		out.required = must
	}
	return out, nil
}

// naturalText blanks the punctuation of natural text that the query-string
// parser would take for syntax, so that a headline pasted as it is
// searches its words: French puts a space before ':', '?' and '!', and
// "Russie : la hausse…" is no field "Russie". Each rune blanked becomes one
// space, so columns stay those of the text typed.
//   - A part made of punctuation alone («, », —, …, :, ?, !, a lone - or +)
//     is blanked: the analyzers drop it anyway, but the parser reads "- x"
//     as excluding x, "?" as a wildcard and "=" as a syntax error.
//   - word:value is a field only when word is a field's name and a value
//     follows the colon at once; any other colon outside quotes is blanked.
//     A field's name followed by nothing ("title:") is left to the parser,
//     whose error says that a field needs a value.
//   - '?' and '!' that end a word are punctuation, not a wildcard.
func naturalText(text string) string {
	runes := []rune(text)
	for _, p := range queryParts(text) {
		part := []rune(p.text)
		at := p.col - 1
		if !slices.ContainsFunc(part, func(r rune) bool {
			return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '"' || r == '\\'
		}) {
			for i := range part {
				runes[at+i] = ' '
			}
			continue
		}
		quoted, escaped, firstColon := false, false, true
		for i, r := range part {
			switch {
			case escaped:
				escaped = false
			case r == '\\':
				escaped = true
			case r == '"':
				quoted = !quoted
			case quoted || r != ':':
			case firstColon && isFieldName(strings.TrimLeft(string(part[:i]), "+-")):
				if i+1 < len(part) {
					// A field: what follows is its value, colons included.
					goto tail
				}
			default:
				runes[at+i] = ' '
			}
			if r == ':' && !quoted {
				firstColon = false
			}
		}
	tail:
		// Trailing ? and ! (outside quotes) end a sentence.
		if !quoted {
			for i := len(part) - 1; i > 0 && (part[i] == '?' || part[i] == '!') && part[i-1] != '\\'; i-- {
				runes[at+i] = ' '
			}
		}
	}
	return string(runes)
}

// isFieldName reports whether name is a field a query may name.
func isFieldName(name string) bool {
	return name == "id" || name == fieldURL || name == fieldPublished || isTextField(name) || isKeywordField(name)
}

// clausesOf returns the clauses of a conjunction or disjunction built by the
// query-string parser.
func clausesOf(q query.Query) []query.Query {
	switch c := q.(type) {
	case nil:
		return nil
	case *query.ConjunctionQuery:
		return c.Conjuncts
	case *query.DisjunctionQuery:
		return c.Disjuncts
	default:
		return []query.Query{q}
	}
}

// syntaxMessage turns the parser's error into one line that points at the
// part of text at fault: bleve says only "syntax error", so each
// space-separated part is parsed alone to find the first that fails.
// It returns the message and the column of the fault (0 when not found).
func syntaxMessage(text string, err error) (string, int) {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	msg = strings.TrimPrefix(msg, "parse error: ")
	if col := unterminatedQuote(text); col > 0 {
		return fmt.Sprintf("unterminated quote at column %d", col), col
	}
	// The parser recovers its own panics on some inputs ("/^x/") and
	// reports them as runtime errors: those are syntax errors too.
	if !strings.Contains(msg, "syntax error") && !strings.Contains(msg, "runtime error") {
		return clip(msg, 0), 0
	}
	msg = "syntax error"
	for _, p := range queryParts(text) {
		if _, err := query.NewQueryStringQuery(naturalText(p.text)).Parse(); err != nil {
			return fmt.Sprintf("syntax error at column %d in %q%s", p.col, clip(p.text, 0), syntaxHint(p.text)), p.col
		}
	}
	return msg, 0
}

func syntaxHint(part string) string {
	switch {
	case strings.HasPrefix(part, "^"):
		return ": ^ boosts the word before it, as in corée^2"
	case strings.HasSuffix(part, ":"):
		return ": a field needs a value, as in category:Europe"
	case strings.Count(part, ":") > 1:
		return `: quote a value that holds ':', as in url:"https://example.org/"`
	case strings.HasPrefix(part, ":"):
		return ": a value needs a field, as in category:Europe"
	}
	return ""
}

// queryPart is one space-separated part of a query, with its 1-based
// column in runes.
type queryPart struct {
	text string
	col  int
}

// queryParts splits text on white space outside double quotes.
func queryParts(text string) []queryPart {
	var parts []queryPart
	var cur []rune
	start, quoted, escaped := 0, false, false
	col := 0
	for _, r := range text {
		col++
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"':
			quoted = !quoted
		case !quoted && unicode.IsSpace(r):
			if len(cur) > 0 {
				parts = append(parts, queryPart{string(cur), start})
				cur = cur[:0]
			}
			continue
		}
		if len(cur) == 0 {
			start = col
		}
		cur = append(cur, r)
	}
	if len(cur) > 0 {
		parts = append(parts, queryPart{string(cur), start})
	}
	return parts
}

// unterminatedQuote returns the 1-based column of a double quote that is
// never closed, or 0.
func unterminatedQuote(text string) int {
	open, escaped := 0, false
	col := 0
	for _, r := range text {
		col++
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case r == '"' && open == 0:
			open = col
		case r == '"':
			open = 0
		}
	}
	return open
}

// queryAnalyzers are the text analyzers of the languages the index holds,
// or of the default language while it holds none.
func (ix *Index) queryAnalyzers() []string {
	ix.typesMu.RLock()
	defer ix.typesMu.RUnlock()
	var names []string
	for _, typ := range []string{typeFrench, typeEnglish, typeOther} {
		if ix.types[typ] {
			names = append(names, analyzerOfType[typ])
		}
	}
	if len(names) == 0 {
		names = []string{analyzerOfType[typeOfLanguage(ix.lang)]}
	}
	return names
}

// maxFuzziness is the most edits bleve's fuzzy search allows.
const maxFuzziness = 2

type rewriter struct {
	ix        *Index
	text      string
	fuzzy     bool
	analyzers []string
	words     bool // a clause has words to highlight
}

// rewritten is one rewritten clause: q is nil when the clause analysed to
// nothing; optional when some language drops it as a stop word.
type rewritten struct {
	q        query.Query
	optional bool
}

// fail builds the QueryError of a clause, its text arguments clipped and
// the column that of the first found in the query.
func (rw *rewriter) fail(format string, args ...interface{}) error {
	col := 0
	for i, a := range args {
		if s, ok := a.(string); ok {
			if at := strings.Index(rw.text, s); col == 0 && s != "" && at >= 0 {
				col = utf8.RuneCountInString(rw.text[:at]) + 1
			}
			args[i] = clip(s, 0)
		}
	}
	return &QueryError{Query: rw.text, Msg: fmt.Sprintf(format, args...), Col: col}
}

func (rw *rewriter) rewrite(q query.Query) (rewritten, error) {
	switch c := q.(type) {
	case *query.MatchQuery:
		if c.Fuzziness > maxFuzziness {
			return rewritten{}, rw.fail("fuzziness %s~%d is more than %d", c.Match, c.Fuzziness, maxFuzziness)
		}
		return rw.matchClause(c.FieldVal, c.Match, c.BoostVal, func(field, analyzer string) query.Query {
			mq := query.NewMatchQuery(c.Match)
			mq.SetField(field)
			mq.Analyzer = analyzer
			mq.Operator = query.MatchQueryOperatorAnd
			mq.Fuzziness = c.Fuzziness
			if c.Fuzziness == 0 && rw.fuzzy {
				mq.SetAutoFuzziness(true)
			}
			return mq
		})
	case *query.MatchPhraseQuery:
		return rw.matchClause(c.FieldVal, c.MatchPhrase, c.BoostVal, func(field, analyzer string) query.Query {
			pq := query.NewMatchPhraseQuery(c.MatchPhrase)
			pq.SetField(field)
			pq.Analyzer = analyzer
			return pq
		})
	case *query.DisjunctionQuery:
		// A bare number: the parser ORs a match with a numeric range, and
		// folio has no numeric field.
		for _, d := range c.Disjuncts {
			if _, ok := d.(*query.MatchQuery); ok {
				return rw.rewrite(d)
			}
		}
		return rewritten{}, rw.fail("unsupported clause")
	case *query.NumericRangeQuery:
		return rewritten{}, rw.fail("field %q has no numbers; dates take quotes: published:>=\"2022-01-31\"", c.FieldVal)
	case *query.DateRangeQuery:
		if c.FieldVal != fieldPublished {
			return rewritten{}, rw.fail("field %q is not a date; only published is", c.FieldVal)
		}
		// A day the index cannot hold (year 0) fails the search itself
		// otherwise.
		if err := c.Validate(); err != nil {
			return rewritten{}, rw.fail("published: %s", err.Error())
		}
		return rewritten{q: c}, nil
	case *query.WildcardQuery:
		return rw.pattern(c.FieldVal, c.Wildcard, func(field, pattern string) query.Query {
			wq := query.NewWildcardQuery(pattern)
			wq.SetField(field)
			return wq
		})
	case *query.RegexpQuery:
		// bleve runs regexps on the term dictionary with vellum, which
		// refuses some of Go's syntax (^, $, \b): ask it first.
		if _, err := vellumregexp.New(c.Regexp); err != nil {
			return rewritten{}, rw.fail("regexp /%s/: %s", c.Regexp, strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		return rw.pattern(c.FieldVal, c.Regexp, func(field, pattern string) query.Query {
			rq := query.NewRegexpQuery(pattern)
			rq.SetField(field)
			return rq
		})
	default:
		return rewritten{}, rw.fail("unsupported clause %T", q)
	}
}

// matchClause rewrites a match or phrase clause on field ("" for plain
// words).
func (rw *rewriter) matchClause(field, text string, boost *query.Boost, build func(field, analyzer string) query.Query) (rewritten, error) {
	switch {
	case field == "" || isTextField(field):
		variants, optional := rw.variants(text)
		if len(variants) == 0 {
			return rewritten{}, nil
		}
		rw.words = true
		var perAnalyzer []query.Query
		for _, a := range variants {
			perAnalyzer = append(perAnalyzer, build(wordsField(field), a))
		}
		out := oneOrAny(perAnalyzer)
		if boost != nil {
			setBoost(out, float64(*boost))
		}
		return rewritten{q: out, optional: optional}, nil
	case isKeywordField(field):
		kq := keyQuery(field, text)
		if boost != nil {
			setBoost(kq, float64(*boost))
		}
		return rewritten{q: kq}, nil
	case field == fieldURL:
		tq := query.NewTermQuery(text)
		tq.SetField(fieldURL)
		return rewritten{q: tq}, nil
	case field == "id":
		return rewritten{q: query.NewDocIDQuery([]string{text})}, nil
	case field == fieldPublished:
		return rewritten{}, rw.fail("published takes a range in quotes: published:>=\"2022-01-31\"")
	default:
		return rewritten{}, rw.unknownField(field)
	}
}

// pattern rewrites a wildcard or regexp clause. Patterns match indexed
// terms, which are lower-cased and folded, so the pattern is too.
func (rw *rewriter) pattern(field, pattern string, build func(field, pattern string) query.Query) (rewritten, error) {
	folded := foldPattern(pattern)
	switch {
	case field == "" || isTextField(field):
		rw.words = true
		return rewritten{q: build(wordsField(field), folded)}, nil
	case isKeywordField(field):
		return rewritten{q: build(field+keySuffix, folded)}, nil
	default:
		return rewritten{}, rw.unknownField(field)
	}
}

func (rw *rewriter) unknownField(field string) error {
	known := []string{"id", fieldURL, fieldPublished}
	known = append(known, textFieldNames...)
	known = append(known, keywordFields...)
	sort.Strings(known)
	return rw.fail("unknown field %q; fields are %s", field, strings.Join(known, ", "))
}

// variants returns the analyzers that give distinct token streams for text,
// leaving out those that give none. optional reports that some analyzer
// gives none: the text is a stop word in that language, and requiring it
// would exclude every record of that language.
func (rw *rewriter) variants(text string) (names []string, optional bool) {
	var streams []analysis.TokenStream
	for _, name := range rw.analyzers {
		tokens := rw.ix.analyzers[name].Analyze([]byte(text))
		if len(tokens) == 0 {
			optional = true
			continue
		}
		if slices.ContainsFunc(streams, func(s analysis.TokenStream) bool { return sameTerms(s, tokens) }) {
			continue
		}
		streams = append(streams, tokens)
		names = append(names, name)
	}
	return names, optional
}

func sameTerms(a, b analysis.TokenStream) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if string(a[i].Term) != string(b[i].Term) || a[i].Position != b[i].Position {
			return false
		}
	}
	return true
}

func foldPattern(pattern string) string {
	return string(fold([]byte(strings.ToLower(pattern))))
}

// wordsField is the indexed field that words of a query's field ("" for
// plain words) are matched in: title: and summary: their own, the others
// the text field.
func wordsField(field string) string {
	if field == fieldTitle || field == fieldSummary {
		return field
	}
	return fieldText
}

func isTextField(field string) bool {
	return slices.Contains(textFieldNames, field)
}

func isKeywordField(field string) bool {
	return slices.Contains(keywordFields, field)
}

func oneOrAny(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

func setBoost(q query.Query, boost float64) {
	if boost == 1 {
		return
	}
	if b, ok := q.(query.BoostableQuery); ok {
		b.SetBoost(b.Boost() * boost)
	}
}

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
		hit.Snippets = snippetsOf(h.ID, h.Fields, locations)
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
func snippetsOf(id string, fields map[string]interface{}, locations search.FieldTermLocationMap) []string {
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
	dm := &search.DocumentMatch{ID: id, Locations: inFields}
	doc := document.NewDocument(id)
	for _, field := range []string{fieldBody, fieldSummary} {
		if s, ok := fields[field].(string); ok && s != "" {
			doc.AddField(document.NewTextField(field, nil, []byte(s)))
		}
	}
	marked := func(fragments []string) bool {
		return slices.ContainsFunc(fragments, func(f string) bool { return strings.Contains(f, MarkStart) })
	}
	body := snippetHighlighter.BestFragmentsInField(dm, doc, fieldBody, 1)
	if marked(body) {
		return body
	}
	if summary := snippetHighlighter.BestFragmentsInField(dm, doc, fieldSummary, 1); len(summary) > 0 {
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

// facetsOf converts bleve's facet results.
func facetsOf(results search.FacetResults) Facets {
	counts := func(field string) []FacetCount {
		fr, ok := results[field]
		if !ok || fr.Terms == nil {
			return nil
		}
		var out []FacetCount
		for _, t := range fr.Terms.Terms() {
			out = append(out, FacetCount{Value: t.Term, Count: t.Count})
		}
		return out
	}
	months := counts(fieldMonth)
	sort.Slice(months, func(i, j int) bool { return months[i].Value > months[j].Value })
	return Facets{
		Category: counts(fieldCategory),
		Author:   counts(fieldAuthor),
		Site:     counts(fieldSite),
		Tag:      counts(fieldTags),
		Month:    months,
	}
}
