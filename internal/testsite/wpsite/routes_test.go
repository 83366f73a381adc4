package wpsite

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

func TestRobotsTxt(t *testing.T) {
	srv := served(t, New(Options{}))
	f := get(t, srv.Client(), srv.URL+"/robots.txt")
	want := "User-agent: *\n" +
		"Disallow: /wp-admin/\n" +
		"Allow: /wp-admin/admin-ajax.php\n" +
		"Disallow: /prive/\n" +
		"\n" +
		"Sitemap: " + srv.URL + "/wp-sitemap.xml\n"
	if f.status != http.StatusOK || f.body != want {
		t.Errorf("robots.txt: status %d\n%s\nwant\n%s", f.status, f.body, want)
	}
	if ct := f.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("robots.txt Content-Type %q", ct)
	}
}

type rss struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Link  string `xml:"link"`
		Items []struct {
			Title      string   `xml:"title"`
			Link       string   `xml:"link"`
			PubDate    string   `xml:"pubDate"`
			Creator    string   `xml:"http://purl.org/dc/elements/1.1/ creator"`
			Categories []string `xml:"category"`
			Content    string   `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestFeed(t *testing.T) {
	site := New(Options{})
	srv := served(t, site)
	expected := site.Expected(srv.URL)
	f := get(t, srv.Client(), srv.URL+"/feed/")
	if f.status != http.StatusOK || !strings.HasPrefix(f.header.Get("Content-Type"), "application/rss+xml") {
		t.Fatalf("feed: status %d, Content-Type %q", f.status, f.header.Get("Content-Type"))
	}
	var feed rss
	if err := xml.Unmarshal([]byte(f.body), &feed); err != nil {
		t.Fatalf("parse feed: %v", err)
	}
	if feed.Version != "2.0" || feed.Channel.Title != SiteName || len(feed.Channel.Items) != 10 {
		t.Fatalf("feed: version %q, title %q, %d items; want 2.0, %q, 10", feed.Version, feed.Channel.Title, len(feed.Channel.Items), SiteName)
	}
	for i, item := range feed.Channel.Items {
		want := expected[i]
		published, err := time.Parse(time.RFC1123Z, item.PubDate)
		if err != nil {
			t.Errorf("item %d: pubDate: %v", i, err)
		}
		if item.Link != want.URL || item.Title != want.Title || !published.Equal(want.Published) ||
			item.Creator != want.Author || item.Categories[0] != want.Category {
			t.Errorf("item %d = %s %q %s %s %v, want %s %q %s %s %s", i, item.Link, item.Title, published, item.Creator, item.Categories,
				want.URL, want.Title, want.Published, want.Author, want.Category)
		}
		if !strings.Contains(item.Content, "<strong>") || !strings.Contains(item.Content, "La source") {
			t.Errorf("item %d: content:encoded lacks the post's content", i)
		}
	}
	// A post's comments feed, which its page links to.
	var withComments Article
	for _, a := range expected {
		if a.CommentCount > 0 {
			withComments = a
			break
		}
	}
	var comments rss
	cf := get(t, srv.Client(), withComments.URL+"feed/")
	if err := xml.Unmarshal([]byte(cf.body), &comments); err != nil || cf.status != http.StatusOK {
		t.Fatalf("comments feed of %s: status %d, %v", withComments.URL, cf.status, err)
	}
	if len(comments.Channel.Items) != withComments.CommentCount {
		t.Errorf("comments feed of %s has %d items, want %d", withComments.URL, len(comments.Channel.Items), withComments.CommentCount)
	}
}

type sitemapIndex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
}

type urlSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod"`
	} `xml:"url"`
}

