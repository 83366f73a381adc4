package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"folio"
)

// StoredCapture is one raw capture as the archive holds it: the page an
// article revision was extracted from.
type StoredCapture struct {
	// ArticleID and Revision name the record revision extracted from it;
	// ArticleURL is the record's URL now.
	ArticleID  string
	ArticleURL string
	Revision   int
	// Page is the page as the crawler handed it on: its body decoded to
	// UTF-8, its headers those of the response.
	Page folio.Page
}

// IterateCaptures calls fn with the raw captures of the records f selects,
// in the order Export writes records (publication instant, then id), each
// article's captures oldest first. f.ChangedSince keeps the captures whose
// revision the archive stored at or after that instant, which is what an
// incremental export of captures wants. Like Iterate, it reads one
// snapshot, in constant memory, and stops at the first error fn returns.
func (s *Store) IterateCaptures(ctx context.Context, f Filter, fn func(StoredCapture) error) error {
	query, args := s.captureQuery(f)
	return s.scanCaptures(ctx, query, args, fn)
}

// LatestCaptures returns the latest raw capture of up to limit of the
// records f selects whose id sorts after afterID, in id order: the page
// each record was last extracted from, which is what a re-extraction
// reads. fetchedSince, when set, keeps the captures fetched at or after
// that instant. Records stored without a capture (imports) are left out;
// CountWithoutCapture counts them.
//
// A caller goes through the records a page at a time, passing the last id
// it got, and may Put between two pages: no read stays open meanwhile,
// which would keep the checkpointer from truncating the log while the
// writes grow it, and the writer waiting.
func (s *Store) LatestCaptures(ctx context.Context, f Filter, fetchedSince time.Time, afterID string, limit int) ([]StoredCapture, error) {
	f.ChangedSince = time.Time{}
	where, args := f.where(s)
	where = append(where, "id > ?")
	args = append(args, afterID)
	var b strings.Builder
	b.WriteString(`
SELECT c.article_id, a.url, c.revision, c.url, c.requested_url, c.status, c.header, c.fetched_at, c.depth,
	c.encoding, c.size, c.body
FROM (SELECT id, url FROM articles WHERE `)
	b.WriteString(strings.Join(where, " AND "))
	b.WriteString(`) a
JOIN captures c ON c.id = (SELECT max(id) FROM captures WHERE article_id = a.id)`)
	if !fetchedSince.IsZero() {
		b.WriteString(` AND c.fetched_at >= ?`)
		args = append(args, boundNano(fetchedSince))
	}
	b.WriteString(`
ORDER BY a.id LIMIT ?`)
	args = append(args, limit)
	var out []StoredCapture
	err := s.scanCaptures(ctx, b.String(), args, func(c StoredCapture) error {
		c.Page.Body = bytes.Clone(c.Page.Body)
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("latest captures: %w", err)
	}
	return out, nil
}

// CountWithoutCapture counts the records f selects that have no raw capture
// (imports), fetched at or after fetchedSince when it is set: those
// LatestCaptures leaves out.
func (s *Store) CountWithoutCapture(ctx context.Context, f Filter, fetchedSince time.Time) (int, error) {
	f.ChangedSince = time.Time{}
	where, args := f.where(s)
	where = append(where, "NOT EXISTS (SELECT 1 FROM captures c WHERE c.article_id = articles.id)")
	if !fetchedSince.IsZero() {
		where = append(where, "fetched_at >= ?")
		args = append(args, boundNano(fetchedSince))
	}
	var n int
	err := s.queryRow(ctx, "SELECT count(*) FROM articles WHERE "+strings.Join(where, " AND "), args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count records without capture: %w", err)
	}
	return n, nil
}

// scanCaptures runs query, whose columns are those of captureQuery, in one
// read-only snapshot, and calls fn with each capture.
func (s *Store) scanCaptures(ctx context.Context, query string, args []any, fn func(StoredCapture) error) error {
	tx, err := s.readTx(ctx)
	if err != nil {
		return fmt.Errorf("iterate captures: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("iterate captures: %w", err)
	}
	defer rows.Close()
	var (
		zr   *gzip.Reader
		body bytes.Buffer
	)
	for rows.Next() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("iterate captures: %w", err)
		}
		var (
			c        StoredCapture
			header   sql.RawBytes
			fetched  int64
			encoding string
			size     int
			stored   sql.RawBytes
		)
		err := rows.Scan(&c.ArticleID, &c.ArticleURL, &c.Revision, &c.Page.URL, &c.Page.RequestedURL, &c.Page.Status,
			&header, &fetched, &c.Page.Depth, &encoding, &size, &stored)
		if err != nil {
			return fmt.Errorf("iterate captures: %w", err)
		}
		where := fmt.Sprintf("capture of %s revision %d", c.ArticleID, c.Revision)
		c.Page.FetchedAt = fromUnixNano(fetched)
		if err := json.Unmarshal(header, &c.Page.Header); err != nil {
			return fmt.Errorf("iterate captures: %s: decode headers: %w", where, err)
		}
		if encoding != captureEncoding {
			return fmt.Errorf("iterate captures: %s: unknown encoding %q", where, encoding)
		}
		if zr == nil {
			zr, err = gzip.NewReader(bytes.NewReader(stored))
		} else {
			err = zr.Reset(bytes.NewReader(stored))
		}
		if err != nil {
			return fmt.Errorf("iterate captures: %s: decompress: %w", where, err)
		}
		body.Reset()
		body.Grow(size)
		if _, err := io.Copy(&body, zr); err != nil {
			return fmt.Errorf("iterate captures: %s: decompress: %w", where, err)
		}
		// The buffer is reused: fn gets the body for the call only, as
		// Iterate's callers get their rows.
		c.Page.Body = body.Bytes()
		if err := fn(c); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("iterate captures: %w", err)
	}
	return nil
}

func (s *Store) captureQuery(f Filter) (string, []any) {
	changedSince := f.ChangedSince
	f.ChangedSince = time.Time{}
	where, args := f.where(s)
	var b strings.Builder
	b.WriteString(`
SELECT c.article_id, a.url, c.revision, c.url, c.requested_url, c.status, c.header, c.fetched_at, c.depth,
	c.encoding, c.size, c.body
FROM (SELECT id, url, published FROM articles`)
	if len(where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(where, " AND "))
	}
	b.WriteString(`) a
JOIN captures c ON c.article_id = a.id`)
	if !changedSince.IsZero() {
		b.WriteString(`
JOIN revisions r ON r.article_id = c.article_id AND r.number = c.revision AND r.stored_at >= ?`)
		args = append(args, boundNano(changedSince))
	}
	b.WriteString(`
ORDER BY a.published`)
	if s.pg {
		b.WriteString(` NULLS FIRST`) // SQLite's order
	}
	b.WriteString(`, a.id, c.id`)
	return b.String(), args
}
