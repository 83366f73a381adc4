package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio/internal/pgtest"
	"folio/internal/syncbuf"
	"folio/internal/testservers"
	"folio/internal/testsite/wpsite"
)

// These tests run `folio worker` as processes, several at once, sharing
// the crawl through Redis and writing to one PostgreSQL archive, each test
// in a fresh schema and under its own Redis key prefix.

// timedSite serves the test site and keeps the arrival time of every
// request, to measure the rate the workers hold over all of them.
type timedSite struct {
	*wpsite.Site
	base  string
	mu    sync.Mutex
	times []time.Time
}

func startTimedSite(t *testing.T, opts wpsite.Options) *timedSite {
	t.Helper()
	s := &timedSite{Site: wpsite.New(opts)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.times = append(s.times, time.Now())
		s.mu.Unlock()
		s.Site.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.base = srv.URL + "/"
	return s
}

func (s *timedSite) requestTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.times)
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// fleet is what the workers of one test share: the binary, a config
// naming the site, the archive and the Redis.
type fleet struct {
	t        *testing.T
	bin      string
	work     string
	config   string
	archive  string
	frontier string
	prefix   string
}

func newFleet(t *testing.T, site *timedSite, crawl string) *fleet {
	t.Helper()
	bin := buildFolio(t)
	frontier, prefix := testRedis(t)
	f := &fleet{t: t, bin: bin, work: t.TempDir(), archive: pgtest.Schema(t), frontier: frontier, prefix: prefix}
	f.config = filepath.Join(f.work, "fleet.yaml")
	body := fmt.Sprintf("sites:\n  - name: testsite\n    start_urls: [%q]\n    crawl:\n%s", site.base, crawl)
	if err := os.WriteFile(f.config, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// workerProc is one `folio worker` process.
type workerProc struct {
	cmd            *exec.Cmd
	stdout, stderr syncbuf.Buffer
	done           chan struct{}
	code           int
}

// started waits until the worker logs that its crawl started (its archive
// and Redis open) or exits, for up to a minute.
func (p *workerProc) started(t *testing.T, name string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(p.stderr.String(), "crawl started") {
		select {
		case <-p.done:
			return
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has not started its crawl after a minute\nstderr: %s", name, p.stderr.String())
		}
	}
}

// start starts worker i, with a data directory of its own (a machine of
// its own), on the fleet's archive and Redis.
func (f *fleet) start(i int, extra ...string) *workerProc {
	f.t.Helper()
	args := append([]string{"--config", f.config, "--data", filepath.Join(f.work, fmt.Sprintf("w%d", i)),
		"--archive", f.archive, "worker", "--frontier", f.frontier, "--frontier-prefix", f.prefix,
		// A worker that joins others waits a third of its lease before
		// it takes its share of a host's concurrency: keep it short.
		"--lease-ttl", "3s"}, extra...)
	p := &workerProc{cmd: exec.Command(f.bin, args...), done: make(chan struct{})}
	p.cmd.Dir = f.work
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		err := p.cmd.Wait()
		var exitErr *exec.ExitError
		switch {
		case errors.As(err, &exitErr):
			p.code = exitErr.ExitCode()
		case err != nil:
			p.code = -1
		}
	}()
	f.t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait waits for the worker to exit, failing the test unless it exits 0
// within three minutes (a crawl of seconds, on a loaded machine longer).
func (p *workerProc) wait(t *testing.T, name string) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(3 * time.Minute):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%s still running after three minutes\nstderr: %s", name, p.stderr.String())
	}
	if p.code != 0 {
		t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", name, p.code, p.stdout.String(), p.stderr.String())
	}
}

// runAll starts n workers and waits for all of them.
func (f *fleet) runAll(n int, extra ...string) []*workerProc {
	f.t.Helper()
	var ps []*workerProc
	for i := range n {
		ps = append(ps, f.start(i, extra...))
	}
	for i, p := range ps {
		p.wait(f.t, fmt.Sprintf("worker %d", i))
	}
	return ps
}

