package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"folio"
)

// These methods make *Store a crawler.State: the crawl's visited set and
// frontier live in the crawl_queue table, per site, so that a crawl killed
// at any point resumes from the archive; validators come from the pages Put
// stored.

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
	res, err := st.ExecContext(ctx, site, url, depth)
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
		_, err = st.ExecContext(ctx, site, url)
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
	if _, err := db.ExecContext(ctx, `DELETE FROM crawl_queue WHERE site = ?`, site); err != nil {
		return fmt.Errorf("finish crawl of %s: %w", site, err)
	}
	return nil
}

// Validators returns the ETag and Last-Modified headers of the latest page
// archived from url (as fetched, or as first requested before redirects), or
// empty strings when no archived page came from url.
func (s *Store) Validators(ctx context.Context, url string) (etag, lastModified string, err error) {
	err = s.readScan(ctx, `SELECT etag, last_modified FROM validators WHERE url = ?`, []any{url}, &etag, &lastModified)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	if err != nil {
		return "", "", fmt.Errorf("read validators of %s: %w", url, err)
	}
	return etag, lastModified, nil
}
