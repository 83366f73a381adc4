package job

import (
	"cmp"
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
	"folio/internal/netfault"
)

// Frontier is the crawl state that worker processes share, kept in Redis
// (crawler/redisstate): given in Deps.Frontier, it makes Run one of several
// runs of the same site, in this process or others, that share the site's
// crawl (crawler.Shared).
//
// It tells the crawler that Redis lost its state when the epoch changed
// (redisstate.Store.Epoch), which it asks at every Status and reads with
// every Lease, in the lease's own round trip: go-redis reconnects to a
// restarted server, and retries the command, without an error, so only
// the epoch tells that the URLs a lease returns come from a frontier
// rebuilt after a loss.
type Frontier struct {
	st       *redisstate.Store
	rdb      *redis.Client // closed by Close; nil when the caller keeps it
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
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("frontier: redis url: %w", err)
	}
	rdb := redis.NewClient(o)
	f := NewFrontier(rdb, opts, log)
	f.rdb = rdb
	if err := ping(ctx, rdb, cmp.Or(opts.RetryFor, crawler.DefaultRetryFor)); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("frontier: redis %s: %w", o.Addr, err)
	}
	return f, nil
}

// ping waits for rdb to answer: a Redis that never answered (a name that
// does not resolve, a dial refused or timed out) fails at once, one that
// dropped the connection it accepted (a restart under way, a network cut
// at that moment) is tried again, with backoff, for retryFor: as long as
// the crawl will wait for it once running.
func ping(ctx context.Context, rdb *redis.Client, retryFor time.Duration) error {
	err := rdb.Ping(ctx).Err()
	began, pause := time.Now(), 100*time.Millisecond
	for err != nil && !netfault.NeverAnswered(err) && time.Since(began) < retryFor {
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
		err = rdb.Ping(ctx).Err()
	}
	return err
}

// NewFrontier returns a Frontier on rdb, which the caller keeps and closes.
func NewFrontier(rdb *redis.Client, opts FrontierOptions, log *slog.Logger) *Frontier {
	return &Frontier{
		st:       redisstate.New(rdb, redisstate.Options{Prefix: opts.Prefix}, log),
		leaseTTL: opts.LeaseTTL,
		retryFor: opts.RetryFor,
	}
}

// Close closes the connection OpenFrontier made; a Frontier from
// NewFrontier leaves its client to the caller.
func (f *Frontier) Close() error {
	if f.rdb == nil {
		return nil
	}
	return f.rdb.Close()
}

// Lease implements crawler.SharedFrontier. The lease reads the epoch in
// its own round trip: when it is not the one this Frontier saw last, the
// URLs come from a Redis that lost the state, and Lost says so before the
// crawler handles any of them (it rebuilds first). A Redis that restarted
// empty has no epoch: this Lease sets it, as Status would.
func (f *Frontier) Lease(ctx context.Context, site, worker string, n int, ttl time.Duration) (crawler.Leased, error) {
	l, err := f.st.LeaseAs(ctx, site, worker, n, ttl)
	if err != nil {
		return crawler.Leased{}, err
	}
	f.mu.Lock()
	lost := l.Epoch == "" || (f.epoch != "" && l.Epoch != f.epoch)
	if l.Epoch != "" {
		f.epoch = l.Epoch
	}
	f.mu.Unlock()
	if l.Epoch == "" {
		// Lost in any case; set the new epoch now, so that the workers
		// that lease next read it. Failing that, the next Status does.
		_, _ = f.checkEpoch(ctx)
	}
	return crawler.Leased{URLs: l.URLs, Busy: l.Leased > 0, Lost: lost, Workers: l.Workers, Rank: l.Rank,
		Deadline: l.Deadline, OldestPeer: l.OldestPeer}, nil
}

// checkEpoch tells whether the Redis epoch is not the one this Frontier
// saw last, or was created by its own call (a Redis that never held a
// crawl, or restarted empty).
func (f *Frontier) checkEpoch(ctx context.Context) (lost bool, err error) {
	id, created, err := f.st.Epoch(ctx)
	if err != nil {
		return false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	lost = created || (f.epoch != "" && id != f.epoch)
	f.epoch = id
	return lost, nil
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
	if lost, err = f.checkEpoch(ctx); err != nil {
		return false, false, err
	}
	return c.Ready == 0 && c.Leased == 0, lost, nil
}

// Wait implements crawler.SharedFrontier.
func (f *Frontier) Wait(ctx context.Context, host string, delay time.Duration) error {
	return f.st.Wait(ctx, host, delay)
}

// Leave implements crawler.SharedFrontier.
func (f *Frontier) Leave(ctx context.Context, site, worker string) error {
	return f.st.Leave(ctx, site, worker)
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
			// Reading the archive's crawl state of the site drops what a
			// PostgreSQL archive remembers of the site's archived pages
			// (read once per crawl): the pages other workers archived
			// since are then asked for conditionally, as the rebuild
			// promises. The state itself is empty: the workers keep theirs
			// in Redis.
			if _, err := d.Archive.Frontier(ctx, site); err != nil {
				return nil, err
			}
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
