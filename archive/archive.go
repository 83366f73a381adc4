package archive

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"
)

// FileName is the name of the database file inside the archive directory.
const FileName = "archive.db"

// ErrNotFound is returned when the archive holds no such article, capture or
// run.
var ErrNotFound = errors.New("not found")

// ErrReadOnly is returned by the methods that write when the Store was
// opened read-only.
var ErrReadOnly = errors.New("archive opened read-only")

// Store is an open archive. It is safe for concurrent use.
type Store struct {
	dir  string
	path string
	// pg is set for an archive in PostgreSQL (see postgres.go): path is
	// then its URL, password masked, and dir is empty.
	pg bool
	// write is the single connection every write goes through; nil when the
	// store is read-only.
	write *sql.DB
	// read is a pool of query-only connections; on PostgreSQL, of at most
	// readConns.
	read      *sql.DB
	readConns int
	log       *slog.Logger
	now       func() time.Time

	// stmts caches prepared statements by connection pool and text: the
	// driver otherwise parses every statement on every call, which costs as
	// much as running it.
	stmtsMu sync.Mutex
	stmts   map[stmtKey]*sql.Stmt

	// commits queues the writes and commits them in groups on the
	// writer (see commit.go); nil when the store is read-only. counters
	// measure the writer's use (see WriteStats).
	commits    *committer
	counters   writeCounters
	commitHook func(writes int)
	// crawls is the dedup of the current crawls (see state.go).
	crawls crawlSets
	// archived is what is archived of the sites being crawled, on
	// PostgreSQL (see pgarchived.go).
	archived archivedSites
	// pgConfig is how to connect to a PostgreSQL archive (see Watch).
	pgConfig *pgx.ConnConfig
	// batchSeq is the sequence during a transaction of the committer.
	batchSeq batchSeq

	// stopCheckpointer stops the background checkpoints of a writable
	// store (see startCheckpointer); nil when read-only. writeGate is
	// held by the committer during each transaction and by the
	// checkpointer while it truncates the log, so that neither waits for
	// the other in SQLite's busy handler.
	stopCheckpointer func()
	writeGate        sync.Mutex
}

type stmtKey struct {
	db    *sql.DB
	query string
}

// Option configures Open.
type Option func(*options)

type options struct {
	logger      *slog.Logger
	readOnly    bool
	now         func() time.Time
	busyTimeout time.Duration
	// checkpointInterval is checkpointInterval but in tests.
	checkpointInterval time.Duration
	commitHook         func(writes int)
}

// WithCommitHook sets a function the archive calls inside each group
// commit, after its writes and before the commit itself, with the number
// of writes it holds. It is for tests that stop a process in the middle of
// a commit; it must not use the Store.
func WithCommitHook(f func(writes int)) Option { return func(o *options) { o.commitHook = f } }

// WithLogger sets the logger; nil, the default, discards.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// ReadOnly opens the archive for reading only: the file must exist, nothing
// is created or migrated, and the methods that write return ErrReadOnly.
// Several read-only stores may be open while one process writes.
func ReadOnly() Option { return func(o *options) { o.readOnly = true } }

