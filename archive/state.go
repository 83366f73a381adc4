package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"folio"
)

// These methods make *Store a crawler.State: the crawl's visited set and
// frontier live in the crawl_queue table, per site, so that a crawl killed
// at any point resumes from the archive; what Archived tells of a page
// comes from the pages Put stored.

// Enqueue adds url, found at depth, to the current crawl of site and reports
// whether it was new to that crawl; a URL already enqueued or done is not
// added again.
func (s *Store) Enqueue(ctx context.Context, site, url string, depth int) (bool, error) {
	db, err := s.writer("enqueue")
	if err != nil {
		return false, err
	}
	st, err := s.stmt(ctx, db, `
INSERT INTO crawl_queue (site, url, depth) VALUES (?, ?, ?) ON CONFLICT (site, url) DO NOTHING`)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", url, err)
	}
	var res sql.Result
	err = s.withWriter(func() (err error) { res, err = st.ExecContext(ctx, site, url, depth); return err })
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", url, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", url, err)
	}
	return n == 1, nil
}

// Done records that url has been fetched and handled in the current crawl of
// site. A URL that was never enqueued is recorded as done at depth 0, so
// that it is not enqueued later.
func (s *Store) Done(ctx context.Context, site, url string) error {
	db, err := s.writer("mark done")
	if err != nil {
		return err
	}
	st, err := s.stmt(ctx, db, `
INSERT INTO crawl_queue (site, url, depth, done) VALUES (?, ?, 0, 1)
ON CONFLICT (site, url) DO UPDATE SET done = 1`)
	if err == nil {
		err = s.withWriter(func() error { _, err := st.ExecContext(ctx, site, url); return err })
	}
	if err != nil {
		return fmt.Errorf("mark %s done: %w", url, err)
	}
	return nil
}

// Frontier returns the URLs of site's current crawl that were enqueued but
// are not done, in the order they were enqueued.
func (s *Store) Frontier(ctx context.Context, site string) ([]folio.FrontierURL, error) {
	rows, err := s.read.QueryContext(ctx, `
SELECT url, depth FROM crawl_queue WHERE site = ? AND done = 0 ORDER BY id`, site)
	if err != nil {
		return nil, fmt.Errorf("read frontier of %s: %w", site, err)
	}
	defer rows.Close()
	var out []folio.FrontierURL
	for rows.Next() {
		var f folio.FrontierURL
		if err := rows.Scan(&f.URL, &f.Depth); err != nil {
			return nil, fmt.Errorf("read frontier of %s: %w", site, err)
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read frontier of %s: %w", site, err)
	}
	return out, nil
}

// Finish forgets the current crawl of site, done and pending URLs alike.
func (s *Store) Finish(ctx context.Context, site string) error {
	db, err := s.writer("finish crawl")
	if err != nil {
		return err
	}
	err = s.withWriter(func() error {
		_, err := db.ExecContext(ctx, `DELETE FROM crawl_queue WHERE site = ?`, site)
		return err
	})
	if err != nil {
		return fmt.Errorf("finish crawl of %s: %w", site, err)
	}
	return nil
}

// sqlArchived reads what the crawl needs to know of the article fetched
// from ?1 (its canonical URL, else an address that was fetched for it), and
// the validators ?1 itself was served with.
const sqlArchived = `
WITH target AS (
	SELECT id FROM (
		SELECT id, 0 AS rank FROM articles WHERE url = ?1
		UNION ALL SELECT article_id, 1 FROM url_aliases WHERE url = ?1
	) ORDER BY rank LIMIT 1
)
SELECT coalesce(v.etag, ''), coalesce(v.last_modified, ''), a.seen_at, a.fetched_at, a.revision,
	coalesce((SELECT r.fetched_at FROM revisions r WHERE r.article_id = a.id AND r.number = 1), a.fetched_at),
	coalesce(json_extract(a.record, '$.published'), ''), coalesce(json_extract(a.record, '$.modified'), '')
FROM target JOIN articles a ON a.id = target.id
LEFT JOIN validators v ON v.url = ?1`

// Archived returns what the archive knows of the article fetched from url
// (its canonical URL or another address of it): the ETag and Last-Modified
// url was last served with, when the article was last fetched (seen), first
// stored, and last found changed, and the record's published and modified
// dates. It returns the zero value when url holds no archived article.
func (s *Store) Archived(ctx context.Context, url string) (folio.ArchivedPage, error) {
	var (
		a                                 folio.ArchivedPage
		seen, fetched, revision, archived int64
		published, modified               string
	)
	err := s.readScan(ctx, sqlArchived, []any{url},
		&a.ETag, &a.LastModified, &seen, &fetched, &revision, &archived, &published, &modified)
	if errors.Is(err, sql.ErrNoRows) {
		return folio.ArchivedPage{}, nil
	}
	if err != nil {
		return folio.ArchivedPage{}, fmt.Errorf("read archived page %s: %w", url, err)
	}
	a.Checked, a.Archived = fromUnixNano(seen), fromUnixNano(archived)
	if revision > 1 {
		// The current revision's fetch is the one that found the change.
		a.Changed = fromUnixNano(fetched)
	}
	if a.Published, err = parseRecordTime(published); err == nil {
		a.Modified, err = parseRecordTime(modified)
	}
	if err != nil {
		return folio.ArchivedPage{}, fmt.Errorf("read archived page %s: %w", url, err)
	}
	return a, nil
}

// parseRecordTime reads a date of a stored record (RFC 3339, as
// encoding/json writes time.Time); "" is no date.
func parseRecordTime(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil, fmt.Errorf("record date %q: %w", s, err)
	}
	return &t, nil
}
