package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"folio"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func mustSearch(t *testing.T, ix *Index, q Query) Result {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 50
	}
	r, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return r
}

// Each row's forms are typed differently (accents, case, elision, number)
// and must all find exactly the same records, the ones listed.
func TestSearchMatchesEveryFormOfAWord(t *testing.T) {
	ix := newCorpusIndex(t)
	tests := []struct {
		forms []string
		want  []string
	}{
		{[]string{"Corée", "coree", "CORÉE", "COREE", "corée"}, []string{"coree-russie", "seoul"}},
		{[]string{"été", "ete", "ÉTÉ", "Été"}, []string{"ete-chaud"}},
		{[]string{"l’Europe", "l'Europe", "L’EUROPE", "europe", "Europe"}, []string{"europe-migrants"}},
		// French and English plurals both stem to the singular.
		{[]string{"migrants", "migrant", "Migrants"}, []string{"channel", "europe-migrants", "migrant-recit"}},
		{[]string{"œuvre", "oeuvre", "ŒUVRE", "OEUVRE"}, []string{"oeuvre-noel"}},
		{[]string{"naïf", "naif"}, []string{"oeuvre-noel"}},
		{[]string{"Noël", "noel", "NOËL"}, []string{"oeuvre-noel"}},
		{[]string{"économie", "economie", "ÉCONOMIE"}, []string{"economie"}},
		{[]string{"Genève", "geneve", "GENEVE"}, []string{"geneve-mots", "geneve-phrase"}},
		{[]string{"s’inquiète", "s'inquiete", "inquiète"}, []string{"seoul"}},
	}
	for _, tt := range tests {
		for _, form := range tt.forms {
			got := hitIDs(mustSearch(t, ix, Query{Text: form}))
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("search %q: hits (-want +got):\n%s", form, diff)
			}
		}
	}
}

