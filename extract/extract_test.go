package extract

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
)

// wpPage builds a small page in the markup of a WordPress theme: head tags,
// body classes, and the article's inner HTML.
func wpPage(head, bodyClass, article string) []byte {
	return []byte(`<!DOCTYPE html><html lang="fr-FR"><head><meta charset="utf-8">` + head + `</head>
<body class="` + bodyClass + `"><header><nav><a href="/">Accueil</a> <a href="/category/monde/">Monde</a></nav></header>
<article class="post type-post hentry">` + article + `</article>
<footer>© Radio Exemple</footer></body></html>`)
}

const (
	singleClass = "post-template-default single single-post postid-1"
	leadPara    = `<p>Un paragraphe assez long pour passer pour le chapeau d’un article de presse.</p>`
)

func extractPage(t *testing.T, pageURL string, body []byte, r Rules, opts ...Option) (folio.Article, error) {
	t.Helper()
	return Extract(folio.Page{URL: pageURL, Status: http.StatusOK, Body: body, FetchedAt: goldenFetchedAt}, r, opts...)
}

func TestIconLigaturesNeverReachText(t *testing.T) {
	page := wpPage(`<title>Titre &#8211; Radio Exemple</title>`, singleClass, `
<h1 class="entry-title"><i class="material-icons">play_arrow</i>Le direct du soir</h1>
<span class="qt-item-metas"><i class="material-icons">today</i>novembre 7, 2022 <span><i class="material-icons">visibility</i> 1</span></span>
<div class="entry-content">
  <p><span class="material-icons">share</span>Premier paragraphe du corps, avec assez de texte pour compter.</p>
  <p>Second paragraphe <i class="material-icons-outlined">close</i>sans icône.</p>
</div>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/direct/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Le direct du soir" {
		t.Errorf("title = %q, want %q", a.Title, "Le direct du soir")
	}
	if a.Published == nil || a.Published.Format(time.RFC3339) != "2022-11-07T00:00:00+01:00" {
		t.Errorf("published = %v, want 2022-11-07T00:00:00+01:00", a.Published)
	}
	wantBody := "Premier paragraphe du corps, avec assez de texte pour compter.\n\nSecond paragraphe sans icône."
	if a.Body != wantBody {
		t.Errorf("body = %q, want %q", a.Body, wantBody)
	}
	for _, lig := range []string{"play_arrow", "today", "visibility", "share", "close"} {
		for field, text := range map[string]string{"title": a.Title, "body": a.Body, "body_html": a.BodyHTML, "summary": a.Summary} {
			if strings.Contains(text, lig) {
				t.Errorf("%s contains the ligature %q: %q", field, lig, text)
			}
		}
	}
}

func TestStripLigatures(t *testing.T) {
	tests := []struct{ in, want string }{
		{"todaynovembre 7, 2022", "novembre 7, 2022"},
		{"today novembre 7, 2022", "novembre 7, 2022"},
		{"today7 nov. 2022", "7 nov. 2022"},
		{"calendar_todaymardi 8 novembre 2022", "mardi 8 novembre 2022"},
		{"play_arrow Écouter", "Écouter"},
		{"visibility 1", "1"},
		{"share close", ""},
		{"novembre 7, 2022 visibility 12", "novembre 7, 2022 12"},
		{"shared values", "shared values"},
		{"eventually", "eventually"},
		{"closed", "closed"},
		{"Today the lamp is watched", "Today the lamp is watched"},
	}
	for _, tt := range tests {
		if got := stripLigatures(tt.in); got != tt.want {
			t.Errorf("stripLigatures(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripTitleSuffix(t *testing.T) {
	tests := []struct{ title, site, want string }{
		{"Entre la Corée du Nord et la Russie – Radio Exemple", "", "Entre la Corée du Nord et la Russie"},
		{"Entre la Corée du Nord et la Russie – Radio Exemple", "Radio Exemple", "Entre la Corée du Nord et la Russie"},
		{"Radio Exemple | Entre la Corée du Nord et la Russie", "Radio Exemple", "Entre la Corée du Nord et la Russie"},
		{"The last lighthouse keeper of Skerryvore | Coastal Notes", "", "The last lighthouse keeper of Skerryvore"},
		{"Inflation : les prix ralentissent - Le Quotidien", "", "Inflation : les prix ralentissent"},
		{"Covid-19 - les chiffres du jour", "", "Covid-19 - les chiffres du jour"},
		{"Méditerranée: trier les migrants comme le fait l’Italie", "", "Méditerranée: trier les migrants comme le fait l’Italie"},
		{"Paris – Berlin – Moscou : le train de nuit revient – Radio Exemple", "Radio Exemple", "Paris – Berlin – Moscou : le train de nuit revient"},
		{"Enchufla Figuren - Salsa-Figuren - Rueda in Berlin", "", "Enchufla Figuren"},
		{"Wahlen in Berlin – Politik – Zeitung Online", "", "Wahlen in Berlin"},
		{"Radio Exemple", "Radio Exemple", "Radio Exemple"},
		{"Brèves", "", "Brèves"},
		{"武汉的声音：有英勇的你，才有英雄的城！-新华网", "", "武汉的声音：有英勇的你，才有英雄的城！"},
		{"东京明天的天气将大幅转坏_百度新闻", "", "东京明天的天气将大幅转坏"},
		{"海外留学生看两会：出国前后关注点大不同_教育频道_中国青年网", "", "海外留学生看两会：出国前后关注点大不同"},
		{"蔡健雅_百度百科", "", "蔡健雅_百度百科"},
		{"東京の天気は明日から大きく崩れる見込み－ニュース", "", "東京の天気は明日から大きく崩れる見込み"},
		{"COVID-19", "", "COVID-19"},
		{"新冠-病毒", "", "新冠-病毒"},
	}
	for _, tt := range tests {
		if got := stripTitleSuffix(tt.title, tt.site); got != tt.want {
			t.Errorf("stripTitleSuffix(%q, %q) = %q, want %q", tt.title, tt.site, got, tt.want)
		}
	}
}

func TestTitleFromDocumentTitle(t *testing.T) {
	page := []byte(`<html lang="fr"><head><title>Le train de nuit revient &#8211; Radio Exemple</title>
<meta property="og:site_name" content="Radio Exemple"></head>
<body><div class="entry-content">` + leadPara + `</div></body></html>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/train/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Le train de nuit revient" {
		t.Errorf("title = %q, want %q", a.Title, "Le train de nuit revient")
	}
}

