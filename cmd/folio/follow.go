package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"folio/internal/job"
)

type followOptions struct {
	interval time.Duration
}

func newFollowCmd(g *globalOpts) *cobra.Command {
	var o followOptions
	cmd := &cobra.Command{
		Use:   "follow",
		Short: "Keep the search index of the data directory caught up with the archive until stopped",
		Long: `Follow makes a search node: it keeps the search index of --data caught up with
the archive, which other folio processes (on other machines) write to, until it
is stopped (Ctrl-C). On a PostgreSQL archive (--archive, FOLIO_ARCHIVE or the
config's archive key) it is told of each commit that stores records
(LISTEN/NOTIFY) and indexes them at once; it also looks every --interval, in
case a notification was lost, and that is all it can do on SQLite. 'folio
search' and 'folio serve' with the same --data search the index meanwhile, as
they do during a crawl.

Exit status: 0 once stopped, 1 failure, 2 usage error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFollow(cmd.Context(), g, o)
		},
	}
	cmd.Flags().DurationVar(&o.interval, "interval", job.DefaultFollowInterval, "how often to look at the archive without being told of a commit")
	return cmd
}

func runFollow(ctx context.Context, g *globalOpts, o followOptions) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	if o.interval <= 0 {
		return usageErrorf("--interval must be positive, got %s", o.interval)
	}
	st, err := openArchiveReadOnly(cfg.ArchiveLocation(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(g.stderr, "folio: following %s into the index of %s (Ctrl-C stops)\n", st.Location(), cfg.DataDir)
	return job.Follow(ctx, st, job.FollowOptions{DataDir: cfg.DataDir, Interval: o.interval, Logger: log})
}
