package index

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// sharedWriteWait is how long a write of a Shared index waits for searches
// of other processes to close the index, when Options.LockWait is zero. A
// search holds the index for milliseconds; a write that gives up leaves its
// records to the next catch-up, so it can afford to wait.
const sharedWriteWait = 30 * time.Second

// ErrClosed is returned by the methods of a Shared index after Close.
var ErrClosed = errors.New("index is closed")

// Shared is an index that other processes search while this one writes to
// it, as `folio search` does during `folio crawl`.
//
// bleve (scorch) lets a process write to an index only while no other
// process has it open, and keeps every reader out while it does. So Shared
// holds the index only for the length of one Write: it opens the index for
// writing (waiting up to Options.LockWait for searches to close it), calls
// the function given, lets the segment merges that are due finish and be
// saved, and closes it. A search in another process waits for the batch
// being written, then sees it. Read and Search open the index read-only for
// the length of one call.
//
// Calls on one Shared are serialised; its methods are safe for concurrent
// use.
type Shared struct {
	dir  string
	opts Options

	mu     sync.Mutex
	closed bool
}

// OpenShared checks the index in dir, creating it when dir does not exist,
// and returns a Shared index that holds nothing until its first call. Its
// errors are Open's; opts.Rebuild applies to this first check only, so that
// a later write never replaces an index. opts.ReadOnly is not allowed: open
// read-only with Open.
func OpenShared(dir string, opts Options) (*Shared, error) {
	if opts.ReadOnly {
		return nil, fmt.Errorf("open index %s: a shared index writes; open it read-only with Open", dir)
	}
	if opts.LockWait <= 0 {
		opts.LockWait = sharedWriteWait
	}
	ix, err := Open(dir, opts)
	if err != nil {
		return nil, err
	}
	if err := ix.Close(); err != nil {
		return nil, err
	}
	opts.Rebuild = false
	return &Shared{dir: dir, opts: opts}, nil
}

// Dir returns the directory the index lives in.
func (s *Shared) Dir() string { return s.dir }

// Write opens the index for writing, runs fn with it, then lets the segment
// merges that are due finish before closing it. When Write returns, what fn
// wrote is on disk and visible to every new search.
func (s *Shared) Write(ctx context.Context, fn func(*Index) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("write index %s: %w", s.dir, ErrClosed)
	}
	start := time.Now()
	ix, err := Open(s.dir, s.opts)
	if err != nil {
		return err
	}
	opened := time.Now()
	err = fn(ix)
	written := time.Now()
	if err == nil {
		err = ix.settle(ctx)
	}
	err = errors.Join(err, ix.Close())
	ix.log.Debug("index written", slog.String("dir", s.dir), slog.Duration("open", opened.Sub(start)),
		slog.Duration("write", written.Sub(opened)), slog.Duration("merge_close", time.Since(written)), slog.Any("err", err))
	return err
}

// Read opens the index read-only, runs fn with it and closes it.
func (s *Shared) Read(fn func(*Index) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("read index %s: %w", s.dir, ErrClosed)
	}
	opts := s.opts
	opts.ReadOnly = true
	ix, err := Open(s.dir, opts)
	if err != nil {
		return err
	}
	return errors.Join(fn(ix), ix.Close())
}

// Search runs q on the index as it is now.
func (s *Shared) Search(ctx context.Context, q Query) (Result, error) {
	var res Result
	err := s.Read(func(ix *Index) error {
		var err error
		res, err = ix.Search(ctx, q)
		return err
	})
	return res, err
}

// LastSeq returns the last archive sequence the index records.
func (s *Shared) LastSeq() (uint64, error) {
	var seq uint64
	err := s.Read(func(ix *Index) error {
		var err error
		seq, err = ix.LastSeq()
		return err
	})
	return seq, err
}

// Close makes every later call fail with ErrClosed. The index itself is
// closed after each call already.
func (s *Shared) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// settle runs the segment merges due now, and saves their outcome, before
// a writer closes. Left to scorch, merges run in the background and are
// abandoned at Close; a writer that closes after each batch would then
// never merge, and searches would slow down as segments pile up.
func (ix *Index) settle(ctx context.Context) error {
	// scorch's own plan: the merges its background merger would run.
	plan := mergeplan.DefaultMergePlanOptions
	return ix.merge(ctx, &plan)
}

// Compact merges the whole index into one segment, which searches open and
// run fastest. It holds the index for seconds at a large archive (the
// README has the figures; BenchmarkSearch measures searches before and
// after it); folio reindex calls it once the index is built.
func (ix *Index) Compact(ctx context.Context) error {
	if ix.readOnly {
		return fmt.Errorf("compact index %s: %w", ix.dir, ErrReadOnly)
	}
	plan := mergeplan.SingleSegmentMergePlanOptions
	return ix.merge(ctx, &plan)
}

// merge runs the merges plan asks for, saves them, and waits for scorch to
// delete the segment files they replaced: scorch keeps the snapshot before
// the last one for a while, and with it the files of the merged segments,
// which a writer that closes now would leave on disk (twice the size of
// the index after Compact).
func (ix *Index) merge(ctx context.Context, plan *mergeplan.MergePlanOptions) error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return fmt.Errorf("merge index %s: %w", ix.dir, err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := sc.ForceMerge(ctx, plan); err != nil {
		return fmt.Errorf("merge index %s: %w", ix.dir, err)
	}
	// A merge is saved when the next batch is: write batches holding
	// nothing new until the merge is saved and the replaced files gone.
	version, err := ix.bleve.GetInternal(keyMappingVersion)
	if err != nil {
		return fmt.Errorf("merge index %s: %w", ix.dir, err)
	}
	for range 100 {
		if err := ix.bleve.SetInternal(keyMappingVersion, version); err != nil {
			return fmt.Errorf("merge index %s: %w", ix.dir, err)
		}
		live := rootSegments(sc)
		files, err := filepath.Glob(filepath.Join(ix.dir, "store", "*.zap"))
		if err != nil || uint64(len(files)) <= live {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	ix.log.Debug("merged segment files not yet deleted", slog.String("dir", ix.dir))
	return nil
}

// Segments returns how many segments a search of the index opens.
func (ix *Index) Segments() (int, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return 0, fmt.Errorf("segments of index %s: %w", ix.dir, err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return 0, nil
	}
	return int(rootSegments(sc)), nil
}

// rootSegments is the number of segment files a search of sc opens.
func rootSegments(sc *scorch.Scorch) uint64 {
	n, _ := sc.StatsMap()["num_root_filesegments"].(uint64)
	return n
}
