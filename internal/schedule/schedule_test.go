package schedule

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
	"folio/internal/job"
	"folio/internal/syncbuf"
	"folio/internal/testsite/wpsite"
)

// fakeClock is a clock that moves only when the test advances it.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{at: c.now.Add(d), ch: ch})
	return ch
}

// Advance moves the clock by d and fires the timers that are due.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			kept = append(kept, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = kept
}

// waitForTimers waits until n timers are pending: the scheduler's loops are
// then asleep, and an Advance reaches them.
func (c *fakeClock) waitForTimers(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		got := len(c.waiters)
		c.mu.Unlock()
		if got >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("waited 5s for %d pending timers", n)
}

func mustEntry(t *testing.T, schedule, zone string) Entry {
	t.Helper()
	e, err := NewEntry(job.Site{Name: "radio", Schedule: schedule, ScheduleTimeZone: zone}.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestScheduleDue(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ended := func(started string) *archive.Run {
		s := utc(started)
		return &archive.Run{ID: 7, Started: s, Ended: s.Add(10 * time.Minute)}
	}
	// The times are worked out by hand: Tokyo is UTC+9 all year, Paris
	// UTC+1 in winter and UTC+2 from 2024-03-31 02:00.
	cases := []struct {
		name     string
		schedule string
		zone     string
		last     *archive.Run
		now      string
		want     bool
	}{
		{"never crawled", "@hourly", "", nil, "2024-03-02T10:00:00Z", true},
		{"last run killed", "@hourly", "", &archive.Run{ID: 7, Started: utc("2024-03-02T09:59:00Z")}, "2024-03-02T10:00:00Z", true},
		{"last run stopped", "@hourly", "", &archive.Run{ID: 7, Started: utc("2024-03-02T09:59:00Z"),
			Ended: utc("2024-03-02T09:59:30Z"), RunCounts: archive.RunCounts{Failure: "context canceled"}}, "2024-03-02T10:00:00Z", true},
		{"hourly, same hour", "@hourly", "UTC", ended("2024-03-02T10:00:07Z"), "2024-03-02T10:59:59Z", false},
		{"hourly, next hour", "@hourly", "UTC", ended("2024-03-02T10:00:07Z"), "2024-03-02T11:00:00Z", true},
		// 06:00 in Tokyo is 21:00 UTC the day before.
		{"daily in Tokyo, before 6:00 there", "0 6 * * *", "Asia/Tokyo", ended("2024-03-01T21:30:00Z"), "2024-03-02T20:59:00Z", false},
		{"daily in Tokyo, after 6:00 there", "0 6 * * *", "Asia/Tokyo", ended("2024-03-01T21:30:00Z"), "2024-03-02T21:00:00Z", true},
		// 06:30 in Paris is 05:30 UTC in March before the change, 04:30 after.
		{"Paris, summer time begins", "30 6 * * *", "Europe/Paris", ended("2024-03-30T05:30:00Z"), "2024-03-31T04:29:00Z", false},
		{"Paris, first summer morning", "30 6 * * *", "Europe/Paris", ended("2024-03-30T05:30:00Z"), "2024-03-31T04:30:00Z", true},
		{"every 2h, early", "@every 2h", "", ended("2024-03-02T08:00:00Z"), "2024-03-02T09:58:59Z", false},
		// A minute's grace: a timer that starts folio a little early still runs it.
		{"every 2h, within the grace", "@every 2h", "", ended("2024-03-02T08:00:30Z"), "2024-03-02T09:59:31Z", true},
		{"every 2h, late", "@every 2h", "", ended("2024-03-02T08:00:00Z"), "2024-03-02T11:00:00Z", true},
		// A tenth of the interval when that is less than a minute: 30s of 5m.
		{"every 5m, grace of 30s", "@every 5m", "", ended("2024-03-02T08:00:00Z"), "2024-03-02T08:04:29Z", false},
		{"every 5m, within 30s", "@every 5m", "", ended("2024-03-02T08:00:00Z"), "2024-03-02T08:04:30Z", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := mustEntry(t, c.schedule, c.zone)
			got, why := e.Due(c.last, utc(c.now))
			if got != c.want {
				t.Errorf("due = %v (%s), want %v", got, why, c.want)
			}
		})
	}
}

func TestScheduleFirstAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 3, 2, 10, 30, 0, 0, time.UTC)
	last := &archive.Run{Started: now.Add(-2 * time.Hour), Ended: now.Add(-time.Hour)}
	cases := []struct {
		schedule string
		last     *archive.Run
		want     time.Time
	}{
		// @every counts from the last run's start, not from now.
		{"@every 6h", last, now.Add(4 * time.Hour)},
		{"@every 6h", nil, now.Add(6 * time.Hour)},
		{"@hourly", last, time.Date(2024, 3, 2, 11, 0, 0, 0, time.UTC)},
		{"15 */4 * * *", last, time.Date(2024, 3, 2, 12, 15, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		e := mustEntry(t, c.schedule, "UTC")
		if got := e.FirstAfter(c.last, now); !got.Equal(c.want) {
			t.Errorf("%s: first run at %v, want %v", c.schedule, got, c.want)
		}
	}
}

// testScheduler is a scheduler on a fresh data directory with a fake clock.
func testScheduler(t *testing.T, opts Options, entries ...Entry) (*Scheduler, *fakeClock, *syncbuf.Buffer) {
	t.Helper()
	dir := t.TempDir()
	st, err := archive.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var logs syncbuf.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	clk := newFakeClock(time.Date(2024, 3, 2, 10, 0, 0, 0, time.UTC))
	opts.Clock = clk
	return New(dir, entries, st, log, opts), clk, &logs
}

// TestSchedulerSkipsOverlappingRuns: a crawl that overruns its interval
// makes the next turn skip, logged; the turn after runs again.
func TestSchedulerSkipsOverlappingRuns(t *testing.T) {
	t.Parallel()
	e := mustEntry(t, "@every 1m", "UTC")
	var (
		mu      sync.Mutex
		started int
	)
	begun := make(chan struct{}, 10)
	release := make(chan struct{})
	crawl := func(ctx context.Context, site job.Site) (job.Summary, error) {
		mu.Lock()
		started++
		mu.Unlock()
		begun <- struct{}{}
		<-release
		return job.Summary{Site: site.Name}, nil
	}
	s, clk, logs := testScheduler(t, Options{Crawl: crawl}, e)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	waitFor := func(what string) {
		t.Helper()
		select {
		case <-begun:
		case <-time.After(5 * time.Second):
			t.Fatalf("waited 5s for %s", what)
		}
	}
	// Never crawled: due at start.
	waitFor("the first crawl")
	clk.waitForTimers(t, 1)
	clk.Advance(time.Minute) // the first run still goes on: skipped
	clk.waitForTimers(t, 1)
	if !strings.Contains(logs.String(), "scheduled crawl skipped: the previous one is still running") {
		t.Errorf("the skipped turn is not logged:\n%s", logs)
	}
	release <- struct{}{} // the first crawl ends
	deadline := time.Now().Add(5 * time.Second)
	for {
		s.mu.Lock()
		busy := s.running[e.Site.Name]
		s.mu.Unlock()
		if !busy {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first crawl did not end")
		}
		time.Sleep(time.Millisecond)
	}
	clk.Advance(time.Minute)
	waitFor("the crawl of the third turn")
	close(release)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run returned %v after cancellation, want nil", err)
	}
	if started != 2 {
		t.Errorf("%d crawls started, want 2 (the second turn skipped)", started)
	}
}