func TestSearchRequiresEveryWord(t *testing.T) {
	ix := newCorpusIndex(t)
	tests := []struct {
		text string
		want []string // in rank order when it matters, else sorted
	}{
		// Both countries: only the article about both, not those about one.
		{"corée russie", []string{"coree-russie"}},
		{"Russie Corée", []string{"coree-russie"}},
		// "à" is a French stop word: optional, so it excludes nothing.
		{"l’été à Paris", []string{"ete-chaud"}},
		{"+corée -russie", []string{"seoul"}},
		{"-russie -corée -migrants -climat -genève", []string{"economie", "ete-chaud", "oeuvre-noel"}},
		{"title:migrant", []string{"channel", "europe-migrants", "migrant-recit"}},
		{"title:traversée", []string{"migrant-recit"}},
		// title: and summary: search their field; body: and text: the
		// whole text, as plain words do.
		{"title:corée", []string{"coree-russie"}},
		{"summary:sommet", []string{"geneve-phrase"}},
		{"summary:corée", nil},
		{"body:corée", []string{"coree-russie", "seoul"}},
		{"text:pyongyang", []string{"coree-russie"}},
		// A phrase is in one of title, summary and body, never across:
		// in coree-russie, "Russie" is the title's 9th word and
		// "milliers" the body's 10th.
		{`"envoie des troupes"`, []string{"coree-russie"}},
		{`"russie milliers"`, nil},
		{`"plusieurs milliers"`, []string{"coree-russie"}},
		{"category:monde russie", []string{"coree-russie", "moscou"}},
		{`category:"l'europe"`, []string{"europe-migrants"}},
		{"author:paul*", []string{"geneve-mots", "geneve-phrase", "moscou", "seoul"}},
		{`published:>="2023-02-01" published:<"2023-06-01"`, []string{"channel", "geneve-mots", "geneve-phrase"}},
		{"id:moscou", []string{"moscou"}},
		{`url:"https://news.example.com/2023/05/05/channel/"`, []string{"channel"}},
		{"migra*", []string{"channel", "europe-migrants", "migrant-recit"}},
		// Stop words only, in any language the index holds: nothing.
		{"à", nil},
		{"le la les", nil},
		{"zanzibar", nil},
	}
	for _, tt := range tests {
		got := hitIDs(mustSearch(t, ix, Query{Text: tt.text}))
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("search %q: hits (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestSearchPhraseRanksTheExactArticleFirst(t *testing.T) {
	ix := newCorpusIndex(t)
	phrase := "les négociations sur le climat reprendront à Genève"
	got := hitIDs(mustSearch(t, ix, Query{Text: `"` + phrase + `"`}))
	if diff := cmp.Diff([]string{"geneve-phrase"}, got); diff != "" {
		t.Errorf("quoted phrase: hits (-want +got):\n%s", diff)
	}
	// Unquoted, the words also match the article that repeats them out of
	// order, and the one that has them in its title ranks first.
	got = hitIDs(mustSearch(t, ix, Query{Text: phrase}))
	if diff := cmp.Diff([]string{"geneve-mots", "geneve-phrase"}, got); diff != "" {
		t.Errorf("unquoted phrase: hits (-want +got):\n%s", diff)
	}
	// Without accents, the phrase still matches.
	got = hitIDs(mustSearch(t, ix, Query{Text: `"negociations sur le climat reprendront a geneve"`}))
	if diff := cmp.Diff([]string{"geneve-phrase"}, got); diff != "" {
		t.Errorf("unaccented phrase: hits (-want +got):\n%s", diff)
	}
}

func TestSearchRanksTitleMatchesFirst(t *testing.T) {
	ix := newCorpusIndex(t)
	// "Corée" is in the title of coree-russie, only in the body of seoul.
	got := hitIDs(mustSearch(t, ix, Query{Text: "corée"}))
	if len(got) == 0 || got[0] != "coree-russie" {
		t.Errorf("search corée: hits %v, want coree-russie first", got)
	}
}

func TestSearchFilters(t *testing.T) {
	ix := newCorpusIndex(t)
	at := func(s string) time.Time { return *day(s) }
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"category any case and apostrophe", Query{Category: "l'europe"}, []string{"europe-migrants"}},
		{"category as displayed", Query{Category: "L’Europe"}, []string{"europe-migrants"}},
		{"category without accents", Query{Category: "economie"}, []string{"economie"}},
		{"category", Query{Category: "Monde"}, []string{"coree-russie", "moscou", "seoul"}},
		{"author", Query{Author: "claire martin"}, []string{"coree-russie", "europe-migrants", "oeuvre-noel"}},
		{"author is whole", Query{Author: "claire"}, nil},
		{"site", Query{Site: "news.example.com"}, []string{"channel"}},
		{"tag", Query{Tag: "russie"}, []string{"coree-russie", "moscou"}},
		{"tag with accent", Query{Tag: "temoignage"}, []string{"migrant-recit"}},
		{"since", Query{Since: at("2023-01-01")}, []string{"channel", "economie", "geneve-mots", "geneve-phrase", "seoul"}},
		{"since and until", Query{Since: at("2022-01-01"), Until: at("2023-01-01")}, []string{"coree-russie", "ete-chaud", "europe-migrants"}},
		{"until", Query{Until: at("2020-12-01")}, []string{"oeuvre-noel"}},
		{"since is inclusive", Query{Since: at("2022-11-07"), Until: at("2022-11-08")}, []string{"coree-russie"}},
		{"until is exclusive", Query{Since: at("2022-11-06"), Until: at("2022-11-07")}, nil},
		{"text and category", Query{Text: "migrants", Category: "Société"}, []string{"migrant-recit"}},
		{"text and author", Query{Text: "climat", Author: "Paul Durand"}, []string{"geneve-mots", "geneve-phrase"}},
		{"text, tag and dates", Query{Text: "troupes", Tag: "Russie", Since: at("2022-01-01")}, []string{"coree-russie"}},
		{"every filter", Query{Text: "migrants", Category: "l’europe", Author: "claire martin", Site: "blog.example.fr", Tag: "migrations",
			Since: at("2022-06-20"), Until: at("2022-06-21")}, []string{"europe-migrants"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustSearch(t, ix, tt.q)
			got := hitIDs(r)
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
			if r.Total != uint64(len(tt.want)) {
				t.Errorf("total %d, want %d", r.Total, len(tt.want))
			}
		})
	}
}

