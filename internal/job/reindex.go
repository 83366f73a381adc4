package job

import (
	"context"
	"errors"
	"fmt"
	"time"

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
// records, in sequence order and in batches of batchSize
// (DefaultIndexBatch when ≤ 0), each batch with the sequence it reaches, so
// that an interrupted catch-up resumes where it stopped. It returns the
// number of records indexed: 0 when the index was up to date.
//
// ix is written one batch at a time (see index.Shared): searches in other
// processes wait for at most one batch. It is CatchUp's mechanism, for an
// index whose writer lock the caller holds: the commands decide when to
// catch up through CatchUp.
func SyncIndex(ctx context.Context, st *archive.Store, ix *index.Shared, batchSize int, onProgress func(IndexProgress)) (int, error) {
	if batchSize <= 0 {
		batchSize = DefaultIndexBatch
	}
	// Read-only first: a search that finds the index up to date, and a
	// run's periodic check, do not take the writer's lock.
	last, err := ix.LastSeq()
	if err != nil && !errors.Is(err, index.ErrNotFound) { // a missing index is created by the first write
		return 0, fmt.Errorf("sync index: %w", err)
	}
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		return 0, fmt.Errorf("sync index: %w", err)
	}
	if uint64(maxSeq) <= last {
		return 0, nil
	}
	indexed := 0
	for {
		n, err := indexNextBatch(ctx, st, ix, batchSize)
		indexed += n
		if err != nil {
			return indexed, fmt.Errorf("sync index: %w", err)
		}
		if n > 0 && onProgress != nil {
			onProgress(IndexProgress{Indexed: indexed})
		}
		if n < batchSize {
			return indexed, nil
		}
		// Let the searches that wait for the index in (they poll for it)
		// before the next batch locks them out again.
		select {
		case <-ctx.Done():
			return indexed, fmt.Errorf("sync index: %w", ctx.Err())
		case <-time.After(searchTurn):
		}
	}
}

// compactAbove is how many segments an index may keep at the end of a
// run. A run's batches leave segments behind, and every search opens each
// of them, which slows searches down (index.BenchmarkSearch measures it;
// the README has the figures).
const compactAbove = 4

// CompactIndex merges ix into one segment when it has more than above
// (runs give compactAbove), for the searches to come.
// It holds the index for as long as the merge takes (seconds at a large
// archive, while searches wait), which is why runs do it once, at their
// end, and only when the segments have piled up.
func CompactIndex(ctx context.Context, ix *index.Shared, above int) (compacted bool, err error) {
	err = ix.Write(ctx, func(w *index.Index) error {
		n, err := w.Segments()
		if err != nil || n <= above {
			return err
		}
		compacted = true
		return w.Compact(ctx)
	})
	if err != nil {
		return compacted, fmt.Errorf("compact index: %w", err)
	}
	return compacted, nil
}

// indexNextBatch indexes, in one write of ix, up to batchSize archive
// records past the last sequence ix records.
func indexNextBatch(ctx context.Context, st *archive.Store, ix *index.Shared, batchSize int) (int, error) {
	var n int
	err := ix.Write(ctx, func(w *index.Index) error {
		// Read the last sequence under the lock: the index may have been
		// rebuilt since it was last read.
		last, err := w.LastSeq()
		if err != nil {
			return err
		}
		n, _, err = indexBatch(ctx, st, w, int64(last), batchSize)
		return err
	})
	return n, err
}

// searchTurn is the pause between two batches of a long catch-up: longer
// than the 50 ms a read-only open waits between two tries for the index
// (bbolt's flock retry), so that each waiting search gets in.
const searchTurn = 60 * time.Millisecond

// Reindex indexes every record of the archive into ix, which the caller
// has created empty and holds for the whole run (nobody searches an index
// being built), records the archive's last sequence in it, and compacts it
// into one segment, which searches run fastest on.
func Reindex(ctx context.Context, st *archive.Store, ix *index.Index, batchSize int, onProgress func(IndexProgress)) (int, error) {
	if batchSize <= 0 {
		batchSize = DefaultIndexBatch
	}
	total, err := st.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("reindex: %w", err)
	}
	var after int64
	indexed := 0
	for {
		n, last, err := indexBatch(ctx, st, ix, after, batchSize)
		indexed += n
		if err != nil {
			return indexed, fmt.Errorf("reindex: %w", err)
		}
		if n > 0 && onProgress != nil {
			onProgress(IndexProgress{Indexed: indexed, Total: int(total)})
		}
		if n < batchSize {
			break
		}
		after = last
	}
	if err := ix.Compact(ctx); err != nil {
		return indexed, fmt.Errorf("reindex: %w", err)
	}
	return indexed, nil
}

// errBatchFull stops an iteration of the archive once a batch is read.
var errBatchFull = errors.New("batch full")

// indexBatch indexes up to size archive records with a sequence above
// after, in sequence order, with the last sequence they reach. It returns
// how many it indexed, and that sequence.
func indexBatch(ctx context.Context, st *archive.Store, ix *index.Index, after int64, size int) (int, int64, error) {
	batch := make([]folio.Article, 0, size)
	var last int64
	err := st.IterateEntries(ctx, archive.IterateOptions{AfterSeq: after, Order: archive.OrderSeq}, func(e archive.Entry) error {
		batch = append(batch, e.Article)
		last = e.Seq
		if len(batch) == size {
			return errBatchFull
		}
		return nil
	})
	if err != nil && !errors.Is(err, errBatchFull) {
		return 0, after, fmt.Errorf("read archive records after sequence %d: %w", after, err)
	}
	if len(batch) == 0 {
		return 0, after, nil
	}
	if err := ix.IndexUpTo(ctx, batch, uint64(last)); err != nil {
		return 0, after, fmt.Errorf("index archive records after sequence %d: %w", after, err)
	}
	return len(batch), last, nil
}
