package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestTextLonger: textLonger agrees with len(textOf) at every limit,
// whatever white space, blocks and skipped elements the markup holds.
func TestTextLonger(t *testing.T) {
	pages := []string{
		`<div></div>`,
		`<div>  un   deux  </div>`,
		`<div><p>Un paragraphe.</p><p>Un autre,   plus   long que le premier.</p><script>var x = "ignoré";</script></div>`,
		`<div>` + strings.Repeat(`<span>mot </span>`+"\n\t  ", 300) + `</div>`,
		`<div>` + strings.Repeat(" ", 5000) + `a` + strings.Repeat("\u00a0", 3) + `b<br>c</div>`,
		`<section><h2>Titre</h2><ul><li>un</li><li>deux</li></ul>` + strings.Repeat("x", 900) + `</section>`,
	}
	for _, page := range pages {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		n := doc.FirstChild.LastChild.FirstChild // html > body > first element
		full := len(textOf(n))
		for _, limit := range []int{0, 1, 5, 10, 50, 199, 200, 201, full - 1, full, full + 1, 2000} {
			if limit < 0 {
				continue
			}
			if got, want := textLonger(n, limit), full > limit; got != want {
				t.Errorf("textLonger(%.40q…, %d) = %v; textOf is %d long", page, limit, got, full)
			}
		}
	}
}