// records exports the fleet's archive: each record by URL, without the
// time it was fetched. Two records of one URL or one id fail the test.
func (f *fleet) records() map[string]map[string]any {
	f.t.Helper()
	r := runFolio(f.t, f.bin, f.work, "--data", filepath.Join(f.work, "export"), "--archive", f.archive, "export", "--format", "jsonl")
	if r.code != 0 {
		f.t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	out := map[string]map[string]any{}
	ids := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			f.t.Fatalf("export: %v", err)
		}
		delete(m, "fetched_at")
		url, id := m["url"].(string), m["id"].(string)
		if out[url] != nil || ids[id] {
			f.t.Errorf("two records of %s (%s)", url, id)
		}
		out[url], ids[id] = m, true
	}
	return out
}

// complete fails the test unless recs holds a record of every article of
// the site.
func complete(t *testing.T, site *timedSite, recs map[string]map[string]any) {
	t.Helper()
	for _, p := range site.ArticlePaths() {
		if recs[strings.TrimSuffix(site.base, "/")+p] == nil {
			t.Errorf("article %s not archived", p)
		}
	}
	if n, want := len(recs), len(site.ArticlePaths()); n != want {
		t.Errorf("%d records, want %d", n, want)
	}
}

// Three worker processes archive what one archives, in PostgreSQL.
func TestWorkerFleetArchivesWhatOneWorkerDoes(t *testing.T) {
	t.Parallel()
	site := startTimedSite(t, wpsite.Options{Articles: 60})
	crawl := "      concurrency: 4\n      delay: 0\n"
	one := newFleet(t, site, crawl)
	one.runAll(1)
	want := one.records()
	complete(t, site, want)

	site.ResetRequests()
	three := newFleet(t, site, crawl)
	ps := three.runAll(3)
	got := three.records()
	complete(t, site, got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records of three workers differ from one's (-one +three):\n%s", diff)
	}
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n != 1 {
			t.Errorf("article %s requested %d times by three workers, want 1", p, n)
		}
	}
	for i, p := range ps {
		if !strings.Contains(p.stdout.String(), "pages") {
			t.Errorf("worker %d printed no summary: %s", i, p.stdout.String())
		}
	}
}

