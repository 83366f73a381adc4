package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
)

// CatchUpOptions say whose index catches up, and what the caller holds.
type CatchUpOptions struct {
	// DataDir is the data directory whose index catches up with st; its
	// index is opened for as long as CatchUp writes to it.
	DataDir string
	// Archive, when set, is the URL of the PostgreSQL archive to follow
	// when st is nil, in place of DataDir's.
	Archive string
	// Index, when set, is an index the caller holds open (a run's), caught
	// up in place of DataDir's; the caller holds the writer lock.
	Index *index.Shared
	// Locked says that the caller holds DataDir's writer lock (crawl,
	// import, schedule). Otherwise CatchUp takes it when the index lags,
	// and when another process holds it, leaves the index to that writer,
	// which catches up itself: see CatchUpResult.Writer.
	Locked bool
	// IndexWait is how long a write of the index waits for the searches
	// that have it open (0: the index's default).
	IndexWait time.Duration
	// BatchSize is the index batch size; default DefaultIndexBatch.
	BatchSize int
	// Logger receives the index's logs; nil discards them.
	Logger *slog.Logger
	// OnStart, when set, is called once the index is found lagging and
	// about to be written, before the first record is indexed.
	OnStart func()
	// OnProgress, when set, follows the indexing.
	OnProgress func(IndexProgress)
}

// CatchUpResult is what a catch-up did.
type CatchUpResult struct {
	// Indexed counts the records indexed: 0 when the index was up to date.
	Indexed int
	// Writer is set when the index lagged but another process held the
	// data directory's writer lock: that writer indexes what it archives,
	// and the index was left as it is.
	Writer *datadir.LockedError
}

// CatchUp is the one decision of when the index follows the archive. The
// archive is the truth: every record it holds past the last sequence the
// index records is indexed, in sequence order, a batch at a time, so that
// a record archived just before a crash (or by an import, or by a crawl
// with no usable index) is found by the next search. Every command that
// writes the archive or reads the index comes here: search before it
// searches, import after it stored its records, the scheduler after each
// crawl and while crawls go on, and Run when it starts and as it goes.
//
// It checks first, read-only, whether the index lags, so that an index up
// to date costs no lock. Only the writer of a data directory writes its
// index: a caller that does not hold the writer lock (Locked false) has it
// taken here, and when another process holds it, CatchUp leaves the index
// to that process and says so in CatchUpResult.Writer. A missing index is
// created, by a caller holding the lock even when the archive is empty.
//
// st is the archive to follow; when nil, DataDir's (or opts.Archive) is
// opened read-only for this call, and a data directory with no archive has
// nothing to catch up with. A caller that catches up many times (folio
// serve, Follow) passes the archive it holds: on PostgreSQL, opening it is
// a new connection to the server, which costs more than the check and most
// searches.
func CatchUp(ctx context.Context, st *archive.Store, opts CatchUpOptions) (CatchUpResult, error) {
	if opts.Index != nil {
		n, err := SyncIndex(ctx, st, opts.Index, opts.BatchSize, opts.OnProgress)
		return CatchUpResult{Indexed: n}, err
	}
	if st == nil {
		loc := opts.Archive
		if loc == "" {
			if !datadir.HasArchive(opts.DataDir) {
				return CatchUpResult{}, nil
			}
			loc = opts.DataDir
		}
		ro, err := archive.OpenReadOnly(loc, archive.WithLogger(opts.Logger))
		if err != nil {
			return CatchUpResult{}, fmt.Errorf("open archive: %w", err)
		}
		defer ro.Close()
		st = ro
	}
	lags, err := indexLags(ctx, st, opts)
	if err != nil || !lags {
		return CatchUpResult{}, err
	}
	if !opts.Locked {
		lock, err := datadir.LockWriter(opts.DataDir)
		var le *datadir.LockedError
		if errors.As(err, &le) {
			return CatchUpResult{Writer: le}, nil
		}
		if err != nil {
			return CatchUpResult{}, err
		}
		defer lock.Release()
	}
	ix, err := index.OpenShared(datadir.IndexDir(opts.DataDir), index.Options{Logger: opts.Logger, LockWait: opts.IndexWait})
	if err != nil {
		return CatchUpResult{}, fmt.Errorf("open index: %w", err)
	}
	defer ix.Close()
	if opts.OnStart != nil {
		opts.OnStart()
	}
	n, err := SyncIndex(ctx, st, ix, opts.BatchSize, opts.OnProgress)
	return CatchUpResult{Indexed: n}, err
}

// indexLags tells whether st holds records past the last sequence the index
// of opts.DataDir records, reading the index read-only.
func indexLags(ctx context.Context, st *archive.Store, opts CatchUpOptions) (bool, error) {
	maxSeq, err := st.MaxSeq(ctx)
	if err != nil {
		return false, fmt.Errorf("read archive: %w", err)
	}
	ix, err := index.Open(datadir.IndexDir(opts.DataDir), index.Options{ReadOnly: true, LockWait: opts.IndexWait, Logger: opts.Logger})
	if errors.Is(err, index.ErrNotFound) {
		// The writer creates the index, so that searches find one, empty
		// or not; a reader leaves an empty archive alone.
		return maxSeq > 0 || opts.Locked, nil
	}
	if err != nil {
		return false, fmt.Errorf("open index: %w", err)
	}
	last, err := ix.LastSeq()
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("open index: %w", err)
	}
	return uint64(maxSeq) > last, nil
}
