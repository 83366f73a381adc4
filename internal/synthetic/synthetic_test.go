package synthetic

import (
	"strings"
	"testing"
)

func TestArticlesAreDeterministicAndSized(t *testing.T) {
	a, b := New(1000, 7), New(1000, 7)
	for _, i := range []int{0, 1, 500, 999} {
		x, y := a.Article(i), b.Article(i)
		if x.Body != y.Body || x.Title != y.Title || !x.Published.Equal(*y.Published) {
			t.Errorf("article %d differs between two corpora of the same seed", i)
		}
		if n := len(x.Body); n < 3000 || n > 3400 {
			t.Errorf("article %d: body of %d bytes, want about 3 KB", i, n)
		}
		if x.ID == "" || x.Title == "" || x.Summary == "" || x.Category == "" || x.Author == "" {
			t.Errorf("article %d lacks a field: %+v", i, x)
		}
	}
	if New(1000, 8).Article(3).Body == a.Article(3).Body {
		t.Error("another seed gives the same article")
	}
}

// A story's words are rare across the corpus and frequent within the
// story: a query for one matches a few dozen articles, not most of them.
func TestStoryWordsAreRare(t *testing.T) {
	c := New(3000, 1)
	word := c.stories[0].words[0]
	matches := 0
	for i := range c.Len() {
		a := c.Article(i)
		if strings.Contains(" "+a.Body+" ", " "+word+" ") {
			matches++
		}
	}
	if matches == 0 || matches > c.Len()/10 {
		t.Errorf("story word %q in %d of %d articles, want a few dozen", word, matches, c.Len())
	}
	// A topical word is in a few percent of the articles, not most.
	topical := 0
	for i := range c.Len() {
		if strings.Contains(" "+c.Article(i).Body+" ", " gouvernement ") {
			topical++
		}
	}
	if topical < c.Len()/100 || topical > c.Len()/6 {
		t.Errorf("gouvernement in %d of %d articles, want a few percent", topical, c.Len())
	}
	qs := c.Queries(100, 1)
	two := 0
	for _, q := range qs {
		switch len(strings.Fields(q)) {
		case 1:
		case 2:
			two++
		default:
			t.Errorf("query %q: want one or two words", q)
		}
	}
	if two < 30 || two > 70 {
		t.Errorf("%d of 100 queries have two words, want about half", two)
	}
}
