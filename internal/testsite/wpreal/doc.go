// Package wpreal serves pages saved from a real WordPress as a site, with
// the records expected of its posts, so that extraction and crawl tests run
// against WordPress as it is, without Apache or MariaDB.
//
// The pages under testdata/ were saved by scripts/wordpress/build.sh from
// Debian's WordPress package (versions in testdata/versions.json), installed
// in French on 127.0.0.1 and filled through the WordPress API with 40 posts
// in 8 categories by 4 authors (two with a biographical note), tags,
// threaded comments, "La source" links and posts published just after
// midnight in Paris, plus three static pages. The same site was saved under
// each of the stock themes Twenty Twenty-One, Twenty Twenty-Two and Twenty
// Twenty-Three (Themes): every page it serves by links, home and its pages,
// category, tag, author and month archives, posts and their ?replytocom=
// variants, static pages, feeds, wp-sitemap.xml and its sitemaps,
// robots.txt, and WordPress's 404 page. The REST API (/wp-json/), the admin,
// the login page and static files were left out; testdata/<theme>/
// manifest.json lists every address with its status, content type and, for
// what was left out, the reason.
//
// Entry points: New(theme) returns a *Site, an http.Handler to serve with
// httptest; it writes its own address wherever the saved files have the
// placeholder host (Placeholder), answers redirects as WordPress did, and
// serves the 404 page for any address it does not hold. Requests,
// RequestsWithQuery, TotalRequests and Missing count what a crawler asked
// for. Pages lists the saved answers, for tests that read pages directly.
// LoadExpected returns the records expected of each post (title, date with
// its offset, categories, tags, author, body, source link, previous and next
// post, comments) and the pages that are not articles, as the build script
// wrote them from the data it gave WordPress, not from folio's output;
// LoadVersions the versions the pages come from.
//
// Strings of the themes themselves are in English ("Published", "By",
// "Previous post"): Debian's wordpress-l10n translates WordPress but not the
// stock themes.
//
// The package imports nothing of folio's.
package wpreal
