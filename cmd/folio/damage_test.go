package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/internal/datadir"
)

// copyDir copies the files under src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wantReindexError fails unless err is nil or one line that names
// `folio reindex`.
func wantReindexError(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if msg := err.Error(); !strings.Contains(msg, "reindex") || strings.Contains(msg, "\n") {
		t.Errorf("%s: the error is not one line naming reindex: %q", what, msg)
	}
}

// TestDamagedIndex truncates each file of the index in turn, to nothing
// and to half its size. No command panics (bbolt asserts on a damaged
// root.bolt); search fails with one line naming `folio reindex`; import and
// crawl archive what they read and say the index must be rebuilt; reindex
// rebuilds it.
func TestDamagedIndex(t *testing.T) {
	t.Parallel()
	_, base := startSite(t, 10)
	src := newTestEnv(t)
	ctx := context.Background()
	if err := runCrawl(ctx, localCrawl(), src.g(), []string{base}); err != nil {
		t.Fatalf("crawl: %v\n%s", err, src.stderr.String())
	}
	var files []string
	filepath.WalkDir(datadir.IndexDir(src.dataDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(src.dataDir, p)
			files = append(files, rel)
		}
		return err
	})
	var zap bool
	for _, f := range files {
		zap = zap || strings.HasSuffix(f, ".zap")
	}
	if len(files) < 3 || !zap {
		t.Fatalf("the index has files %v, want index_meta.json, root.bolt and a segment", files)
	}

	for _, f := range files {
		for _, cut := range []int{0, 50} {
			t.Run(fmt.Sprintf("%s to %d%%", f, cut), func(t *testing.T) {
				env := newTestEnv(t)
				copyDir(t, src.dataDir, env.dataDir)
				info, err := os.Stat(filepath.Join(env.dataDir, f))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.Truncate(filepath.Join(env.dataDir, f), info.Size()*int64(cut)/100); err != nil {
					t.Fatal(err)
				}

				wantReindexError(t, "search", runSearch(ctx, searchOptions{limit: 10}, env.g(), "article"))

				url := "https://radio.example/2024/01/02/importe/"
				rec, _ := folio.Article{URL: url, Title: "Importé", Body: "Un article importé.", Language: "fr",
					FetchedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}.MarshalJSON()
				file := filepath.Join(t.TempDir(), "in.jsonl")
				os.WriteFile(file, append(rec, '\n'), 0o644)
				wantReindexError(t, "import", runImport(ctx, env.g(), file, importOptions{maxLine: defaultMaxLine}))

				g := env.g()
				wantReindexError(t, "crawl", runCrawl(ctx, localCrawl(), g, []string{base}))
				if !strings.Contains(env.stdout.String(), "crawl of ") {
					t.Errorf("the crawl did not run:\n%s%s", env.stdout.String(), env.stderr.String())
				}

				st, err := archive.OpenReadOnly(env.dataDir)
				if err != nil {
					t.Fatal(err)
				}
				_, getErr := st.Get(ctx, url)
				runs, runsErr := st.Runs(ctx, 10)
				st.Close()
				if getErr != nil {
					t.Errorf("the imported record is not archived: %v", getErr)
				}
				if runsErr != nil || len(runs) != 2 {
					t.Errorf("the archive records %d runs (%v), want the second crawl's too", len(runs), runsErr)
				}

				if err := runReindex(ctx, env.g()); err != nil {
					t.Fatalf("reindex: %v", err)
				}
				hits := searchJSON(t, env, "importé", searchOptions{limit: 10})
				if urls := hitURLs(hits); !slices.Contains(urls, url) {
					t.Errorf("after reindex, search finds %v, not %s", urls, url)
				}
			})
		}
	}
}

// TestDamagedArchive writes garbage over one page of the archive file, at
// a few places in turn. Every command that reads the whole archive (stats,
// export, reindex, check) fails with the same message; show and search,
// which read a part of it, either succeed or give that message.
func TestDamagedArchive(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	src := newTestEnv(t)
	ctx := context.Background()
	var lines []string
	for i := range 200 {
		url := fmt.Sprintf("https://radio.example/2024/01/%02d/article-%d/", i%28+1, i)
		rec, err := folio.Article{URL: url, Title: fmt.Sprintf("Article %d", i), Language: "fr",
			Body:      strings.Repeat(fmt.Sprintf("Le texte de l'article %d. ", i), 80),
			FetchedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(rec))
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	if err := runImport(ctx, src.g(), file, importOptions{maxLine: defaultMaxLine}); err != nil {
		t.Fatal(err)
	}
	if r := runFolio(t, bin, ".", "--data", src.dataDir, "check"); r.code != 0 || !strings.Contains(r.stdout, "archive: ok, 200 records") ||
		!strings.Contains(r.stdout, "index: ok, 200 records, up to date") {
		t.Fatalf("check of a sound archive: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	info, err := os.Stat(filepath.Join(src.dataDir, archive.FileName))
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	pages := info.Size() / page
	if pages < 20 {
		t.Fatalf("the archive has %d pages, too few to damage in the middle", pages)
	}
	const message = "is damaged and cannot be read in full; 'folio --data "
	for _, at := range []int64{2, pages / 2, pages - 2} {
		t.Run(fmt.Sprintf("page %d of %d", at+1, pages), func(t *testing.T) {
			env := newTestEnv(t)
			copyDir(t, src.dataDir, env.dataDir)
			f, err := os.OpenFile(filepath.Join(env.dataDir, archive.FileName), os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			garbage := make([]byte, page)
			for i := range garbage {
				garbage[i] = byte(i*7 + 13)
			}
			if _, err := f.WriteAt(garbage, at*page); err != nil {
				t.Fatal(err)
			}
			f.Close()

			for _, args := range [][]string{{"stats"}, {"export", "--format", "jsonl"}, {"reindex"}, {"check"}} {
				r := runFolio(t, bin, ".", append([]string{"--data", env.dataDir}, args...)...)
				if r.code != 1 || !strings.Contains(r.stderr, message) || strings.Count(r.stderr, "\n") != 1 {
					t.Errorf("%s: exit %d, want 1 and one line saying the archive is damaged:\n%s", args[0], r.code, r.stderr)
				}
				if args[0] == "export" && r.stdout != "" {
					t.Errorf("export of a damaged archive wrote %d bytes", len(r.stdout))
				}
			}
			for _, args := range [][]string{{"show", "https://radio.example/2024/01/01/article-0/"}, {"search", "texte"}} {
				r := runFolio(t, bin, ".", append([]string{"--data", env.dataDir}, args...)...)
				if r.code != 0 && (r.code != 1 || !strings.Contains(r.stderr, message)) {
					t.Errorf("%s: exit %d, want 0, or 1 saying the archive is damaged:\n%s", args[0], r.code, r.stderr)
				}
			}
		})
	}
}