func TestSearchSorts(t *testing.T) {
	ix := newCorpusIndex(t)
	oldestFirst := []string{
		"oeuvre-noel", "migrant-recit", "moscou", "europe-migrants", "ete-chaud", "coree-russie",
		"seoul", "geneve-phrase", "geneve-mots", "channel", "economie",
	}
	newestFirst := slices.Clone(oldestFirst)
	slices.Reverse(newestFirst)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"date", Query{Sort: SortDate}, oldestFirst},
		{"-date", Query{Sort: SortDateDesc}, newestFirst},
		{"no text defaults to newest first", Query{}, newestFirst},
		{"page", Query{Sort: SortDate, Limit: 3, Offset: 3}, []string{"europe-migrants", "ete-chaud", "coree-russie"}},
		{"last page", Query{Sort: SortDate, Limit: 5, Offset: 10}, []string{"economie"}},
		{"text by date", Query{Text: "migrants", Sort: SortDate}, []string{"migrant-recit", "europe-migrants", "channel"}},
		{"text by -date", Query{Text: "migrants", Sort: SortDateDesc}, []string{"channel", "europe-migrants", "migrant-recit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustSearch(t, ix, tt.q)
			if diff := cmp.Diff(tt.want, hitIDs(r)); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
	r := mustSearch(t, ix, Query{Sort: SortDate, Limit: 3})
	if r.Total != uint64(len(corpus)) {
		t.Errorf("total %d with limit 3, want %d", r.Total, len(corpus))
	}
}

func TestSearchLimitDefault(t *testing.T) {
	ix := newCorpusIndex(t)
	r, err := ix.Search(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != DefaultLimit {
		t.Errorf("%d hits, want the default %d", len(r.Hits), DefaultLimit)
	}
}

func TestSearchFacets(t *testing.T) {
	ix := newCorpusIndex(t)
	counts := func(fc []FacetCount) map[string]int {
		m := map[string]int{}
		for _, c := range fc {
			m[c.Value] = c.Count
		}
		return m
	}
	r := mustSearch(t, ix, Query{Facets: true})
	checks := []struct {
		name string
		got  []FacetCount
		want map[string]int
	}{
		{"category", r.Facets.Category, map[string]int{"Monde": 3, "Climat": 3, "L’Europe": 1, "Société": 1, "Culture": 1, "World": 1, "Économie": 1}},
		{"author", r.Facets.Author, map[string]int{"Paul Durand": 4, "Claire Martin": 3, "Léa Bernard": 3, "John Smith": 1}},
		{"site", r.Facets.Site, map[string]int{"blog.example.fr": 10, "news.example.com": 1}},
		{"tag", r.Facets.Tag, map[string]int{"Corée": 2, "Russie": 2, "Migrations": 2, "Ukraine": 1, "Témoignage": 1}},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, counts(c.got)); diff != "" {
			t.Errorf("%s facet (-want +got):\n%s", c.name, diff)
		}
		for i := 1; i < len(c.got); i++ {
			if c.got[i].Count > c.got[i-1].Count {
				t.Errorf("%s facet not by count: %v", c.name, c.got)
			}
		}
	}
	wantMonths := []FacetCount{
		{"2024-01", 1}, {"2023-05", 1}, {"2023-03", 1}, {"2023-02", 1}, {"2023-01", 1}, {"2022-11", 1},
		{"2022-08", 1}, {"2022-06", 1}, {"2021-03", 1}, {"2020-12", 1}, {"2019-12", 1},
	}
	if diff := cmp.Diff(wantMonths, r.Facets.Month); diff != "" {
		t.Errorf("month facet (-want +got):\n%s", diff)
	}

	// Facets count what the query matched, not the whole index.
	r = mustSearch(t, ix, Query{Text: "migrants", Facets: true})
	if diff := cmp.Diff(map[string]int{"L’Europe": 1, "Société": 1, "World": 1}, counts(r.Facets.Category)); diff != "" {
		t.Errorf("category facet of migrants (-want +got):\n%s", diff)
	}
	r = mustSearch(t, ix, Query{Text: "climat", Facets: false})
	if r.Facets.Category != nil {
		t.Errorf("facets %v without asking", r.Facets)
	}
}

func TestSearchSnippetsMarkMatchedWords(t *testing.T) {
	ix := newCorpusIndex(t)
	mark := func(w string) string { return MarkStart + w + MarkEnd }
	tests := []struct {
		text, id string
		want     []string // the snippets, exactly
	}{
		{"russie", "moscou", []string{
			"La " + mark("Russie") + " masse des troupes à la frontière, affirment les services de renseignement occidentaux.",
		}},
		{"coree", "seoul", []string{
			"La " + mark("Corée") + " du Sud a convoqué son conseil de sécurité après trois tirs de missiles balistiques.",
		}},
		// Only the summary has the word.
		{"sommet", "geneve-phrase", []string{"Report d’un " + mark("sommet") + "."}},
		// Only the title has it: the summary, unmarked.
		{"moscou", "moscou", []string{"Le ministère russe des affaires étrangères hausse le ton."}},
		{`"négociations sur le climat"`, "geneve-phrase", []string{
			"Les diplomates l’ont confirmé hier : les " + mark("négociations") + " sur le " + mark("climat") + " reprendront à Genève en mars.",
		}},
		// No words: the lead of the summary, unmarked.
		{"", "economie", []string{"L’Insee revoit sa prévision."}},
		{"-russie", "economie", []string{"L’Insee revoit sa prévision."}},
	}
	for _, tt := range tests {
		r := mustSearch(t, ix, Query{Text: tt.text})
		i := slices.IndexFunc(r.Hits, func(h Hit) bool { return h.ID == tt.id })
		if i < 0 {
			t.Errorf("search %q: no hit %s in %v", tt.text, tt.id, hitIDs(r))
			continue
		}
		if diff := cmp.Diff(tt.want, r.Hits[i].Snippets); diff != "" {
			t.Errorf("search %q: snippets of %s (-want +got):\n%s", tt.text, tt.id, diff)
		}
	}

	// A long body gives a one-line passage around the match, cut between
	// words.
	r := mustSearch(t, ix, Query{Text: "Kremlin"})
	if len(r.Hits) != 1 || len(r.Hits[0].Snippets) != 1 {
		t.Fatalf("search Kremlin: %+v", r.Hits)
	}
	s := r.Hits[0].Snippets[0]
	if !strings.Contains(s, mark("Kremlin")) || strings.ContainsAny(s, "\n\t") {
		t.Errorf("snippet %q: want Kremlin marked, on one line", s)
	}
	if got := Mark(s, "[", "]"); !strings.Contains(got, "[Kremlin]") || strings.Contains(got, MarkStart) {
		t.Errorf("Mark(%q) = %q", s, got)
	}
}

func TestSearchHitFields(t *testing.T) {
	ix := newCorpusIndex(t)
	r := mustSearch(t, ix, Query{Text: "id:channel"})
	if len(r.Hits) != 1 {
		t.Fatalf("hits %v", hitIDs(r))
	}
	h := r.Hits[0]
	h.Score, h.Snippets = 0, nil
	want := Hit{
		ID: "channel", URL: "https://news.example.com/2023/05/05/channel/", Title: "Migrants cross the Channel in record numbers",
		Published: time.Date(2023, 5, 5, 8, 30, 0, 0, time.UTC), Category: "World",
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("hit (-want +got):\n%s", diff)
	}
}

func TestSearchFuzzy(t *testing.T) {
	ix := newCorpusIndex(t)
	if got := hitIDs(mustSearch(t, ix, Query{Text: "koree"})); len(got) != 0 {
		t.Errorf("koree without fuzzy: hits %v, want none", got)
	}
	got := hitIDs(mustSearch(t, ix, Query{Text: "koree", Fuzzy: true}))
	for _, id := range []string{"coree-russie", "seoul"} {
		if !slices.Contains(got, id) {
			t.Errorf("koree with fuzzy: hits %v, want %s among them", got, id)
		}
	}
	got = hitIDs(mustSearch(t, ix, Query{Text: "genevve~1"}))
	slices.Sort(got)
	if diff := cmp.Diff([]string{"geneve-mots", "geneve-phrase"}, got); diff != "" {
		t.Errorf("genevve~1: hits (-want +got):\n%s", diff)
	}
}

func TestSearchBadQueries(t *testing.T) {
	ix := newCorpusIndex(t)
	tests := []struct {
		q    Query
		want string // in the message
	}{
		{Query{Text: `"corée russie`}, "unterminated quote at column 1"},
		{Query{Text: `russie "corée`}, "unterminated quote at column 8"},
		{Query{Text: `corée"`}, "unterminated quote at column 6"},
		{Query{Text: `russie corée" climat`}, "unterminated quote at column 13"},
		{Query{Text: "title:"}, `column 1 in "title:": a field needs a value`},
		{Query{Text: "^2 corée"}, `column 1 in "^2": ^ boosts the word before it`},
		{Query{Text: "url:https://x.fr/"}, `quote a value that holds ':'`},
		{Query{Text: "corée^x"}, "invalid boost value"},
		{Query{Text: "corée~3"}, "fuzziness corée~3 is more than 2"},
		{Query{Text: "/cor(ée/"}, "regexp /cor(ée/: missing closing )"},
		{Query{Text: "/cor$/"}, "regexp /cor$/: zero width assertions not allowed"},
		{Query{Text: "russie /^cor/"}, `syntax error at column 8 in "/^cor/"`},
		{Query{Text: "published:2022"}, "published takes a range in quotes"},
		{Query{Text: "title:>5"}, `field "title" has no numbers`},
		{Query{Text: `category:>"2022-01-01"`}, `field "category" is not a date`},
		{Query{Text: `published:>"hier"`}, "invalid time"},
		{Query{Text: `published:>"0000-01-01"`}, "unsupported date range"},
		{Query{Since: *day("0001-01-01")}, "unsupported date range"},
		{Query{Sort: "newest"}, `sort must be "relevance", "date" or "-date"`},
		{Query{Limit: -1}, "limit must not be negative"},
		{Query{Offset: -5}, "offset must not be negative"},
		{Query{Since: *day("2023-01-01"), Until: *day("2022-01-01")}, "until must be after since"},
	}
	for _, tt := range tests {
		_, err := ix.Search(context.Background(), tt.q)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("search %+v: error %v, want a *QueryError", tt.q, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
			t.Errorf("search %+v: error %q, want one line containing %q", tt.q, msg, tt.want)
		}
	}
}

// TestSearchNaturalText: punctuation of natural text, as a pasted French
// headline has it, is searched as text, not read as query syntax.
func TestSearchNaturalText(t *testing.T) {
	ix := newCorpusIndex(t)
	tests := []struct {
		text string
		want string // the first hit
	}{
		{"ÉCONOMIE : la croissance ralentit", "economie"},
		{"économie: la croissance ralentit", "economie"},
		{"ECONOMIE :la croissance ralentit", "economie"},
		{"Économie — la croissance ralentit…", "economie"},
		{"« La croissance ralentit » !", "economie"},
		{"La croissance ralentit ?", "economie"},
		{"La croissance ralentit?", "economie"},
		{"Croissance ! Économie !", "economie"},
		{"Négociations : Genève, climat, reprise", "geneve-mots"},
		{"Corée - Russie", "coree-russie"}, // a lone dash excludes nothing
		{"La Corée du Nord envoie des troupes en Russie ?", "coree-russie"},
		{"Séoul s’inquiète = missiles", "seoul"},
		{"missiles:Séoul", "seoul"},     // no such field: its words are text
		{"auteur:Séoul", ""},            // likewise: no record has "auteur"
		{"title:corée", "coree-russie"}, // a field, followed by its value
		{"title: séoul", "seoul"},       // a space after the colon: text
		{"Moscou durcit le ton face à Kiev", "moscou"},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.text})
		if err != nil {
			t.Errorf("search %q: %v", tt.text, err)
			continue
		}
		got := ""
		if len(res.Hits) > 0 {
			got = res.Hits[0].ID
		}
		if got != tt.want {
			t.Errorf("search %q: first hit %q, want %q (hits %v)", tt.text, got, tt.want, hitIDs(res))
		}
	}
}

