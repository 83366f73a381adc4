package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"folio"
	"folio/archive"
	"folio/index"
	"folio/internal/testsite/wpsite"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// deadURL is a loopback URL on which nothing listens.
func deadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String() + "/"
	l.Close()
	return u
}

// TestCrawlReachingNothingFails holds a crawl whose start URL cannot be
// fetched to exit 1 with one line naming the URL and the cause, for crawl
// and for schedule, which records the run as failed.
func TestCrawlReachingNothingFails(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	dir := t.TempDir()
	dead := deadURL(t)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("data_dir: d\nsites:\n  - name: dead\n    start_urls: [\""+dead+"\"]\n    schedule: \"@hourly\"\n    crawl:\n      retries: 0\n      allow_private: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--config", cfg, "crawl"},
		{"--config", cfg, "schedule", "--once", "--jitter", "0"},
	} {
		res := runFolio(t, bin, dir, args...)
		if res.code != 1 {
			t.Fatalf("%v: exit %d, want 1\n%s", args, res.code, res.stderr)
		}
		if strings.Contains(res.stdout, "finished") {
			t.Errorf("%v: stdout says the crawl finished:\n%s", args, res.stdout)
		}
		var last string
		for _, l := range strings.Split(strings.TrimSpace(res.stderr), "\n") {
			last = l
		}
		if args[2] == "crawl" && (!strings.HasPrefix(last, "folio: ") || !strings.Contains(last, dead) || !strings.Contains(last, "connection refused")) {
			t.Errorf("%v: last line %q does not name %s and why", args, last, dead)
		}
	}
	res := runFolio(t, bin, dir, "--config", cfg, "stats", "--json")
	var st archive.StatsRecord
	if err := json.Unmarshal([]byte(res.stdout), &st); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, res.stdout)
	}
	if len(st.Runs) != 2 {
		t.Fatalf("%d runs recorded, want 2", len(st.Runs))
	}
	for _, r := range st.Runs {
		if !strings.Contains(r.Failure, dead) || !strings.Contains(r.Failure, "connection refused") {
			t.Errorf("run %d (%s) failure %q, want the URL and its cause", r.ID, r.Trigger, r.Failure)
		}
	}
	res = runFolio(t, bin, dir, "--config", cfg, "stats")
	if !strings.Contains(res.stdout, "failed: ") {
		t.Errorf("stats does not say the runs failed:\n%s", res.stdout)
	}
}

// unaccented is s without accents or capitals, as a user types it.
func unaccented(t *testing.T, s string) string {
	t.Helper()
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ToLower(out)
}

// TestSearchPastedTitles: every title of the bundled site (the demo's 60
// articles), pasted as it is, finds its article first, and so does every
// title typed without accents or capitals. French titles have " : ",
// « », ? and !, which are text, not query syntax.
func TestSearchPastedTitles(t *testing.T) {
	t.Parallel()
	env, site, base := sharedCrawl(t, 60)
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	if len(truth) != 60 {
		t.Fatalf("%d articles, want 60", len(truth))
	}
	// One title through the whole command; the 240 queries on one open
	// index, as runSearch makes and runs them.
	if hits, _, err := search(t, env, truth[0].Title, searchOptions{limit: 1}); err != nil || len(hits) == 0 || hits[0].URL != truth[0].URL {
		t.Errorf("search %q: %v, %v; want %s first", truth[0].Title, hitURLs(hits), err, truth[0].URL)
	}
	ix, err := openIndexReadOnly(env.g(), env.dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, a := range truth {
		for _, text := range []string{a.Title, unaccented(t, a.Title), a.Title + " ?", "« " + a.Title + " » !"} {
			q, err := searchOptions{limit: 1}.query(text)
			if err != nil {
				t.Fatal(err)
			}
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Errorf("search %q: %v", text, err)
				continue
			}
			if len(res.Hits) == 0 || res.Hits[0].URL != a.URL {
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.URL)
				}
				t.Errorf("search %q: first hit %v, want %s", text, got, a.URL)
			}
		}
	}
}

