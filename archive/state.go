package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"folio"
)

// These methods make *Store a crawler.State: the crawl's visited set and
// frontier live in the crawl_queue table, per site, so that a crawl killed
// at any point resumes from the archive; what Archived tells of a page
// comes from the pages Put stored.
//
// The crawl's dedup is decided in memory: a set per site of the URLs of
// its current crawl, enqueued or done, read from crawl_queue when the
// crawl first needs it (when it resumes, from what the killed process left)
// and kept up to date by Enqueue and Done. So Enqueue and Done never wait
// for the writer: they queue their row and return, and the committer
// writes it, in the order they were queued, with the writes around it.
// The set assumes this Store is the crawl state's only writer, as the data
// directory's lock makes it.

const (
	sqlEnqueue = `INSERT INTO crawl_queue (site, url, depth) VALUES (?, ?, ?) ON CONFLICT (site, url) DO NOTHING`
	sqlDone    = `
INSERT INTO crawl_queue (site, url, depth, done) VALUES (?, ?, 0, 1)
ON CONFLICT (site, url) DO UPDATE SET done = 1`
	sqlFinish = `DELETE FROM crawl_queue WHERE site = ?`
)

// crawlSets are the URLs of the current crawls, per site, as 128-bit
// hashes: 16 bytes a URL, where a collision is as likely as none.
type crawlSets struct {
	mu    sync.Mutex
	seeds [2]maphash.Seed
	sites map[string]map[[2]uint64]struct{}
}

func (c *crawlSets) key(url string) [2]uint64 {
	return [2]uint64{maphash.String(c.seeds[0], url), maphash.String(c.seeds[1], url)}
}

