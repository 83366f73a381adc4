package archive

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
)

// The store speaks two dialects of SQL: SQLite's, in which its queries are
// written, and PostgreSQL's. Most queries are the same in both but for
// their placeholders, which q rewrites; the few that differ are chosen by
// Store.pg where they are built (JSON access, the folding function's
// arguments, LIMIT without a bound), and the writes of a group take a path
// of their own on PostgreSQL (pgcommit.go).

// rebinds caches the PostgreSQL text of each query.
var rebinds sync.Map // string → string

// q returns query in the store's dialect.
func (s *Store) q(query string) string {
	if !s.pg {
		return query
	}
	if out, ok := rebinds.Load(query); ok {
		return out.(string)
	}
	out := rebind(query)
	rebinds.Store(query, out)
	return out
}

// rebind rewrites SQLite's placeholders as PostgreSQL's: each bare ? takes
// the next number, and ?N is $N. Quoted strings and identifiers are copied
// as they are.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			b.WriteByte(c)
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(query[i+1 : j])
				i = j - 1
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// query runs query on the reader pool in the store's dialect.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.read.QueryContext(ctx, s.q(query), args...)
}

// queryRow runs query on the reader pool in the store's dialect.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return s.read.QueryRowContext(ctx, s.q(query), args...)
}

// jsonText is the SQL of the text of the top-level key of a stored record,
// NULL when the key is missing or null.
func (s *Store) jsonText(column, key string) string {
	if s.pg {
		return "(" + column + "::jsonb ->> '" + key + "')"
	}
	return "json_extract(" + column + ", '$." + key + "')"
}

// readTx begins a read-only transaction on the reader pool whose
// statements all see one snapshot: SQLite's transactions do, PostgreSQL's
// from repeatable read.
func (s *Store) readTx(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.read.BeginTx(ctx, opts)
}