func TestNaturalText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Russie : la hausse", "Russie   la hausse"},
		{"Russie: la hausse", "Russie  la hausse"},
		{"Russie:hausse", "Russie hausse"},
		{"category:Europe corée", "category:Europe corée"},
		{"+title:corée -tags:x", "+title:corée -tags:x"},
		{`url:"https://x.fr/"`, `url:"https://x.fr/"`},
		{`"Russie : la hausse"`, `"Russie : la hausse"`},
		{"title:", "title:"},
		{"« a » — b … c", "  a     b   c"},
		{"a - b + c", "a   b   c"},
		{"a -b +c", "a -b +c"},
		{"prix ? hausse! cor?e", "prix   hausse  cor?e"},
		{`hausse\?`, `hausse\?`},
		{"published:>=\"2022-01-01\"", "published:>=\"2022-01-01\""},
	}
	for _, tt := range tests {
		if got := naturalText(tt.in); got != tt.want {
			t.Errorf("naturalText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if utf8.RuneCountInString(naturalText(tt.in)) != utf8.RuneCountInString(tt.in) {
			t.Errorf("naturalText(%q) changed the number of runes", tt.in)
		}
	}
}

// TestQueryPartsAndQuotes: a query splits on white space outside double
// quotes, with each part's column in runes; a backslash escapes a space or
// a quote, and an escaped backslash escapes nothing.
func TestQueryPartsAndQuotes(t *testing.T) {
	tests := []struct {
		in         string
		parts      []queryPart
		unclosedAt int
	}{
		{`corée "la russie" x`, []queryPart{{"corée", 1}, {`"la russie"`, 7}, {"x", 19}}, 0},
		{`a\ b c`, []queryPart{{`a\ b`, 1}, {"c", 6}}, 0},
		{`\"a b`, []queryPart{{`\"a`, 1}, {"b", 5}}, 0},
		{`"a b`, []queryPart{{`"a b`, 1}}, 1},
		{`a "b" "c`, []queryPart{{"a", 1}, {`"b"`, 3}, {`"c`, 7}}, 7},
		{`\\"a`, []queryPart{{`\\"a`, 1}}, 3},
		{`a\\\"`, []queryPart{{`a\\\"`, 1}}, 0},
		{"  ", nil, 0},
	}
	for _, tt := range tests {
		if got := queryParts(tt.in); !slices.Equal(got, tt.parts) {
			t.Errorf("queryParts(%q) = %v, want %v", tt.in, got, tt.parts)
		}
		if got := unterminatedQuote(tt.in); got != tt.unclosedAt {
			t.Errorf("unterminatedQuote(%q) = %d, want %d", tt.in, got, tt.unclosedAt)
		}
	}
}

