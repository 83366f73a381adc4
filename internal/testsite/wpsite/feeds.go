package wpsite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RobotsUnreachable is the Options.RobotsStatus of a robots.txt whose
// connection closes without an answer.
const RobotsUnreachable = -1

// PastPaddingRule is the rule a padded robots.txt (Options.RobotsBytes)
// puts past its padding.
const PastPaddingRule = "Disallow: /"

// paddedRobots pads the group of robots with comment lines to at least n
// bytes, then ends it with PastPaddingRule (the Sitemap line follows);
// n <= 0 leaves robots as it is.
func paddedRobots(robots string, n int) string {
	if n <= 0 {
		return robots
	}
	i := strings.Index(robots, "\n\nSitemap:") + 1
	var b strings.Builder
	b.Grow(n + len(robots) + 64)
	b.WriteString(robots[:i])
	const line = "# padding: a robots.txt larger than crawlers are asked to read\n"
	for b.Len() < n {
		b.WriteString(line)
	}
	b.WriteString(PastPaddingRule + "\n")
	b.WriteString(robots[i:])
	return b.String()
}

// robotsTxt is WordPress's robots.txt plus the members' section.
func robotsTxt(base string) string {
	return "User-agent: *\n" +
		"Disallow: " + AdminPrefix + "\n" +
		"Allow: " + AdminPrefix + "admin-ajax.php\n" +
		"Disallow: " + DisallowedPrefix + "\n" +
		"\n" +
		"Sitemap: " + base + SitemapPath + "\n"
}

func (m *model) contentHTML(base string, p *post) string {
	pw := &pageWriter{m: m, base: base}
	pw.content(p, m.text(p))
	return pw.String()
}

// feedBuilt is the feed's lastBuildDate, as WordPress's get_feed_build_date
// gives it: the latest change (post_modified) of the posts it lists.
func (m *model) feedBuilt() time.Time {
	var built time.Time
	for _, rank := range m.newestFirst[:min(feedItems, len(m.newestFirst))] {
		if t := m.posts[rank].modified(); t.After(built) {
			built = t
		}
	}
	return built
}

