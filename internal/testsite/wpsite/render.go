package wpsite

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The pages follow the markup of the source blog's theme (testdata/
// model-article.html): same containers, classes, icon ligatures and labels.

// pageWriter renders one HTML page for one request; base is "http://host".
type pageWriter struct {
	strings.Builder
	m    *model
	base string
	// hubLink adds the Dossiers page (FaultHubPath) to the footer: the
	// site has faults switched on.
	hubLink bool
	// robots, when set, are the robots directives the page's meta gives
	// before WordPress's default one ("noindex, follow").
	robots string
	// canonical, when set, replaces the page's canonical path: a copy of
	// an article under its own address.
	canonical string
	// extra are links the page adds above its footer (paths).
	extra []Link
	// month is the month a calendar page shows.
	month time.Time
	// seo prints the metadata of an SEO plugin (Options.SEOMeta).
	seo bool
}

func (w *pageWriter) text(s string) { htmlText.WriteString(w, s) }
func (w *pageWriter) attr(s string) { htmlAttr.WriteString(w, s) }
func (w *pageWriter) url(path string) {
	w.attr(w.base)
	w.attr(path)
}

// headLinks are the optional <link>s of a page's head.
type headLinks struct {
	canonical    string // a path; WordPress prints none on listings
	commentsFeed string // a post's comments feed
	restPath     string // the post's REST API document
	shortlink    string // "/?p=ID"
	prev, next   string // neighbouring pages of a listing
	// What an SEO plugin says of the page (Options.SEOMeta): its kind
	// ("post", "page", "listing"; "" prints nothing), its path (the
	// canonical one when empty) and, for a post, the post.
	seoKind string
	seoPath string
	seoPost *post
}

// head writes everything up to the start of #maincontent. The <title> is
// titleParts joined by WordPress's " &#8211; ".
func (w *pageWriter) head(titleParts []string, links headLinks, bodyClass string) {
	w.WriteString("<!DOCTYPE html>\n<html lang=\"fr-FR\">\n<head>\n<meta charset=\"UTF-8\">\n")
	w.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	for i, part := range titleParts {
		if i > 0 {
			w.WriteString(" &#8211; ")
		}
		w.text(part)
	}
	w.WriteString("</title>\n<meta name=\"robots\" content=\"")
	if w.robots != "" {
		w.WriteString(w.robots + ", ")
	}
	w.WriteString("max-image-preview:large\">\n")
	w.WriteString("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"" + SiteName + " &raquo; Flux\" href=\"")
	w.url(FeedPath)
	w.WriteString("\">\n")
	if links.commentsFeed != "" {
		w.WriteString("<link rel=\"alternate\" type=\"application/rss+xml\" title=\"" + SiteName + " &raquo; ")
		w.attr(titleParts[0])
		w.WriteString(" Flux des commentaires\" href=\"")
		w.url(links.commentsFeed)
		w.WriteString("\">\n")
	}
	w.headLink("prev", links.prev)
	w.headLink("next", links.next)
	w.WriteString("<link rel=\"stylesheet\" id=\"proradio-style-css\" href=\"")
	w.url(stylePath + "?ver=6.1")
	w.WriteString("\" type=\"text/css\" media=\"all\">\n")
	w.headLink("https://api.w.org/", "/wp-json/")
	if links.restPath != "" {
		w.WriteString("<link rel=\"alternate\" type=\"application/json\" href=\"")
		w.url(links.restPath)
		w.WriteString("\">\n")
	}
	w.WriteString("<meta name=\"generator\" content=\"WordPress 6.1\">\n")
	if w.canonical != "" {
		links.canonical = w.canonical
	}
	w.headLink("canonical", links.canonical)
	w.headLink("shortlink", links.shortlink)
	if w.seo && links.seoKind != "" {
		w.seoMeta(titleParts, links)
	}
	w.WriteString("<script type=\"text/javascript\">var qtRadioConfig = {\"player\":\"#qtplayer\",\"autoplay\":false};</script>\n</head>\n")
	w.WriteString("<body class=\"" + bodyClass + " qt-body\">\n<div id=\"qtmaincontainer\" class=\"qt-main-container\">\n")
	w.WriteString("  <header id=\"qtheader\" class=\"qt-header\">\n    <nav class=\"qt-menubar\" role=\"navigation\">\n")
	w.WriteString("      <a class=\"qt-logo-link\" href=\"")
	w.url("/")
	w.WriteString("\"><img src=\"")
	w.url(logoPath)
	w.WriteString("\" alt=\"" + SiteName + "\"></a>\n      <ul id=\"qt-desktopmenu\" class=\"qt-desktopmenu\">\n")
	w.menuItem("/", "Accueil")
	for _, c := range categories {
		w.menuItem("/category/"+c.slug+"/", c.name)
	}
	w.menuItem(sectionsPath, "Émissions")
	w.menuItem(podcastsPath, "Podcasts")
	w.menuItem(w.m.calendarLink(), "Calendrier")
	w.WriteString("      </ul>\n      <a class=\"qt-btn qt-btn-primary qt-playerbutton\" href=\"#qtplayer\"><i class=\"material-icons\">play_arrow</i> Écouter</a>\n")
	w.WriteString("    </nav>\n  </header>\n\n  <div id=\"maincontent\" class=\"qt-main\">\n")
}

