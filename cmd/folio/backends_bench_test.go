package main

import (
	"bytes"
	"flag"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"folio/internal/pgtest"
	"folio/internal/testsite/wpsite"
)

var benchBackendArticles = flag.Int("bench.backend-articles", 300, "articles of the site BenchmarkBackendsProcess crawls")

// BenchmarkBackendsProcess runs the built folio as a user does, on an
// archive in SQLite and on one in PostgreSQL (a fresh schema of the test
// server, FOLIO_TEST_POSTGRES), in one run: `folio crawl` of the test site
// (-bench.backend-articles articles of 60 KB, concurrency 8, no delay) into
// each, then `folio search` as fresh processes, the two backends
// alternated, 10 queries three times each per round. It reports each backend's crawl
// time and median search time, and PostgreSQL's speed over SQLite's
// (crawl-ratio, search-ratio: 1 is as fast).
//
//	go test ./cmd/folio -run '^$' -bench BenchmarkBackendsProcess -benchtime 1x -bench.backend-articles 300
func BenchmarkBackendsProcess(b *testing.B) {
	bin := buildFolio(b)
	site := wpsite.New(wpsite.Options{Articles: *benchBackendArticles, PageBytes: 60_000})
	srv := httptest.NewServer(site)
	defer srv.Close()
	queries := []string{"corée", "russie", "migrants", "europe", "\"pont ferroviaire\"", "coree russie", "guerre",
		"élections", "climat", "afrique"}

	run := func(args ...string) time.Duration {
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		started := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("folio %v: %v\n%s", args, err, stderr.String())
		}
		took := time.Since(started)
		if args[len(args)-2] == "search" && !strings.Contains(stdout.String(), "match") {
			b.Fatalf("folio %v: stdout %q, stderr %q", args, stdout.String(), stderr.String())
		}
		return took
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return d[len(d)/2].Seconds() * 1000
	}
	for b.Loop() {
		sqData, pgData := filepath.Join(b.TempDir(), "sqlite"), filepath.Join(b.TempDir(), "pg")
		pg := []string{"--data", pgData, "--archive", pgtest.Schema(b)}
		sq := []string{"--data", sqData}
		crawl := []string{"crawl", "--concurrency", "8", "--delay", "0", srv.URL + "/"}
		sqCrawl := run(append(sq, crawl...)...)
		pgCrawl := run(append(pg, crawl...)...)
		var sqSearch, pgSearch []time.Duration
		for range 3 {
			for _, q := range queries {
				sqSearch = append(sqSearch, run(append(sq, "search", q)...))
				pgSearch = append(pgSearch, run(append(pg, "search", q)...))
			}
		}
		b.ReportMetric(sqCrawl.Seconds(), "sqlite-crawl-s")
		b.ReportMetric(pgCrawl.Seconds(), "pg-crawl-s")
		b.ReportMetric(sqCrawl.Seconds()/pgCrawl.Seconds(), "crawl-ratio")
		b.ReportMetric(median(sqSearch), "sqlite-search-ms")
		b.ReportMetric(median(pgSearch), "pg-search-ms")
		b.ReportMetric(median(sqSearch)/median(pgSearch), "search-ratio")
	}
}
