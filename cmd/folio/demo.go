package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"folio/index"
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
		Args: cobra.NoArgs,
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
	lock, err := lockWriter(cfg.DataDir)
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

	st, err := openArchive(cfg.DataDir, log)
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
	progress := newProgressLine(g.stderr)
	sum, err := job.Run(ctx, target, job.Deps{Archive: st, Index: ix, Logger: log}, func(e job.Event) {
		progress.show(crawlProgress(e.Progress), false)
	})
	progress.done()
	printSummary(g.stdout, sum)
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
	writeHits(g.stdout, res, q, isTerminal(g.stdout))

	data := cfg.DataDir
	fmt.Fprintf(g.stdout, "Try next:\n")
	fmt.Fprintf(g.stdout, "  folio --data %s search coree              # accents and case do not matter\n", data)
	fmt.Fprintf(g.stdout, "  folio --data %s search --category \"L'Europe\" --sort -date migrants\n", data)
	if len(res.Hits) > 0 {
		fmt.Fprintf(g.stdout, "  folio --data %s show %s\n", data, res.Hits[0].URL)
	}
	fmt.Fprintf(g.stdout, "  folio --data %s export --format jsonl -o archive.jsonl\n", data)
	fmt.Fprintf(g.stdout, "  folio --data %s stats\n", data)
	fmt.Fprintf(g.stdout, "  folio demo --serve                           # keep the site up and crawl it yourself\n")

	if !o.serve {
		return nil
	}
	// Serving writes nothing: let other writers at the data directory.
	if err := lock.Release(); err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "\nStill serving %s — in another terminal: folio --data other crawl --delay 0 %s\nCtrl-C to stop.\n", base, base)
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("stop serving: %w", err)
	}
	return nil
}