// seoMeta writes Yoast SEO's OpenGraph tags and JSON-LD graph: og:type
// article on every post and page (Yoast does not tell them apart),
// website on listings; an Article node only on posts.
func (w *pageWriter) seoMeta(titleParts []string, links headLinks) {
	ogType, pageType := "article", "WebPage"
	if links.seoKind == "listing" {
		ogType, pageType = "website", "CollectionPage"
	}
	title := strings.Join(titleParts, " – ")
	address := w.base + links.canonical
	if links.seoPath != "" {
		address = w.base + links.seoPath
	}
	meta := func(property, content string) {
		w.WriteString("<meta property=\"" + property + "\" content=\"")
		w.attr(content)
		w.WriteString("\">\n")
	}
	meta("og:locale", "fr_FR")
	meta("og:type", ogType)
	meta("og:title", title)
	meta("og:url", address)
	meta("og:site_name", SiteName)
	graph := []map[string]any{
		{"@type": pageType, "@id": address, "url": address, "name": title, "inLanguage": "fr-FR",
			"isPartOf": map[string]any{"@id": w.base + "/#website"}},
		{"@type": "WebSite", "@id": w.base + "/#website", "url": w.base + "/", "name": SiteName},
	}
	if p := links.seoPost; p != nil {
		a := authors[p.author]
		graph = append(graph, map[string]any{
			"@type": "Article", "@id": address + "#article", "headline": p.title,
			"datePublished": p.day.Format(time.RFC3339), "mainEntityOfPage": map[string]any{"@id": address},
			"author":         map[string]any{"@type": "Person", "name": a.name, "url": w.base + "/author/" + a.slug + "/"},
			"articleSection": []string{categories[p.cats[0]].name}, "inLanguage": "fr-FR",
		})
		meta("article:published_time", p.day.Format(time.RFC3339))
	}
	ld, err := json.Marshal(map[string]any{"@context": "https://schema.org", "@graph": graph})
	if err != nil {
		panic(err) // maps of strings always marshal
	}
	w.WriteString("<script type=\"application/ld+json\" class=\"yoast-schema-graph\">")
	w.Write(ld)
	w.WriteString("</script>\n")
}

func (w *pageWriter) headLink(rel, path string) {
	if path == "" {
		return
	}
	w.WriteString("<link rel=\"" + rel + "\" href=\"")
	w.url(path)
	w.WriteString("\">\n")
}

func (w *pageWriter) menuItem(path, label string) {
	w.WriteString("        <li class=\"menu-item\"><a href=\"")
	w.url(path)
	w.WriteString("\">")
	w.text(label)
	w.WriteString("</a></li>\n")
}

