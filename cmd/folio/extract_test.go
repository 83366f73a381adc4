package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExtractExplain checks that --explain names, for each field, the layer
// and rule that gave it, and for a page that is no article, the reason.
func TestExtractExplain(t *testing.T) {
	dir := t.TempDir()
	article := filepath.Join(dir, "article.html")
	page := `<html lang="en"><head><title>Night buses stay | The Ledger</title>
<meta property="article:published_time" content="2024-01-01T09:00:00Z"></head>
<body class="single postid-4"><article><h1 class="entry-title">Night buses stay</h1>
<a rel="author" href="/staff/jo/">Jo Baker</a>
<div class="entry-content"><p>The council voted to keep the three night bus routes the agency had proposed to cut.</p></div>
</article></body></html>`
	if err := os.WriteFile(article, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t)
	o := extractOptions{url: "https://ledger.example/night-buses/", explain: true}
	if err := runExtract(context.Background(), o, env.g(), article); err != nil {
		t.Fatalf("extract --explain: %v", err)
	}
	out := env.stdout.String()
	for _, want := range []string{
		`(?m)^title\s+rules\s+h1\.entry-title\s+Night buses stay$`,
		`(?m)^published\s+metadata\s+meta article:published_time\s+2024-01-01T10:00:00\+01:00$`,
		`(?m)^author\s+rules\s+a\[rel~=author\]\s+Jo Baker$`,
		`(?m)^body\s+rules\s+\.entry-content\s+The council voted`,
		`(?m)^language\s+metadata\s+html\[lang\]\s+en$`,
		`(?m)^modified\s+none\s+-$`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("explanation lacks %s:\n%s", want, out)
		}
	}

	listing := filepath.Join(dir, "home.html")
	if err := os.WriteFile(listing, []byte(`<html><body class="home blog"><article><h2>A</h2></article></body></html>`), 0o644); err != nil {
		t.Fatal(err)
	}
	o.url = "https://ledger.example/"
	err := runExtract(context.Background(), o, env.g(), listing)
	if err == nil || exitCode(err) != 1 {
		t.Fatalf("extract --explain of a home page: err %v (exit %d), want exit 1", err, exitCode(err))
	}
	if got := env.stdout.String(); !strings.Contains(got, "not an article: home page") {
		t.Errorf("explanation = %q, want the reason", got)
	}
}
