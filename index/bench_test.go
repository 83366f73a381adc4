package index

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"folio"
	"folio/internal/synthetic"

	"github.com/blevesearch/bleve/v2"
)

// The benchmarks compare folio's indexing and search with raw bleve (the
// default mapping, batches of 1,000, a match query plus the default
// highlighter) on the same synthetic French articles (internal/synthetic),
// in the same run. Each index is built by a child process, so that its
// peak RSS is its own:
//
//	go test ./index -run '^$' -bench . -benchtime 1x -bench.docs 100000 -bench.dir /tmp/folio-bench -timeout 3h
//
// -bench.dir keeps the built indexes, and later runs with the same
// -bench.docs reuse them rather than building them again (BenchmarkIndex
// always builds).
var (
	benchDocs  = flag.Int("bench.docs", 5000, "synthetic articles indexed by the benchmarks")
	benchBatch = flag.Int("bench.batch", BatchSize, "batch size of folio's indexing in the benchmarks")
	benchDir   = flag.String("bench.dir", "", "directory where the benchmarks keep their indexes between runs (default a temporary one)")
)

const (
	rawBatch    = 1000
	corpusSeed  = 1
	querySeed   = 2
	queryCount  = 1000
	childEnv    = "FOLIO_INDEX_BENCH_CHILD" // side,dir,docs,batch
	childReport = "bench-child-report: "
)

// The sides a child process can build.
const (
	sideFolio  = "folio"        // one writer for the whole run, compacted at the end, as folio reindex
	sideShared = "folio_shared" // a Shared write per batch, as a crawl or a catch-up
	sideRaw    = "raw_bleve"
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(benchChild(spec))
	}
	os.Exit(m.Run())
}

// benchChild builds one index and prints how long the indexing took.
func benchChild(spec string) int {
	parts := strings.Split(spec, ",")
	if len(parts) != 4 {
		fmt.Fprintf(os.Stderr, "bad %s %q\n", childEnv, spec)
		return 2
	}
	side, dir := parts[0], parts[1]
	docs, err1 := strconv.Atoi(parts[2])
	batch, err2 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil {
		fmt.Fprintf(os.Stderr, "bad %s %q\n", childEnv, spec)
		return 2
	}
	elapsed, err := buildSide(side, dir, synthetic.New(docs, corpusSeed), batch)
	if err != nil {
		fmt.Fprintf(os.Stderr, "build %s: %v\n", side, err)
		return 1
	}
	fmt.Printf("%s%d\n", childReport, elapsed.Nanoseconds())
	return 0
}

// buildSide indexes the corpus, timing the indexing and the closing (which
// waits for what bleve still has to write) but not the generation of the
// articles.
func buildSide(side, dir string, corpus *synthetic.Corpus, batch int) (time.Duration, error) {
	ctx := context.Background()
	var elapsed time.Duration
	timed := func(f func() error) error {
		start := time.Now()
		err := f()
		elapsed += time.Since(start)
		return err
	}
	switch side {
	case sideFolio:
		var ix *Index
		if err := timed(func() (err error) { ix, err = Open(dir, Options{}); return err }); err != nil {
			return 0, err
		}
		for from := 0; from < corpus.Len(); from += batch {
			to := min(from+batch, corpus.Len())
			docs := corpus.Articles(from, to)
			if err := timed(func() error { return ix.IndexUpTo(ctx, docs, uint64(to)) }); err != nil {
				return 0, err
			}
		}
		if err := timed(func() error { return ix.Compact(ctx) }); err != nil {
			return 0, err
		}
		return elapsed, timed(ix.Close)
	case sideShared:
		var sh *Shared
		if err := timed(func() (err error) { sh, err = OpenShared(dir, Options{}); return err }); err != nil {
			return 0, err
		}
		for from := 0; from < corpus.Len(); from += batch {
			to := min(from+batch, corpus.Len())
			docs := corpus.Articles(from, to)
			err := timed(func() error {
				return sh.Write(ctx, func(ix *Index) error { return ix.IndexUpTo(ctx, docs, uint64(to)) })
			})
			if err != nil {
				return 0, err
			}
		}
		return elapsed, sh.Close()
	case sideRaw:
		var bi bleve.Index
		if err := timed(func() (err error) { bi, err = bleve.New(dir, bleve.NewIndexMapping()); return err }); err != nil {
			return 0, err
		}
		for from := 0; from < corpus.Len(); from += rawBatch {
			docs := corpus.Articles(from, min(from+rawBatch, corpus.Len()))
			err := timed(func() error {
				b := bi.NewBatch()
				for _, a := range docs {
					if err := b.Index(a.ID, rawDocument(a)); err != nil {
						return err
					}
				}
				return bi.Batch(b)
			})
			if err != nil {
				return 0, err
			}
		}
		return elapsed, timed(bi.Close)
	}
	return 0, fmt.Errorf("unknown side %q", side)
}

