package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/internal/datadir"
	"folio/internal/schedule"
)

type scheduleOptions struct {
	once   bool
	jitter time.Duration
}

func (o *scheduleOptions) AddFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.once, "once", false, "run the crawls that are due, then exit (for cron, systemd timers, Kubernetes CronJobs)")
	o.jitter = 30 * time.Second
	f.Var(durationFlag{&o.jitter}, "jitter", "start each scheduled crawl up to this much later, at random, so that sites and machines do not all start at once; 0 for none")
}

func newScheduleCmd(g *globalOpts) *cobra.Command {
	var o scheduleOptions
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Crawl each configured site on its own cron schedule until stopped",
		Long: `Schedule crawls every site of the config file that has a schedule, each on
its own cron expression: five fields (minute hour day-of-month month
day-of-week, e.g. "30 6 * * *"), or @hourly, @daily, @weekly, @monthly, or
@every DURATION (e.g. @every 2h, at least 1m). schedule_time_zone sets the IANA time zone
the fields are read in (default: the machine's). The runs are the same crawl
as 'folio crawl', recorded in the run history with the trigger "schedule".

Each start is delayed by a random jitter of up to --jitter. Two crawls of one
site never overlap: when a site's time comes while its previous run still
goes on, that turn is skipped, and the log says so. Different sites crawl at
the same time. The index is brought up to date from the archive after each
run, and every minute during long ones; between runs folio holds neither the
index nor the data directory's writer lock, so search works and 'folio
crawl' or 'folio reindex' can run. A turn that finds another writer at work
is skipped, logged.

A site is due when it was never crawled, when its last run did not finish
(the process was killed or stopped: the next run resumes it), or when one of
its scheduled times has passed since its last run started (any run, manual
ones included). For @every, a minute's grace (or a tenth of the interval,
when shorter) absorbs the delay with which timers start folio. On start,
schedule runs the sites that are due at once; afterwards each site runs at
its scheduled times.

--once runs the sites that are due, in parallel, without jitter, and exits:
run it from cron, a systemd timer or a Kubernetes CronJob as often as the
most frequent schedule. Ctrl-C (SIGINT) or SIGTERM stops the crawls after the
pages in flight are stored, updates the index and exits 0; the next run
resumes where they stopped.

Exit status: 0 when stopped by a signal, or (with --once) when every due
crawl finished, page errors included, or was skipped because another folio
was writing; 1 when a crawl failed or the scheduler could not start; 2 for a
usage or configuration error (no site has a schedule, a bad cron
expression).`,
		Example: `  folio --config config.yaml schedule
  folio --config config.yaml schedule --once      # from cron: */15 * * * *`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchedule(cmd.Context(), o, g)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func runSchedule(ctx context.Context, o scheduleOptions, g *globalOpts) error {
	if o.jitter < 0 {
		return usageErrorf("--jitter %s: must not be negative", o.jitter)
	}
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	entries, err := cfg.ScheduleEntries()
	if err != nil {
		return &usageError{err: err}
	}
	if !o.once {
		// One scheduler per data directory, for its whole life.
		l, err := datadir.LockScheduler(cfg.DataDir)
		if err != nil {
			return err
		}
		defer l.Release()
	}
	st, err := openArchive(cfg.ArchiveLocation(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	s := schedule.New(cfg.DataDir, entries, st, log, schedule.Options{Jitter: o.jitter})
	if o.once {
		return s.RunOnce(ctx)
	}
	return s.Run(ctx)
}