// foot closes #maincontent and writes the footer, player and cookie notice.
func (w *pageWriter) foot() {
	if len(w.extra) > 0 {
		w.WriteString("    <ul class=\"qt-preview-links\">\n")
		for _, l := range w.extra {
			w.WriteString("      <li><a href=\"")
			w.url(l.URL)
			w.WriteString("\">")
			w.text(l.Title)
			w.WriteString("</a></li>\n")
		}
		w.WriteString("    </ul>\n")
	}
	w.WriteString("  </div>\n\n  <footer class=\"qt-footer\">\n    <p>&copy; ")
	w.WriteString(strconv.Itoa(w.m.posts[len(w.m.posts)-1].day.Year()))
	w.WriteString(" " + SiteName + " &mdash; Tous droits réservés. <a href=\"")
	w.url(legalPath)
	w.WriteString("\">Mentions légales</a> &middot; <a href=\"")
	w.url(aboutPath)
	w.WriteString("\">À propos</a> &middot; <a href=\"")
	w.url(contactPath)
	w.WriteString("\">Contact</a> &middot; <a href=\"")
	w.url(membersPath)
	w.WriteString("\">Espace membres</a> &middot; ")
	if w.hubLink {
		w.WriteString("<a href=\"")
		w.url(FaultHubPath)
		w.WriteString("\">Dossiers</a> &middot; ")
	}
	w.WriteString("<a href=\"https://www.facebook.com/radioexemple\" rel=\"noopener\">Facebook</a></p>\n  </footer>\n")
	w.WriteString("  <div id=\"qtplayer\" class=\"qt-player\"><span class=\"qt-player__title\">En direct</span><span class=\"qt-player__progress\">0%</span></div>\n")
	w.WriteString("  <div class=\"cookie-notice\">Ce site utilise des cookies. <a href=\"#\" class=\"cn-accept\">J'accepte</a></div>\n</div>\n</body>\n</html>\n")
}

func (w *pageWriter) categoryTags(p *post) {
	w.WriteString("<ul class=\"qt-tags\">")
	for _, c := range p.cats {
		w.WriteString("<li><a href=\"")
		w.url("/category/" + categories[c].slug + "/")
		w.WriteString("\" rel=\"category tag\">")
		w.text(categories[c].name)
		w.WriteString("</a></li>")
	}
	w.WriteString("</ul>")
}

func postClasses(p *post) string {
	var b strings.Builder
	fmt.Fprintf(&b, "post-%d post type-post status-publish format-standard", p.id)
	if p.image != "" {
		b.WriteString(" has-post-thumbnail")
	}
	b.WriteString(" hentry")
	for _, c := range p.cats {
		b.WriteString(" category-" + categories[c].slug)
	}
	for _, t := range p.tags {
		b.WriteString(" tag-" + slugify(t))
	}
	return b.String()
}

// sidebar writes the widgets column every page has. It is the same on
// every page of a host, so it is rendered once per host.
func (w *pageWriter) sidebar() {
	if html, ok := w.m.sidebars.Load(w.base); ok {
		w.WriteString(html.(string))
		return
	}
	sw := &pageWriter{m: w.m, base: w.base}
	sw.renderSidebar()
	w.m.sidebars.Store(w.base, sw.String())
	w.WriteString(sw.String())
}

func (w *pageWriter) renderSidebar() {
	m := w.m
	w.WriteString("          <aside class=\"col s12 m3 l3 qt-sidebar\">\n")
	w.WriteString("            <section class=\"widget widget_recent_entries\">\n              <h5 class=\"qt-widget-title\">Articles récents</h5>\n              <ul>\n")
	for _, rank := range m.newestFirst[:min(5, len(m.newestFirst))] {
		p := m.posts[rank]
		w.WriteString("                <li><a href=\"")
		w.url(p.path)
		w.WriteString("\">")
		w.text(p.title)
		w.WriteString("</a></li>\n")
	}
	w.WriteString("              </ul>\n            </section>\n")
	w.WriteString("            <section class=\"widget widget_categories\">\n              <h5 class=\"qt-widget-title\">Catégories</h5>\n              <ul>\n")
	for i, c := range categories {
		fmt.Fprintf(w, "                <li class=\"cat-item cat-item-%d\"><a href=\"", c.id)
		w.url("/category/" + c.slug + "/")
		w.WriteString("\">")
		w.text(c.name)
		fmt.Fprintf(w, "</a> (%d)</li>\n", len(m.catPosts[i]))
	}
	w.WriteString("              </ul>\n            </section>\n")
	w.WriteString("            <section class=\"widget widget_archive\">\n              <h5 class=\"qt-widget-title\">Archives</h5>\n              <ul>\n")
	for _, mo := range m.months {
		w.WriteString("                <li><a href=\"")
		w.url("/" + monthKey(mo.year, mo.month) + "/")
		w.WriteString("\">" + monthTitle(mo.year, mo.month) + "</a></li>\n")
	}
	w.WriteString("              </ul>\n            </section>\n")
	if len(m.tags) > 0 {
		w.WriteString("            <section class=\"widget widget_tag_cloud\">\n              <h5 class=\"qt-widget-title\">Étiquettes</h5>\n              <div class=\"tagcloud\">")
		for i, t := range m.cloudTags() {
			if i > 0 {
				w.WriteByte(' ')
			}
			w.WriteString("<a href=\"")
			w.url("/tag/" + t.slug + "/")
			fmt.Fprintf(w, "\" class=\"tag-cloud-link\" style=\"font-size: %dpt;\">", 8+min(14, len(t.posts)/2))
			w.text(t.name)
			w.WriteString("</a>")
		}
		w.WriteString("</div>\n            </section>\n")
	}
	w.WriteString("          </aside>\n")
}

