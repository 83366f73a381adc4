package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"folio"
)

// resolveIDQuery finds the article id that ?1 names: an id, else a canonical
// URL, else a URL that was fetched for the article (a redirect's origin, a
// non-canonical address). It yields no row when nothing matches.
const resolveIDQuery = `
SELECT id FROM (
	SELECT id, 0 AS rank, 0 AS seq FROM articles WHERE id = ?1
	UNION ALL SELECT id, 1, seq FROM articles WHERE url = ?1
	UNION ALL SELECT article_id, 2, 0 FROM url_aliases WHERE url = ?1
) AS r ORDER BY rank, seq DESC LIMIT 1`

// Get returns the current record of the article with this id, canonical URL,
// or fetched URL. It returns an error wrapping ErrNotFound when there is none.
func (s *Store) Get(ctx context.Context, idOrURL string) (folio.Article, error) {
	var record []byte
	err := s.readScan(ctx, `SELECT record FROM articles WHERE id = (`+resolveIDQuery+`)`, []any{idOrURL}, &record)
	if errors.Is(err, sql.ErrNoRows) {
		return folio.Article{}, fmt.Errorf("get article %s: %w", idOrURL, ErrNotFound)
	}
	if err != nil {
		return folio.Article{}, fmt.Errorf("get article %s: %w", idOrURL, err)
	}
	var a folio.Article
	if err := a.UnmarshalJSON(record); err != nil {
		return folio.Article{}, fmt.Errorf("get article %s: decode record: %w", idOrURL, err)
	}
	return a, nil
}

// Revision is one stored version of an article's content.
type Revision struct {
	// Number counts from 1 in the order the revisions were stored.
	Number      int
	ContentHash string
	// FetchedAt is when the page holding this content was fetched.
	FetchedAt time.Time
	// StoredAt is when the archive stored the revision.
	StoredAt time.Time
	// Record is the record as it was when the revision was stored.
	Record folio.Article
}

// Revisions returns the revisions of the article with this id or URL (see
// Get), oldest first. It returns an error wrapping ErrNotFound when the
// article is unknown.
func (s *Store) Revisions(ctx context.Context, idOrURL string) ([]Revision, error) {
	rows, err := s.query(ctx, `
SELECT number, content_hash, fetched_at, stored_at, record FROM revisions
WHERE article_id = (`+resolveIDQuery+`) ORDER BY number`, idOrURL)
	if err != nil {
		return nil, fmt.Errorf("list revisions of %s: %w", idOrURL, err)
	}
	defer rows.Close()
	var revs []Revision
	for rows.Next() {
		var (
			r               Revision
			fetched, stored int64
			record          []byte
		)
		if err := rows.Scan(&r.Number, &r.ContentHash, &fetched, &stored, &record); err != nil {
			return nil, fmt.Errorf("list revisions of %s: %w", idOrURL, err)
		}
		r.FetchedAt, r.StoredAt = fromUnixNano(fetched), fromUnixNano(stored)
		if err := r.Record.UnmarshalJSON(record); err != nil {
			return nil, fmt.Errorf("list revisions of %s: decode revision %d: %w", idOrURL, r.Number, err)
		}
		revs = append(revs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list revisions of %s: %w", idOrURL, err)
	}
	if len(revs) == 0 {
		return nil, fmt.Errorf("list revisions of %s: %w", idOrURL, ErrNotFound)
	}
	return revs, nil
}

// MaxSeq returns the highest sequence number given so far, 0 for an empty
// archive. Every record written after a call gets a greater one.
//
// It is the question of every catch-up (is the index behind?), which a
// process that searches many times asks on the connections its Store
// holds. On PostgreSQL the server may have dropped those since their last
// use (a restart, a network fault): a query that failed so is asked again,
// on each connection the pool held and then on a new one, so that only an
// outage that is still going on fails it.
func (s *Store) MaxSeq(ctx context.Context) (int64, error) {
	var seq int64
	err := s.readScan(ctx, sqlReadSeq, nil, &seq)
	for tries := 0; err != nil && s.pg && tries < s.readConns && transientPG(err) && ctx.Err() == nil; tries++ {
		err = s.readScan(ctx, sqlReadSeq, nil, &seq)
	}
	if err != nil {
		return 0, fmt.Errorf("read archive sequence: %w", err)
	}
	return seq, nil
}

// Count returns the number of articles in the archive.
func (s *Store) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := s.queryRow(ctx, `SELECT count(*) FROM articles`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return n, nil
}
