package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/internal/pgtest"
)

// TestFollowNode: a search node (folio follow, a process of its own)
// follows a PostgreSQL archive that a crawl in another process writes to:
// it has indexed each commit that stored records, soon after it, by
// notification alone (its periodic look is an hour away; the log says how
// soon, 50 ms or so on an idle machine), and folio
// search on its data directory finds the crawl's articles.
func TestFollowNode(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	pgURL := pgtest.Schema(t)
	_, base := startSite(t, 60)
	work := t.TempDir()
	node, crawlData := filepath.Join(work, "node"), filepath.Join(work, "crawl")

	st, err := archive.Open(pgURL) // the archive exists before the node starts
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	watcher, err := archive.OpenReadOnly(pgURL)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close()

	type event struct {
		seq int64
		at  time.Time
	}
	var (
		mu               sync.Mutex
		commits, indexed []event
	)
	listening := make(chan struct{})
	go watcher.Watch(ctx, func(seq int64) {
		if seq == 0 {
			select {
			case <-listening:
			default:
				close(listening)
			}
			return
		}
		mu.Lock()
		commits = append(commits, event{seq, time.Now()})
		mu.Unlock()
	})
	<-listening

	cmd := exec.Command(bin, "--data", node, "--archive", pgURL, "--log-format", "json", "follow", "--interval", "1h")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	lines := make(chan struct{})
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "folio: following") {
				close(started)
				continue
			}
			var rec struct {
				Msg string `json:"msg"`
				Seq int64  `json:"seq"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "index caught up" {
				mu.Lock()
				indexed = append(indexed, event{rec.Seq, time.Now()})
				mu.Unlock()
			} else {
				t.Logf("node: %s", line)
			}
		}
	}()
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the node did not start")
	}
	time.Sleep(200 * time.Millisecond) // listening

	// A polite crawl, so that it commits many times.
	r := runFolio(t, bin, work, "--data", crawlData, "--archive", pgURL, "crawl", "--concurrency", "2", "--delay", "20ms", base)
	if r.code != 0 || !strings.Contains(r.stdout, "60 new") {
		t.Fatalf("crawl: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	// The node's periodic check comes once an hour: whatever it indexes
	// within the test was woken by the archive's NOTIFY. Wait for the
	// last commit to be indexed, however loaded the machine.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		mu.Lock()
		caughtUp := len(commits) > 0 && len(indexed) > 0 && indexed[len(indexed)-1].seq >= commits[len(commits)-1].seq
		mu.Unlock()
		if caughtUp {
			break
		}
	}

	mu.Lock()
	if len(commits) < 5 {
		t.Errorf("%d commits stored records, want several", len(commits))
	}
	var slowest time.Duration
	for _, c := range commits {
		i := 0
		for i < len(indexed) && indexed[i].seq < c.seq {
			i++
		}
		switch {
		case i == len(indexed):
			t.Errorf("the node never indexed seq %d", c.seq)
		case indexed[i].at.Sub(c.at) > 30*time.Second:
			// Far below the hour of the periodic check: only a NOTIFY
			// can have woken the node this soon.
			t.Errorf("the node indexed seq %d %v after its commit", c.seq, indexed[i].at.Sub(c.at))
		default:
			slowest = max(slowest, indexed[i].at.Sub(c.at))
		}
	}
	t.Logf("%d commits, %d catch-ups of the node, each commit indexed within %v", len(commits), len(indexed), slowest)
	mu.Unlock()

	s := runFolio(t, bin, work, "--data", node, "--archive", pgURL, "search", "--json", "corée")
	if s.code != 0 || !strings.Contains(s.stdout, `"total":`) || strings.Contains(s.stdout, `"total":0`) {
		t.Errorf("search on the node: exit %d\n%s\n%s", s.code, s.stdout, s.stderr)
	}

	// folio serve on the node's data directory finds the crawl, and a
	// record archived later by yet another process within a few seconds
	// (the node indexes it, the server lets go of its index for that and
	// opens it again).
	srv := exec.Command(bin, "--data", node, "--archive", pgURL, "serve", "--addr", "127.0.0.1:0")
	srvErr, err := srv.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	sc := bufio.NewScanner(srvErr)
	addr := ""
	serving := regexp.MustCompile(`serving .* on (http://127\.0\.0\.1:\d+/)`)
	for addr == "" && sc.Scan() {
		if m := serving.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatal("serve never said where it listens")
	}
	go io.Copy(io.Discard, srvErr)
	if total := searchTotal(t, addr); total != 60 {
		t.Errorf("serve on the node finds %d records, want 60", total)
	}
	w, err := archive.Open(pgURL)
	if err != nil {
		t.Fatal(err)
	}
	late := "https://ailleurs.example/2024/05/01/un-article-tardif/"
	_, err = w.Put(ctx, folio.Article{URL: late, Title: "Un article tardif", Body: "Archivé après le crawl."}, folio.Page{URL: late})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for searchTotal(t, addr) != 61 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if total := searchTotal(t, addr); total != 61 {
		t.Errorf("serve on the node finds %d records 5 s after one more was archived, want 61", total)
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-lines
	if err := cmd.Wait(); err != nil {
		t.Errorf("the node after SIGINT: %v", err)
	}
}
