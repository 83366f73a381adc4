package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/internal/testsite/wpsite"
)

// TestInterruptedCrawls stops the built binary in the middle of a crawl of
// a slow site, by SIGKILL and by SIGINT, starts it again, and holds the
// archive to an uninterrupted crawl of the same site: same articles, same
// content, each stored once, none fetched again once stored.
func TestInterruptedCrawls(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	work := t.TempDir()
	const articles = 60
	siteOpts := wpsite.Options{Articles: articles, Validators: true}

	// What an uninterrupted crawl archives: URL paths and content hashes.
	quick := httptest.NewServer(wpsite.New(siteOpts))
	defer quick.Close()
	ref := filepath.Join(work, "ref")
	if r := runWithin(t, time.Minute, bin, work, crawlArgs(ref, quick.URL)...); r.code != 0 {
		t.Fatalf("reference crawl: exit %d\n%s", r.code, r.stderr)
	}
	want := archived(t, ref, quick.URL)
	if len(want) != articles {
		t.Fatalf("reference crawl archived %d articles, want %d", len(want), articles)
	}

	// The slow site takes a few seconds to crawl, so that a signal falls
	// in the middle.
	slowOpts := siteOpts
	slowOpts.Latency = 50 * time.Millisecond

	t.Run("SIGKILL", func(t *testing.T) {
		t.Parallel()
		site := wpsite.New(slowOpts)
		srv := httptest.NewServer(site)
		defer srv.Close()
		data := filepath.Join(work, "killed")
		cmd, _, _ := startFolio(t, bin, work, crawlArgs(data, srv.URL)...)
		waitForRecords(t, data, 15)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		waitExit(t, cmd, 10*time.Second)
		before := archived(t, data, srv.URL)
		if len(before) >= articles {
			t.Fatalf("the crawl archived all %d articles before it was killed: make the site slower", len(before))
		}

		r := runWithin(t, time.Minute, bin, work, crawlArgs(data, srv.URL)...)
		if r.code != 0 || !strings.Contains(r.stderr, "resuming crawl") {
			t.Fatalf("resumed crawl: exit %d, want 0 and a resumed crawl\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		checkSameArchive(t, data, srv.URL, want)
		// Records archived but not yet indexed when the process died are
		// indexed by the next run.
		if n := len(searchAll(t, bin, work, data)); n != articles {
			t.Errorf("search finds %d records after the resumed run, want %d", n, articles)
		}
		for path := range before {
			if n := site.Answered(path, http.StatusOK); n != 1 {
				t.Errorf("%s, archived before the kill, was sent %d times over both runs", path, n)
			}
		}
		t.Logf("killed after %d of %d articles; the resumed run:\n%s", len(before), articles, r.stdout)
	})

	t.Run("SIGINT", func(t *testing.T) {
		t.Parallel()
		site := wpsite.New(slowOpts)
		srv := httptest.NewServer(site)
		defer srv.Close()
		data := filepath.Join(work, "interrupted")
		cmd, stdout, stderr := startFolio(t, bin, work, crawlArgs(data, srv.URL)...)
		waitForRecords(t, data, 15)
		stopped := time.Now()
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		err := waitExit(t, cmd, 15*time.Second)
		took := time.Since(stopped)
		if took > 5*time.Second {
			t.Errorf("folio took %s to stop after SIGINT", took)
		}
		if code := cmd.ProcessState.ExitCode(); code != 1 {
			t.Errorf("exit %d (%v) after SIGINT, want 1\nstderr: %s", code, err, stderr)
		}
		if !strings.Contains(stdout.String(), "stopped (resumable") || !strings.Contains(stdout.String(), "articles:") {
			t.Errorf("no summary after SIGINT:\n%s", stdout)
		}
		// Pages in flight were finished and stored: every article the
		// site sent is in the archive, and in the index.
		got := archived(t, data, srv.URL)
		if len(got) >= articles {
			t.Fatalf("the crawl archived all %d articles before SIGINT: make the site slower", len(got))
		}
		for _, path := range site.ArticlePaths() {
			if _, ok := got[path]; site.Answered(path, http.StatusOK) > 0 && !ok {
				t.Errorf("%s was sent before the stop but not archived", path)
			}
		}
		indexed := searchAll(t, bin, work, data)
		for path := range got {
			if !indexed[srv.URL+path] {
				t.Errorf("archived %s is not found by a search", path)
			}
		}
		if len(indexed) != len(got) {
			t.Errorf("search finds %d records, the archive holds %d", len(indexed), len(got))
		}

		r := runWithin(t, time.Minute, bin, work, crawlArgs(data, srv.URL)...)
		if r.code != 0 {
			t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
		}
		checkSameArchive(t, data, srv.URL, want)
		for path := range got {
			if n := site.Answered(path, http.StatusOK); n != 1 {
				t.Errorf("%s, archived before the stop, was sent %d times over both runs", path, n)
			}
		}
		if n := len(searchAll(t, bin, work, data)); n != articles {
			t.Errorf("search finds %d records after the second run, want %d", n, articles)
		}
		t.Logf("stopped %s after SIGINT with %d of %d articles archived", took.Round(time.Millisecond), len(got), articles)
	})
}

func crawlArgs(data, base string) []string {
	return []string{"--data", data, "crawl", "--concurrency", "2", "--delay", "0", base + "/"}
}

// startFolio starts the binary without waiting for it.
func startFolio(t *testing.T, bin, dir string, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	return cmd, &stdout, &stderr
}

// waitExit waits for cmd to exit. One still running after limit is made
// to print its goroutines (SIGQUIT), then killed, and the test fails with
// what it printed.
func waitExit(t *testing.T, cmd *exec.Cmd, limit time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		stderr := ""
		if b, ok := cmd.Stderr.(*bytes.Buffer); ok {
			stderr = b.String()
		}
		t.Fatalf("%v still running after %s; its stderr:\n%s", cmd.Args, limit, stderr)
		return nil
	}
}

// runWithin runs the binary to its end, within limit (see waitExit).
func runWithin(t *testing.T, limit time.Duration, bin, dir string, args ...string) cliResult {
	t.Helper()
	cmd, stdout, stderr := startFolio(t, bin, dir, args...)
	waitExit(t, cmd, limit)
	return cliResult{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
}

// waitForRecords polls the archive a crawl is writing until it holds n
// records.
func waitForRecords(t *testing.T, data string, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(data, archive.FileName)); err == nil {
			st, err := archive.OpenReadOnly(data)
			if err == nil {
				count, err := st.Count(context.Background())
				st.Close()
				if err == nil && count >= n {
					return
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the archive in %s never held %d records", data, n)
}

// archived returns the content hash of every record of the archive in data,
// by URL path on the site at base; it fails on a record stored twice or
// with more than one revision.
func archived(t *testing.T, data, base string) map[string]string {
	t.Helper()
	st, err := archive.OpenReadOnly(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	out := map[string]string{}
	err = st.Iterate(ctx, archive.IterateOptions{}, func(a folio.Article) error {
		path, ok := strings.CutPrefix(a.URL, base)
		if !ok {
			t.Errorf("record of another site: %s", a.URL)
		}
		if _, dup := out[path]; dup {
			t.Errorf("%s archived twice", path)
		}
		out[path] = a.ContentHash
		revs, err := st.Revisions(ctx, a.ID)
		if err != nil {
			return err
		}
		if len(revs) != 1 {
			t.Errorf("%s has %d revisions, want 1", path, len(revs))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkSameArchive(t *testing.T, data, base string, want map[string]string) {
	t.Helper()
	got := archived(t, data, base)
	for path, hash := range want {
		if got[path] != hash {
			t.Errorf("%s: content hash %q, an uninterrupted crawl gives %q", path, got[path], hash)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("%s archived, not by an uninterrupted crawl", path)
		}
	}
}

// searchAll lists, through `folio search`, every record the index holds,
// by URL.
func searchAll(t *testing.T, bin, dir, data string) map[string]bool {
	t.Helper()
	r := runWithin(t, time.Minute, bin, dir, "--data", data, "search", "--format", "jsonl", "--limit", "1000")
	if r.code != 0 {
		t.Fatalf("search: exit %d\n%s", r.code, r.stderr)
	}
	out := map[string]bool{}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	for dec.More() {
		var h struct {
			URL string `json:"url"`
		}
		if err := dec.Decode(&h); err != nil {
			t.Fatalf("search output: %v\n%s", err, r.stdout)
		}
		out[h.URL] = true
	}
	return out
}