// TestShowFindsAnySpelling: show finds a record by any spelling of its URL
// that the crawler takes for the page, and by an old slug that redirected
// to it; the text prints the lead paragraph once.
func TestShowFindsAnySpelling(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	site := wpsite.New(wpsite.Options{Articles: 30, Faults: wpsite.FaultOldSlugs})
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	crawlInto(t, env, srv.URL+"/")
	old := site.Faults().OldSlugs
	if len(old) == 0 {
		t.Fatal("the site has no old slugs")
	}
	for oldPath, path := range old {
		want := srv.URL + path
		host := strings.TrimPrefix(srv.URL, "http://")
		for _, ref := range []string{
			want,
			strings.TrimSuffix(want, "/"),
			want + "#comments",
			want + "?utm_source=newsletter&utm_medium=email",
			"HTTP://" + strings.ToUpper(host) + path,
			srv.URL + oldPath,
			strings.TrimSuffix(srv.URL+oldPath, "/"),
		} {
			g := env.g()
			if err := runShow(context.Background(), showOptions{json: true}, g, ref); err != nil {
				t.Errorf("show %s: %v", ref, err)
				continue
			}
			var a folio.Article
			if err := json.Unmarshal(env.stdout.Bytes(), &a); err != nil {
				t.Fatal(err)
			}
			if a.URL != want {
				t.Errorf("show %s: record of %s, want %s", ref, a.URL, want)
			}
		}
		if err := runShow(context.Background(), showOptions{json: true}, env.g(), want); err != nil {
			t.Fatal(err)
		}
		var a folio.Article
		if err := json.Unmarshal(env.stdout.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if err := runShow(context.Background(), showOptions{}, env.g(), want); err != nil {
			t.Fatal(err)
		}
		lead := []rune(folio.FoldSpace(a.Summary))
		if len(lead) < 20 {
			t.Fatalf("%s: summary %q, too short to find", want, a.Summary)
		}
		if n := strings.Count(folio.FoldSpace(env.stdout.String()), string(lead[:20])); n != 1 {
			t.Errorf("show %s prints the lead paragraph %d times:\n%s", want, n, env.stdout.String())
		}
	}
	if err := runShow(context.Background(), showOptions{}, env.g(), srv.URL+"/no-such-article/"); err == nil {
		t.Error("show of an unknown URL succeeded")
	}
}

// TestDurationFlags: --delay and --jitter take a bare number as seconds, as
// the config does, and crawl --help shows no "(default -1ns)".
func TestDurationFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"0", 0, false}, {"2", 2 * time.Second, false}, {"0.5", 500 * time.Millisecond, false},
		{"500ms", 500 * time.Millisecond, false}, {"1m30s", 90 * time.Second, false},
		{"soon", 0, true}, {"-1", 0, true},
	} {
		var d time.Duration
		err := durationFlag{&d}.Set(tt.in)
		if (err != nil) != tt.err || (!tt.err && d != tt.want) {
			t.Errorf("Set(%q) = %s, %v; want %s, error %v", tt.in, d, err, tt.want, tt.err)
		}
	}
	var out, errOut bytes.Buffer
	root := newRootCmd(&out, &errOut)
	root.SetArgs([]string{"crawl", "--help"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "-1ns") || !strings.Contains(out.String(), "--delay") {
		t.Errorf("crawl --help:\n%s", out.String())
	}
}