// rawDocument is an article as a plain bleve user would index it.
func rawDocument(a folio.Article) map[string]interface{} {
	return map[string]interface{}{
		"url": a.URL, "site": a.Site, "title": a.Title, "summary": a.Summary, "body": a.Body,
		"category": a.Category, "author": a.Author, "tags": a.Tags, "published": *a.Published,
	}
}

// built is what a child process reports of the index it built.
type built struct {
	elapsed   time.Duration
	maxRSS    int64 // bytes
	diskBytes int64
}

// buildInChild builds side's index in dir with a child process.
func buildInChild(b *testing.B, side, dir string, docs, batch int) built {
	b.Helper()
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s,%s,%d,%d", childEnv, side, dir, docs, batch))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("build %s in a child process: %v", side, err)
	}
	var ns int64
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, childReport); ok {
			ns, _ = strconv.ParseInt(rest, 10, 64)
		}
	}
	if ns == 0 {
		b.Fatalf("child building %s reported nothing: %q", side, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Fatal("no rusage for the child process")
	}
	return built{elapsed: time.Duration(ns), maxRSS: ru.Maxrss * 1024, diskBytes: dirSize(b, dir)}
}

// BenchmarkIndex indexes the synthetic articles through folio (one writer
// for the run, as folio reindex; and one Shared write per batch, as a crawl
// or a catch-up) and through raw bleve, each in a child process, and
// reports documents per second, the child's peak RSS and the disk used per
// document.
func BenchmarkIndex(b *testing.B) {
	root := benchRoot(b)
	for _, side := range []string{sideRaw, sideFolio, sideShared} {
		b.Run(side, func(b *testing.B) {
			dir := filepath.Join(root, side+".bleve")
			var res built
			for b.Loop() {
				os.Remove(dir + ".done")
				res = buildInChild(b, side, dir, *benchDocs, *benchBatch)
			}
			if err := os.WriteFile(dir+".done", nil, 0o644); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(*benchDocs)/res.elapsed.Seconds(), "docs/s")
			b.ReportMetric(float64(res.maxRSS)/(1<<20), "peak-RSS-MB")
			b.ReportMetric(float64(res.diskBytes)/float64(*benchDocs), "disk-B/doc")
			b.ReportMetric(float64(segments(b, dir)), "segments")
		})
	}
}

// benchRoot is where the benchmarks build their indexes: -bench.dir, or a
// temporary directory.
func benchRoot(b *testing.B) string {
	if *benchDir == "" {
		return b.TempDir()
	}
	dir := filepath.Join(*benchDir, fmt.Sprintf("v%d-%d-docs", MappingVersion, *benchDocs))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	return dir
}