// TestSchedulerCrawlsTheSite runs the real crawl on the test site through
// the scheduler: at start (never crawled), not again before its time, then
// at its time; runs are recorded with the schedule trigger and the index
// holds every record.
func TestSchedulerCrawlsTheSite(t *testing.T) {
	t.Parallel()
	const articles = 20
	srv := httptest.NewServer(wpsite.New(wpsite.Options{Articles: articles}))
	defer srv.Close()
	site := job.SiteFor(srv.URL + "/")
	site.Schedule = "@every 1h"
	site.Crawl.Concurrency = 8
	noDelay := time.Duration(0)
	site.Crawl.Delay = &noDelay
	e, err := NewEntry(site.WithDefaults())
	if err != nil {
		t.Fatal(err)
	}
	s, clk, logs := testScheduler(t, Options{}, e)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	waitRuns := func(n int) []archive.Run {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			runs, err := s.st.Runs(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			finished := 0
			for _, r := range runs {
				if !r.Ended.IsZero() {
					finished++
				}
			}
			s.mu.Lock()
			busy := len(s.running) > 0
			s.mu.Unlock()
			if finished >= n && !busy {
				return runs
			}
			if time.Now().After(deadline) {
				t.Fatalf("waited 20s for %d finished runs; have %d\n%s", n, finished, logs)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	runs := waitRuns(1)
	first := runs[0]
	if first.Trigger != job.TriggerSchedule || first.New != articles || first.Failure != "" {
		t.Errorf("first run: trigger %q, %d new, failure %q; want schedule, %d, none", first.Trigger, first.New, first.Failure, articles)
	}
	if !first.Started.Equal(clk.Now()) {
		t.Errorf("first run started %v, want the scheduler's clock %v", first.Started, clk.Now())
	}

	clk.waitForTimers(t, 1)
	clk.Advance(59 * time.Minute)
	clk.waitForTimers(t, 1)
	if runs, _ := s.st.Runs(ctx, 0); len(runs) != 1 {
		t.Errorf("%d runs before the hour, want 1", len(runs))
	}
	clk.Advance(time.Minute)
	runs = waitRuns(2)
	// The site sends no validators and its articles are years old: an
	// hour later none is due again (crawler.Recheck), but the listings
	// are read again.
	if len(runs) != 2 || runs[0].New+runs[0].Changed+runs[0].Unchanged != 0 || runs[0].Fetched == 0 || runs[0].Failure != "" {
		t.Errorf("second run: %+v; want listings fetched and no article", runs[0])
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	// Nothing holds the data directory or the index once stopped.
	l, err := datadir.LockWriter(s.dataDir)
	if err != nil {
		t.Fatalf("writer lock after the scheduler stopped: %v", err)
	}
	l.Release()
	ix, err := index.Open(datadir.IndexDir(s.dataDir), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, err := ix.DocCount(); err != nil || n != articles {
		t.Errorf("index holds %d records (%v), want %d", n, err, articles)
	}
}