func TestCanonicalURL(t *testing.T) {
	const pageURL = "https://radio.example/2022/11/07/train/?utm_source=x"
	tests := []struct{ name, canonical, want string }{
		{"same host", `https://radio.example/2022/11/07/train/`, "https://radio.example/2022/11/07/train/"},
		{"relative", `/2022/11/07/train/`, "https://radio.example/2022/11/07/train/"},
		{"fragment dropped", `https://radio.example/2022/11/07/train/#top`, "https://radio.example/2022/11/07/train/"},
		{"upper-case host", `https://RADIO.example/2022/11/07/train/`, "https://radio.example/2022/11/07/train/"},
		{"other host", `https://syndication.example/train/`, pageURL},
		{"other subdomain", `https://www.radio.example/2022/11/07/train/`, pageURL},
		{"not http", `javascript:void(0)`, pageURL},
		{"empty", ``, pageURL},
		{"none", "-", pageURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := `<title>Le train</title>`
			if tt.canonical != "-" {
				head += `<link rel="canonical" href="` + tt.canonical + `">`
			}
			a, err := extractPage(t, pageURL, wpPage(head, singleClass, `<h1>Le train</h1><div class="entry-content">`+leadPara+`</div>`), DefaultRules())
			if err != nil {
				t.Fatal(err)
			}
			if a.URL != tt.want {
				t.Errorf("url = %q, want %q", a.URL, tt.want)
			}
			if a.ID != folio.ArticleID(tt.want) || a.Site != folio.SiteOf(tt.want) {
				t.Errorf("id, site = %q, %q; want those of %q", a.ID, a.Site, tt.want)
			}
		})
	}
}

