package extract

import (
	"bytes"
	"net/url"
	"os"
	"testing"

	"folio"

	"codeberg.org/readeck/go-readability/v2"
)

// BenchmarkExtract compares a whole extraction with go-readability alone on
// the same pages: source-blog is the WordPress theme (rules find the body),
// readability-plain a page where Extract falls back to readability.
func BenchmarkExtract(b *testing.B) {
	for _, name := range []string{"source-blog", "readability-plain"} {
		body, err := os.ReadFile("testdata/" + name + ".html")
		if err != nil {
			b.Fatal(err)
		}
		pageURL := "https://radio.example/2022/11/07/entre-la-coree-du-nord-et-la-russie-un-rapprochement-symbolique-mais-interesse/"
		page := folio.Page{URL: pageURL, Status: 200, Body: body, FetchedAt: goldenFetchedAt}
		u, _ := url.Parse(pageURL)
		b.Run("extract/"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := Extract(page, DefaultRules()); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("readability/"+name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				art, err := readability.FromReader(bytes.NewReader(body), u)
				if err != nil || art.Node == nil {
					b.Fatalf("readability: %v", err)
				}
			}
		})
	}
}
