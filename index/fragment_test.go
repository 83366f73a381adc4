package index

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/search"

	"folio/internal/synthetic"
)

// TestBestFragmentIsBleves: bestFragment picks and formats the snippet
// bleve's simple highlighter does, on synthetic article bodies and
// summaries with words found once, many times, next to each other, at
// either end, under several terms at once, and not at all; and on texts
// it hands to bleve (U+FFFD, invalid UTF-8, a location inside a rune).
func TestBestFragmentIsBleves(t *testing.T) {
	corpus := synthetic.New(200, 1)
	texts := []string{"Été.", "a", "l’été à Paris, été comme hiver : « été » ! " + strings.Repeat("é", 400) + " été"}
	for i := range 60 {
		a := corpus.Article(i)
		texts = append(texts, a.Body, a.Summary, a.Title)
	}
	for ti, text := range texts {
		words := wordSpans(text)
		for seed := range uint64(12) {
			rng := rand.New(rand.NewPCG(seed, uint64(ti)))
			tlm := randomLocations(rng, words, int(seed))
			got := bestFragment(fieldBody, []byte(text), tlm)
			want := bleveFragment(fieldBody, []byte(text), tlm)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("text %d seed %d (%d words, %d terms):\n got %q\nwant %q", ti, seed, len(words), len(tlm), got, want)
			}
		}
	}
	for _, tc := range []struct {
		name, text string
		start, end uint64
	}{
		{"replacement rune", "un mot \uFFFD puis été ici", 20, 24},
		{"invalid UTF-8", "un mot \xff puis été ici", 15, 19},
		{"inside a rune", "été été été", 1, 4},
		{"past the end", "été", 2, 40},
	} {
		tlm := search.TermLocationMap{"ete": {{Start: tc.start, End: tc.end}}}
		got := bestFragment(fieldBody, []byte(tc.text), tlm)
		want := bleveFragment(fieldBody, []byte(tc.text), tlm)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, want)
		}
	}
}

// wordSpans are the byte spans of text's words (runs of letters).
func wordSpans(text string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range text + " " {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f && r != '’' && r != '«' && r != '»'
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	return out
}

// randomLocations marks words of words under up to 4 terms: with mode 0
// none, else a share of them that grows with mode, a word sometimes
// under two terms at once, as analyzers of two languages mark it.
func randomLocations(rng *rand.Rand, words [][2]int, mode int) search.TermLocationMap {
	tlm := search.TermLocationMap{}
	if mode == 0 || len(words) == 0 {
		return tlm
	}
	terms := 1 + rng.IntN(4)
	for pos, w := range words {
		if rng.IntN(12) >= mode {
			continue
		}
		for range 1 + rng.IntN(2) {
			term := fmt.Sprint("t", rng.IntN(terms))
			tlm[term] = append(tlm[term], &search.Location{Pos: uint64(pos + 1), Start: uint64(w[0]), End: uint64(w[1])})
		}
	}
	return tlm
}