// TestPolish runs the built binary as a careless user would: `folio
// version`, a command without its argument or with one too many, a bad
// --sort, a demo whose "Try next" commands can be run as printed.
func TestPolish(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
		out  string // stdout holds it (code 0) or the first stderr line is it
	}{
		{[]string{"version"}, 0, "folio version " + version + "\n"},
		{[]string{"--version"}, 0, "folio version " + version + "\n"},
		{[]string{"show"}, 2, "folio: show needs a URL or an id"},
		{[]string{"show", "a", "b"}, 2, `folio: show takes one argument, a URL or an id; got 2: "a" "b"`},
		{[]string{"extract"}, 2, "folio: extract needs an HTML FILE or a URL"},
		{[]string{"import"}, 2, "folio: import needs a FILE to read (- for standard input)"},
		{[]string{"stats", "x"}, 2, `folio: stats takes no arguments; got "x"`},
		{[]string{"export", "x", "y"}, 2, `folio: export takes no arguments; got "x" "y"`},
		{[]string{"search", "corée", "russie"}, 2, `folio: search takes one QUERY; got 2 arguments: quote a query of several words, as in folio search "corée russie"`},
		{[]string{"search", "--sort", "newest", "x"}, 2, `folio: --sort "newest": want relevance, date (oldest first) or -date (newest first)`},
	} {
		res := runFolio(t, bin, dir, tt.args...)
		got := res.stdout
		if tt.code != 0 {
			got, _, _ = strings.Cut(res.stderr, "\n")
		}
		if res.code != tt.code || got != tt.out {
			t.Errorf("folio %q: exit %d, %q; want %d, %q", tt.args, res.code, got, tt.code, tt.out)
		}
	}

	res := runFolio(t, bin, dir, "--data", "d", "demo", "--articles", "5")
	if res.code != 0 {
		t.Fatalf("demo: exit %d\n%s", res.code, res.stderr)
	}
	if strings.Contains(res.stderr, "migrated") {
		t.Errorf("demo into a new data directory logs its migrations:\n%s", res.stderr)
	}
	_, next, ok := strings.Cut(res.stdout, "Try next")
	if !ok {
		t.Fatalf("demo prints nothing to try next:\n%s", res.stdout)
	}
	lines := strings.Split(strings.TrimSpace(next), "\n")[1:]
	if len(lines) < 4 {
		t.Fatalf("demo suggests %d commands:\n%s", len(lines), next)
	}
	// Each suggestion is this binary, as it was run; those that read the
	// archive work as printed.
	for _, l := range lines {
		cmd, _, _ := strings.Cut(strings.TrimSpace(l), "#")
		fields := strings.Fields(cmd)
		if fields[0] != bin {
			t.Errorf("demo suggests %q, not a command of %s", l, bin)
			continue
		}
		if len(fields) > 3 && (fields[3] == "stats" || fields[3] == "show") {
			if r := runFolio(t, bin, dir, fields[1:]...); r.code != 0 {
				t.Errorf("%s: exit %d\n%s", cmd, r.code, r.stderr)
			}
		}
	}
}

// TestSelfCommand: the demo's suggestions start with what runs folio
// again, go run's build included.
func TestSelfCommand(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ exe, arg0, want string }{
		{"/tmp/go-build2731/b001/exe/folio", "/tmp/go-build2731/b001/exe/folio", "go run ./cmd/folio"},
		{"/home/u/src/folio/folio", "./folio", "./folio"},
		{"/usr/local/bin/folio", "folio", "folio"},
		{"/home/u/go/bin/folio", "/home/u/go/bin/folio", "/home/u/go/bin/folio"},
	} {
		if got := selfCommand(tt.exe, tt.arg0); got != tt.want {
			t.Errorf("selfCommand(%q, %q) = %q, want %q", tt.exe, tt.arg0, got, tt.want)
		}
	}
}

// TestPlurals: one of a thing is singular.
func TestPlurals(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		total int
		want  string
	}{{0, "no matches"}, {1, "1 match ("}, {2, "2 matches ("}} {
		var b bytes.Buffer
		res := index.Result{Total: uint64(tt.total)}
		for i := range tt.total {
			res.Hits = append(res.Hits, index.Hit{ID: fmt.Sprint(i), Title: "t"})
		}
		writeHits(&b, res, index.Query{}, false)
		if !strings.HasPrefix(b.String(), tt.want) {
			t.Errorf("%d hits: %q, want it to start with %q", tt.total, b.String(), tt.want)
		}
	}
	if got := plural(1, "line", "lines") + ", " + plural(uint64(3), "line", "lines"); got != "1 line, 3 lines" {
		t.Errorf("plural: %q", got)
	}
}