// TestSearchLongQueryError: an error about a query of 100 KB quotes at
// most 80 characters of it, around the fault; a word of 100 KB, which
// would hold the query parser for seconds, is refused by its length before
// any parsing (the error says so).
func TestSearchLongQueryError(t *testing.T) {
	ix := newCorpusIndex(t)
	words := strings.Repeat("corée ", 100_000/6)
	tooLong := fmt.Sprintf("more than %d", maxPartBytes)
	for _, tt := range []struct {
		text, fault string
		byLength    bool
	}{
		{words + `"russie`, `"russie`, false},
		{words + `russie" ` + words, `russie"`, false},
		{"corée title:>5 " + words, "title:>5", false},
		{"corée /cor$/ " + words, "/cor$/", false},
		{strings.Repeat("x", 100_000) + ":y", "xxx", true},
		{"corée " + strings.Repeat("x", 1001), "xxx", true},
	} {
		_, err := ix.Search(context.Background(), Query{Text: tt.text})
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Fatalf("%.30q: error %v, want a *QueryError", tt.fault, err)
		}
		msg := err.Error()
		quoted, _ := strconv.QuotedPrefix(strings.TrimPrefix(msg, "bad query "))
		unq, _ := strconv.Unquote(quoted)
		if n := utf8.RuneCountInString(strings.Trim(unq, "…")); n > quoteRunes || !strings.Contains(unq, tt.fault) {
			t.Errorf("error quotes %d characters of the query (%q), want at most %d around %q", n, unq, quoteRunes, tt.fault)
		}
		if n := utf8.RuneCountInString(msg); n > 500 {
			t.Errorf("error of %d characters: %.200q…", n, msg)
		}
		if tt.byLength && !strings.Contains(msg, tooLong) {
			t.Errorf("%.30q…: %q, want the word refused by its length (%s)", tt.fault, msg, tooLong)
		}
	}
}

