package extract

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"folio"
	"folio/internal/testsite/wpsite"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// sentences are the stuff of prose(): 12 or 13 words each.
var sentences = []string{
	"La commune a voté mardi soir le budget du nouveau réseau de chaleur.",
	"Les travaux commenceront au printemps et dureront près de deux années entières.",
	"Selon le maire, la facture des ménages baissera d’un cinquième en moyenne.",
	"L’opposition dénonce un calendrier trop serré et demande une étude plus complète.",
}

// prose is paragraphs of about words words, four sentences a paragraph.
func prose(words int) string {
	var b strings.Builder
	for i := 0; i*12 < words; i++ {
		if i%4 == 0 {
			if i > 0 {
				b.WriteString("</p>\n")
			}
			b.WriteString("<p>")
		}
		b.WriteString(sentences[i%len(sentences)] + " ")
	}
	b.WriteString("</p>\n")
	return b.String()
}

// page is a page of a theme that is not WordPress's: a header menu, main,
// a sidebar and a footer around content.
func page(head, bodyClass, content string) []byte {
	return []byte(`<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">` + head + `</head>
<body class="` + bodyClass + `"><header><nav><a href="/">Accueil</a> <a href="/monde/">Monde</a> <a href="/contact/">Contact</a></nav></header>
<main>` + content + `</main>
<aside class="sidebar"><h3>Les plus lus</h3><ul><li><a href="/a/">Un</a></li><li><a href="/b/">Deux</a></li></ul></aside>
<footer><p>© Le Quotidien. <a href="/mentions-legales/">Mentions légales</a></p></footer></body></html>`)
}

// monthGrid is a month of a calendar: 31 day cells, with an event on the
// 12th.
func monthGrid(class string) string {
	var b strings.Builder
	b.WriteString(`<table class="` + class + `"><caption>juillet 2024</caption><tr><th>lun.</th><th>mar.</th><th>mer.</th><th>jeu.</th><th>ven.</th><th>sam.</th><th>dim.</th></tr><tr>`)
	for d := 1; d <= 31; d++ {
		if d > 1 && (d-1)%7 == 0 {
			b.WriteString("</tr><tr>")
		}
		fmt.Fprintf(&b, "<td>%d", d)
		if d == 12 {
			b.WriteString(`<br><a href="/evenements/concert/">Concert</a>`)
		}
		b.WriteString("</td>")
	}
	b.WriteString("</tr></table>")
	return b.String()
}

// cards are n teasers of other pages of the site, each an <article> with a
// linked title and an excerpt of words words.
func cards(n, words int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<article class="post"><h2><a href="/2024/07/%02d/sujet-%d/">Sujet %d</a></h2>%s</article>`, i+1, i, i, prose(words))
	}
	return b.String()
}

const (
	wpPageClass = "page-template-default page page-id-12"
	// yoastHead is what Yoast SEO prints on a WordPress page: og:type
	// article and a WebPage graph, no Article.
	yoastHead = `<meta property="og:type" content="article"><meta property="og:title" content="Nos émissions – Radio Exemple">` +
		`<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","@id":"https://radio.example/emissions/","name":"Nos émissions"},{"@type":"WebSite","name":"Radio Exemple"}]}</script>`
)