// TestSitemaps reads the sitemap index from robots.txt and every sitemap it
// lists: together they name every article once, with its date of last
// change when SitemapLastmod is on (the 2,100-article site) and none
// otherwise, as WordPress 6.1.
func TestSitemaps(t *testing.T) {
	for _, n := range []int{60, 2100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			withLastmod := n > 1000
			site := New(Options{Articles: n, SitemapLastmod: withLastmod})
			srv := served(t, site)
			robots := get(t, srv.Client(), srv.URL+"/robots.txt").body
			_, indexURL, ok := strings.Cut(robots, "Sitemap: ")
			if !ok {
				t.Fatal("robots.txt has no Sitemap line")
			}
			var index sitemapIndex
			if err := xml.Unmarshal([]byte(get(t, srv.Client(), strings.TrimSpace(indexURL)).body), &index); err != nil {
				t.Fatalf("parse sitemap index: %v", err)
			}
			postSitemaps := 0
			lastmod := map[string]string{}
			var other []string
			for _, sm := range index.Sitemaps {
				f := get(t, srv.Client(), sm.Loc)
				var set urlSet
				if err := xml.Unmarshal([]byte(f.body), &set); err != nil || f.status != http.StatusOK {
					t.Fatalf("sitemap %s: status %d, %v", sm.Loc, f.status, err)
				}
				if strings.Contains(sm.Loc, "-posts-post-") {
					postSitemaps++
					for _, u := range set.URLs {
						if _, dup := lastmod[u.Loc]; dup {
							t.Errorf("%s listed twice", u.Loc)
						}
						lastmod[u.Loc] = u.Lastmod
					}
				} else {
					for _, u := range set.URLs {
						other = append(other, strings.TrimPrefix(u.Loc, srv.URL))
					}
				}
			}
			if want := (n + 1999) / 2000; postSitemaps != want {
				t.Errorf("%d post sitemaps, want %d", postSitemaps, want)
			}
			for _, a := range site.Expected(srv.URL) {
				if lm, ok := lastmod[a.URL]; !ok {
					t.Errorf("%s is in no sitemap", a.URL)
				} else if d, err := time.Parse(time.RFC3339, lm); withLastmod && (err != nil || !d.Equal(a.Published)) || !withLastmod && lm != "" {
					t.Errorf("%s: lastmod %q, published %s", a.URL, lm, a.Published)
				}
			}
			if len(lastmod) != n {
				t.Errorf("post sitemaps list %d URLs, want %d", len(lastmod), n)
			}
			for _, want := range []string{"/", "/mentions-legales/", "/category/leurope/", "/tag/russie/", "/author/admin/"} {
				if !slices.Contains(other, want) {
					t.Errorf("no sitemap lists %s", want)
				}
			}
			for _, p := range other {
				if strings.HasPrefix(p, DisallowedPrefix) {
					t.Errorf("a sitemap lists the disallowed %s", p)
				}
			}
		})
	}
}

