package index

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"folio"
	"folio/internal/testsite/wpsite"
)

// The relevance tests index the fixture site's ground truth (the records an
// extractor should produce from its pages) and hold searches to what that
// ground truth says, computed here without the index's own analysis.

const relevanceArticles = 120

// siteCorpus is the fixture site's records, and the same records as
// wpsite gives them (with the Phrase unique to each).
type siteCorpus struct {
	ix    *Index
	truth []wpsite.Article
	byURL map[string]wpsite.Article
}

func newSiteCorpus(t *testing.T) *siteCorpus {
	t.Helper()
	site := wpsite.New(wpsite.Options{Articles: relevanceArticles})
	c := &siteCorpus{truth: site.Expected("https://radio.example"), byURL: map[string]wpsite.Article{}}
	records := make([]folio.Article, len(c.truth))
	for i, w := range c.truth {
		published := w.Published
		records[i] = folio.Article{
			ID: folio.ArticleID(w.URL), URL: w.URL, Site: folio.SiteOf(w.URL),
			Title: w.Title, Published: &published, Category: w.Category, Categories: w.Categories,
			Tags: w.Tags, Author: w.Author, Language: w.Language, Summary: w.Summary, Body: w.Body,
		}
		c.byURL[w.URL] = w
	}
	c.ix = newIndexOf(t, records)
	return c
}

// urls searches q for every match, and returns their URLs in rank order.
func (c *siteCorpus) urls(t *testing.T, q Query) []string {
	t.Helper()
	q.Limit = 10 * relevanceArticles
	r, err := c.ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.URL
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// plain lower-cases s and strips its accents the way a reader typing on a
// keyboard without them would: é → e, œ → oe, ’ → '.
func plain(s string) string {
	s = strings.NewReplacer("œ", "oe", "Œ", "OE", "æ", "ae", "Æ", "AE", "’", "'").Replace(s)
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		panic(err)
	}
	return strings.ToLower(out)
}

// TestRelevancePhraseRanksItsArticleFirst: each article's phrase (six words
// of its body no other article has) finds that article first, quoted or
// not, typed with or without accents, in any case.
func TestRelevancePhraseRanksItsArticleFirst(t *testing.T) {
	c := newSiteCorpus(t)
	for _, a := range c.truth {
		if a.Phrase == "" {
			t.Fatalf("%s has no phrase", a.URL)
		}
		for _, text := range []string{
			`"` + a.Phrase + `"`,
			`"` + plain(a.Phrase) + `"`,
			`"` + strings.ToUpper(a.Phrase) + `"`,
			a.Phrase,
			plain(a.Phrase),
		} {
			got := c.urls(t, Query{Text: text})
			if len(got) == 0 || got[0] != a.URL {
				t.Errorf("search %s: first hits %v, want %s first", text, got[:min(3, len(got))], a.URL)
			}
			if strings.HasPrefix(text, `"`) && len(got) != 1 {
				t.Errorf("search %s: %d hits, want only %s", text, len(got), a.URL)
			}
		}
	}
}

// elided matches a word with an elided article or pronoun glued to it:
// l’enjeu, d’accueil, qu’un.
var elided = regexp.MustCompile(`(?i)\b(?:l|d|j|m|n|s|t|c|qu)’(\p{L}{4,})`)

// TestRelevanceElidedForms: a word is found the same with its elision
// (typographic or straight apostrophe) or without it, and the article it
// comes from is among the hits.
func TestRelevanceElidedForms(t *testing.T) {
	c := newSiteCorpus(t)
	tried := 0
	for i, a := range c.truth {
		if i%10 != 0 {
			continue
		}
		m := elided.FindStringSubmatch(a.Body)
		if m == nil {
			continue
		}
		tried++
		forms := []string{m[0], strings.ReplaceAll(m[0], "’", "'"), m[1], strings.ToUpper(m[0])}
		want := sorted(c.urls(t, Query{Text: forms[0]}))
		if !slices.Contains(want, a.URL) {
			t.Errorf("search %s: %s, whose body has it, is not among the hits", forms[0], a.URL)
		}
		for _, f := range forms[1:] {
			if got := sorted(c.urls(t, Query{Text: f})); !slices.Equal(got, want) {
				t.Errorf("search %s finds %d records, %s finds %d: want the same", f, len(got), forms[0], len(want))
			}
		}
	}
	if tried < 5 {
		t.Errorf("only %d articles with an elided word", tried)
	}
}

