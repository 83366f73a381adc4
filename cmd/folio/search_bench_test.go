package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
	"folio/internal/synthetic"
)

// BenchmarkSearchProcess runs `folio search` as a fresh process (start,
// open the archive and the index, search, print) on a data directory of
// 100,000 synthetic French articles, interleaved with `folio --help` in the
// same run, and reports both medians. The data directory is built the
// first time with `folio reindex` over an archive of the articles (which is
// timed and logged), and kept in FOLIO_BENCH_DIR (default: the
// system's temporary directory); it takes minutes and about 2 GB, so the
// benchmark runs only when FOLIO_BENCH_SEARCH is set:
//
//	FOLIO_BENCH_SEARCH=1 go test ./cmd/folio -run '^$' -bench BenchmarkSearchProcess -benchtime 20x -timeout 1h
//
// FOLIO_BENCH_SEARCH_DOCS changes the number of articles.
func BenchmarkSearchProcess(b *testing.B) {
	if os.Getenv("FOLIO_BENCH_SEARCH") == "" {
		b.Skip("set FOLIO_BENCH_SEARCH=1: builds a data directory of 100,000 articles (minutes, about 2 GB of disk)")
	}
	bin := buildFolio(b)
	corpus := synthetic.New(benchSearchDocs(b), 1)
	data := benchSearchData(b, bin, corpus)
	queries := corpus.Queries(50, 3)

	run := func(args ...string) time.Duration {
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		started := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("folio %v: %v\n%s", args, err, stderr.String())
		}
		took := time.Since(started)
		if args[len(args)-1] != "--help" && (stderr.Len() > 0 || !strings.Contains(stdout.String(), "match")) {
			b.Fatalf("folio %v: stdout %q, stderr %q", args, stdout.String(), stderr.String())
		}
		return took
	}
	var help, search []time.Duration
	i := 0
	for b.Loop() {
		help = append(help, run("--help"))
		search = append(search, run("--data", data, "search", queries[i%len(queries)]))
		i++
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Microseconds()) / 1000
	}
	b.ReportMetric(median(help), "help-median-ms")
	b.ReportMetric(median(search), "search-median-ms")
	b.ReportMetric(median(search)-median(help), "extra-ms")
}

// benchSearchDocs is the size of the search benchmarks' archive: 100,000
// articles, or FOLIO_BENCH_SEARCH_DOCS.
func benchSearchDocs(b *testing.B) int {
	s := os.Getenv("FOLIO_BENCH_SEARCH_DOCS")
	if s == "" {
		return 100_000
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		b.Fatalf("FOLIO_BENCH_SEARCH_DOCS=%q: %v", s, err)
	}
	return n
}

// benchSearchData returns a data directory holding corpus in its archive
// and index, building it the first time.
func benchSearchData(b *testing.B, bin string, corpus *synthetic.Corpus) string {
	b.Helper()
	dir := filepath.Join(benchDataRoot(), fmt.Sprintf("folio-bench-search-v%d-%d", index.MappingVersion, corpus.Len()))
	if benchSearchDataReady(dir, corpus.Len()) {
		return dir
	}
	fillBenchArchive(b, dir, corpus.Len(), func(i int) (folio.Article, folio.Page) {
		a := corpus.Article(i)
		a.FetchedAt = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		return a, folio.Page{URL: a.URL, FetchedAt: a.FetchedAt}
	})

	started := time.Now()
	out, err := exec.Command(bin, "--data", dir, "reindex").CombinedOutput()
	if err != nil {
		b.Fatalf("folio reindex: %v\n%s", err, out)
	}
	b.Logf("folio reindex (%s): %s", time.Since(started).Round(time.Second), strings.TrimSpace(string(out)))
	if !benchSearchDataReady(dir, corpus.Len()) {
		b.Fatalf("%s is not ready after reindex", dir)
	}
	return dir
}

// benchSearchDataReady reports whether dir holds an archive of n records
// and an index up to date with it.
func benchSearchDataReady(dir string, n int) bool {
	ctx := context.Background()
	st, err := archive.OpenReadOnly(dir)
	if err != nil {
		return false
	}
	defer st.Close()
	count, err := st.Count(ctx)
	if err != nil || count != int64(n) {
		return false
	}
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		return false
	}
	ix, err := index.Open(datadir.IndexDir(dir), index.Options{ReadOnly: true})
	if err != nil {
		return false
	}
	defer ix.Close()
	last, err := ix.LastSeq()
	return err == nil && last >= uint64(maxSeq)
}
