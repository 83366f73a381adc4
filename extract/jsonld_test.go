package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
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
