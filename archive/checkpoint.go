package archive

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// checkpointInterval is how often the checkpointer copies the write-ahead
// log into the database file.
//
// Each checkpoint that empties the log costs the writer an fsync: its next
// commit starts the log again from its beginning, and SQLite syncs the
// log's new header before the frames that follow it, inside the writer's
// transaction. Every second, those fsyncs were a tenth of the time the
// writer held its transactions during BenchmarkEndToEnd's first crawl;
// every two seconds halves them.
const checkpointInterval = 2 * time.Second

// maxWALBytes caps the write-ahead log. A PASSIVE checkpoint never waits,
// so while readers keep older snapshots (the crawler asks what is
// archived of every URL it meets) it never copies the whole log, the log
// is never restarted from its beginning, and it grew to 4× the database
// during a 200-article crawl. Past maxWALBytes, the checkpointer waits for
// the readers and truncates it.
const maxWALBytes = 4 << 20

// startCheckpointer opens a connection of its own and copies the WAL into
// the database every interval. SQLite's automatic checkpoint runs on the
// connection that commits, and its fsync held the archive's single writer,
// and so every crawl worker waiting to store a page, for 130–250 ms at a
// time. A PASSIVE checkpoint never waits for readers or the writer, which
// go on while it copies.
//
// A log past maxWALBytes is first copied by a PASSIVE checkpoint, beside
// the writer, and then truncated by a TRUNCATE checkpoint, which holds the
// writer off while it copies what was committed meanwhile, waits for the
// readers and truncates the log. The writer waits for it on the store's
// writeGate, in this process, rather than in SQLite's busy handler: that
// one polls in sleeps of 1 to 100 ms and overslept the checkpoint, and
// copying the whole log under the write lock held the writer for tens of
// milliseconds a second during a crawl.
func (s *Store) startCheckpointer(busy int64, interval time.Duration) error {
	db, err := sql.Open("sqlite", s.dsn(fmt.Sprintf("_pragma=busy_timeout(%d)", busy)))
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	s.stopCheckpointer = func() {
		cancel()
		<-done
		db.Close()
	}
	checkpoint := func(mode string) {
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint("+mode+")"); err != nil && ctx.Err() == nil {
			s.log.Warn("archive checkpoint failed", slog.String("path", s.path), slog.String("mode", mode), slog.Any("err", err))
		}
	}
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			checkpoint("PASSIVE")
			if fi, err := os.Stat(s.path + "-wal"); err == nil && fi.Size() > maxWALBytes && ctx.Err() == nil {
				s.writeGate.Lock()
				checkpoint("TRUNCATE")
				s.writeGate.Unlock()
			}
		}
	}()
	return nil
}
