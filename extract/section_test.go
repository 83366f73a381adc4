package extract

import (
	"strings"
	"testing"

	"folio"
)

func TestCategoryFromSectionSignals(t *testing.T) {
	body := `<div class="entry-content"><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`
	tests := []struct{ name, url, page, want, head string }{
		{"a link classed as the category above the headline",
			"https://news.example/2024/story",
			`<article><div class="f--category"><a href="/news/categories/research">Research &amp; Innovation</a></div><h1>The story</h1>` + body + `</article>`,
			"Research & Innovation", ""},
		{"a box heading classed rubric links nowhere: no category",
			"https://news.example/2024/story",
			`<article><h1>The story</h1>` + body + `<div class="rubrik">Comments</div></article>`,
			"", ""},
		{"wordpress's category-<slug> class on the article is no category element",
			"https://news.example/2024/story",
			`<article><div class="post category-news"><h1>The story</h1>` + body + `<p><a href="/about/">About us</a></p></div></article>`,
			"", ""},
		{"the menu marks the current section, past the home page",
			"https://news.example/2024/story",
			`<nav><ul><li class="active"><a href="/">Home</a></li><li class="menu-item current-menu-parent"><a href="/transport/">Transportation</a></li><li><a href="/sport/">Sport</a></li></ul></nav><article><h1>The story</h1>` + body + `</article>`,
			"Transportation", ""},
		{"a nested menu: the deepest marked item",
			"https://news.example/2024/story",
			`<div id="navigation"><ul><li class="Active"><a href="/rubrik/politik-wirtschaft/">Politik &amp; Wirtschaft</a><ul><li class="Active"><a href="/rubrik/politik/">Politik</a></li><li><a href="/rubrik/wirtschaft/">Wirtschaft</a></li></ul></li></ul></div><article><h1>The story</h1>` + body + `</article>`,
			"Politik", ""},
		{"an active tab outside any menu is no section",
			"https://news.example/2024/story",
			`<div class="tabs"><a class="active" href="/popular/">Most read</a></div><article><h1>The story</h1>` + body + `</article>`,
			"", ""},
		{"a kicker link by the headline that names its section",
			"https://news.example/fr/2020/03/02/story/",
			`<article><h1>The story</h1><div class="meta"><a href="https://news.example/fr/entretiens">Entretiens</a> <a href="https://news.example/fr/geo/europe/">Europe</a></div>` + body + `</article>`,
			"Entretiens", ""},
		{"a link by the headline that names no section is no kicker",
			"https://news.example/2020/03/02/story/",
			`<article><h1>The story</h1><div><a href="/newsletters">Subscribe</a></div>` + body + `</article>`,
			"", ""},
		{"a list of categories under a label, the class naming it inside a longer token",
			"https://news.example/2020/story",
			`<article><h1>The story</h1>` + body + `<div class="tms-article-category-rootline"><h2>Kategorien:</h2><ul><li><a href="/kanton/bern">Ticker Bern</a></li><li><a href="/unfaelle">Unfälle</a></li></ul></div></article>`,
			"Ticker Bern", ""},
		{"the category link in the header above the article element",
			"https://news.example/2020/story",
			`<div class="post-head"><h1>The story</h1><span>Paddy</span> · <a href="https://news.example/category/mac/" rel="category tag">Mac</a></div><article><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></article>`,
			"Mac", ""},
		{"categories after a label, unlinked",
			"https://news.example/2020/story",
			`<article><h1>The story</h1><span class="cat-links"> Kategorien: Reisen </span>` + body + `</article>`,
			"Reisen", ""},
		{"a link to a /cat/ archive",
			"https://news.example/2020/story",
			`<article><h1>The story</h1><p class="info">31.01.2016 <a href="../cat/3_hardware/index.html">Hardware</a></p>` + body + `</article>`,
			"Hardware", ""},
		{"links to category archives: the generic ones last",
			"https://news.example/2020/story",
			`<article><h1>The story</h1><p><a href="/category/topnews/">Topnews</a> <a href="/category/kultur/">Kultur</a></p>` + body + `</article>`,
			"Kultur", ""},
		{"a breadcrumb trail of spans without links",
			"https://forum.example/forum/discussion/the-story-338679.html",
			`<div class="MtnBreadcrumb"><span onclick="go('/forum/')">Forum</span><span>&gt;</span><span onclick="go('/forum/topic/iPhone-5.html')">iPhone</span><span>&gt;</span><span>The story thread</span></div><article><h1>The story</h1>` + body + `</article>`,
			"iPhone", ""},
		{"a generic crumb ('Alle Artikel') is no section",
			"https://news.example/2020/story",
			`<nav class="breadcrumb"><a href="/">Home</a> › <a href="/artikel/">Alle Artikel</a> › <span>The story</span></nav><article><h1>The story</h1>` + body + `</article>`,
			"", ""},
		{"WordPress's category links: the generic ones last",
			"https://news.example/2020/story",
			`<article><h1>The story</h1><span class="cat-links"><a href="/category/uncategorized/" rel="category tag">Uncategorized</a>, <a href="/category/politics/" rel="category tag">Politics</a></span>` + body + `</article>`,
			"Politics", ""},
		{"a crumb to the author's archive is no section",
			"https://news.example/blog/2023/10/30/the-story/",
			`<nav class="breadcrumb"><a href="/">Home</a> › <a href="/kolumnen/">Kolumnen</a> › <a href="/blog/author/evan/">Evan Tepest</a> › <span>The story</span></nav><article><h1>The story</h1>` + body + `</article>`,
			"Kolumnen", ""},
		{"a crumb to the site's search is no section",
			"https://news.example/the-story/",
			`<nav class="breadcrumb"><a href="/erweiterte-suche/">Erweiterte Suche</a> › <span>The story</span></nav><article><h1>The story</h1>` + body + `</article>`,
			"", ""},
		{"the address's first segment, as the site's link names it",
			"https://news.example/innenpolitik/the-story",
			`<header><a href="/innenpolitik">Innenpolitik</a> <a href="/kultur">Kultur</a></header><article><h1>The story</h1>` + body + `</article>`,
			"Innenpolitik", ""},
		{"the address's first segment, past a language",
			"https://news.example/de/daily/the-story",
			`<article><h1>The story</h1>` + body + `</article>`,
			"daily", ""},
		{"a segment that says how pages are stored is no section",
			"https://news.example/artikel/1136087.the-story.html",
			`<article><h1>The story</h1>` + body + `</article>`,
			"", ""},
		{"the page's own slug is no section",
			"https://news.example/the-story",
			`<article><h1>The story</h1>` + body + `</article>`,
			"", ""},
		{"a metadata section that is the headline is none",
			"https://news.example/2020/story",
			`<article><h1>The story</h1>` + body + `</article>`,
			"", `<meta property="article:section" content="The story">`},
		{"a wiki's category box (MediaWiki), not its hidden maintenance categories",
			"https://wiki.example/Penny",
			`<div id="content"><h1 id="firstHeading">The story</h1><div id="bodyContent">` + body + `<div id="catlinks" class="catlinks"><div id="mw-normal-catlinks" class="mw-normal-catlinks"><a href="/Special:Categories">Categories</a>: <ul><li><a href="/Category:Marriage_candidates">Marriage candidates</a></li><li><a href="/Category:Villagers">Villagers</a></li></ul></div><div id="mw-hidden-catlinks" class="mw-hidden-catlinks"><ul><li><a href="/Category:Pages_with_broken_links">Pages with broken links</a></li></ul></div></div></div></div>`,
			"Marriage candidates", ""},
		{"a sentence linking to a category archive is no category",
			"https://news.example/2020/story",
			`<article><h1>The story</h1>` + body + `<p><a href="/category/gesellschaft/">beklagt die Vertretung der Gruppe heute</a></p></article>`,
			"", ""},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head><title>The story</title>` + tt.head + `</head><body>` + tt.page + `</body></html>`
		a, err := Extract(folio.Page{URL: tt.url, Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if a.Category != tt.want {
			t.Errorf("%s: category %q, want %q", tt.name, a.Category, tt.want)
		}
	}
}
