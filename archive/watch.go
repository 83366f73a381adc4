package archive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// watchChannel is the PostgreSQL notification channel of every folio
// archive in a database; the payload is the schema and the sequence the
// commit stored, so that archives in several schemas share it.
const watchChannel = "folio_archive"

// ErrNoWatch is returned by Watch on an SQLite archive, whose writers tell
// no other process: its followers check the sequence on their own.
var ErrNoWatch = errors.New("the archive sends no notifications (SQLite): check MaxSeq periodically")

// Watch calls fn each time a commit of any process moves the sequence of
// this PostgreSQL archive, with the sequence it stored, until ctx ends; it
// then returns nil. It listens on a connection of its own (LISTEN/NOTIFY).
// Once it listens, and again each time it listens after losing the
// connection (which it opens again, every retry interval, logging the
// failure), it calls fn(0): commits may have passed unnoticed, so the
// caller should look at the archive then. fn runs on Watch's goroutine and
// must return quickly. On SQLite, Watch returns ErrNoWatch at once.
func (s *Store) Watch(ctx context.Context, fn func(seq int64)) error {
	if !s.pg {
		return ErrNoWatch
	}
	const retry = time.Second
	for {
		err := s.watchOnce(ctx, fn)
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("archive notifications lost; listening again", slog.String("archive", s.path), slog.Any("err", err))
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(retry):
		}
	}
}

func (s *Store) watchOnce(ctx context.Context, fn func(seq int64)) error {
	conn, err := pgx.ConnectConfig(ctx, s.pgConfig.Copy())
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+watchChannel); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fn(0)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		i := strings.LastIndexByte(n.Payload, ' ') // a schema's name may hold spaces
		if i < 0 || n.Payload[:i] != schema {
			continue // another archive of the database
		}
		if v, err := strconv.ParseInt(n.Payload[i+1:], 10, 64); err == nil {
			fn(v)
		}
	}
}
