package wpsite

import (
	"strings"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Entre la Corée du Nord et la Russie, un rapprochement symbolique mais intéressé",
			"entre-la-coree-du-nord-et-la-russie-un-rapprochement-symbolique-mais-interesse"},
		{"Méditerranée: trier les migrants comme le fait l’Italie, c’est une violation du droit selon Amnesty",
			"mediterranee-trier-les-migrants-comme-le-fait-litalie-cest-une-violation-du-droit-selon-amnesty"},
		{"Comment la menace nord-coréenne accélère le rapprochement entre Séoul et Tokyo",
			"comment-la-menace-nord-coreenne-accelere-le-rapprochement-entre-seoul-et-tokyo"},
		{"«\u00a0Il est temps d’agir\u00a0»\u00a0: à Gdańsk, Łucja Nowak lance le plan", "il-est-temps-dagir-a-gdansk-lucja-nowak-lance-le-plan"},
		{"L'Europe", "leurope"},
		{"Œuvres   -- & 12 %", "oeuvres-12"},
	}
	for _, tt := range tests {
		if got := slugify(tt.title); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestThemeDate(t *testing.T) {
	tests := []struct {
		year, month, day int
		want             string
	}{
		{2022, 11, 7, "novembre 7, 2022"},
		{2020, 2, 29, "février 29, 2020"},
		{2023, 8, 15, "août 15, 2023"},
		{2021, 12, 1, "décembre 1, 2021"},
	}
	for _, tt := range tests {
		d := time.Date(tt.year, time.Month(tt.month), tt.day, 0, 0, 0, 0, paris)
		if got := themeDate(d); got != tt.want {
			t.Errorf("themeDate(%v) = %q, want %q", d, got, tt.want)
		}
	}
}

// TestParisMidnight checks the offsets of midnight on both sides of the
// daylight-saving changes (the clocks move at 2 or 3 a.m., so midnight of
// the change day keeps the old offset).
func TestParisMidnight(t *testing.T) {
	tests := []struct {
		day  string
		want string
	}{
		{"2022-11-07", "2022-11-07T00:00:00+01:00"},
		{"2022-07-14", "2022-07-14T00:00:00+02:00"},
		{"2022-03-27", "2022-03-27T00:00:00+01:00"},
		{"2022-03-28", "2022-03-28T00:00:00+02:00"},
		{"2022-10-30", "2022-10-30T00:00:00+02:00"},
		{"2022-10-31", "2022-10-31T00:00:00+01:00"},
	}
	for _, tt := range tests {
		d, err := time.Parse(time.DateOnly, tt.day)
		if err != nil {
			t.Fatal(err)
		}
		if got := civil(d).Format(time.RFC3339); got != tt.want {
			t.Errorf("civil(%s) = %s, want %s", tt.day, got, tt.want)
		}
	}
}

func TestTypeset(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Prochaine étape : un vote ; puis ?", "Prochaine étape\u00a0: un vote\u00a0; puis\u00a0?"},
		{"« Nous verrons » !", "«\u00a0Nous verrons\u00a0»\u00a0!"},
		{"12 % des habitants", "12\u00a0% des habitants"},
		{"la question de le coût de les travaux", "la question du coût des travaux"},
		{"Du côté de les commerçants, à le port", "Du côté des commerçants, au port"},
		{"il dit que il viendra et que elle aussi", "il dit qu’il viendra et qu’elle aussi"},
		{"Méditerranée: sans espace", "Méditerranée: sans espace"},
	}
	for _, tt := range tests {
		if got := typeset(tt.in); got != tt.want {
			t.Errorf("typeset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFrenchInt(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{7, "7"}, {999, "999"}, {1000, "1\u00a0000"}, {13693, "13\u00a0693"}, {1234567, "1\u00a0234\u00a0567"},
	}
	for _, tt := range tests {
		if got := frenchInt(tt.n); got != tt.want {
			t.Errorf("frenchInt(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

func TestDe(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Porto", "de Porto"}, {"Abidjan", "d’Abidjan"}, {"Élodie Faure", "d’Élodie Faure"},
		{"Osaka", "d’Osaka"}, {"Hugo Blanc", "de Hugo Blanc"},
	}
	for _, tt := range tests {
		if got := de(tt.in); got != tt.want {
			t.Errorf("de(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	short := []string{"Un texte court.", "Lire la suite"}
	if got := excerpt(short); got != "Un texte court. Lire la suite" {
		t.Errorf("short excerpt = %q", got)
	}
	// 100 words of 5 letters: 6 characters each with the space, so 85 words
	// fit in 512 characters (85*6-1 = 509) and the 86th would not.
	long := strings.TrimSpace(strings.Repeat("abcde ", 100))
	got := excerpt([]string{long})
	want := strings.TrimSpace(strings.Repeat("abcde ", 85)) + " […]"
	if got != want {
		t.Errorf("long excerpt = %q (%d words), want 85 words and […]", got, len(strings.Fields(got))-1)
	}
	// No-break spaces do not split words.
	nb := "a\u00a0b " + strings.Repeat("x", 600)
	if got := excerpt([]string{nb}); got != "a\u00a0b […]" {
		t.Errorf("excerpt with a no-break space = %q", got)
	}
}

func TestPersonNamesDistinct(t *testing.T) {
	seen := map[string]int{}
	const n = 256 * 20
	for k := range n {
		first, last := personName(people[0], k)
		name := first.name + " " + last
		if prev, dup := seen[name]; dup {
			t.Fatalf("person %d and %d are both %q", prev, k, name)
		}
		seen[name] = k
	}
}
