package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"folio/index"
	"folio/internal/console"
	"folio/internal/datadir"
	"folio/internal/job"
	"folio/internal/testsite/wpsite"
)

// demoAddr is where the demo serves the test site when the port is free: a
// fixed address keeps the site's URLs, and so the archive's records, the
// same from one demo to the next.
const demoAddr = "127.0.0.1:47080"

type demoOptions struct {
	articles int
	serve    bool
	addr     string
}

func newDemoCmd(g *globalOpts) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve the bundled test site on loopback, crawl it and show a search",
		Long: `Demo shows folio at work with no network: it serves the bundled test site (a
French WordPress-style news site) on a loopback port, crawls it into the data
directory (default ./folio-data), prints a sample search and what to try next.
With --serve it keeps serving the site afterwards, so that you can crawl it
yourself.

Exit status: 0 success, 1 failure, 2 usage error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.Context(), o, g)
		},
	}
	cmd.Flags().IntVar(&o.articles, "articles", 60, "number of articles of the test site")
	cmd.Flags().BoolVar(&o.serve, "serve", false, "keep serving the test site after the crawl, until Ctrl-C")
	cmd.Flags().StringVar(&o.addr, "addr", demoAddr, "address to serve the test site on (a free port is used if it is taken)")
	return cmd
}

func runDemo(ctx context.Context, o demoOptions, g *globalOpts) error {
	if o.articles < 1 {
		return usageErrorf("--articles %d: must be at least 1", o.articles)
	}
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	lock, err := datadir.LockWriter(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		fmt.Fprintf(g.stderr, "%s is taken (%v); using a free port: the records will not match an earlier demo's URLs\n", o.addr, err)
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return fmt.Errorf("listen on loopback: %w", err)
		}
	}
	site := wpsite.New(wpsite.Options{Articles: o.articles})
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(g.stdout, "Serving the test site (%d articles) at %s\n", o.articles, base)
	fmt.Fprintf(g.stdout, "Crawling it into %s …\n\n", cfg.DataDir)

	st, err := openArchive(cfg.ArchiveLocation(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	ix, err := openIndex(cfg.DataDir, log)
	if err != nil {
		return err
	}
	defer ix.Close()

	target := job.SiteFor(base)
	target.Crawl.Concurrency = 8
	noDelay := time.Duration(0)
	target.Crawl.Delay = &noDelay
	progress := console.NewProgress(g.stderr)
	sum, err := job.Run(ctx, target, job.Deps{Archive: st, Index: ix, Logger: log}, job.RunOptions{}, func(e job.Event) {
		progress.Show(e.Progress.ProgressLine(), false)
	})
	progress.Done()
	sum.WriteReport(g.stdout)
	if err != nil {
		return err
	}

	const sample = "corée russie"
	q := index.Query{Text: sample, Limit: 3}
	res, err := ix.Search(ctx, q)
	if err != nil {
		return fmt.Errorf("sample search: %w", err)
	}
	fmt.Fprintf(g.stdout, "\n$ folio search %q\n", sample)
	writeHits(g.stdout, res, q, g.colorOn(g.stdout))

	exe, _ := os.Executable()
	self := selfCommand(exe, os.Args[0])
	data := cfg.DataDir
	if self == goRunSelf {
		fmt.Fprintf(g.stdout, "Try next (or build folio once, go build -o folio ./cmd/folio, and run ./folio in place of %s):\n", goRunSelf)
	} else {
		fmt.Fprintf(g.stdout, "Try next:\n")
	}
	fmt.Fprintf(g.stdout, "  %s --data %s search coree              # accents and case do not matter\n", self, data)
	fmt.Fprintf(g.stdout, "  %s --data %s search --category \"L'Europe\" --sort -date migrants\n", self, data)
	if len(res.Hits) > 0 {
		fmt.Fprintf(g.stdout, "  %s --data %s show %s\n", self, data, res.Hits[0].URL)
	}
	fmt.Fprintf(g.stdout, "  %s --data %s export --format jsonl -o archive.jsonl\n", self, data)
	fmt.Fprintf(g.stdout, "  %s --data %s stats\n", self, data)
	fmt.Fprintf(g.stdout, "  %s --data %s serve                        # read and search it in a browser, at http://127.0.0.1:8080/\n", self, data)
	fmt.Fprintf(g.stdout, "  %s demo --serve                           # keep the site up and crawl it yourself\n", self)

	if !o.serve {
		return nil
	}
	// Serving writes nothing: let other writers at the data directory.
	if err := lock.Release(); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "\nStill serving %s — in another terminal: %s --data other crawl --delay 0 %s\nCtrl-C to stop.\n", base, self, base)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stop serving: %w", err)
	}
	return nil
}

// goRunSelf is how to run folio from the repository's root without
// building it.
const goRunSelf = "go run ./cmd/folio"

// selfCommand is what a user types to run this folio again, for the
// commands the demo suggests: "go run ./cmd/folio" when exe, the running
// executable, is one that go run built (it lives in go-build…/…/exe/ and is
// gone when it exits); otherwise arg0 when it names a path (./folio), else
// "folio", found on the PATH.
func selfCommand(exe, arg0 string) string {
	dir := filepath.Dir(exe)
	if filepath.Base(dir) == "exe" && strings.Contains(filepath.ToSlash(dir), "/go-build") {
		return goRunSelf
	}
	if strings.ContainsRune(arg0, filepath.Separator) || strings.ContainsRune(arg0, '/') {
		return arg0
	}
	return "folio"
}
