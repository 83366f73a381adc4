package wpsite

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
)

func TestFaultsOffByDefault(t *testing.T) {
	site := New(Options{})
	srv := served(t, site)
	if fp := site.Faults(); !cmp.Equal(fp, FaultPages{}) {
		t.Errorf("Faults() of the default site = %+v, want none", fp)
	}
	for _, p := range []string{FaultHubPath, CalendarPath + "?month=2023-01", HugePath, loopPathA, pdfPath, downloadPath} {
		if f := get(t, noRedirects(srv), srv.URL+p); f.status != http.StatusNotFound {
			t.Errorf("%s: status %d without faults, want 404", p, f.status)
		}
	}
	if home := get(t, srv.Client(), srv.URL+"/").body; strings.Contains(home, FaultHubPath) {
		t.Error("the default site's footer links the Dossiers page")
	}
}

// TestFaultPages checks where the faults fall and that the Dossiers page,
// linked from every page's footer, links the fault pages.
func TestFaultPages(t *testing.T) {
	site := New(Options{Faults: AllFaults, PartnerURL: "http://partner.test"})
	srv := served(t, site)
	fp := site.Faults()
	counts := map[string]int{"flaky": len(fp.Flaky), "busy": len(fp.Busy), "slow": len(fp.Slow), "old slugs": len(fp.OldSlugs),
		"latin1": len(fp.Latin1), "broken html": len(fp.BrokenHTML), "tracking": len(fp.Tracking), "loop": len(fp.RedirectLoop),
		"broken links": len(fp.BrokenLinks), "partner": len(fp.PartnerLinks), "attachments": len(fp.Attachments)}
	want := map[string]int{"flaky": 3, "busy": 1, "slow": 1, "old slugs": 3, "latin1": 1, "broken html": 1, "tracking": 3,
		"loop": 2, "broken links": 3, "partner": 2, "attachments": 3}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("fault counts (-want +got):\n%s", diff)
	}
	if fp.Hub != FaultHubPath || fp.Calendar != CalendarPath || fp.Huge != HugePath {
		t.Errorf("Hub %q, Calendar %q, Huge %q", fp.Hub, fp.Calendar, fp.Huge)
	}

	// Each fault article is a distinct article, none of the ten on the
	// home page.
	articles := site.ArticlePaths()
	seen := map[string]bool{}
	faulty := slices.Concat(fp.Flaky, fp.Busy, fp.Slow, fp.Latin1, fp.BrokenHTML)
	for _, p := range fp.OldSlugs {
		faulty = append(faulty, p)
	}
	for _, p := range fp.Tracking {
		faulty = append(faulty, p)
	}
	for _, p := range faulty {
		i := slices.Index(articles, p)
		if i < postsPerPage || seen[p] {
			t.Errorf("fault article %s: position %d among the newest, seen before %v", p, i, seen[p])
		}
		seen[p] = true
	}

	if home := get(t, srv.Client(), srv.URL+"/").body; !strings.Contains(home, `href="`+srv.URL+FaultHubPath+`"`) {
		t.Error("the footer does not link the Dossiers page")
	}
	hub := getDoc(t, srv.Client(), srv.URL+FaultHubPath)
	var hrefs []string
	hub.Find(".entry-content a").Each(func(_ int, a *goquery.Selection) { hrefs = append(hrefs, a.AttrOr("href", "")) })
	var wantLinks []string
	for old := range fp.OldSlugs {
		wantLinks = append(wantLinks, srv.URL+old)
	}
	for link := range fp.Tracking {
		wantLinks = append(wantLinks, srv.URL+link)
	}
	wantLinks = append(wantLinks, srv.URL+CalendarPath+"?month=2023-12", srv.URL+HugePath, srv.URL+loopPathA)
	for _, p := range slices.Concat(fp.BrokenLinks, fp.Attachments) {
		wantLinks = append(wantLinks, srv.URL+p)
	}
	wantLinks = append(wantLinks, fp.PartnerLinks...)
	for _, p := range append(fp.Noindex, pollPath) {
		wantLinks = append(wantLinks, srv.URL+p)
	}
	for link := range fp.Copies {
		wantLinks = append(wantLinks, srv.URL+link)
	}
	slices.Sort(hrefs)
	slices.Sort(wantLinks)
	if diff := cmp.Diff(wantLinks, hrefs); diff != "" {
		t.Errorf("Dossiers links (-want +got):\n%s", diff)
	}
	for _, l := range fp.PartnerLinks {
		if !strings.HasPrefix(l, "http://partner.test/") {
			t.Errorf("partner link %s not on PartnerURL", l)
		}
	}
	if !slices.Contains(site.PagePaths(), FaultHubPath) || !slices.Contains(site.PagePaths(), fp.NoindexLink) {
		t.Error("PagePaths lacks the Dossiers page or the page a noindex preview links")
	}
}