func TestSearchCancelled(t *testing.T) {
	ix := newCorpusIndex(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, Query{Text: "corée"}); !errors.Is(err, context.Canceled) {
		t.Errorf("search with a cancelled context: %v, want context.Canceled", err)
	}
}

// FuzzSearchText holds that any text either runs or gives a *QueryError,
// and never panics.
func FuzzSearchText(f *testing.F) {
	for _, s := range []string{
		"corée russie", `"les négociations sur le climat"`, "+corée -russie", "title:migrant", "category:\"l'europe\"",
		"migra*", "/mig.*/", "koree~1", "corée^2", `published:>="2023-02-01"`, "title:", "corée +", `"x`, "a:b:c", "à", "",
	} {
		f.Add(s)
	}
	ix := newCorpusIndex(f)
	f.Fuzz(func(t *testing.T, text string) {
		_, err := ix.Search(context.Background(), Query{Text: text, Limit: 3})
		var qe *QueryError
		if err != nil && !errors.As(err, &qe) {
			t.Errorf("search %q: %v is not a *QueryError", text, err)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("search %q: message %q has more than one line", text, err)
		}
		if err != nil && utf8.RuneCountInString(err.Error()) > 500 {
			t.Errorf("search %q: message of %d characters", text, utf8.RuneCountInString(err.Error()))
		}
	})
}

