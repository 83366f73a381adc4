package wpsite

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestStaticPages checks the WordPress pages a crawl meets besides posts
// and listings: each is linked from every page's menu or footer, is a
// WordPress page (body class page page-id-N, rel=canonical, no date), and
// holds what makes it the kind of page it is.
func TestStaticPages(t *testing.T) {
	site := New(Options{Articles: 40})
	srv := served(t, site)
	m := site.model.Load()
	calendar := m.calendarLink()
	newest := m.posts[m.newestFirst[0]].day
	if want := fmt.Sprintf("/calendrier/?mois=%04d-%02d", newest.Year(), newest.Month()); calendar != want {
		t.Fatalf("calendar linked at %s, want %s", calendar, want)
	}
	want := []string{legalPath, podcastsPath, aboutPath, contactPath, sectionsPath, calendar}
	if got := site.PagePaths(); !slices.Equal(got, want) {
		t.Fatalf("PagePaths = %v, want %v", got, want)
	}
	article := getDoc(t, srv.Client(), srv.URL+site.ArticlePaths()[0])
	for _, p := range want {
		if article.Find(`.qt-desktopmenu a[href="`+srv.URL+p+`"], .qt-footer a[href="`+srv.URL+p+`"]`).Length() != 1 {
			t.Errorf("an article's menu and footer do not link %s once", p)
		}
	}
	docs := map[string]*goquery.Document{}
	for _, p := range want {
		doc := getDoc(t, srv.Client(), srv.URL+p)
		if doc.Find(`link[rel=canonical]`).AttrOr("href", "") != srv.URL+p {
			t.Errorf("%s: no canonical link to itself", p)
		}
		p, _, _ = strings.Cut(p, "?")
		docs[p] = doc
		cls := strings.Fields(doc.Find("body").AttrOr("class", ""))
		if !slices.Contains(cls, "page") || !slices.ContainsFunc(cls, func(c string) bool { return strings.HasPrefix(c, "page-id-") }) {
			t.Errorf("%s: body class %v, want a WordPress page's", p, cls)
		}
		if doc.Find("time, .qt-item-metas, [rel=author]").Length() > 0 {
			t.Errorf("%s shows a date or an author", p)
		}
	}

	// The about page is as long as an article: only its title tells.
	if words := len(strings.Fields(docs[aboutPath].Find(".entry-content").Text())); words < 150 {
		t.Errorf("about page has %d words, want an article's length (150 or more)", words)
	}
	if h1 := squash(docs[aboutPath].Find("h1").Text()); h1 != "À propos" {
		t.Errorf("about page h1 %q", h1)
	}

	form := docs[contactPath].Find(".entry-content form.wpcf7-form")
	if form.Find("textarea").Length() != 1 || form.Find(`input[type=email]`).Length() != 1 {
		t.Error("contact page lacks its form (a textarea and an e-mail field)")
	}

	// The section index: a card per category with posts, its title a link
	// to the category, and more words of description than a short post.
	var cats []string
	for i, c := range categories {
		if len(m.catPosts[i]) > 0 {
			cats = append(cats, srv.URL+"/category/"+c.slug+"/")
		}
	}
	var linked []string
	descWords := 0
	docs[sectionsPath].Find(".qt-section-card").Each(func(_ int, s *goquery.Selection) {
		linked = append(linked, s.Find("h2 > a").AttrOr("href", ""))
		descWords += len(strings.Fields(s.Find("p").Text()))
	})
	if !slices.Equal(linked, cats) {
		t.Errorf("section cards link %v, want the categories %v", linked, cats)
	}
	if descWords < 100 {
		t.Errorf("section cards hold %d words, want at least 100", descWords)
	}

	// The calendar: the newest post's month, a cell per day, each post of
	// that month linked from its day, the month before linked to its
	// archive; it is kept out of the sitemap.
	cal := docs[calendarPagePath].Find("table.qt-calendar")
	if got, want := squash(cal.Find("caption").Text()), monthTitle(newest.Year(), newest.Month()); got != want {
		t.Errorf("calendar caption %q, want %q", got, want)
	}
	days := 0
	cal.Find("td").Each(func(_ int, s *goquery.Selection) {
		if d, err := strconv.Atoi(dayOf(s)); err == nil && d == days+1 {
			days++
		}
	})
	if last := newest.AddDate(0, 1, -newest.Day()).Day(); days != last {
		t.Errorf("calendar numbers %d days in order, want %d", days, last)
	}
	for _, rank := range m.months[0].posts {
		p := m.posts[rank]
		if cell := cal.Find(`a[href="` + srv.URL + p.path + `"]`).Parent(); dayOf(cell) != strconv.Itoa(p.day.Day()) {
			t.Errorf("post %s of day %d is not linked from its day's cell", p.path, p.day.Day())
		}
	}
	if len(m.months) > 1 {
		prev := "/" + monthKey(m.months[1].year, m.months[1].month) + "/"
		if docs[calendarPagePath].Find(`.qt-calendar-nav a[href="`+srv.URL+prev+`"]`).Length() != 1 {
			t.Errorf("calendar does not link the month before, %s", prev)
		}
	}
}