func TestNotArticlePages(t *testing.T) {
	h1 := func(s string) string { return "<h1>" + s + "</h1>" }
	tests := []struct {
		name, url string
		body      []byte
		reason    string // "" means an article
	}{
		// Pages a site keeps about itself, whatever their length.
		{"legal notice by title", "https://radio.example/infos/",
			wpPage(`<title>Mentions légales &#8211; Radio Exemple</title>`, wpPageClass, h1("Mentions légales")+prose(300)), "legal notice"},
		{"legal notice by address", "https://news.example/impressum",
			page(`<title>Le Quotidien</title>`, "", h1("Herausgeber")+prose(300)), "legal notice (address /impressum)"},
		{"about page by json-ld", "https://news.example/la-maison/",
			page(`<script type="application/ld+json">{"@type":"AboutPage","name":"La maison"}</script><title>La maison</title>`, "", h1("La maison")+prose(400)), "about page (json-ld AboutPage)"},
		{"about page by title", "https://news.example/qui/",
			page(`<title>Qui sommes-nous ? | Le Quotidien</title>`, "", h1("Qui sommes-nous ?")+prose(400)), "about page (titled \"Qui sommes-nous ?\")"},
		{"contact page", "https://news.example/write-to-us",
			page(`<title>Contact us – The Daily</title>`, "", h1("Contact us")+`<form><textarea name="m"></textarea></form>`), "contact page"},
		{"privacy policy by address", "https://news.example/datenschutz/",
			page(`<title>Hinweise</title>`, "", h1("Hinweise")+prose(500)), "privacy policy"},
		{"a post titled as a page", "https://radio.example/2024/07/12/contact/",
			wpPage(`<title>Contact &#8211; Radio Exemple</title>`, singleClass, h1("Contact")+`<div class="entry-content">`+prose(200)+`</div>`), ""},
		{"legal notice by its h1", "https://radio.example/infos/",
			wpPage(`<title>Infos &#8211; Radio Exemple</title>`, wpPageClass, `<header class="entry-header"><h1>Mentions légales</h1></header>`+prose(300)), "legal notice (titled \"Mentions légales\")"},
		{"a page's name in a sidebar", "https://news.example/monde/reportage",
			page(`<title>Reportage</title>`, "", `<div class="widget"><h1>Contact</h1></div>`+h1("Reportage")+prose(300)), ""},
		{"a headline starting with a page's name", "https://news.example/cinema/contact",
			page(`<title>Contact – the film, reviewed</title><meta property="og:type" content="article">`, "", h1("Contact – the film, reviewed")+prose(200)), ""},
		{"an article at a page's address", "https://news.example/tech/privacy",
			page(`<title>Your phone knows where you slept</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Your phone knows where you slept"}</script>`, "", h1("Your phone knows where you slept")+prose(200)), ""},
		{"a headline naming a page", "https://news.example/monde/premier-contact",
			page(`<title>Premier contact avec les négociateurs | Le Quotidien</title><meta property="og:type" content="article">`, "", h1("Premier contact avec les négociateurs")+prose(200)), ""},

		// WordPress pages: a text of their own or the site's furniture.
		{"static page, short", "https://radio.example/podcasts/",
			wpPage(`<title>Podcasts</title>`, wpPageClass, h1("Podcasts")+prose(40)), "static page with little text of its own (49 words)"},
		{"static page with yoast metadata", "https://radio.example/emissions/",
			wpPage(yoastHead, wpPageClass, h1("Nos émissions")+prose(40)), "static page with little text"},
		{"static page typed Article by a plugin", "https://radio.example/emissions/",
			wpPage(`<script type="application/ld+json">{"@type":"Article","headline":"Nos émissions"}</script>`, wpPageClass, h1("Nos émissions")+prose(40)), "static page with little text"},
		{"static page with a text of its own", "https://radio.example/histoire-de-la-radio/",
			wpPage(yoastHead, wpPageClass, h1("Histoire de la radio")+prose(250)), ""},
		{"section index", "https://radio.example/emissions/",
			wpPage(`<title>Émissions</title>`, wpPageClass, h1("Émissions")+`<p>Toutes nos émissions.</p>`+
				strings.Repeat(`<div class="card"><h2><a href="/category/monde/">Monde</a></h2>`+prose(30)+`</div>`, 6)), "static page with little text of its own (3 words)"},
		{"home page that is a static page", "https://radio.example/",
			wpPage(`<title>Radio Exemple</title>`, "home "+wpPageClass, h1("Bienvenue")+prose(30)), "home page with little text"},

		// Calendars and date archives.
		{"month in the address", "https://radio.example/calendrier/?mois=2024-07",
			wpPage(`<title>Calendrier</title>`, wpPageClass, h1("Calendrier")+monthGrid("calendar")), "archive page (a month in the address: mois=2024-07)"},
		{"wordpress plain date archive", "https://radio.example/?m=202407",
			page(`<title>Juillet 2024</title>`, "", h1("Juillet 2024")+cards(2, 30)), "archive page (a month in the address)"},
		{"month grid", "https://news.example/agenda/",
			page(`<title>Agenda</title>`, "", h1("Agenda")+monthGrid("calendar")), "calendar page (a month grid) with little text"},
		{"booking grid beside a text", "https://holidays.example/le-chalet/",
			wpPage(`<title>Le chalet</title>`, wpPageClass, h1("Le chalet")+prose(200)+monthGrid("booking")), ""},
		{"calendar widget in a sidebar", "https://news.example/histoire/",
			page(`<title>Histoire</title>`, "", h1("Histoire")+prose(60)+`<div id="secondary" class="widget-area"><section class="widget widget_calendar">`+monthGrid("wp-calendar")+`</section></div>`), ""},

		// Home pages and lists of teasers.
		{"home page by address", "https://news.example/", page(`<title>Le Quotidien</title>`, "", h1("Le Quotidien")+prose(40)), "home page with little text"},
		{"home page with a text of its own", "https://studio.example/", page(`<title>Studio</title>`, "", h1("Notre studio")+prose(300)), ""},
		{"shortlink at the root", "https://radio.example/?p=2895", page(`<title>Un billet</title>`, "", h1("Un billet")+prose(60)), ""},
		{"home page reached from a feed", "http://feeds.example/~r/Quotidien/~3/abc/",
			page(`<title>Le Quotidien</title><link rel="canonical" href="https://news.example/">`, "", cards(6, 30)), "home page with little text"},
		{"teasers", "https://news.example/monde", page(`<title>Monde</title>`, "", h1("Monde")+cards(4, 30)), "listing page (4 article teasers)"},
		{"an article in sections", "https://news.example/monde/reportage",
			page(`<title>Reportage</title>`, "", strings.Repeat(`<article class="block">`+prose(30)+`</article>`, 3)), ""},
		{"an article beside teasers", "https://news.example/monde/reportage",
			page(`<title>Reportage</title>`, "", `<div itemscope itemtype="https://schema.org/NewsArticle"><div itemprop="articleBody">`+prose(60)+`</div></div>`+cards(4, 30)), ""},
		{"a post under its own linked title", "https://blog.example/2019/10/21/petits-entiers/",
			page(`<title>Petits entiers</title>`, "", `<h2><a href="https://blog.example/2019/10/21/petits-entiers/">Petits entiers</a></h2>`+prose(200)+cards(3, 20)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, expl, err := ExtractExplained(folio.Page{URL: tt.url, Status: http.StatusOK, Body: tt.body, FetchedAt: goldenFetchedAt}, DefaultRules())
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Extract: %v, want an article", err)
				}
				return
			}
			if !errors.Is(err, ErrNotArticle) {
				t.Fatalf("Extract error = %v, want ErrNotArticle", err)
			}
			if !strings.Contains(expl.NotArticle, tt.reason) {
				t.Errorf("reason = %q, want %q", expl.NotArticle, tt.reason)
			}
		})
	}
}

