package job

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
)

// Rebuild builds a new index of every record of st beside the index of
// dataDir, then puts it in place of the old one (Reindex into a fresh
// index). Searches keep working on the old index until then, and a
// rebuild that fails or is interrupted leaves the old index untouched:
// what a killed one leaves beside it, datadir.LockWriter clears. The
// caller holds dataDir's writer lock. It returns the number of records
// indexed.
func Rebuild(ctx context.Context, st *archive.Store, dataDir string, log *slog.Logger, onProgress func(IndexProgress)) (int, error) {
	final := datadir.IndexDir(dataDir)
	building := final + ".new"
	if err := os.RemoveAll(building); err != nil {
		return 0, fmt.Errorf("remove unfinished index %s: %w", building, err)
	}
	ix, err := index.Open(building, index.Options{Logger: log})
	if err != nil {
		return 0, fmt.Errorf("create index %s: %w", building, err)
	}
	n, err := Reindex(ctx, st, ix, 0, onProgress)
	if cerr := ix.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close index %s: %w", building, cerr)
	}
	if err != nil {
		os.RemoveAll(building)
		return n, err
	}
	return n, replaceDir(final, building)
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
