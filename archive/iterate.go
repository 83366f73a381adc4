package archive

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"folio"
)

// Filter selects records. Its zero value selects every record; set fields
// combine with AND.
type Filter struct {
	// Site keeps records of this host name. Site, Author and Category
	// ignore case and accents, as the search index's filters do (FoldKey).
	Site string
	// Author keeps records whose author is this.
	Author string
	// Category keeps records whose primary category, or one of whose
	// categories, is this.
	Category string
	// Since keeps records published at or after this instant (to the
	// second); records
	// without a publication date are left out when it is set.
	Since time.Time
	// ChangedSince keeps records the archive wrote at or after this instant
	// (by its own clock): new ones, changed ones and ones updated in place.
	// It is what an incremental export wants.
	ChangedSince time.Time
}

// Order is the order Iterate delivers records in.
type Order int

const (
	// OrderAuto is OrderSeq when AfterSeq is set, else OrderPublished.
	OrderAuto Order = iota
	// OrderPublished sorts by publication instant, then id; records without a
	// publication date come first. The order is the same on every run over
	// the same archive.
	OrderPublished
	// OrderSeq sorts by sequence number: the order the records were last
	// written in.
	OrderSeq
)

// IterateOptions selects and orders the records Iterate delivers.
type IterateOptions struct {
	Filter
	// AfterSeq keeps records whose sequence number is greater: those written
	// after a consumer last caught up.
	AfterSeq int64
	Order    Order
}

// Entry is a record with the archive's bookkeeping about it.
type Entry struct {
	Article folio.Article
	// Seq is the record's sequence number.
	Seq int64
	// Revision is the number of its current revision.
	Revision int
	// UpdatedAt is when the archive last wrote the record.
	UpdatedAt time.Time
}

// Iterate calls fn with each selected record, in the order opts asks, while
// reading them from one consistent snapshot of the archive: writes that
// commit meanwhile are not seen. Memory use does not grow with the number of
// records. fn may call other methods of the Store, including Put. Iterate
// stops at the first error fn returns, and returns it.
func (s *Store) Iterate(ctx context.Context, opts IterateOptions, fn func(folio.Article) error) error {
	return s.IterateEntries(ctx, opts, func(e Entry) error { return fn(e.Article) })
}

// IterateEntries is Iterate with each record's sequence number, revision and
// update time, which a consumer catching up (the search index) records.
func (s *Store) IterateEntries(ctx context.Context, opts IterateOptions, fn func(Entry) error) error {
	return s.iterate(ctx, opts, func(r row) error {
		e, err := r.entry()
		if err != nil {
			return err
		}
		return fn(e)
	})
}

// row is one selected record as stored; record is valid only during the
// callback it is passed to.
type row struct {
	seq      int64
	revision int
	updated  int64
	format   string
	record   sql.RawBytes
}

func (r row) entry() (Entry, error) {
	e := Entry{Seq: r.seq, Revision: r.revision, UpdatedAt: fromUnixNano(r.updated)}
	// Called directly, UnmarshalJSON reads the record twice; through
	// json.Unmarshal, which validates and skips it first, four times.
	if err := e.Article.UnmarshalJSON(r.record); err != nil {
		return Entry{}, fmt.Errorf("decode record seq %d: %w", r.seq, err)
	}
	return e, nil
}

func (s *Store) iterate(ctx context.Context, opts IterateOptions, fn func(row) error) error {
	query, args := opts.query(s)
	// One read transaction gives the snapshot, whatever the pool does.
	tx, err := s.readTx(ctx)
	if err != nil {
		return fmt.Errorf("iterate archive: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("iterate archive: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		// database/sql notices a cancelled context only asynchronously.
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("iterate archive: %w", err)
		}
		var r row
		if err := rows.Scan(&r.seq, &r.revision, &r.updated, &r.format, &r.record); err != nil {
			return fmt.Errorf("iterate archive: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("iterate archive: %w", err)
	}
	return nil
}

func (o IterateOptions) query(s *Store) (string, []any) {
	where, args := o.Filter.where(s)
	if o.AfterSeq > 0 {
		where = append(where, "seq > ?")
		args = append(args, o.AfterSeq)
	}
	var b strings.Builder
	b.WriteString("SELECT seq, revision, updated_at, format, record FROM articles")
	if len(where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(where, " AND "))
	}
	order := o.Order
	if order == OrderAuto {
		order = OrderPublished
		if o.AfterSeq > 0 {
			order = OrderSeq
		}
	}
	if order == OrderSeq {
		b.WriteString(" ORDER BY seq")
	} else {
		// Matches the (published, id) indexes, so rows stream without a sort.
		b.WriteString(" ORDER BY published")
		if s.pg {
			b.WriteString(" NULLS FIRST") // SQLite's order
		}
		b.WriteString(", id")
	}
	return b.String(), args
}

// where returns the conditions on the articles table that select o, and
// their arguments.
func (o Filter) where(s *Store) ([]string, []any) {
	var (
		where []string
		args  []any
	)
	if o.Site != "" {
		// Sites are stored lower-cased and in ASCII (IDNA), as FoldKey
		// leaves them: the plain comparison, which the site index serves.
		where = append(where, "site = ?")
		args = append(args, FoldKey(o.Site))
	}
	if o.Author != "" {
		where = append(where, keyFunc+"("+s.jsonText("record", "author")+") = ?")
		args = append(args, FoldKey(o.Author))
	}
	if o.Category != "" {
		key := FoldKey(o.Category)
		each := "json_each(record, '$.categories')"
		if s.pg {
			each = "jsonb_array_elements_text(coalesce(record::jsonb -> 'categories', '[]')) AS c (value)"
		}
		where = append(where, "("+keyFunc+"(category) = ? OR EXISTS (SELECT 1 FROM "+each+" WHERE "+keyFunc+"(value) = ?))")
		args = append(args, key, key)
	}
	if !o.Since.IsZero() {
		where = append(where, "published >= ?")
		args = append(args, o.Since.Unix())
	}
	if !o.ChangedSince.IsZero() {
		where = append(where, "updated_at >= ?")
		args = append(args, boundNano(o.ChangedSince))
	}
	return where, args
}