// dayOf is the day number a calendar cell starts with.
func dayOf(cell *goquery.Selection) string { return strings.TrimSpace(cell.Contents().First().Text()) }

// TestCalendarMonths: the calendar shows the month its address asks for,
// the newest post's without one, and no month that is not one.
func TestCalendarMonths(t *testing.T) {
	site := New(Options{Articles: 40})
	srv := served(t, site)
	m := site.model.Load()
	newest := m.posts[m.newestFirst[0]].day
	for query, want := range map[string]string{
		"":              monthTitle(newest.Year(), newest.Month()),
		"?mois=2021-03": monthTitle(2021, 3),
	} {
		doc := getDoc(t, srv.Client(), srv.URL+calendarPagePath+query)
		if got := squash(doc.Find("table.qt-calendar caption").Text()); got != want {
			t.Errorf("%s: caption %q, want %q", query, got, want)
		}
	}
	if f := get(t, srv.Client(), srv.URL+calendarPagePath+"?mois=demain"); f.status != 404 {
		t.Errorf("?mois=demain: status %d, want 404", f.status)
	}
	sitemap := get(t, srv.Client(), srv.URL+"/wp-sitemap-posts-page-1.xml").body
	if strings.Contains(sitemap, calendarPagePath) || !strings.Contains(sitemap, srv.URL+aboutPath) {
		t.Errorf("pages sitemap lists the calendar or lacks the about page:\n%s", sitemap)
	}
}

// TestSEOMeta: with Options.SEOMeta every page carries Yoast SEO's
// OpenGraph and JSON-LD, which say "article" of posts and pages alike;
// without it none does.
func TestSEOMeta(t *testing.T) {
	type node struct {
		Type     string `json:"@type"`
		Headline string `json:"headline"`
		Date     string `json:"datePublished"`
		Author   struct {
			Name string `json:"name"`
		} `json:"author"`
	}
	read := func(t *testing.T, doc *goquery.Document) (ogType string, types []string, article node) {
		ogType = doc.Find(`meta[property="og:type"]`).AttrOr("content", "")
		var ld struct {
			Graph []node `json:"@graph"`
		}
		if text := doc.Find(`script[type="application/ld+json"]`).Text(); text != "" {
			if err := json.Unmarshal([]byte(text), &ld); err != nil {
				t.Fatalf("json-ld: %v", err)
			}
		}
		for _, n := range ld.Graph {
			types = append(types, n.Type)
			if n.Type == "Article" {
				article = n
			}
		}
		return ogType, types, article
	}
	plain := New(Options{Articles: 12})
	site := New(Options{Articles: 12, SEOMeta: true})
	srvPlain, srv := served(t, plain), served(t, site)
	post := site.ArticlePaths()[0]
	truth := site.Expected(srv.URL)[0]
	tests := []struct {
		path, ogType string
		types        []string
	}{
		{post, "article", []string{"WebPage", "WebSite", "Article"}},
		{legalPath, "article", []string{"WebPage", "WebSite"}},
		{aboutPath, "article", []string{"WebPage", "WebSite"}},
		{"/", "website", []string{"CollectionPage", "WebSite"}},
		{"/category/leurope/", "website", []string{"CollectionPage", "WebSite"}},
	}
	for _, tt := range tests {
		ogType, types, article := read(t, getDoc(t, srv.Client(), srv.URL+tt.path))
		if ogType != tt.ogType || !slices.Equal(types, tt.types) {
			t.Errorf("%s: og:type %q, json-ld %v; want %q, %v", tt.path, ogType, types, tt.ogType, tt.types)
		}
		if tt.path == post && (article.Headline != truth.Title || article.Author.Name != truth.Author || article.Date != truth.Published.Format(time.RFC3339)) {
			t.Errorf("%s: json-ld Article %+v disagrees with the ground truth %q, %q, %s", post, article, truth.Title, truth.Author, truth.Published)
		}
		if ogType, types, _ := read(t, getDoc(t, srvPlain.Client(), srvPlain.URL+tt.path)); ogType != "" || len(types) > 0 {
			t.Errorf("%s without SEOMeta: og:type %q, json-ld %v", tt.path, ogType, types)
		}
	}
}