// feed is the site's RSS 2.0 feed: the latest posts, newest first. Like
// WordPress's, its items give their publication date only.
func (m *model) feed(base string) string {
	var b strings.Builder
	writeChannelStart(&b, SiteName, base+FeedPath, base, siteTagline, rfc1123(m.feedBuilt()))
	for _, rank := range m.newestFirst[:min(feedItems, len(m.newestFirst))] {
		p := m.posts[rank]
		b.WriteString("\t<item>\n\t\t<title>")
		xmlText.WriteString(&b, p.title)
		b.WriteString("</title>\n\t\t<link>")
		xmlText.WriteString(&b, base+p.path)
		b.WriteString("</link>\n\t\t<comments>")
		xmlText.WriteString(&b, base+p.path+"#respond")
		b.WriteString("</comments>\n\t\t<dc:creator><![CDATA[" + authors[p.author].name + "]]></dc:creator>\n")
		b.WriteString("\t\t<pubDate>" + rfc1123(p.day) + "</pubDate>\n")
		for _, c := range p.cats {
			b.WriteString("\t\t<category><![CDATA[" + categories[c].name + "]]></category>\n")
		}
		for _, t := range p.tags {
			b.WriteString("\t\t<category><![CDATA[" + t + "]]></category>\n")
		}
		fmt.Fprintf(&b, "\t\t<guid isPermaLink=\"false\">%s/?p=%d</guid>\n", base, p.id)
		b.WriteString("\t\t<description><![CDATA[" + m.excerpt(p) + "]]></description>\n")
		b.WriteString("\t\t<content:encoded><![CDATA[" + m.contentHTML(base, p) + "]]></content:encoded>\n")
		b.WriteString("\t\t<wfw:commentRss>")
		xmlText.WriteString(&b, base+p.path+"feed/")
		b.WriteString("</wfw:commentRss>\n")
		fmt.Fprintf(&b, "\t\t<slash:comments>%d</slash:comments>\n\t</item>\n", p.comments)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.String()
}

// commentsFeed is a post's comments feed, which its page links to.
func (m *model) commentsFeed(base string, p *post) string {
	var b strings.Builder
	writeChannelStart(&b, "Commentaires sur : "+p.title, base+p.path+"feed/", base+p.path, siteTagline, rfc1123(p.day))
	for _, c := range m.commentsOf(p) {
		b.WriteString("\t<item>\n\t\t<title>")
		xmlText.WriteString(&b, "Par : "+c.author)
		b.WriteString("</title>\n\t\t<link>")
		xmlText.WriteString(&b, fmt.Sprintf("%s%s#comment-%d", base, p.path, c.id))
		b.WriteString("</link>\n\t\t<dc:creator><![CDATA[" + c.author + "]]></dc:creator>\n")
		fmt.Fprintf(&b, "\t\t<guid isPermaLink=\"false\">%s/?p=%d#comment-%d</guid>\n", base, p.id, c.id)
		b.WriteString("\t\t<description><![CDATA[" + c.text + "]]></description>\n\t</item>\n")
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.String()
}

func writeChannelStart(b *strings.Builder, title, self, link, description, built string) {
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>`)
	xmlText.WriteString(b, title)
	b.WriteString("</title>\n\t<atom:link href=\"")
	xmlText.WriteString(b, self)
	b.WriteString("\" rel=\"self\" type=\"application/rss+xml\" />\n\t<link>")
	xmlText.WriteString(b, link)
	b.WriteString("</link>\n\t<description>")
	xmlText.WriteString(b, description)
	b.WriteString("</description>\n\t<lastBuildDate>" + built + "</lastBuildDate>\n")
	b.WriteString("\t<language>fr-FR</language>\n\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>\n\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>\n")
	b.WriteString("\t<generator>https://wordpress.org/?v=6.1</generator>\n")
}

// sitemapNames lists the sitemaps of the index, as WordPress core names them.
func (m *model) sitemapNames() []string {
	var names []string
	for i := 1; i <= (len(m.posts)+sitemapPageSize-1)/sitemapPageSize; i++ {
		names = append(names, "posts-post-"+strconv.Itoa(i))
	}
	names = append(names, "posts-page-1", "taxonomies-category-1")
	if len(m.tags) > 0 {
		names = append(names, "taxonomies-post_tag-1")
	}
	return append(names, "users-1")
}

func (m *model) sitemapIndex(base string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, name := range m.sitemapNames() {
		b.WriteString("<sitemap><loc>" + base + "/wp-sitemap-" + name + ".xml</loc></sitemap>")
	}
	b.WriteString("</sitemapindex>\n")
	return b.String()
}

// sitemap serves /wp-sitemap-<name>; name includes ".xml". With lastmod,
// each post gives its last change.
func (m *model) sitemap(base, name string, lastmod bool) response {
	name, ok := strings.CutSuffix(name, ".xml")
	if !ok {
		return notFound
	}
	type entry struct{ path, lastmod string }
	var entries []entry
	switch {
	case strings.HasPrefix(name, "posts-post-"):
		n, err := strconv.Atoi(strings.TrimPrefix(name, "posts-post-"))
		from := (n - 1) * sitemapPageSize
		if err != nil || n < 1 || from >= len(m.posts) || name != "posts-post-"+strconv.Itoa(n) {
			return notFound
		}
		// Ordered by post id, as WordPress core does.
		for _, p := range m.posts[from:min(from+sitemapPageSize, len(m.posts))] {
			e := entry{path: p.path}
			if lastmod {
				e.lastmod = p.modified().UTC().Format("2006-01-02T15:04:05+00:00")
			}
			entries = append(entries, e)
		}
	case name == "posts-page-1":
		entries = append(entries, entry{path: "/"})
		for _, sp := range publicPages {
			if !sp.calendar {
				entries = append(entries, entry{path: sp.path})
			}
		}
	case name == "taxonomies-category-1":
		for i, c := range categories {
			if len(m.catPosts[i]) > 0 {
				entries = append(entries, entry{path: "/category/" + c.slug + "/"})
			}
		}
	case name == "taxonomies-post_tag-1" && len(m.tags) > 0:
		for _, t := range m.tags {
			entries = append(entries, entry{path: "/tag/" + t.slug + "/"})
		}
	case name == "users-1":
		for i, a := range authors {
			if len(m.authorPosts[i]) > 0 {
				entries = append(entries, entry{path: "/author/" + a.slug + "/"})
			}
		}
	default:
		return notFound
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for _, e := range entries {
		b.WriteString("<url><loc>" + base + e.path + "</loc>")
		if e.lastmod != "" {
			b.WriteString("<lastmod>" + e.lastmod + "</lastmod>")
		}
		b.WriteString("</url>")
	}
	b.WriteString("</urlset>\n")
	return response{status: http.StatusOK, ctype: xmlType, body: b.String()}
}

// restAPI serves the two WordPress REST API documents the pages link to: the
// API root and a post.
func (m *model) restAPI(base string, segs []string) response {
	var v any
	switch {
	case len(segs) == 1 && segs[0] == "":
		v = map[string]any{"name": SiteName, "description": siteTagline, "url": base, "home": base,
			"namespaces": []string{"wp/v2"}}
	case len(segs) == 4 && segs[0] == "wp" && segs[1] == "v2" && segs[2] == "posts":
		id, err := strconv.Atoi(segs[3])
		p, ok := m.byID[id]
		if err != nil || !ok {
			return response{status: http.StatusNotFound, ctype: jsonType,
				body: `{"code":"rest_post_invalid_id","message":"ID d’article non valide.","data":{"status":404}}`}
		}
		cats := make([]int, 0, len(p.cats))
		for _, c := range p.cats {
			cats = append(cats, categories[c].id)
		}
		v = map[string]any{
			"id": p.id, "date": p.day.Format("2006-01-02T15:04:05"), "date_gmt": p.day.UTC().Format("2006-01-02T15:04:05"),
			"slug": p.slug, "status": "publish", "type": "post", "link": base + p.path,
			"title":   map[string]string{"rendered": p.title},
			"content": map[string]any{"rendered": m.contentHTML(base, p), "protected": false},
			"excerpt": map[string]any{"rendered": "<p>" + m.excerpt(p) + "</p>\n", "protected": false},
			"author":  authors[p.author].id, "categories": cats,
		}
	default:
		return response{status: http.StatusNotFound, ctype: jsonType,
			body: `{"code":"rest_no_route","message":"Aucune route correspondante.","data":{"status":404}}`}
	}
	body, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("wpsite: encode REST answer: %v", err))
	}
	return response{status: http.StatusOK, ctype: jsonType, bodyB: body}
}

var (
	assetsOnce           sync.Once
	pictureJPEG, logoPNG []byte
	styleCSS             = "/* proradio */\nbody{font-family:sans-serif;margin:0}.qt-hidden,.screen-reader-text{display:none}\n"
)

func makeAssets() {
	img := image.NewRGBA(image.Rect(0, 0, 16, 9))
	for x := range 16 {
		for y := range 9 {
			img.Set(x, y, color.RGBA{uint8(40 + 10*x), uint8(60 + 15*y), 140, 255})
		}
	}
	var jb, pb bytes.Buffer
	if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 60}); err != nil {
		panic(fmt.Sprintf("wpsite: encode picture: %v", err))
	}
	if err := png.Encode(&pb, img); err != nil {
		panic(fmt.Sprintf("wpsite: encode logo: %v", err))
	}
	pictureJPEG, logoPNG = jb.Bytes(), pb.Bytes()
}

// asset serves the theme's stylesheet, the logo and the posts' pictures:
// attachments a crawler should not need to fetch.
func asset(m *model, path string) response {
	assetsOnce.Do(makeAssets)
	switch {
	case path == stylePath:
		return response{status: http.StatusOK, ctype: "text/css; charset=utf-8", body: styleCSS}
	case path == logoPath:
		return response{status: http.StatusOK, ctype: "image/png", bodyB: logoPNG}
	case m.images[path]:
		return response{status: http.StatusOK, ctype: "image/jpeg", bodyB: pictureJPEG}
	}
	return notFound
}