// crawlSet returns the set of site's current crawl, reading it from the
// archive the first time; s.crawls.mu must be held.
func (s *Store) crawlSet(ctx context.Context, site string) (map[[2]uint64]struct{}, error) {
	c := &s.crawls
	if set, ok := c.sites[site]; ok {
		return set, nil
	}
	if c.sites == nil {
		c.seeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
		c.sites = map[string]map[[2]uint64]struct{}{}
	}
	// Every queued write of the crawl state is committed before the
	// table is read.
	if err := s.Sync(ctx); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT url FROM crawl_queue WHERE site = ?`, site)
	if err != nil {
		return nil, fmt.Errorf("read crawl of %s: %w", site, err)
	}
	defer rows.Close()
	set := map[[2]uint64]struct{}{}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("read crawl of %s: %w", site, err)
		}
		set[c.key(u)] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read crawl of %s: %w", site, err)
	}
	c.sites[site] = set
	return set, nil
}

// stateWrite queues one statement of the crawl state, without waiting.
func (s *Store) stateWrite(ctx context.Context, pg pgWrite, query string, args ...any) error {
	op := &writeOp{ctx: ctx, state: true, apply: func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, query, args...)
		return err
	}}
	if s.pg {
		op.pg = pg
	}
	return s.commits.submit(op, false)
}

// Enqueue adds url, found at depth, to the current crawl of site and reports
// whether it was new to that crawl; a URL already enqueued or done is not
// added again. It returns before the row is durable (see above); once a
// write has failed, it returns that error until Frontier is called.
func (s *Store) Enqueue(ctx context.Context, site, url string, depth int) (bool, error) {
	if s.commits == nil {
		return false, fmt.Errorf("enqueue: %s: %w", s.path, ErrReadOnly)
	}
	s.crawls.mu.Lock()
	defer s.crawls.mu.Unlock()
	set, err := s.crawlSet(ctx, site)
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", url, err)
	}
	k := s.crawls.key(url)
	if _, ok := set[k]; ok {
		return false, nil
	}
	if err := s.stateWrite(ctx, pgEnqueue{site, url, depth}, sqlEnqueue, site, url, depth); err != nil {
		return false, fmt.Errorf("enqueue %s: %w", url, err)
	}
	set[k] = struct{}{}
	return true, nil
}

// Done records that url has been fetched and handled in the current crawl of
// site. A URL that was never enqueued is recorded as done at depth 0, so
// that it is not enqueued later. Like Enqueue, it does not wait for the
// row to be durable: the writes queued before it, the page's record and
// links, are durable no later than it.
func (s *Store) Done(ctx context.Context, site, url string) error {
	if s.commits == nil {
		return fmt.Errorf("mark done: %s: %w", s.path, ErrReadOnly)
	}
	s.crawls.mu.Lock()
	defer s.crawls.mu.Unlock()
	set, err := s.crawlSet(ctx, site)
	if err == nil {
		err = s.stateWrite(ctx, pgDone{site, url}, sqlDone, site, url)
	}
	if err != nil {
		return fmt.Errorf("mark %s done: %w", url, err)
	}
	set[s.crawls.key(url)] = struct{}{}
	return nil
}

// Frontier returns the URLs of site's current crawl that were enqueued but
// are not done, in the order they were enqueued. A crawl calls it when it
// starts: it commits what is queued, forgets a failed write (the crawl
// state is read afresh from the archive) and the sets of the crawls.
func (s *Store) Frontier(ctx context.Context, site string) ([]folio.FrontierURL, error) {
	if s.commits != nil {
		s.crawls.mu.Lock()
		s.commits.resetFailure()
		err := s.Sync(ctx)
		s.crawls.sites = nil
		s.crawls.mu.Unlock()
		s.forgetArchived("")
		if err != nil {
			return nil, fmt.Errorf("read frontier of %s: %w", site, err)
		}
	}
	rows, err := s.query(ctx, `
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

// DoneURLs returns the URLs that the current crawls of every site hold as
// done, in the order they were recorded: what a crawl resumed from this
// archive would not fetch again. It reads what is durable, without waiting
// for writes still queued.
func (s *Store) DoneURLs(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, `SELECT url FROM crawl_queue WHERE done = 1 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read done URLs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("read done URLs: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read done URLs: %w", err)
	}
	return out, nil
}

// Finish forgets the current crawl of site, done and pending URLs alike,
// once the writes queued before it are committed. After a failed write it
// fails, and the crawl is left to resume.
func (s *Store) Finish(ctx context.Context, site string) error {
	if s.commits == nil {
		return fmt.Errorf("finish crawl: %s: %w", s.path, ErrReadOnly)
	}
	s.crawls.mu.Lock()
	defer s.crawls.mu.Unlock()
	err := s.commits.submit(&writeOp{ctx: ctx, state: true, apply: func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, sqlFinish, site)
		return err
	}}, true)
	if err != nil {
		return fmt.Errorf("finish crawl of %s: %w", site, err)
	}
	delete(s.crawls.sites, site)
	s.forgetArchived(site)
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
	) AS t ORDER BY rank LIMIT 1
)
SELECT coalesce(v.etag, ''), coalesce(v.last_modified, ''), a.seen_at, a.fetched_at, a.revision,
	coalesce((SELECT r.fetched_at FROM revisions r WHERE r.article_id = a.id AND r.number = 1), a.fetched_at),
	coalesce(json_extract(a.record, '$.published'), ''), coalesce(json_extract(a.record, '$.modified'), '')
FROM target JOIN articles a ON a.id = target.id
LEFT JOIN validators v ON v.url = ?1`

// pgArchived is sqlArchived on PostgreSQL, which reads JSON otherwise.
var pgArchived = strings.NewReplacer(
	"json_extract(a.record, '$.published')", "(a.record::jsonb ->> 'published')",
	"json_extract(a.record, '$.modified')", "(a.record::jsonb ->> 'modified')",
).Replace(sqlArchived)

// Archived returns what the archive knows of the article fetched from url
// (its canonical URL or another address of it): the ETag and Last-Modified
// url was last served with, when the article was last fetched (seen), first
// stored, and last found changed, and the record's published and modified
// dates. It returns the zero value when url holds no archived article.
func (s *Store) Archived(ctx context.Context, url string) (folio.ArchivedPage, error) {
	if s.pg {
		if a, ok, err := s.pgArchivedCached(ctx, url); err != nil || ok {
			return a, err
		}
	}
	var r archivedRow
	query := sqlArchived
	if s.pg {
		query = pgArchived
	}
	err := s.readScan(ctx, query, []any{url}, r.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return folio.ArchivedPage{}, nil
	}
	if err != nil {
		return folio.ArchivedPage{}, fmt.Errorf("read archived page %s: %w", url, err)
	}
	a, err := r.page()
	if err != nil {
		return folio.ArchivedPage{}, fmt.Errorf("read archived page %s: %w", url, err)
	}
	return a, nil
}

// archivedRow is a row of sqlArchived.
type archivedRow struct {
	etag, lastModified                string
	seen, fetched, revision, archived int64
	published, modified               string
}

func (r *archivedRow) dest() []any {
	return []any{&r.etag, &r.lastModified, &r.seen, &r.fetched, &r.revision, &r.archived, &r.published, &r.modified}
}

func (r *archivedRow) page() (folio.ArchivedPage, error) {
	a := folio.ArchivedPage{ETag: r.etag, LastModified: r.lastModified,
		Checked: fromUnixNano(r.seen), Archived: fromUnixNano(r.archived)}
	if r.revision > 1 {
		// The current revision's fetch is the one that found the change.
		a.Changed = fromUnixNano(r.fetched)
	}
	var err error
	if a.Published, err = parseRecordTime(r.published); err == nil {
		a.Modified, err = parseRecordTime(r.modified)
	}
	return a, err
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
