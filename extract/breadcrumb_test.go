package extract

import (
	"strings"
	"testing"

	"folio"
)

func TestCategoryFromBreadcrumbs(t *testing.T) {
	body := `<div class="entry-content"><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`
	tests := []struct{ name, head, page, want, url string }{
		{"json-ld trail: the crumb above the page",
			`<script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[` +
				`{"@type":"ListItem","position":1,"name":"Home","item":"https://news.example/"},` +
				`{"@type":"ListItem","position":2,"name":"Politik","item":"https://news.example/politik/"},` +
				`{"@type":"ListItem","position":3,"name":"The story","item":"https://news.example/politik/story"}]}</script>`,
			`<article><h1>The story</h1>` + body + `</article>`,
			"Politik", ""},
		{"visible trail in a nav, the page unlinked at its end",
			``,
			`<nav class="breadcrumbs"><a href="/">Startseite</a> › <a href="/lokales/">Lokales</a> › <span>The story</span></nav><article><h1>The story</h1>` + body + `</article>`,
			"Lokales", ""},
		{"a trail of the home page alone gives none",
			``,
			`<nav aria-label="Breadcrumb"><a href="/">Home</a> › <span>The story</span></nav><article><h1>The story</h1>` + body + `</article>`,
			"", "https://news.example/story"},
		{"metadata sections in one string: the first specific one",
			`<meta property="article:section" content="Aktuell,FinTech">`,
			`<article><h1>The story</h1>` + body + `</article>`,
			"FinTech", ""},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head><title>The story</title>` + tt.head + `</head><body>` + tt.page + `</body></html>`
		pageURL := "https://news.example/politik/story"
		if tt.url != "" {
			pageURL = tt.url // no section in the address to fall back on
		}
		a, err := Extract(folio.Page{URL: pageURL, Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if a.Category != tt.want {
			t.Errorf("%s: category %q, want %q", tt.name, a.Category, tt.want)
		}
	}
}

func TestSections(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"Blogartikel,Digitalisierung"}, "Blogartikel|Digitalisierung"},
		{[]string{"Filme & Serien, Schauspieler/innen"}, "Filme & Serien|Schauspieler/innen"},
		{[]string{"à la une", "Société"}, "Société|à la une"},
		{[]string{"US & Canada"}, "US & Canada"},
	}
	for _, tt := range tests {
		if got := strings.Join(sections(tt.in), "|"); got != tt.want {
			t.Errorf("sections(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
