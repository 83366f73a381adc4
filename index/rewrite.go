package index

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	vellumregexp "github.com/blevesearch/vellum/regexp"
)

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
