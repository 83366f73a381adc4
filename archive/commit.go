package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Every write goes through the committer: one goroutine that owns the
// writer connection and runs the writes queued by every caller in one
// transaction at a time (group commit). A transaction's fixed costs (taking
// the write lock, appending the touched pages to the log, the commit) are
// then paid once for many writes, rather than once per discovered link,
// per page done and per article, which held a crawl's workers in line for
// the single writer.
//
// Writes run, and become durable, in the order they were queued: a crash
// loses at most the writes queued last, never an earlier write without
// the later ones. The crawl state relies on it: a page's links are queued
// before the page is done, so that no page is done whose links are lost.
//
// A caller that must know its write is durable waits for the commit
// holding it (Put, BeginRun, EndRun, Finish, Sync); such a write is
// committed as soon as the writer is free, with whatever is queued before
// it. Writes no caller waits for (Enqueue, Done, PutLater) are gathered for
// up to groupDelay, or until groupOps of them are queued, before they are
// committed.

const (
	// groupDelay is how long writes no caller waits for are gathered
	// before their transaction. At the few hundred pages per second of
	// a crawl on two cores, it puts tens of pages in each transaction.
	// Much of a transaction's cost is paid once whatever it holds (the
	// pages of each table and index it touches are written to the log
	// once per commit): in BenchmarkEndToEnd's first crawl, 100 ms
	// left the writer in a transaction 4-7 % of the time, 50 ms 8-10 %.
	groupDelay = 100 * time.Millisecond
	// groupOps caps the writes of one transaction, and queuedOps the
	// writes waiting, past which callers wait for room: a queued put
	// holds its compressed capture in memory.
	groupOps  = 1024
	queuedOps = 4 * groupOps
)

// writeOp is one queued write.
type writeOp struct {
	ctx context.Context
	// apply makes the write in tx. A write of several statements is
	// marked savepoint: should it fail, it is run again in a savepoint
	// of its own, so that its failure undoes it alone and the
	// transaction's other writes are committed (see committer.run).
	apply     func(ctx context.Context, tx *sql.Tx) error
	savepoint bool
	// pg, when set, is the write on PostgreSQL, gathered with the
	// group's others into one statement per table (see pgcommit.go);
	// apply is then SQLite's alone.
	pg pgWrite
	// state marks a write of the crawl state: after a write fails, the
	// crawl state's later writes are refused (see committer.failed).
	state bool
	// then, when set, is called with the outcome once the write is
	// committed or has failed, on the committer's goroutine, before the
	// waiters of its transaction are released.
	then func(error)
	// done receives the outcome when a caller waits for it.
	done   chan error
	queued time.Time
}

// committer is the queue of writes and the goroutine that commits them.
type committer struct {
	s *Store

	mu     sync.Mutex
	queue  []*writeOp
	urgent bool       // a queued write has a waiting caller
	room   *sync.Cond // signalled when the queue shrinks
	closed bool
	// failed is the first error of a write no caller waited for, since
	// the crawl state was last read (see Store.Frontier): the writes of
	// the crawl state queued after it are refused with it, so that none
	// becomes durable without the failed one (a page done without its
	// record).
	failed error

	wake    chan struct{}
	stopped chan struct{}
}

func (s *Store) startCommitter() {
	c := &committer{s: s, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	c.room = sync.NewCond(&c.mu)
	s.commits = c
	go c.loop()
}

// errClosed is the error of a write queued after Close.
var errClosed = errors.New("archive closed")

// submit queues op. With wait, it returns op's outcome once its
// transaction is committed; otherwise nil, or the error of an earlier
// write of the crawl state when op is one.
func (c *committer) submit(op *writeOp, wait bool) error {
	asked := time.Now()
	if wait {
		op.done = make(chan error, 1)
	}
	c.mu.Lock()
	for len(c.queue) >= queuedOps && !c.closed {
		c.room.Wait()
	}
	switch {
	case c.closed:
		c.mu.Unlock()
		return errClosed
	case op.state && c.failed != nil:
		err := c.failed
		c.mu.Unlock()
		return fmt.Errorf("an earlier write failed: %w", err)
	}
	op.queued = time.Now()
	c.queue = append(c.queue, op)
	if wait {
		c.urgent = true
	}
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	if !wait {
		c.s.counters.waited.Add(int64(time.Since(asked)))
		return nil
	}
	err := <-op.done
	c.s.counters.waited.Add(int64(time.Since(asked)))
	return err
}

// close commits what is queued and stops the committer.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	c.room.Broadcast()
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	<-c.stopped
}

