// Command testsite serves folio's fixture news site (package wpsite) on a
// local address, so that folio can be tried, and smoke-tested, without a
// network:
//
//	go run ./internal/testsite -addr 127.0.0.1:8080 [-articles N]
//
// Flags -seed, -validators, -gzip, -latency, -page-bytes and -seo-meta set
// the site's other options (see wpsite.Options).
//
// It prints the site's URL and serves until interrupted. The site itself,
// its ground truth and its switches live in wpsite; this command only
// listens.
package main
