package archive

import (
	"context"
	"errors"
	"fmt"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDamaged is wrapped by Check's error when SQLite finds the archive's
// file damaged. IsDamaged also recognises the driver's own errors for it.
var ErrDamaged = errors.New("the archive is damaged")

// IsDamaged reports whether err says the archive's file is damaged: it
// wraps ErrDamaged, or SQLite's SQLITE_CORRUPT ("database disk image is
// malformed") or SQLITE_NOTADB.
func IsDamaged(err error) bool {
	if errors.Is(err, ErrDamaged) {
		return true
	}
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		switch coded.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return true
		}
	}
	return false
}

// Check reads the whole archive file with SQLite's own check and returns an
// error wrapping ErrDamaged, listing the first problems found, when it is
// damaged. quick_check reads every page (O(N), about as long as an export
// of the records); full runs integrity_check, which also compares every
// index with its table (O(N log N)).
//
// A damaged page is otherwise met only by the queries that read it: a
// command that reads a part of the archive can succeed on a damaged file,
// and one that reads all of it should check first rather than export or
// index what it can.
func (s *Store) Check(ctx context.Context, full bool) error {
	if s.pg {
		return s.pgCheck(ctx)
	}
	pragma := "PRAGMA quick_check(20)"
	if full {
		pragma = "PRAGMA integrity_check(20)"
	}
	rows, err := s.read.QueryContext(ctx, pragma)
	if err != nil {
		return fmt.Errorf("check archive %s: %w", s.path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check archive %s: %w", s.path, err)
		}
		if line != "ok" {
			problems = append(problems, strings.Join(strings.Fields(line), " "))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check archive %s: %w", s.path, err)
	}
	if len(problems) > 0 {
		more := ""
		if len(problems) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(problems)-1)
		}
		return fmt.Errorf("check archive %s: %w: %s%s", s.path, ErrDamaged, problems[0], more)
	}
	return nil
}
