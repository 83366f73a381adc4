package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/index"
	"folio/internal/config"
	"folio/internal/console"
	"folio/internal/datadir"
	"folio/internal/job"
)

type workerOptions struct {
	frontier string
	prefix   string
	site     string
	leaseTTL time.Duration
	json     bool
}

func (o *workerOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.frontier, "frontier", "", "the Redis the workers share, redis://host:port/db (default $FOLIO_FRONTIER, else frontier: in the config)")
	f.StringVar(&o.prefix, "frontier-prefix", "folio:", "the start of every Redis key: workers sharing crawls use the same; another keeps another fleet apart on the same Redis")
	f.StringVar(&o.site, "site", "", "work only on the configured site with this name")
	f.Var(durationFlag{&o.leaseTTL}, "lease-ttl", "how long the URLs a worker took stay its own without word from it, e.g. 30s: the wait before another worker fetches those of a dead one (default 30s)")
	f.BoolVar(&o.json, "json", false, "print the summary of each site's share as JSON Lines on stdout")
}

func newWorkerCmd(g *globalOpts) *cobra.Command {
	var o workerOptions
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Crawl the configured sites together with the workers of other machines, through Redis",
		Long: `Worker crawls every site of the config file (or --site) as one of several
processes, on one or many machines, that share each site's crawl through the
Redis named by --frontier, $FOLIO_FRONTIER or frontier: in the config. The
frontier, the crawl's dedup and the per-host delay live in Redis: a host's
delay holds over all the workers, and each URL is fetched by one of them.

A worker leases the URLs it takes. When one dies, its leases run out
(--lease-ttl) and other workers fetch those URLs: nothing is lost, and only
the pages it had in flight are fetched twice. Redis keeps nothing across a
restart: after one, the workers rebuild each site's frontier from the archive
and the start URLs, and an archived page costs a conditional request.

Every worker writes to the archive of --data (and its index), so the workers
of one archive run on one machine; several machines need an archive they
all reach. Each site's share of the crawl is summed up as 'folio crawl'
does; a worker exits when every site's crawl is complete.

Exit status: 0 when every site's crawl completed, even with page errors; 1
when a crawl failed or was stopped, or Redis could not be reached; 2 for a
usage or configuration error (no frontier configured).`,
		Example: `  folio --config config.yaml worker --frontier redis://10.0.0.5:6379/0
  FOLIO_FRONTIER=redis://127.0.0.1:6379/0 folio --config config.yaml worker --site radio-exemple`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorker(cmd.Context(), o, g)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

// frontierURL is the Redis a worker uses: the flag, else FOLIO_FRONTIER,
// else the config's.
func (o workerOptions) frontierURL(cfg *config.Config) (string, error) {
	url := o.frontier
	if url == "" {
		url = os.Getenv("FOLIO_FRONTIER")
	}
	if url == "" {
		url = cfg.Frontier
	}
	if url == "" {
		return "", usageErrorf("worker needs the Redis the workers share: --frontier redis://host:port, FOLIO_FRONTIER, or frontier: in the config")
	}
	if err := config.CheckFrontier(url); err != nil {
		return "", usageErrorf("frontier: %v", err)
	}
	return url, nil
}

func runWorker(ctx context.Context, o workerOptions, g *globalOpts) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	url, err := o.frontierURL(cfg)
	if err != nil {
		return err
	}
	if o.leaseTTL < 0 || (o.leaseTTL > 0 && o.leaseTTL < time.Second) {
		return usageErrorf("--lease-ttl %v: want a second or more", o.leaseTTL)
	}
	sites, err := crawlSites(cfg, crawlOptions{site: o.site, delay: -1}, nil)
	if err != nil {
		return err
	}
	// On a PostgreSQL archive, which every worker writes to, the workers
	// leave the index to the search nodes, which follow the archive
	// (job.CatchUp): an index per worker would hold only its share. On
	// SQLite the worker is the data directory's one writer, archive and
	// index, as crawl is.
	var ix *index.Shared
	var indexErr error
	if cfg.Archive == "" {
		lock, err := datadir.LockWriter(cfg.DataDir)
		if err != nil {
			return err
		}
		defer lock.Release()
	}
	st, err := openArchive(cfg.ArchiveLocation(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	if !st.Postgres() {
		if ix, indexErr, err = openIndexOrArchiveOnly(cfg.DataDir, log, "working"); err != nil {
			return err
		}
		if ix != nil {
			defer ix.Close()
		}
	}
	fr, err := job.OpenFrontier(ctx, url, job.FrontierOptions{Prefix: o.prefix, LeaseTTL: o.leaseTTL}, log)
	if err != nil {
		return err
	}
	defer fr.Close()

	var failed []string
	for _, site := range sites {
		progress := console.NewProgress(g.stderr)
		sum, err := job.Run(ctx, site, job.Deps{Archive: st, Index: ix, Logger: log, Frontier: fr}, job.RunOptions{}, func(e job.Event) {
			progress.Show(e.Progress.ProgressLine(), false)
		})
		progress.Done()
		switch {
		case o.json:
			_ = json.NewEncoder(g.stdout).Encode(sum.Record(err))
		case sum.RunID != 0:
			sum.WriteReport(g.stdout)
		}
		var se *job.StartURLsError
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return fmt.Errorf("worker stopped: %w", context.Cause(ctx))
		case errors.As(err, &se):
			// Only the worker that fetched a start URL knows it failed.
			failed = append(failed, fmt.Sprintf("crawl of %s fetched nothing: %v", site.Name, se))
		default:
			log.Error("crawl failed", slog.String("site", site.Name), slog.Any("err", err))
			failed = append(failed, fmt.Sprintf("crawl of %s failed (see the log above)", site.Name))
		}
	}
	if len(failed) > 0 {
		return errors.New(strings.Join(failed, "; "))
	}
	if indexErr != nil {
		return fmt.Errorf("the crawl is archived, but not indexed: %w", indexErr)
	}
	return nil
}
