package index

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	unicodetokenizer "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// MappingVersion identifies the mapping built by newMapping. It is stored in
// the index; an index built with another version must be rebuilt from the
// archive (folio reindex). Bump it whenever an analyzer or a field changes.
//
// Version 2 stores the publication time with its own offset and counts
// months in that offset (version 1 gave both in UTC). Version 3 matches
// words on one text field of title, summary and body, and indexes the body
// nowhere else. Version 4 drops format characters (soft hyphens, zero-width
// spaces, bidirectional marks) from words: "Mes&shy;sen&shy;ger" is found
// by "Messenger".
const MappingVersion = 4

// Analyzer names, as the mapping (and so the stored index) knows them.
const (
	analyzerFrench  = "folio_fr"
	analyzerEnglish = "folio_en"
	analyzerOther   = "folio_other"
	// analyzerKey makes a facet value matchable whatever its case and accents:
	// --category "l'europe" finds "L’Europe".
	analyzerKey = "folio_key"

	stopFrench = "folio_stop_fr"
	// filterFold and filterInvisible are registered with bleve's registry
	// in init, so that an index reopened by any folio binary finds them by
	// name.
	filterFold      = "folio_fold"
	filterInvisible = "folio_invisible"
)

// Document types: the record's language picks one, and each type's default
// analyzer is that language's analyzer.
const (
	typeFrench  = "fr"
	typeEnglish = "en"
	typeOther   = "other"
)

// Field names of the indexed document. Keyword fields hold values as
// displayed (facets, hits); each has a twin with the "_key" suffix analysed
// by analyzerKey for case- and accent-insensitive filters.
const (
	fieldTitle   = "title"
	fieldSummary = "summary"
	fieldBody    = "body"
	// fieldText is title, summary and body together, as elements of an
	// array (see textTitle): plain words match there, on one list of
	// records per word rather than three. The body is indexed only there.
	fieldText      = "text"
	fieldURL       = "url"
	fieldSite      = "site"
	fieldAuthor    = "author"
	fieldCategory  = "category"
	fieldTags      = "tags"
	fieldLanguage  = "language"
	fieldPublished = "published"
	// fieldPublishedText is published as RFC 3339 with the record's own
	// offset, stored only: bleve's datetime fields give back UTC, which
	// would move a French article of 00:30 to the day before.
	fieldPublishedText = "published_rfc3339"
	// fieldMonth is published as "2006-01" in the record's own offset (the
	// month the archive counts it in), so that counts by month are a plain
	// term facet.
	fieldMonth = "month"
	keySuffix  = "_key"
)

// Elements of fieldText's array: the title, summary and body, then the
// title again, titleWeight-1 times, so that a word of the title counts
// titleWeight times as much as a word of the summary or body.
const (
	textTitle = iota
	textSummary
	textBody
)

const titleWeight = 3

// textFieldNames are the fields a query can name for words: title: and
// summary: search their own field, body: and text: the whole text.
var textFieldNames = []string{fieldTitle, fieldSummary, fieldBody, fieldText}

// keywordFields can be filtered on and counted.
var keywordFields = []string{fieldSite, fieldAuthor, fieldCategory, fieldTags, fieldLanguage}

// analyzerOfType is the analyzer of the text fields of each document type.
var analyzerOfType = map[string]string{
	typeFrench:  analyzerFrench,
	typeEnglish: analyzerEnglish,
	typeOther:   analyzerOther,
}

// typeOfLanguage maps a BCP 47 tag to a document type.
func typeOfLanguage(lang string) string {
	primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	switch primary {
	case "fr":
		return typeFrench
	case "en":
		return typeEnglish
	default:
		return typeOther
	}
}

func init() {
	registry.RegisterTokenFilter(filterFold, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
	registry.RegisterTokenFilter(filterInvisible, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return invisibleFilter{}, nil
	})
}

// invisibleFilter drops the format characters inside each token: the soft
// hyphens German and French sites set in long words (Mes&shy;sen&shy;ger),
// zero-width spaces and joiners, bidirectional marks. They print nothing,
// and a word holding one would match no query typed without it. It runs
// first, so that the filters after it see the letters alone.
type invisibleFilter struct{}

func (invisibleFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, token := range input {
		if !isASCII(token.Term) && bytes.ContainsFunc(token.Term, isFormat) {
			token.Term = bytes.Map(dropFormat, token.Term)
		}
	}
	return input
}

func isFormat(r rune) bool { return unicode.Is(unicode.Cf, r) }

func dropFormat(r rune) rune {
	if isFormat(r) {
		return -1
	}
	return r
}

// foldFilter folds each token to ASCII: é → e, ï → i, œ → oe, ’ → '.
// It runs after the stop filter, so that accented stop words ("à", "même")
// still match the stop list, and before the stemmer, which then sees the
// same letters whether the text had accents or not. bleve's own French
// stemmer folds only inside words longer than four runes, and never ï, ë or œ.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, token := range input {
		token.Term = fold(token.Term)
	}
	return input
}

// asciiFold is bleve's table of Lucene's ASCII folding, used here on tokens
// rather than on the whole text.
var asciiFold = asciifolding.New()

