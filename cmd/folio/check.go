package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"folio/index"
	"folio/internal/datadir"
)

func newCheckCmd(g *globalOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check the archive file and the index's consistency with it",
		Long: `Check runs SQLite's integrity check on the archive (every page, and every
SQLite index against its table), then opens the search index and compares it
with the archive: the same number of records, and the last archive sequence
it holds. It reads only, and runs while a crawl writes (the index then lags
by the batch being written). On a PostgreSQL archive, whose server keeps its
own files whole, it checks instead that the database answers with this
folio's schema version.

A damaged archive cannot be repaired by folio: restore it from a backup or
an export, or save what is readable with sqlite3's .recover. A damaged or
lagging index is rebuilt from the archive with 'folio reindex'.

Exit status: 0 when both are sound, 1 when either is not, 2 usage error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd.Context(), g)
		},
	}
}

func runCheck(ctx context.Context, g *globalOpts) error {
	cfg, st, err := g.readArchive()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Check(ctx, true); err != nil {
		return err
	}
	count, err := st.Count(ctx)
	if err != nil {
		return err
	}
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "archive: ok, %s (sequence %d)\n", plural(count, "record", "records"), maxSeq)

	ix, err := index.Open(datadir.IndexDir(cfg.DataDir), index.Options{ReadOnly: true, LockWait: searchLockWait})
	if errors.Is(err, index.ErrNotFound) {
		return fmt.Errorf("no index in %s: build it with 'folio --data %s reindex'", cfg.DataDir, cfg.DataDir)
	}
	if err != nil {
		return indexError("check index", err, cfg.DataDir)
	}
	defer ix.Close()
	docs, err := ix.DocCount()
	if err != nil {
		return indexError("check index", err, cfg.DataDir)
	}
	last, err := ix.LastSeq()
	if err != nil {
		return indexError("check index", err, cfg.DataDir)
	}
	lagging := last < uint64(maxSeq)
	if last > uint64(maxSeq) || docs > uint64(count) || (!lagging && docs != uint64(count)) {
		return fmt.Errorf("check index: it holds %d records up to sequence %d, the archive %d up to %d: rebuild it with 'folio --data %s reindex'",
			docs, last, count, maxSeq, cfg.DataDir)
	}
	if lagging {
		fmt.Fprintf(g.stdout, "index: ok, %s; %d sequence numbers behind the archive (the next search or crawl indexes them)\n", plural(docs, "record", "records"), uint64(maxSeq)-last)
		return nil
	}
	fmt.Fprintf(g.stdout, "index: ok, %s, up to date\n", plural(docs, "record", "records"))
	return nil
}
