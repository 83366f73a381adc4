package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"folio"
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
	var st statsJSON
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
	env := newTestEnv(t)
	site, base := startSite(t, 60)
	crawlInto(t, env, base)
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	if len(truth) != 60 {
		t.Fatalf("%d articles, want 60", len(truth))
	}
	for _, a := range truth {
		for _, q := range []string{a.Title, unaccented(t, a.Title), a.Title + " ?", "« " + a.Title + " » !"} {
			hits, _, err := search(t, env, q, searchOptions{limit: 1})
			if err != nil {
				t.Errorf("search %q: %v", q, err)
				continue
			}
			if len(hits) == 0 || hits[0].URL != a.URL {
				t.Errorf("search %q: first hit %v, want %s", q, hitURLs(hits), a.URL)
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
