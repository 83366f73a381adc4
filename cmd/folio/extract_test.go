package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestExtractExplain checks that --explain names, for each field, the layer
// and rule that gave it, and for a page that is no article, the reason.
func TestExtractExplain(t *testing.T) {
	t.Parallel()
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
		`(?m)^published\s+metadata\s+meta article:published_time\s+2024-01-01T09:00:00Z$`,
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

// TestExtractURLGzipBomb: a page sent with Content-Encoding x-gzip that
// unpacks to 10 GB makes extract fail naming the cap, having allocated a
// bounded amount.
func TestExtractURLGzipBomb(t *testing.T) {
	// Not parallel: it measures the allocations of the whole process.
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	member := zb.Bytes()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/bomb/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Encoding", "x-gzip")
		// 10 GB of zeros, sent as the client reads: gzip members of 1 MiB
		// each, concatenated.
		for range 10 << 10 {
			if _, err := w.Write(member); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	env := newTestEnv(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := runExtract(context.Background(), extractOptions{}, env.g(), srv.URL+"/bomb/")
	runtime.ReadMemStats(&after)
	if err == nil || exitCode(err) != 1 || !strings.Contains(err.Error(), "body_too_large") {
		t.Errorf("extract of a gzip bomb: %v (exit %d), want exit 1 naming body_too_large", err, exitCode(err))
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 100<<20 {
		t.Errorf("extract allocated %d MB, want under 100 MB", alloc>>20)
	}
}
