package crawler

import (
	"context"

	"folio"
)

// State is what the crawler remembers about a site across fetches and
// across processes: the URLs the current crawl has found and handled (so that
// each is fetched once, and a killed crawl resumes where it stopped), and the
// validators of pages already archived (so that re-crawls fetch them
// conditionally).
//
// The crawler owns the logic; a State only stores. NewMemState serves one-off
// runs and tests; the archive provides a persistent State. Implementations
// must be safe for concurrent use.
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
	// Validators returns the ETag and Last-Modified headers of the archived
	// capture of url, or empty strings when url holds no archived page.
	Validators(ctx context.Context, url string) (etag, lastModified string, err error)
}
