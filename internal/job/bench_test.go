//go:build linux

// BenchmarkEndToEnd reads peak RSS in kilobytes from getrusage, and the
// machine's CPU from /proc/stat, as Linux gives them.

package job

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/crawler"
	"folio/extract"
	"folio/index"
	"folio/internal/testrun"
	"folio/internal/testsite/wpsite"
)

// BenchmarkEndToEnd measures what `folio crawl` does with a site, against
// what the machine's cores could do. The fixture site (-bench.articles
// articles, pages padded to ~60 KB as real WordPress pages are, validators
// on) is served by the benchmark's process; each crawl runs in a child
// process (the test binary again), so that its peak RSS and CPU time are
// its own:
//
//	go test ./internal/job -run '^$' -bench EndToEnd -benchtime 1x -timeout 1h
//	go test ./internal/job -run '^$' -bench EndToEnd -benchtime 1x -timeout 3h -bench.articles 20000
//
// The children, in turn:
//
//  1. run: job.Run with a real archive and a real bleve index, politeness
//     off (delay 0, -bench.concurrency requests per host): pages/s and
//     peak RSS;
//  2. recrawl: job.Run again on the same data, the site unchanged: requests
//     and wall time against the first crawl;
//  3. crawl: the crawler alone, the archive as its State and a sink that
//     discards pages (it keeps their addresses);
//  4. stages: those pages fetched again and put through each later stage
//     in turn, on one goroutine, as job.Run does: extract.Extract, then
//     archive Put for the articles, then the index catch-up each time
//     DefaultIndexBatch records wait, and the compaction ending a run.
//
// Each stage's CPU time (user + system, from getrusage) divided by the
// pages handed on is its cost per page; the ideal is cores ÷ the sum of
// those costs, the pages/s of a pipeline that kept every core busy with
// nothing but its stages' work, and ratio = pages/s ÷ ideal. The site's own
// CPU per page (the benchmark process's CPU during child 3) is reported
// too, with the ideal and ratio that count it: on one machine the site
// takes its share of the same cores. So does anything else running on the
// machine: others-cores is the CPU the rest of the machine used during the
// first crawl (from /proc/stat), in cores; the figures hold when it is near
// 0, and ratio-free-cores is the ratio against the cores it left free.
//
// For the first crawl it also reports how the archive's single writer was
// used (archive.WriteStats): write transactions per page, the writer's
// occupancy (the share of the crawl's wall time during which it held a
// transaction), the share of it the writer waited for the write lock (held
// by the checkpointer while it truncates the log) and the time workers
// spent waiting for the archive's writes, per page. They predict what more
// cores would ask of the writer: at eight times the pages, an occupancy
// near 1/8 already saturates it.
//
// Two figures tell where a ratio under 1 comes from: run-idle-share, the
// share of the first crawl's processors that had no goroutine to run (the
// pipeline not fed: the crawl's start and end, waits), and
// run-gc-cpu-ms/page against stages-gc-cpu-ms/page, the garbage
// collector's CPU per page in the first crawl and in the stages (their
// fetching included), as the runtime estimates them (runtime/metrics; a
// stop of the world counts every processor).
//
// -bench.profile DIR makes each child write its CPU profile and execution
// trace there (first, recrawl, crawl and stages .cpu.pprof and .trace).
func BenchmarkEndToEnd(b *testing.B) {
	articles := *benchArticles
	site := wpsite.New(wpsite.Options{Articles: articles, Validators: true, PageBytes: 60_000})
	srv := httptest.NewServer(site)
	defer srv.Close()

	for b.Loop() {
		root := b.TempDir()
		spec := benchSpec{Base: srv.URL + "/", Concurrency: *benchConcurrency, Pages: filepath.Join(root, "pages.txt"), Profile: *benchProfile}

		site.ResetRequests()
		first := runBenchChild(b, spec.with("run", "first", filepath.Join(root, "data")))
		firstRequests := site.TotalRequests()
		site.ResetRequests()
		again := runBenchChild(b, spec.with("run", "recrawl", filepath.Join(root, "data")))
		againRequests := site.TotalRequests()
		crawl := runBenchChild(b, spec.with("crawl", "crawl", filepath.Join(root, "crawl")))
		stages := runBenchChild(b, spec.with("stages", "stages", filepath.Join(root, "stages")))

		if first.New != articles || first.Errors != 0 {
			b.Errorf("first crawl: %d new, %d errors; want %d and 0", first.New, first.Errors, articles)
		}
		if again.New+again.Changed != 0 || again.NotModified < articles {
			b.Errorf("recrawl: %d new, %d changed, %d not modified; want 0, 0, at least %d", again.New, again.Changed, again.NotModified, articles)
		}
		if firstRequests != first.Requests || againRequests != again.Requests {
			b.Errorf("the site answered %d and %d requests, the crawler counted %d and %d", firstRequests, againRequests, first.Requests, again.Requests)
		}
		// The crawls may differ by a few pages: which of two addresses of
		// one page is fetched first depends on timing, and so does how
		// far the trap guard follows a listing's pagination once the
		// sitemap has queued its articles (crawler.trapGuard: a listing
		// page with nothing new is barren).
		if d := crawl.Pages - first.Pages; max(d, -d) > first.Pages/25 || stages.Pages != crawl.Pages || stages.Articles != articles {
			b.Errorf("pages: run %d, crawl %d, stages %d (%d articles): the stages measured other pages", first.Pages, crawl.Pages, stages.Pages, stages.Articles)
		}

		pages := float64(crawl.Pages)
		perPage := func(d time.Duration) float64 { return d.Seconds() * 1000 / pages }
		stageMS := perPage(crawl.StageCPU) + perPage(stages.Extract) + perPage(stages.Archive) + perPage(stages.Index)
		serveMS := perPage(crawl.serveCPU)
		cores := float64(first.Cores)
		ideal := cores / stageMS * 1000
		idealWithSite := cores / (stageMS + serveMS) * 1000
		rate := float64(first.Pages) / first.Elapsed.Seconds()

		b.ReportMetric(float64(first.Pages), "pages")
		b.ReportMetric(rate, "pages/s")
		b.ReportMetric(ideal, "ideal-pages/s")
		b.ReportMetric(rate/ideal, "ratio")
		b.ReportMetric(idealWithSite, "ideal-with-site-pages/s")
		b.ReportMetric(rate/idealWithSite, "ratio-with-site")
		// On a shared machine, the ratio against the cores the rest of
		// the machine left free during the first crawl.
		if free := cores - first.othersCores; free > 0 {
			b.ReportMetric(rate/(ideal*free/cores), "ratio-free-cores")
		}
		b.ReportMetric(perPage(crawl.StageCPU), "crawl-cpu-ms/page")
		// The crawler alone, the archive as its State: what the crawl
		// state's writes cost a crawl that does nothing else.
		b.ReportMetric(pages/crawl.Elapsed.Seconds(), "crawl-pages/s")
		b.ReportMetric(perPage(stages.Extract), "extract-cpu-ms/page")
		b.ReportMetric(perPage(stages.Archive), "archive-cpu-ms/page")
		b.ReportMetric(perPage(stages.Index), "index-cpu-ms/page")
		b.ReportMetric(serveMS, "site-cpu-ms/page")
		b.ReportMetric(perPage(first.StageCPU), "run-cpu-ms/page")
		// What the first crawl left of its processors idle (no goroutine
		// to run: the pipeline not fed), as a share of them, and its
		// garbage collector's CPU.
		b.ReportMetric(first.Idle.Seconds()/(cores*first.Elapsed.Seconds()), "run-idle-share")
		b.ReportMetric(first.GC.Seconds()*1000/float64(first.Pages), "run-gc-cpu-ms/page")
		b.ReportMetric(perPage(stages.GC), "stages-gc-cpu-ms/page")
		// The archive's single writer during the first crawl: what eight
		// times the cores would ask of it (issue 14).
		firstPages := float64(first.Pages)
		b.ReportMetric(float64(first.Writes.Transactions)/firstPages, "write-tx/page")
		b.ReportMetric(first.Writes.Held.Seconds()/first.Elapsed.Seconds(), "writer-occupancy")
		b.ReportMetric(first.Writes.Waited.Seconds()*1000/firstPages, "archive-wait-ms/page")
		b.ReportMetric(first.Writes.BeginWait.Seconds()/first.Elapsed.Seconds(), "writer-lock-wait")
		b.ReportMetric(first.othersCores, "others-cores")
		b.ReportMetric(float64(first.maxRSS)/(1<<20), "peak-RSS-MB")
		b.ReportMetric(float64(first.Requests), "requests-first")
		b.ReportMetric(first.Elapsed.Seconds(), "s-first")
		b.ReportMetric(float64(again.Requests), "requests-recrawl")
		b.ReportMetric(again.Elapsed.Seconds(), "s-recrawl")
		b.ReportMetric(float64(again.maxRSS)/(1<<20), "recrawl-peak-RSS-MB")
	}
}

