package archive

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// A PostgreSQL archive is a server on the network: it restarts, fails
// over, and drops connections. Opening an archive retries for a while
// what the server dropped after it first answered (retryOpen). A group of writes that fails because the
// server could not be reached, or because it ended the connection, is run
// again, after a pause that doubles from pgRetryFirst to pgRetryMost,
// until it commits or the outage has lasted pgRetryFor; the callers wait
// meanwhile, and the writes queued behind it wait their turn, so that
// their order holds. A group that failed for another reason (a constraint,
// a full disk) is not retried: that failure is the write's.
//
// Running a group again is safe even when its commit reached the server
// and only the answer was lost: every crawl-state write is an upsert, and
// a put of a record whose content the archive already holds stores no
// revision (its outcome then reads Unchanged).
const (
	pgRetryFirst = 100 * time.Millisecond
	pgRetryMost  = 5 * time.Second
	pgRetryFor   = 5 * time.Minute
)

// transientPG reports whether err says that the server was unreachable or
// lost the connection, rather than that it refused the write.
func transientPG(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"): // connection exception
			return true
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03": // shutdown, crash, starting up
			return true
		case pgErr.Code == "40001", pgErr.Code == "40P01": // serialization failure, deadlock
			return true
		}
		return false
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, net.ErrClosed), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	case pgconn.SafeToRetry(err):
		return true
	}
	// pgx reports a connection closed under it by its text alone.
	return strings.Contains(err.Error(), "conn closed")
}

// backoff spaces the tries of an outage: a pause that doubles from
// pgRetryFirst to pgRetryMost, jittered so that the workers of many
// machines do not retry in step.
type backoff struct {
	began time.Time
	pause time.Duration
}

func newBackoff() *backoff { return &backoff{began: time.Now(), pause: pgRetryFirst} }

func (b *backoff) wait() {
	time.Sleep(b.pause/2 + rand.N(b.pause/2+1))
	b.pause = min(2*b.pause, pgRetryMost)
}

func (b *backoff) lasted() time.Duration { return time.Since(b.began) }

// retryPG runs attempt until its errors are not all transient, or the
// outage has lasted pgRetryFor, logging the outage once and its end.
func (c *committer) retryPG(attempt func() []error) []error {
	errs := attempt()
	if !allTransient(errs) {
		return errs
	}
	s := c.s
	b := newBackoff()
	s.log.Warn("archive unreachable: its writes wait and are retried", "archive", s.Location(), "err", firstError(errs), "retrying_for", pgRetryFor)
	for tries := 2; ; tries++ {
		b.wait()
		errs = attempt()
		if !allTransient(errs) {
			s.log.Info("archive reachable again", "archive", s.Location(), "after", b.lasted().Round(time.Millisecond), "tries", tries)
			return errs
		}
		if b.lasted() > pgRetryFor {
			s.log.Error("archive unreachable: giving up on its writes", "archive", s.Location(), "after", b.lasted().Round(time.Second), "err", firstError(errs))
			return errs
		}
	}
}

// pgOpenRetryFor is how long opening an archive whose server answered
// goes on trying when the server then drops it (a restart during the
// schema's check or upgrade, connections cut on a loaded network): as long
// as a shared crawl waits for its servers (crawler.Shared.RetryFor's
// default). A server that never answers fails at once.
const pgOpenRetryFor = 2 * time.Minute

// retryOpen runs step, a part of opening that may run again from its
// start, until it ends with no transient error or pgOpenRetryFor passed.
func (s *Store) retryOpen(step func() error) error {
	err := step()
	if !transientPG(err) {
		return err
	}
	b := newBackoff()
	s.log.Warn("archive unreachable while opening it: retrying", "archive", s.Location(), "err", err)
	for b.lasted() < pgOpenRetryFor {
		b.wait()
		if err = step(); !transientPG(err) {
			return err
		}
	}
	return err
}

// allTransient reports whether errs hold a transient error and nothing
// worse: the other writes succeeded, or their callers gave up (they are
// skipped when the group runs again).
func allTransient(errs []error) bool {
	final := func(err error) bool {
		return err != nil && !transientPG(err) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
	}
	return slices.ContainsFunc(errs, transientPG) && !slices.ContainsFunc(errs, final)
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
