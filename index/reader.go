package index

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Reader answers a stream of searches, as a server does, from one
// read-only open of the index rather than one open per search, which costs
// more than the search itself at 100,000 records.
//
// bleve lets no other process write an index that this one holds open. So
// a Reader lets go of it whenever a writer wants it (busy reports true:
// another process writes the data directory) and when no search came for
// its idle time; while busy, each search opens the index for itself, as
// `folio search` does, and sees each batch the writer adds. Its methods are
// safe for concurrent use.
type Reader struct {
	open func(context.Context) (*Index, error)
	busy func() bool
	idle time.Duration
	// check is how often the timer asks busy: ReaderCheck, or idle.
	check time.Duration

	mu       sync.RWMutex
	ix       *Index // nil while released
	closed   bool
	lastUsed atomic.Int64 // unix nanoseconds of the last search
	timer    *time.Timer

	// While busy, searches open the index in rounds (see enterRound),
	// so that a stream of them cannot keep the writer out.
	rounds    sync.Mutex
	roundDone *sync.Cond
	inRound   int       // searches of the current round still running
	started   time.Time // when the current round began
	ended     time.Time // when the last round's last search let go
}

// A writer polls for the index's lock (bbolt retries every 50 ms), and
// every read-only open shares that lock: searches that overlap without a
// break would keep it out for good. So while busy, searches start in
// rounds: one joins the running round in its first roundJoin, and after a
// round the index stays free for writerWindow, longer than the writer's
// poll.
const (
	roundJoin    = 50 * time.Millisecond
	writerWindow = 60 * time.Millisecond
)

// DefaultReaderIdle is how long a Reader keeps the index open with no
// search, when NewReader is given no idle time. Reopening costs the next
// search the open and bleve's caches (5 ms and more at 100,000 records,
// for every search that arrives meanwhile); a writer does not wait for
// it, being noticed every ReaderCheck.
const DefaultReaderIdle = time.Minute

// ReaderCheck is how often at most a Reader that holds the index and sees
// no search asks whether a writer wants the index.
const ReaderCheck = 200 * time.Millisecond

// NewReader returns a Reader that opens the index with open (read-only;
// the caller may bring it up to date with its archive first) and gives it
// up when busy reports that another process wants to write it, checked at
// each search and every ReaderCheck (or idle, when shorter), or when idle
// (default DefaultReaderIdle) passed with no search. A nil busy never
// reports a writer.
func NewReader(open func(context.Context) (*Index, error), busy func() bool, idle time.Duration) *Reader {
	if idle <= 0 {
		idle = DefaultReaderIdle
	}
	if busy == nil {
		busy = func() bool { return false }
	}
	r := &Reader{open: open, busy: busy, idle: idle, check: min(idle, ReaderCheck)}
	r.roundDone = sync.NewCond(&r.rounds)
	return r
}

// Search runs q on the held index, opening it first when released; while
// a writer wants the index, on an index opened for this search alone.
func (r *Reader) Search(ctx context.Context, q Query) (Result, error) {
	r.lastUsed.Store(time.Now().UnixNano())
	if r.busy() {
		r.release()
		return r.searchOnce(ctx, q)
	}
	for {
		r.mu.RLock()
		if r.closed {
			r.mu.RUnlock()
			return Result{}, ErrClosed
		}
		if ix := r.ix; ix != nil {
			res, err := ix.Search(ctx, q)
			r.mu.RUnlock()
			if err != nil && !isQueryError(err) {
				r.release() // the next search opens the index afresh
			}
			return res, err
		}
		r.mu.RUnlock()
		if err := r.hold(ctx); err != nil {
			return Result{}, err
		}
	}
}

func (r *Reader) searchOnce(ctx context.Context, q Query) (Result, error) {
	if err := r.enterRound(ctx); err != nil {
		return Result{}, err
	}
	defer r.leaveRound()
	ix, err := r.open(ctx)
	if err != nil {
		return Result{}, err
	}
	res, err := ix.Search(ctx, q)
	if cerr := ix.Close(); err == nil {
		err = cerr
	}
	return res, err
}

// enterRound waits until a search may open the index while a writer wants
// it: at once in a round's first roundJoin, else once the round is over
// and the writer has had its window.
func (r *Reader) enterRound(ctx context.Context) error {
	r.rounds.Lock()
	defer r.rounds.Unlock()
	for {
		now := time.Now()
		switch {
		case r.inRound > 0 && now.Sub(r.started) < roundJoin:
			r.inRound++
			return nil
		case r.inRound == 0 && now.Sub(r.ended) >= writerWindow:
			r.started = now
			r.inRound++
			return nil
		case r.inRound > 0:
			r.roundDone.Wait() // a round lasts as long as its searches
		default:
			wait := time.NewTimer(r.ended.Add(writerWindow).Sub(now))
			r.rounds.Unlock()
			select {
			case <-wait.C:
			case <-ctx.Done():
				wait.Stop()
				r.rounds.Lock()
				return ctx.Err()
			}
			r.rounds.Lock()
		}
	}
}

func (r *Reader) leaveRound() {
	r.rounds.Lock()
	defer r.rounds.Unlock()
	r.inRound--
	if r.inRound == 0 {
		r.ended = time.Now()
		r.roundDone.Broadcast()
	}
}

// hold opens the index for the searches to come and arms the timer that
// lets it go.
func (r *Reader) hold(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	if r.ix != nil {
		return nil
	}
	ix, err := r.open(ctx)
	if err != nil {
		return err
	}
	r.ix = ix
	if r.timer == nil {
		r.timer = time.AfterFunc(r.check, r.tick)
	} else {
		r.timer.Reset(r.check)
	}
	return nil
}

// tick runs every r.check while the index is held: it lets the index go
// when a writer wants it or no search came for r.idle.
func (r *Reader) tick() {
	idleFor := time.Since(time.Unix(0, r.lastUsed.Load()))
	if idleFor >= r.idle || r.busy() {
		r.release()
		return
	}
	r.mu.RLock()
	if r.ix != nil && !r.closed {
		r.timer.Reset(r.check)
	}
	r.mu.RUnlock()
}

// release closes the held index once the searches on it finish.
func (r *Reader) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ix != nil {
		r.ix.Close()
		r.ix = nil
	}
}

// Close lets the index go for good; later searches return ErrClosed.
func (r *Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
	if r.ix == nil {
		return nil
	}
	err := r.ix.Close()
	r.ix = nil
	return err
}

func isQueryError(err error) bool {
	var qe *QueryError
	return errors.As(err, &qe)
}
