package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"folio/internal/pgtest"
	"folio/internal/testservers"
	"folio/internal/testsite/wpsite"
)

// BenchmarkWorkerProcesses compares, on one machine and in one run, two
// `folio worker` processes sharing the crawl of a site through Redis with
// one `folio crawl` process, both writing to a PostgreSQL archive (each
// crawl in a fresh schema) with the same settings (8 requests in flight per
// host and per process, no delay: bound by the cores):
//
//	FOLIO_BENCH_WORKERS=1 go test ./cmd/folio -run '^$' -bench WorkerProcesses -benchtime 3x
//
// It reports the pages per second of each (pages the processes handed on,
// from their --json summaries, over the wall time from start to the last
// exit), their ratio, and the round trips the workers made to a private
// Redis per page (the commands its clients sent, from INFO commandstats:
// each script call one). FOLIO_BENCH_WORKERS_ARTICLES sets the site's size
// (default 1000).
func BenchmarkWorkerProcesses(b *testing.B) {
	if os.Getenv("FOLIO_BENCH_WORKERS") == "" {
		b.Skip("set FOLIO_BENCH_WORKERS=1: crawls a site of 1,000 articles three times a round")
	}
	articles := 1000
	if s := os.Getenv("FOLIO_BENCH_WORKERS_ARTICLES"); s != "" {
		var err error
		if articles, err = strconv.Atoi(s); err != nil {
			b.Fatalf("FOLIO_BENCH_WORKERS_ARTICLES=%q: %v", s, err)
		}
	}
	bin := buildFolio(b)
	rs := testservers.Redis(b)
	site := wpsite.New(wpsite.Options{Articles: articles, PageBytes: 20 << 10})
	srv := httptest.NewServer(site)
	defer srv.Close()
	base := srv.URL + "/"
	work := b.TempDir()
	cfg := filepath.Join(work, "config.yaml")
	body := fmt.Sprintf("sites:\n  - name: bench\n    start_urls: [%q]\n    crawl:\n      concurrency: 8\n      delay: 0\n", base)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
	opts, _ := redis.ParseURL(rs.URL())
	rdb := redis.NewClient(opts)
	defer rdb.Close()

	// start runs folio with args; wait returns the pages its --json lines
	// sum to.
	start := func(args ...string) (wait func() int) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		return func() int {
			if err := cmd.Wait(); err != nil {
				b.Fatalf("folio %v: %v\n%s", args, err, stderr.String())
			}
			pages := 0
			sc := bufio.NewScanner(&stdout)
			for sc.Scan() {
				var rec struct {
					Pages int `json:"pages"`
				}
				if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
					b.Fatalf("folio %v: summary %q: %v", args, sc.Text(), err)
				}
				pages += rec.Pages
			}
			return pages
		}
	}

	var onePPS, twoPPS, ratios, trips float64
	rounds := 0
	for i := 0; b.Loop(); i++ {
		rounds++
		began := time.Now()
		onePages := start("--config", cfg, "--data", filepath.Join(work, fmt.Sprintf("one%d", i)),
			"--archive", pgtest.Schema(b), "crawl", "--json")()
		one := float64(onePages) / time.Since(began).Seconds()

		before := redisCalls(b, rdb)
		archive := pgtest.Schema(b)
		prefix := fmt.Sprintf("bench%d:", i)
		began = time.Now()
		var waits []func() int
		for w := range 2 {
			waits = append(waits, start("--config", cfg, "--data", filepath.Join(work, fmt.Sprintf("w%d-%d", i, w)),
				"--archive", archive, "worker", "--frontier", rs.URL(), "--frontier-prefix", prefix, "--json"))
		}
		var mu sync.Mutex
		twoPages := 0
		var wg sync.WaitGroup
		for _, wait := range waits {
			wg.Go(func() {
				n := wait()
				mu.Lock()
				twoPages += n
				mu.Unlock()
			})
		}
		wg.Wait()
		two := float64(twoPages) / time.Since(began).Seconds()
		rt := float64(redisCalls(b, rdb)-before) / float64(twoPages)
		b.Logf("round %d: one process %.0f pages/s (%d pages), two workers %.0f pages/s (%d pages), ratio %.2f, %.2f Redis round trips per page",
			i, one, onePages, two, twoPages, two/one, rt)
		onePPS += one
		twoPPS += two
		ratios += two / one
		trips += rt
	}
	n := float64(rounds)
	b.ReportMetric(onePPS/n, "one-pages/s")
	b.ReportMetric(twoPPS/n, "workers-pages/s")
	b.ReportMetric(ratios/n, "ratio")
	b.ReportMetric(trips/n, "roundtrips/page")
	b.ReportMetric(0, "ns/op")
}

// redisCalls is the number of commands the server has run for its
// clients: the script calls and the commands folio's client sends itself
// (the connections' handshakes, Finish's DEL), not the commands scripts run
// inside. Leave's ZREM, once a run, is not counted: ZREM also runs inside
// scripts.
func redisCalls(b *testing.B, rdb *redis.Client) int {
	b.Helper()
	info, err := rdb.Info(context.Background(), "commandstats").Result()
	if err != nil {
		b.Fatal(err)
	}
	client := map[string]bool{"evalsha": true, "eval": true, "del": true, "hello": true, "client|setinfo": true,
		"client|maint_notifications": true, "ping": true, "script|load": true}
	total := 0
	for _, line := range strings.Split(info, "\n") {
		name, rest, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok || !client[strings.TrimPrefix(name, "cmdstat_")] {
			continue
		}
		calls, _, _ := strings.Cut(strings.TrimPrefix(rest, "calls="), ",")
		n, _ := strconv.Atoi(calls)
		total += n
	}
	return total
}