func TestNotArticle(t *testing.T) {
	article := `<h1>Un titre</h1><div class="entry-content">` + leadPara + `</div>`
	teasers := strings.Repeat(`<article class="post"><h2><a href="/2022/11/07/x/">Un titre</a></h2><p>Un extrait.</p></article>`, 4)
	tests := []struct {
		name, url string
		status    int
		body      []byte
		rules     Rules
		reason    string // "" means an article
	}{
		{"article", "https://radio.example/2022/11/07/x/", 200, wpPage("", singleClass, article), Rules{}, ""},
		{"http 404", "https://radio.example/missing/", 404, wpPage("", singleClass, article), Rules{}, "http status 404"},
		{"empty", "https://radio.example/2022/11/07/x/", 200, []byte(" \n "), Rules{}, "empty page"},
		{"error404 class", "https://radio.example/missing/", 200, wpPage("", "error404", article), Rules{}, "404 page"},
		{"not found title", "https://blog.example/missing", 200, []byte(`<title>Page not found – Blog</title><h1>Oops</h1><p>` + leadPara + `</p>`), Rules{}, "404 page"},
		{"home", "https://radio.example/", 200, wpPage("", "home blog", teasers), Rules{}, "home page"},
		{"home by address", "https://news.example/", 200, []byte(`<title>News</title><h1>News</h1>` + leadPara), Rules{}, "home page"},
		{"paged listing", "https://news.example/page/3/", 200, []byte(`<title>News</title><h1>News</h1>` + leadPara), Rules{}, "listing page"},
		{"tag archive", "https://radio.example/tag/russie/", 200, wpPage("", "archive tag tag-russie", teasers), Rules{}, "archive page"},
		{"date archive by address", "https://news.example/2022/11/", 200, []byte(`<h1>Novembre 2022</h1>` + leadPara), Rules{}, "archive page"},
		{"search", "https://radio.example/?s=russie", 200, wpPage("", "search search-results", teasers), Rules{}, "search results page"},
		{"static page", "https://radio.example/podcasts/", 200, wpPage("", "page-template-default page page-id-2", article), Rules{}, "static page"},
		{"json-ld collection", "https://news.example/monde", 200, []byte(`<script type="application/ld+json">{"@type":"CollectionPage","name":"Monde"}</script><h1>Monde</h1>` + leadPara), Rules{}, "listing page (json-ld CollectionPage)"},
		{"teasers", "https://news.example/monde", 200, []byte(`<title>Monde</title><main><h1>Monde</h1>` + teasers + `</main>`), Rules{}, "listing page (4 article teasers)"},
		{"rule", "https://radio.example/2022/11/07/x/", 200, wpPage("", singleClass+" podcast", article), Rules{NotArticle: "body.podcast"}, "matches rules.not_article"},
		{"no title", "https://news.example/a/b", 200, []byte(`<html><body><div class="entry-content">` + leadPara + `</div></body></html>`), Rules{}, "no title"},
		{"no body", "https://news.example/a/b", 200, []byte(`<html><head><title>Un titre</title></head><body><h1>Un titre</h1></body></html>`), Rules{}, "no body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Extract(folio.Page{URL: tt.url, Status: tt.status, Body: tt.body, FetchedAt: goldenFetchedAt}, tt.rules)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Extract: %v, want an article", err)
				}
				return
			}
			if !errors.Is(err, ErrNotArticle) {
				t.Fatalf("Extract error = %v, want ErrNotArticle", err)
			}
			if !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), tt.url) {
				t.Errorf("Extract error = %q, want it to name %q and the reason %q", err, tt.url, tt.reason)
			}
		})
	}
}

func TestNormaliseLanguage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"fr-FR", "fr"}, {"fr_FR", "fr"}, {"FR", "fr"}, {"en-GB", "en"}, {"zh-Hant-TW", "zh"},
		{"de, en", "de"}, {"", ""}, {"und", ""}, {"not a language!", ""},
	}
	for _, tt := range tests {
		if got := normaliseLanguage(tt.in); got != tt.want {
			t.Errorf("normaliseLanguage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLanguageFallbacks(t *testing.T) {
	body := func(head string) []byte {
		return []byte(`<html><head>` + head + `</head><body><h1>Titre</h1><div class="entry-content">` + leadPara + `</div></body></html>`)
	}
	tests := []struct {
		name   string
		page   []byte
		header string
		rules  Rules
		want   string
	}{
		{"og:locale", body(`<meta property="og:locale" content="pt_BR">`), "", Rules{}, "pt"},
		{"header", body(""), "de-DE", Rules{}, "de"},
		{"rules fallback", body(""), "", Rules{Language: "it"}, "it"},
		{"unknown", body(""), "", Rules{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("Content-Language", tt.header)
			}
			a, err := Extract(folio.Page{URL: "https://news.example/a/b", Status: 200, Header: h, Body: tt.page}, tt.rules)
			if err != nil {
				t.Fatal(err)
			}
			if a.Language != tt.want {
				t.Errorf("language = %q, want %q", a.Language, tt.want)
			}
		})
	}
}

// TestLoggerNamesWinningLayer checks that the debug log says which layer
// gave a field, and that switching a rule off hands the field to the next
// layer.
func TestLoggerNamesWinningLayer(t *testing.T) {
	page := wpPage("", singleClass, `<h1>Un titre</h1><div class="entry-content">`+leadPara+`</div>
<p class="byline">Written by: <a href="/author/jeanne/" rel="author">Jeanne</a></p>`)
	for _, tt := range []struct {
		name      string
		author    string
		wantLayer string
	}{
		{"rule", "", "field=author layer=rules"},
		{"rule off", ruleOff, "field=author layer=heuristics"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, Rules{Author: tt.author}, WithLogger(log))
			if err != nil {
				t.Fatal(err)
			}
			if a.Author != "Jeanne" {
				t.Errorf("author = %q, want Jeanne", a.Author)
			}
			if !strings.Contains(logs.String(), tt.wantLayer) {
				t.Errorf("log lacks %q:\n%s", tt.wantLayer, logs.String())
			}
		})
	}
}