var (
	benchArticles    = flag.Int("bench.articles", 2000, "articles of the site BenchmarkEndToEnd crawls")
	benchConcurrency = flag.Int("bench.concurrency", 16, "requests per host in flight in BenchmarkEndToEnd")
	benchProfile     = flag.String("bench.profile", "", "directory where BenchmarkEndToEnd's child processes write their CPU profiles and execution traces")
)

const (
	benchChildEnv    = "FOLIO_JOB_BENCH_CHILD" // a benchSpec in JSON
	benchChildReport = "bench-child-report: "
)

func TestMain(m *testing.M) {
	if spec := os.Getenv(benchChildEnv); spec != "" {
		os.Exit(benchChild(spec))
	}
	if spec := os.Getenv(killChildEnv); spec != "" {
		os.Exit(killChild(spec))
	}
	testrun.AtLeastParallel(4)
	code := m.Run()
	if reextractTemplate.dir != "" {
		os.RemoveAll(reextractTemplate.dir)
	}
	os.Exit(code)
}

// benchSpec tells a child process what to do.
type benchSpec struct {
	Mode        string // run, crawl or stages
	Name        string // first, recrawl, crawl or stages
	Base        string // the site's address
	Dir         string // the data directory
	Concurrency int
	// Pages is the file where crawl writes the addresses of the pages it
	// handed on, and stages reads them.
	Pages string
	// Profile is a directory where the child writes its CPU profile and
	// execution trace, as Name.cpu.pprof and Name.trace.
	Profile string
}