// ensureBuilt builds side's index under root unless an earlier run left a
// complete one there.
func ensureBuilt(b *testing.B, root, side string) string {
	dir := filepath.Join(root, side+".bleve")
	done := dir + ".done"
	if _, err := os.Stat(done); err == nil {
		return dir
	}
	buildInChild(b, side, dir, *benchDocs, *benchBatch)
	if err := os.WriteFile(done, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchQuery is one query of BenchmarkSearch, as folio and raw bleve get
// it.
type benchQuery struct {
	folio Query
	raw   string
}

// benchQueries returns the 1,000 queries of 1–2 words: half typed without
// accents (in lower case), half with a category or date filter. Raw bleve
// gets the words as written, with their accents, so that it matches as
// many documents as folio does.
func benchQueries(corpus *synthetic.Corpus) []benchQuery {
	texts := corpus.Queries(queryCount, querySeed)
	out := make([]benchQuery, len(texts))
	for i, text := range texts {
		q := Query{Text: text}
		if i%2 == 0 {
			q.Text = string(fold([]byte(strings.ToLower(text))))
		}
		switch i % 4 {
		case 1:
			q.Category = synthetic.Categories[i%len(synthetic.Categories)]
		case 3:
			q.Since = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		out[i] = benchQuery{folio: q, raw: text}
	}
	return out
}

// BenchmarkSearch runs the 1,000 queries of benchQueries with snippets on
// folio's index (as folio reindex and as crawls leave it), and as bleve
// match queries with its default highlighter on
// the raw index of the same articles; each iteration runs all of them,
// after a first pass that warms the caches. It reports p50 and p99
// latencies, and the mean number of matches.
func BenchmarkSearch(b *testing.B) {
	root := benchRoot(b)
	queries := benchQueries(synthetic.New(*benchDocs, corpusSeed))

	// folio: as folio reindex leaves it (one segment); folio_shared: as
	// crawls leave it, batch after batch.
	for _, side := range []string{sideFolio, sideShared} {
		dir := ensureBuilt(b, root, side)
		b.Run(side, func(b *testing.B) {
			ix, err := Open(dir, Options{ReadOnly: true})
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			run := func(q benchQuery) (uint64, error) {
				r, err := ix.Search(context.Background(), q.folio)
				return r.Total, err
			}
			measureQueries(b, queries, run)
		})
	}
	rawDir := ensureBuilt(b, root, sideRaw)
	b.Run("raw_bleve", func(b *testing.B) {
		raw, err := bleve.OpenUsing(rawDir, map[string]interface{}{"read_only": true})
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		run := func(q benchQuery) (uint64, error) {
			req := bleve.NewSearchRequest(bleve.NewMatchQuery(q.raw))
			req.Highlight = bleve.NewHighlight()
			req.Fields = []string{"url", "title", "published", "category"}
			r, err := raw.Search(req)
			if err != nil {
				return 0, err
			}
			return r.Total, nil
		}
		measureQueries(b, queries, run)
	})
}

func measureQueries(b *testing.B, queries []benchQuery, run func(benchQuery) (uint64, error)) {
	for _, q := range queries { // warm up
		if _, err := run(q); err != nil {
			b.Fatalf("query %+v: %v", q, err)
		}
	}
	var lat []time.Duration
	var matches uint64
	for b.Loop() {
		for _, q := range queries {
			start := time.Now()
			n, err := run(q)
			lat = append(lat, time.Since(start))
			if err != nil {
				b.Fatal(err)
			}
			matches += n
		}
	}
	reportLatency(b, lat)
	b.ReportMetric(float64(matches)/float64(len(lat)), "matches/query")
}

// BenchmarkOpenSearch measures what a fresh "folio search" pays besides
// starting: opening the index read-only, one search with snippets, closing.
func BenchmarkOpenSearch(b *testing.B) {
	dir := ensureBuilt(b, benchRoot(b), sideFolio)
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Search(context.Background(), Query{Text: "gouvernement europe"}); err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, lat)
}

// BenchmarkSharedWrite measures one Shared write of a batch of BatchSize
// new articles into an index of -bench.docs articles: opening the writer,
// indexing, the merges due, closing. A search during a crawl waits for at
// most one of these; -benchtime 100x adds 25,000 articles, which takes
// scorch's merges through two tiers (max-ms).
func BenchmarkSharedWrite(b *testing.B) {
	root := benchRoot(b)
	base := ensureBuilt(b, root, sideFolio)
	dir := filepath.Join(b.TempDir(), "index.bleve")
	if err := os.CopyFS(dir, os.DirFS(base)); err != nil {
		b.Fatal(err)
	}
	sh, err := OpenShared(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	extra := synthetic.New(*benchDocs+100*BatchSize, corpusSeed)
	next := *benchDocs
	var lat []time.Duration
	for b.Loop() {
		if next+BatchSize > extra.Len() {
			b.Fatal("out of articles: run fewer iterations")
		}
		docs := extra.Articles(next, next+BatchSize)
		next += BatchSize
		start := time.Now()
		err := sh.Write(context.Background(), func(ix *Index) error {
			return ix.IndexUpTo(context.Background(), docs, uint64(next))
		})
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, lat)
	b.ReportMetric(float64(slices.Max(lat).Nanoseconds())/1e6, "max-ms")
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e6
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// segments counts the segment files of a scorch index.
func segments(b *testing.B, dir string) int {
	zaps, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		b.Fatal(err)
	}
	return len(zaps)
}

func dirSize(b *testing.B, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}
