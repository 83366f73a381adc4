package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"folio"
	"folio/archive"
)

// chromium finds Debian's chromium. Without it the browser test is
// skipped, except in CI (CI=true), where .ci/run installs it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH: .ci/run installs Debian's chromium package")
	}
	t.Skip("no chromium on PATH (apt-get install chromium)")
	return ""
}

// TestBrowser drives headless Chromium through what a reader does: search
// a French query typed without accents, filter by category, open the first
// hit, follow its previous post; and it opens an archived page that
// carries a script and an onerror handler, which must run nothing.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	path := chromium(t)
	f := fixture(t)
	srv := newServer(t, f.dir, Options{})
	a := withPrevious(t, f)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("headless", "new"), chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	var dialogs atomic.Int32
	err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
		}
	})
	if err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}

	query := archive.FoldKey(a.Title)
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(css("#q")),
		chromedp.SendKeys(css("#q"), query+"\n"),
		// The home page lists the newest records with a total too: wait
		// for the page of the query (its box holds the query as sent), not
		// the home page's total before it goes.
		chromedp.WaitVisible(css(`#q:not([value=""])`)),
		chromedp.WaitVisible(css(".total")),
		chromedp.SendKeys(css(`.filters input[name="category"]`), archive.FoldKey(a.Category)),
		chromedp.Submit(css(`.filters input[name="category"]`)),
		chromedp.WaitVisible(css(".facets a.active")),
	)
	if err != nil {
		t.Fatalf("search: %v", err)
	}
	screenshot(t, ctx, "search.png")
	firstHit := text(t, ctx, ".hit h2 a")
	if firstHit != a.Title {
		t.Fatalf("search %q in category %q: first hit %q, want %q", query, a.Category, firstHit, a.Title)
	}
	// Keyboard: "/" focuses the search box.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("/")); err != nil {
		t.Fatal(err)
	}
	if focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || focused != "q" {
		t.Errorf("after '/', the focus is on %q (%v), want the search box", focused, err)
	}

	if err := chromedp.Do(ctx, chromedp.Click(css(".hit h2 a")), chromedp.WaitVisible(css("article.reader h1"))); err != nil {
		t.Fatalf("open the first hit: %v", err)
	}
	if heading := text(t, ctx, "article.reader h1"); heading != a.Title {
		t.Fatalf("the first hit opens %q, want %q", heading, a.Title)
	}
	screenshot(t, ctx, "article.png")
	if err := chromedp.Do(ctx, chromedp.Click(css(".previous a.archived")), chromedp.WaitVisible(css("article.reader h1"))); err != nil {
		t.Fatalf("follow the previous post: %v", err)
	}
	location, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	heading := text(t, ctx, "article.reader h1")
	if want := srv.URL + "/articles/" + folio.ArticleID(a.Previous.URL); location != want || heading != a.Previous.Title {
		t.Errorf("previous post: at %s, heading %q; want %s, %q", location, heading, want, a.Previous.Title)
	}

	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/articles/"+f.hostile),
		chromedp.WaitVisible(css("article.reader .body")),
		chromedp.Sleep(300*time.Millisecond), // let an image error fire, were it allowed to
	)
	if err != nil {
		t.Fatalf("open the hostile page: %v", err)
	}
	body := text(t, ctx, "article.reader .body")
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.__pwned)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "Un texte ordinaire") {
		t.Errorf("the hostile page's text is not shown: %q", body)
	}
	if pwned != "undefined" || dialogs.Load() != 0 {
		t.Errorf("a script of the archived page ran: window.__pwned = %s, %d dialogs", pwned, dialogs.Load())
	}
}

// text is the visible text of the first element sel selects.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// screenshot saves the whole page as a PNG under artifactDir, for people
// to look at: $FOLIO_TEST_ARTIFACTS/web, or the system's temporary
// directory's folio-test-artifacts/web.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if len(png) < 8 || string(png[1:4]) != "PNG" {
		t.Fatalf("screenshot %s: %d bytes, not a PNG", name, len(png))
	}
	dir := artifactDir(t)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", path, len(png))
}

func artifactDir(t *testing.T) string {
	t.Helper()
	root := os.Getenv("FOLIO_TEST_ARTIFACTS")
	if root == "" {
		root = filepath.Join(os.TempDir(), "folio-test-artifacts")
	}
	dir := filepath.Join(root, "web")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
