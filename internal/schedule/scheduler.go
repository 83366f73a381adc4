package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"folio/archive"
	"folio/internal/datadir"
	"folio/internal/job"
)

// Clock is the scheduler's time source; tests drive a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Options are what the caller asks of a scheduler; the zero Options
// schedule on the real clock with no jitter.
type Options struct {
	// Jitter is the most a start is delayed, at random.
	Jitter time.Duration
	// Clock is the scheduler's time source (default the real one); runs
	// record their times by it.
	Clock Clock
	// Crawl runs one crawl of a site (default job.Run, archive only, with
	// the schedule trigger); tests replace it.
	Crawl func(ctx context.Context, site job.Site) (job.Summary, error)
	// IndexWait is how long an index update waits for searches to let go
	// of the index (default 30s).
	IndexWait time.Duration
	// SyncInterval is how often the index catches up with the archive
	// while crawls run (default a minute).
	SyncInterval time.Duration
}

// Scheduler runs the crawls of its entries. Crawls write the archive only;
// the scheduler indexes what they stored, from the archive (job.CatchUp),
// so that the index is held open only while it catches up and never misses
// a record.
type Scheduler struct {
	dataDir string
	entries []Entry
	st      *archive.Store
	log     *slog.Logger
	opts    Options

	mu      sync.Mutex
	running map[string]bool
	failed  []string
	wg      sync.WaitGroup

	// The writer lock is shared by the crawls in progress: taken by the
	// first, released by the last.
	lockMu    sync.Mutex
	lock      *datadir.Lock
	lockUsers int

	indexMu sync.Mutex
}

// New returns a scheduler of entries, which crawls into st, the archive of
// dataDir, and logs to log (nil discards).
func New(dataDir string, entries []Entry, st *archive.Store, log *slog.Logger, opts Options) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Scheduler{dataDir: dataDir, entries: entries, st: st, log: log, opts: opts, running: map[string]bool{}}
	if s.opts.Clock == nil {
		s.opts.Clock = realClock{}
	}
	if s.opts.Crawl == nil {
		s.opts.Crawl = s.crawlSite
	}
	if s.opts.IndexWait <= 0 {
		s.opts.IndexWait = 30 * time.Second
	}
	if s.opts.SyncInterval <= 0 {
		s.opts.SyncInterval = time.Minute
	}
	return s
}

func (s *Scheduler) crawlSite(ctx context.Context, site job.Site) (job.Summary, error) {
	return job.Run(ctx, site, job.Deps{Archive: s.st, Logger: s.log, Now: s.opts.Clock.Now}, job.RunOptions{Trigger: job.TriggerSchedule}, nil)
}

// lastRun is the latest run of the site, nil when it was never crawled.
func (s *Scheduler) lastRun(ctx context.Context, e Entry) (*archive.Run, error) {
	r, err := s.st.LastRun(ctx, e.Site.Name)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// RunOnce starts the crawls that are due, in parallel and without
// jitter, and waits for them (folio schedule --once). The error names the
// sites whose crawl failed; a turn skipped because another process writes
// the data directory is no failure.
func (s *Scheduler) RunOnce(ctx context.Context) error {
	if err := s.catchUpIndex(ctx); err != nil {
		return err
	}
	now := s.opts.Clock.Now()
	for _, e := range s.entries {
		last, err := s.lastRun(ctx, e)
		if err != nil {
			return err
		}
		due, why := e.Due(last, now)
		if !due {
			s.log.Info("not due", slog.String("site", e.Site.Name), slog.String("why", why))
			continue
		}
		s.log.Info("due", slog.String("site", e.Site.Name), slog.String("why", why))
		s.start(ctx, e)
	}
	s.wg.Wait()
	if len(s.failed) > 0 {
		return fmt.Errorf("scheduled crawl of %s failed (see the log above)", strings.Join(s.failed, ", "))
	}
	return nil
}

// Run starts the crawls that are due, then each site at its scheduled
// times, until ctx ends; it then waits for the crawls in progress to store
// their pages in flight and returns nil.
func (s *Scheduler) Run(ctx context.Context) error {
	if err := s.catchUpIndex(ctx); err != nil {
		return err
	}
	now := s.opts.Clock.Now()
	var loops sync.WaitGroup
	for _, e := range s.entries {
		last, err := s.lastRun(ctx, e)
		if err != nil {
			return err
		}
		first := now
		due, why := e.Due(last, now)
		if !due {
			first = e.FirstAfter(last, now)
		}
		s.log.Info("scheduled", slog.String("site", e.Site.Name), slog.String("schedule", e.Site.Schedule),
			slog.Time("first", first), slog.String("why", why))
		loops.Go(func() { s.siteLoop(ctx, e, first) })
	}
	stopSync := make(chan struct{})
	var syncer sync.WaitGroup
	syncer.Go(func() { s.syncWhileCrawling(stopSync) })
	loops.Wait()
	s.log.Info("stopping: waiting for the crawls in progress to store their pages")
	s.wg.Wait()
	close(stopSync)
	syncer.Wait()
	s.log.Info("scheduler stopped")
	return nil
}

// catchUpIndex indexes what a killed predecessor stored but did not index
// (creating the index), unless another writer is at work: it catches up
// itself.
func (s *Scheduler) catchUpIndex(ctx context.Context) error {
	if err := s.withLock(func() { s.syncIndex(ctx) }); err != nil && !datadir.IsLocked(err) {
		return err
	}
	return nil
}

// siteLoop starts e's crawl at first, then at each of its scheduled times,
// until ctx ends.
func (s *Scheduler) siteLoop(ctx context.Context, e Entry, first time.Time) {
	at := first
	for {
		wait := at.Sub(s.opts.Clock.Now()) + s.randomJitter()
		select {
		case <-ctx.Done():
			return
		case <-s.opts.Clock.After(wait):
		}
		s.start(ctx, e)
		now := s.opts.Clock.Now()
		next := e.Next(at)
		if !next.After(now) {
			// The machine slept, or the clock jumped: skip the missed turns.
			next = e.Next(now)
		}
		at = next
	}
}

func (s *Scheduler) randomJitter() time.Duration {
	if s.opts.Jitter <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(s.opts.Jitter)))
}