// TestNoindexAndCopies: the FaultNoindex previews say noindex as their
// fault says, with their own canonical address; the FaultDuplicate copies
// are the article again; the counters see the query parameters.
func TestNoindexAndCopies(t *testing.T) {
	site := New(Options{Faults: FaultNoindex | FaultDuplicate})
	srv := served(t, site)
	fp := site.Faults()
	if len(fp.Noindex) != 3 || fp.NoindexLink == "" || len(fp.Unfollowed) != 2 || len(fp.Copies) != 3 {
		t.Fatalf("Faults() = %+v", fp)
	}
	articles := site.ArticlePaths()
	for i, p := range fp.Noindex {
		doc := getDoc(t, srv.Client(), srv.URL+p)
		f := get(t, srv.Client(), srv.URL+p)
		meta := doc.Find(`meta[name="robots"]`).AttrOr("content", "")
		wantMeta := []string{"noindex, follow, max-image-preview:large", "max-image-preview:large", "noindex, nofollow, max-image-preview:large"}[i]
		wantHeader := []string{"", "noindex", ""}[i]
		if meta != wantMeta || f.header.Get("X-Robots-Tag") != wantHeader {
			t.Errorf("%s: robots meta %q, X-Robots-Tag %q; want %q, %q", p, meta, f.header.Get("X-Robots-Tag"), wantMeta, wantHeader)
		}
		if c := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); c != srv.URL+p {
			t.Errorf("%s: canonical %q, want its own address", p, c)
		}
		if doc.Find("h1.qt-caption").Length() != 1 || slices.Contains(articles, p) {
			t.Errorf("%s: not an article's page, or counted as an article", p)
		}
		links := doc.Find(".qt-preview-links a")
		switch i {
		case 0:
			if links.AttrOr("href", "") != srv.URL+fp.NoindexLink {
				t.Errorf("%s does not link %s", p, fp.NoindexLink)
			}
		case 2:
			if links.AttrOr("href", "") != srv.URL+fp.Unfollowed[0] {
				t.Errorf("%s does not link %s", p, fp.Unfollowed[0])
			}
		}
	}
	hub := getDoc(t, srv.Client(), srv.URL+FaultHubPath)
	if rel := hub.Find(`a[href="`+srv.URL+fp.Unfollowed[1]+`"]`).AttrOr("rel", ""); rel != "nofollow" {
		t.Errorf("the poll is linked with rel %q, want nofollow", rel)
	}
	for _, p := range append([]string{fp.NoindexLink}, fp.Unfollowed...) {
		if f := get(t, srv.Client(), srv.URL+p); f.status != http.StatusOK {
			t.Errorf("%s: status %d", p, f.status)
		}
	}

	for link, article := range fp.Copies {
		f := get(t, noRedirects(srv), srv.URL+link)
		switch {
		case strings.Contains(link, "share="):
			if loc := f.header.Get("Location"); f.status != http.StatusFound || !strings.HasPrefix(loc, "https://www.facebook.com/") {
				t.Errorf("%s: %d to %q, want a redirect to Facebook", link, f.status, loc)
			}
			continue
		case f.status != http.StatusOK:
			t.Fatalf("%s: status %d", link, f.status)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(f.body))
		if c := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); c != srv.URL+article {
			t.Errorf("%s: canonical %q, want the article %s", link, c, article)
		}
		meta := doc.Find(`meta[name="robots"]`).AttrOr("content", "")
		if noindex := strings.Contains(meta, "noindex"); noindex != strings.Contains(link, "replytocom") {
			t.Errorf("%s: robots %q", link, meta)
		}
	}
	if n := site.RequestsWithParam("replytocom"); n != 1 {
		t.Errorf("RequestsWithParam(replytocom) = %d, want 1", n)
	}
	if n := site.RequestsWithParam("share"); n != 1 {
		t.Errorf("RequestsWithParam(share) = %d, want 1", n)
	}
}

