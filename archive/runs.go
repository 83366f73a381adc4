package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// RunCounts are the figures of one crawl run.
type RunCounts struct {
	// Fetched counts the pages fetched, articles or not.
	Fetched int
	// New, Changed and Unchanged count the articles stored with each Outcome.
	New, Changed, Unchanged int
	// NotModified counts the conditional fetches answered 304.
	NotModified int
	// Errors counts the pages that failed, and ErrorsByKind splits them by
	// kind ("timeout", "http_5xx", "extract"...; the crawler names them).
	Errors       int
	ErrorsByKind map[string]int
	// Failure is why the run stopped before completing; empty when it
	// completed, page errors notwithstanding.
	Failure string
}

// Run is one crawl of one site.
type Run struct {
	ID      int64
	Site    string
	Trigger Trigger
	Started time.Time
	// Ended is zero while the run goes on, and forever for a run whose
	// process died.
	Ended time.Time
	RunCounts
}

// Trigger says what started a run.
type Trigger string

// The triggers of runs, as the run history records them.
const (
	TriggerManual   Trigger = "manual"   // started by hand (folio crawl)
	TriggerSchedule Trigger = "schedule" // a turn of folio schedule
)

// BeginRun records the start of a crawl of site and returns its id. trigger
// says what started it.
func (s *Store) BeginRun(ctx context.Context, site string, trigger Trigger, started time.Time) (int64, error) {
	var id int64
	err := s.commit(ctx, "begin run", func(ctx context.Context, tx *sql.Tx) error {
		return s.txScan(ctx, tx, sqlBeginRun, []any{site, string(trigger), unixNano(started)}, &id)
	})
	if err != nil {
		return 0, fmt.Errorf("begin run of %s: %w", site, err)
	}
	return id, nil
}

// EndRun records the end of run id, now by the archive's clock, with its
// figures. It returns an error wrapping ErrNotFound when there is no such run.
func (s *Store) EndRun(ctx context.Context, id int64, c RunCounts) error {
	byKind := c.ErrorsByKind
	if byKind == nil {
		byKind = map[string]int{}
	}
	kinds, err := json.Marshal(byKind)
	if err != nil {
		return fmt.Errorf("end run %d: %w", id, err)
	}
	err = s.commit(ctx, "end run", func(ctx context.Context, tx *sql.Tx) error {
		res, err := s.txExec(ctx, tx, sqlEndRun,
			unixNano(s.now()), c.Fetched, c.New, c.Changed, c.Unchanged, c.NotModified, c.Errors, kinds, c.Failure, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("end run %d: %w", id, err)
	}
	return nil
}

const (
	sqlBeginRun = `INSERT INTO runs (site, trigger, started_at) VALUES (?, ?, ?) RETURNING id`
	sqlEndRun   = `
UPDATE runs SET ended_at = ?, fetched = ?, new = ?, changed = ?, unchanged = ?, not_modified = ?,
	errors = ?, errors_by_kind = ?, failure = ?
WHERE id = ?`
)

const sqlRunColumns = `id, site, trigger, started_at, coalesce(ended_at, 0), fetched, new, changed, unchanged,
	not_modified, errors, errors_by_kind, failure`

// Runs returns the latest limit runs, newest first; every run when limit is
// 0 or less.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	var bound any = limit
	if limit <= 0 {
		bound = -1 // SQLite: no limit
		if s.pg {
			bound = nil // PostgreSQL: LIMIT NULL
		}
	}
	return s.queryRuns(ctx, "list runs", `SELECT `+sqlRunColumns+`
FROM runs ORDER BY started_at DESC, id DESC LIMIT ?`, bound)
}

// LastRun returns the latest run of site, finished or not; an error wrapping
// ErrNotFound when the site was never crawled. A scheduler reads it to tell
// whether the site is due.
func (s *Store) LastRun(ctx context.Context, site string) (Run, error) {
	runs, err := s.queryRuns(ctx, "read last run of "+site, `SELECT `+sqlRunColumns+`
FROM runs WHERE site = ? ORDER BY started_at DESC, id DESC LIMIT 1`, site)
	if err != nil {
		return Run{}, err
	}
	if len(runs) == 0 {
		return Run{}, fmt.Errorf("read last run of %s: %w", site, ErrNotFound)
	}
	return runs[0], nil
}

func (s *Store) queryRuns(ctx context.Context, op, query string, args ...any) ([]Run, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var (
			r              Run
			started, ended int64
			kinds          []byte
		)
		err := rows.Scan(&r.ID, &r.Site, &r.Trigger, &started, &ended, &r.Fetched, &r.New, &r.Changed,
			&r.Unchanged, &r.NotModified, &r.Errors, &kinds, &r.Failure)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		r.Started, r.Ended = fromUnixNano(started), fromUnixNano(ended)
		if err := json.Unmarshal(kinds, &r.ErrorsByKind); err != nil {
			return nil, fmt.Errorf("%s: decode errors of run %d: %w", op, r.ID, err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return runs, nil
}
