package crawler

import (
	"context"

	"folio"
)

// State is what the crawler remembers about a site across fetches and
// across processes: the URLs the current crawl has found and handled (so that
// each is fetched once, and a killed crawl resumes where it stopped), and
// what is known of pages already archived (so that re-crawls fetch them
// conditionally, or not at all while they are not due; see Recheck).
//
// The crawler owns the logic; a State only stores. NewMemState serves one-off
// runs and tests; the archive provides a persistent State. Implementations
// must be safe for concurrent use.
//
// A persistent State may return from Enqueue and Done before their writes
// are durable (the archive commits them in groups), provided that they
// become durable in the order they were made, so that a crash loses only
// the latest, and that a write that failed is reported by a later call.
// The crawler relies on that order alone: a page's links are enqueued
// before the page is done, so no page is done whose links are lost.
type State interface {
	// Enqueue adds url, found at depth, to the current crawl of site and
	// reports whether it was new to that crawl. A URL already enqueued or
	// already done is not added again: this is the crawl's dedup.
	Enqueue(ctx context.Context, site, url string, depth int) (added bool, err error)
	// Done records that url has been fetched and handled.
	Done(ctx context.Context, site, url string) error
	// Frontier returns the URLs of site's current crawl that were enqueued
	// but are not done: the work an interrupted crawl left behind.
	Frontier(ctx context.Context, site string) ([]folio.FrontierURL, error)
	// Finish forgets the current crawl of site: it completed, and the next
	// crawl starts afresh from its seeds.
	Finish(ctx context.Context, site string) error
	// Archived returns what is known of the archived article that url was
	// fetched for (as its canonical URL or another address of it): the
	// validators url was served with, when it was last fetched, and the
	// article's dates. It returns the zero ArchivedPage when url holds no
	// archived article.
	Archived(ctx context.Context, url string) (folio.ArchivedPage, error)
}
