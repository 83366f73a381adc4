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
// the same crawl into SQLite, but for the time each page was fetched.
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
}
