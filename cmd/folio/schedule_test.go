package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"folio/archive"
	"folio/internal/datadir"
	"folio/internal/job"
)

// TestScheduleOnce runs `folio schedule --once` twice: the first crawls the
// site (never crawled), the second finds nothing due.
func TestScheduleOnce(t *testing.T) {
	const articles = 12
	_, base := startSite(t, articles)
	env := newTestEnv(t)
	cfg := fmt.Sprintf(`sites:
  - name: wp
    start_urls: [%q]
    schedule: "@every 1h"
    schedule_time_zone: Europe/Paris
    crawl: {concurrency: 8, delay: 0s}
`, base)
	if err := os.WriteFile(env.configFile, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g := env.g()
	g.logLevel = "info"
	if err := runSchedule(ctx, scheduleOptions{once: true}, g); err != nil {
		t.Fatalf("schedule --once: %v\n%s", err, env.stderr.String())
	}
	if !strings.Contains(env.stderr.String(), "never crawled") {
		t.Errorf("the log does not say why the site was due:\n%s", env.stderr.String())
	}
	g = env.g()
	g.logLevel = "info"
	if err := runSchedule(ctx, scheduleOptions{once: true}, g); err != nil {
		t.Fatalf("second schedule --once: %v", err)
	}
	if !strings.Contains(env.stderr.String(), "not due") {
		t.Errorf("the second run does not say the site is not due:\n%s", env.stderr.String())
	}
	st, err := archive.OpenReadOnly(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Site != "wp" || runs[0].Trigger != job.TriggerSchedule || runs[0].New != articles {
		t.Errorf("runs: %+v; want one scheduled run of wp with %d new", runs, articles)
	}

	t.Run("no schedule is a usage error", func(t *testing.T) {
		g := env.g()
		g.configFile = ""
		t.Chdir(t.TempDir())
		err := runSchedule(ctx, scheduleOptions{once: true}, g)
		if exitCode(err) != 2 {
			t.Errorf("error %v, exit %d; want 2", err, exitCode(err))
		}
	})
	t.Run("negative jitter is a usage error", func(t *testing.T) {
		err := runSchedule(ctx, scheduleOptions{jitter: -time.Second}, env.g())
		if exitCode(err) != 2 {
			t.Errorf("error %v, exit %d; want 2", err, exitCode(err))
		}
	})
	t.Run("a second scheduler is refused", func(t *testing.T) {
		l, err := datadir.LockScheduler(env.dataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Release()
		err = runSchedule(ctx, scheduleOptions{}, env.g())
		if exitCode(err) != 1 || !datadir.IsLocked(err) || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) {
			t.Errorf("error %v (exit %d): want the holder named, exit 1", err, exitCode(err))
		}
	})
}
