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

// FollowOptions configures Follow.
type FollowOptions struct {
	// DataDir is the data directory whose index follows the archive.
	DataDir string
	// Interval is how often the archive is looked at without being told
	// of a commit: the fallback should a notification be lost, and the
	// only way on SQLite, whose writers notify no other process.
	// Default DefaultFollowInterval.
	Interval time.Duration
	// Logger receives the index's logs and Follow's own; nil discards.
	Logger *slog.Logger
	// OnCaughtUp, when set, is called after each catch-up that indexed
	// records, with their number and the last archive sequence the index
	// then holds.
	OnCaughtUp func(indexed int, seq int64)
}

// DefaultFollowInterval is FollowOptions.Interval's default.
const DefaultFollowInterval = 10 * time.Second

// Follow keeps the index of a data directory caught up with the archive st
// until ctx ends, and then returns nil: a search node. Each time a commit
// of any process moves the archive's sequence (archive.Store.Watch, on
// PostgreSQL), and every Interval besides, it runs CatchUp, which indexes
// what the archive holds past the index's last sequence, taking the data
// directory's writer lock while it writes. Searches and folio serve in the
// same data directory read the index meanwhile, as they do during a crawl.
// It returns the first error of a catch-up.
func Follow(ctx context.Context, st *archive.Store, opts FollowOptions) error {
	if opts.Interval <= 0 {
		opts.Interval = DefaultFollowInterval
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wake := make(chan struct{}, 1)
	watchCtx, stopWatch := context.WithCancel(ctx)
	watching := make(chan error, 1)
	go func() {
		watching <- st.Watch(watchCtx, func(int64) {
			select {
			case wake <- struct{}{}:
			default: // a catch-up is due already
			}
		})
	}()
	pending := watching // nil once Watch has returned
	defer func() {
		stopWatch()
		if pending != nil {
			<-pending
		}
	}()

	tick := time.NewTicker(opts.Interval)
	defer tick.Stop()
	for {
		res, err := CatchUp(ctx, st, CatchUpOptions{DataDir: opts.DataDir, Logger: opts.Logger})
		switch {
		case err == nil && res.Writer != nil:
			log.Debug("index left to another writer", slog.Int("pid", res.Writer.Holder.PID))
		case err == nil && res.Indexed > 0:
			var seq int64
			if seq, err = indexLastSeq(opts.DataDir); err != nil {
				break
			}
			log.Info("index caught up", slog.Int("indexed", res.Indexed), slog.Int64("seq", seq))
			if opts.OnCaughtUp != nil {
				opts.OnCaughtUp(res.Indexed, seq)
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("follow the archive: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		case <-tick.C:
		case err := <-pending:
			pending = nil // polling alone from now on
			if err != nil && !errors.Is(err, archive.ErrNoWatch) {
				return fmt.Errorf("follow the archive: %w", err)
			}
		}
	}
}

// indexLastSeq is the last archive sequence the index of dataDir holds.
func indexLastSeq(dataDir string) (int64, error) {
	ix, err := index.Open(datadir.IndexDir(dataDir), index.Options{ReadOnly: true})
	if err != nil {
		return 0, fmt.Errorf("open index: %w", err)
	}
	defer ix.Close()
	last, err := ix.LastSeq()
	if err != nil {
		return 0, fmt.Errorf("open index: %w", err)
	}
	return int64(last), nil
}