// cloudTags returns the 45 most used tags, by name, as WordPress's tag cloud
// widget shows them.
func (m *model) cloudTags() []tagInfo {
	if len(m.tags) <= 45 {
		return m.tags
	}
	// m.tags is sorted by name, so a stable sort by count keeps, among
	// tags used equally often, the first by name.
	byUse := slices.Clone(m.tags)
	slices.SortStableFunc(byUse, func(a, b tagInfo) int { return len(b.posts) - len(a.posts) })
	shown := byUse[:45]
	slices.SortFunc(shown, func(a, b tagInfo) int { return strings.Compare(fold(a.name), fold(b.name)) })
	return shown
}

type comment struct {
	id     int
	author string
	text   string
	day    string
}

func (m *model) commentsOf(p *post) []comment {
	out := make([]comment, p.comments)
	h := splitmix(uint64(p.id) * 0x2545f4914f6cdd1d)
	for i := range out {
		out[i] = comment{
			id:     p.id*10 + i + 1,
			author: commenters[pick(h, uint64(i*2), len(commenters))],
			text:   typeset(commentTexts[pick(h, uint64(i*2+1), len(commentTexts))]),
			day:    themeDate(p.day.AddDate(0, 0, i+1)),
		}
	}
	return out
}

// article writes the single-post page of p.
func (w *pageWriter) article(p *post) {
	m := w.m
	t := m.text(p)
	w.head([]string{p.title, SiteName}, headLinks{
		canonical:    p.path,
		commentsFeed: p.path + "feed/",
		restPath:     fmt.Sprintf("/wp-json/wp/v2/posts/%d", p.id),
		shortlink:    fmt.Sprintf("/?p=%d", p.id),
		seoKind:      "post",
		seoPost:      p,
	}, fmt.Sprintf("post-template-default single single-post postid-%d single-format-standard", p.id))
	w.WriteString("    <article id=\"qtarticle\" class=\"qt-post qt-single " + postClasses(p) + "\">\n")
	w.WriteString("      <div class=\"qt-pageheader qt-intro__fx\">\n        <div class=\"qt-container\">\n          <ul class=\"qt-tags\">\n")
	for _, c := range p.cats {
		w.WriteString("            <li><a href=\"")
		w.url("/category/" + categories[c].slug + "/")
		w.WriteString("\" rel=\"category tag\">")
		w.text(categories[c].name)
		w.WriteString("</a></li>\n")
	}
	w.WriteString("          </ul>\n          <h1 class=\"qt-caption qt-spacer-s\">")
	w.text(p.title)
	w.WriteString("</h1>\n          <span class=\"qt-item-metas\"><i class=\"material-icons\">today</i>" + themeDate(p.day))
	fmt.Fprintf(w, " <span class=\"qt-views\"><i class=\"material-icons\">visibility</i> %d</span></span>\n        </div>\n", p.views)
	if p.image != "" {
		w.WriteString("        <div class=\"qt-header-bg\" data-bgimage=\"")
		w.url(p.image)
		w.WriteString("\">\n          <img src=\"")
		w.url(p.image)
		w.WriteString("\" alt=\"\" class=\"qt-hidden\">\n          <span class=\"screen-reader-text\">Background</span>\n        </div>\n")
	}
	w.WriteString("      </div>\n\n      <div class=\"qt-container qt-spacer-l\">\n        <div class=\"row\">\n          <div class=\"col s12 m1 l1\">\n            <div class=\"qt-sharepage\">\n")
	w.WriteString("              <a class=\"qt-btn qt-btn-ghost qt-sharebtn\" href=\"#\"><i class=\"material-icons\">share</i></a>\n              <ul class=\"qt-sharelinks\">\n")
	short := fmt.Sprintf("%s/?p=%d", w.base, p.id)
	w.WriteString("                <li><a href=\"https://www.facebook.com/sharer/sharer.php?u=")
	w.attr(short)
	w.WriteString("\" target=\"_blank\" rel=\"noopener\" class=\"qt-btn-fb\"><i class=\"qt-socicon-facebook\"></i></a></li>\n")
	w.WriteString("                <li><a href=\"https://twitter.com/intent/tweet?url=")
	w.attr(short)
	w.WriteString("\" target=\"_blank\" rel=\"noopener\" class=\"qt-btn-tw\"><i class=\"qt-socicon-twitter\"></i></a></li>\n")
	w.WriteString("                <li><a href=\"#\" class=\"qt-sharebtn-close\"><i class=\"material-icons\">close</i></a></li>\n              </ul>\n            </div>\n          </div>\n")
	w.WriteString("          <div class=\"col s12 m8 l8\">\n            <div class=\"qt-the-content entry-content\">\n")
	w.content(p, t)
	w.WriteString("            </div>\n\n")
	if len(p.tags) > 0 {
		// the_tags('Étiquettes : ', ', ')
		w.WriteString("            <p class=\"qt-post-tags qt-small\">Étiquettes&nbsp;: ")
		for i, tag := range p.tags {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString("<a href=\"")
			w.url("/tag/" + slugify(tag) + "/")
			w.WriteString("\" rel=\"tag\">")
			w.text(tag)
			w.WriteString("</a>")
		}
		w.WriteString("</p>\n\n")
	}
	a := authors[p.author]
	w.WriteString("            <div class=\"qt-author-info qt-spacer-m\">\n              <p class=\"qt-small\">Written by: <a href=\"")
	w.url("/author/" + a.slug + "/")
	w.WriteString("\" title=\"Articles par ")
	w.attr(a.name)
	w.WriteString("\" rel=\"author\">")
	w.text(a.name)
	w.WriteString("</a></p>\n            </div>\n\n")
	fmt.Fprintf(w, "            <div class=\"qt-rating-box\">\n              <h5 class=\"qt-caption-small\">Rate it</h5>\n              <div class=\"qt-ratingbar\" data-postid=\"%d\"><span class=\"qt-ratingbar__fill\" style=\"width:0%%\"></span></div>\n            </div>\n\n", p.id)
	if p.rank > 0 {
		q := m.posts[p.rank-1]
		w.WriteString("            <div class=\"qt-post-nav qt-spacer-m\">\n              <div class=\"qt-post-nav__prev\">\n                <h5 class=\"qt-caption-small\">Previous post</h5>\n")
		w.card(q, "h6", "                ")
		w.WriteString("              </div>\n            </div>\n\n")
	}
	w.WriteString("            <div id=\"comments\" class=\"qt-comments-section\">\n")
	fmt.Fprintf(w, "              <h3 class=\"qt-caption-small\">Post comments (%d)</h3>\n", p.comments)
	if p.comments > 0 {
		w.WriteString("              <ol class=\"comment-list\">\n")
		for _, c := range m.commentsOf(p) {
			fmt.Fprintf(w, "                <li id=\"comment-%d\" class=\"comment even thread-even depth-1\"><div class=\"comment-body\"><div class=\"comment-author vcard\"><b class=\"fn\">", c.id)
			w.text(c.author)
			fmt.Fprintf(w, "</b></div><div class=\"comment-metadata\"><a href=\"#comment-%d\">%s</a></div><div class=\"comment-content\"><p>", c.id, c.day)
			w.text(c.text)
			// get_comment_reply_link: a nofollow link to the post with the
			// reply form aimed at the comment.
			w.WriteString("</p></div><div class=\"reply\"><a rel=\"nofollow\" class=\"comment-reply-link\" href=\"")
			w.url(fmt.Sprintf("%s?replytocom=%d#respond", p.path, c.id))
			fmt.Fprintf(w, "\" data-commentid=\"%d\" data-postid=\"%d\" aria-label=\"Répondre à ", c.id, p.id)
			w.attr(c.author)
			w.WriteString("\">Répondre</a></div></div></li>\n")
		}
		w.WriteString("              </ol>\n")
	}
	w.WriteString("              <div id=\"respond\" class=\"comment-respond\">\n                <h3 id=\"reply-title\" class=\"comment-reply-title\">Leave a reply</h3>\n")
	w.WriteString("                <form action=\"")
	w.url(commentPostPath)
	w.WriteString("\" method=\"post\" id=\"commentform\" class=\"comment-form\">\n")
	w.WriteString("                  <p class=\"comment-notes\"><span id=\"email-notes\">Your email address will not be published.</span> Required fields are marked <span class=\"required\">*</span></p>\n")
	w.WriteString("                  <p class=\"comment-form-comment\"><textarea id=\"comment\" name=\"comment\" cols=\"45\" rows=\"8\" required></textarea></p>\n")
	w.WriteString("                  <p class=\"comment-form-author\"><input id=\"author\" name=\"author\" type=\"text\" size=\"30\" required></p>\n")
	w.WriteString("                  <p class=\"comment-form-email\"><input id=\"email\" name=\"email\" type=\"email\" size=\"30\" required></p>\n")
	fmt.Fprintf(w, "                  <p class=\"form-submit\"><input name=\"submit\" type=\"submit\" id=\"submit\" class=\"submit\" value=\"Post comment\"><input type=\"hidden\" name=\"comment_post_ID\" value=\"%d\"></p>\n", p.id)
	w.WriteString("                </form>\n              </div>\n            </div>\n          </div>\n\n")
	w.sidebar()
	w.WriteString("        </div>\n      </div>\n    </article>\n")
	w.foot()
}

