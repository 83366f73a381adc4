package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/google/go-cmp/cmp"

	"folio/index"
	"folio/internal/datadir"
	"folio/internal/job"
	"folio/internal/testsite/wpsite"
)

// crawlInto crawls the site at base into env's data directory through the
// CLI's own path, which archives and indexes.
func crawlInto(t *testing.T, env *testEnv, base string) {
	t.Helper()
	if err := runCrawl(context.Background(), localCrawl(), env.g(), []string{base}); err != nil {
		t.Fatalf("crawl: %v\nstderr: %s", err, env.stderr.String())
	}
}

// archiveOnly crawls the site at base into the archive of env, and not
// into the index: what a crash between the two writes leaves behind.
func archiveOnly(t *testing.T, env *testEnv, base string) {
	t.Helper()
	st, err := openArchive(env.dataDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	site := job.SiteFor(base)
	site.Crawl.Concurrency = 8
	noDelay := time.Duration(0)
	site.Crawl.Delay = &noDelay
	if _, err := job.Run(context.Background(), site, job.Deps{Archive: st}, job.RunOptions{}, nil); err != nil {
		t.Fatal(err)
	}
}

// search runs folio search and returns its error and stderr; the hits are
// decoded from --json.
func search(t *testing.T, env *testEnv, query string, o searchOptions) ([]index.HitRecord, string, error) {
	t.Helper()
	o.json = true
	if o.limit == 0 {
		o.limit = 1000
	}
	g := env.g()
	err := runSearch(context.Background(), o, g, query)
	if err != nil {
		return nil, env.stderr.String(), err
	}
	var res index.Response
	if err := json.Unmarshal(env.stdout.Bytes(), &res); err != nil {
		t.Fatalf("search --json output: %v\n%s", err, env.stdout.String())
	}
	if res.Total < uint64(len(res.Hits)) {
		t.Errorf("search --json: total %d, %d hits", res.Total, len(res.Hits))
	}
	return res.Hits, env.stderr.String(), err
}

func lastSeq(t *testing.T, dataDir string) uint64 {
	t.Helper()
	ix, err := index.Open(datadir.IndexDir(dataDir), index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	seq, err := ix.LastSeq()
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// TestSearchCatchesUpWithTheArchive: records archived but never indexed (a
// crash between the archive write and the index write), and an index
// deleted outright, are indexed by the next search, which finds them.
func TestSearchCatchesUpWithTheArchive(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	_, baseA := startSite(t, 20)
	crawlInto(t, env, baseA)
	indexed := lastSeq(t, env.dataDir)

	siteB := wpsite.New(wpsite.Options{Articles: 15, Seed: 9})
	srvB := httptest.NewServer(siteB)
	defer srvB.Close()
	archiveOnly(t, env, srvB.URL+"/")
	if lastSeq(t, env.dataDir) != indexed {
		t.Fatal("an archive-only run wrote to the index")
	}
	truthB := siteB.Expected(srvB.URL)

	hits, stderr, err := search(t, env, `"`+truthB[3].Phrase+`"`, searchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].URL != truthB[3].URL {
		t.Errorf("phrase of an article archived but not indexed: hits %v, want %s", hitURLs(hits), truthB[3].URL)
	}
	for _, want := range []string{"indexing them first", "indexed 15 records"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// Caught up: the next search has nothing to say.
	if _, stderr, err := search(t, env, "corée", searchOptions{}); err != nil || stderr != "" {
		t.Errorf("second search: %v, stderr %q", err, stderr)
	}

	// No index at all: it is built from the archive.
	if err := os.RemoveAll(datadir.IndexDir(env.dataDir)); err != nil {
		t.Fatal(err)
	}
	hits, stderr, err = search(t, env, "", searchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 35 || !strings.Contains(stderr, "indexed 35 records") {
		t.Errorf("search with the index deleted: %d hits, stderr %q; want all 35 records, indexed first", len(hits), stderr)
	}
}

// TestSearchBesideAWriter: while another folio holds the data directory (a
// crawl), search does not catch up, which would wait for that writer: it
// searches the index as it is, and says so.
func TestSearchBesideAWriter(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	site, base := startSite(t, 12)
	crawlInto(t, env, base)
	other := wpsite.New(wpsite.Options{Articles: 5, Seed: 3})
	srv := httptest.NewServer(other)
	defer srv.Close()
	archiveOnly(t, env, srv.URL+"/")
	before := lastSeq(t, env.dataDir)

	lock, err := datadir.LockWriter(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	hits, stderr, err := search(t, env, "", searchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != len(site.Expected(strings.TrimSuffix(base, "/"))) {
		t.Errorf("%d hits, want the %d records indexed before", len(hits), 12)
	}
	if !strings.Contains(stderr, "is writing to") {
		t.Errorf("stderr does not say another folio is writing:\n%s", stderr)
	}
	if got := lastSeq(t, env.dataDir); got != before {
		t.Errorf("the search wrote to the index (last sequence %d → %d) while another folio held the data directory", before, got)
	}
}

// TestSearchUnreadableIndex: a damaged index gives an error that says how
// to rebuild it, exit status 1; folio reindex rebuilds it.
func TestSearchUnreadableIndex(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	site, base := startSite(t, 10)
	crawlInto(t, env, base)
	if err := os.WriteFile(filepath.Join(datadir.IndexDir(env.dataDir), "index_meta.json"), []byte("not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := search(t, env, "corée", searchOptions{})
	if err == nil || !strings.Contains(err.Error(), "unreadable") || !strings.Contains(err.Error(), "folio --data "+env.dataDir+" reindex") {
		t.Fatalf("search of a damaged index: error %v, want one saying it is unreadable and how to rebuild it", err)
	}
	if code := exitCode(err); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	reindexAndFind(t, env, site.Expected(strings.TrimSuffix(base, "/"))[4])
}

// reindexAndFind runs folio reindex and checks that a search for want's
// phrase finds want alone.
func reindexAndFind(t *testing.T, env *testEnv, want wpsite.Article) {
	t.Helper()
	if err := runReindex(context.Background(), env.g()); err != nil {
		t.Fatalf("reindex: %v", err)
	}
	hits, _, err := search(t, env, `"`+want.Phrase+`"`, searchOptions{})
	if err != nil || len(hits) != 1 || hits[0].URL != want.URL {
		t.Errorf("search after reindex: %v, %v; want %s", hitURLs(hits), err, want.URL)
	}
}

// TestSearchIndexOfAnOlderVersion: an index built by an earlier folio, with
// an older mapping, gives an error naming both versions and how to rebuild
// it; folio reindex rebuilds it.
func TestSearchIndexOfAnOlderVersion(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	site, base := startSite(t, 10)
	crawlInto(t, env, base)
	bi, err := bleve.Open(datadir.IndexDir(env.dataDir))
	if err != nil {
		t.Fatal(err)
	}
	older := strconv.Itoa(index.MappingVersion - 1)
	if err := bi.SetInternal([]byte("folio.mapping_version"), []byte(older)); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	_, _, err = search(t, env, "corée", searchOptions{})
	if err == nil || !strings.Contains(err.Error(), "mapping version "+older+", this folio needs version "+strconv.Itoa(index.MappingVersion)) ||
		!strings.Contains(err.Error(), "folio --data "+env.dataDir+" reindex") {
		t.Fatalf("search of an older index: error %v, want one naming both versions and how to rebuild it", err)
	}
	reindexAndFind(t, env, site.Expected(strings.TrimSuffix(base, "/"))[3])
}

// TestSearchShowsTheRecordsOwnDate: the fixture site dates its articles at
// midnight in Paris; a hit shows that day, and --json the time with its
// offset, not the day before in UTC.
func TestSearchShowsTheRecordsOwnDate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	site, base := startSite(t, 10)
	crawlInto(t, env, base)
	for _, want := range site.Expected(strings.TrimSuffix(base, "/"))[:3] {
		hits, _, err := search(t, env, `"`+want.Phrase+`"`, searchOptions{})
		if err != nil || len(hits) != 1 {
			t.Fatalf("search %q: %v, %v", want.Phrase, hitURLs(hits), err)
		}
		if hits[0].Published == nil || *hits[0].Published != want.Published.Format(time.RFC3339) {
			t.Errorf("%s: --json published %v, want %s", want.URL, hits[0].Published, want.Published.Format(time.RFC3339))
		}
		g := env.g()
		if err := runSearch(context.Background(), searchOptions{limit: 1}, g, `"`+want.Phrase+`"`); err != nil {
			t.Fatal(err)
		}
		if day := want.Published.Format("2006-01-02") + " · " + want.Category; !strings.Contains(env.stdout.String(), day) {
			t.Errorf("%s: output lacks %q:\n%s", want.URL, day, env.stdout.String())
		}
	}
}

// TestSearchFlags: the filter and sort flags reach the index as the
// ground truth says, --until including its day.
func TestSearchFlags(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	site, base := startSite(t, 40)
	crawlInto(t, env, base)
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	pick := truth[7]
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02", s, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	since, until := "2021-01-01", "2022-06-30"
	tests := []struct {
		name string
		o    searchOptions
		keep func(wpsite.Article) bool
	}{
		{"category", searchOptions{category: pick.Category}, func(a wpsite.Article) bool { return a.Category == pick.Category }},
		{"author", searchOptions{author: pick.Author}, func(a wpsite.Article) bool { return a.Author == pick.Author }},
		{"since and until", searchOptions{since: since, until: until}, func(a wpsite.Article) bool {
			return !a.Published.Before(day(since)) && a.Published.Before(day(until).AddDate(0, 0, 1))
		}},
		{"until is inclusive", searchOptions{until: pick.Published.In(time.Local).Format("2006-01-02")}, func(a wpsite.Article) bool {
			return a.Published.Before(day(pick.Published.In(time.Local).Format("2006-01-02")).AddDate(0, 0, 1))
		}},
	}
	if len(pick.Tags) > 0 {
		tag := pick.Tags[0]
		tests = append(tests, struct {
			name string
			o    searchOptions
			keep func(wpsite.Article) bool
		}{"tag", searchOptions{tag: tag}, func(a wpsite.Article) bool {
			for _, t := range a.Tags {
				if t == tag {
					return true
				}
			}
			return false
		}})
	}
	for _, tt := range tests {
		// Sorted oldest first, the hits are the kept articles in date
		// order (the ground truth is newest first).
		tt.o.sort = "date"
		var want []string
		for i := len(truth) - 1; i >= 0; i-- {
			if tt.keep(truth[i]) {
				want = append(want, truth[i].URL)
			}
		}
		hits, _, err := search(t, env, "", tt.o)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, hitURLs(hits)); diff != "" {
			t.Errorf("%s: hits (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestSearchUsageErrors: a malformed query or flag is a one-line error that
// points at the problem, exit status 2.
func TestSearchUsageErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	_, base := startSite(t, 5)
	crawlInto(t, env, base)
	tests := []struct {
		query string
		o     searchOptions
		want  string
	}{
		{`russie "corée`, searchOptions{}, "unterminated quote at column 8"},
		{`russie corée"`, searchOptions{}, "unterminated quote at column 13"},
		{`corée^x`, searchOptions{}, `invalid boost value`},
		{`corée`, searchOptions{sort: "pertinence"}, `--sort "pertinence": want relevance, date (oldest first) or -date (newest first)`},
		{`corée`, searchOptions{since: "07/11/2022"}, `--since "07/11/2022": want a day as YYYY-MM-DD`},
		{`corée`, searchOptions{since: "2023-01-01", until: "2022-01-01"}, "until must be after since"},
		{`obus~3`, searchOptions{}, "fuzziness"},
	}
	for _, tt := range tests {
		tt.o.limit = 10
		err := runSearch(context.Background(), tt.o, env.g(), tt.query)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("search %q %+v: error %v, want one containing %q", tt.query, tt.o, err, tt.want)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("search %q: error of more than one line: %q", tt.query, err)
		}
		if code := exitCode(err); code != 2 {
			t.Errorf("search %q: exit status %d, want 2", tt.query, code)
		}
	}
}

// TestSearchOutput holds the output for people to testdata/search/*.golden,
// written by hand: plain when piped, ANSI bold and colour on a terminal.
func TestSearchOutput(t *testing.T) {
	t.Parallel()
	res := index.Result{
		Total: 2,
		Took:  1234 * time.Microsecond,
		Hits: []index.Hit{
			{
				ID: "a1", URL: "https://radio.example/2022/11/07/coree/", Title: "Entre la Corée du Nord et la Russie",
				Published: time.Date(2022, 11, 7, 0, 0, 0, 0, time.FixedZone("", 3600)), Category: "L'Europe", Score: 2.5,
				Snippets: []string{"…selon Séoul, la " + index.MarkStart + "Corée" + index.MarkEnd + " du Nord a envoyé des troupes…"},
			},
			{ID: "b2", URL: "https://radio.example/moscou/", Title: "Moscou durcit le ton", Score: 1},
		},
		Facets: index.Facets{
			Category: []index.FacetCount{{Value: "L'Europe", Count: 1}, {Value: "Monde", Count: 1}},
			Month:    []index.FacetCount{{Value: "2022-11", Count: 1}, {Value: "2021-03", Count: 1}},
		},
	}
	for _, tt := range []struct {
		golden string
		tty    bool
	}{{"plain.golden", false}, {"tty.golden", true}} {
		var out bytes.Buffer
		writeHits(&out, res, index.Query{Facets: true}, tt.tty)
		want, err := os.ReadFile(filepath.Join("testdata", "search", tt.golden))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), out.String()); diff != "" {
			t.Errorf("output (-%s +got):\n%s", tt.golden, diff)
		}
	}

	// --offset beyond the hits: the count, and no range.
	var past bytes.Buffer
	writeHits(&past, index.Result{Total: 2, Took: 1234 * time.Microsecond}, index.Query{Offset: 50}, false)
	if want := "2 matches (1.234ms); none past --offset 50\n"; past.String() != want {
		t.Errorf("offset past the hits: %q, want %q", past.String(), want)
	}

	var out bytes.Buffer
	if err := writeHitsJSONL(&out, res); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"a1","url":"https://radio.example/2022/11/07/coree/","title":"Entre la Corée du Nord et la Russie","published":"2022-11-07T00:00:00+01:00","category":"L'Europe","score":2.5,"snippets":["…selon Séoul, la Corée du Nord a envoyé des troupes…"]}
{"id":"b2","url":"https://radio.example/moscou/","title":"Moscou durcit le ton","published":null,"category":"","score":1,"snippets":[]}
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("--format jsonl (-want +got):\n%s", diff)
	}
}

// TestSearchDuringCrawl runs the built folio: a crawl in one process, and
// searches in others, one after the other, for as long as it runs. Every
// search succeeds (the crawl holds the index only while it writes a batch),
// and the last one finds every article.
func TestSearchDuringCrawl(t *testing.T) {
	bin := buildFolio(t)
	const articles = 60
	site := wpsite.New(wpsite.Options{Articles: articles, Latency: 10 * time.Millisecond})
	srv := httptest.NewServer(site)
	defer srv.Close()
	work := t.TempDir()
	data := filepath.Join(work, "d")

	crawl := exec.Command(bin, "--data", data, "crawl", "--concurrency", "2", "--delay", "0", srv.URL+"/")
	crawl.Dir = work
	var crawlErr bytes.Buffer
	crawl.Stderr = &crawlErr
	if err := crawl.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- crawl.Wait() }()
	deadline := time.AfterFunc(2*time.Minute, func() { crawl.Process.Kill() })
	defer deadline.Stop()

	searches, noted := 0, false
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("crawl: %v\n%s", err, crawlErr.String())
			}
			running = false
			continue
		default:
		}
		r := runFolio(t, bin, work, "--data", data, "search", "--format", "jsonl", "--limit", "1000")
		switch {
		case r.code == 0:
			searches++
			noted = noted || strings.Contains(r.stderr, "is writing to")
		case r.code == 1 && strings.Contains(r.stderr, "no search index"):
			// The crawl has not created the index yet.
		default:
			t.Fatalf("search during the crawl: exit %d\n%s", r.code, r.stderr)
		}
	}
	if searches < 3 {
		t.Errorf("only %d searches ran during the crawl: make the site slower", searches)
	}
	if !noted {
		t.Error("no search said a crawl was writing to the data directory")
	}
	r := runFolio(t, bin, work, "--data", data, "search", "--format", "jsonl", "--limit", "1000")
	if n := strings.Count(r.stdout, "\n"); r.code != 0 || n != articles {
		t.Errorf("search after the crawl: exit %d, %d hits; want %d\n%s", r.code, n, articles, r.stderr)
	}
}
