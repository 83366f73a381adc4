package job

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"folio"
	"folio/archive"
	"folio/crawler"
	"folio/crawler/redisstate"
)

// Frontier is the crawl state that worker processes share, kept in Redis
// (crawler/redisstate): given in Deps.Frontier, it makes Run one of several
// runs of the same site, in this process or others, that share the site's
// crawl (crawler.Shared).
type Frontier struct {
	st       *redisstate.Store
	leaseTTL time.Duration
	retryFor time.Duration

	mu    sync.Mutex
	epoch string // the id of the Redis state's life this process saw last
}

// FrontierOptions configure a Frontier.
type FrontierOptions struct {
	// Prefix starts every Redis key (default "folio:"): workers sharing a
	// crawl use the same one.
	Prefix string
	// LeaseTTL is how long a URL a worker took stays its own without word
	// from it: how long the URLs of a dead worker wait before another
	// takes them. Default 30s; a live worker extends its leases.
	LeaseTTL time.Duration
	// RetryFor is how long a worker keeps trying a Redis that does not
	// answer (a restart) before its run fails. Default 2 minutes.
	RetryFor time.Duration
}

// The guard lives here, the one package that sees both.
var _ crawler.SharedFrontier = (*Frontier)(nil)

// OpenFrontier connects to the Redis at url (redis://host:port/db).
func OpenFrontier(ctx context.Context, url string, opts FrontierOptions, log *slog.Logger) (*Frontier, error) {
	st, err := redisstate.Open(ctx, url, redisstate.Options{Prefix: opts.Prefix}, log)
	if err != nil {
		return nil, fmt.Errorf("frontier: %w", err)
	}
	return &Frontier{st: st, leaseTTL: opts.LeaseTTL, retryFor: opts.RetryFor}, nil
}

// NewFrontier returns a Frontier on rdb, which the caller keeps and closes.
func NewFrontier(rdb redis.UniversalClient, opts FrontierOptions, log *slog.Logger) *Frontier {
	st := redisstate.New(rdb, redisstate.Options{Prefix: opts.Prefix}, log)
	return &Frontier{st: st, leaseTTL: opts.LeaseTTL, retryFor: opts.RetryFor}
}

// Close closes the connection OpenFrontier made; a Frontier from
// NewFrontier leaves its client to the caller.
func (f *Frontier) Close() error { return f.st.Close() }

// Lease implements crawler.SharedFrontier.
func (f *Frontier) Lease(ctx context.Context, site string, n int, ttl time.Duration) ([]folio.FrontierURL, bool, error) {
	l, err := f.st.Lease(ctx, site, n, ttl)
	return l.URLs, l.Leased > 0, err
}

// Extend implements crawler.SharedFrontier.
func (f *Frontier) Extend(ctx context.Context, site string, ttl time.Duration, urls ...string) error {
	_, _, err := f.st.Extend(ctx, site, ttl, urls...)
	return err
}

// Release implements crawler.SharedFrontier.
func (f *Frontier) Release(ctx context.Context, site string, urls ...string) error {
	_, err := f.st.Release(ctx, site, urls...)
	return err
}

// Update implements crawler.SharedFrontier.
func (f *Frontier) Update(ctx context.Context, site string, links []folio.FrontierURL, done ...string) ([]bool, error) {
	return f.st.Update(ctx, site, links, done...)
}

// Status implements crawler.SharedFrontier: the state was lost when the
// Redis epoch is not the one this Frontier saw last, or was created by its
// own call (a Redis that never held a crawl, or restarted empty).
func (f *Frontier) Status(ctx context.Context, site string) (complete, lost bool, err error) {
	c, err := f.st.Counts(ctx, site)
	if err != nil {
		return false, false, err
	}
	id, created, err := f.st.Epoch(ctx)
	if err != nil {
		return false, false, err
	}
	f.mu.Lock()
	lost = created || (f.epoch != "" && id != f.epoch)
	f.epoch = id
	f.mu.Unlock()
	return c.Ready == 0 && c.Leased == 0, lost, nil
}

// Wait implements crawler.SharedFrontier.
func (f *Frontier) Wait(ctx context.Context, host string, delay time.Duration) error {
	return f.st.Wait(ctx, host, delay)
}

// Finish implements crawler.SharedFrontier.
func (f *Frontier) Finish(ctx context.Context, site string) error {
	return f.st.Finish(ctx, site)
}

// shared is what a run with a Frontier gives the crawler: the archived
// articles of the site rebuild a frontier that Redis lost, each then
// fetched conditionally.
func (d Deps) shared() *crawler.Shared {
	if d.Frontier == nil {
		return nil
	}
	return &crawler.Shared{
		Frontier: d.Frontier,
		LeaseTTL: d.Frontier.leaseTTL,
		RetryFor: d.Frontier.retryFor,
		Rebuild: func(ctx context.Context, site string) ([]folio.FrontierURL, error) {
			var urls []folio.FrontierURL
			err := d.Archive.Iterate(ctx, archive.IterateOptions{Filter: archive.Filter{Site: site}, Order: archive.OrderSeq},
				func(a folio.Article) error {
					urls = append(urls, folio.FrontierURL{URL: a.URL, Depth: 1})
					return nil
				})
			return urls, err
		},
	}
}