func TestStatusCodes(t *testing.T) {
	site := New(Options{})
	srv := served(t, site)
	article := "/2022/11/07/entre-la-coree-du-nord-et-la-russie-un-rapprochement-symbolique-mais-interesse/"
	doc := getDoc(t, srv.Client(), srv.URL+article)
	shortlink := doc.Find(`link[rel="shortlink"]`).AttrOr("href", "")
	restLink := doc.Find(`link[type="application/json"]`).AttrOr("href", "")
	tests := []struct {
		method, path string
		status       int
		location     string // for redirects
		contentType  string
	}{
		{"GET", "/", 200, "", "text/html; charset=UTF-8"},
		{"HEAD", "/", 200, "", "text/html; charset=UTF-8"},
		{"GET", article, 200, "", "text/html; charset=UTF-8"},
		{"GET", strings.TrimSuffix(article, "/"), 301, article, ""},
		{"GET", strings.TrimPrefix(shortlink, srv.URL), 301, article, ""},
		{"GET", "/?p=99999", 404, "", "text/html; charset=UTF-8"},
		{"GET", "/?page_id=2", 301, "/mentions-legales/", ""},
		{"GET", "/page/1/", 301, "/", ""},
		{"GET", "/page/2/", 200, "", "text/html; charset=UTF-8"},
		{"GET", "/page/6/", 200, "", "text/html; charset=UTF-8"},
		{"GET", "/page/7/", 404, "", "text/html; charset=UTF-8"},
		{"GET", "/page/0/", 404, "", ""},
		{"GET", "/page/02/", 404, "", ""},
		{"GET", "/category/leurope/page/2/", 200, "", ""},
		{"GET", "/category/nulle-part/", 404, "", ""},
		{"GET", "/tag/russie/", 200, "", ""},
		{"GET", "/tag/inconnue/", 404, "", ""},
		{"GET", "/author/admin/", 200, "", ""},
		{"GET", "/author/personne/", 404, "", ""},
		{"GET", "/2022/11/", 200, "", ""},
		{"GET", "/2022/", 200, "", ""},
		{"GET", "/2022/11/07/", 200, "", ""},
		{"GET", "/2019/01/", 404, "", ""},
		{"GET", "/2022/11/07/nexiste-pas/", 404, "", ""},
		{"GET", "/2022/11/08/entre-la-coree-du-nord-et-la-russie-un-rapprochement-symbolique-mais-interesse/", 404, "", ""},
		{"GET", article + "page/2/", 404, "", ""},
		{"GET", article + "feed/", 200, "", "application/rss+xml; charset=UTF-8"},
		{"GET", "/feed/", 200, "", "application/rss+xml; charset=UTF-8"},
		{"GET", "/wp-sitemap.xml", 200, "", "application/xml; charset=UTF-8"},
		{"GET", "/wp-sitemap-posts-post-2.xml", 404, "", ""},
		{"GET", "/wp-sitemap-posts-post-1", 404, "", ""},
		{"GET", "/mentions-legales/", 200, "", ""},
		{"GET", "/mentions-legales", 301, "/mentions-legales/", ""},
		{"GET", "/podcasts/", 200, "", ""},
		{"GET", "/prive/espace-membres/", 200, "", ""},
		{"GET", "/prive/inconnu/", 404, "", ""},
		{"GET", "/wp-admin/", 403, "", ""},
		{"GET", "/wp-json/", 200, "", "application/json; charset=UTF-8"},
		{"GET", strings.TrimPrefix(restLink, srv.URL), 200, "", "application/json; charset=UTF-8"},
		{"GET", "/wp-json/wp/v2/posts/1", 404, "", "application/json; charset=UTF-8"},
		{"GET", "/wp-content/themes/proradio/style.css", 200, "", "text/css; charset=utf-8"},
		{"GET", "/wp-content/uploads/2021/03/logo.png", 200, "", "image/png"},
		{"GET", "/wp-content/uploads/2022/11/train-coree-russie.jpg", 200, "", "image/jpeg"},
		{"GET", "/wp-content/uploads/2022/11/absente.jpg", 404, "", ""},
		{"GET", "/nulle-part/", 404, "", "text/html; charset=UTF-8"},
		{"GET", "/nulle-part.html", 404, "", ""},
		{"POST", "/", 405, "", ""},
		{"POST", "/wp-comments-post.php", 303, "/", ""},
	}
	client := noRedirects(srv)
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
		}
		if tt.location != "" && resp.Header.Get("Location") != srv.URL+tt.location {
			t.Errorf("%s %s: Location %q, want %q", tt.method, tt.path, resp.Header.Get("Location"), srv.URL+tt.location)
		}
		if tt.contentType != "" && resp.Header.Get("Content-Type") != tt.contentType {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, resp.Header.Get("Content-Type"), tt.contentType)
		}
	}
	notFound := getDocStatus(t, srv, "/nulle-part/", http.StatusNotFound)
	if cls := notFound.Find("body").AttrOr("class", ""); !strings.Contains(cls, "error404") {
		t.Errorf("404 page body class %q", cls)
	}
	var post struct {
		ID    int    `json:"id"`
		Link  string `json:"link"`
		Title struct {
			Rendered string `json:"rendered"`
		} `json:"title"`
	}
	if err := json.Unmarshal([]byte(get(t, srv.Client(), restLink).body), &post); err != nil {
		t.Fatalf("decode %s: %v", restLink, err)
	}
	if post.Link != srv.URL+article || post.Title.Rendered != sourceTitle {
		t.Errorf("REST post = %+v", post)
	}
}