// TestEdit: Edit changes the articles it names, even the newest, dated the
// day after the newest post; the feed's lastBuildDate and the sitemaps'
// lastmod (with SitemapLastmod) follow.
func TestEdit(t *testing.T) {
	site := New(Options{SitemapLastmod: true})
	srv := served(t, site)
	newest := site.ArticlePaths()[0]
	before := site.Expected(srv.URL)
	builtBefore := site.model.Load().feedBuilt()
	mu := site.Edit(newest, "/not/an/article/")
	if !slices.Equal(mu.Changed, []string{newest}) || len(mu.Added) != 0 {
		t.Fatalf("Edit = %+v", mu)
	}
	after := site.Expected(srv.URL)
	if !strings.HasPrefix(after[0].Body, before[0].Body+"\n\n") || after[1].Body != before[1].Body {
		t.Error("Edit did not add an update paragraph to the newest article alone")
	}
	day := before[0].Published.AddDate(0, 0, 1)
	if built := site.model.Load().feedBuilt(); !built.Equal(day) || !built.After(builtBefore) {
		t.Errorf("feed built %s, want %s", built, day)
	}
	feed := get(t, srv.Client(), srv.URL+FeedPath).body
	if want := "<lastBuildDate>" + rfc1123(day) + "</lastBuildDate>"; !strings.Contains(feed, want) {
		t.Errorf("feed lacks %s", want)
	}
	sm := get(t, srv.Client(), srv.URL+"/wp-sitemap-posts-post-1.xml").body
	if want := "<loc>" + srv.URL + newest + "</loc><lastmod>" + day.UTC().Format("2006-01-02T15:04:05+00:00") + "</lastmod>"; !strings.Contains(sm, want) {
		t.Errorf("sitemap lacks %s", want)
	}
}

func TestFlakyAndBusyPages(t *testing.T) {
	site := New(Options{Faults: FaultFlaky | FaultBusy})
	srv := served(t, site)
	fp := site.Faults()
	check := func(path string, first int) {
		t.Helper()
		for i, want := range []int{first, http.StatusOK, first, http.StatusOK} {
			f := get(t, srv.Client(), srv.URL+path)
			if f.status != want {
				t.Errorf("%s request %d: status %d, want %d", path, i+1, f.status, want)
			}
			if f.status == http.StatusTooManyRequests && f.header.Get("Retry-After") != "1" {
				t.Errorf("%s: 429 with Retry-After %q", path, f.header.Get("Retry-After"))
			}
		}
		if site.Answered(path, first) != 2 || site.Answered(path, http.StatusOK) != 2 {
			t.Errorf("%s: answered %d with %d and %d with 200, want 2 and 2", path, site.Answered(path, first), first, site.Answered(path, 200))
		}
		if n := len(site.RequestTimes(path)); n != 4 {
			t.Errorf("%s: %d request times, want 4", path, n)
		}
	}
	for _, p := range fp.Flaky {
		check(p, http.StatusInternalServerError)
	}
	check(fp.Busy[0], http.StatusTooManyRequests)

	// Counting starts again after a reset: the next request fails.
	site.ResetRequests()
	if f := get(t, srv.Client(), srv.URL+fp.Flaky[0]); f.status != http.StatusInternalServerError {
		t.Errorf("first request after ResetRequests: status %d, want 500", f.status)
	}
	// Other articles keep no request times.
	other := site.ArticlePaths()[0]
	get(t, srv.Client(), srv.URL+other)
	if times := site.RequestTimes(other); times != nil {
		t.Errorf("request times kept for an ordinary page: %v", times)
	}
}

