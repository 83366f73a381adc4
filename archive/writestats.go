package archive

import (
	"sync/atomic"
	"time"
)

// WriteStats tells how the archive's single writer has been used since the
// Store was opened: what a benchmark reads to tell whether more cores would
// find the writer saturated.
type WriteStats struct {
	// Transactions counts the write transactions run: each commits a
	// group of writes.
	Transactions int64
	// Held is the time the writer spent inside them, from BEGIN to the
	// end of COMMIT; Held divided by the wall time is the writer's
	// occupancy.
	Held time.Duration
	// Waited is the time callers spent waiting for their writes: for
	// the commit holding a write when the caller waits for it, for room
	// in the queue of writes otherwise.
	Waited time.Duration
	// BeginWait is the time the writer waited to begin its transactions,
	// while another connection held the write lock (the checkpointer
	// truncating the log, another process).
	BeginWait time.Duration
	// Statements and ReadStatements count the statements sent to a
	// PostgreSQL archive by the writer (BEGIN and COMMIT included) and
	// by the readers; both are 0 on SQLite, whose statements cost no
	// round trip.
	Statements, ReadStatements int64
}

// writeCounters are WriteStats as they accumulate, cheap enough to keep
// on every write.
type writeCounters struct {
	transactions               atomic.Int64
	held, waited               atomic.Int64 // nanoseconds
	beginWait                  atomic.Int64
	statements, readStatements atomic.Int64
}

// WriteStats returns the writer's figures so far.
func (s *Store) WriteStats() WriteStats {
	return WriteStats{
		Transactions:   s.counters.transactions.Load(),
		Held:           time.Duration(s.counters.held.Load()),
		Waited:         time.Duration(s.counters.waited.Load()),
		BeginWait:      time.Duration(s.counters.beginWait.Load()),
		Statements:     s.counters.statements.Load(),
		ReadStatements: s.counters.readStatements.Load(),
	}
}
