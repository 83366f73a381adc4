package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"folio/index"
	"folio/internal/datadir"
	"folio/internal/synthetic"
)

// BenchmarkServeProcess drives `folio serve`'s /api/search over loopback
// from this process, with serveClients clients at once, on the archive of
// BenchmarkSearchProcess (100,000 articles), and compares its requests per
// second with folio's in-process search throughput on the same queries
// and concurrency: the index opened once, index.Search called directly.
// It reports both rates, their ratio, the latency percentiles of the HTTP
// requests and the server's peak RSS; and the processor time of a search
// and of a request (server and client together) with their ratio, which
// holds on a machine other work shares, where the rates' ratio does not.
func BenchmarkServeProcess(b *testing.B) {
	if os.Getenv("FOLIO_BENCH_SERVE") == "" {
		b.Skip("set FOLIO_BENCH_SERVE=1: builds a data directory of 100,000 articles (minutes, about 2 GB of disk)")
	}
	bin := buildFolio(b)
	corpus := synthetic.New(benchSearchDocs(b), 1)
	data := benchSearchData(b, bin, corpus)
	queries := corpus.Queries(200, 7)
	const requests = 4000

	srv := startServe(b, bin, data)
	defer srv.stop(b)
	ix, err := index.Open(datadir.IndexDir(data), index.Options{ReadOnly: true, LockWait: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	// Both warm (the index's files in the page cache, bleve's caches
	// filled) before anything is timed.
	inProcessQPS(b, ix, queries, len(queries))
	serveRPS(b, srv.addr, queries, len(queries))

	var inProc, served []float64
	var latencies []time.Duration
	var inProcCPU, serveCPU time.Duration
	for b.Loop() {
		self := processCPU(b, os.Getpid())
		inProc = append(inProc, inProcessQPS(b, ix, queries, requests))
		self2, server := processCPU(b, os.Getpid()), processCPU(b, srv.cmd.Process.Pid)
		inProcCPU += self2 - self
		rps, lat := serveRPS(b, srv.addr, queries, requests)
		serveCPU += processCPU(b, os.Getpid()) - self2 + processCPU(b, srv.cmd.Process.Pid) - server
		served = append(served, rps)
		latencies = append(latencies, lat...)
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	med := func(v []float64) float64 { slices.Sort(v); return v[len(v)/2] }
	b.ReportMetric(med(inProc), "inproc-qps")
	b.ReportMetric(med(served), "serve-rps")
	b.ReportMetric(med(served)/med(inProc), "ratio")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(srv.peakRSS(b))/(1<<20), "peak-rss-MB")
	// The processor time of a search and of a request (the server's and
	// the client's): their ratio is what the rates' would be on two idle
	// cores, and holds when other work shares the machine, where the
	// server and its client, two processes, get more of the cores than
	// one process searching.
	perCall := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N*requests) }
	b.ReportMetric(perCall(inProcCPU), "inproc-cpu-us")
	b.ReportMetric(perCall(serveCPU), "serve-cpu-us")
	b.ReportMetric(float64(inProcCPU)/float64(serveCPU), "cpu-ratio")
}

// processCPU is the processor time (user and system) the process pid has
// used so far, as /proc/PID/stat counts it in clock ticks.
func processCPU(b *testing.B, pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command (which may hold spaces), from the 3rd:
	// utime and stime are the 14th and 15th.
	_, rest, ok := strings.Cut(string(stat), ") ")
	fields := strings.Fields(rest)
	if !ok || len(fields) < 13 {
		b.Fatalf("/proc/%d/stat: %q", pid, stat)
	}
	var ticks int64
	for _, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			b.Fatalf("/proc/%d/stat: %q: %v", pid, f, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks
}

// clockTicks is the kernel's USER_HZ, the unit of /proc/PID/stat's times:
// 100 on every Linux architecture Go runs on.
const clockTicks = 100

// serveClients is the number of clients at once, as the target
// (p99 under 50 ms at 50 clients) sets it.
const serveClients = 50

// inProcessQPS runs the queries through one index opened read-only, from
// serveClients goroutines, and returns the searches per second.
func inProcessQPS(b *testing.B, ix *index.Index, queries []string, n int) float64 {
	return fanOut(n, func(i int) {
		if _, err := ix.Search(context.Background(), index.Query{Text: queries[i%len(queries)]}); err != nil {
			b.Error(err)
		}
	})
}

// serveRPS asks /api/search the same queries from serveClients clients and
// returns the requests per second and each request's latency.
func serveRPS(b *testing.B, addr string, queries []string, n int) (float64, []time.Duration) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: serveClients}}
	lat := make([]time.Duration, n)
	rps := fanOut(n, func(i int) {
		started := time.Now()
		resp, err := client.Get(addr + "api/search?q=" + url.QueryEscape(queries[i%len(queries)]))
		if err != nil {
			b.Error(err)
			return
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Errorf("GET /api/search: %d %v", resp.StatusCode, err)
		}
		lat[i] = time.Since(started)
	})
	return rps, lat
}

// fanOut calls do for 0..n-1 from serveClients goroutines and returns the
// calls per second.
func fanOut(n int, do func(i int)) float64 {
	var next atomic.Int64
	var wg sync.WaitGroup
	started := time.Now()
	for range serveClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				do(i)
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(started).Seconds()
}

// servedFolio is a `folio serve` child process.
type servedFolio struct {
	cmd  *exec.Cmd
	addr string
}

func startServe(b *testing.B, bin, data string) *servedFolio {
	b.Helper()
	cmd := exec.Command(bin, "--data", data, "--log-level", "warn", "serve", "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	listening := regexp.MustCompile(`serving .* on (http://127\.0\.0\.1:\d+/)`)
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			go io.Copy(io.Discard, stderr)
			return &servedFolio{cmd: cmd, addr: m[1]}
		}
	}
	cmd.Process.Kill()
	b.Fatalf("folio serve never said where it listens: %v", lines.Err())
	return nil
}

// peakRSS is the server's peak resident set (VmHWM), in bytes.
func (s *servedFolio) peakRSS(b *testing.B) int64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/PID/status")
	return 0
}

func (s *servedFolio) stop(b *testing.B) {
	s.cmd.Process.Signal(syscall.SIGINT)
	if err := s.cmd.Wait(); err != nil {
		b.Errorf("folio serve after an interrupt: %v", err)
	}
}