// TestSlowPage only checks the lower bound, which a sleep guarantees.
func TestSlowPage(t *testing.T) {
	t.Parallel()
	site := New(Options{Faults: FaultSlow})
	srv := served(t, site)
	start := time.Now()
	if f := get(t, srv.Client(), srv.URL+site.Faults().Slow[0]); f.status != http.StatusOK {
		t.Fatalf("status %d", f.status)
	}
	if elapsed := time.Since(start); elapsed < SlowDelay {
		t.Errorf("answered after %s, want at least %s", elapsed, SlowDelay)
	}
}

func TestRedirects(t *testing.T) {
	site := New(Options{Faults: FaultOldSlugs | FaultRedirectLoop | FaultBrokenLinks})
	srv := served(t, site)
	client := noRedirects(srv)
	fp := site.Faults()
	for old, current := range fp.OldSlugs {
		if _, ok := site.model.Load().byPath[old]; ok || old == current {
			t.Errorf("old path %s is a current path", old)
		}
		f := get(t, client, srv.URL+old)
		if f.status != http.StatusMovedPermanently || f.header.Get("Location") != srv.URL+current {
			t.Errorf("%s: %d to %q, want 301 to %s", old, f.status, f.header.Get("Location"), srv.URL+current)
		}
	}
	a, b := fp.RedirectLoop[0], fp.RedirectLoop[1]
	for from, to := range map[string]string{a: b, b: a} {
		if f := get(t, client, srv.URL+from); f.status != http.StatusFound || f.header.Get("Location") != srv.URL+to {
			t.Errorf("%s: %d to %q, want 302 to %s", from, f.status, f.header.Get("Location"), to)
		}
	}
	for _, p := range fp.BrokenLinks {
		if f := get(t, client, srv.URL+p); f.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, f.status)
		}
	}
}

// decodeLatin1 reads ISO-8859-1 bytes: each byte is the code point of the
// same value.
func decodeLatin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// TestLatin1AndBrokenHTML: the page is Latin-1, or broken, and still says
// what its ground truth says.
func TestLatin1AndBrokenHTML(t *testing.T) {
	site := New(Options{Faults: FaultLatin1 | FaultBrokenHTML})
	srv := served(t, site)
	plain := served(t, New(Options{}))
	fp := site.Faults()
	expected := map[string]Article{}
	for _, a := range site.Expected(srv.URL) {
		expected[strings.TrimPrefix(a.URL, srv.URL)] = a
	}

	resp, err := srv.Client().Get(srv.URL + fp.Latin1[0])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=ISO-8859-1" {
		t.Errorf("Latin-1 page Content-Type %q", ct)
	}
	if utf8.Valid(raw) || !bytes.Contains(raw, []byte(`<meta charset="ISO-8859-1">`)) || !bytes.Contains(raw, []byte("&#8217;")) {
		t.Error("the Latin-1 page is not ISO-8859-1 with its charset declared and references for ’")
	}
	broken := get(t, srv.Client(), srv.URL+fp.BrokenHTML[0]).body
	for _, gone := range []string{"</li>", "</head>", "</body>", "</html>"} {
		if strings.Contains(broken, gone) {
			t.Errorf("the broken page still has %s", gone)
		}
	}
	start, end := strings.Index(broken, "entry-content"), strings.Index(broken, "qt-author-info")
	if start < 0 || end < start || strings.Contains(broken[start:end], "</p>") {
		t.Error("the broken page's paragraphs are still closed")
	}
	if !strings.Contains(broken, "</strong></em>") || !strings.Contains(broken, "class=qt-caption") {
		t.Error("the broken page has no misnested or unquoted markup")
	}

	for path, page := range map[string]string{fp.Latin1[0]: decodeLatin1(raw), fp.BrokenHTML[0]: broken} {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		got := scrapeArticle(t, doc)
		want := expected[path]
		if squash(got.Body) != squash(want.Body) || squash(got.Title) != squash(want.Title) || got.Author != want.Author {
			t.Errorf("%s: the page says title %q, author %q, body %.80q…; want %q, %q, %.80q…",
				path, got.Title, got.Author, got.Body, want.Title, want.Author, want.Body)
		}
		// The same article on a site without faults is the same text.
		pdoc := getDoc(t, plain.Client(), plain.URL+path)
		if a, b := squash(pdoc.Find(".entry-content").Text()), squash(doc.Find(".entry-content").Text()); a != b {
			t.Errorf("%s: entry content differs from the well-formed page", path)
		}
	}
}

