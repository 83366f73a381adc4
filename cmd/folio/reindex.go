package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"folio/internal/console"
	"folio/internal/datadir"
	"folio/internal/job"
)

func newReindexCmd(g *globalOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from the archive",
		Long: `Reindex builds a new search index from every record of the archive (the
archive is the source of truth; the index is derived from it), then puts it in
place of the old one. Searches keep working on the old index until then, and
an interrupted reindex leaves the old index untouched.

Run it when the index is missing or unreadable, or after an upgrade that
changed the index mapping (folio says so).

It first runs SQLite's quick check of the whole archive file, and fails on a
damaged one rather than give what it could read (on PostgreSQL, it checks
that the database answers with this folio's schema version).

Exit status: 0 success, 1 failure (a damaged archive included), 2 usage error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReindex(cmd.Context(), g)
		},
	}
}

func runReindex(ctx context.Context, g *globalOpts) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	st, err := openArchiveReadOnly(cfg.ArchiveLocation(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkArchive(ctx, st); err != nil {
		return err
	}
	lock, err := datadir.LockWriter(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.Release()

	started := time.Now()
	progress := console.NewProgress(g.stderr)
	n, err := job.Rebuild(ctx, st, cfg.DataDir, log, func(p job.IndexProgress) {
		progress.Show(fmt.Sprintf("reindex: %d / %d records", p.Indexed, p.Total), false)
	})
	progress.Done()
	if err != nil {
		return err
	}
	elapsed := time.Since(started)
	fmt.Fprintf(g.stdout, "reindexed %s in %s (%.0f records/s)\n", plural(n, "record", "records"), elapsed.Round(time.Millisecond), float64(n)/max(elapsed.Seconds(), 1e-9))
	return nil
}
