package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"folio/internal/pgtest"
)

// TestBinaryOnPostgres runs the built folio against a PostgreSQL archive in
// a fresh schema (the --archive flag, FOLIO_ARCHIVE and the config's
// archive key each name it once): a crawl of the test site, then search,
// show, stats, reindex, check and export, whose records must be those of
// the same crawl into SQLite, but for the time each page was fetched; then
// import of that SQLite export, and schedule --once, each into a
// PostgreSQL archive of its own.
func TestBinaryOnPostgres(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	pgURL := pgtest.Schema(t)
	site, base := startSite(t, 60)
	work := t.TempDir()
	data, sqliteData := filepath.Join(work, "d"), filepath.Join(work, "sqlite")
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	configFile := filepath.Join(t.TempDir(), "pg.yaml") // not ./config.yaml, which every run would read
	if err := os.WriteFile(configFile, []byte("archive: "+pgURL+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	crawl := []string{"crawl", "--concurrency", "8", "--delay", "0", base}
	steps := []struct {
		name   string
		env    []string
		args   []string
		stdout []string
	}{
		{"crawl", nil, append([]string{"--data", data, "--archive", pgURL}, crawl...), []string{"60 new", "errors: 0"}},
		{"recrawl is incremental", []string{"FOLIO_ARCHIVE=" + pgURL}, append([]string{"--data", data}, crawl...),
			[]string{"0 new, 0 changed, 0 unchanged", "not_due 60"}},
		{"search", nil, []string{"--config", configFile, "--data", data, "search", "corée russie"},
			[]string{"matches", "Entre la Corée du Nord et la Russie"}},
		{"show", nil, []string{"--config", configFile, "--data", data, "show", truth[0].URL}, []string{truth[0].Title}},
		{"stats", nil, []string{"--config", configFile, "--data", data, "stats"}, []string{"60 articles", "recent runs"}},
		{"reindex", nil, []string{"--config", configFile, "--data", data, "reindex"}, nil},
		{"search after reindex", nil, []string{"--config", configFile, "--data", data, "search", "--limit", "1", "coree"}, []string{"1."}},
		{"check", nil, []string{"--config", configFile, "--data", data, "check"}, []string{"60 records"}},
		{"crawl into SQLite", nil, append([]string{"--data", sqliteData}, crawl...), []string{"60 new"}},
	}
	for _, s := range steps {
		r := runFolioEnv(t, bin, work, s.env, s.args...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\nstdout: %s\nstderr: %s", s.name, r.code, r.stdout, r.stderr)
		}
		for _, w := range s.stdout {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s: stdout lacks %q:\n%s", s.name, w, r.stdout)
			}
		}
	}

	export := func(args ...string) []map[string]any {
		r := runFolioEnv(t, bin, work, nil, append(args, "export", "--format", "jsonl")...)
		if r.code != 0 {
			t.Fatalf("export %v: exit %d: %s", args, r.code, r.stderr)
		}
		var out []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("export %v: %v", args, err)
			}
			delete(m, "fetched_at") // the two crawls ran at different times
			out = append(out, m)
		}
		return out
	}
	pg, sq := export("--data", data, "--archive", pgURL), export("--data", sqliteData)
	if len(pg) != 60 {
		t.Errorf("%d records exported from PostgreSQL, want 60", len(pg))
	}
	if diff := cmp.Diff(sq, pg); diff != "" {
		t.Errorf("records from PostgreSQL differ from SQLite's (-sqlite +postgres):\n%s", diff)
	}

	// import: SQLite's export into a second PostgreSQL archive gives the
	// same records.
	dump := filepath.Join(work, "sqlite.jsonl")
	if r := runFolio(t, bin, work, "--data", sqliteData, "export", "--format", "jsonl", "-o", dump); r.code != 0 {
		t.Fatalf("export to a file: exit %d: %s", r.code, r.stderr)
	}
	imported, importData := pgtest.Schema(t), filepath.Join(work, "imported")
	r := runFolio(t, bin, work, "--data", importData, "--archive", imported, "import", dump)
	if r.code != 0 || !strings.Contains(r.stdout+r.stderr, "60 new") {
		t.Fatalf("import into PostgreSQL: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if diff := cmp.Diff(sq, export("--data", importData, "--archive", imported)); diff != "" {
		t.Errorf("records imported into PostgreSQL differ from SQLite's export (-sqlite +imported):\n%s", diff)
	}

	// schedule: a scheduled site never crawled is due; --once crawls it
	// into the archive the config names, and records the run as scheduled.
	scheduled := pgtest.Schema(t)
	scheduleConfig := filepath.Join(t.TempDir(), "schedule.yaml")
	body := "archive: " + scheduled + "\nsites:\n  - name: testsite\n    start_urls: [" + base + "]\n    schedule: \"@daily\"\n    crawl:\n      concurrency: 8\n      delay: 0\n"
	if err := os.WriteFile(scheduleConfig, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	scheduleData := filepath.Join(work, "scheduled")
	if r := runFolio(t, bin, work, "--config", scheduleConfig, "--data", scheduleData, "schedule", "--once"); r.code != 0 {
		t.Fatalf("schedule --once on PostgreSQL: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if got := export("--config", scheduleConfig, "--data", scheduleData); len(got) != 60 {
		t.Errorf("schedule --once archived %d records in PostgreSQL, want 60", len(got))
	}
	r = runFolio(t, bin, work, "--config", scheduleConfig, "--data", scheduleData, "stats")
	if r.code != 0 || !strings.Contains(r.stdout, "(schedule,") {
		t.Errorf("stats after schedule --once: exit %d; the run's trigger is not shown as schedule:\n%s", r.code, r.stdout)
	}
}

// TestArchiveURLErrors: an unreachable PostgreSQL is one line naming the
// URL, its password masked, and the cause (exit 1); a URL of another
// scheme is a usage error naming where it was given (exit 2).
func TestArchiveURLErrors(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	work := t.TempDir()
	badConfig := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(badConfig, []byte("data_dir: d\narchive: mysql://folio:hunter2@db.example/folio\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Port 1 on loopback: nothing listens there.
	down := "postgres://folio:hunter2@127.0.0.1:1/folio?sslmode=disable&connect_timeout=2"
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stderr []string
	}{
		{"unreachable, by flag", nil, []string{"--data", "d", "--archive", down, "stats"}, 1,
			[]string{"postgres://folio:xxxxx@127.0.0.1:1/folio", "connection refused"}},
		{"unreachable, by environment", []string{"FOLIO_ARCHIVE=" + down}, []string{"--data", "d", "crawl", "http://127.0.0.1:1/"}, 1,
			[]string{"postgres://folio:xxxxx@127.0.0.1:1/folio", "connection refused"}},
		{"unknown scheme in config", nil, []string{"--config", badConfig, "stats"}, 2,
			[]string{badConfig + ":2: archive: unknown scheme \"mysql\""}},
		{"unknown scheme by flag", nil, []string{"--archive", "sqlite:///tmp/x", "stats"}, 2,
			[]string{"--archive: unknown scheme \"sqlite\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runFolioEnv(t, bin, work, tt.env, tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", r.code, tt.code, r.stderr)
			}
			first, _, _ := strings.Cut(strings.TrimSpace(r.stderr), "\n")
			for _, w := range tt.stderr {
				if !strings.Contains(first, w) {
					t.Errorf("first line of stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "hunter2") {
				t.Errorf("stderr shows the password:\n%s", r.stderr)
			}
			if tt.code == 1 && strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
				t.Errorf("more than one line:\n%s", r.stderr)
			}
		})
	}
}

// TestCrawlersShareAPostgresArchive: folio crawl processes with data
// directories of their own write to one PostgreSQL archive at once (two
// sites, and then both of them the same site): each finishes without
// error, the archive holds each article once, and a search node's index
// holds them all.
func TestCrawlersShareAPostgresArchive(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	pgURL := pgtest.Schema(t)
	_, one := startSite(t, 40)
	_, two := startSite(t, 30)
	work := t.TempDir()
	crawl := func(data, base string) <-chan cliResult {
		out := make(chan cliResult, 1)
		go func() {
			out <- runFolio(t, bin, work, "--data", filepath.Join(work, data), "--archive", pgURL,
				"crawl", "--concurrency", "4", "--delay", "0", "--full", base)
		}()
		return out
	}
	check := func(what string, rs ...<-chan cliResult) {
		t.Helper()
		for _, ch := range rs {
			if r := <-ch; r.code != 0 || !strings.Contains(r.stdout, "errors: 0") {
				t.Fatalf("%s: exit %d\n%s\n%s", what, r.code, r.stdout, r.stderr)
			}
		}
	}
	check("two sites at once", crawl("a", one), crawl("b", two))
	check("one site by both at once", crawl("a", one), crawl("b", one))

	r := runFolio(t, bin, work, "--data", filepath.Join(work, "node"), "--archive", pgURL, "stats", "--json")
	if r.code != 0 {
		t.Fatalf("stats: exit %d: %s", r.code, r.stderr)
	}
	var stats struct {
		Articles, Revisions int
	}
	if err := json.Unmarshal([]byte(r.stdout), &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Articles != 70 || stats.Revisions != 70 {
		t.Errorf("the archive holds %d articles, %d revisions; want 70 and 70", stats.Articles, stats.Revisions)
	}
	r = runFolio(t, bin, work, "--data", filepath.Join(work, "node"), "--archive", pgURL, "reindex")
	if r.code != 0 || !strings.Contains(r.stdout, "70 records") {
		t.Errorf("reindex on a node: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