func TestNeighbourLinks(t *testing.T) {
	// WordPress's own post navigation: the label sits inside the link.
	page := wpPage(`<title>Un titre</title>`, singleClass, `<h1>Un titre</h1><div class="entry-content">`+leadPara+`</div>`+`
<nav class="navigation post-navigation"><div class="nav-links">
 <div class="nav-previous"><a href="/2022/11/06/avant/" rel="prev"><span class="meta-nav">Article précédent</span> <span class="post-title">Le billet d’avant</span></a></div>
 <div class="nav-next"><a href="/2022/11/08/apres/" rel="next"><span class="meta-nav">Article suivant</span> <span class="post-title">Le billet d’après</span></a></div>
</div></nav>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*folio.PostLink{
		"previous": {URL: "https://radio.example/2022/11/06/avant/", Title: "Le billet d’avant"},
		"next":     {URL: "https://radio.example/2022/11/08/apres/", Title: "Le billet d’après"},
	}
	for field, got := range map[string]*folio.PostLink{"previous": a.Previous, "next": a.Next} {
		if got == nil || got.URL != want[field].URL || got.Title != want[field].Title {
			t.Errorf("%s = %+v, want %+v", field, got, want[field])
		}
	}
}

func TestRelatedSourceAndReadMoreLeaveBody(t *testing.T) {
	page := wpPage(`<title>Un titre</title>`, singleClass, `<h1>Un titre</h1><div class="entry-content">`+leadPara+`
<p><a href="https://origine.example/article">Lire la suite</a></p>
<h3>Lire aussi</h3>
<ul><li><a href="/2022/11/01/un/">Premier lien</a></li><li><a href="/2022/11/02/deux/">Second lien</a></li></ul>
<p>Source : <a href="https://agence.example/depeche">Agence Exemple</a></p>
<p>Dernier paragraphe du corps.</p></div>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	wantRelated := []folio.Link{{URL: "https://radio.example/2022/11/01/un/", Title: "Premier lien"}, {URL: "https://radio.example/2022/11/02/deux/", Title: "Second lien"}}
	if fmt.Sprint(a.Related) != fmt.Sprint(wantRelated) {
		t.Errorf("related = %v, want %v", a.Related, wantRelated)
	}
	if a.SourceURL != "https://agence.example/depeche" {
		t.Errorf("source_url = %q, want the Source line's link", a.SourceURL)
	}
	wantBody := "Un paragraphe assez long pour passer pour le chapeau d’un article de presse.\n\nDernier paragraphe du corps."
	if a.Body != wantBody {
		t.Errorf("body = %q, want %q", a.Body, wantBody)
	}
}

func TestBoilerplateEdges(t *testing.T) {
	t.Run("source words inside a sentence stay in the body", func(t *testing.T) {
		page := wpPage(`<title>x</title>`, singleClass, `<h1>Un titre</h1><div class="entry-content">`+leadPara+`
<p>Selon <a href="https://temoin.example/">la source</a> citée par le journal, le train repart lundi.</p></div>`)
		a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
		if err != nil {
			t.Fatal(err)
		}
		if a.SourceURL != "" {
			t.Errorf("source_url = %q, want none: the link is part of a sentence", a.SourceURL)
		}
		if !strings.Contains(a.Body, "Selon la source citée par le journal, le train repart lundi.") {
			t.Errorf("body lost the sentence:\n%s", a.Body)
		}
	})
	t.Run("a body classed like boilerplate is kept", func(t *testing.T) {
		page := wpPage(`<title>x</title>`, singleClass, `<h1>Un titre</h1><div class="entry-content share-enabled">`+leadPara+`</div>
<div class="share-buttons">Partager sur Facebook</div>`)
		a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
		if err != nil {
			t.Fatal(err)
		}
		if a.Body != "Un paragraphe assez long pour passer pour le chapeau d’un article de presse." {
			t.Errorf("body = %q", a.Body)
		}
	})
	t.Run("listing words in body classes of a declared article", func(t *testing.T) {
		page := []byte(`<html lang="fr"><head><meta property="og:type" content="article"><title>Un titre</title></head>
<body class="blog archive"><main><h1>Un titre</h1><div class="entry-content">` + leadPara + `</div></main></body></html>`)
		if _, err := extractPage(t, "https://blog.example/notes/un-titre", page, DefaultRules()); err != nil {
			t.Errorf("Extract: %v, want an article", err)
		}
	})
}

func TestTermsFromArchiveLinks(t *testing.T) {
	// A theme that prints terms without rel attributes still links to the
	// archives; the sidebar's tag cloud must not count.
	page := wpPage(`<title>x</title>`, singleClass, `<div class="meta"><a href="/category/monde/">Monde</a> <a href="/category/monde/europe/">Europe</a></div>
<h1>Un titre</h1><div class="entry-content">`+leadPara+`</div>
<div class="post-terms"><a href="https://radio.example/tag/russie/">Russie</a>, <a href="https://radio.example/tag/coree-du-nord/">Corée du Nord</a></div>
<aside class="widget"><a href="/tag/migrants/">migrants</a></aside>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Categories) != "[Monde Europe]" || a.Category != "Monde" {
		t.Errorf("category, categories = %q, %q; want Monde, [Monde Europe]", a.Category, a.Categories)
	}
	if fmt.Sprint(a.Tags) != "[Russie Corée du Nord]" {
		t.Errorf("tags = %q, want [Russie Corée du Nord]", a.Tags)
	}
}

func TestCategoryFromWordPressClass(t *testing.T) {
	// No link in the article names its category, but WordPress's
	// category-<slug> class does, and the menu tells the slug's name.
	page := []byte(`<html lang="fr"><head><title>Un titre</title></head><body class="single postid-9">
<nav><a href="https://radio.example/category/asie-pacifique/">Asie-Pacifique</a> <a href="https://radio.example/category/leurope/">L'Europe</a></nav>
<article class="post-9 post type-post category-leurope"><h1>Un titre</h1><div class="entry-content">` + leadPara + `</div></article></body></html>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if a.Category != "L'Europe" {
		t.Errorf("category = %q, want L'Europe", a.Category)
	}
}

// TestExtractConcurrent runs Extract from several goroutines with the same
// rules, as the crawl's worker pool does; run with -race it guards the
// shared compiled rules and sanitiser.
func TestExtractConcurrent(t *testing.T) {
	body, err := os.ReadFile("testdata/source-blog.html")
	if err != nil {
		t.Fatal(err)
	}
	page := folio.Page{URL: "https://radio.example/2022/11/07/x/", Status: 200, Body: body, FetchedAt: goldenFetchedAt}
	want, err := Extract(page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := Extract(page, Rules{}, WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				errs <- err
				return
			}
			if got.ContentHash != want.ContentHash || got.BodyHTML != want.BodyHTML {
				errs <- fmt.Errorf("concurrent extraction differs: hash %s, want %s", got.ContentHash, want.ContentHash)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestBaseElement(t *testing.T) {
	// <base href="/"> changes what links resolve against, not where the
	// page is: it is no home page.
	page := []byte(`<html><head><base href="https://cdn.radio.example/"><title>Un titre</title></head><body>
<article><h1>Un titre</h1><div class="entry-content">` + leadPara + `<p><img src="img/photo.jpg" alt="photo"></p></div></article></body></html>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a.Images) != "[https://cdn.radio.example/img/photo.jpg]" {
		t.Errorf("images = %q, want the photo resolved against <base>", a.Images)
	}
	if a.URL != "https://radio.example/2022/11/07/x/" {
		t.Errorf("url = %q, want the page's address", a.URL)
	}
}