// wordsOf returns the words of the text fields of a, lower-cased and
// without accents.
func wordsOf(a wpsite.Article) map[string]bool {
	words := map[string]bool{}
	split := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }
	for _, text := range []string{a.Title, a.Summary, a.Body} {
		for _, w := range strings.FieldsFunc(plain(strings.ReplaceAll(text, "’", "'")), func(r rune) bool { return split(r) || r == '\'' }) {
			words[w] = true
			// Hyphenated words are also their parts (Corée-du-Nord).
			for _, part := range strings.Split(w, "-") {
				words[part] = true
			}
		}
	}
	return words
}

// TestRelevanceAccentsCaseAndStems: a word typed with or without accents, in
// any case, singular or plural, finds exactly the articles that contain it
// in one of its forms, and no other.
func TestRelevanceAccentsCaseAndStems(t *testing.T) {
	c := newSiteCorpus(t)
	tests := []struct {
		forms []string // as one may type them
		// in are the forms, without accents, that an article must hold
		// one of to match.
		in []string
	}{
		{[]string{"Corée", "coree", "CORÉE", "corées"}, []string{"coree", "corees"}},
		{[]string{"réfugiés", "refugies", "réfugié", "Réfugié"}, []string{"refugie", "refugies", "refugiee", "refugiees"}},
		{[]string{"enseignants", "enseignant", "ENSEIGNANTS"}, []string{"enseignant", "enseignants", "enseignante", "enseignantes"}},
		{[]string{"négociations", "negociation", "Négociation"}, []string{"negociation", "negociations"}},
		{[]string{"élèves", "eleve", "Élève"}, []string{"eleve", "eleves"}},
		{[]string{"critiques", "critique"}, []string{"critique", "critiques"}},
		{[]string{"syndicats", "syndicat"}, []string{"syndicat", "syndicats"}},
	}
	for _, tt := range tests {
		var want []string
		for _, a := range c.truth {
			words := wordsOf(a)
			if slices.ContainsFunc(tt.in, func(w string) bool { return words[w] }) {
				want = append(want, a.URL)
			}
		}
		want = sorted(want)
		if len(want) == 0 {
			t.Errorf("no article holds any of %v: pick another word", tt.in)
			continue
		}
		t.Logf("%v: %d of %d articles", tt.in, len(want), len(c.truth))
		for _, f := range tt.forms {
			if diff := cmp.Diff(want, sorted(c.urls(t, Query{Text: f}))); diff != "" {
				t.Errorf("search %s (-want +got):\n%s", f, diff)
			}
		}
	}
}

