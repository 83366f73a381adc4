package archive

import (
	"sync/atomic"
	"time"
)

// WriteStats tells how the archive's single writer has been used since the
// Store was opened: what a benchmark reads to tell whether more cores would
// find the writer saturated.
type WriteStats struct {
	// Transactions counts the write transactions run.
	Transactions int64
	// Held is the time the writer spent inside them; Held divided by the
	// wall time is the writer's occupancy.
	Held time.Duration
	// Waited is the time callers spent waiting for their writes to be
	// done: queueing for the writer, and the transaction itself.
	Waited time.Duration
}

// writeCounters are WriteStats as they accumulate, cheap enough to keep
// on every write.
type writeCounters struct {
	transactions atomic.Int64
	held, waited atomic.Int64 // nanoseconds
}

// WriteStats returns the writer's figures so far.
func (s *Store) WriteStats() WriteStats {
	return WriteStats{
		Transactions: s.counters.transactions.Load(),
		Held:         time.Duration(s.counters.held.Load()),
		Waited:       time.Duration(s.counters.waited.Load()),
	}
}

// withWriter runs f, which writes in one transaction on the writer,
// holding the writer alone, and counts it.
func (s *Store) withWriter(f func() error) error {
	asked := time.Now()
	s.writeMu.Lock()
	got := time.Now()
	err := f()
	end := time.Now()
	s.writeMu.Unlock()
	s.counters.transactions.Add(1)
	s.counters.held.Add(int64(end.Sub(got)))
	s.counters.waited.Add(int64(end.Sub(asked)))
	return err
}