// content writes the paragraphs of .entry-content: the lead in <strong>,
// "Lire la suite", the body with "À lire aussi" where it belongs, and
// "La source".
func (w *pageWriter) content(p *post, t postText) {
	const indent = "              "
	w.WriteString(indent + "<p><strong>")
	w.text(t.paragraphs[0])
	w.WriteString("</strong></p>\n")
	if t.spacer {
		w.WriteString(indent + "<p>&nbsp;</p>\n")
	}
	w.externalLink(indent, p.source, readMoreText)
	for i, para := range t.paragraphs[1:] {
		w.WriteString(indent + "<p>")
		w.text(para)
		w.WriteString("</p>\n")
		if p.related >= 0 && i+2 == t.relatedAfter {
			q := w.m.posts[p.related]
			w.WriteString(indent + "<p><strong>À lire aussi&nbsp;: <a href=\"")
			w.url(q.path)
			w.WriteString("\">")
			w.text(q.title)
			w.WriteString("</a></strong></p>\n")
		}
	}
	w.externalLink(indent, p.source, sourceText)
}

func (w *pageWriter) externalLink(indent, href, label string) {
	w.WriteString(indent + "<p><a href=\"")
	w.attr(href)
	w.WriteString("\" target=\"_blank\" rel=\"noopener\">" + label + "</a></p>\n")
}