func (s benchSpec) with(mode, name, dir string) benchSpec {
	s.Mode, s.Name, s.Dir = mode, name, dir
	return s
}

// benchReport is what a child process reports.
type benchReport struct {
	Cores int
	// Pages are the pages handed on; Articles those extracted as articles.
	Pages, Articles           int
	New, Changed, NotModified int
	Requests, Errors          int
	Elapsed                   time.Duration
	// StageCPU is the CPU time of run's job.Run or of crawl's crawler.Run.
	StageCPU time.Duration
	// Extract, Archive and Index are the stages' CPU times in stages.
	Extract, Archive, Index time.Duration
	// Writes is how run's crawl used the archive's writer.
	Writes archive.WriteStats
	// Idle is the time run's processors (GOMAXPROCS of them) had no
	// goroutine to run; GC the CPU time of the garbage collector, mark
	// workers on otherwise idle processors included (runtime/metrics).
	Idle, GC time.Duration

	// Measured by the parent: the child's peak RSS (bytes), and the
	// parent's own CPU time while the child ran, which is the site's.
	maxRSS   int64
	serveCPU time.Duration
	// othersCores is the CPU the rest of the machine used meanwhile
	// (other processes, and the hypervisor's steal), in cores.
	othersCores float64
}

func runBenchChild(b *testing.B, spec benchSpec) benchReport {
	b.Helper()
	js, _ := json.Marshal(spec)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchChildEnv+"="+string(js))
	cmd.Stderr = os.Stderr
	start, before, machineBefore := time.Now(), cpuTime(), machineBusy()
	out, err := cmd.Output()
	wall, serve, machine := time.Since(start), cpuTime()-before, machineBusy()-machineBefore
	if err != nil {
		b.Fatalf("%s child: %v", spec.Mode, err)
	}
	var rep benchReport
	found := false
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, benchChildReport); ok {
			if err := json.Unmarshal([]byte(rest), &rep); err != nil {
				b.Fatalf("%s child report %q: %v", spec.Mode, rest, err)
			}
			found = true
		}
	}
	if !found {
		b.Fatalf("%s child reported nothing: %q", spec.Mode, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		b.Fatal("no rusage for the child process")
	}
	rep.maxRSS = ru.Maxrss * 1024
	rep.serveCPU = serve
	child := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	rep.othersCores = max(machine-child-serve, 0).Seconds() / wall.Seconds()
	return rep
}

