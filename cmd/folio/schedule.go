package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/archive"
	"folio/internal/datadir"
	"folio/internal/job"
)

type scheduleOptions struct {
	once   bool
	jitter time.Duration
}

func (o *scheduleOptions) AddFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.once, "once", false, "run the crawls that are due, then exit (for cron, systemd timers, Kubernetes CronJobs)")
	o.jitter = 30 * time.Second
	f.Var(durationFlag{&o.jitter}, "jitter", "start each scheduled crawl up to this much later, at random, so that sites and machines do not all start at once; 0 for none")
}

func newScheduleCmd(g *globalOpts) *cobra.Command {
	var o scheduleOptions
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Crawl each configured site on its own cron schedule until stopped",
		Long: `Schedule crawls every site of the config file that has a schedule, each on
its own cron expression: five fields (minute hour day-of-month month
day-of-week, e.g. "30 6 * * *"), or @hourly, @daily, @weekly, @monthly, or
@every DURATION (e.g. @every 2h, at least 1m). schedule_time_zone sets the IANA time zone
the fields are read in (default: the machine's). The runs are the same crawl
as 'folio crawl', recorded in the run history with the trigger "schedule".

Each start is delayed by a random jitter of up to --jitter. Two crawls of one
site never overlap: when a site's time comes while its previous run still
goes on, that turn is skipped, and the log says so. Different sites crawl at
the same time. The index is brought up to date from the archive after each
run, and every minute during long ones; between runs folio holds neither the
index nor the data directory's writer lock, so search works and 'folio
crawl' or 'folio reindex' can run. A turn that finds another writer at work
is skipped, logged.

A site is due when it was never crawled, when its last run did not finish
(the process was killed or stopped: the next run resumes it), or when one of
its scheduled times has passed since its last run started (any run, manual
ones included). For @every, a minute's grace (or a tenth of the interval,
when shorter) absorbs the delay with which timers start folio. On start,
schedule runs the sites that are due at once; afterwards each site runs at
its scheduled times.

--once runs the sites that are due, in parallel, without jitter, and exits:
run it from cron, a systemd timer or a Kubernetes CronJob as often as the
most frequent schedule. Ctrl-C (SIGINT) or SIGTERM stops the crawls after the
pages in flight are stored, updates the index and exits 0; the next run
resumes where they stopped.

Exit status: 0 when stopped by a signal, or (with --once) when every due
crawl finished, page errors included, or was skipped because another folio
was writing; 1 when a crawl failed or the scheduler could not start; 2 for a
usage or configuration error (no site has a schedule, a bad cron
expression).`,
		Example: `  folio --config config.yaml schedule
  folio --config config.yaml schedule --once      # from cron: */15 * * * *`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchedule(cmd.Context(), o, g)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func runSchedule(ctx context.Context, o scheduleOptions, g *globalOpts) error {
	if o.jitter < 0 {
		return usageErrorf("--jitter %s: must not be negative", o.jitter)
	}
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	entries, err := scheduleEntries(cfg)
	if err != nil {
		return err
	}
	if !o.once {
		// One scheduler per data directory, for its whole life.
		l, err := datadir.LockScheduler(cfg.DataDir)
		if err != nil {
			return err
		}
		defer l.Release()
	}
	st, err := openArchive(cfg.DataDir, log)
	if err != nil {
		return err
	}
	defer st.Close()
	s := newScheduler(cfg.DataDir, entries, st, log)
	s.jitter = o.jitter
	if o.once {
		return s.runOnce(ctx)
	}
	return s.run(ctx)
}

// scheduleEntry is one site with its parsed schedule.
type scheduleEntry struct {
	site  job.Site
	sched cron.Schedule
	loc   *time.Location
}

// scheduleEntries parses the schedule of every configured site that has one.
func scheduleEntries(cfg *Config) ([]scheduleEntry, error) {
	var entries []scheduleEntry
	for i, site := range cfg.Sites {
		if site.Schedule == "" {
			continue
		}
		e, err := newScheduleEntry(site)
		if err != nil {
			return nil, usageErrorf("%s: %v", cfg.siteRef(i, site.Name), err)
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		where := "no config file"
		if cfg.path != "" {
			where = "config " + cfg.path
		}
		return nil, usageErrorf("nothing to schedule (%s): give sites a schedule, e.g. schedule: \"@every 6h\" or \"30 6 * * *\"", where)
	}
	return entries, nil
}

func newScheduleEntry(site job.Site) (scheduleEntry, error) {
	if _, err := checkSchedule(site); err != nil {
		return scheduleEntry{}, err
	}
	loc := time.Local
	if site.ScheduleTimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(site.ScheduleTimeZone); err != nil {
			return scheduleEntry{}, fmt.Errorf("schedule_time_zone %q: %v", site.ScheduleTimeZone, err)
		}
	}
	sched, err := cron.ParseStandard(site.Schedule)
	if err != nil {
		return scheduleEntry{}, fmt.Errorf("schedule %q: %v", site.Schedule, err)
	}
	return scheduleEntry{site: site, sched: sched, loc: loc}, nil
}

// next is the first scheduled time after t.
func (e scheduleEntry) next(t time.Time) time.Time { return e.sched.Next(t.In(e.loc)) }

// grace is how early an @every site counts as due: timers start folio a
// little late, and its runs would otherwise slip by one turn.
func (e scheduleEntry) grace() time.Duration {
	if cd, ok := e.sched.(cron.ConstantDelaySchedule); ok {
		return min(cd.Delay/10, time.Minute)
	}
	return 0
}

// due tells whether e should run at now, given its last run (nil when it
// never ran), and why, for the log.
func (e scheduleEntry) due(last *archive.Run, now time.Time) (bool, string) {
	switch {
	case last == nil:
		return true, "never crawled"
	case last.Ended.IsZero():
		return true, fmt.Sprintf("run %d, started %s, did not finish", last.ID, last.Started.Format(time.RFC3339))
	case last.Failure != "":
		return true, fmt.Sprintf("run %d stopped before completing (%s)", last.ID, firstLine(last.Failure))
	}
	at := e.next(last.Started).Add(-e.grace())
	if at.After(now) {
		return false, fmt.Sprintf("next at %s", e.next(last.Started).Format(time.RFC3339))
	}
	return true, fmt.Sprintf("scheduled time %s has passed since run %d started", e.next(last.Started).Format(time.RFC3339), last.ID)
}

// firstAfter is when e runs first when it is not due at start: the next
// scheduled time, counted for @every from the last run's start rather than
// from now, so that restarting the scheduler does not push runs back.
func (e scheduleEntry) firstAfter(last *archive.Run, now time.Time) time.Time {
	if last != nil {
		if t := e.next(last.Started); t.After(now) {
			return t
		}
	}
	return e.next(now)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// clock is the scheduler's time source; tests drive a fake one.
type clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// indexSyncInterval is how often the index catches up with the archive
// while crawls run.
var indexSyncInterval = time.Minute

// scheduler runs the crawls of its entries. Crawls write the archive only;
// the scheduler indexes what they stored, from the archive, so that the
// index is held open only while it catches up and never misses a record.
type scheduler struct {
	dataDir string
	entries []scheduleEntry
	st      *archive.Store
	log     *slog.Logger
	clock   clock
	// jitter is the most a start is delayed, at random.
	jitter time.Duration
	// crawl runs one crawl of a site; tests replace it.
	crawl func(ctx context.Context, site job.Site) (job.Summary, error)
	// openIndexWait is how long an index update waits for searches to let go.
	openIndexWait time.Duration

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

func newScheduler(dataDir string, entries []scheduleEntry, st *archive.Store, log *slog.Logger) *scheduler {
	s := &scheduler{
		dataDir: dataDir, entries: entries, st: st, log: log, clock: realClock{},
		openIndexWait: 30 * time.Second, running: map[string]bool{},
	}
	s.crawl = s.crawlSite
	return s
}

func (s *scheduler) crawlSite(ctx context.Context, site job.Site) (job.Summary, error) {
	return job.Run(ctx, site, job.Deps{Archive: s.st, Logger: s.log, Now: s.clock.Now}, job.RunOptions{Trigger: job.TriggerSchedule}, nil)
}

// lastRun is the latest run of the site, nil when it was never crawled.
func (s *scheduler) lastRun(ctx context.Context, e scheduleEntry) (*archive.Run, error) {
	r, err := s.st.LastRun(ctx, e.site.Name)
	if errors.Is(err, archive.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// runOnce starts the crawls that are due and waits for them.
func (s *scheduler) runOnce(ctx context.Context) error {
	if err := s.catchUpIndex(ctx); err != nil {
		return err
	}
	now := s.clock.Now()
	for _, e := range s.entries {
		last, err := s.lastRun(ctx, e)
		if err != nil {
			return err
		}
		due, why := e.due(last, now)
		if !due {
			s.log.Info("not due", slog.String("site", e.site.Name), slog.String("why", why))
			continue
		}
		s.log.Info("due", slog.String("site", e.site.Name), slog.String("why", why))
		s.start(ctx, e)
	}
	s.wg.Wait()
	if len(s.failed) > 0 {
		return fmt.Errorf("scheduled crawl of %s failed (see the log above)", strings.Join(s.failed, ", "))
	}
	return nil
}

// run starts the crawls that are due, then each site at its scheduled
// times, until ctx ends; it then waits for the crawls in progress to store
// their pages in flight and returns nil.
func (s *scheduler) run(ctx context.Context) error {
	if err := s.catchUpIndex(ctx); err != nil {
		return err
	}
	now := s.clock.Now()
	var loops sync.WaitGroup
	for _, e := range s.entries {
		last, err := s.lastRun(ctx, e)
		if err != nil {
			return err
		}
		first := now
		due, why := e.due(last, now)
		if !due {
			first = e.firstAfter(last, now)
		}
		s.log.Info("scheduled", slog.String("site", e.site.Name), slog.String("schedule", e.site.Schedule),
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

// catchUpIndex indexes what a killed predecessor stored but did not index,
// unless another writer is at work (it catches up itself).
func (s *scheduler) catchUpIndex(ctx context.Context) error {
	if err := s.withLock(func() { s.syncIndex(ctx) }); err != nil && !datadir.IsLocked(err) {
		return err
	}
	return nil
}

// siteLoop starts e's crawl at first, then at each of its scheduled times,
// until ctx ends.
func (s *scheduler) siteLoop(ctx context.Context, e scheduleEntry, first time.Time) {
	at := first
	for {
		wait := at.Sub(s.clock.Now()) + s.randomJitter()
		select {
		case <-ctx.Done():
			return
		case <-s.clock.After(wait):
		}
		s.start(ctx, e)
		now := s.clock.Now()
		next := e.next(at)
		if !next.After(now) {
			// The machine slept, or the clock jumped: skip the missed turns.
			next = e.next(now)
		}
		at = next
	}
}

func (s *scheduler) randomJitter() time.Duration {
	if s.jitter <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(s.jitter)))
}

// start begins a crawl of e unless one is already in progress.
func (s *scheduler) start(ctx context.Context, e scheduleEntry) {
	name := e.site.Name
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
func (s *scheduler) crawlLocked(ctx context.Context, e scheduleEntry) error {
	log := s.log.With(slog.String("site", e.site.Name))
	var (
		sum job.Summary
		err error
	)
	lockErr := s.withLock(func() {
		log.Info("scheduled crawl started")
		sum, err = s.crawl(ctx, e.site)
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
func (s *scheduler) withLock(fn func()) error {
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
func (s *scheduler) joinLock() bool {
	s.lockMu.Lock()
	defer s.lockMu.Unlock()
	if s.lockUsers == 0 {
		return false
	}
	s.lockUsers++
	return true
}

func (s *scheduler) unlock() {
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

// syncWhileCrawling brings the index up to date every indexSyncInterval
// while crawls run, so that long crawls become searchable as they go.
func (s *scheduler) syncWhileCrawling(stop <-chan struct{}) {
	t := time.NewTicker(indexSyncInterval)
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
func (s *scheduler) syncIndex(ctx context.Context) {
	s.indexMu.Lock()
	defer s.indexMu.Unlock()
	res, err := job.CatchUp(context.WithoutCancel(ctx), s.st, job.CatchUpOptions{
		DataDir: s.dataDir, Locked: true, IndexWait: s.openIndexWait, Logger: s.log})
	if err != nil {
		s.log.Error("index update failed; the next update catches up", slog.Any("err", err))
		return
	}
	if res.Indexed > 0 {
		s.log.Info("index updated", slog.Int("records", res.Indexed))
	}
}