// start begins a crawl of e unless one is already in progress.
func (s *Scheduler) start(ctx context.Context, e Entry) {
	name := e.Site.Name
	s.mu.Lock()
	if s.running[name] {
		s.mu.Unlock()
		s.log.Warn("scheduled crawl skipped: the previous one is still running", slog.String("site", name))
		return
	}
	s.running[name] = true
	s.mu.Unlock()
	s.wg.Go(func() {
		defer func() {
			s.mu.Lock()
			delete(s.running, name)
			s.mu.Unlock()
		}()
		if ctx.Err() != nil {
			return
		}
		if err := s.crawlLocked(ctx, e); err != nil {
			s.mu.Lock()
			s.failed = append(s.failed, name)
			s.mu.Unlock()
		}
	})
}

// crawlLocked crawls e's site under the writer lock and indexes what it
// stored. A lock held by another process skips the turn; the error is for
// a crawl that failed.
func (s *Scheduler) crawlLocked(ctx context.Context, e Entry) error {
	log := s.log.With(slog.String("site", e.Site.Name))
	var (
		sum job.Summary
		err error
	)
	lockErr := s.withLock(func() {
		log.Info("scheduled crawl started")
		sum, err = s.opts.Crawl(ctx, e.Site)
		s.syncIndex(ctx)
	})
	if lockErr != nil {
		if datadir.IsLocked(lockErr) {
			log.Warn("scheduled crawl skipped", slog.Any("err", lockErr))
			return nil
		}
		log.Error("scheduled crawl could not start", slog.Any("err", lockErr))
		return lockErr
	}
	attrs := []any{slog.Int64("run", sum.RunID), slog.Int("fetched", sum.Crawl.Fetched),
		slog.Int("new", sum.New), slog.Int("changed", sum.Changed), slog.Int("unchanged", sum.Unchanged),
		slog.Int("not_modified", sum.Crawl.NotModified), slog.Int("errors", sum.Errors),
		slog.Duration("elapsed", sum.Elapsed)}
	switch {
	case err == nil:
		log.Info("scheduled crawl finished", attrs...)
		return nil
	case ctx.Err() != nil:
		log.Info("scheduled crawl stopped; the next run resumes it", attrs...)
		return nil
	default:
		log.Error("scheduled crawl failed", append(attrs, slog.Any("err", err))...)
		return err
	}
}

// withLock runs fn holding the data directory's writer lock, shared with
// the other crawls this scheduler has in progress.
func (s *Scheduler) withLock(fn func()) error {
	s.lockMu.Lock()
	if s.lockUsers == 0 {
		l, err := datadir.LockWriter(s.dataDir)
		if err != nil {
			s.lockMu.Unlock()
			return err
		}
		s.lock = l
	}
	s.lockUsers++
	s.lockMu.Unlock()
	defer s.unlock()
	fn()
	return nil
}

// joinLock shares the writer lock when crawls of this scheduler hold it,
// and reports whether they did.
func (s *Scheduler) joinLock() bool {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	if s.lockUsers == 0 {
		return false
	}
	s.lockUsers++
	return true
}

func (s *Scheduler) unlock() {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	s.lockUsers--
	if s.lockUsers == 0 {
		if err := s.lock.Release(); err != nil {
			s.log.Warn("release the data directory", slog.Any("err", err))
		}
		s.lock = nil
	}
}

// syncWhileCrawling brings the index up to date every SyncInterval
// while crawls run, so that long crawls become searchable as they go.
func (s *Scheduler) syncWhileCrawling(stop <-chan struct{}) {
	t := time.NewTicker(s.opts.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if s.joinLock() {
			s.syncIndex(context.Background())
			s.unlock()
		}
	}
}

// syncIndex indexes the archive records the index lacks. Failures are
// logged: the archive keeps the records, and the next update indexes them.
func (s *Scheduler) syncIndex(ctx context.Context) {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	res, err := job.CatchUp(context.WithoutCancel(ctx), s.st, job.CatchUpOptions{
		DataDir: s.dataDir, Locked: true, IndexWait: s.opts.IndexWait, Logger: s.log})
	if err != nil {
		s.log.Error("index update failed; the next update catches up", slog.Any("err", err))
		return
	}
	if res.Indexed > 0 {
		s.log.Info("index updated", slog.Int("records", res.Indexed))
	}
}