func getDocStatus(t *testing.T, srv *httptest.Server, path string, status int) *goquery.Document {
	t.Helper()
	f := get(t, srv.Client(), srv.URL+path)
	if f.status != status {
		t.Fatalf("%s: status %d, want %d", path, f.status, status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(f.body))
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return doc
}

// TestEveryLinkResolves walks every page a crawler can reach from / without
// leaving the site: each internal link answers 200 (or 301 to a page that
// does), robots.txt or not.
func TestEveryLinkResolves(t *testing.T) {
	site := New(Options{})
	srv := served(t, site)
	client := noRedirects(srv)
	queue := []string{srv.URL + "/"}
	seen := map[string]bool{srv.URL + "/": true}
	pages, replies := 0, 0
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		f := get(t, client, u)
		if f.status == http.StatusMovedPermanently {
			loc := f.header.Get("Location")
			if !seen[loc] {
				seen[loc] = true
				queue = append(queue, loc)
			}
			continue
		}
		if f.status != http.StatusOK {
			t.Errorf("%s: status %d", u, f.status)
			continue
		}
		if !strings.HasPrefix(f.header.Get("Content-Type"), "text/html") {
			continue
		}
		if strings.Contains(u, "?replytocom=") {
			// Each comment's "Répondre" link: the post again, noindex.
			replies++
			if !strings.Contains(f.body, `<meta name="robots" content="noindex, follow, `) {
				t.Errorf("%s is not marked noindex", u)
			}
			continue
		}
		pages++
		for _, m := range hrefAttr.FindAllStringSubmatch(f.body, -1) {
			link, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil {
				t.Errorf("%s links to %q: %v", u, m[1], err)
				continue
			}
			link.Fragment = ""
			if link.String() == "" || !strings.HasPrefix(link.String(), srv.URL) {
				continue
			}
			if !seen[link.String()] {
				seen[link.String()] = true
				queue = append(queue, link.String())
			}
		}
	}
	var missing []string
	for _, p := range append(append(site.ArticlePaths(), site.NonArticlePaths()...), site.DisallowedPaths()...) {
		if !seen[srv.URL+p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Errorf("pages not linked from the site: %v", missing)
	}
	if want := len(site.ArticlePaths()) + len(site.NonArticlePaths()) + len(site.DisallowedPaths()); pages != want {
		t.Errorf("reached %d HTML pages, want %d (articles, listings, pages and the members' section)", pages, want)
	}
	comments := 0
	for _, a := range site.Expected(srv.URL) {
		comments += a.CommentCount
	}
	if replies != comments || comments == 0 {
		t.Errorf("reached %d comment-reply pages, want one per comment (%d)", replies, comments)
	}
}

// TestNonArticlePages checks that nothing but articles looks like one: no
// single-post body class, no "today" date under the title, and that the
// disallowed section is linked from every page.
func TestNonArticlePages(t *testing.T) {
	site := New(Options{})
	srv := served(t, site)
	articles := map[string]bool{}
	for _, p := range site.ArticlePaths() {
		articles[p] = true
	}
	check := func(path string, disallowed bool) {
		if articles[path] {
			t.Errorf("%s is both an article and not", path)
		}
		if strings.HasPrefix(path, DisallowedPrefix) != disallowed {
			t.Errorf("%s: in the disallowed section: %v", path, !disallowed)
		}
		doc := getDoc(t, srv.Client(), srv.URL+path)
		cls := doc.Find("body").AttrOr("class", "")
		if strings.Contains(cls, "single") || !(strings.Contains(cls, "home") || strings.Contains(cls, "archive") || strings.Contains(cls, "page")) {
			t.Errorf("%s: body class %q", path, cls)
		}
		if doc.Find("#qtarticle, .qt-post-nav, #comments, .qt-pageheader .qt-item-metas").Length() > 0 {
			t.Errorf("%s has single-post markup", path)
		}
		if doc.Find(`.qt-footer a[href="`+srv.URL+DisallowedPrefix+`espace-membres/"]`).Length() != 1 {
			t.Errorf("%s does not link to the members' section", path)
		}
	}
	for _, p := range site.NonArticlePaths() {
		check(p, false)
	}
	for _, p := range site.DisallowedPaths() {
		check(p, true)
	}
	listings := site.ListingPaths()
	for _, want := range []string{"/", "/page/2/", "/category/leurope/", "/tag/russie/", "/author/admin/", "/2022/11/"} {
		if !slices.Contains(listings, want) {
			t.Errorf("ListingPaths lacks %s", want)
		}
	}
}

func TestRequestCounters(t *testing.T) {
	site := New(Options{})
	srv := served(t, site)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				for _, p := range []string{"/", "/feed/", fmt.Sprintf("/prive/x%d/", (w+i)%3), "/robots.txt?x=1"} {
					resp, err := srv.Client().Get(srv.URL + p)
					if err != nil {
						t.Error(err)
						return
					}
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	const n = workers * each
	got := map[string]int{
		"/":           site.Requests("/"),
		"/feed/":      site.Requests("/feed/"),
		"/robots.txt": site.Requests("/robots.txt"),
		"/nothing/":   site.Requests("/nothing/"),
		"prefix":      site.RequestsWithPrefix(DisallowedPrefix),
		"total":       site.TotalRequests(),
	}
	want := map[string]int{"/": n, "/feed/": n, "/robots.txt": n, "/nothing/": 0, "prefix": n, "total": 4 * n}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("counters (-want +got):\n%s", diff)
	}
	if c := site.RequestCounts(); c["/prive/x0/"]+c["/prive/x1/"]+c["/prive/x2/"] != n {
		t.Errorf("RequestCounts = %v", c)
	}
	site.ResetRequests()
	if site.TotalRequests() != 0 || site.Requests("/") != 0 || site.RequestsWithPrefix("/") != 0 {
		t.Error("ResetRequests left counts behind")
	}
}

// TestTagCloud checks WordPress's limit of 45 tags in the cloud: the most
// used ones, listed by name.
func TestTagCloud(t *testing.T) {
	site := New(Options{Articles: 500})
	srv := served(t, site)
	counts := map[string]int{}
	for _, a := range site.Expected(srv.URL) {
		for _, tag := range a.Tags {
			counts[tag]++
		}
	}
	var shown []string
	getDoc(t, srv.Client(), srv.URL+"/").Find(".tagcloud a").Each(func(_ int, s *goquery.Selection) { shown = append(shown, s.Text()) })
	if len(counts) <= 45 || len(shown) != 45 {
		t.Fatalf("%d tags, %d shown; want more than 45 and 45 shown", len(counts), len(shown))
	}
	least := len(site.ArticlePaths())
	for _, tag := range shown {
		least = min(least, counts[tag])
	}
	for tag, n := range counts {
		if !slices.Contains(shown, tag) && n > least {
			t.Errorf("tag %s (%d articles) is left out while one with %d is shown", tag, n, least)
		}
	}
	if !slices.IsSortedFunc(shown, func(a, b string) int {
		return strings.Compare(foldTest.Replace(strings.ToLower(a)), foldTest.Replace(strings.ToLower(b)))
	}) {
		t.Errorf("cloud not sorted by name: %v", shown)
	}
}
