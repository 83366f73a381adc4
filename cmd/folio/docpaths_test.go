package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// repoRoot is the repository's root, from cmd/folio.
const repoRoot = "../.."

var (
	// backticked is a `code span` of Markdown.
	backticked = regexp.MustCompile("`([^`\\s]+)`")
	// mdLink is the target of a Markdown link.
	mdLink = regexp.MustCompile(`\]\(([^)\s#]+)`)
	// helpPath is a word of a help text that looks like a path: a parent
	// directory, a file name with an extension, or a relative path.
	helpPath = regexp.MustCompile(`(?:\.\./|[A-Za-z0-9_.-]+/)[A-Za-z0-9_./*<>-]*|\b[A-Za-z0-9_-]+\.(?:md|json|yaml|go)\b`)
)

// repoPath tells whether p names a path of the repository, as a user
// would read it from the root, and returns it cleaned: one that starts
// with a top-level entry of the repository, goes up (../), or is a
// Markdown or YAML file at the top.
func repoPath(p string, top map[string]bool) (string, bool) {
	p = strings.TrimRight(p, ".,;:)")
	if strings.Contains(p, "://") || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "<>*[]") {
		return "", false
	}
	if strings.HasPrefix(p, "../") || strings.HasPrefix(p, "./") && top[strings.TrimPrefix(p, "./")] {
		return p, true
	}
	first, rest, slash := strings.Cut(p, "/")
	switch {
	case slash && first == "testdata" && rest == "":
		return "", false // "fixtures live in testdata/ beside the code"
	case slash && (top[first] || first == "testdata"):
		return p, true
	case !slash && (strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".yaml")):
		return p, true
	}
	return "", false
}

// helpTexts are every command's help: long text, examples and flags.
func helpTexts(cmd *cobra.Command) []string {
	out := []string{cmd.Long, cmd.Example}
	add := func(f *pflag.Flag) { out = append(out, f.Usage) }
	cmd.LocalFlags().VisitAll(add)
	cmd.PersistentFlags().VisitAll(add)
	for _, c := range cmd.Commands() {
		out = append(out, helpTexts(c)...)
	}
	return out
}

// TestDocumentedPathsExist: every path of the repository that README.md,
// docs/ or folio's --help tells a user about exists in a clone, and none
// points outside it (../shared, say).
func TestDocumentedPathsExist(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	top := map[string]bool{}
	for _, e := range entries {
		top[e.Name()] = true
	}
	check := func(source, p string) {
		t.Helper()
		if strings.HasPrefix(p, "../") {
			t.Errorf("%s names %s, outside the repository", source, p)
			return
		}
		if _, err := os.Stat(filepath.Join(repoRoot, filepath.FromSlash(p))); err != nil {
			t.Errorf("%s names %s, which a clone lacks", source, p)
		}
	}
	docs, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "*"))
	docs = append(docs, filepath.Join(repoRoot, "README.md"), filepath.Join(repoRoot, "bench", "README.md"))
	checked := 0
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(repoRoot, doc)
		var found []string
		if strings.HasSuffix(doc, ".md") {
			for _, m := range backticked.FindAllStringSubmatch(string(data), -1) {
				found = append(found, m[1])
			}
			for _, m := range mdLink.FindAllStringSubmatch(string(data), -1) {
				// A link is relative to the document's directory.
				target := filepath.ToSlash(filepath.Join(filepath.Dir(name), m[1]))
				if !strings.Contains(m[1], "://") {
					check(name+" (link)", target)
					checked++
				}
			}
		} else {
			found = helpPath.FindAllString(string(data), -1)
		}
		for _, f := range found {
			if p, ok := repoPath(f, top); ok {
				check(name, p)
				checked++
			}
		}
	}
	var out, errOut bytes.Buffer
	for _, text := range helpTexts(newRootCmd(&out, &errOut)) {
		for _, f := range helpPath.FindAllString(text, -1) {
			if p, ok := repoPath(f, top); ok {
				check("--help", p)
				checked++
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d paths checked: the patterns miss them", checked)
	}
}

// TestEvalFromRoot: the eval the README shows runs from the repository's
// root as printed.
func TestEvalFromRoot(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	r := runFolio(t, bin, repoRoot, "eval", "--pages", "testdata/eval")
	if r.code != 0 || !strings.Contains(r.stdout, "all pages: 3 pages") {
		t.Errorf("folio eval --pages testdata/eval: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runFolio(t, bin, repoRoot, "eval", "no/such/dir")
	if r.code != 1 || !strings.Contains(r.stderr, "testdata/eval") {
		t.Errorf("folio eval no/such/dir: exit %d, want 1 and where to find a set\n%s", r.code, r.stderr)
	}
}
