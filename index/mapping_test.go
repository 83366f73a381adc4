package index

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func analyze(t *testing.T, analyzer, text string) []string {
	t.Helper()
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := m.AnalyzeText(analyzer, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, tok := range tokens {
		terms = append(terms, string(tok.Term))
	}
	return terms
}

// The French analyzer must give the same terms for a word however it is
// typed, and the terms listed (worked out by hand from the filters: lower
// case, elision, stop list, folding, then the light stemmer).
func TestFrenchAnalyzerPairs(t *testing.T) {
	tests := []struct {
		typed, indexed string
		want           []string
	}{
		{"coree", "Corée", []string{"core"}},
		{"COREE", "corée", []string{"core"}},
		{"ete", "été", []string{"ete"}},
		{"ETE", "Été", []string{"ete"}},
		{"europe", "l’Europe", []string{"europ"}},
		{"Europe", "L'Europe", []string{"europ"}},
		{"l'europe", "l’Europe", []string{"europ"}},
		{"d’Europe", "de l’Europe", []string{"europ"}},
		{"migrant", "migrants", []string{"migrant"}},
		{"oeuvre", "œuvre", []string{"oeuvr"}},
		{"OEUVRE", "Œuvre", []string{"oeuvr"}},
		{"naif", "naïf", []string{"naif"}},
		{"noel", "Noël", []string{"noel"}},
		{"economie", "économie", []string{"econom"}},
		{"francais", "Français", []string{"francai"}},
		{"aujourd'hui", "aujourd’hui", []string{"aujourd'hui"}},
		{"jusqu'a Lyon", "jusqu’à Lyon", []string{"lyon"}},
		{"Russie", "russie", []string{"rus"}},
		{"democratie", "démo\u00adcra\u00adtie", []string{"democrat"}},
	}
	for _, tt := range tests {
		typed := analyze(t, analyzerFrench, tt.typed)
		indexed := analyze(t, analyzerFrench, tt.indexed)
		if diff := cmp.Diff(tt.want, indexed); diff != "" {
			t.Errorf("analyze %q (-want +got):\n%s", tt.indexed, diff)
		}
		if diff := cmp.Diff(indexed, typed); diff != "" {
			t.Errorf("analyze %q differs from %q (-indexed +typed):\n%s", tt.typed, tt.indexed, diff)
		}
	}
}

// Stop words go whether typed with accents or without, except "été": in
// news it is mostly the summer.
func TestFrenchAnalyzerStopWords(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"à", nil},
		{"a", nil},
		{"même", nil},
		{"meme", nil},
		{"étaient", nil},
		{"etaient", nil},
		{"le la les l’ d’ du de", nil},
		{"l’été à Paris", []string{"ete", "pari"}},
		{"il a été élu", []string{"ete", "elu"}},
		// Folding adds "fumes" to nothing: it is a verb of its own.
		{"tu fumes", []string{"fume"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, analyze(t, analyzerFrench, tt.text), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("analyze %q (-want +got):\n%s", tt.text, diff)
		}
	}
}

func TestOtherAnalyzers(t *testing.T) {
	tests := []struct {
		analyzer, text string
		want           []string
	}{
		{analyzerEnglish, "The migrants’ boats crossed", []string{"migrant", "boat", "cross"}},
		{analyzerEnglish, "Café naïve", []string{"cafe", "naiv"}},
		{analyzerOther, "Straße Ærø", []string{"strasse", "aero"}},
		{analyzerKey, "L’Europe", []string{"l'europe"}},
		{analyzerKey, "Claire Martin", []string{"claire martin"}},
		// Format characters print nothing and match nothing typed.
		{analyzerOther, "Mes\u00adsen\u00adger\u00addiens\u00adte", []string{"messengerdienste"}},
		{analyzerOther, "rechts\u00adfrei\u00ader Raum", []string{"rechtsfreier", "raum"}},
		{analyzerOther, "\u200eZu\u2060gang\ufeff", []string{"zugang"}},
		{analyzerEnglish, "over\u00adwhelming", []string{"overwhelm"}},
		{analyzerKey, "Mat\u00adthias Roth", []string{"matthias roth"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, analyze(t, tt.analyzer, tt.text)); diff != "" {
			t.Errorf("%s %q (-want +got):\n%s", tt.analyzer, tt.text, diff)
		}
	}
}

func TestTypeOfLanguage(t *testing.T) {
	tests := map[string]string{
		"fr": typeFrench, "fr-FR": typeFrench, "FR-be": typeFrench, "en": typeEnglish, "en-GB": typeEnglish,
		"de": typeOther, "": typeOther, "french": typeOther,
	}
	for lang, want := range tests {
		if got := typeOfLanguage(lang); got != want {
			t.Errorf("typeOfLanguage(%q) = %q, want %q", lang, got, want)
		}
	}
}