// TestRelevanceFiltersAndSorts: filters keep exactly the records the ground
// truth says, and sorts order them as their dates do.
func TestRelevanceFiltersAndSorts(t *testing.T) {
	c := newSiteCorpus(t)
	keep := func(pred func(wpsite.Article) bool) []string {
		var out []string
		for _, a := range c.truth {
			if pred(a) {
				out = append(out, a.URL)
			}
		}
		return sorted(out)
	}
	first := c.truth[len(c.truth)/2]
	since := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2022, 6, 1, 0, 0, 0, 0, time.UTC)
	// The most frequent tag.
	tagCounts := map[string]int{}
	tag := ""
	for _, a := range c.truth {
		for _, tg := range a.Tags {
			tagCounts[tg]++
			if tagCounts[tg] > tagCounts[tag] {
				tag = tg
			}
		}
	}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"category", Query{Category: first.Category}, keep(func(a wpsite.Article) bool { return a.Category == first.Category })},
		{"category without accents or case", Query{Category: strings.ToUpper(plain(first.Category))},
			keep(func(a wpsite.Article) bool { return a.Category == first.Category })},
		{"author", Query{Author: first.Author}, keep(func(a wpsite.Article) bool { return a.Author == first.Author })},
		{"tag", Query{Tag: tag}, keep(func(a wpsite.Article) bool { return slices.Contains(a.Tags, tag) })},
		{"tag without accents or case", Query{Tag: strings.ToUpper(plain(tag))}, keep(func(a wpsite.Article) bool { return slices.Contains(a.Tags, tag) })},
		{"site", Query{Site: "radio.example"}, keep(func(wpsite.Article) bool { return true })},
		{"other site", Query{Site: "autre.example"}, nil},
		{"since", Query{Since: since}, keep(func(a wpsite.Article) bool { return !a.Published.Before(since) })},
		{"until", Query{Until: until}, keep(func(a wpsite.Article) bool { return a.Published.Before(until) })},
		{"since and until", Query{Since: since, Until: until},
			keep(func(a wpsite.Article) bool { return !a.Published.Before(since) && a.Published.Before(until) })},
		{"words and category", Query{Text: "coree", Category: first.Category}, keep(func(a wpsite.Article) bool {
			return a.Category == first.Category && wordsOf(a)["coree"]
		})},
		{"words, author and dates", Query{Text: "russie", Author: first.Author, Since: since}, keep(func(a wpsite.Article) bool {
			return a.Author == first.Author && !a.Published.Before(since) && wordsOf(a)["russie"]
		})},
	}
	for _, tt := range tests {
		t.Logf("%s: %d of %d articles", tt.name, len(tt.want), len(c.truth))
		if diff := cmp.Diff(tt.want, sorted(c.urls(t, tt.q)), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: %+v (-want +got):\n%s", tt.name, tt.q, diff)
		}
	}

	byDate := slices.Clone(c.truth)
	sort.SliceStable(byDate, func(i, j int) bool {
		if !byDate[i].Published.Equal(byDate[j].Published) {
			return byDate[i].Published.Before(byDate[j].Published)
		}
		return folio.ArticleID(byDate[i].URL) < folio.ArticleID(byDate[j].URL)
	})
	var oldest []string
	for _, a := range byDate {
		oldest = append(oldest, a.URL)
	}
	if diff := cmp.Diff(oldest, c.urls(t, Query{Sort: SortDate})); diff != "" {
		t.Errorf("sort by date (-want +got):\n%s", diff)
	}
	newest := slices.Clone(oldest)
	slices.Reverse(newest)
	if diff := cmp.Diff(newest, c.urls(t, Query{Sort: SortDateDesc})); diff != "" {
		t.Errorf("sort by date, newest first (-want +got):\n%s", diff)
	}
	// Words sorted by date: the same set as by relevance, in date order.
	var coree []string
	for _, u := range oldest {
		if wordsOf(c.byURL[u])["coree"] {
			coree = append(coree, u)
		}
	}
	if diff := cmp.Diff(coree, c.urls(t, Query{Text: "corée", Sort: SortDate})); diff != "" {
		t.Errorf("corée by date (-want +got):\n%s", diff)
	}
}

// TestRelevanceFacetsCountTheGroundTruth: facets count what the site holds,
// months in the offset each article was published with.
func TestRelevanceFacetsCountTheGroundTruth(t *testing.T) {
	c := newSiteCorpus(t)
	r, err := c.ix.Search(context.Background(), Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]int{"category": {}, "author": {}, "tag": {}, "month": {}}
	for _, a := range c.truth {
		want["category"][a.Category]++
		want["author"][a.Author]++
		for _, tag := range a.Tags {
			want["tag"][tag]++
		}
		want["month"][a.Published.Format("2006-01")]++
	}
	got := map[string]map[string]int{}
	for name, counts := range map[string][]FacetCount{"category": r.Facets.Category, "author": r.Facets.Author, "tag": r.Facets.Tag, "month": r.Facets.Month} {
		got[name] = map[string]int{}
		for _, fc := range counts {
			got[name][fc.Value] = fc.Count
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("facets (-ground truth +index):\n%s", diff)
	}
}