// TestSearchJSON: --json is one object with the total of the matches, the
// hits shown and, with --facets, the counts the text output lists; --format
// jsonl is one hit a line.
func TestSearchJSON(t *testing.T) {
	t.Parallel()
	env, site, base := sharedCrawl(t, 60)
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	perCategory := map[string]int{}
	for _, a := range truth {
		perCategory[a.Category]++
	}

	// No text: every record matches.
	if err := runSearch(context.Background(), searchOptions{json: true, facets: true, limit: 5, offset: 2}, env.g(), ""); err != nil {
		t.Fatal(err)
	}
	var res index.Response
	if err := json.Unmarshal(env.stdout.Bytes(), &res); err != nil {
		t.Fatalf("search --json: %v\n%s", err, env.stdout.String())
	}
	if res.Total != uint64(len(truth)) || res.Offset != 2 || len(res.Hits) != 5 {
		t.Errorf("search --json: total %d, offset %d, %d hits; want %d, 2, 5", res.Total, res.Offset, len(res.Hits), len(truth))
	}
	if res.Facets == nil {
		t.Fatalf("search --json --facets has no facets:\n%s", env.stdout.String())
	}
	got := map[string]int{}
	for _, c := range res.Facets.Category {
		got[c.Value] = c.Count
	}
	if fmt.Sprint(got) != fmt.Sprint(perCategory) {
		t.Errorf("facets by category %v, want %v", got, perCategory)
	}
	var raw map[string]json.RawMessage
	json.Unmarshal(env.stdout.Bytes(), &raw)
	for _, k := range []string{"total", "offset", "hits", "facets"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("search --json lacks %q", k)
		}
	}

	// Without --facets, none; with jsonl, one hit a line.
	if err := runSearch(context.Background(), searchOptions{json: true, limit: 3}, env.g(), ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(env.stdout.String(), `"facets"`) {
		t.Errorf("search --json without --facets:\n%s", env.stdout.String())
	}
	if err := runSearch(context.Background(), searchOptions{format: "jsonl", limit: 3}, env.g(), ""); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(env.stdout.String()), "\n")
	for _, l := range lines {
		var h index.HitRecord
		if err := json.Unmarshal([]byte(l), &h); err != nil || h.URL == "" {
			t.Errorf("--format jsonl line %q: %v", l, err)
		}
	}
	if len(lines) != 3 {
		t.Errorf("--format jsonl: %d lines, want 3", len(lines))
	}
	for _, o := range []searchOptions{{format: "xml"}, {json: true, format: "jsonl"}} {
		o.limit = 3
		if err := runSearch(context.Background(), o, env.g(), ""); exitCode(err) != 2 {
			t.Errorf("search %+v: %v, want a usage error", o, err)
		}
	}
}

// spellings are the ways a user types value: as shown, lower-cased,
// upper-cased, without accents, with a straight apostrophe.
func spellings(t *testing.T, value string) []string {
	return []string{value, strings.ToLower(value), strings.ToUpper(value), unaccented(t, value), strings.ReplaceAll(unaccented(t, value), "’", "'")}
}

