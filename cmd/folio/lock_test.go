package main

import (
	"context"
	"fmt"
	"folio/internal/datadir"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWriterLockContention: while one writer holds the data directory,
// every other writer is refused with the holder's pid and command (exit 1),
// the scheduler skips its turn, and the readers work.
func TestWriterLockContention(t *testing.T) {
	t.Parallel()
	site, base := startSite(t, 6)
	article := site.Expected(strings.TrimSuffix(base, "/"))[0].URL
	env := newTestEnv(t)
	ctx := context.Background()
	if err := runCrawl(ctx, localCrawl(), env.g(), []string{base}); err != nil {
		t.Fatal(err)
	}

	held, err := datadir.LockWriter(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(env.dataDir, datadir.WriterLockFile)
	content, err := os.ReadFile(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	holder := datadir.ParseHolder(content)
	if holder.PID != os.Getpid() || holder.Command != datadir.CommandLine() || time.Since(holder.Since) > time.Minute {
		t.Errorf("lock file names %+v, want this process", holder)
	}

	jsonl := filepath.Join(t.TempDir(), "in.jsonl")
	if err := runExport(ctx, exportOptions{format: "jsonl", output: jsonl}, env.g()); err != nil {
		t.Fatalf("export while the lock is held: %v", err)
	}
	writers := []struct {
		name string
		run  func(g *globalOpts) error
	}{
		{"crawl", func(g *globalOpts) error { return runCrawl(ctx, localCrawl(), g, []string{base}) }},
		{"reindex", func(g *globalOpts) error { return runReindex(ctx, g) }},
		{"import", func(g *globalOpts) error { return runImport(ctx, g, jsonl, importOptions{maxLine: defaultMaxLine}) }},
		{"demo", func(g *globalOpts) error {
			return runDemo(ctx, demoOptions{articles: 3, addr: "127.0.0.1:0"}, g)
		}},
	}
	for _, w := range writers {
		t.Run(w.name+" is refused", func(t *testing.T) {
			err := w.run(env.g())
			msg := errString(err)
			if exitCode(err) != 1 || !datadir.IsLocked(err) {
				t.Fatalf("error %v (exit %d): want the lock error, exit 1", err, exitCode(err))
			}
			for _, want := range []string{
				"data directory " + env.dataDir + " is in use by another folio",
				fmt.Sprintf("pid %d (%s)", os.Getpid(), datadir.CommandLine()),
				lockPath,
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}

	readers := []struct {
		name string
		run  func(g *globalOpts) error
	}{
		{"export", func(g *globalOpts) error { return runExport(ctx, exportOptions{format: "json"}, g) }},
		{"stats", func(g *globalOpts) error { return runStats(ctx, g, true, 5) }},
		{"show", func(g *globalOpts) error { return runShow(ctx, showOptions{}, g, article) }},
	}
	for _, r := range readers {
		t.Run(r.name+" reads", func(t *testing.T) {
			if err := r.run(env.g()); err != nil {
				t.Errorf("%s while another process writes: %v", r.name, err)
			}
		})
	}

	t.Run("a scheduled turn is skipped", func(t *testing.T) {
		cfg := fmt.Sprintf("sites:\n  - name: wp\n    start_urls: [%q]\n    schedule: \"@hourly\"\n", base)
		if err := os.WriteFile(env.configFile, []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.WriteFile(env.configFile, nil, 0o644)
		g := env.g()
		if err := runSchedule(ctx, scheduleOptions{once: true}, g); err != nil {
			t.Errorf("schedule --once while another writer works: %v, want a skip and exit 0", err)
		}
		if !strings.Contains(env.stderr.String(), "scheduled crawl skipped") || !strings.Contains(env.stderr.String(), fmt.Sprintf("pid %d", os.Getpid())) {
			t.Errorf("the skip is not logged with the holder:\n%s", env.stderr.String())
		}
	})

	if err := held.Release(); err != nil {
		t.Fatal(err)
	}
	if content, _ := os.ReadFile(lockPath); len(content) != 0 {
		t.Errorf("released lock file still names a holder: %q", content)
	}
	if err := runCrawl(ctx, localCrawl(), env.g(), []string{base}); err != nil {
		t.Errorf("crawl after the lock was released: %v", err)
	}
}
