package crawler

import (
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScanHTML(t *testing.T) {
	body := []byte(`<!DOCTYPE html><html><head>
<base href="https://blog.example.fr/base/">
<link rel="canonical" href="https://blog.example.fr/2022/11/07/un-article/">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/12">
<link rel="stylesheet" href="/style.css">
<link rel="next" href="/page/2/">
<LINK REL="Prev" HREF="/page/0/">
</head><body>
<a href="/2022/11/06/precedent/" rel="prev">Article précédent</a>
<a name="no-href">ancre</a>
<A HREF=' /spaces/ '>espaces</A>
<map><area href="/zone/"></map>
<p>broken <a href="/unclosed/">unclosed <div></p>
<script>var s = '<a href="/in-script/">';</script>
</body></html>`)
	got := scanHTML(body)
	if got.base != "https://blog.example.fr/base/" {
		t.Errorf("base = %q", got.base)
	}
	if got.canonical != "https://blog.example.fr/2022/11/07/un-article/" {
		t.Errorf("canonical = %q", got.canonical)
	}
	want := []string{"/feed/", "/page/2/", "/page/0/", "/2022/11/06/precedent/", "/spaces/", "/zone/", "/unclosed/"}
	if !slices.Equal(got.links, want) {
		t.Errorf("links = %q\nwant    %q", got.links, want)
	}
}

func TestParseXML(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"sitemap index", `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://blog.example.fr/wp-sitemap-posts-post-1.xml</loc></sitemap>
<sitemap><loc> https://blog.example.fr/wp-sitemap-taxonomies-category-1.xml </loc></sitemap>
</sitemapindex>`, []string{"https://blog.example.fr/wp-sitemap-posts-post-1.xml", "https://blog.example.fr/wp-sitemap-taxonomies-category-1.xml"}},
		{"url set", `<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="/wp-sitemap.xsl" ?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://blog.example.fr/a/</loc><lastmod>2022-11-07T10:00:00+00:00</lastmod></url>
<url><loc>https://blog.example.fr/b/</loc></url>
</urlset>`, []string{"https://blog.example.fr/a/", "https://blog.example.fr/b/"}},
		{"latin-1 sitemap", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://blog.example.fr/\xe9t\xe9/</loc></url></urlset>",
			[]string{"https://blog.example.fr/été/"}},
		{"latin-1 sitemap already decoded from its Content-Type", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://blog.example.fr/été/</loc></url></urlset>",
			[]string{"https://blog.example.fr/été/"}},
		{"rss", `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Blog</title><link>https://blog.example.fr/</link>
<item><title>Un</title><link>https://blog.example.fr/un/</link></item>
<item><title>Deux</title><link>https://blog.example.fr/deux/</link></item></channel></rss>`,
			[]string{"https://blog.example.fr/un/", "https://blog.example.fr/deux/"}},
		{"atom", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<entry><title>Un</title><link href="https://blog.example.fr/un/"/><id>1</id><updated>2022-11-07T10:00:00Z</updated></entry></feed>`,
			[]string{"https://blog.example.fr/un/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			listed, err := parseXML([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range listed {
				got = append(got, l.url)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := parseXML([]byte("<html><body>not xml")); err == nil {
		t.Error("an HTML body parsed as a feed")
	}
}

func TestURLPattern(t *testing.T) {
	tests := map[string]string{
		"https://b.fr/page/12/":                       "/page/N/",
		"https://b.fr/2022/11/07/coree-du-nord-2022/": "/N/N/N/coree-du-nord-N/",
		"https://b.fr/?p=123":                         "/?p",
		"https://b.fr/calendar/?month=2024-05&b=1":    "/calendar/?b&month",
		"https://b.fr/category/europe/":               "/category/europe/",
	}
	for raw, want := range tests {
		u, _ := url.Parse(raw)
		if got := urlPattern(u); got != want {
			t.Errorf("urlPattern(%s) = %q, want %q", raw, got, want)
		}
	}
	for pattern, want := range map[string]bool{"/page/N/": true, "/calendar/N/N/N/": true, "/N/N/N/slug/": false, "/?p": false, "/category/x/": false} {
		if got := isCounter(pattern); got != want {
			t.Errorf("isCounter(%q) = %v, want %v", pattern, got, want)
		}
	}
}

func TestIsItem(t *testing.T) {
	tests := []struct {
		link, parent string
		want         bool
	}{
		{"https://b.fr/news/1234/", "/news/page/N/", true},
		{"https://b.fr/news/1234/", "/category/europe/", true},
		{"https://b.fr/page/3/", "/page/N/", false},                    // the next page
		{"https://b.fr/calendar/2024/05/07/", "/calendar/N/N/", false}, // a day of the month
		{"https://b.fr/calendar/2024/05/", "/calendar/N/N/N/", false},  // the day's month
		{"https://b.fr/2024/05/", "/N/N/N/slug/", false},               // the post's month
		{"https://b.fr/2022/11/07/un-article/", "/page/N/", false},     // no counter
		{"https://b.fr/news/1234/", "/", false},                        // the home page's family is every path
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.link)
		if got := isItem(u, tt.parent); got != tt.want {
			t.Errorf("isItem(%s, %s) = %v, want %v", tt.link, tt.parent, got, tt.want)
		}
	}
}

func TestScopeRules(t *testing.T) {
	for p, want := range map[string]bool{
		"/wp-content/uploads/a.JPG": true, "/docs/rapport.pdf": true, "/sitemap.xml.gz": false,
		"/archive.tar.gz": true, "/wp-sitemap.xml": false, "/2022/11/07/slug/": false, "/v1.2/": false,
	} {
		if got := isAttachmentPath(p); got != want {
			t.Errorf("isAttachmentPath(%q) = %v, want %v", p, got, want)
		}
	}
	for p, want := range map[string]bool{
		"/feed/": true, "/2022/11/07/slug/feed/": true, "/category/europe/feed/atom/": true, "/feeding-time/": false,
	} {
		if got := isFeedPath(p); got != want {
			t.Errorf("isFeedPath(%q) = %v, want %v", p, got, want)
		}
	}
	for _, tt := range []struct {
		ct, path string
		want     contentKind
	}{
		{"text/html; charset=UTF-8", "/", kindHTML},
		{"application/xhtml+xml", "/", kindHTML},
		{"application/rss+xml; charset=UTF-8", "/feed/", kindXML},
		{"text/xml", "/wp-sitemap.xml", kindXML},
		{"application/x-gzip", "/sitemap.xml.gz", kindXML},
		{"application/x-gzip", "/backup.gz", kindOther},
		{"application/pdf", "/telecharger/", kindOther},
		{"image/jpeg", "/", kindOther},
	} {
		if got := classifyContentType(tt.ct, tt.path); got != tt.want {
			t.Errorf("classifyContentType(%q, %q) = %v, want %v", tt.ct, tt.path, got, tt.want)
		}
	}
}

func TestAddressRules(t *testing.T) {
	for addr, want := range map[string]bool{
		"93.184.216.34": true, "2606:2800:220:1::": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "0.0.0.0": false, "100.64.0.1": false, "::ffff:127.0.0.1": false,
	} {
		if got := isPublic(netip.MustParseAddr(addr)); got != want {
			t.Errorf("isPublic(%s) = %v, want %v", addr, got, want)
		}
	}
	for host, want := range map[string]bool{"localhost": true, "app.localhost": true, "127.0.0.1": true, "[::1]": true, "example.fr": false, "93.184.216.34": false} {
		if got := isNonPublicHost(host); got != want {
			t.Errorf("isNonPublicHost(%q) = %v, want %v", host, got, want)
		}
	}
}

// TestDialPolicy holds the dial-time decision: a non-public start URL
// exempts its own host:port, not the run; allow_private opens private
// addresses but not link-local or metadata ones, which only a start URL
// naming them opens. It decides only: nothing is dialled.
func TestDialPolicy(t *testing.T) {
	seeds := func(raw ...string) []*url.URL {
		var out []*url.URL
		for _, s := range raw {
			u, err := url.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, u)
		}
		return out
	}
	local := seeds("http://127.0.0.1:8080/", "http://localhost:9000/blog/", "https://[::1]/")
	tests := []struct {
		name                string
		allowPrivate        bool
		seeds               []*url.URL
		requested, resolved string
		want                bool
	}{
		{"public", false, nil, "example.com:443", "93.184.216.34:443", true},
		{"public IPv6", false, nil, "example.com:443", "[2606:2800:220:1::]:443", true},
		{"loopback, public seeds", false, seeds("https://example.com/"), "127.0.0.1:8080", "127.0.0.1:8080", false},
		{"name resolving to loopback", false, seeds("https://example.com/"), "evil.example:80", "127.0.0.1:80", false},

		{"the loopback seed itself", false, local, "127.0.0.1:8080", "127.0.0.1:8080", true},
		{"the localhost seed, resolved", false, local, "localhost:9000", "127.0.0.1:9000", true},
		{"the localhost seed, resolved to ::1", false, local, "LOCALHOST:9000", "[::1]:9000", true},
		{"the IPv6 seed, default port", false, local, "[::1]:443", "[::1]:443", true},
		{"another port of the seed's host", false, local, "127.0.0.1:8081", "127.0.0.1:8081", false},
		{"another loopback address", false, local, "127.0.0.2:8080", "127.0.0.2:8080", false},
		{"private address, local seeds", false, local, "10.0.0.1:80", "10.0.0.1:80", false},
		{"allowed host resolving to private, local seeds", false, local, "intranet.example:80", "10.0.0.1:80", false},
		{"metadata, local seeds", false, local, "169.254.169.254:80", "169.254.169.254:80", false},
		{"name resolving to metadata, local seeds", false, local, "meta.example:80", "169.254.169.254:80", false},
		{"IPv6 metadata, local seeds", false, local, "[fd00:ec2::254]:80", "[fd00:ec2::254]:80", false},
		{"IPv4-mapped loopback", false, local, "[::ffff:127.0.0.1]:8081", "[::ffff:127.0.0.1]:8081", false},

		{"allow_private: private", true, nil, "10.0.0.1:80", "10.0.0.1:80", true},
		{"allow_private: loopback", true, nil, "localhost:80", "127.0.0.1:80", true},
		{"allow_private: metadata", true, nil, "169.254.169.254:80", "169.254.169.254:80", false},
		{"allow_private: link-local", true, nil, "[fe80::1]:80", "[fe80::1]:80", false},
		{"allow_private: IPv6 metadata", true, nil, "[fd00:ec2::254]:80", "[fd00:ec2::254]:80", false},
		{"allow_private: Alibaba metadata", true, nil, "100.100.100.200:80", "100.100.100.200:80", false},
		{"metadata named by a start URL", false, seeds("http://169.254.169.254/latest/"), "169.254.169.254:80", "169.254.169.254:80", true},
		{"metadata named by a start URL, other port", false, seeds("http://169.254.169.254/latest/"), "169.254.169.254:8080", "169.254.169.254:8080", false},
	}
	for _, tt := range tests {
		p := newDialPolicy(tt.allowPrivate, tt.seeds)
		err := p.check("tcp", tt.requested, tt.resolved)
		if (err == nil) != tt.want {
			t.Errorf("%s: check(%s, %s) = %v, want allowed %v", tt.name, tt.requested, tt.resolved, err, tt.want)
		}
		if err != nil && !errors.Is(err, errBlockedAddress) {
			t.Errorf("%s: %v is not errBlockedAddress", tt.name, err)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2022, 11, 7, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
		ok    bool
	}{
		{"120", 2 * time.Minute, true},
		{"0", 0, true},
		{"Mon, 07 Nov 2022 10:00:30 GMT", 30 * time.Second, true},
		{"Mon, 07 Nov 2022 09:00:00 GMT", 0, true},
		{"", 0, false},
		{"soon", 0, false},
		{"-5", 0, false},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.value != "" {
			h.Set("Retry-After", tt.value)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", tt.value, got, ok, tt.want, tt.ok)
		}
	}
}

func TestBackoffGrowsAndStaysBounded(t *testing.T) {
	for attempt := 1; attempt <= 30; attempt++ {
		d := backoff(100*time.Millisecond, attempt)
		ceiling := min(100*time.Millisecond<<min(attempt-1, 16), time.Minute)
		if d < ceiling/2 || d > ceiling {
			t.Errorf("backoff(100ms, %d) = %s, want between %s and %s", attempt, d, ceiling/2, ceiling)
		}
	}
}

func TestToUTF8(t *testing.T) {
	tests := []struct {
		name, ct string
		body     []byte
		want     string
	}{
		{"declared utf-8", "text/html; charset=utf-8", []byte("<p>été</p>"), "<p>été</p>"},
		{"meta latin-1", "text/html", []byte("<meta charset=\"iso-8859-1\"><p>\xe9t\xe9</p>"), "<meta charset=\"iso-8859-1\"><p>été</p>"},
		{"http-equiv windows-1252", "text/html", []byte("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>\x93oui\x94</p>"),
			"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>\u201coui\u201d</p>"},
		{"undeclared latin-1", "text/html", []byte("<p>\xe9t\xe9</p>"), "<p>été</p>"},
		{"undeclared utf-8 after an ASCII kilobyte", "", []byte("<!--" + strings.Repeat("a", 1100) + "--><p>été</p>"), "<!--" + strings.Repeat("a", 1100) + "--><p>été</p>"},
		{"utf-8 bom", "text/html", []byte("\xef\xbb\xbf<p>été</p>"), "<p>été</p>"},
		{"meta gb2312 after a kilobyte of scripts", "", []byte("<head><script>" + strings.Repeat("a", 1100) + "</script><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"/></head><p>\xd6\xd0\xce\xc4</p>"),
			"<head><script>" + strings.Repeat("a", 1100) + "</script><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"/></head><p>中文</p>"},
		{"a charset named in the body is not the page's", "", []byte("<head><title>t</title></head><body>" + strings.Repeat("a", 1100) + "<meta charset=\"gb2312\"><p>\xe9t\xe9</p>"),
			"<head><title>t</title></head><body>" + strings.Repeat("a", 1100) + "<meta charset=\"gb2312\"><p>été</p>"},
		{"utf-16 bom", "text/html", []byte("\xff\xfe<\x00p\x00>\x00\xe9\x00"), "<p>é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := toUTF8(tt.body, tt.ct)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFrontier(t *testing.T) {
	f := newFrontier(3)
	for _, u := range []string{"a", "b", "c", "d"} {
		f.push(item{url: u})
	}
	var got []string
	for {
		it, ok := f.pop()
		if !ok {
			break
		}
		got = append(got, it.url)
		f.done(it)
	}
	if !slices.Equal(got, []string{"a", "b", "c"}) || !f.reachedLimit() || f.len() != 1 {
		t.Errorf("popped %v, limited %v, left %d", got, f.reachedLimit(), f.len())
	}

	// pop waits while an item in flight may still push more.
	f = newFrontier(0)
	f.push(item{url: "first"})
	it, _ := f.pop()
	next := make(chan string)
	go func() {
		it, ok := f.pop()
		if ok {
			f.done(it)
		}
		next <- it.url
	}()
	f.push(item{url: "child of " + it.url})
	f.done(it)
	if got := <-next; got != "child of first" {
		t.Errorf("waiting pop got %q", got)
	}
	if _, ok := f.pop(); ok {
		t.Error("pop on an idle empty frontier did not report the end")
	}
}

// TestFrontierPutOff: items put off come out only once the first lane is
// empty and idle, and count once against the limit.
func TestFrontierPutOff(t *testing.T) {
	f := newFrontier(4)
	f.push(item{url: "listing"})
	f.push(item{url: "archived"})
	var got []string
	for {
		it, ok := f.pop()
		if !ok {
			break
		}
		got = append(got, it.url)
		switch {
		case it.url == "archived" && !it.late:
			f.putOff(it)
		case it.url == "listing":
			// A listing in flight may still add to the first lane: the
			// put-off item waits for it.
			f.push(item{url: "new article"})
		}
		f.done(it)
	}
	want := []string{"listing", "archived", "new article", "archived"}
	if !slices.Equal(got, want) || f.reachedLimit() {
		t.Errorf("popped %v (limited %v), want %v", got, f.reachedLimit(), want)
	}

	// A put-off item is not handed out while an item of the first lane is
	// in flight.
	f = newFrontier(0)
	f.push(item{url: "archived"})
	f.push(item{url: "feed"})
	a, _ := f.pop()
	f.putOff(a)
	f.done(a)
	feed, _ := f.pop()
	next := make(chan item)
	go func() {
		it, _ := f.pop()
		next <- it
	}()
	select {
	case it := <-next:
		t.Fatalf("%q handed out while the feed was in flight", it.url)
	case <-time.After(50 * time.Millisecond):
	}
	f.push(item{url: "from the feed"})
	if it := <-next; it.url != "from the feed" {
		t.Errorf("got %q, want the feed's link first", it.url)
	} else {
		f.done(it)
	}
	f.done(feed)
	if it, ok := f.pop(); !ok || it.url != "archived" || !it.late {
		t.Errorf("pop = %+v, %v; want the put-off item", it, ok)
	} else {
		f.done(it)
	}
	if _, ok := f.pop(); ok {
		t.Error("the crawl did not end")
	}
}

func TestScanHTMLRobots(t *testing.T) {
	body := []byte(`<html><head>
<meta name='robots' content='noindex, follow'>
<meta name="robots" content="max-image-preview:large">
<meta name="description" content="Une page">
<meta name="Folio" content="nofollow">
</head><body>
<a href="/a/">a</a>
<a rel="nofollow" class="comment-reply-link" href="/post/?replytocom=12#respond">Répondre</a>
<a rel="external nofollow ugc" href="https://commenter.example/">Hélène</a>
<a rel="noopener" href="/b/">b</a>
</body></html>`)
	got := scanHTML(body)
	if want := []string{"/a/", "/b/"}; !slices.Equal(got.links, want) {
		t.Errorf("links = %q, want %q", got.links, want)
	}
	if want := []string{"/post/?replytocom=12#respond", "https://commenter.example/"}; !slices.Equal(got.nofollow, want) {
		t.Errorf("nofollow = %q, want %q", got.nofollow, want)
	}
	if want := [][2]string{{"robots", "noindex, follow"}, {"folio", "nofollow"}}; !slices.Equal(got.robots, want) {
		t.Errorf("robots = %q, want %q", got.robots, want)
	}
}

func TestRobotsDirectives(t *testing.T) {
	tests := []struct {
		name              string
		metas             [][2]string
		headers           []string
		noindex, nofollow bool
	}{
		{"none", nil, nil, false, false},
		{"meta noindex, follow", [][2]string{{"robots", "noindex, follow"}}, nil, true, false},
		{"meta none", [][2]string{{"robots", "NONE"}}, nil, true, true},
		{"meta for another crawler", [][2]string{{"googlebot", "noindex"}}, nil, false, false},
		{"meta for this crawler", [][2]string{{"folio", "noindex,nofollow"}}, nil, true, true},
		{"header", nil, []string{"noindex"}, true, false},
		{"header for another crawler", nil, []string{"googlebot: noindex, nofollow"}, false, false},
		{"header for this crawler", nil, []string{"folio: nofollow"}, false, true},
		{"header with a dated directive", nil, []string{"unavailable_after: 25 Jun 2030 15:00:00 PST"}, false, false},
		{"directives before a dated one", nil, []string{"noindex, unavailable_after: 25 Jun 2030 15:00:00 PST"}, true, false},
		{"max-image-preview is no directive of ours", [][2]string{{"robots", "max-image-preview:large"}}, []string{"max-snippet: 20"}, false, false},
	}
	for _, tt := range tests {
		noindex, nofollow := robotsDirectives(tt.metas, tt.headers, "folio")
		if noindex != tt.noindex || nofollow != tt.nofollow {
			t.Errorf("%s: noindex %v, nofollow %v; want %v, %v", tt.name, noindex, nofollow, tt.noindex, tt.nofollow)
		}
	}
}