// card writes a post as the theme shows it in lists and in the "Previous
// post" box: categories, title link, excerpt, date.
func (w *pageWriter) card(p *post, heading, indent string) {
	w.WriteString(indent + "<article class=\"qt-part-archive-item qt-item-inline " + postClasses(p) + "\">\n")
	w.WriteString(indent + "  ")
	w.categoryTags(p)
	w.WriteString("\n" + indent + "  <" + heading + " class=\"qt-title qt-ellipsis\"><a href=\"")
	w.url(p.path)
	w.WriteString("\" class=\"qt-text-shadow\">")
	w.text(p.title)
	w.WriteString("</a></" + heading + ">\n" + indent + "  <p class=\"qt-item-excerpt\">")
	ex := w.m.excerpt(p)
	if rest, ok := strings.CutSuffix(ex, " […]"); ok {
		w.text(rest)
		w.WriteString(" [&hellip;]")
	} else {
		w.text(ex)
	}
	w.WriteString("</p>\n" + indent + "  <span class=\"qt-item-metas\"><i class=\"material-icons\">today</i>" + themeDate(p.day) + "</span>\n")
	w.WriteString(indent + "</article>\n")
}

// listing writes an archive page: a heading, ten cards and the pagination.
func (w *pageWriter) listing(l listing, page int) {
	titleParts := []string{l.title}
	if page > 1 {
		titleParts = append(titleParts, fmt.Sprintf("Page %d", page))
	}
	if l.title == SiteName {
		titleParts = append(titleParts, siteTagline)
	} else {
		titleParts = append(titleParts, SiteName)
	}
	bodyClass := l.bodyClass
	if page > 1 {
		bodyClass += fmt.Sprintf(" paged paged-%d", page)
	}
	pages := l.pages()
	links := headLinks{seoKind: "listing", seoPath: l.pagePath(page)}
	if page > 1 {
		links.prev = l.pagePath(page - 1)
	}
	if page < pages {
		links.next = l.pagePath(page + 1)
	}
	w.head(titleParts, links, bodyClass)
	if l.heading != "" {
		w.WriteString("    <div class=\"qt-pageheader\">\n      <div class=\"qt-container\">\n        <h1 class=\"qt-caption\">")
		w.text(typeset(l.heading))
		w.WriteString("</h1>\n      </div>\n    </div>\n")
	}
	w.WriteString("    <div class=\"qt-container qt-spacer-l\">\n      <div class=\"row\">\n          <div class=\"col s12 m8 l8\">\n            <div class=\"qt-archive-list\">\n")
	from := (page - 1) * postsPerPage
	for _, rank := range l.posts[from:min(from+postsPerPage, len(l.posts))] {
		w.card(w.m.posts[rank], "h3", "              ")
	}
	w.WriteString("            </div>\n")
	w.pagination(l, page, pages)
	w.WriteString("          </div>\n")
	w.sidebar()
	w.WriteString("      </div>\n    </div>\n")
	w.foot()
}

