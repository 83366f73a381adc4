// Package extract turns one fetched HTML page into a folio.Article record,
// or says that the page holds no article.
//
// Entry point: Extract(page, rules). It parses the page once and reads every
// field of the record from that one tree, trying layers from the most to the
// least trusted and logging at debug level which layer and rule won:
//
//  1. rules: the site's goquery (CSS) selectors, kept as data in Rules, with
//     a WordPress default (DefaultRules) that relies on signals themes share:
//     the <article> holding the h1, rel="category tag", rel=author,
//     .entry-content;
//  2. metadata: JSON-LD (with @graph and arrays), OpenGraph and article:*
//     meta tags, <time datetime>, <link rel=canonical|prev|next>, <html lang>;
//  3. heuristics on the visible page: a "Previous post" heading over a card,
//     "À lire aussi" and "La source" links, the first date written in the
//     article header, "Post comments (N)", WordPress's category-<slug>
//     classes;
//  4. go-readability (codeberg.org/readeck/go-readability/v2), run on the
//     same tree, for the body only, when the rules find none.
//
// Icon-font elements (<i class="material-icons">today</i>) are removed before
// any text is read, and the blocks of links (previous/next cards, related
// links, source and "Lire la suite" lines) are read and then removed, with
// the rules' boilerplate (share, rating, comment form), before the body is.
// Dates are read by a table-driven parser (datewords.go): ISO 8601 and
// RFC 1123 through the time package, then month names of six languages in
// either order ("novembre 7, 2022", "7 novembre 2022"), numeric dates in the
// page's order ("07/11/2022"), times and offsets, and "il y a 3 jours"; a day
// without a time is midnight in the rules' time zone.
// (github.com/markusmobius/go-dateparser reads the same forms but costs
// about 0.5 s and 95 MB of allocations at every process start, when it
// compiles its locale data, and 0.1–0.35 ms a date.) The body's HTML is
// sanitised with bluemonday and its addresses made absolute.
//
// Pages that are not articles (home, listings, archives, search and 404
// pages, pages with no title or no body) give an error wrapping
// ErrNotArticle with the reason.
//
// extract does not fetch, store or index anything, and imports nothing of
// folio but the root package's types. Rules are loaded from config.yaml by
// cmd/folio, not here.
package extract
