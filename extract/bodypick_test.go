package extract

import (
	"strings"
	"testing"

	"folio"
)

// story is a paragraph of prose long enough to count as a section of text.
func story(s string) string {
	return "<p>" + s + ": " + strings.Repeat("the council met again on Tuesday and voted to close the bridge to cars. ", 8) + "</p>"
}

// TestBodyChoice runs whole pages through Extract with the default rules:
// what the body must hold and what it must not.
func TestBodyChoice(t *testing.T) {
	tests := []struct {
		name string
		body string // inside <body>
		keep []string
		gone []string
	}{
		{
			name: "the story's article, not the cards before it",
			body: `<h1>Bridge closed</h1>
				<article class="card"><div class="article-content"><a href="/a">Other story</a><p>A teaser.</p></div></article>
				<article class="card"><div class="article-content"><a href="/b">Third story</a><p>Another teaser.</p></div></article>
				<article><section>` + story("First part") + story("Second part") + `</section></article>`,
			keep: []string{"First part", "Second part"},
			gone: []string{"A teaser", "Another teaser"},
		},
		{
			name: "a metadata line classed like the content is passed over",
			body: `<article><h1>Bridge closed</h1><div class="entry-content"><p class="author-meta">Red. / 31.10.2023</p></div>
				<div class="entry-content">` + story("The text") + `</div></article>`,
			keep: []string{"The text"},
			gone: []string{"Red. / 31.10.2023"},
		},
		{
			name: "an article body split into several blocks is joined",
			body: `<article><h1>Bridge closed</h1><div itemprop="articleBody">` + story("Before the picture") + `</div>
				<figure><img src="/a.jpg"></figure><div class="ad">Advert</div>
				<div itemprop="articleBody">` + story("After the picture") + `</div></article>`,
			keep: []string{"Before the picture", "After the picture"},
			gone: []string{"Advert"},
		},
		{
			name: "sections wrapped in nested articles stay, teaser cards go",
			body: `<article class="article-full"><h1>Bridge closed</h1><div class="entry-content">
				<article class="paragraph">` + story("Section one") + `</article>
				<article class="teaser"><a href="/c">Read this other story about bridges and ferries</a></article>
				<article class="paragraph">` + story("Section two") + `</article></div></article>`,
			keep: []string{"Section one", "Section two"},
			gone: []string{"other story about bridges"},
		},
		{
			name: "the standfirst the body element leaves out",
			body: `<article><h1>Bridge closed</h1><div itemprop="description"><p>Engineers found cracks in two piers of the old bridge.</p></div>
				<div itemprop="articleBody">` + story("The text") + `</div></article>`,
			keep: []string{"Engineers found cracks", "The text"},
		},
		{
			name: "the standfirst beside the headline, on a page with no article element",
			body: `<div class="news-single"><h3 itemprop="headline">Bridge closed</h3><div class="teaser-text" itemprop="description"><p>Engineers found cracks in two piers of the old bridge.</p></div>
				<div itemprop="articleBody">` + story("The text") + `</div></div>`,
			keep: []string{"Engineers found cracks", "The text"},
		},
		{
			name: "no standfirst from above the headline",
			body: `<div class="page"><div class="intro" itemprop="description"><p>A site about bridges, ferries and the towns they join.</p></div>
				<div class="news-single"><h1>Bridge closed</h1><div itemprop="articleBody">` + story("The text") + `</div></div></div>`,
			keep: []string{"The text"},
			gone: []string{"A site about bridges"},
		},
		{
			name: "an abstract class marks the standfirst",
			body: `<article><header><h1>Bridge closed</h1><div class="contentHeader__abstract">Engineers found cracks in two piers of the old bridge.</div></header>
				<div class="text">` + story("The text") + story("More text") + story("Last text") + `</div></article>`,
			keep: []string{"Engineers found cracks", "The text"},
		},
		{
			name: "the text the metadata gives as the description is the standfirst",
			body: `<meta name="description" content="Engineers found cracks in two piers of the old bridge.">
				<article><header><h1>Bridge closed</h1><div class="sc-x1"><p>Engineers found cracks in two piers of the old bridge.</p></div></header>
				<div class="text">` + story("The text") + story("More text") + story("Last text") + `</div></article>`,
			keep: []string{"Engineers found cracks", "The text"},
		},
		{
			name: "a description cut short still names the standfirst",
			body: `<meta name="twitter:description" content="Engineers found cracks in two piers of the old bridge, and the…">
				<article><div class="hero-text"><h1>Bridge closed</h1><p>Engineers found cracks in two piers of the old bridge, and the council acted at once.</p></div>
				<div class="text">` + story("The text") + story("More text") + story("Last text") + `</div></article>`,
			keep: []string{"Engineers found cracks", "acted at once", "The text"},
		},
		{
			name: "the subheadline the metadata states, on a page with no article element",
			body: `<meta property="og:description" content="The renewable molecule: what hydrogen made from wind can do for the town.">
				<div class="page"><div class="teaser-lead"><p>Another story: the ferry starts in May and runs every hour.</p></div>
				<div class="story"><h1>Bridge closed</h1><h2 class="subheadline">The renewable molecule: what hydrogen made from wind can do for the town.</h2>
				<div class="text">` + story("The text") + story("More text") + story("Last text") + `</div></div></div>`,
			keep: []string{"The renewable molecule", "The text"},
			gone: []string{"the ferry starts"},
		},
		{
			name: "an excerpt class marks the standfirst",
			body: `<article><div class="article-header"><h1>Bridge closed</h1><p class="article-excerpt">Engineers found cracks in two piers of the old bridge.</p></div>
				<div class="entry-content">` + story("The text") + `</div></article>`,
			keep: []string{"Engineers found cracks", "The text"},
		},
		{
			name: "a header classed intro is no standfirst",
			body: `<article><div class="page-intro"><h1>Bridge closed</h1><span class="metas">Town hall, <time>novembre 7, 2022</time> and more words here</span></div>
				<div class="entry-content">` + story("The text") + `</div></article>`,
			keep: []string{"The text"},
			gone: []string{"Town hall", "novembre 7"},
		},
		{
			name: "a teaser made of a link is no standfirst",
			body: `<article><h1>Bridge closed</h1><div class="teaser"><a href="/f">Read about the new ferry across the river</a></div>
				<div class="entry-content">` + story("The text") + `</div></article>`,
			keep: []string{"The text"},
			gone: []string{"new ferry"},
		},
		{
			name: "the standfirst in the header when readability finds the body",
			body: `<article class="main"><header><h1>Bridge closed</h1><p class="lead">Engineers found cracks in two piers of the old bridge.</p></header>
				<div class="text">` + story("The text") + story("More text") + story("Last text") + `</div></article>`,
			keep: []string{"Engineers found cracks", "The text", "Last text"},
		},
		{
			name: "the item's description, not a caption classed description",
			body: `<article><header><h1>Bridge closed</h1><p class="ts-intro" itemprop="description">Engineers found cracks in two piers of the old bridge.</p></header>
				<figure><img src="/a.jpg"><div class="image-description"><p>A car waits at the closed bridge, seen from the river bank.</p></div></figure>
				<div itemprop="articleBody">` + story("The text") + `</div></article>`,
			keep: []string{"Engineers found cracks", "The text"},
			gone: []string{"A car waits"},
		},
		{
			name: "cards of other stories are no root, and a teaser is no body",
			body: `<div id="content"><h1>Bridge closed</h1><div class="text-content">` + story("One") + story("Two") + story("Three") + story("Four") + `</div>
				<footer><article class="side"><div class="article-content"><a href="/x"><h2>Between town and country</h2></a></div></article>
				<article class="side"><div class="article-content"><a href="/y"><h2>A new ferry</h2></a><p>The ferry starts in May.</p></div></article></footer></div>`,
			keep: []string{"One", "Four"},
			gone: []string{"Between town", "ferry starts"},
		},
		{
			name: "a story outside any article match, above cards of other posts",
			body: `<div class="builder"><h1>Bridge closed</h1><div class="module">` + story("One") + story("Two") + story("Three") + story("Four") + `</div></div>
				<div class="blog-footer"><article class="hentry post"><h2><a href="/ferry/">A new ferry</a></h2><div class="post-content"><p>The ferry starts in May and runs every hour from the old pier.</p></div></article>
				<article class="hentry post"><h2><a href="/tram/">A new tram</a></h2><div class="post-content"><p>The tram line opens next year.</p></div></article></div>`,
			keep: []string{"One", "Four"},
			gone: []string{"ferry starts", "tram line"},
		},
		{
			name: "a text container classed like a share bar stays, the share bar goes",
			body: `<article class="documentContent"><h1>Bridge closed</h1><div class="documentContent__sharingContainer">
				<div class="rteContent">` + story("One") + story("Two") + story("Three") + `</div>
				<div class="sharing-bar"><p>Share this story with your friends and family today</p></div></div></article>`,
			keep: []string{"One", "Two", "Three"},
			gone: []string{"Share this story"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "<html><head><title>Bridge closed</title></head><body>" + tt.body + "</body></html>"
			a, err := Extract(folio.Page{URL: "http://example.com/bridge/", Status: 200, Body: []byte(src)}, DefaultRules())
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.keep {
				if !strings.Contains(a.Body, k) {
					t.Errorf("lost %q; body:\n%s", k, a.Body)
				}
			}
			for _, g := range tt.gone {
				if strings.Contains(a.Body, g) {
					t.Errorf("kept %q; body:\n%s", g, a.Body)
				}
			}
		})
	}
}