// pagination writes WordPress's paginate_links: previous, 1, …, the pages
// around the current one, …, last, next.
func (w *pageWriter) pagination(l listing, page, pages int) {
	if pages < 2 {
		return
	}
	w.WriteString("            <nav class=\"navigation pagination\" aria-label=\"Publications\">\n              <h2 class=\"screen-reader-text\">Navigation des articles</h2>\n              <div class=\"nav-links\">")
	link := func(class string, n int, label string) {
		w.WriteString("<a class=\"" + class + "\" href=\"")
		w.url(l.pagePath(n))
		w.WriteString("\">" + label + "</a>")
	}
	if page > 1 {
		link("prev page-numbers", page-1, "Page précédente")
	}
	dots := false
	for n := 1; n <= pages; n++ {
		switch {
		case n == page:
			fmt.Fprintf(w, "<span aria-current=\"page\" class=\"page-numbers current\">%d</span>", n)
			dots = false
		case n == 1 || n == pages || (n >= page-2 && n <= page+2):
			link("page-numbers", n, strconv.Itoa(n))
			dots = false
		case !dots:
			w.WriteString("<span class=\"page-numbers dots\">&hellip;</span>")
			dots = true
		}
	}
	if page < pages {
		link("next page-numbers", page+1, "Page suivante")
	}
	w.WriteString("</div>\n            </nav>\n")
}

// staticPage writes a WordPress "page" (not a post): a title and paragraphs,
// no date, no category, no author.
func (w *pageWriter) staticPage(sp staticPageInfo) {
	canonical := sp.path
	if sp.calendar {
		// The calendar plugin names each month's address canonical.
		canonical = fmt.Sprintf("%s?mois=%04d-%02d", sp.path, w.month.Year(), w.month.Month())
	}
	w.head([]string{sp.title, SiteName}, headLinks{canonical: canonical, shortlink: fmt.Sprintf("/?page_id=%d", sp.id), seoKind: "page"}, fmt.Sprintf("page-template-default page page-id-%d", sp.id))
	fmt.Fprintf(w, "    <article id=\"post-%d\" class=\"qt-page post-%d page type-page status-publish hentry\">\n", sp.id, sp.id)
	w.WriteString("      <div class=\"qt-pageheader\">\n        <div class=\"qt-container\">\n          <h1 class=\"qt-caption\">")
	w.text(sp.title)
	w.WriteString("</h1>\n        </div>\n      </div>\n      <div class=\"qt-container qt-spacer-l\">\n        <div class=\"row\">\n          <div class=\"col s12 m8 l8\">\n            <div class=\"qt-the-content entry-content\">\n")
	for _, para := range sp.paragraphs {
		w.WriteString("              <p>")
		w.text(typeset(para))
		w.WriteString("</p>\n")
	}
	for _, l := range sp.links {
		w.WriteString("              <p><a href=\"")
		w.url(l.URL)
		w.WriteString("\">")
		w.text(l.Title)
		w.WriteString("</a></p>\n")
	}
	switch {
	case sp.sections:
		w.sectionCards()
	case sp.contactForm:
		w.contactForm(sp)
	case sp.calendar:
		w.monthGrid()
	}
	w.WriteString("            </div>\n          </div>\n")
	w.sidebar()
	w.WriteString("        </div>\n      </div>\n    </article>\n")
	w.foot()
}

// sectionCards writes a section index's cards: each category with posts,
// its name a link to its archive, and a description.
func (w *pageWriter) sectionCards() {
	for i, c := range categories {
		if len(w.m.catPosts[i]) == 0 {
			continue
		}
		w.WriteString("              <div class=\"qt-section-card\">\n                <h2><a href=\"")
		w.url("/category/" + c.slug + "/")
		w.WriteString("\">")
		w.text(c.name)
		w.WriteString("</a></h2>\n                <p>")
		w.text(typeset(sectionBlurb(c.name)))
		w.WriteString("</p>\n              </div>\n")
	}
}

