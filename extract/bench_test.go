package extract

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio"

	"codeberg.org/readeck/go-readability/v2"
)

// benchPage is one page of the speed benchmark.
type benchPage struct {
	name string
	page folio.Page
	url  *url.URL
}

const sourceBlogURL = "https://radio.example/2022/11/07/entre-la-coree-du-nord-et-la-russie-un-rapprochement-symbolique-mais-interesse/"

func loadBenchPage(b *testing.B, path, pageURL string) benchPage {
	b.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	u, err := url.Parse(pageURL)
	if err != nil {
		b.Fatal(err)
	}
	name := strings.TrimSuffix(filepath.Base(path), ".html")
	return benchPage{name: name, url: u,
		page: folio.Page{URL: pageURL, Status: 200, Body: body, FetchedAt: goldenFetchedAt}}
}

// BenchmarkExtract compares a whole extraction (parse, rules, metadata,
// heuristics, body, sanitising) with go-readability alone (parse and
// readability) on the same bytes:
//
//   - article: the source blog's page (12 KB, WordPress, rules find the
//     body);
//   - wordpress-60k: the same page padded with the inline styles, scripts
//     and menus of a real WordPress page;
//   - corpus: eleven varied pages of testdata/bench (blogs, news sites in
//     five languages, documentation, Tumblr, Medium, WordPress), one op
//     extracting them all.
//
// The ratios to read are extract/X over readability/X in ns/op and B/op.
func BenchmarkExtract(b *testing.B) {
	article := loadBenchPage(b, "testdata/source-blog.html", sourceBlogURL)
	padded := loadBenchPage(b, "testdata/bench/wordpress-60k.html", sourceBlogURL)
	paths, err := filepath.Glob("testdata/bench/*.html")
	if err != nil {
		b.Fatal(err)
	}
	var corpus []benchPage
	for _, p := range paths {
		if strings.HasSuffix(p, "wordpress-60k.html") {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		corpus = append(corpus, loadBenchPage(b, p, "http://example.com/"+name+"/"))
	}
	if len(corpus) < 10 {
		b.Fatalf("found %d corpus pages under testdata/bench, want at least 10", len(corpus))
	}
	sets := []struct {
		name  string
		pages []benchPage
	}{
		{"article", []benchPage{article}},
		{"wordpress-60k", []benchPage{padded}},
		{"corpus", corpus},
	}
	rules := DefaultRules()
	for _, set := range sets {
		size := 0
		for _, p := range set.pages {
			size += len(p.page.Body)
		}
		b.Run("extract/"+set.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, p := range set.pages {
					// Refusals count too: deciding that a page is no
					// article is work Extract does.
					if _, err := Extract(p.page, rules); err != nil && len(set.pages) == 1 {
						b.Fatal(err)
					}
				}
			}
			reportPerPage(b, len(set.pages))
		})
		b.Run("readability/"+set.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				for _, p := range set.pages {
					if _, err := readability.FromReader(bytes.NewReader(p.page.Body), p.url); err != nil {
						b.Fatalf("readability %s: %v", p.name, err)
					}
				}
			}
			reportPerPage(b, len(set.pages))
		})
	}
}

func reportPerPage(b *testing.B, pages int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pages)/1e6, "ms/page")
}
