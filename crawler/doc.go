// Package crawler fetches the pages of a site, politely and completely, and
// hands every HTML page on as a folio.Page.
//
// # Entry point
//
//	c, err := crawler.New(opts, state, logger)
//	stats, err := c.Run(ctx, seeds, func(p folio.Page) { ... })
//
// Run stays on the hosts of its seeds (plus Options.AllowedHosts), obeys
// robots.txt (Disallow, Allow, Crawl-delay, Sitemap), spaces its requests per
// host, retries what deserves it, and follows every link in scope:
// pagination, category, tag and month archives, previous-post links, feeds
// and sitemaps (those robots.txt names, and /wp-sitemap.xml and
// /sitemap.xml on the seeds' hosts). Each canonical URL (see Canonicalize)
// is fetched once per run, and each page handed on once: a redirect to a
// page already handled is not followed, and its address is handed on as an
// alias. A page is not handed on when its rel=canonical names another page
// of the crawl (which is fetched instead) or when it asks robots not to
// index it; its links are followed unless it or they say nofollow. The
// State given to New is the dedup, the frontier a killed crawl resumes
// from, and what is known of archived pages: their validators for
// conditional re-fetches, and, for sites that send none, their dates, from
// which Recheck decides whether to fetch them again at all. The in-memory
// caches in front of it are bounded.
//
// Options are the settings of a site, the config keys of its crawl;
// RunStore takes what one run's caller asks besides (RunOptions: fetch
// everything again, a progress hook, a shared frontier).
//
// # Crawls shared by several processes
//
// With RunOptions.Shared, the run is one of several processes (folio
// worker) crawling the same sites through a SharedFrontier
// (crawler/redisstate keeps it in Redis; internal/job adapts it). Its
// workers take their URLs from a sharedQueue instead of this process's
// frontier: both are a workQueue (frontier.go). The queue leases a few URLs
// at a time, handing them out as the frontier does; what handling a URL
// finds and decides (its links, its done mark) gathers in a batch sent in
// one Update when the URL ends, so that a page costs one round trip for
// its state, one for its politeness slot (SharedFrontier.Wait, which
// spaces the requests to a host over all processes), and a share of a
// Lease. Leases held are extended while the run holds them and released
// when it stops; a killed process's leases run out, and other processes
// fetch those URLs. The crawl is complete when no URL is ready or leased
// anywhere; the first run to see it finishes it. A shared state that was
// lost (Lease or Status says so: its server restarted empty) is rebuilt from the
// seeds and what Shared.Rebuild gives (the archived pages), and the run
// forgets which URLs it had seen; calls that fail are tried again for
// Shared.RetryFor. The trap guard's barren run travels with each URL
// (folio.FrontierURL.Barren); its per-pattern counts, the redirect claims
// and the seen cache are each process's own, so a shared crawl may fetch a
// few more look-alike pages than one process would. A host's concurrency
// holds over all processes: each takes its share of the places, from the
// count of workers its leases report (see Shared). Archived articles
// of sites without validators are decided at once rather than put off (see
// Shared).
//
// # What it owns
//
//   - scope: http(s) only, hosts, attachments (by extension and by
//     Content-Type), URL length, depth, pages per run;
//   - canonical URLs (canonical.go: tracking, comment-reply and sharing
//     parameters dropped), rel=canonical, and what a page asks of robots
//     (meta robots, X-Robots-Tag, rel=nofollow);
//   - politeness (politeness.go): per-host concurrency and delay, robots.txt
//     fetched once per host and read as RFC 9309 says (5xx or no answer:
//     complete disallow for the run; 4xx: no rules; the first 500 KiB of a
//     larger file), Crawl-delay (capped at Options.MaxCrawlDelay), Retry-After, slowing down with a
//     host that slows down;
//   - faults (fetch.go): retries with exponential backoff and jitter,
//     timeouts, redirect limits and loops, a body cap on decoded bytes
//     whatever the content coding (body.go), charsets decoded to UTF-8
//     (charset.go);
//   - discovery and traps (discover.go): links, feeds, sitemaps and the
//     dates of change they give, and caps on what look-alike URLs may cost
//     (never on what a sitemap or feed lists);
//   - re-crawls of sites without validators (recheck.go): archived articles
//     put off until the run's feeds, sitemaps and listings are read, then
//     fetched when those date a change, or when due on a schedule that
//     thins with the article's age (Recheck);
//   - safety (scope.go): no loopback or private address unless
//     Options.AllowPrivate says so, but for the host:port of a seed that
//     is one; no link-local or cloud-metadata address unless a seed names
//     it; checked when dialling, after name resolution (dialPolicy).
//
// # What it does not do
//
// It does not decide what is an article (extract does), store anything
// (archive does, through State), or know the pipeline's order (internal/job
// does). It imports only the folio package and its libraries: colly for
// fetching, temoto/robotstxt, gofeed, x/net/html and x/text.
//
// # Tests
//
// crawler/statetest is the conformance suite every State must pass. The
// tests crawl real sites on loopback: a small mux serving every fault case
// (site_test.go) and the fixture WordPress site (internal/testsite/wpsite).
// Benchmarks compare the crawler with bare colly, measure the frontier's
// memory per queued URL and the accuracy of the per-host delay.
//
// # Fetching
//
// colly performs the requests, but the crawler feeds it from its own bounded
// frontier (or the shared one's leases), one synchronous request per
// worker, rather than calling Visit for every link: colly's async mode
// holds a goroutine per pending URL.
package crawler
