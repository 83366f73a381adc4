package archive

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
)

// migrations is the schema history, oldest first. Entry i brings a database
// from user_version i to i+1. Entries are never edited once released: a
// change to the schema is a new entry at the end.
//
// Times are INTEGER Unix nanoseconds in UTC, except articles.published (Unix
// seconds, for filtering and ordering; the record JSON keeps the offset).
var migrations = []string{
	// 1: records, revisions, raw captures and URL aliases.
	`
CREATE TABLE counters (
	name  TEXT PRIMARY KEY,
	value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('seq', 0);

CREATE TABLE articles (
	id           TEXT PRIMARY KEY,
	url          TEXT NOT NULL,
	site         TEXT NOT NULL,
	category     TEXT NOT NULL,
	published    INTEGER,
	fetched_at   INTEGER NOT NULL,
	seen_at      INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	content_hash TEXT NOT NULL,
	revision     INTEGER NOT NULL,
	seq          INTEGER NOT NULL UNIQUE,
	record       TEXT NOT NULL
);
CREATE INDEX articles_url ON articles (url);
CREATE INDEX articles_published ON articles (published, id);
CREATE INDEX articles_site_published ON articles (site, published, id);
CREATE INDEX articles_updated ON articles (updated_at);

CREATE TABLE revisions (
	article_id   TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	number       INTEGER NOT NULL,
	content_hash TEXT NOT NULL,
	fetched_at   INTEGER NOT NULL,
	stored_at    INTEGER NOT NULL,
	record       TEXT NOT NULL,
	UNIQUE (article_id, number)
);

CREATE TABLE captures (
	id            INTEGER PRIMARY KEY,
	article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	revision      INTEGER NOT NULL,
	url           TEXT NOT NULL,
	requested_url TEXT NOT NULL,
	status        INTEGER NOT NULL,
	header        TEXT NOT NULL,
	fetched_at    INTEGER NOT NULL,
	depth         INTEGER NOT NULL,
	encoding      TEXT NOT NULL,
	size          INTEGER NOT NULL,
	body          BLOB NOT NULL
);
CREATE INDEX captures_article ON captures (article_id, id);

CREATE TABLE url_aliases (
	url        TEXT PRIMARY KEY,
	article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
) WITHOUT ROWID;
`,
	// 2: crawl runs and persistent crawl state.
	`
CREATE TABLE runs (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	site           TEXT NOT NULL,
	trigger        TEXT NOT NULL,
	started_at     INTEGER NOT NULL,
	ended_at       INTEGER,
	fetched        INTEGER NOT NULL DEFAULT 0,
	new            INTEGER NOT NULL DEFAULT 0,
	changed        INTEGER NOT NULL DEFAULT 0,
	unchanged      INTEGER NOT NULL DEFAULT 0,
	not_modified   INTEGER NOT NULL DEFAULT 0,
	errors         INTEGER NOT NULL DEFAULT 0,
	errors_by_kind TEXT NOT NULL DEFAULT '{}',
	failure        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX runs_site_started ON runs (site, started_at);

CREATE TABLE crawl_queue (
	id    INTEGER PRIMARY KEY,
	site  TEXT NOT NULL,
	url   TEXT NOT NULL,
	depth INTEGER NOT NULL,
	done  INTEGER NOT NULL DEFAULT 0,
	UNIQUE (site, url)
);
CREATE INDEX crawl_queue_pending ON crawl_queue (site, id) WHERE done = 0;

CREATE TABLE validators (
	url           TEXT PRIMARY KEY,
	etag          TEXT NOT NULL,
	last_modified TEXT NOT NULL,
	fetched_at    INTEGER NOT NULL
) WITHOUT ROWID;
`,
	// 3: the shape of each stored record (see recordFormat); '' for records
	// stored before, which are re-encoded on export.
	`
ALTER TABLE articles ADD COLUMN format TEXT NOT NULL DEFAULT '';
`,
}

// schemaVersion is the schema version this build reads and writes.
var schemaVersion = len(migrations)

// migrate brings the database behind db (the single writer connection, whose
// transactions begin IMMEDIATE) up to schemaVersion, one transaction per
// step, so that two processes opening an old archive at once do not apply a
// step twice.
func (s *Store) migrate(ctx context.Context, db *sql.DB) error {
	from := -1
	for {
		version, done, err := s.migrateStep(ctx, db)
		if from < 0 {
			from = version
		}
		if err != nil {
			return err
		}
		if done {
			// A new archive runs every step from 0: not news. An upgrade is.
			switch {
			case from == 0:
				s.log.Debug("archive created", slog.String("path", s.path), slog.Int("version", version))
			case version > from:
				s.log.Info("archive upgraded", slog.String("path", s.path), slog.Int("from", from), slog.Int("to", version))
			}
			return nil
		}
	}
}

// migrateStep applies the migration after the database's version, if any,
// and returns the version it found.
func (s *Store) migrateStep(ctx context.Context, db *sql.DB) (version int, done bool, err error) {
	if s.pg {
		return s.pgMigrateStep(ctx, db)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return version, false, fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	version, err = s.userVersion(ctx, tx)
	if err != nil {
		return version, false, fmt.Errorf("migrate: %w", err)
	}
	if err := checkVersion(version, true); err != nil {
		return version, false, err
	}
	if version == schemaVersion {
		return version, true, nil
	}
	if _, err := tx.ExecContext(ctx, migrations[version]); err != nil {
		return version, false, fmt.Errorf("migrate to version %d: %w", version+1, err)
	}
	// PRAGMA takes no bound parameters; version is an int we control.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version+1)); err != nil {
		return version, false, fmt.Errorf("migrate to version %d: %w", version+1, err)
	}
	if err := tx.Commit(); err != nil {
		return version, false, fmt.Errorf("migrate to version %d: %w", version+1, err)
	}
	// Each step at debug: migrate says once what came of them all.
	s.log.Debug("archive migrated", slog.String("path", s.path), slog.Int("version", version+1))
	return version, false, nil
}

// checkVersion tells whether this build can use a database at version.
func checkVersion(version int, writable bool) error {
	switch {
	case version > schemaVersion:
		return fmt.Errorf("schema version %d is newer than this folio's %d: use a newer folio", version, schemaVersion)
	case version < schemaVersion && !writable:
		return fmt.Errorf("schema version %d is older than this folio's %d: open it once for writing (for example with a crawl) to migrate it", version, schemaVersion)
	}
	return nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userVersion reads the schema version. It also reads the schema itself,
// which the version alone (a header field) does not, so that a damaged file
// fails here, at open, rather than at the first query.
func (s *Store) userVersion(ctx context.Context, q queryer) (int, error) {
	if s.pg {
		return pgUserVersion(ctx, q)
	}
	var v, tables int
	err := q.QueryRowContext(ctx, "SELECT (SELECT user_version FROM pragma_user_version), count(*) FROM sqlite_schema").Scan(&v, &tables)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