// TestSiteBodyRuleKeepsFirstMatch checks that a body selector the site
// configured keeps its plain meaning: the first match, however short.
func TestSiteBodyRuleKeepsFirstMatch(t *testing.T) {
	src := `<html><head><title>Bridge closed</title></head><body><article><h1>Bridge closed</h1>
		<div class="lead"><p>The short lead the site wants.</p></div><div class="lead">` + story("Longer text") + `</div></article></body></html>`
	a, err := Extract(folio.Page{URL: "http://example.com/bridge/", Status: 200, Body: []byte(src)}, Rules{Body: ".lead"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != "The short lead the site wants." {
		t.Errorf("body = %q, want the first .lead only", a.Body)
	}
}

// TestNextButtonDoesNotTakeTheArticle checks that a "Next" label with no
// card of its own (a slider's button) does not take the article with it as
// the card of the next post, while a real card still gives the link.
func TestNextButtonDoesNotTakeTheArticle(t *testing.T) {
	src := `<html><head><title>Bridge closed</title></head><body><article><h1>Bridge closed</h1>
		<div class="entry-content"><div class="slider"><span>Next</span></div>` + story("The text") + story("More text") + `
		<p>More in <a href="/bridges/">bridges</a>.</p></div></article>
		<div class="post-nav"><span>Previous post</span><a href="/ferry/">New ferry</a></div></body></html>`
	a, err := Extract(folio.Page{URL: "http://example.com/bridge/", Status: 200, Body: []byte(src)}, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.Body, "The text") {
		t.Errorf("the article went with the Next button; body: %q", a.Body)
	}
	if a.Previous == nil || a.Previous.URL != "http://example.com/ferry/" {
		t.Errorf("previous = %+v, want the card's link", a.Previous)
	}
}

// TestDescriptionBody: a page declared an article with no text of its own
// (a video) gives its description as the body when that tells the story.
func TestDescriptionBody(t *testing.T) {
	long := strings.Repeat("A veteran left the hospital to applause from the staff. ", 6)
	tests := []struct {
		name, head, want string
	}{
		{"a video post", `<meta property="og:type" content="article"><meta property="og:description" content="` + long + `">`, strings.TrimSpace(long)},
		{"json-ld description first", `<script type="application/ld+json">{"@type":"NewsArticle","headline":"Veteran","description":"` + long + `"}</script>` +
			`<meta property="og:description" content="Visit the post for more.">`, strings.TrimSpace(long)},
		{"a slogan is no body", `<meta property="og:type" content="article"><meta property="og:description" content="Visit the post for more.">`, ""},
		{"not declared an article", `<meta property="og:type" content="website"><meta property="og:description" content="` + long + `">`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := `<html><head><title>Veteran</title>` + tt.head + `</head><body><h1>Veteran</h1><div class="player"><video src="/v.mp4"></video></div></body></html>`
			a, err := Extract(folio.Page{URL: "http://example.com/news/veteran/video/12", Status: 200, Body: []byte(src)}, DefaultRules())
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got a record with body %q, want none", a.Body)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Body != tt.want {
				t.Errorf("body = %q, want %q", a.Body, tt.want)
			}
		})
	}
}
