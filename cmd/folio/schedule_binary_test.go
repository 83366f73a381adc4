package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
	"folio/internal/testsite/wpsite"
)

// archiveCount is the number of records in data's archive, 0 before it
// exists.
func archiveCount(t *testing.T, data string) int64 {
	t.Helper()
	st, err := archive.OpenReadOnly(data)
	if err != nil {
		return 0
	}
	defer st.Close()
	n, err := st.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// donePaths returns the paths of the URLs that data's archive records as
// done in the current crawl, read from the file as a restarted crawl reads it.
func donePaths(t *testing.T, data string) map[string]bool {
	t.Helper()
	st, err := archive.OpenReadOnly(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	urls, err := st.DoneURLs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		done[u.Path] = true
	}
	return done
}

func indexCount(t *testing.T, data string) uint64 {
	t.Helper()
	ix, err := index.Open(datadir.IndexDir(data), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestScheduleKilledOrStopped runs the built `folio schedule` on a slow
// test site and, mid-crawl, checks that a second writer is refused with the
// scheduler's pid and that readers work; then kills it (SIGKILL) or stops it
// (SIGTERM), and restarts it with --once: nothing stored is lost, nothing is
// stored twice, and every record ends up indexed. SIGTERM exits 0 with the
// index up to date.
func TestScheduleKilledOrStopped(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	const articles = 40
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			t.Parallel()
			site := wpsite.New(wpsite.Options{Articles: articles, Latency: 30 * time.Millisecond})
			srv := httptest.NewServer(site)
			defer srv.Close()
			base := srv.URL + "/"
			work := t.TempDir()
			data := filepath.Join(work, "data")
			cfg := filepath.Join(work, "config.yaml")
			config := fmt.Sprintf("sites:\n  - name: wp\n    start_urls: [%q]\n    schedule: \"@every 1h\"\n    crawl: {concurrency: 2, delay: 0s}\n", base)
			if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
				t.Fatal(err)
			}

			daemon := exec.Command(bin, "--config", cfg, "--data", data, "schedule", "--jitter", "0")
			daemon.Dir = work
			var daemonErr bytes.Buffer
			daemon.Stderr = &daemonErr
			if err := daemon.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- daemon.Wait() }()
			defer func() {
				daemon.Process.Kill()
				<-exited
			}()

			deadline := time.Now().Add(20 * time.Second)
			for archiveCount(t, data) < 5 {
				if time.Now().After(deadline) {
					t.Fatalf("the scheduler stored fewer than 5 articles in 20s:\n%s", daemonErr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}

			r := runFolio(t, bin, work, "--data", data, "crawl", base)
			if r.code != 1 || !strings.Contains(r.stderr, fmt.Sprintf("pid %d (folio --config", daemon.Process.Pid)) ||
				!strings.Contains(r.stderr, "schedule --jitter 0)") {
				t.Errorf("crawl during a scheduled crawl: exit %d, stderr %q; want 1 naming the scheduler", r.code, r.stderr)
			}
			if r := runFolio(t, bin, work, "--data", data, "stats", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"trigger": "schedule"`) {
				t.Errorf("stats during a scheduled crawl: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}

			// Between its index updates the scheduler holds no index lock.
			if r := runFolio(t, bin, work, "--data", data, "search", "corée"); r.code != 0 {
				t.Errorf("search during a scheduled crawl: exit %d\n%s", r.code, r.stderr)
			}

			if err := daemon.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				exited <- err
				if sig == syscall.SIGTERM && err != nil {
					t.Errorf("after SIGTERM: %v, want exit 0\n%s", err, daemonErr.String())
				}
			case <-time.After(15 * time.Second):
				t.Fatalf("the scheduler did not exit 15s after %s", sig)
			}
			stored := archiveCount(t, data)
			fetchedAtStop := map[string]int{}
			for _, p := range site.ArticlePaths() {
				fetchedAtStop[p] = site.Requests(p)
			}
			doneAtStop := donePaths(t, data)
			if stored >= articles {
				t.Fatalf("the crawl had finished (%d articles) before the %s: make the site slower", stored, sig)
			}
			if sig == syscall.SIGTERM {
				if !strings.Contains(daemonErr.String(), "scheduled crawl stopped; the next run resumes it") {
					t.Errorf("the log does not say the crawl was stopped:\n%s", daemonErr.String())
				}
				if n := indexCount(t, data); n != uint64(stored) {
					t.Errorf("after SIGTERM the index holds %d records, the archive %d", n, stored)
				}
			}

			r = runFolio(t, bin, work, "--config", cfg, "--data", data, "--log-level", "info", "schedule", "--once")
			why := map[syscall.Signal]string{syscall.SIGKILL: "did not finish", syscall.SIGTERM: "stopped before completing"}[sig]
			if r.code != 0 || !strings.Contains(r.stderr, why) {
				t.Fatalf("schedule --once after %s: exit %d, want 0 and %q in the log\n%s", sig, r.code, why, r.stderr)
			}
			if n := archiveCount(t, data); n != articles {
				t.Errorf("after the restart the archive holds %d articles, want %d", n, articles)
			}
			if n := indexCount(t, data); n != articles {
				t.Errorf("after the restart the index holds %d records, want %d", n, articles)
			}
			st, err := archive.OpenReadOnly(data)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			runs, err := st.Runs(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 2 {
				t.Fatalf("%d runs, want 2: %+v", len(runs), runs)
			}
			resumed, stopped := runs[0], runs[1]
			if sig == syscall.SIGKILL && !stopped.Ended.IsZero() {
				t.Errorf("the killed run has an end: %+v", stopped)
			}
			if sig == syscall.SIGTERM && (stopped.Ended.IsZero() || stopped.Failure == "") {
				t.Errorf("the stopped run is not recorded as stopped: %+v", stopped)
			}
			// The resumed run stores exactly what the first did not.
			if resumed.Trigger != "schedule" || resumed.Failure != "" || resumed.New != articles-int(stored) {
				t.Errorf("resumed run: %+v; want a completed scheduled run with %d new", resumed, articles-int(stored))
			}
			// Pages whose crawl was durably done at the stop are not fetched
			// again. After SIGKILL the pages done in the last group commit's
			// wait (archive.groupDelay) were not durable yet: they are in
			// flight, fetched at most once more. SIGTERM commits what is
			// done, so only the pages in flight (two workers) are fetched again.
			doneArticles, again := 0, 0
			for _, p := range site.ArticlePaths() {
				before, after := fetchedAtStop[p], site.Requests(p)
				if doneAtStop[p] {
					doneArticles++
					if after != before {
						t.Errorf("%s was done at the %s and was fetched again (%d fetches, %d before)", p, sig, after, before)
					}
				}
				if after > 1 {
					again++
				}
				if after > before+1 || after == 0 {
					t.Errorf("%s fetched %d times, %d before the %s; want once by the restart at most", p, after, before, sig)
				}
			}
			t.Logf("%s: %d articles stored, %d durably done, %d fetched again", sig, stored, doneArticles, again)
			if doneArticles == 0 {
				t.Errorf("no article was durably done at the %s although %d were stored", sig, stored)
			}
			if sig == syscall.SIGTERM && again > 2 {
				t.Errorf("%d articles fetched again after SIGTERM; want at most the two in flight", again)
			}
		})
	}
}