// A word once in the title outweighs the same word twice in a body of the
// same length: the title counts titleWeight times.
func TestSearchTitleWeighsMoreThanTheBody(t *testing.T) {
	filler := strings.Repeat("Le conseil municipal a voté le budget de la ville pour l’année prochaine. ", 8)
	recs := []folio.Article{
		{ID: "titre", URL: "https://blog.example.fr/titre/", Title: "Sécheresse dans le Sud", Language: "fr",
			Body: filler + "Les agriculteurs attendent la pluie depuis des semaines."},
		{ID: "corps", URL: "https://blog.example.fr/corps/", Title: "Le budget municipal adopté", Language: "fr",
			Body: filler + "La sécheresse inquiète, la sécheresse dure."},
	}
	ix := newIndexOf(t, recs)
	got := hitIDs(mustSearch(t, ix, Query{Text: "sécheresse"}))
	if diff := cmp.Diff([]string{"titre", "corps"}, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

// Hits and months keep the offset the record was published with: bleve
// gives dates back in UTC, which would move an article published at
// midnight in Paris to the day before, and one published in the evening in
// New York to the next month.
func TestSearchKeepsThePublicationOffset(t *testing.T) {
	paris := time.FixedZone("", 3600)
	newYork := time.FixedZone("", -5*3600)
	midnight := time.Date(2022, 11, 7, 0, 0, 0, 0, paris)
	evening := time.Date(2022, 11, 30, 22, 15, 0, 0, newYork)
	recs := []folio.Article{
		{ID: "minuit", URL: "https://blog.example.fr/2022/11/07/minuit/", Title: "Minuit à Paris", Published: &midnight},
		{ID: "evening", URL: "https://news.example.com/2022/11/30/evening/", Title: "Evening in New York", Language: "en", Published: &evening},
	}
	ix := newIndexOf(t, recs)
	r := mustSearch(t, ix, Query{Sort: SortDate, Facets: true})
	var got []string
	for _, h := range r.Hits {
		got = append(got, h.ID+" "+h.Published.Format(time.RFC3339))
	}
	want := []string{"minuit 2022-11-07T00:00:00+01:00", "evening 2022-11-30T22:15:00-05:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]FacetCount{{"2022-11", 2}}, r.Facets.Month); diff != "" {
		t.Errorf("month facet (-want +got):\n%s", diff)
	}
}

// A word typed twice is one condition, not two that bleve would both step
// through; the hits are the same.
func TestSearchRepeatedWordIsOneCondition(t *testing.T) {
	ix := newCorpusIndex(t)
	m, err := ix.textQuery("migrants Migrants migrants", false)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.required); n != 2 {
		t.Errorf("%d required clauses for migrants Migrants migrants, want 2 (the spellings differ)", n)
	}
	want := hitIDs(mustSearch(t, ix, Query{Text: "migrants"}))
	if got := hitIDs(mustSearch(t, ix, Query{Text: "migrants migrants"})); !slices.Equal(got, want) {
		t.Errorf("migrants migrants finds %v, migrants %v", got, want)
	}
}

// TestSearchFindsWordsWithSoftHyphens covers pages that set soft hyphens
// (&shy;) in long words: the words are found as people type them, with or
// without the hyphens, and the snippet marks the word as printed.
func TestSearchFindsWordsWithSoftHyphens(t *testing.T) {
	ctx := context.Background()
	a := folio.Article{ID: "bka", URL: "https://news.example/bka", Language: "de",
		Title: "Mes\u00adsen\u00adger\u00addiens\u00adte sind kein rechts\u00adfrei\u00ader Raum",
		Body:  "Der Zu\u00adgang zu den Diens\u00adten ist frei. Die Behörden sehen die Ent\u00adwick\u00adlung mit Sorge."}
	ix := newIndexOf(t, []folio.Article{a})
	for _, q := range []string{"Messengerdienste", "messengerdienste", "title:rechtsfreier", `"rechtsfreier Raum"`, "Entwicklung", "Ent\u00adwick\u00adlung"} {
		r, err := ix.Search(ctx, Query{Text: q})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := hitIDs(r); !slices.Equal(got, []string{"bka"}) {
			t.Errorf("%s finds %v, want [bka]", q, got)
		}
	}
	r, err := ix.Search(ctx, Query{Text: "Entwicklung"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Hits) != 1 || len(r.Hits[0].Snippets) == 0 || !strings.Contains(r.Hits[0].Snippets[0], MarkStart+"Ent\u00adwick\u00adlung"+MarkEnd) {
		t.Errorf("hits %+v, want one whose snippet marks Ent\u00adwick\u00adlung", r.Hits)
	}
}
