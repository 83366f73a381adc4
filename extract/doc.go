// Package extract turns one fetched HTML page into a folio.Article record,
// or says that the page holds no article.
//
// Entry point: Extract(page, rules, opts...); ExtractExplained(page, rules,
// opts...) also returns an Explanation: which layer and rule gave each
// field, or why the page is not an article (what `folio extract --explain`
// prints). Rules say what to read and are data (config.yaml); options say
// what a call works with: WithLogger receives, at debug level, the rule
// that won each field, and without it Extract is silent. Extract
// parses the page once and reads every field of the record from that one
// tree, trying layers from the most to the least trusted:
//
//  1. rules: the site's own goquery (CSS) selectors, kept as data in Rules.
//     A selector the site configured wins outright; the WordPress defaults
//     (DefaultRules: the <article> holding the h1, rel="category tag",
//     rel=author, .entry-content, time.entry-date) are cross-checked, as
//     they match on any site: a bare h1 must agree with the page's stated
//     title, and generic date and byline elements come after metadata;
//  2. metadata: JSON-LD (with @graph, arrays and @id references; the
//     first object of an article type, a HowTo among them, is the page's),
//     OpenGraph and article:* meta tags, Dublin Core (DC.title, dc:creator,
//     dcterms.date… in any spelling), schema.org microdata (itemprop inside
//     an Article item), <time datetime>, <link rel=canonical|prev|next>,
//     <html lang>, Content-Language;
//  3. heuristics on the visible page: a "Previous post" heading over a card,
//     "À lire aussi" and "La source" links, the first date written in the
//     article header, "Post comments (N)", WordPress's category-<slug>
//     classes, an element classed byline, "Publié le … par Name", a byline
//     opening the body or printed above the article element, the author
//     box ("By X", "View all of X's posts") when there is no other byline
//     (among the body's first lines, a label alone in its element names
//     the author in the next: "<dt>Auteur</dt><dd>Name</dd>"; a handle
//     there counts when it links to the member's profile on the site:
//     "by <h3><a href=/profile/14>quill77</a></h3>");
//     for the category, the default category rule above the article
//     element, a link classed as the category ("f--category", "Rubric",
//     or "Kategorien: X" unlinked), a kicker link by the headline naming
//     its section, links to category archives (/category/, /cat/,
//     /kategorie/), the menu item marked as the current section, then the
//     address's first segment (/politik/…) as the site's link to it names
//     it; the language from the text (its script, else its commonest
//     words, see language.go) when nothing declares it;
//  4. go-readability (codeberg.org/readeck/go-readability/v2), run on the
//     same tree, for the body only, when the rules find none; its dateline,
//     trailing link lines and copyright line are trimmed.
//
// Titles: the metadata title is the page's own statement of its headline
// (JSON-LD headline, Dublin Core, og:title, then <title>); the site's name
// is cut from it when the page states the name, and from <title> also when
// the last " – segment" is short. A meta title that an unescaped quote cut
// short (content="… de "incapacitado"") gives way to <title>, which it
// begins; an ornament before a headline ("[> ", "• ") is dropped. Several
// authors are joined by ", ".
// Authors: metadata first, but a meta author tag gives way to a byline whose
// names link to their archives on the site (/author/jo-baker/), as the tag
// is often one name for the whole site, and a meta author tag naming someone
// the page never prints gives way to a byline element both classed and
// labelled as one ("<td class=author>Text & Fotos: Name</td>"); metadata
// naming the site, an institution (a phrase: "Landesamt für Wasser"), an
// organisation or anything that is no person's name (a label, a theme's
// credit: "Jo Kern und Studio designed") gives way to a person the page prints, and metadata naming
// the site to a labelled byline's single name ("Geschrieben von Rossi");
// author links in lists of other posts (related, popular, footers, asides)
// are not the article's, nor is the author a picture's caption or licence
// names ("<div class=license-info><span class=author-name>…"), unless
// the block holds the headline. A byline printed only in a <noscript> element (the
// copy a page keeps for readers without scripts of what a script renders)
// counts, after the bylines printed outside it. A byline opening the
// article's text ("<p>Von Jo Kern</p>", "Blog-Beitrag von Jo Kern"; an
// interview's names the interviewer: "Ein Interview von Jo Kern mit Eva
// Roth") wins over the metadata's author and over a login ("admin"), which
// name the account that posted the article, unless it names them too.
// A follow button ends a byline's names ("Jo KernFollow Reporterin
// für …": the author's bio follows). The name over an office ending the
// text ("Jo Kern\nVereinsvorsitzender") signs it, over metadata naming an
// organisation too. A conversation's byline names both who speak ("Jo
// Kern im Gespräch mit Eva Roth"), and a paragraph classed "author" counts when its text is
// such a list of names. Last among the bylines, a magazine's list of
// credits names the writer
// under a label of its own ("<div>Interview</div><div>Jo Kern</div>",
// beside "Fotos", "Styling").
// Where no author is found, or only the site's name,
// the source line the article prints credits it ("Quelle: kathpress",
// "Source : AFP", as printed: "RADIO NORD/ab"; a photo's source aside),
// else the agency of a wire dateline opening it ("Bremen (dpa/lni) – …") or
// of the credit in brackets ending it ("(KZ mit AFP)"). A page that names no
// author on a personal site is its owner's: the person the site's name or
// the page's title names when the host is that name (martalindqvist.net,
// "Marta Lindqvist's Notebook"). Chinese news's labels (作者：, 记者：,
// 责任编辑：) open a byline as "Von" and "By" do, also as the own text of an
// element that holds a link before it ("<a>【纠错】</a> 责任编辑： Name").
//
// Icon-font elements (<i class="material-icons">today</i>) are removed before
// any text is read, and the blocks of links (previous/next cards, related
// links, source and "Lire la suite" lines) are read and then removed, with
// the rules' boilerplate (share, rating, comment form, screen-reader text
// but a byline label: "<span class=screen-reader-text>By</span>"), before
// the body is.
// Comments (the comments section, its lists, each comment, known by
// WordPress's classes or by a class naming a kind of comment:
// "recipe-comment", "comment-item") are never the article, and are removed
// with the boilerplate whatever the rules say, so that no commenter's name,
// date or link becomes the article's.
// Dates are read by a table-driven parser (datewords.go): ISO 8601 and RFC
// 1123 through the time package, then month names of six languages in either
// order ("novembre 7, 2022", "7 novembre 2022"; Russian, Ukrainian and
// Arabic month names too: "15 августа 2016", "07 أكتوبر 2020"), numeric
// dates in the page's order ("07/11/2022", "26 | 01 | 2022" with the
// whole year; English month first, but day
// first where the page declares a region that writes it so, en-GB, en-AU,
// en-IN, and whatever the language when dots separate them), times and
// offsets, and relative dates against the fetch time in six languages ("il y
// a 3 jours", "2 hours ago", "vor 3 Tagen", "hace 2 horas", "3 giorni fa",
// "há 3 dias"); a day without a time is midnight in the rules' time zone
// (the site's time_zone in config.yaml), and a date with an offset keeps the
// offset the page wrote. The publication date comes from the rules and
// metadata first; after them, from the date line printed under the headline
// (up to the next heading or the body, wherever the article element starts),
// the first date written in the article header, the URL's /YYYY/MM/DD/, then
// an element anywhere on the page that says it holds a date (a <time>,
// itemprop datePublished, a class such as "date" or "posted-on", or a label
// such as "Datum:" or "Veröffentlicht am"; one naming the publication
// first), read before the drop rules remove the header holding it, never one
// that dates an update, a forum member's joining ("Registriert:
// 18.09.2008"), a comment, a footer, the site's banner or another page's
// teaser. A date the page shows wins over a bare meta date (dc:date, date)
// on another day, and a UTC instant in metadata takes the day the page
// prints or its permalink states when they are a day apart, or the site's
// day when it is midnight there. Last, the sentence a theme prints about
// the post, opening with a link to the page itself ("<a
// rel=bookmark>Title</a> wurde am 19. Mai 2010 … gepostet", "… was posted
// on …"), a date line opening one of the article's texts ("29.11.2022 –
// …", "01.02.2022 „…"), the upload date of the video the page presents
// (JSON-LD VideoObject), a script's data (or a script that writes the
// date where it stands: showDate("2020/04/17 01:43")), and
// the last change the article element states ("Aktualisiert: 30.12.2016",
// "last edited …", an element classed "updated"; or the line beside it
// that says so, as a wiki prints "(last edited … by …)" after the text)
// when it states no other date. A page a wiki engine generated (meta
// generator MediaWiki, DokuWiki, MoinMoin…) is dated by its last edit
// first: JSON-LD dateModified, else the footer's "last modified" line
// (id footer-info-lastmod); its text is the one that edit left, the dates
// in it are those of what it tells. (github.com/markusmobius/go-dateparser reads the same forms but
// costs about 0.5 s and 95 MB of allocations at every process start, when it
// compiles its locale data, and 0.1–0.35 ms a date.) The body's HTML is
// sanitised with bluemonday and its addresses made absolute.
//
// Pages that are not articles give an error wrapping ErrNotArticle with the
// reason (notarticle.go): 404 and search pages; the pages a site keeps
// about itself (legal notice, privacy, terms, about, contact, account…),
// known by their JSON-LD type (AboutPage, ContactPage), their title or h1,
// or their address's last segment, in six languages; WordPress listings
// (body classes home blog, archive, category, tag, author, date) and the
// addresses of listings (/page/N/, /2024/07/, /category/…, ?s=, ?m=, a
// month in the query as calendars have: ?mois=2024-07); and pages with no
// title or no body. A WordPress post (single, postid-N) or a page declared
// an article (JSON-LD or microdata Article, og:type article) is an
// article, but on a WordPress "page" (page-id-N) og:type and JSON-LD types
// do not count, as SEO plugins print them on every page. Signals that also
// fit a page with a text of its own (a WordPress page, a home page, a
// JSON-LD CollectionPage, a month grid, three or more <article> teasers
// linking elsewhere) refuse the page only when it holds fewer than 100
// words of prose: paragraphs outside navigation, sidebars, forms and
// footers, and not under a heading that links to another page of the site
// (a card's title). A dated permalink (/2019/10/21/slug/) overrides them.
// An element holding half the page's text is never dropped as
// boilerplate: ASP.NET pages wrap the whole page in a <form>.
//
// extract does not fetch, store or index anything, and imports nothing of
// folio but the root package's types. Rules are loaded from config.yaml by
// cmd/folio, not here.
package extract
