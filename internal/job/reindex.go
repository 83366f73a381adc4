package job

import (
	"context"
	"fmt"

	"folio"
	"folio/archive"
	"folio/index"
)

// IndexProgress reports how far SyncIndex or Reindex has got.
type IndexProgress struct {
	Indexed int
	// Total is the number of records to index, when known (0 otherwise).
	Total int
}

// SyncIndex indexes the archive records written after the last sequence ix
// recorded, in batches of batchSize (DefaultIndexBatch when ≤ 0), and records
// the new last sequence. It returns the number of records indexed: 0 when the
// index was already up to date.
func SyncIndex(ctx context.Context, st *archive.Store, ix *index.Index, batchSize int, onProgress func(IndexProgress)) (int, error) {
	last, err := ix.LastSeq()
	if err != nil {
		return 0, fmt.Errorf("sync index: %w", err)
	}
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		return 0, fmt.Errorf("sync index: %w", err)
	}
	if uint64(maxSeq) <= last {
		return 0, nil
	}
	return indexFrom(ctx, st, ix, int64(last), batchSize, 0, onProgress)
}

// Reindex indexes every record of the archive into ix, which the caller
// has created empty, and records the archive's last sequence in it.
func Reindex(ctx context.Context, st *archive.Store, ix *index.Index, batchSize int, onProgress func(IndexProgress)) (int, error) {
	total, err := st.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	n, err := indexFrom(ctx, st, ix, 0, batchSize, int(total), onProgress)
	if err != nil {
		return n, fmt.Errorf("reindex: %w", err)
	}
	return n, nil
}

// indexFrom indexes the records with a sequence above after, in sequence
// order, advancing the index's last sequence after each batch so that an
// interrupted catch-up resumes where it stopped.
func indexFrom(ctx context.Context, st *archive.Store, ix *index.Index, after int64, batchSize, total int, onProgress func(IndexProgress)) (int, error) {
	if batchSize <= 0 {
		batchSize = DefaultIndexBatch
	}
	var (
		batch   = make([]folio.Article, 0, batchSize)
		lastSeq int64
		indexed int
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ix.Index(ctx, batch); err != nil {
			return err
		}
		if err := ix.SetLastSeq(uint64(lastSeq)); err != nil {
			return err
		}
		indexed += len(batch)
		batch = batch[:0]
		if onProgress != nil {
			onProgress(IndexProgress{Indexed: indexed, Total: total})
		}
		return nil
	}
	err := st.IterateEntries(ctx, archive.IterateOptions{AfterSeq: after, Order: archive.OrderSeq}, func(e archive.Entry) error {
		batch = append(batch, e.Article)
		lastSeq = e.Seq
		if len(batch) >= batchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return indexed, fmt.Errorf("index archive records after sequence %d: %w", after, err)
	}
	return indexed, nil
}