// contactForm writes Contact Form 7's form, posting to the page itself.
func (w *pageWriter) contactForm(sp staticPageInfo) {
	fmt.Fprintf(w, "              <div class=\"wpcf7\" id=\"wpcf7-f%d-p%d-o1\">\n                <form action=\"", sp.id+100, sp.id)
	w.url(sp.path)
	fmt.Fprintf(w, "#wpcf7-f%d-p%d-o1\" method=\"post\" class=\"wpcf7-form\">\n", sp.id+100, sp.id)
	for _, f := range []struct{ label, name, kind string }{
		{"Votre nom", "your-name", "text"}, {"Votre adresse e-mail", "your-email", "email"}, {"Objet", "your-subject", "text"},
	} {
		fmt.Fprintf(w, "                  <p><label>%s<br><input type=\"%s\" name=\"%s\" size=\"40\"></label></p>\n", f.label, f.kind, f.name)
	}
	w.WriteString("                  <p><label>Votre message<br><textarea name=\"your-message\" cols=\"40\" rows=\"10\"></textarea></label></p>\n")
	w.WriteString("                  <p><input type=\"submit\" value=\"Envoyer\" class=\"wpcf7-submit\"></p>\n                </form>\n              </div>\n")
}

// monthGrid writes w.month as a calendar: a table with a cell for each
// day, the posts of a day linked in its cell, and the archive of the month
// before with posts linked under it, as WordPress's calendar does.
func (w *pageWriter) monthGrid() {
	first := w.month
	byDay := map[int][]*post{}
	if i, ok := w.m.monthByKey[monthKey(first.Year(), first.Month())]; ok {
		for _, rank := range w.m.months[i].posts {
			p := w.m.posts[rank]
			byDay[p.day.Day()] = append(byDay[p.day.Day()], p)
		}
	}
	w.WriteString("              <table class=\"qt-calendar\">\n                <caption>")
	w.text(monthTitle(first.Year(), first.Month()))
	w.WriteString("</caption>\n                <thead><tr><th>lun.</th><th>mar.</th><th>mer.</th><th>jeu.</th><th>ven.</th><th>sam.</th><th>dim.</th></tr></thead>\n                <tbody>\n                  <tr>")
	lead := (int(first.Weekday()) + 6) % 7 // Monday first
	for range lead {
		w.WriteString("<td class=\"pad\"></td>")
	}
	days := first.AddDate(0, 1, -1).Day()
	for d := 1; d <= days; d++ {
		if d > 1 && (lead+d-1)%7 == 0 {
			w.WriteString("</tr>\n                  <tr>")
		}
		fmt.Fprintf(w, "<td>%d", d)
		for _, p := range byDay[d] {
			w.WriteString("<br><a href=\"")
			w.url(p.path)
			w.WriteString("\">")
			w.text(p.title)
			w.WriteString("</a>")
		}
		w.WriteString("</td>")
	}
	w.WriteString("</tr>\n                </tbody>\n              </table>\n")
	for _, mo := range w.m.months { // newest first
		if mo.year < first.Year() || (mo.year == first.Year() && mo.month < first.Month()) {
			w.WriteString("              <p class=\"qt-calendar-nav\"><a href=\"")
			w.url("/" + monthKey(mo.year, mo.month) + "/")
			w.WriteString("\">&laquo; ")
			w.text(monthTitle(mo.year, mo.month))
			w.WriteString("</a></p>\n")
			break
		}
	}
}

// notFound writes the theme's 404 page.
func (w *pageWriter) notFound() {
	w.head([]string{"Page introuvable", SiteName}, headLinks{}, "error404")
	w.WriteString("    <div class=\"qt-pageheader\">\n      <div class=\"qt-container\">\n        <h1 class=\"qt-caption\">Page introuvable</h1>\n      </div>\n    </div>\n")
	w.WriteString("    <div class=\"qt-container qt-spacer-l\">\n      <div class=\"row\">\n          <div class=\"col s12 m8 l8\">\n            <p>Désolé, cette page n’existe pas ou a été déplacée. Essayez la page d’accueil ou les archives ci-contre.</p>\n          </div>\n")
	w.sidebar()
	w.WriteString("      </div>\n    </div>\n")
	w.foot()
}