// machineBusy is the CPU time the whole machine has spent on anything but
// idling (steal included), from /proc/stat; 0 where there is none.
func machineBusy() time.Duration {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(data), "\n")
	fields := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0
	}
	var ticks int64
	for i, f := range fields[1:9] {
		if i == 3 || i == 4 { // idle, iowait
			continue
		}
		n, _ := strconv.ParseInt(f, 10, 64)
		ticks += n
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ
}

// cpuTime is the CPU time this process has used, user and system, on
// every thread.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchChild(specJSON string) int {
	var spec benchSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil {
		fmt.Fprintf(os.Stderr, "bad %s: %v\n", benchChildEnv, err)
		return 2
	}
	site := SiteFor(spec.Base)
	site.Crawl.Concurrency = spec.Concurrency
	zero := time.Duration(0)
	site.Crawl.Delay = &zero
	site = site.WithDefaults()

	if spec.Profile != "" {
		stop, err := startProfiles(spec.Profile, spec.Name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", spec.Name, err)
			return 1
		}
		defer stop()
	}
	var rep benchReport
	var err error
	switch spec.Mode {
	case "run":
		rep, err = benchRun(spec, site)
	case "crawl":
		rep, err = benchCrawl(spec, site)
	case "stages":
		rep, err = benchStages(spec, site)
	default:
		err = fmt.Errorf("unknown mode %q", spec.Mode)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", spec.Mode, err)
		return 1
	}
	rep.Cores = runtime.GOMAXPROCS(0)
	js, _ := json.Marshal(rep)
	fmt.Printf("%s%s\n", benchChildReport, js)
	return 0
}

// openBenchStores opens the archive and the index of dir, as folio crawl
// does.
func openBenchStores(dir string) (*archive.Store, *index.Shared, error) {
	st, err := archive.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	ix, err := index.OpenShared(filepath.Join(dir, "index.bleve"), index.Options{})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, ix, nil
}

// benchRun is `folio crawl`: job.Run into the archive and index of
// spec.Dir.
func benchRun(spec benchSpec, site Site) (benchReport, error) {
	st, ix, err := openBenchStores(spec.Dir)
	if err != nil {
		return benchReport{}, err
	}
	defer st.Close()
	defer ix.Close()
	before, writes, classes := cpuTime(), st.WriteStats(), cpuClasses()
	sum, err := Run(context.Background(), site, Deps{Archive: st, Index: ix}, RunOptions{}, nil)
	if err != nil {
		return benchReport{}, err
	}
	after, classesAfter := st.WriteStats(), cpuClasses()
	return benchReport{
		Pages: sum.Crawl.Pages, Articles: sum.Articles(), New: sum.New, Changed: sum.Changed,
		NotModified: sum.Crawl.NotModified, Requests: sum.Crawl.Requests, Errors: sum.Errors,
		Elapsed: sum.Elapsed, StageCPU: cpuTime() - before,
		Writes: archive.WriteStats{
			Transactions: after.Transactions - writes.Transactions,
			Held:         after.Held - writes.Held,
			Waited:       after.Waited - writes.Waited,
			BeginWait:    after.BeginWait - writes.BeginWait,
		},
		Idle: classesAfter.idle - classes.idle,
		GC:   classesAfter.gc - classes.gc,
	}, nil
}

// goCPU is what the runtime tells of its processors' time.
type goCPU struct{ idle, gc time.Duration }

