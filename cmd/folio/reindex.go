package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"folio/index"
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
damaged one rather than give what it could read.

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
	st, err := openArchiveReadOnly(cfg.DataDir, log)
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

	final := datadir.IndexDir(cfg.DataDir)
	building := final + ".new"
	if err := os.RemoveAll(building); err != nil {
		return fmt.Errorf("remove unfinished index %s: %w", building, err)
	}
	ix, err := index.Open(building, index.Options{Logger: log})
	if err != nil {
		return fmt.Errorf("create index %s: %w", building, err)
	}
	started := time.Now()
	progress := console.NewProgress(g.stderr)
	n, err := job.Reindex(ctx, st, ix, 0, func(p job.IndexProgress) {
		progress.Show(fmt.Sprintf("reindex: %d / %d records", p.Indexed, p.Total), false)
	})
	progress.Done()
	if cerr := ix.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close index %s: %w", building, cerr)
	}
	if err != nil {
		os.RemoveAll(building)
		return err
	}
	if err := replaceDir(final, building); err != nil {
		return err
	}
	elapsed := time.Since(started)
	fmt.Fprintf(g.stdout, "reindexed %s in %s (%.0f records/s)\n", plural(n, "record", "records"), elapsed.Round(time.Millisecond), float64(n)/max(elapsed.Seconds(), 1e-9))
	return nil
}

// replaceDir puts the directory built in place of final, keeping final
// until the new one is in place.
func replaceDir(final, built string) error {
	old := final + ".old"
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("remove %s: %w", old, err)
	}
	if err := os.Rename(final, old); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("move old index aside: %w", err)
	}
	if err := os.Rename(built, final); err != nil {
		return fmt.Errorf("put new index in place: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("remove old index %s: %w", old, err)
	}
	return nil
}