// TestExportFilters: export's --category, --author and --site ignore case
// and accents as search's do, and select the records search does.
func TestExportFilters(t *testing.T) {
	t.Parallel()
	env, site, base := sharedCrawl(t, 60)
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	host := strings.TrimPrefix(strings.TrimSuffix(base, "/"), "http://")
	host, _, _ = strings.Cut(host, ":")
	byCategory, byAuthor := map[string]int{}, map[string]int{}
	for _, a := range truth {
		for _, c := range a.Categories {
			byCategory[c]++
		}
		byAuthor[a.Author]++
	}
	// The filters through the whole command once each; every spelling on
	// one open archive and index, with the filters export and search use.
	for _, o := range []exportOptions{{category: "l'europe"}, {author: unaccented(t, truth[0].Author)}, {site: strings.ToUpper(host)}} {
		o.format = "jsonl"
		if err := runExport(context.Background(), o, env.g()); err != nil {
			t.Fatalf("export %+v: %v", o, err)
		}
		if strings.Count(env.stdout.String(), "\n") == 0 {
			t.Errorf("export %+v: no records", o)
		}
	}
	st, err := openArchiveReadOnly(env.dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := openIndexReadOnly(env.g(), env.dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	exported := func(f archive.Filter) int {
		t.Helper()
		n := 0
		if err := st.Iterate(context.Background(), archive.IterateOptions{Filter: f}, func(folio.Article) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	searched := func(o searchOptions) int {
		t.Helper()
		o.limit = 1000
		q, err := o.query("")
		if err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return int(res.Total)
	}
	accented := false
	for c, n := range byCategory {
		accented = accented || unaccented(t, c) != strings.ToLower(c)
		for _, spelt := range spellings(t, c) {
			if got := exported(archive.Filter{Category: spelt}); got != n {
				t.Errorf("export --category %q: %d records, want %d", spelt, got, n)
			}
		}
	}
	if !accented {
		t.Error("no category of the site has an accent or an apostrophe: the test proves little")
	}
	for a, n := range byAuthor {
		for _, spelt := range spellings(t, a) {
			got, found := exported(archive.Filter{Author: spelt}), searched(searchOptions{author: spelt})
			if got != n || found != n {
				t.Errorf("--author %q: export %d records, search %d; want %d", spelt, got, found, n)
			}
		}
	}
	for _, spelt := range []string{host, strings.ToUpper(host)} {
		if got := exported(archive.Filter{Site: spelt}); got != len(truth) {
			t.Errorf("export --site %q: %d records, want %d", spelt, got, len(truth))
		}
	}
}

// TestExportOutput: -o into a missing directory, or naming a directory,
// is refused with the path at fault; a .gz name compresses every format,
// and import reads it back.
func TestExportOutput(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	site, base := startSite(t, 6)
	crawlInto(t, env, base)
	n := len(site.Expected(strings.TrimSuffix(base, "/")))
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "such")
	for _, tt := range []struct {
		out  string
		want string
	}{
		{filepath.Join(missing, "a.json"), "directory " + missing + " does not exist"},
		{dir, "-o " + dir + " is a directory"},
	} {
		err := runExport(context.Background(), exportOptions{format: "json", output: tt.out}, env.g())
		if exitCode(err) != 2 || !strings.Contains(errString(err), tt.want) || strings.Contains(errString(err), ".tmp") {
			t.Errorf("export -o %s: %v (exit %d), want a usage error saying %q", tt.out, err, exitCode(err), tt.want)
		}
	}
	for _, format := range []string{"json", "jsonl", "warc"} {
		out := filepath.Join(dir, "archive."+format+".gz")
		if err := runExport(context.Background(), exportOptions{format: format, output: out}, env.g()); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		data, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", out, err)
		}
		switch format {
		case "json":
			var records []folio.Article
			if err := json.Unmarshal(data, &records); err != nil || len(records) != n {
				t.Errorf("%s: %d records, %v", out, len(records), err)
			}
		case "jsonl":
			if lines := strings.Count(string(data), "\n"); lines != n {
				t.Errorf("%s: %d lines, want %d", out, lines, n)
			}
			other := newTestEnv(t)
			if err := runImport(context.Background(), other.g(), out, importOptions{maxLine: defaultMaxLine}); err != nil {
				t.Fatalf("import %s: %v", out, err)
			}
			if !strings.Contains(other.stdout.String(), fmt.Sprintf(": %d records, %d new", n, n)) {
				t.Errorf("import %s: %s", out, other.stdout.String())
			}
		case "warc":
			if !strings.HasPrefix(string(data), "WARC/1.1") {
				t.Errorf("%s: not WARC: %.40q", out, data)
			}
		}
	}
}

// TestColor: the built binary, piped, colours its hits only when told to
// always (console.UseColor decides).
func TestColor(t *testing.T) {
	t.Parallel()
	bin := buildFolio(t)
	dir := t.TempDir()
	site, base := startSite(t, 6)
	if r := runFolio(t, bin, dir, "--data", "d", "crawl", "--delay", "0", base); r.code != 0 {
		t.Fatalf("crawl: exit %d\n%s", r.code, r.stderr)
	}
	word := site.Expected(strings.TrimSuffix(base, "/"))[0].Phrase
	for _, tt := range []struct {
		flag    string
		colored bool
	}{{"always", true}, {"never", false}, {"auto", false}} {
		r := runFolio(t, bin, dir, "--data", "d", "--color", tt.flag, "search", word)
		if r.code != 0 || strings.Contains(r.stdout, "\x1b[") != tt.colored || strings.Contains(r.stdout, "«") == tt.colored {
			t.Errorf("--color %s, piped: exit %d, colour %v, want %v\n%s", tt.flag, r.code, strings.Contains(r.stdout, "\x1b["), tt.colored, r.stdout)
		}
	}
	if r := runFolio(t, bin, dir, "--data", "d", "--color", "sometimes", "search", word); r.code != 2 || !strings.Contains(r.stderr, `--color "sometimes": want auto, always or never`) {
		t.Errorf("--color sometimes: exit %d\n%s", r.code, r.stderr)
	}
}
