package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"folio/archive"
)

// TestReextract crawls the test site, then re-extracts it through the
// command with rules that drop each article's lead paragraph and take one
// article for no article: each other record gets a second revision without
// its lead, the one no longer an article is kept, and a second run changes
// nothing.
func TestReextract(t *testing.T) {
	env := newTestEnv(t)
	site, base := startSite(t, 8)
	ctx := context.Background()
	if err := runCrawl(ctx, localCrawl(), env.g(), []string{base}); err != nil {
		t.Fatal(err)
	}
	notArticle := site.ArticlePaths()[0]
	config := fmt.Sprintf(`sites:
  - name: blog
    start_urls: [%q]
    rules:
      drop: ".entry-content > p:first-child"
      not_article: 'link[rel="canonical"][href$="%s"]'
`, base, notArticle)
	if err := os.WriteFile(env.configFile, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	leads := map[string]string{} // url → the lead paragraph the crawl stored
	st, err := archive.OpenReadOnly(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range site.ArticlePaths() {
		a, err := st.Get(ctx, base+strings.TrimPrefix(p, "/"))
		if err != nil {
			t.Fatal(err)
		}
		leads[a.URL], _, _ = strings.Cut(a.Body, "\n\n")
	}
	st.Close()

	tests := []struct {
		name    string
		o       reextractOptions
		want    string // in the summary line, or in the error
		wantErr int    // the exit status, when not 0
	}{
		{"unknown site", reextractOptions{site: "nowhere"}, `--site "nowhere": no configured site has that name (blog), and the archive holds no record of that host (127.0.0.1)`, 2},
		{"bad day", reextractOptions{since: "last week"}, `--since "last week": want a day as YYYY-MM-DD`, 2},
		{"nothing fetched since", reextractOptions{since: "2999-01-01"}, "re-extracted 0 records", 0},
		{"the configured site", reextractOptions{site: "blog"},
			"7 changed (a new revision each), 0 updated in place (same text, other fields changed), 0 unchanged, 1 no longer an article (record kept as it was); 7 indexed", 0},
		{"again, by host", reextractOptions{site: "127.0.0.1"},
			"7 unchanged, 1 no longer an article (record kept as it was); 0 indexed", 0},
	}
	for _, tt := range tests {
		g := env.g()
		err := runReextract(ctx, g, tt.o)
		if code := exitCode(err); code != tt.wantErr {
			t.Fatalf("%s: exit status %d (%v), want %d", tt.name, code, err, tt.wantErr)
		}
		got := env.stdout.String()
		if err != nil {
			got = err.Error()
		}
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q in it", tt.name, got, tt.want)
		}
		t.Logf("%s: %s", tt.name, strings.TrimSpace(got))
	}

	st, err = archive.OpenReadOnly(env.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for url, lead := range leads {
		a, err := st.Get(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		revs, err := st.Revisions(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		kept := strings.HasSuffix(url, notArticle)
		switch {
		case kept && (len(revs) != 1 || !strings.HasPrefix(a.Body, lead)):
			t.Errorf("%s, no longer an article: %d revisions, body %.40q; want it kept as crawled", url, len(revs), a.Body)
		case !kept && (len(revs) != 2 || strings.Contains(a.Body, lead)):
			t.Errorf("%s: %d revisions, body %.40q; want a second revision without the lead %.40q", url, len(revs), a.Body, lead)
		}
	}
	// The index followed: searching the new text of a record finds it.
	for url := range leads {
		if strings.HasSuffix(url, notArticle) {
			continue
		}
		a, _ := st.Get(ctx, url)
		words := strings.Fields(a.Body)
		phrase := `"` + strings.Join(words[:6], " ") + `"`
		if hits := hitURLs(searchJSON(t, env, phrase, searchOptions{limit: 20})); !containsString(hits, url) {
			t.Errorf("search %s finds %v, not %s", phrase, hits, url)
		}
		break
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