// cpuClasses reads the runtime's estimates of the processors' idle time
// and of the garbage collector's CPU time so far.
func cpuClasses() goCPU {
	samples := []metrics.Sample{{Name: "/cpu/classes/idle:cpu-seconds"}, {Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(samples)
	seconds := func(s metrics.Sample) time.Duration {
		if s.Value.Kind() != metrics.KindFloat64 {
			return 0
		}
		return time.Duration(s.Value.Float64() * float64(time.Second))
	}
	return goCPU{idle: seconds(samples[0]), gc: seconds(samples[1])}
}

// startProfiles writes a CPU profile and an execution trace into dir
// until stop is called.
func startProfiles(dir, name string) (stop func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cpu, err := os.Create(filepath.Join(dir, name+".cpu.pprof"))
	if err != nil {
		return nil, err
	}
	tr, err := os.Create(filepath.Join(dir, name+".trace"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		return nil, err
	}
	if err := trace.Start(tr); err != nil {
		return nil, err
	}
	return func() {
		trace.Stop()
		pprof.StopCPUProfile()
		tr.Close()
		cpu.Close()
	}, nil
}

// benchCrawl is the crawler alone, with the archive of spec.Dir as its
// State, handing its pages to a sink that keeps only their addresses,
// which it writes to spec.Pages once the crawl is over.
func benchCrawl(spec benchSpec, site Site) (benchReport, error) {
	st, err := archive.Open(spec.Dir)
	if err != nil {
		return benchReport{}, err
	}
	defer st.Close()
	c, err := crawler.New(site.Crawl, st, nil)
	if err != nil {
		return benchReport{}, err
	}
	var mu sync.Mutex
	var pages []string
	before := cpuTime()
	stats, err := c.Run(context.Background(), site.StartURLs, func(p folio.Page) {
		if p.Body == nil {
			return // an alias: no page to extract
		}
		mu.Lock()
		pages = append(pages, p.URL)
		mu.Unlock()
	})
	cpu := cpuTime() - before
	if err != nil {
		return benchReport{}, err
	}
	if err := os.WriteFile(spec.Pages, []byte(strings.Join(pages, "\n")+"\n"), 0o644); err != nil {
		return benchReport{}, err
	}
	return benchReport{Pages: len(pages), Requests: stats.Requests, Errors: stats.Errors, Elapsed: stats.Elapsed, StageCPU: cpu}, nil
}

// benchStages fetches again, a chunk at a time, the pages benchCrawl
// handed on, and puts each chunk through extraction, the archive and the
// index as job.Run does, timing each stage's CPU apart. The fetching is not
// timed.
func benchStages(spec benchSpec, site Site) (benchReport, error) {
	ctx := context.Background()
	f, err := os.Open(spec.Pages)
	if err != nil {
		return benchReport{}, err
	}
	defer f.Close()
	var urls []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			urls = append(urls, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return benchReport{}, err
	}
	st, ix, err := openBenchStores(spec.Dir)
	if err != nil {
		return benchReport{}, err
	}
	defer st.Close()
	defer ix.Close()
	rules := site.Rules
	quiet := extract.WithLogger(slog.New(slog.DiscardHandler))

	var rep benchReport
	classes := cpuClasses()
	timed := func(total *time.Duration, f func() error) error {
		before := cpuTime()
		err := f()
		*total += cpuTime() - before
		return err
	}
	catchUp := func() error {
		return timed(&rep.Index, func() error {
			_, err := SyncIndex(ctx, st, ix, DefaultIndexBatch, nil)
			return err
		})
	}
	unindexed := 0
	const chunk = 100
	for from := 0; from < len(urls); from += chunk {
		pages, err := fetchPages(urls[from:min(from+chunk, len(urls))])
		if err != nil {
			return rep, err
		}
		rep.Pages += len(pages)
		arts := make([]folio.Article, len(pages))
		isArticle := make([]bool, len(pages))
		err = timed(&rep.Extract, func() error {
			for i, p := range pages {
				a, err := extract.Extract(p, rules, quiet)
				switch {
				case errors.Is(err, extract.ErrNotArticle):
				case err != nil:
					return fmt.Errorf("extract %s: %w", p.URL, err)
				default:
					arts[i], isArticle[i] = a, true
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		for i, p := range pages {
			if !isArticle[i] {
				continue
			}
			rep.Articles++
			if err := timed(&rep.Archive, func() error { _, err := st.Put(ctx, arts[i], p); return err }); err != nil {
				return rep, err
			}
			if unindexed++; unindexed >= DefaultIndexBatch {
				if err := catchUp(); err != nil {
					return rep, err
				}
				unindexed = 0
			}
		}
	}
	if err := catchUp(); err != nil {
		return rep, err
	}
	// A run ends by compacting the index its batches left.
	err = timed(&rep.Index, func() error {
		_, err := CompactIndex(ctx, ix, compactAbove)
		return err
	})
	// The fetching is the garbage collector's too.
	rep.GC = cpuClasses().gc - classes.gc
	return rep, err
}

// fetchPages fetches urls as the crawler hands them on: the body of a 200
// answer and its headers (the fixture site's pages are UTF-8 already).
func fetchPages(urls []string) ([]folio.Page, error) {
	pages := make([]folio.Page, 0, len(urls))
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", u, err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("fetch %s: status %d", u, resp.StatusCode)
		}
		pages = append(pages, folio.Page{URL: u, RequestedURL: u, Status: resp.StatusCode, Header: resp.Header, Body: body, FetchedAt: time.Now()})
	}
	return pages, nil
}