func (c *committer) loop() {
	defer close(c.stopped)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		c.mu.Lock()
		n, urgent, closed := len(c.queue), c.urgent, c.closed
		var first time.Time
		if n > 0 {
			first = c.queue[0].queued
		}
		c.mu.Unlock()
		switch {
		case n == 0 && closed:
			return
		case n == 0:
			<-c.wake
			continue
		case !urgent && !closed && n < groupOps:
			if wait := groupDelay - time.Since(first); wait > 0 {
				timer.Reset(wait)
				select {
				case <-c.wake:
					timer.Stop()
				case <-timer.C:
				}
				if time.Since(first) < groupDelay {
					continue // woken early: look again
				}
			}
		}
		c.commitBatch()
	}
}

// commitBatch takes up to groupOps queued writes and commits them in one
// transaction.
func (c *committer) commitBatch() {
	c.mu.Lock()
	batch := c.queue[:min(len(c.queue), groupOps)]
	c.queue = c.queue[len(batch):]
	if len(c.queue) == 0 {
		c.queue = nil
	}
	c.urgent = false
	for _, op := range c.queue {
		if op.done != nil {
			c.urgent = true
			break
		}
	}
	c.room.Broadcast()
	c.mu.Unlock()

	errs := c.run(batch)

	for i, op := range batch {
		if op.then != nil {
			op.then(errs[i])
		}
	}
	for i, op := range batch {
		if op.done != nil {
			op.done <- errs[i]
		} else if errs[i] != nil {
			c.fail(errs[i])
		}
	}
}

// fail records the first failed write that no caller waited for.
func (c *committer) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failed == nil {
		c.failed = err
	}
}

// resetFailure forgets a failed write: the crawl state is read afresh.
func (c *committer) resetFailure() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.failed = nil
}

// run applies batch in one transaction and returns each write's outcome.
//
// The writes run first without their savepoints: a put's savepoint
// copies every page it changes into the statement journal before the
// change, and its three statements, with the put's own, were a tenth of the
// writer's time in a transaction. Should a write that needs one fail, it
// may have left part of itself in the transaction, so the transaction is
// rolled back and the batch run again, each such write in its savepoint:
// a failure costs the batch twice, and is rare (a full disk, a damaged
// file, another process holding the lock past the busy timeout).
func (c *committer) run(batch []*writeOp) []error {
	s := c.s
	if s.pg {
		return c.runPG(batch)
	}
	if !slices.ContainsFunc(batch, func(op *writeOp) bool { return op.apply != nil }) {
		return make([]error, len(batch)) // only Syncs: nothing to write
	}
	ctx := context.Background()
	asked := time.Now()
	// Beginning waits while a checkpoint truncates the log (see
	// startCheckpointer), or another process writes: that is counted
	// apart from the transaction.
	s.writeGate.Lock()
	defer s.writeGate.Unlock()
	errs, retry := c.attempt(ctx, batch, asked, false)
	if retry {
		errs, _ = c.attempt(ctx, batch, time.Now(), true)
	}
	return errs
}

