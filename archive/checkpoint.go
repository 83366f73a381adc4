package archive

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkpointInterval is how often the checkpointer copies the write-ahead
// log into the database file.
const checkpointInterval = time.Second

// startCheckpointer opens a connection of its own and copies the WAL into
// the database every interval. SQLite's automatic checkpoint runs on the
// connection that commits, and its fsync held the archive's single writer,
// and so every crawl worker waiting to store a page, for 130–250 ms at a
// time. A PASSIVE checkpoint never waits for readers or the writer, which
// go on while it copies.
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
			if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil && ctx.Err() == nil {
				s.log.Warn("archive checkpoint failed", "path", s.path, "err", err)
			}
		}
	}()
	return nil
}
