// Package wpsite is folio's fixture site: a deterministic French news site
// built on the markup of a WordPress radio/news theme (the source blog's
// theme, testdata/model-article.html), served as an http.Handler, that knows
// the record an extractor should produce from each of its articles.
//
// Entry point: New(Options) returns a *Site; serve it with httptest (tests)
// or net/http (`go run ./internal/testsite`, `folio demo`). Expected(base)
// returns the ground truth; Requests, RequestsWithPrefix and TotalRequests
// count what a crawler asked for.
//
// # Content
//
// Options.Articles articles (default 60), one a day at most, spread over
// 2020–2023 (further back when there are more articles than days), over six
// categories and five authors, evenly. The text is generated from sentence
// templates (templates.go) filled with facts of the article's own: each
// article's protagonist has a name no other article of its category uses, so
// six consecutive words around it are the article's alone (Article.Phrase
// gives one such phrase). Bodies have 3 to 12 paragraphs in French
// typography: ’, « » and no-break spaces before ; : ? ! % and inside « ».
// Every sixth article speaks of Russia and North Korea ("Corée du Nord").
// The site always includes the source blog's article ("Entre la Corée du
// Nord et la Russie…", 2022-11-07, L'Europe) and the two posts its page
// links to, at their own dates, so that its page yields the reference record
// (testdata/source-article.expected.json).
//
// # Pages
//
// Articles live at /YYYY/MM/DD/<slug>/ with rel=canonical, the category list
// above the title, the date glued to the "today" icon ("novembre 7, 2022"),
// a "visibility" views counter, share icons, the lead in <strong>, "Lire la
// suite" and "La source" links to an external host (www.rfi.fr or
// source.example), for a third of them an "À lire aussi :" line (after the
// third paragraph in long articles, at the end otherwise), post tags when
// the article has some (an "Étiquettes :" paragraph of rel="tag" links after
// the content, outside .entry-content), "Written by:", the rating box, the
// "Previous post" card (absent on the oldest article), "Post comments (N)"
// with N comments listed (their dates are plain text, no <time>), each
// with WordPress's rel="nofollow" "Répondre" link to <post>?replytocom=ID
// (which serves the post again, marked noindex, follow), the reply
// form, a sidebar (recent posts, categories, monthly archives, tag cloud),
// the header menu with "play_arrow Écouter" and a footer with a cookie
// notice. The theme shows no "Next post" card, and prints no OpenGraph or
// JSON-LD metadata, as the model page (Options.SEOMeta adds them).
//
// Listings (body class "home blog" or "archive …", no canonical link, ten
// cards a page, WordPress pagination with a "next page-numbers" link and
// rel=next): /, /page/N/, /category/<slug>/, /tag/<slug>/, /author/<slug>/,
// /YYYY/MM/ (linked from the archives widget), and the unlinked /YYYY/ and
// /YYYY/MM/DD/. Also /feed/ (RSS 2.0, the ten newest posts with their
// publication date only, the channel's lastBuildDate being their latest
// change, as WordPress computes it), each post's comments feed
// <post>/feed/, the core sitemaps (/wp-sitemap.xml and the posts, pages,
// categories, tags and users sitemaps it lists; without lastmod, as
// WordPress 6.1, unless Options.SitemapLastmod), robots.txt,
// <post>?share=facebook (Jetpack's sharing redirect),
// /wp-json/ and /wp-json/wp/v2/posts/<id>, shortlinks /?p=<id> (301 to the
// post), the theme's stylesheet, logo and pictures, and a 404 page.
//
// WordPress "pages" (body class "page page-id-N", a title and a canonical
// link but no date, category or author) are not articles and have no
// ground truth: the legal notice /mentions-legales/, /a-propos/ (as long as
// an article: only its title says what it is), /contact/ (a Contact Form 7
// form), linked from the footer; /emissions/ (a section's index: a card per
// category, its name a link, with a description), /podcasts/ and
// /calendrier/?mois=YYYY-MM (a month as a grid of days, each post linked
// from its day, the month before linked to its archive; the menu links the
// newest post's month and the sitemap leaves it out), linked from the
// menu. PagePaths lists them. Neither have the members' pages under
// DisallowedPrefix (/prive/), which robots.txt disallows although every
// page's footer links there ("Espace membres") and they answer 200.
//
// # Switches
//
// Options.RobotsStatus makes robots.txt answer a status (or close the
// connection, RobotsUnreachable); Options.RobotsBytes pads it past its rules
// and ends it with "Disallow: /" (PastPaddingRule).
//
// The zero Options is a plain WordPress install: no ETag or Last-Modified,
// no compression, no delay, no faults. Options.Validators adds ETag and
// Last-Modified and answers conditional requests with 304: an article's
// validators follow its content (its post and its edits, as WordPress's
// post_modified), a listing's follow its bytes (Last-Modified: its newest
// post's day). Options.Gzip compresses for clients that ask;
// Options.Latency delays every answer; Options.PageBytes pads HTML pages to
// a given size with an inline script in the head, as real WordPress pages
// are 60 KB and more; Options.SitemapLastmod gives posts a lastmod in the
// sitemaps, as WordPress 6.5 and later. Options.SEOMeta prints what Yoast SEO prints:
// og:type article on posts and pages alike, website on listings, and a
// JSON-LD graph (Article and WebPage on posts, WebPage on pages,
// CollectionPage on listings) holding the page's own values.
//
// # Faults
//
// Options.Faults switches on the troubles real sites give crawlers (see
// Fault): articles answering 500 then 200, 429 with Retry-After, a slow
// article, renamed articles whose old addresses answer 301, a redirect loop,
// dead links, an article in ISO-8859-1, an article with broken markup, an
// infinite calendar, links with tracking parameters and fragments, links to
// another host and to attachments, a 50 MB page streamed as it is
// generated, previews of articles marked noindex (in a meta or an
// X-Robots-Tag header) or nofollow, and other addresses of an article (its
// print version, whose canonical link names it, ?replytocom and ?share). Fault articles are ordinary articles with their ground truth;
// the other fault links are on the "Dossiers" page that every page's footer
// then links to. Site.Faults says where each fault is.
//
// Site.Mutate is the newsroom at work between two crawls: it edits k
// articles (an update paragraph closes their body) and publishes k new ones;
// Site.Edit edits the articles it is given, the newest included. Expected,
// the listings, feeds and sitemaps follow.
//
// # Counters
//
// Requests, RequestsWithPrefix and TotalRequests count the requests per
// path (query left out), RequestsWithParam per query parameter name;
// Answered counts them by status (200 bodies sent,
// 304s); BytesServed counts the body bytes written, and RequestTimes keeps
// when the fault pages were asked for. ResetRequests starts them again.
//
// The package imports nothing of folio's.
package wpsite