// One of three workers killed (SIGKILL) in the middle of the crawl: the
// others fetch what it held once its leases run out, and the archive holds
// every article once.
func TestWorkerFleetSurvivesAKilledWorker(t *testing.T) {
	t.Parallel()
	site := startTimedSite(t, wpsite.Options{Articles: 60, Latency: 10 * time.Millisecond})
	f := newFleet(t, site, "      concurrency: 2\n      delay: 0.02\n")
	var ps []*workerProc
	for i := range 3 {
		ps = append(ps, f.start(i, "--lease-ttl", "2s"))
	}
	waitFor(t, "40 requests at the site", func() bool { return site.TotalRequests() >= 40 })
	if err := ps[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-ps[0].done
	killedAt := site.TotalRequests()
	ps[1].wait(t, "worker 1")
	ps[2].wait(t, "worker 2")
	complete(t, site, f.records())
	// Had the killed worker's leases not come back, the others would wait
	// for them still: they finished, and the archive is complete. (It may
	// have held none at the kill, between two leases.)
	reclaimed := strings.Contains(ps[1].stderr.String()+ps[2].stderr.String(), "leases past their deadline returned to the frontier")
	twice := 0
	for _, p := range site.ArticlePaths() {
		if site.Requests(p) > 1 {
			twice++
		}
	}
	t.Logf("worker 0 killed after %d requests of %d; its leases taken back: %v; articles fetched twice: %d", killedAt, site.TotalRequests(), reclaimed, twice)
}

// The requests of three workers, measured at the site over sliding
// windows, never exceed the site's rate (one per delay) summed over them.
func TestWorkerFleetHoldsTheDelayOverAllWorkers(t *testing.T) {
	t.Parallel()
	site := startTimedSite(t, wpsite.Options{Articles: 10})
	const delay = 80 * time.Millisecond
	f := newFleet(t, site, "      concurrency: 2\n      delay: 0.08\n")
	f.runAll(3)
	complete(t, site, f.records())
	times := site.requestTimes()
	for _, window := range []time.Duration{5 * delay, time.Second} {
		limit := windowLimit(window, delay)
		worst := wpsite.MostInWindow(times, window)
		if worst > limit {
			t.Errorf("%d requests in a %v window, want at most %d (delay %v over all workers)", worst, window, limit, delay)
		}
		t.Logf("%d requests; at most %d in a %v window (limit %d)", len(times), worst, window, limit)
	}
}

// Redis restarted, empty, in the middle of a crawl: the workers wait for
// it, rebuild the frontier from the archive and the start URLs, and the
// crawl completes with every article archived once. The Redis is a private
// one, started for the test: the shared server is never restarted.
func TestWorkerFleetSurvivesARedisRestart(t *testing.T) {
	t.Parallel()
	rs := testservers.Redis(t)
	site := startTimedSite(t, wpsite.Options{Articles: 60, Latency: 10 * time.Millisecond, Validators: true})
	f := newFleet(t, site, "      concurrency: 2\n      delay: 0.02\n")
	f.frontier = rs.URL()
	var ps []*workerProc
	for i := range 2 {
		ps = append(ps, f.start(i))
	}
	waitFor(t, "40 requests at the site", func() bool { return site.TotalRequests() >= 40 })
	// What the archive holds at the restart: fetched once, with its
	// validators, each must cost no more than a conditional request after.
	before := f.records()
	rs.Restart(t, 200*time.Millisecond) // the workers meet a Redis that does not answer
	restartedAt := site.TotalRequests()
	for i, p := range ps {
		p.wait(t, fmt.Sprintf("worker %d", i))
	}
	complete(t, site, f.records())
	rebuilt := false
	for _, p := range ps {
		rebuilt = rebuilt || strings.Contains(p.stderr.String(), "shared frontier rebuilt")
	}
	if !rebuilt {
		t.Errorf("no worker says it rebuilt the frontier:\n%s\n%s", ps[0].stderr.String(), ps[1].stderr.String())
	}
	// An article archived before the restart costs a conditional request
	// (304) after it, or nothing when its done mark reached the new
	// Redis first: each worker learns of the loss in the very lease that
	// hands it a URL of the rebuilt frontier, and reads the archive
	// afresh before it handles one. None is sent whole again.
	conditional := 0
	for u := range before {
		p := strings.TrimPrefix(u, strings.TrimSuffix(site.base, "/"))
		conditional += site.Answered(p, 304)
		if n := site.Answered(p, 200); n > 1 {
			t.Errorf("%s, archived before the restart, sent whole %d times", p, n)
		}
	}
	if len(before) > 0 && conditional == 0 {
		t.Errorf("none of the %d articles archived before the restart was asked for conditionally after it", len(before))
	}
	twice := 0
	for _, p := range site.ArticlePaths() {
		if site.Answered(p, 200) > 1 {
			twice++
		}
	}
	t.Logf("Redis restarted after %d requests, %d articles archived; %d requests in all, %d answered 304, %d articles sent twice (in flight at the restart)",
		restartedAt, len(before), site.TotalRequests(), conditional, twice)
}

// windowLimit is the most requests a window may hold at one per delay:
// window/delay + 1, the starts at both ends included. The site reads a
// request's time when its handler runs, which a loaded machine (the race
// detector, other tests) delays by up to tens of milliseconds after the
// request was sent in its slot: half a delay of that is allowed.
func windowLimit(window, delay time.Duration) int {
	return int((window+delay/2)/delay) + 1
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 30s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
