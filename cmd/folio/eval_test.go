package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// evalRow reads one row of eval's table: its label, then the folio and
// readability figures.
func evalRow(t *testing.T, out, label string) (folio, readability string) {
	t.Helper()
	re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(label) + `\s+(\S+)\s+(\S+)\s*$`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no row %q in:\n%s", label, out)
	}
	return m[1], m[2]
}

// TestEvalTestsite holds extraction to the test site's ground truth: every
// field of every article right.
func TestEvalTestsite(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	g := env.g()
	if err := runEval(context.Background(), evalOptions{testsite: true, articles: 20}, g, nil); err != nil {
		t.Fatalf("eval: %v", err)
	}
	out := env.stdout.String()
	for _, label := range []string{"title exact (of 20)", "published day (of 20)", "author exact (of 20)",
		"language (of 20)", "category (of 20)", "tags (of 20)", "body words F1", "body shingles F1",
		"body shingles mean page F1"} {
		if got, _ := evalRow(t, out, label); got != "1.000" {
			t.Errorf("%s = %s, want 1.000", label, got)
		}
	}
	if got, _ := evalRow(t, out, "refused or failed"); got != "0" {
		t.Errorf("folio refused %s pages", got)
	}
}

func TestEvalDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page := `<html lang="fr"><head><title>Le pain lent – La Mie</title>
<meta property="og:site_name" content="La Mie"></head><body><article><h1>Le pain lent</h1>
<p>Publié le 7 novembre 2022 par <a rel="author" href="/a/">Jeanne Boulanger</a></p>
<div class="entry-content"><p>Une longue fermentation donne au levain le temps de changer l’amidon en sucres et en acides qui dorent la croûte.</p></div>
</article></body></html>`
	want := `{"url": null, "title": "Le pain lent – La Mie", "author": "Jeanne Boulanger", "published": "2022-11-07",
"language": "fr", "summary": null, "site_name": "La Mie",
"body": "Une longue fermentation donne au levain le temps de changer l’amidon en sucres et en acides qui dorent la croûte."}`
	for name, content := range map[string]string{"pain.html": page, "pain.json": want} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := newTestEnv(t)
	if err := runEval(context.Background(), evalOptions{pages: true}, env.g(), []string{dir}); err != nil {
		t.Fatalf("eval: %v", err)
	}
	out := env.stdout.String()
	checks := map[string]string{
		"title exact (of 1)":              "0.000",
		"title exact, site name stripped": "1.000",
		"published day (of 1)":            "1.000",
		"author exact (of 1)":             "1.000",
		"body shingles F1":                "1.000",
	}
	for label, want := range checks {
		if got, _ := evalRow(t, out, label); got != want {
			t.Errorf("%s = %s, want %s", label, got, want)
		}
	}
	if !strings.Contains(out, "folio, page by page") {
		t.Errorf("--pages printed no page listing:\n%s", out)
	}

	if err := runEval(context.Background(), evalOptions{}, env.g(), []string{filepath.Join(dir, "none")}); err == nil {
		t.Error("eval of a missing directory gave no error")
	}
}

func TestEvalUsage(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, args := range [][]string{{"eval"}, {"eval", "a", "b"}, {"eval", "--testsite", "dir"}, {"eval", "--testsite", "--articles", "2"}} {
		root := newRootCmd(&env.stdout, &env.stderr)
		root.SetArgs(append(args, "--config", env.configFile))
		err := root.Execute()
		if exitCode(err) != 2 {
			t.Errorf("folio %v: exit %d (%v), want 2", args, exitCode(err), err)
		}
	}
}

// TestEvalHumanDir reads the human-annotated fixtures of internal/eval and
// prints each measure over all pages and per folder.
func TestEvalHumanDir(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	if err := runEval(context.Background(), evalOptions{pages: true}, env.g(),
		[]string{filepath.Join("..", "..", "internal", "eval", "testdata", "human")}); err != nil {
		t.Fatalf("eval: %v", err)
	}
	out := env.stdout.String()
	for _, want := range []string{"all pages: 3 pages", "dates/: 1 page ", "news/: 2 pages",
		"title (of 2)", "publication day (of 3)", "author (of 1)", "category (of 1)", "body snippet F1",
		"folio, page by page", "readability, page by page", "dates/market "} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if got, _ := evalRow(t, out, "pages with a record"); got != "1.000" {
		t.Errorf("folio gave a record for %s of the pages", got)
	}
	if !strings.Contains(out, "dates/market  T. D+ A. C.\n") {
		t.Errorf("the date-only page is not scored on its day alone:\n%s", out)
	}
}
