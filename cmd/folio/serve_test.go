package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"folio"
	"folio/index"
)

func TestCheckServeAddr(t *testing.T) {
	tests := []struct {
		opts serveOptions
		ok   bool
	}{
		{serveOptions{addr: "127.0.0.1:8080"}, true},
		{serveOptions{addr: "localhost:8080"}, true},
		{serveOptions{addr: "[::1]:8080"}, true},
		{serveOptions{addr: "127.0.0.2:0"}, true},
		{serveOptions{addr: "0.0.0.0:8080"}, false},
		{serveOptions{addr: ":8080"}, false},
		{serveOptions{addr: "192.0.2.10:8080"}, false},
		{serveOptions{addr: "example.org:8080"}, false},
		{serveOptions{addr: "0.0.0.0:8080", token: "t"}, true},
		{serveOptions{addr: ":8080", insecurePublic: true}, true},
		{serveOptions{addr: "8080"}, false},
	}
	for _, tt := range tests {
		err := checkServeAddr(tt.opts)
		if (err == nil) != tt.ok || err != nil && exitCode(err) != 2 {
			t.Errorf("checkServeAddr(%+v) = %v; want ok %v (or a usage error)", tt.opts, err, tt.ok)
		}
	}
	err := checkServeAddr(serveOptions{addr: "0.0.0.0:8080"})
	if err == nil || !strings.Contains(err.Error(), "--token") || !strings.Contains(err.Error(), "--insecure-public") {
		t.Errorf("a public address without a token: %v; want the two ways out named", err)
	}
}

// TestServeBinary runs `folio serve` on a crawled archive as a user would:
// it says where it listens, answers the API and the pages, and stops on
// an interrupt with exit status 0.
func TestServeBinary(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	env, site, base := sharedCrawl(t, 30)
	truth := site.Expected(strings.TrimSuffix(base, "/"))

	cmd := exec.Command(bin, "--config", env.configFile, "--data", env.dataDir, "serve", "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	addr := ""
	listening := regexp.MustCompile(`serving .* on (http://127\.0\.0\.1:\d+/)`)
	for addr == "" && lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("serve never said where it listens (%v)", lines.Err())
	}
	rest := make(chan string)
	go func() {
		b, _ := io.ReadAll(stderr)
		rest <- string(b)
	}()

	a := truth[3]
	resp, err := http.Get(addr + "api/articles?url=" + url.QueryEscape(a.URL+"?utm_source=x"))
	if err != nil {
		t.Fatal(err)
	}
	var got folio.Article
	err = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()
	if err != nil || got.Title != a.Title {
		t.Errorf("the record by URL: %v, title %q; want %q", err, got.Title, a.Title)
	}
	if total := searchTotal(t, addr); total != 30 {
		t.Errorf("the server finds %d records, want 30", total)
	}
	resp, err = http.Get(addr + "api/search?q=" + url.QueryEscape(a.Phrase))
	if err != nil {
		t.Fatal(err)
	}
	var res index.Response
	err = json.NewDecoder(resp.Body).Decode(&res)
	resp.Body.Close()
	if err != nil || len(res.Hits) == 0 || res.Hits[0].URL != a.URL {
		t.Errorf("search %q: %v %+v; want %s first", a.Phrase, err, res.Hits, a.URL)
	}
	resp, err = http.Get(addr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("the start page: %d, CSP %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}

	// A crawl writes the data directory while the server holds its index:
	// the server lets go of it, the crawl indexes, and the next search
	// sees the new records.
	_, other := startSite(t, 12)
	if r := runFolio(t, bin, t.TempDir(), "--config", env.configFile, "--data", env.dataDir, "crawl", "--concurrency", "8", "--delay", "0", other); r.code != 0 {
		t.Fatalf("crawl while serving: exit %d\n%s", r.code, r.stderr)
	}
	if total := searchTotal(t, addr); total != 42 {
		t.Errorf("after a crawl of 12 more articles the server finds %d records, want 42", total)
	}

	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after an interrupt: %v, want exit 0\n%s", err, <-rest)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop within 10 s of an interrupt")
	}
}

// TestServeRefusesPublicWithoutToken: the check runs before anything is
// opened, with a usage error.
func TestServeRefusesPublicWithoutToken(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	work := t.TempDir()
	r := runFolio(t, bin, work, "--data", work+"/d", "serve", "--addr", "0.0.0.0:0")
	if r.code != 2 || !strings.Contains(r.stderr, "--token") || !strings.Contains(r.stderr, "Run 'folio serve --help'") {
		t.Errorf("exit %d, stderr %q; want 2 and the way out", r.code, r.stderr)
	}
}

// searchTotal is the number of records a served archive holds, as its
// search API counts them.
func searchTotal(t *testing.T, addr string) uint64 {
	t.Helper()
	resp, err := http.Get(addr + "api/search")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res index.Response
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// TestProbeEvery: the writer probe runs at most once an interval, and a
// writer that comes is seen once it has passed.
func TestProbeEvery(t *testing.T) {
	var probes int
	writer := false
	probe := func() bool { probes++; return writer }

	busy := probeEvery(time.Hour, probe)
	if busy() || busy() || probes != 1 {
		t.Fatalf("two calls within the interval: %d probes, want 1 (and not busy)", probes)
	}
	writer = true
	if busy() || probes != 1 {
		t.Errorf("a writer probed for within the interval (%d probes): want the last answer kept", probes)
	}

	probes, writer = 0, false
	busy = probeEvery(time.Millisecond, probe)
	if busy() {
		t.Fatal("busy with no writer")
	}
	writer = true
	time.Sleep(10 * time.Millisecond)
	if !busy() || probes != 2 {
		t.Errorf("after the interval: %d probes, want a writer seen by a second probe", probes)
	}
}
