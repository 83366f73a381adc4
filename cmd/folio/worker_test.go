package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"folio/internal/redistest"
	"folio/internal/testsite/wpsite"
)

// testRedis returns the URL of the Redis the tests use and a key prefix of
// the test's own (see redistest).
func testRedis(t *testing.T) (url, prefix string) {
	t.Helper()
	url, rdb := redistest.Available(t)
	return url, redistest.Prefix(t, rdb)
}

// writeWorkerConfig writes a config that crawls base quickly.
func writeWorkerConfig(t *testing.T, dir, base, frontier string) string {
	t.Helper()
	cfg := filepath.Join(dir, "config.yaml")
	body := fmt.Sprintf("frontier: %s\nsites:\n  - name: testsite\n    start_urls: [%q]\n    crawl:\n      concurrency: 8\n      delay: 0\n", frontier, base)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// folio worker, as a process, alone on its SQLite archive: it crawls the
// configured site through Redis, archives every article, and leaves no
// crawl behind in Redis.
func TestWorkerBinary(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	url, prefix := testRedis(t)
	_, base := startSite(t, 60)
	work := t.TempDir()
	data := filepath.Join(work, "d")
	cfg := writeWorkerConfig(t, work, base, url)

	r := runFolio(t, bin, work, "--config", cfg, "--data", data, "worker", "--frontier-prefix", prefix)
	if r.code != 0 {
		t.Fatalf("worker: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "60 new") {
		t.Errorf("worker's summary lacks 60 new:\n%s", r.stdout)
	}
	r = runFolio(t, bin, work, "--data", data, "export", "--format", "jsonl")
	if n := strings.Count(r.stdout, "\n"); r.code != 0 || n != 60 {
		t.Errorf("export after the worker: exit %d, %d records; want 60\n%s", r.code, n, r.stderr)
	}

	// Again: the crawl starts afresh in Redis, and each archived article
	// is asked for conditionally (the site sends no validators: none is
	// due yet).
	r = runFolio(t, bin, work, "--config", cfg, "--data", data, "worker", "--frontier-prefix", prefix)
	if r.code != 0 || !strings.Contains(r.stdout, "0 new") {
		t.Errorf("second worker run: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// Without a frontier, or with one that is not Redis, worker is a usage
// error: exit 2, saying what to give.
func TestWorkerNeedsAFrontier(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	work := t.TempDir()
	cfg := filepath.Join(work, "config.yaml")
	if err := os.WriteFile(cfg, []byte("sites:\n  - start_urls: [\"http://127.0.0.1:1/\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", cfg, "--data", filepath.Join(work, "d"), "worker"}, "--frontier redis://host:port"},
		{[]string{"--config", cfg, "--data", filepath.Join(work, "d"), "worker", "--frontier", "http://x/"}, "not a Redis URL"},
	} {
		cmd := runFolio(t, bin, work, tc.args...)
		if cmd.code != 2 || !strings.Contains(cmd.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, cmd.code, cmd.stderr, tc.want)
		}
	}
}

// A worker stopped with SIGINT hands its leased URLs back at once (none is
// left leased in Redis, the rest of the crawl waits there), exits 1 saying
// it was stopped, and the next worker finishes the crawl: every article
// archived once.
func TestWorkerStoppedHandsItsURLsBack(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	url, prefix := testRedis(t)
	site := startTimedSite(t, wpsite.Options{Articles: 30, Latency: 10 * time.Millisecond})
	work := t.TempDir()
	data := filepath.Join(work, "d")
	cfg := filepath.Join(work, "config.yaml")
	body := fmt.Sprintf("frontier: %s\nsites:\n  - name: testsite\n    start_urls: [%q]\n    crawl:\n      concurrency: 2\n      delay: 0.02\n", url, site.base)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--config", cfg, "--data", data, "worker", "--frontier-prefix", prefix)
	cmd.Dir = work
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "20 requests at the site", func() bool { return site.TotalRequests() >= 20 })
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 1 || !strings.Contains(stderr.String(), "worker stopped") {
		t.Fatalf("stopped worker: %v, want exit 1 saying it stopped\nstderr: %s", err, stderr.String())
	}
	opts, _ := redis.ParseURL(url)
	rdb := redis.NewClient(opts)
	defer rdb.Close()
	ctx := context.Background()
	key := prefix + "crawl:{127.0.0.1}:"
	leased, err1 := rdb.ZCard(ctx, key+"leases").Result()
	ready, err2 := rdb.ZCard(ctx, key+"ready").Result()
	if err1 != nil || err2 != nil || leased != 0 || ready == 0 {
		t.Errorf("after the stop: %d leased, %d ready (%v, %v); want none leased, the rest ready", leased, ready, err1, err2)
	}

	r := runFolio(t, bin, work, "--config", cfg, "--data", data, "worker", "--frontier-prefix", prefix)
	if r.code != 0 {
		t.Fatalf("second worker: exit %d\nstderr: %s", r.code, r.stderr)
	}
	r = runFolio(t, bin, work, "--data", data, "export", "--format", "jsonl")
	if n := strings.Count(r.stdout, "\n"); r.code != 0 || n != 30 {
		t.Errorf("export: exit %d, %d records; want 30", r.code, n)
	}
	for _, p := range site.ArticlePaths() {
		if n := site.Requests(p); n != 1 {
			t.Errorf("article %s requested %d times, want 1", p, n)
		}
	}
}