func TestCalendar(t *testing.T) {
	site := New(Options{Faults: FaultCalendar})
	srv := served(t, site)
	for _, month := range []string{"2023-12", "2150-07", "1890-01"} {
		doc := getDoc(t, srv.Client(), srv.URL+CalendarPath+"?month="+month)
		m, _ := time.Parse("2006-01", month)
		prev, next := m.AddDate(0, -1, 0).Format("2006-01"), m.AddDate(0, 1, 0).Format("2006-01")
		if doc.Find("a.calendar-prev").AttrOr("href", "") != srv.URL+CalendarPath+"?month="+prev ||
			doc.Find("a.calendar-next").AttrOr("href", "") != srv.URL+CalendarPath+"?month="+next {
			t.Errorf("%s: links %q and %q", month, doc.Find("a.calendar-prev").AttrOr("href", ""), doc.Find("a.calendar-next").AttrOr("href", ""))
		}
	}
	if f := get(t, srv.Client(), srv.URL+CalendarPath+"?month=demain"); f.status != http.StatusNotFound {
		t.Errorf("bad month: status %d, want 404", f.status)
	}
}

func TestAttachmentsAndHugePage(t *testing.T) {
	site := New(Options{Faults: FaultExternal | FaultHuge})
	srv := served(t, site)
	fp := site.Faults()
	types := []string{"application/pdf", "image/jpeg", "application/pdf"}
	for i, p := range fp.Attachments {
		f := get(t, srv.Client(), srv.URL+p)
		if f.status != http.StatusOK || f.header.Get("Content-Type") != types[i] {
			t.Errorf("%s: status %d, type %q, want 200 %s", p, f.status, f.header.Get("Content-Type"), types[i])
		}
	}
	if n := site.BytesServed(downloadPath); n != DownloadBytes+int64(len("%PDF-1.4\n")) {
		t.Errorf("download: %d bytes served, want %d", n, DownloadBytes+len("%PDF-1.4\n"))
	}

	resp, err := srv.Client().Get(srv.URL + fp.Huge)
	if err != nil {
		t.Fatal(err)
	}
	start := make([]byte, 512)
	io.ReadFull(resp.Body, start)
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	total := n + int64(len(start))
	if resp.ContentLength != -1 || total < HugeBytes || total > HugeBytes+1024 {
		t.Errorf("huge page: Content-Length %d, %d bytes, want none and about %d", resp.ContentLength, total, HugeBytes)
	}
	if !bytes.HasPrefix(start, []byte("<!DOCTYPE html>")) {
		t.Errorf("huge page starts with %q", start[:40])
	}
	srv.Close() // waits for the handler, whose count is then final
	if got := site.BytesServed(fp.Huge); got != total {
		t.Errorf("BytesServed = %d, read %d", got, total)
	}
}

