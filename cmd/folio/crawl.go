package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/internal/config"
	"folio/internal/console"
	"folio/internal/job"
)

type crawlOptions struct {
	site        string
	full        bool
	concurrency int
	delay       time.Duration
	maxPages    int
	maxDepth    int
	json        bool
}

func (o *crawlOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.site, "site", "", "crawl only the configured site with this name")
	f.BoolVar(&o.full, "full", false, "re-fetch every page in full, archived articles included, instead of asking conditionally or waiting until they are due")
	f.IntVar(&o.concurrency, "concurrency", 0, "requests in flight per host (default from config, else 2)")
	o.delay = -1 // unset: the config's, else 1s
	f.Var(durationFlag{&o.delay}, "delay", "least time between requests to one host, e.g. 500ms, 2 (seconds) or 0 for local sites (default from config, else 1s)")
	f.IntVar(&o.maxPages, "max-pages", 0, "most URLs fetched in this run; the rest is resumed by the next run (default no limit)")
	f.IntVar(&o.maxDepth, "max-depth", 0, "most links followed from a start URL (default no limit)")
	f.BoolVar(&o.json, "json", false, "print the summary of each crawl as JSON Lines on stdout: one object a line, one line per site")
}

func newCrawlCmd(g *globalOpts) *cobra.Command {
	var o crawlOptions
	cmd := &cobra.Command{
		Use:   "crawl [URL...]",
		Short: "Crawl the given start URLs, or every site in the config",
		Long: `Crawl fetches the pages of each site, extracts every article, stores it in the
archive (a new revision only when its content changed) and indexes it.

With URLs, each is crawled as a site of its own, with the settings of the
configured site of the same host if there is one, else polite defaults
(2 requests in flight, 1s apart, robots.txt obeyed). Without URLs, every site
of the config file is crawled.

Crawls are incremental: archived pages are fetched conditionally
(If-None-Match / If-Modified-Since) and unchanged ones cost a 304. On a site
that sends neither validator, an archived article is fetched again only when
a feed or sitemap dates a change after its last fetch, or when it is due on
the crawl.recheck schedule, which thins with its age (30 days at most by
default); the others are counted as skipped "not_due". --full fetches
everything again. A crawl stopped by Ctrl-C, or killed, resumes where it
stopped on the next run of the same site.

Exit status: 0 when the crawl finished, even with page errors (they are
counted in the summary); 1 when it could not run or was stopped, when no
start URL could be fetched (the error names each and why), or when the
index is damaged (the crawl is archived all the same: rebuild the index with
'folio reindex'); 2 for a usage or configuration error.`,
		Example: `  folio --data ./d crawl https://radio.example/
  folio --data ./d crawl --concurrency 8 --delay 0 http://127.0.0.1:8080/
  folio --config config.yaml crawl --site radio-exemple`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCrawl(cmd.Context(), o, g, args)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func runCrawl(ctx context.Context, o crawlOptions, g *globalOpts, args []string) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	sites, err := crawlSites(cfg, o, args)
	if err != nil {
		return err
	}
	st, done, err := openWriter(cfg, log)
	if err != nil {
		return err
	}
	defer done()
	ix, indexErr, err := openIndexOrArchiveOnly(cfg.DataDir, log, "crawling")
	if err != nil {
		return err
	}
	if ix != nil {
		defer ix.Close()
	}

	var failed, unreached []string
	for _, site := range sites {
		progress := console.NewProgress(g.stderr)
		sum, err := job.Run(ctx, site, job.Deps{Archive: st, Index: ix, Logger: log}, job.RunOptions{Full: o.full}, func(e job.Event) {
			progress.Show(e.Progress.ProgressLine(), false)
		})
		progress.Done()
		var se *job.StartURLsError
		nothing := err != nil && ctx.Err() == nil && errors.As(err, &se)
		switch {
		case o.json:
			_ = json.NewEncoder(g.stdout).Encode(sum.Record(err))
		case sum.RunID != 0 && !nothing:
			sum.WriteReport(g.stdout)
		}
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return fmt.Errorf("crawl stopped: %w", context.Cause(ctx))
		case nothing:
			// Said once, in the error: the URL and why it failed.
			unreached = append(unreached, fmt.Sprintf("crawl of %s fetched nothing: %v", site.Name, se))
		default:
			log.Error("crawl failed", slog.String("site", site.Name), slog.Any("err", err))
			failed = append(failed, site.Name)
		}
	}
	if len(failed) > 0 {
		unreached = append(unreached, fmt.Sprintf("crawl of %s failed (see the log above)", strings.Join(failed, ", ")))
	}
	if len(unreached) > 0 {
		return errors.New(strings.Join(unreached, "; "))
	}
	if indexErr != nil {
		return fmt.Errorf("the crawl is archived, but not indexed: %w", indexErr)
	}
	return nil
}

// crawlSites turns the command line and the config into the sites to crawl.
func crawlSites(cfg *config.Config, o crawlOptions, args []string) ([]job.Site, error) {
	var sites []job.Site
	switch {
	case len(args) > 0:
		if o.site != "" {
			return nil, usageErrorf("give either URLs or --site, not both")
		}
		for _, raw := range args {
			sites = append(sites, cfg.SiteFor(raw))
		}
	case o.site != "":
		s, ok := cfg.Site(o.site)
		if !ok {
			return nil, usageErrorf("--site %q: no such site in the config", o.site)
		}
		sites = append(sites, s)
	case len(cfg.Sites) > 0:
		sites = append(sites, cfg.Sites...)
	default:
		return nil, usageErrorf("nothing to crawl: give a start URL (folio crawl https://example.org/) or list sites in a config file")
	}
	for i := range sites {
		s := &sites[i]
		if o.concurrency < 0 || o.maxPages < 0 || o.maxDepth < 0 {
			return nil, usageErrorf("--concurrency, --max-pages and --max-depth must not be negative")
		}
		if o.concurrency > 0 {
			s.Crawl.Concurrency = o.concurrency
		}
		if o.delay >= 0 {
			d := o.delay
			s.Crawl.Delay = &d
		}
		if o.maxPages > 0 {
			s.Crawl.MaxPages = o.maxPages
		}
		if o.maxDepth > 0 {
			s.Crawl.MaxDepth = o.maxDepth
		}
		*s = s.WithDefaults()
		if err := s.Validate(); err != nil {
			if len(args) > 0 {
				// The user typed the URL: name it, not a site they never
				// configured.
				return nil, usageErrorf("crawl %q: %s", args[i], strings.TrimPrefix(err.Error(), fmt.Sprintf("start_urls[0]: %q: ", args[i])))
			}
			return nil, usageErrorf("site %s: %v", s.Name, err)
		}
	}
	return sites, nil
}
