package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"folio/internal/testrun"
)

// builtFolio is the binary buildFolio compiles, once per test process.
var builtFolio struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	testrun.AtLeastParallel(4)
	code := m.Run()
	closeCrawledSites()
	if builtFolio.dir != "" {
		os.RemoveAll(builtFolio.dir)
	}
	os.Exit(code)
}

// buildFolio compiles the folio binary, once for all the tests that run it
// as a user would.
func buildFolio(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	b := &builtFolio
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "folio-test-bin-"); b.err != nil {
			return
		}
		b.bin = filepath.Join(b.dir, "folio")
		if out, err := exec.Command("go", "build", "-o", b.bin, ".").CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.bin
}

type cliResult struct {
	code           int
	stdout, stderr string
}

func runFolio(t *testing.T, bin, dir string, args ...string) cliResult {
	t.Helper()
	return runFolioEnv(t, bin, dir, nil, args...)
}

// runFolioEnv is runFolio with env added to the environment.
func runFolioEnv(t *testing.T, bin, dir string, env []string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("run folio %v: %v", args, err)
	}
	return cliResult{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// TestBinary runs the built folio against the test site: crawl, search,
// export, show and extract, checking exit codes and output.
func TestBinary(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	site, base := startSite(t, 60)
	work := t.TempDir()
	data := filepath.Join(work, "d")
	truth := site.Expected(strings.TrimSuffix(base, "/"))

	steps := []struct {
		name     string
		args     []string
		wantCode int
		stdout   []string // substrings of stdout
		stderr   []string // substrings of stderr
	}{
		{"crawl", []string{"--data", data, "crawl", "--concurrency", "8", "--delay", "0", base}, 0,
			[]string{"60 new", "errors: 0"}, nil},
		// The site sends no validators, and its articles are years old:
		// none is due again a minute later (crawler.Recheck).
		{"recrawl is incremental", []string{"--data", data, "crawl", "--concurrency", "8", "--delay", "0", base}, 0,
			[]string{"0 new, 0 changed, 0 unchanged", "not_due 60"}, nil},
		{"search", []string{"--data", data, "search", "corée russie"}, 0,
			[]string{"matches", "«", "Entre la Corée du Nord et la Russie"}, nil},
		{"search without accents", []string{"--data", data, "search", "--limit", "1", "coree"}, 0,
			[]string{"1."}, nil},
		{"malformed query", []string{"--data", data, "search", `russie "corée`}, 2, nil,
			[]string{"unterminated quote at column 8"}},
		{"show by URL", []string{"--data", data, "show", truth[0].URL}, 0,
			[]string{truth[0].Title, "url:", truth[0].URL}, nil},
		{"show unknown", []string{"--data", data, "show", "https://nowhere.example/x/"}, 1, nil,
			[]string{"no record"}},
		{"export jsonl", []string{"--data", data, "export", "--format", "jsonl"}, 0,
			[]string{`"content_hash"`}, nil},
		{"export bad format", []string{"--data", data, "export", "--format", "xml"}, 2, nil,
			[]string{"--format", "xml", "Run 'folio export --help' for usage."}},
		{"show without argument", []string{"--data", data, "show"}, 2, nil,
			[]string{"show needs", "Run 'folio show --help' for usage."}},
		{"unknown command", []string{"--data", data, "crawlz"}, 2, nil,
			[]string{"unknown command", "Run 'folio --help' for usage."}},
		{"crawl nothing", []string{"--data", data, "crawl"}, 2, nil,
			[]string{"nothing to crawl"}},
		{"search with no archive", []string{"--data", filepath.Join(work, "empty"), "search", "x"}, 1, nil,
			[]string{"no search index"}},
		{"stats", []string{"--data", data, "stats"}, 0,
			[]string{"60 articles", "recent runs"}, nil},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := runFolio(t, bin, work, s.args...)
			if r.code != s.wantCode {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, s.wantCode, r.stdout, r.stderr)
			}
			for _, w := range s.stdout {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range s.stderr {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
		})
	}

	t.Run("export json to file", func(t *testing.T) {
		out := filepath.Join(work, "archive.json")
		r := runFolio(t, bin, work, "--data", data, "export", "--format", "json", "-o", out)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var recs []map[string]any
		if err := json.Unmarshal(raw, &recs); err != nil || len(recs) != 60 {
			t.Fatalf("export: %d records, err %v", len(recs), err)
		}
	})

	// Importing the wrong file says so in one line, and imports nothing.
	t.Run("import the wrong file", func(t *testing.T) {
		warc := filepath.Join(work, "captures.warc.gz")
		if r := runFolio(t, bin, work, "--data", data, "export", "--format", "warc", "-o", warc); r.code != 0 {
			t.Fatalf("export warc: exit %d: %s", r.code, r.stderr)
		}
		garbage := filepath.Join(work, "garbage.bin")
		noise := make([]byte, 256<<10)
		for i := range noise {
			noise[i] = byte(i*7919 + i/251)
		}
		if err := os.WriteFile(garbage, noise, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, file := range []string{warc, garbage} {
			r := runFolio(t, bin, work, "--data", filepath.Join(work, "wrong"), "import", file)
			want := "folio: " + file + " line 1: not a folio record (expected one JSON object per line as written by 'folio export --format jsonl'"
			if r.code != 1 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, want) ||
				!strings.Contains(r.stderr, "is this the right file?") {
				t.Errorf("import %s: exit %d, want 1 and one line %q…\nstdout: %s\nstderr: %s", filepath.Base(file), r.code, want, r.stdout, r.stderr)
			}
		}
	})

	t.Run("extract a saved page", func(t *testing.T) {
		page := filepath.Join(work, "page.html")
		want := truth[0]
		body := fetchPage(t, want.URL)
		if err := os.WriteFile(page, body, 0o644); err != nil {
			t.Fatal(err)
		}
		r := runFolio(t, bin, work, "extract", "--url", want.URL, page)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &rec); err != nil {
			t.Fatalf("extract output is not JSON: %v\n%s", err, r.stdout)
		}
		if rec["title"] != want.Title || rec["url"] != want.URL {
			t.Errorf("extract: title %q url %q, want %q %q", rec["title"], rec["url"], want.Title, want.URL)
		}
	})

	t.Run("extract by URL", func(t *testing.T) {
		r := runFolio(t, bin, work, "extract", truth[1].URL)
		if r.code != 0 || !strings.Contains(r.stdout, truth[1].Title) {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
	})

	t.Run("extract a listing page", func(t *testing.T) {
		r := runFolio(t, bin, work, "extract", base)
		if r.code != 1 || !strings.Contains(r.stderr, "not an article") {
			t.Fatalf("exit %d, stderr %q: want 1 and 'not an article'", r.code, r.stderr)
		}
	})
}
