package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"folio"
)

// TestJSONLDBlocks reads the article's datePublished from JSON-LD blocks
// as pages write them: each value read whole counts, one broken in its
// middle does not.
func TestJSONLDBlocks(t *testing.T) {
	const article = `{"@context":"https://schema.org","@type":"NewsArticle","datePublished":"2020-10-26T18:10:00+01:00"}`
	tests := []struct {
		name, block, want string
	}{
		{"one value", article, "2020-10-26T18:10:00+01:00"},
		{"a stray closing brace after it", article + "\n    }", "2020-10-26T18:10:00+01:00"},
		{"after another value", `{"@type":"Organization","name":"X"}` + "\n" + article, "2020-10-26T18:10:00+01:00"},
		{"in CDATA", "<![CDATA[" + article + "]]>", "2020-10-26T18:10:00+01:00"},
		{"broken in its middle", `{"@type":"NewsArticle","datePublished":"2020-10-26T18:10:00+01:00",}`, ""},
		{"a how-to, its fraction after a colon", `{"@type":"HowTo","datePublished":"2022-01-10T22:06:08:684Z"}`, "2022-01-10T22:06:08:684Z"},
		{"cut short", `{"@type":"NewsArticle","datePublished":"2020-10-26`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(`<html><head><script type="application/ld+json">` + tt.block + `</script></head><body></body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			m := readMetadata(doc)
			if got := m.ldString(m.article, "datePublished"); got != tt.want {
				t.Errorf("datePublished = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHowToDate: a how-to page's JSON-LD dates it, its time written with
// the fraction of a second after a colon.
func TestHowToDate(t *testing.T) {
	page := `<html><head><title>Eine Tischdecke nähen</title><script type="application/ld+json">` +
		`{"@context":"http://schema.org","@type":"HowTo","name":"Eine Tischdecke nähen","datePublished":"2022-01-10T22:06:08:684Z"}` +
		`</script></head><body><h1>Eine Tischdecke nähen</h1><p>` + strings.Repeat("Den Stoff ausmessen und zuschneiden. ", 40) + `</p></body></html>`
	rec, err := Extract(folio.Page{URL: "https://diy.example/20546/tischdecke", Status: 200, Body: []byte(page)}, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if rec.Published == nil || rec.Published.Format("2006-01-02") != "2022-01-10" {
		t.Errorf("published %v, want 2022-01-10", rec.Published)
	}
}