func TestProseWords(t *testing.T) {
	const pageURL = "https://blog.example/2024/07/12/billet/"
	tests := []struct {
		name, body string
		want       int
	}{
		{"paragraphs", `<p>un deux trois</p><div><p>quatre cinq</p></div>`, 5},
		{"links left out", `<p>un deux trois <a href="/x/">quatre cinq</a> six</p>`, 4},
		{"a line of links", `<p><a href="/x/">un deux</a> <a href="/y/">trois</a> quatre</p>`, 0},
		{"text of a div", `<div>un deux<br>trois</div>`, 3},
		{"furniture", `<nav><p>un</p></nav><header><p>deux</p></header><aside><p>trois</p></aside><footer><p>quatre</p></footer>` +
			`<form><p>cinq</p></form><div class="widget"><p>six</p></div><div id="sidebar"><p>sept</p></div><p>huit neuf</p>`, 2},
		{"excerpts under card titles", `<p>un deux</p><h2><a href="/2024/07/01/x/">Titre</a></h2><p>trois quatre</p><h2>Suite</h2><p>cinq</p>`, 3},
		{"a title linking elsewhere", `<h2><a href="https://video.example/clip">Clip</a></h2><p>un deux</p>`, 2},
		{"a title linking to the page", `<h2><a href="` + pageURL + `">Billet</a></h2><p>un deux</p>`, 2},
		{"scripts", `<p>un<script>var a = 1;</script></p>`, 1},
		{"list items", `<ol><li>un deux<br><span>trois</span> <a href="/x.pdf">quatre</a></li><li><p>cinq</p></li></ol>`, 4},
		{"a list of links", `<ul><li><a href="/a/">un deux</a></li><li><a href="/b/">trois</a> quatre</li></ul>`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(`<html><body>` + tt.body + `</body></html>`))
			if err != nil {
				t.Fatal(err)
			}
			x := &extraction{page: folio.Page{URL: pageURL}, meta: readMetadata(doc)}
			x.pageURL, x.base = mustURL(t, pageURL), mustURL(t, pageURL)
			if got := x.proseWords(findElement(doc, atom.Body)); got != tt.want {
				t.Errorf("proseWords = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestPageWideFormKeepsItsText: ASP.NET wraps the whole page in one form,
// which drop's "form" must not take with the article; the comments inside
// it stay out of the body.
func TestPageWideFormKeepsItsText(t *testing.T) {
	const reader = "Je ne suis pas d’accord avec ce projet, qui coûtera bien plus que prévu aux habitants. "
	body := []byte(`<html><head><title>Le budget voté</title></head><body>
<form id="aspnetForm" method="post" action="./article.aspx"><div class="menu"><a href="/">Accueil</a></div>
<div class="story"><h1>Le budget voté</h1>` + prose(200) + `</div>
<div id="comments" class="comments-area"><h2>3 commentaires</h2><div class="comment-body"><p>` + strings.Repeat(reader, 4) + `</p></div></div>
<div class="login"><input type="text" name="user"></div></form></body></html>`)
	a, err := Extract(folio.Page{URL: "https://news.example/article.aspx?id=12", Status: http.StatusOK, Body: body, FetchedAt: goldenFetchedAt}, DefaultRules())
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	if !strings.Contains(a.Body, sentences[2]) {
		t.Errorf("body lacks the article's text: %q", a.Body)
	}
	if strings.Contains(a.Body, strings.TrimSpace(reader)) {
		t.Errorf("body holds the comments: %q", a.Body)
	}
}

// TestTestSitePages extracts every page of the bundled test site, as it is
// and with the metadata of an SEO plugin, which says og:type article of
// its WordPress pages too: each article gives its record, every other page
// is refused, and the WordPress pages for the reason that fits them.
func TestTestSitePages(t *testing.T) {
	for _, seo := range []bool{false, true} {
		t.Run(fmt.Sprintf("seo metadata %v", seo), func(t *testing.T) { testSitePages(t, wpsite.Options{Articles: 24, SEOMeta: seo}) })
	}
}

func testSitePages(t *testing.T, opts wpsite.Options) {
	site := wpsite.New(opts)
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	get := func(path string) folio.Page {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d, %v", path, resp.StatusCode, err)
		}
		return folio.Page{URL: srv.URL + path, Status: resp.StatusCode, Header: resp.Header, Body: body, FetchedAt: goldenFetchedAt}
	}
	for _, want := range site.Expected(srv.URL) {
		a, err := Extract(get(strings.TrimPrefix(want.URL, srv.URL)), DefaultRules())
		if err != nil {
			t.Errorf("article %s: %v", want.URL, err)
			continue
		}
		if a.Title != want.Title || a.Author != want.Author || a.Category != want.Category ||
			a.Published == nil || !a.Published.Equal(want.Published) {
			t.Errorf("%s: title %q, author %q, category %q, published %v; want %q, %q, %q, %v",
				want.URL, a.Title, a.Author, a.Category, a.Published, want.Title, want.Author, want.Category, want.Published)
		}
	}
	pageReasons := map[string]string{
		"/mentions-legales/": "legal notice",
		"/a-propos/":         "about page",
		"/contact/":          "contact page",
		"/podcasts/":         "static page with little text",
		"/emissions/":        "static page with little text",
		"/calendrier/":       "archive page (a month in the address: mois=",
	}
	for _, p := range site.PagePaths() {
		if path, _, _ := strings.Cut(p, "?"); pageReasons[path] == "" {
			t.Errorf("the test site's page %s has no expected reason here", p)
		}
	}
	for _, p := range site.NonArticlePaths() {
		_, expl, err := ExtractExplained(get(p), DefaultRules())
		if !errors.Is(err, ErrNotArticle) {
			t.Errorf("%s: err = %v, want ErrNotArticle", p, err)
			continue
		}
		path, _, _ := strings.Cut(p, "?")
		want := pageReasons[path]
		switch {
		case want == "" && p == "/" || strings.HasPrefix(p, "/page/"):
			want = "home page"
		case want == "":
			want = "archive page"
		}
		if !strings.HasPrefix(expl.NotArticle, want) {
			t.Errorf("%s: reason %q, want %q", p, expl.NotArticle, want)
		}
	}
	// Without a month in its address, the calendar's grid tells.
	_, expl, err := ExtractExplained(get("/calendrier/"), DefaultRules())
	if !errors.Is(err, ErrNotArticle) || !strings.HasPrefix(expl.NotArticle, "calendar page (a month grid)") {
		t.Errorf("/calendrier/: %v, reason %q; want a calendar page", err, expl.NotArticle)
	}
}

func TestSiteInfoNamesAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for kind, names := range siteInfoNames {
		for _, n := range names {
			k := pageNameKey(n)
			if k == "" {
				t.Errorf("%s: %q has an empty key", kind, n)
			}
			if other, ok := seen[k]; ok && other != kind {
				t.Errorf("%q is both a %s and a %s", n, other, kind)
			}
			seen[k] = kind
		}
	}
	for in, want := range map[string]string{"Qui sommes-nous ?": "qui sommes nous", "qui-sommes-nous": "qui sommes nous",
		"Über uns": "uber uns", "impressum.html": "impressum", "À propos": "a propos", "a_propos": "a propos"} {
		if got := pageNameKey(in); got != want {
			t.Errorf("pageNameKey(%q) = %q, want %q", in, got, want)
		}
	}
	if pageNameKey("Mentions légales") != pageNameKey("mentions-legales") {
		t.Error("a title and its slug give different keys")
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