// WithClock sets the clock the archive stamps its own bookkeeping with
// (updated_at for ChangedSince, run end times); the default is time.Now.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithBusyTimeout sets how long an operation waits for another process's
// write lock before failing; the default is 10 seconds.
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// Open opens the archive at loc, migrating an older database to the
// current schema. loc is a directory, whose SQLite database is created with
// the directory when they do not exist, or a postgres:// (or postgresql://)
// URL of a PostgreSQL database, whose tables are created in the schema the
// connection uses (the URL's search_path parameter sets it).
func Open(loc string, opts ...Option) (*Store, error) {
	o := options{now: time.Now, busyTimeout: 10 * time.Second, checkpointInterval: checkpointInterval}
	for _, opt := range opts {
		opt(&o)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	if IsURL(loc) {
		return openPostgres(&Store{log: o.logger, now: o.now, commitHook: o.commitHook}, loc, o)
	}
	if err := CheckURL(loc); err != nil {
		return nil, fmt.Errorf("open %w", err)
	}
	dir := loc
	s := &Store{dir: dir, path: filepath.Join(dir, FileName), log: o.logger, now: o.now, commitHook: o.commitHook}

	if o.readOnly {
		if _, err := os.Stat(s.path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("open archive %s: no archive there yet: %w", s.path, err)
			}
			return nil, fmt.Errorf("open archive %s: %w", s.path, err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("open archive %s: %w", s.path, err)
	}
	if err := checkHeader(s.path); err != nil {
		return nil, err
	}

	ctx := context.Background()
	busy := o.busyTimeout.Milliseconds()
	var err error
	if !o.readOnly {
		s.write, err = sql.Open("sqlite", s.dsn(
			"_txlock=immediate",
			fmt.Sprintf("_pragma=busy_timeout(%d)", busy),
			"_pragma=journal_mode(WAL)",
			"_pragma=synchronous(NORMAL)",
			// No checkpoint on the writer's commits: the checkpointer does
			// them on a connection of its own.
			"_pragma=wal_autocheckpoint(0)",
			// A log restarted from its beginning is cut back to this.
			fmt.Sprintf("_pragma=journal_size_limit(%d)", maxWALBytes),
			"_pragma=foreign_keys(1)",
			// A put runs in a savepoint of its own in a group's
			// transaction, and its statement journal outgrew SQLite's
			// 64 KiB in memory: it went to a temporary file, created
			// and removed in every transaction.
			"_pragma=temp_store(MEMORY)",
		))
		if err != nil {
			return nil, fmt.Errorf("open archive %s: %w", s.path, err)
		}
		s.write.SetMaxOpenConns(1)
		s.write.SetConnMaxIdleTime(0)
		if err := s.migrate(ctx, s.write); err != nil {
			s.write.Close()
			return nil, explainOpenError(s.path, err)
		}
		for _, q := range txQueries {
			if _, err := s.stmt(ctx, s.write, q); err != nil {
				s.closeDBs()
				return nil, explainOpenError(s.path, fmt.Errorf("prepare %q: %w", q, err))
			}
		}
		if err := s.startCheckpointer(busy, o.checkpointInterval); err != nil {
			s.closeDBs()
			return nil, fmt.Errorf("open archive %s: %w", s.path, err)
		}
		s.startCommitter()
	}

	params := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busy),
		"_pragma=query_only(1)",
	}
	if o.readOnly {
		params = append(params, "mode=ro")
	}
	s.read, err = sql.Open("sqlite", s.dsn(params...))
	if err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("open archive %s: %w", s.path, err)
	}
	// Several, so that a callback of Iterate can itself read.
	s.read.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	s.read.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))

	_, err = s.readableVersion(ctx, o.busyTimeout)
	if err != nil {
		s.closeDBs()
		return nil, explainOpenError(s.path, err)
	}
	return s, nil
}

// readableVersion returns the schema version once this build can read it.
// An older version may be a writer creating or migrating the archive at
// this moment (one step per transaction), so it waits a little for the
// migration to end before calling the archive too old.
func (s *Store) readableVersion(ctx context.Context, wait time.Duration) (int, error) {
	deadline := time.Now().Add(min(wait, 3*time.Second))
	for {
		version, err := s.userVersion(ctx, s.read)
		if err != nil {
			return version, err
		}
		err = checkVersion(version, false)
		if err == nil || version > schemaVersion || time.Now().After(deadline) {
			return version, err
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// OpenReadOnly is Open(dir, ReadOnly(), opts...).
func OpenReadOnly(dir string, opts ...Option) (*Store, error) {
	return Open(dir, append(opts, ReadOnly())...)
}

// Dir returns the archive directory; "" for a PostgreSQL archive.
func (s *Store) Dir() string { return s.dir }

// Location names the archive in messages: its database file, or its URL
// with any password masked.
func (s *Store) Location() string { return s.path }

// Postgres tells whether the archive is in PostgreSQL.
func (s *Store) Postgres() bool { return s.pg }

// Close closes the archive. The Store must not be used afterwards.
func (s *Store) Close() error {
	if s.commits != nil {
		s.commits.close() // commits what is queued
		s.commits = nil
	}
	if s.write != nil && !s.pg {
		// Keeps the query planner's statistics fresh; cheap when nothing changed.
		if _, err := s.write.Exec("PRAGMA optimize"); err != nil {
			s.log.Warn("archive optimize failed", slog.String("path", s.path), slog.Any("err", err))
		}
	}
	if err := s.closeDBs(); err != nil {
		return fmt.Errorf("close archive %s: %w", s.path, err)
	}
	return nil
}

func (s *Store) closeDBs() error {
	if s.commits != nil {
		s.commits.close() // commits what is queued
		s.commits = nil
	}
	if s.stopCheckpointer != nil {
		s.stopCheckpointer()
		s.stopCheckpointer = nil
	}
	var errs []error
	s.stmtsMu.Lock()
	for _, st := range s.stmts {
		errs = append(errs, st.Close())
	}
	s.stmts = nil
	s.stmtsMu.Unlock()
	if s.read != nil {
		errs = append(errs, s.read.Close())
	}
	if s.write != nil {
		errs = append(errs, s.write.Close())
	}
	return errors.Join(errs...)
}

// dsn builds a file: URI for s.path, escaped so that any character of the
// path survives, followed by the driver's parameters.
func (s *Store) dsn(params ...string) string {
	var b bytes.Buffer
	b.WriteString("file:")
	b.WriteString((&url.URL{Path: filepath.ToSlash(s.path)}).EscapedPath())
	for i, p := range params {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(p)
	}
	return b.String()
}

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// checkHeader rejects an existing, non-empty file that is not an SQLite
// database before the driver does, with a message naming the file.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open archive %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 {
		return nil // an empty file is an empty database
	}
	if err != nil || !bytes.Equal(head, sqliteHeader) {
		return fmt.Errorf("open archive %s: the file is not an SQLite database (damaged, or not folio's): move it aside to start a new archive", path)
	}
	return nil
}

// explainOpenError names the file in errors met while opening, and says what
// the driver's "file is not a database" or "database disk image is
// malformed" means for the user.
func explainOpenError(path string, err error) error {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return fmt.Errorf("open archive %s: the database is damaged or not folio's: move it aside to start a new archive: %w", path, err)
		}
	}
	return fmt.Errorf("open archive %s: %w", path, err)
}