// TestMutate: a round edits k articles and publishes k; the ground truth,
// the pages and the validators follow, and nothing else changes.
func TestMutate(t *testing.T) {
	const k = 4
	site := New(Options{Validators: true, Faults: AllFaults &^ (FaultSlow | FaultFlaky | FaultBusy)})
	srv := served(t, site)
	before := site.Expected(srv.URL)
	etags := map[string]string{}
	for _, p := range site.ArticlePaths() {
		etags[p] = fetchOK(t, srv, p).header.Get("ETag")
	}

	mu := site.Mutate(k)
	if len(mu.Changed) != k || len(mu.Added) != k {
		t.Fatalf("Mutate(%d) = %+v", k, mu)
	}
	after := site.Expected(srv.URL)
	if len(after) != len(before)+k {
		t.Fatalf("Expected has %d articles after, %d before", len(after), len(before))
	}
	for i, a := range after[:k] {
		if path := strings.TrimPrefix(a.URL, srv.URL); path != mu.Added[i] || !a.Published.After(before[0].Published) {
			t.Errorf("newest article %d is %s of %s, want the added %s, after %s", i, path, a.Published, mu.Added[i], before[0].Published)
		}
	}
	old := map[string]Article{}
	for _, a := range before {
		old[a.URL] = a
	}
	fp := site.Faults()
	faulty := slices.Concat(fp.Latin1, fp.BrokenHTML)
	for _, p := range fp.Tracking {
		faulty = append(faulty, p)
	}
	for _, a := range after[k:] {
		path := strings.TrimPrefix(a.URL, srv.URL)
		prev := old[a.URL]
		changed := slices.Contains(mu.Changed, path)
		if changed {
			if !strings.HasPrefix(a.Body, prev.Body+"\n\n") || !strings.Contains(a.Body, "Mise à jour du") {
				t.Errorf("%s: edited body does not add an update paragraph", path)
			}
			if slices.Contains(faulty, path) {
				t.Errorf("fault article %s edited", path)
			}
			a.Body, a.Phrase = prev.Body, prev.Phrase
		}
		a.Phrase = prev.Phrase // phrases are chosen among all articles
		if diff := cmp.Diff(prev, a); diff != "" {
			t.Errorf("%s changed beyond its body (-before +after):\n%s", path, diff)
		}
		f := fetchOK(t, srv, path)
		if sameTag := f.header.Get("ETag") == etags[path]; sameTag == changed {
			t.Errorf("%s (edited: %v): ETag %s, before %s", path, changed, f.header.Get("ETag"), etags[path])
		}
		if !changed {
			if status := conditional(t, srv, path, etags[path]); status != http.StatusNotModified {
				t.Errorf("%s: conditional request after Mutate: %d, want 304", path, status)
			}
		}
	}
	// The pages show the new state: the home page lists the new posts, the
	// edited page its update.
	home := get(t, srv.Client(), srv.URL+"/").body
	for _, p := range mu.Added {
		if !strings.Contains(home, p) {
			t.Errorf("home page does not list the new %s", p)
		}
	}
	if page := fetchOK(t, srv, mu.Changed[0]).body; !strings.Contains(page, "Mise à jour du") {
		t.Error("edited page lacks its update")
	}
	// A second round edits other articles.
	mu2 := site.Mutate(k)
	for _, p := range mu2.Changed {
		if slices.Contains(mu.Changed, p) {
			t.Errorf("%s edited in both rounds", p)
		}
	}
	// The same rounds give the same site.
	again := New(Options{Validators: true, Faults: AllFaults &^ (FaultSlow | FaultFlaky | FaultBusy)})
	again.Mutate(k)
	again.Mutate(k)
	if !cmp.Equal(again.Expected(srv.URL), site.Expected(srv.URL)) {
		t.Error("the same rounds gave another ground truth")
	}
}

// fetchOK gets path, asking again once if the site answers a fault status.
func fetchOK(t *testing.T, srv *httptest.Server, path string) fetched {
	t.Helper()
	f := get(t, srv.Client(), srv.URL+path)
	if f.status == http.StatusInternalServerError || f.status == http.StatusTooManyRequests {
		f = get(t, srv.Client(), srv.URL+path)
	}
	if f.status != http.StatusOK {
		t.Fatalf("%s: status %d", path, f.status)
	}
	return f
}

// conditional asks for path with If-None-Match: etag and returns the status.
func conditional(t *testing.T, srv *httptest.Server, path, etag string) int {
	t.Helper()
	resp, _ := do(t, srv.Client(), srv.URL+path, map[string]string{"If-None-Match": etag})
	return resp.StatusCode
}

// TestReplyRedirects: with ReplyRedirects, a comment-reply address answers
// 302 to the post's comment; without, the post again.
func TestReplyRedirects(t *testing.T) {
	p := New(Options{}).ArticlePaths()[0]
	for _, redirects := range []bool{false, true} {
		srv := served(t, New(Options{ReplyRedirects: redirects}))
		f := get(t, noRedirects(srv), srv.URL+p+"?replytocom=7")
		switch {
		case redirects && (f.status != http.StatusFound || f.header.Get("Location") != srv.URL+p+"#comment-7"):
			t.Errorf("with ReplyRedirects: %d to %q, want 302 to %s#comment-7", f.status, f.header.Get("Location"), p)
		case !redirects && f.status != http.StatusOK:
			t.Errorf("without ReplyRedirects: %d, want 200", f.status)
		}
	}
}
