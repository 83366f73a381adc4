package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"folio/archive"
)

// TestStats crawls the test site by hand, then on schedule, and holds
// `folio stats` (text and --json) to the site's ground truth and to the two
// runs.
func TestStats(t *testing.T) {
	t.Parallel()
	const articles = 18
	site, base := startSite(t, articles)
	truth := site.Expected(strings.TrimSuffix(base, "/"))
	env := newTestEnv(t)
	ctx := context.Background()
	if err := runCrawl(ctx, localCrawl(), env.g(), []string{base}); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf("sites:\n  - name: wp\n    start_urls: [%q]\n    schedule: \"@hourly\"\n    crawl: {concurrency: 8, delay: 0s}\n", base)
	if err := os.WriteFile(env.configFile, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := runSchedule(ctx, scheduleOptions{once: true}, env.g()); err != nil {
		t.Fatal(err)
	}

	g := env.g()
	if err := runStats(ctx, g, true, 10); err != nil {
		t.Fatal(err)
	}
	var got archive.StatsRecord
	if err := json.Unmarshal(env.stdout.Bytes(), &got); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, env.stdout.String())
	}

	// Expected counts, from the site's ground truth.
	host := "127.0.0.1"
	perCategory, perMonth := map[string]int64{}, map[string]int64{}
	for _, a := range truth {
		perCategory[a.Category]++
		perMonth[a.Published.Format("2006-01")]++
	}
	counts := func(m map[string]int64) map[string]int64 {
		out := map[string]int64{}
		for k, n := range m {
			out[host+"|"+k] = n
		}
		return out
	}
	gotCategories, gotMonths := map[string]int64{}, map[string]int64{}
	for _, c := range got.Categories {
		gotCategories[c.Site+"|"+c.Category] += c.Articles
	}
	for _, c := range got.Months {
		gotMonths[c.Site+"|"+c.Month] += c.Articles
	}
	if got.Articles != articles || got.Revisions != articles || got.Captures != articles {
		t.Errorf("articles %d, revisions %d, captures %d; want %d each", got.Articles, got.Revisions, got.Captures, articles)
	}
	if diff := cmp.Diff([]archive.SiteCountRecord{{Site: host, Articles: articles}}, got.Sites); diff != "" {
		t.Errorf("sites (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(counts(perCategory), gotCategories); diff != "" {
		t.Errorf("categories (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(counts(perMonth), gotMonths); diff != "" {
		t.Errorf("months (-want +got):\n%s", diff)
	}

	// Runs, newest first: the scheduled one, then the manual one.
	if len(got.Runs) != 2 {
		t.Fatalf("%d runs, want 2: %+v", len(got.Runs), got.Runs)
	}
	type runSummary struct {
		Site, Trigger             string
		New, Changed, Unchanged   int
		Errors                    int
		Ended                     bool
		ErrorsByKind              map[string]int
		FetchedAtLeastTheArticles bool
	}
	summarise := func(r archive.RunRecord) runSummary {
		return runSummary{r.Site, r.Trigger, r.New, r.Changed, r.Unchanged, r.Errors, r.Ended != nil && !r.Ended.Before(r.Started),
			r.ErrorsByKind, r.Fetched >= articles}
	}
	// The site sends no validators and its articles are years old: the
	// scheduled run right after fetches none of them again
	// (crawler.Recheck).
	want := []runSummary{
		{"wp", "schedule", 0, 0, 0, 0, true, map[string]int{}, true},
		{host, "manual", articles, 0, 0, 0, true, map[string]int{}, true},
	}
	for i, r := range got.Runs {
		if diff := cmp.Diff(want[i], summarise(r)); diff != "" {
			t.Errorf("run %d (-want +got):\n%s", i, diff)
		}
	}
	// Raw JSON keys, as scripts see them: snake_case, each list with its
	// own.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(env.stdout.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for list, keys := range map[string][]string{
		"runs":       {"id", "site", "trigger", "started", "ended", "fetched", "new", "changed", "unchanged", "not_modified", "errors", "errors_by_kind"},
		"sites":      {"site", "articles"},
		"categories": {"site", "category", "articles"},
		"months":     {"site", "month", "articles"},
	} {
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(raw[list], &items); err != nil || len(items) == 0 {
			t.Fatalf("stats --json %s: %v, %d items", list, err, len(items))
		}
		for _, item := range items {
			for _, k := range keys {
				if _, ok := item[k]; !ok {
					t.Errorf("stats --json %s lack %q: %s", list, k, raw[list])
				}
			}
			for k := range item {
				if !slices.Contains(keys, k) && !(list == "runs" && k == "failure") {
					t.Errorf("stats --json %s have key %q", list, k)
				}
			}
		}
	}
	for k := range raw {
		if strings.ToLower(k) != k {
			t.Errorf("stats --json has key %q", k)
		}
	}

	g = env.g()
	if err := runStats(ctx, g, false, 10); err != nil {
		t.Fatal(err)
	}
	text := env.stdout.String()
	for _, want := range []string{
		fmt.Sprintf("%d articles, %d revisions, %d raw captures", articles, articles, articles),
		"by site", "by category", "by month", "recent runs",
		" wp (schedule, ", "unchanged 0",
		fmt.Sprintf(" %s (manual, ", host), fmt.Sprintf("new %d", articles),
	} {
		if !strings.Contains(text, want) {
			t.Errorf("stats lacks %q:\n%s", want, text)
		}
	}
}