// stmt returns query prepared on db, preparing it the first time. The
// lock is not held while preparing: on the single-connection writer a
// prepare waits for any open transaction, and that transaction may itself
// need the lock to find its statements.
func (s *Store) stmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	key := stmtKey{db, query}
	s.stmtsMu.Lock()
	st, ok := s.stmts[key]
	s.stmtsMu.Unlock()
	if ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, s.q(query))
	if err != nil {
		return nil, err
	}
	s.stmtsMu.Lock()
	defer s.stmtsMu.Unlock()
	if prior, ok := s.stmts[key]; ok {
		st.Close() // another goroutine prepared it meanwhile
		return prior, nil
	}
	if s.stmts == nil {
		s.stmts = map[stmtKey]*sql.Stmt{}
	}
	s.stmts[key] = st
	return st, nil
}

// txQueries are the statements run inside write transactions. They are
// prepared when the archive opens: preparing one on the writer while a
// transaction holds its only connection would wait forever.
var txQueries = []string{
	sqlReadSeq, sqlSetSeq, sqlCurrentRecord, sqlUpsertArticle, sqlTouchArticle, sqlInsertRevision,
	sqlInsertCapture, sqlUpsertAlias, sqlUpsertValidators,
	sqlSavepoint, sqlReleaseSavepoint, sqlRollbackToSavepoint,
	sqlEnqueue, sqlDone, sqlFinish, sqlBeginRun, sqlEndRun,
}

// txStmt returns query prepared for tx, a transaction of the writer.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.stmtsMu.Lock()
	st, ok := s.stmts[stmtKey{s.write, query}]
	s.stmtsMu.Unlock()
	if !ok {
		return tx.PrepareContext(ctx, s.q(query)) // not reused, but never blocks
	}
	return tx.StmtContext(ctx, st), nil
}

// txExec runs the prepared query in tx.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// txScan runs the prepared query in tx and scans its first row into dest;
// sql.ErrNoRows when there is none.
func (s *Store) txScan(ctx context.Context, tx *sql.Tx, query string, args []any, dest ...any) error {
	st, err := s.txStmt(ctx, tx, query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

// readScan runs the prepared query on the reader pool and scans its first
// row into dest; sql.ErrNoRows when there is none.
func (s *Store) readScan(ctx context.Context, query string, args []any, dest ...any) error {
	if s.pg {
		// pgx prepares and caches each statement on each connection
		// itself; preparing through database/sql too cost a round trip
		// more.
		return s.read.QueryRowContext(ctx, s.q(query), args...).Scan(dest...)
	}
	st, err := s.stmt(ctx, s.read, query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

const (
	sqlReadSeq = `SELECT value FROM counters WHERE name = 'seq'`
	sqlSetSeq  = `UPDATE counters SET value = ? WHERE name = 'seq'`
)

// batchSeq is the archive sequence as a transaction of the writer takes
// its numbers: read once, counted in memory and stored once before the
// commit (see committer.attempt), rather than updated by every record.
// Only the committer's goroutine uses it. A record whose savepoint is
// rolled back leaves its number unused: numbers only grow.
type batchSeq struct {
	taken bool
	last  int64
}

// nextSeq takes the next value of the archive sequence inside tx, a
// transaction of the committer.
func (s *Store) nextSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	seq := &s.batchSeq
	if !seq.taken {
		if err := s.txScan(ctx, tx, sqlReadSeq, nil, &seq.last); err != nil {
			return 0, fmt.Errorf("next sequence: %w", err)
		}
		seq.taken = true
	}
	seq.last++
	return seq.last, nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// boundNano is t in Unix nanoseconds for a bound of a query: an instant
// past what int64 nanoseconds hold (after 2262, before 1678) is the largest
// or smallest value, where UnixNano's would be meaningless.
func boundNano(t time.Time) int64 {
	switch {
	case t.After(maxNanoTime):
		return math.MaxInt64
	case t.Before(minNanoTime):
		return math.MinInt64
	}
	return t.UnixNano()
}

var (
	maxNanoTime = time.Unix(0, math.MaxInt64)
	minNanoTime = time.Unix(0, math.MinInt64)
)

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