// attempt runs batch in one transaction; asked is when the writer asked
// to begin it. Without savepoints, it stops at the first write that
// needed one and failed, rolls back, and asks for a retry with them.
func (c *committer) attempt(ctx context.Context, batch []*writeOp, asked time.Time, savepoints bool) (errs []error, retry bool) {
	s := c.s
	errs = make([]error, len(batch))
	tx, err := s.write.BeginTx(ctx, nil)
	begun := time.Now()
	s.counters.beginWait.Add(int64(begun.Sub(asked)))
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("begin: %w", err)
		}
		return errs, false
	}
	// Held is counted to the end of the rollback too, which deferred
	// calls run in the reverse order of their deferral.
	defer func() {
		s.counters.transactions.Add(1)
		s.counters.held.Add(int64(time.Since(begun)))
	}()
	defer tx.Rollback()
	seq := &s.batchSeq
	*seq = batchSeq{}

	c.mu.Lock()
	failed := c.failed
	c.mu.Unlock()
	shared := len(batch) > 1
	for i, op := range batch {
		switch {
		case op.state && failed != nil:
			errs[i] = fmt.Errorf("an earlier write failed: %w", failed)
			continue
		case op.ctx.Err() != nil:
			errs[i] = op.ctx.Err()
		default:
			errs[i] = c.apply(ctx, tx, op, shared && savepoints)
			if errs[i] != nil && op.savepoint && shared && !savepoints {
				return errs, true // part of it may be in tx: roll back
			}
		}
		if errs[i] != nil && op.done == nil && failed == nil {
			failed = errs[i] // no caller learns of it: later writes must not pass it
		}
	}
	if len(batch) == 1 && errs[0] != nil {
		return errs, false // rolled back: a write alone has no savepoint
	}
	if seq.taken {
		// The sequence numbers the batch's records took are stored
		// once, with its last.
		if _, err := s.txExec(ctx, tx, sqlSetSeq, seq.last); err != nil {
			for i := range errs {
				errs[i] = fmt.Errorf("store the sequence: %w", err)
			}
			return errs, false
		}
	}
	if s.commitHook != nil {
		s.commitHook(len(batch))
	}
	if err := tx.Commit(); err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("commit: %w", err)
		}
	}
	return errs, false
}

// apply makes one write inside the batch's transaction; savepoint says
// that the transaction holds other writes, which a failure must not undo,
// and that a write of several statements runs in a savepoint of its own.
func (c *committer) apply(ctx context.Context, tx *sql.Tx, op *writeOp, savepoint bool) error {
	s := c.s
	switch {
	case op.apply == nil:
		return nil
	case !op.savepoint || !savepoint:
		// Alone in its transaction, a write that fails is undone with
		// it; in a batch run without savepoints, the batch is.
		return op.apply(ctx, tx)
	}
	if _, err := s.txExec(ctx, tx, sqlSavepoint); err != nil {
		return err
	}
	if err := op.apply(ctx, tx); err != nil {
		if _, rerr := s.txExec(ctx, tx, sqlRollbackToSavepoint); rerr != nil {
			return errors.Join(err, rerr)
		}
		if _, rerr := s.txExec(ctx, tx, sqlReleaseSavepoint); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := s.txExec(ctx, tx, sqlReleaseSavepoint)
	return err
}

const (
	sqlSavepoint           = `SAVEPOINT write`
	sqlReleaseSavepoint    = `RELEASE write`
	sqlRollbackToSavepoint = `ROLLBACK TO write`
)

// commit queues apply as one write and waits for its commit; op names
// the write for the error of a read-only store.
func (s *Store) commit(ctx context.Context, op string, apply func(ctx context.Context, tx *sql.Tx) error) error {
	if s.commits == nil {
		return fmt.Errorf("%s: %s: %w", op, s.path, ErrReadOnly)
	}
	return s.commits.submit(&writeOp{ctx: ctx, apply: apply}, true)
}

// Sync returns once every write queued before it is committed, and the
// callbacks of PutLater for them have returned. It returns the error of an
// earlier write of the crawl state that failed, if any.
func (s *Store) Sync(ctx context.Context) error {
	if s.commits == nil {
		return nil
	}
	err := s.commits.submit(&writeOp{ctx: ctx}, true) // no write of its own
	if err != nil {
		return fmt.Errorf("sync archive: %w", err)
	}
	s.commits.mu.Lock()
	failed := s.commits.failed
	s.commits.mu.Unlock()
	if failed != nil {
		return fmt.Errorf("sync archive: an earlier write failed: %w", failed)
	}
	return nil
}
