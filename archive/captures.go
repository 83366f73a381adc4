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
	// ArticleID and Revision name the record revision extracted from it.
	ArticleID string
	Revision  int
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
	query, args := captureQuery(f)
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("iterate captures: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, args...)
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
		err := rows.Scan(&c.ArticleID, &c.Revision, &c.Page.URL, &c.Page.RequestedURL, &c.Page.Status,
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

func captureQuery(f Filter) (string, []any) {
	changedSince := f.ChangedSince
	f.ChangedSince = time.Time{}
	where, args := f.where()
	var b strings.Builder
	b.WriteString(`
SELECT c.article_id, c.revision, c.url, c.requested_url, c.status, c.header, c.fetched_at, c.depth,
	c.encoding, c.size, c.body
FROM (SELECT id, published FROM articles`)
	if len(where) > 0 {
		b.WriteString(" WHERE ")
		b.WriteString(strings.Join(where, " AND "))
	}
	b.WriteString(`) a
JOIN captures c ON c.article_id = a.id`)
	if !changedSince.IsZero() {
		b.WriteString(`
JOIN revisions r ON r.article_id = c.article_id AND r.number = c.revision AND r.stored_at >= ?`)
		args = append(args, changedSince.UnixNano())
	}
	b.WriteString(`
ORDER BY a.published, a.id, c.id`)
	return b.String(), args
}
