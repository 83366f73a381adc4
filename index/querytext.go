package index

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/blevesearch/bleve/v2/search/query"
)

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
	start, quoted := 0, false
	eachRune(text, func(col int, r rune, escaped bool) {
		switch {
		case escaped:
		case r == '"':
			quoted = !quoted
		case !quoted && unicode.IsSpace(r):
			if len(cur) > 0 {
				parts = append(parts, queryPart{string(cur), start})
				cur = cur[:0]
			}
			return
		}
		if len(cur) == 0 {
			start = col
		}
		cur = append(cur, r)
	})
	if len(cur) > 0 {
		parts = append(parts, queryPart{string(cur), start})
	}
	return parts
}

// unterminatedQuote returns the 1-based column of a double quote that is
// never closed, or 0.
func unterminatedQuote(text string) int {
	open := 0
	eachRune(text, func(col int, r rune, escaped bool) {
		switch {
		case escaped || r != '"':
		case open == 0:
			open = col
		default:
			open = 0
		}
	})
	return open
}

// eachRune calls fn with each rune of text, its 1-based column, and
// whether a backslash escapes it.
func eachRune(text string, fn func(col int, r rune, escaped bool)) {
	col, escaped := 0, false
	for _, r := range text {
		col++
		fn(col, r, escaped)
		escaped = !escaped && r == '\\'
	}
}

// maxPartBytes bounds a word or quoted phrase of a query: the query
// parser's time grows with the square of a word's length (10 s for one
// word of 100 KB), and no word or phrase of an article is that long.
const maxPartBytes = 1000