func fold(term []byte) []byte {
	if isASCII(term) {
		return term
	}
	return asciiFold.Filter(term)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// frenchStopWords is bleve's French stop list with two changes.
//   - "été" and its forms are dropped: the list has them as participles of
//     "être", but in news "été" is mostly the summer ("l'été 2022"), a word
//     people search for.
//   - The unaccented form of each accented stop word is added ("meme",
//     "etait"), so that a query typed without accents drops the same words
//     as the indexed text did; "fumes" is left out, being a verb of its own.
func frenchStopWords() ([]interface{}, error) {
	words := analysis.NewTokenMap()
	if err := words.LoadBytes(fr.FrenchStopWords); err != nil {
		return nil, fmt.Errorf("load french stop words: %w", err)
	}
	dropped := map[string]bool{"été": true, "étée": true, "étées": true, "étés": true}
	keptFolded := map[string]bool{"fumes": false}
	set := map[string]bool{}
	for w := range words {
		if dropped[w] {
			continue
		}
		set[w] = true
		if folded := string(fold([]byte(w))); folded != w {
			if keep, listed := keptFolded[folded]; !listed || keep {
				set[folded] = true
			}
		}
	}
	sorted := make([]string, 0, len(set))
	for w := range set {
		sorted = append(sorted, w)
	}
	sort.Strings(sorted)
	out := make([]interface{}, len(sorted))
	for i, w := range sorted {
		out[i] = w
	}
	return out, nil
}

// newMapping builds the index mapping. Everything the index knows about
// analysis is here, and MappingVersion must change with it.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	stopWords, err := frenchStopWords()
	if err != nil {
		return nil, err
	}
	steps := []struct {
		what   string
		add    func(string, map[string]interface{}) error
		name   string
		config map[string]interface{}
	}{
		{"token map", m.AddCustomTokenMap, stopFrench, map[string]interface{}{
			"type": tokenmap.Name, "tokens": stopWords,
		}},
		{"token filter", m.AddCustomTokenFilter, stopFrench, map[string]interface{}{
			"type": stop.Name, "stop_token_map": stopFrench,
		}},
		// to_lower before elision, so that "L’Europe" loses its "l’";
		// the fold after the stop list, as foldFilter explains.
		{"analyzer", m.AddCustomAnalyzer, analyzerFrench, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     unicodetokenizer.Name,
			"token_filters": []interface{}{filterInvisible, lowercase.Name, fr.ElisionName, stopFrench, filterFold, fr.LightStemmerName},
		}},
		{"analyzer", m.AddCustomAnalyzer, analyzerEnglish, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     unicodetokenizer.Name,
			"token_filters": []interface{}{filterInvisible, en.PossessiveName, lowercase.Name, en.StopName, filterFold, en.SnowballStemmerName},
		}},
		{"analyzer", m.AddCustomAnalyzer, analyzerOther, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     unicodetokenizer.Name,
			"token_filters": []interface{}{filterInvisible, lowercase.Name, filterFold},
		}},
		{"analyzer", m.AddCustomAnalyzer, analyzerKey, map[string]interface{}{
			"type":          custom.Name,
			"tokenizer":     single.Name,
			"token_filters": []interface{}{filterInvisible, lowercase.Name, filterFold},
		}},
	}
	for _, s := range steps {
		if err := s.add(s.name, s.config); err != nil {
			return nil, fmt.Errorf("add %s %s: %w", s.what, s.name, err)
		}
	}

	m.TypeField = "_type"
	m.DefaultType = typeOther
	m.DefaultAnalyzer = analyzerOther
	// Plain words are expanded over the text fields by rewrite.go; nothing
	// needs the catch-all field, which would index every word twice.
	m.DefaultMapping = documentMapping(analyzerOther)
	m.DefaultMapping.Enabled = true
	m.AddDocumentMapping(typeFrench, documentMapping(analyzerFrench))
	m.AddDocumentMapping(typeEnglish, documentMapping(analyzerEnglish))
	m.AddDocumentMapping(typeOther, documentMapping(analyzerOther))
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("validate mapping: %w", err)
	}
	return m, nil
}

// documentMapping is the mapping of one document type; only the analyzer of
// its text fields differs between types.
func documentMapping(textAnalyzer string) *mapping.DocumentMapping {
	dm := mapping.NewDocumentStaticMapping()
	dm.DefaultAnalyzer = textAnalyzer

	// Title and summary are indexed for title: and summary: queries, and
	// stored for hits and snippets; the body is stored only: its words are
	// indexed in fieldText, which is indexed only. All keep term vectors
	// (positions for phrases, offsets for snippets) and no doc values:
	// nothing sorts or facets on them.
	for _, f := range []struct {
		name         string
		index, store bool
	}{
		{fieldTitle, true, true},
		{fieldSummary, true, true},
		{fieldBody, false, true},
		{fieldText, true, false},
	} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = textAnalyzer
		fm.Index = f.index
		fm.Store = f.store
		fm.IncludeTermVectors = f.index
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(f.name, fm)
	}

	for _, name := range keywordFields {
		display := keywordMapping(name != fieldTags && name != fieldLanguage, true)
		key := mapping.NewTextFieldMapping()
		key.Name = name + keySuffix
		key.Analyzer = analyzerKey
		key.Store = false
		key.IncludeTermVectors = false
		key.IncludeInAll = false
		key.DocValues = false
		dm.AddFieldMappingsAt(name, display, key)
	}

	dm.AddFieldMappingsAt(fieldURL, keywordMapping(true, false))
	dm.AddFieldMappingsAt(fieldMonth, keywordMapping(false, true))

	// The instant, for ranges and sorting; hits read fieldPublishedText.
	published := mapping.NewDateTimeFieldMapping()
	published.Store = false
	published.IncludeInAll = false
	published.DocValues = true
	dm.AddFieldMappingsAt(fieldPublished, published)

	publishedText := keywordMapping(true, false)
	publishedText.Index = false
	dm.AddFieldMappingsAt(fieldPublishedText, publishedText)
	return dm
}

// keywordMapping is a keyword field outside _all, without term vectors.
func keywordMapping(store, docValues bool) *mapping.FieldMapping {
	fm := mapping.NewKeywordFieldMapping()
	fm.Store = store
	fm.IncludeTermVectors = false
	fm.IncludeInAll = false
	fm.DocValues = docValues
	return fm
}
