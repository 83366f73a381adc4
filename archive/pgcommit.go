package archive

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"folio"
)

// On PostgreSQL every statement is a round trip to the server, so a group
// of writes is not run write by write as on SQLite: its records, revisions,
// captures, aliases, validators and crawl-state rows are gathered (pgBatch)
// and written with one statement per table, each inserting every row of the
// group from arrays (unnest). A group then costs about a dozen statements
// however many pages it holds.
//
// Several processes may write to one PostgreSQL archive. Each group's
// transaction begins by locking the row of the archive sequence (SELECT …
// FOR UPDATE), so that the writers of all processes take turns: a group
// takes its sequence numbers after the commit of the group before it,
// hence sequence numbers become visible in increasing order, and a put's
// reading of the current record is not overtaken by another process's put
// of the same article.

// pgWrite is a write that a pgBatch gathers rather than runs.
type pgWrite interface {
	gather(b *pgBatch)
}

// pgEnqueue and pgDone are the crawl state's writes.
type (
	pgEnqueue struct {
		site, url string
		depth     int
	}
	pgDone struct{ site, url string }
)

func (w pgEnqueue) gather(b *pgBatch) { b.enqueues = append(b.enqueues, w) }
func (w pgDone) gather(b *pgBatch)    { b.dones = append(b.dones, w) }

// pgPut is a put: the record as preparePut completed it, the page, its
// capture (always encoded beforehand on PostgreSQL: asking whether the
// content changed would cost a statement), and where to report.
type pgPut struct {
	a       folio.Article
	record  []byte
	raw     folio.Page
	capture *encodedCapture
	res     *PutResult
}

func (w *pgPut) gather(b *pgBatch) { b.puts = append(b.puts, w) }

// pgBatch gathers the writes of a transaction until flush.
type pgBatch struct {
	s        *Store
	tx       *sql.Tx
	puts     []*pgPut
	enqueues []pgEnqueue
	dones    []pgDone
}

// articleRow is a row of articles.
type articleRow struct {
	id, url, site, category      string
	published                    *int64
	fetchedAt, seenAt, updatedAt int64
	contentHash                  string
	revision, seq                int64
	record                       []byte
	format                       string
}

const (
	pgLockSeq = `SELECT value FROM counters WHERE name = 'seq' FOR UPDATE`
	// pgSetSeq stores the sequence and tells the archive's followers
	// (Store.Watch), whose notification the commit delivers.
	pgSetSeq = `WITH stored AS (UPDATE counters SET value = $1::bigint WHERE name = 'seq')
SELECT pg_notify('` + watchChannel + `', current_schema() || ' ' || ($1::bigint)::text)`
	pgReadArticles = `SELECT id, url, site, category, published, fetched_at, seen_at, updated_at, content_hash, revision, seq, record, format
FROM articles WHERE id = ANY($1)`
	pgUpsertArticles = `
INSERT INTO articles (id, url, site, category, published, fetched_at, seen_at, updated_at, content_hash, revision, seq, record, format)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
	$9::text[], $10::bigint[], $11::bigint[], $12::text[], $13::text[])
ON CONFLICT (id) DO UPDATE SET
	url = excluded.url, site = excluded.site, category = excluded.category, published = excluded.published,
	fetched_at = excluded.fetched_at, seen_at = excluded.seen_at, updated_at = excluded.updated_at,
	content_hash = excluded.content_hash, revision = excluded.revision, seq = excluded.seq, record = excluded.record,
	format = excluded.format`
	pgInsertRevisions = `
INSERT INTO revisions (article_id, number, content_hash, fetched_at, stored_at, record)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::text[])`
	pgInsertCaptures = `
INSERT INTO captures (article_id, revision, url, requested_url, status, header, fetched_at, depth, encoding, size, body)
SELECT article_id, revision, url, requested_url, status, header, fetched_at, depth, encoding, size, body
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[],
	$9::text[], $10::bigint[], $11::bytea[]) WITH ORDINALITY
	AS t (article_id, revision, url, requested_url, status, header, fetched_at, depth, encoding, size, body, ord)
ORDER BY ord`
	pgUpsertAliases = `
INSERT INTO url_aliases (url, article_id) SELECT * FROM unnest($1::text[], $2::text[])
ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id`
	pgUpsertValidators = `
INSERT INTO validators (url, etag, last_modified, fetched_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at
WHERE excluded.fetched_at >= validators.fetched_at`
	pgEnqueueRows = `
INSERT INTO crawl_queue (site, url, depth)
SELECT site, url, depth FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY AS t (site, url, depth, ord)
ORDER BY ord
ON CONFLICT (site, url) DO NOTHING`
	pgDoneRows = `
INSERT INTO crawl_queue (site, url, depth, done)
SELECT site, url, 0, 1 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (site, url, ord)
ORDER BY ord
ON CONFLICT (site, url) DO UPDATE SET done = 1`
)

// runPG is run on PostgreSQL: the batch in one transaction, and should
// that fail, each of its writes in a transaction of its own, so that a
// failure is the failing write's alone.
func (c *committer) runPG(batch []*writeOp) []error {
	if !slices.ContainsFunc(batch, func(op *writeOp) bool { return op.apply != nil || op.pg != nil }) {
		return make([]error, len(batch)) // only Syncs: nothing to write
	}
	ctx := context.Background()
	c.mu.Lock()
	failed := c.failed
	c.mu.Unlock()
	before := failed
	// Each run of a group starts from the state before it: a run that
	// failed for want of the server must not refuse the next one's writes.
	errs := c.retryPG(func() []error {
		failed = before
		return c.pgAttempt(ctx, batch, &failed)
	})
	if len(batch) == 1 || !slices.ContainsFunc(errs, func(err error) bool { return err != nil }) {
		return errs
	}
	failed = before
	for i, op := range batch {
		if op.apply != nil || op.pg != nil {
			mark := failed
			errs[i] = c.retryPG(func() []error {
				failed = mark
				return c.pgAttempt(ctx, batch[i:i+1], &failed)
			})[0]
		} else {
			errs[i] = nil // a Sync
		}
	}
	return errs
}

// pgAttempt runs batch in one transaction. failed is the first failed
// write no caller waits for: the crawl state's writes after it are
// refused.
func (c *committer) pgAttempt(ctx context.Context, batch []*writeOp, failed *error) []error {
	s := c.s
	errs := make([]error, len(batch))
	asked := time.Now()
	tx, err := s.write.BeginTx(ctx, nil)
	begun := time.Now()
	s.counters.beginWait.Add(int64(begun.Sub(asked)))
	if err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("begin: %w", err)
		}
		return errs
	}
	defer func() {
		s.counters.transactions.Add(1)
		s.counters.held.Add(int64(time.Since(begun)))
	}()
	defer tx.Rollback()

	var live []int
	fail := func(err error) []error {
		for _, i := range live {
			errs[i] = err
			if batch[i].done == nil && *failed == nil {
				*failed = err
			}
		}
		return errs
	}
	seq := &s.batchSeq
	*seq = batchSeq{}
	if err := tx.QueryRowContext(ctx, pgLockSeq).Scan(&seq.last); err != nil {
		for i := range errs {
			errs[i] = fmt.Errorf("lock the sequence: %w", err)
		}
		return errs
	}
	seq.taken = true
	start := seq.last

	b := &pgBatch{s: s, tx: tx}
	for i, op := range batch {
		switch {
		case op.state && *failed != nil:
			errs[i] = fmt.Errorf("an earlier write failed: %w", *failed)
			continue
		case op.ctx.Err() != nil:
			errs[i] = op.ctx.Err()
			continue
		case op.pg != nil:
			op.pg.gather(b)
		case op.apply != nil:
			// A write that runs its own statements sees the writes
			// gathered before it.
			if err := b.flush(ctx); err != nil {
				return fail(err)
			}
			if err := op.apply(ctx, tx); err != nil {
				live = append(live, i)
				return fail(err)
			}
		}
		live = append(live, i)
	}
	if err := b.flush(ctx); err != nil {
		return fail(err)
	}
	if seq.last != start {
		if _, err := tx.ExecContext(ctx, pgSetSeq, seq.last); err != nil {
			return fail(fmt.Errorf("store the sequence: %w", err))
		}
	}
	if s.commitHook != nil {
		s.commitHook(len(batch))
	}
	if err := tx.Commit(); err != nil {
		return fail(fmt.Errorf("commit: %w", err))
	}
	return errs
}

// flush writes what b gathered.
func (b *pgBatch) flush(ctx context.Context) error {
	if len(b.puts) > 0 {
		if err := b.flushPuts(ctx); err != nil {
			return err
		}
		b.puts = nil
	}
	if len(b.enqueues) > 0 {
		var sites, urls []string
		var depths []int64
		seen := map[[2]string]bool{}
		for _, e := range b.enqueues {
			if k := [2]string{e.site, e.url}; !seen[k] {
				seen[k] = true
				sites, urls, depths = append(sites, e.site), append(urls, e.url), append(depths, int64(e.depth))
			}
		}
		if _, err := b.tx.ExecContext(ctx, pgEnqueueRows, sites, urls, depths); err != nil {
			return fmt.Errorf("enqueue %d URLs: %w", len(urls), err)
		}
		b.enqueues = nil
	}
	if len(b.dones) > 0 {
		var sites, urls []string
		seen := map[[2]string]bool{}
		for _, d := range b.dones {
			if k := [2]string{d.site, d.url}; !seen[k] {
				seen[k] = true
				sites, urls = append(sites, d.site), append(urls, d.url)
			}
		}
		if _, err := b.tx.ExecContext(ctx, pgDoneRows, sites, urls); err != nil {
			return fmt.Errorf("mark %d URLs done: %w", len(urls), err)
		}
		b.dones = nil
	}
	return nil
}

// flushPuts decides each put of the batch as Store.put does, against the
// current records read in one statement, and writes the rows of every
// table in one statement each.
func (b *pgBatch) flushPuts(ctx context.Context) error {
	s := b.s
	ids := make([]string, 0, len(b.puts))
	cur := make(map[string]*articleRow, len(b.puts))
	for _, p := range b.puts {
		if _, ok := cur[p.a.ID]; !ok {
			cur[p.a.ID] = nil
			ids = append(ids, p.a.ID)
		}
	}
	rows, err := b.tx.QueryContext(ctx, pgReadArticles, ids)
	if err != nil {
		return fmt.Errorf("read current records: %w", err)
	}
	for rows.Next() {
		r := new(articleRow)
		var published sql.NullInt64
		err := rows.Scan(&r.id, &r.url, &r.site, &r.category, &published, &r.fetchedAt, &r.seenAt, &r.updatedAt,
			&r.contentHash, &r.revision, &r.seq, &r.record, &r.format)
		if err != nil {
			rows.Close()
			return fmt.Errorf("read current records: %w", err)
		}
		if published.Valid {
			r.published = &published.Int64
		}
		cur[r.id] = r
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read current records: %w", err)
	}
	rows.Close()

	var (
		upserts    []*articleRow // in first-put order, each id once
		upsertAt   = map[string]int{}
		revisions  []revRow
		captures   []capRow
		aliases    = map[string]string{}
		aliasOrder []string
		validators = map[string]valRow{}
		valOrder   []string
	)
	for _, p := range b.puts {
		a, record, raw := p.a, p.record, p.raw
		now := unixNano(s.now())
		seen := unixNano(raw.FetchedAt)
		if seen == 0 {
			seen = unixNano(a.FetchedAt)
		}
		var res PutResult
		row := cur[a.ID]
		switch {
		case row == nil:
			res.Outcome, res.Revision = New, 1
		case row.contentHash != a.ContentHash:
			res.Outcome, res.Revision = Changed, int(row.revision)+1
		default:
			res.Outcome, res.Revision, res.Seq = Unchanged, int(row.revision), row.seq
		}
		if res.Outcome == Unchanged {
			var stored folio.Article
			if err := stored.UnmarshalJSON(row.record); err != nil {
				return fmt.Errorf("put article %s: decode current record: %w", a.URL, err)
			}
			a.FetchedAt = stored.FetchedAt
			if record, err = a.MarshalJSON(); err != nil {
				return fmt.Errorf("put article %s: encode record: %w", a.URL, err)
			}
			res.Updated = !bytes.Equal(record, row.record)
		}
		if res.Outcome != Unchanged || res.Updated {
			res.Seq, _ = s.nextSeq(ctx, b.tx) // taken by pgAttempt: counted in memory
			next := &articleRow{id: a.ID, url: a.URL, site: strings.ToLower(a.Site), category: a.Category,
				fetchedAt: unixNano(a.FetchedAt), seenAt: seen, updatedAt: now, contentHash: a.ContentHash,
				revision: int64(res.Revision), seq: res.Seq, record: record, format: recordFormat}
			if a.Published != nil {
				p := a.Published.Unix()
				next.published = &p
			}
			if row != nil {
				next.seenAt = max(next.seenAt, row.seenAt)
			}
			row = next
		} else {
			row.seenAt = max(row.seenAt, seen)
			row.format = recordFormat
		}
		if i, ok := upsertAt[a.ID]; ok {
			upserts[i] = row
		} else {
			upsertAt[a.ID] = len(upserts)
			upserts = append(upserts, row)
		}
		cur[a.ID] = row

		if res.Outcome != Unchanged {
			revisions = append(revisions, revRow{a.ID, int64(res.Revision), a.ContentHash, unixNano(a.FetchedAt), now, string(record)})
			if len(raw.Body) > 0 {
				c := p.capture
				if c == nil {
					if c, err = encodeCapture(raw); err != nil {
						return err
					}
				}
				captures = append(captures, capRow{a.ID, int64(res.Revision), c})
			}
		}
		for _, u := range uniqueURLs(raw.URL, raw.RequestedURL) {
			if u != a.URL {
				if _, ok := aliases[u]; !ok {
					aliasOrder = append(aliasOrder, u)
				}
				aliases[u] = a.ID
			}
			if raw.Header != nil {
				v := valRow{raw.Header.Get("ETag"), raw.Header.Get("Last-Modified"), unixNano(raw.FetchedAt)}
				if old, ok := validators[u]; !ok {
					valOrder = append(valOrder, u)
					validators[u] = v
				} else if v.fetchedAt >= old.fetchedAt {
					validators[u] = v
				}
			}
		}
		*p.res = res
		s.log.Debug("archive put", slog.String("url", a.URL), slog.String("id", a.ID), slog.String("outcome", res.Outcome.String()),
			slog.Int64("seq", res.Seq), slog.Int("revision", res.Revision))
	}

	if len(upserts) > 0 {
		var (
			id, url, site, category, hash, record, format []string
			published                                     []*int64
			fetched, seen, updated, revision, seq         []int64
		)
		for _, r := range upserts {
			id, url, site, category = append(id, r.id), append(url, r.url), append(site, r.site), append(category, r.category)
			published = append(published, r.published)
			fetched, seen, updated = append(fetched, r.fetchedAt), append(seen, r.seenAt), append(updated, r.updatedAt)
			hash, revision, seq = append(hash, r.contentHash), append(revision, r.revision), append(seq, r.seq)
			record, format = append(record, string(r.record)), append(format, r.format)
		}
		_, err := b.tx.ExecContext(ctx, pgUpsertArticles,
			id, url, site, category, published, fetched, seen, updated, hash, revision, seq, record, format)
		if err != nil {
			return fmt.Errorf("store %d records: %w", len(upserts), err)
		}
	}
	if len(revisions) > 0 {
		var (
			id, hash, record        []string
			number, fetched, stored []int64
		)
		for _, r := range revisions {
			id, number, hash = append(id, r.id), append(number, r.number), append(hash, r.hash)
			fetched, stored, record = append(fetched, r.fetched), append(stored, r.stored), append(record, r.record)
		}
		if _, err := b.tx.ExecContext(ctx, pgInsertRevisions, id, number, hash, fetched, stored, record); err != nil {
			return fmt.Errorf("store %d revisions: %w", len(revisions), err)
		}
	}
	if len(captures) > 0 {
		var (
			id, url, requested, header, encoding []string
			revision, status, fetched, depth     []int64
			size                                 []int64
			body                                 [][]byte
		)
		for _, c := range captures {
			req := c.c.page.RequestedURL
			if req == "" {
				req = c.c.page.URL
			}
			id, revision = append(id, c.id), append(revision, c.revision)
			url, requested = append(url, c.c.page.URL), append(requested, req)
			status, header = append(status, int64(c.c.page.Status)), append(header, string(c.c.header))
			fetched, depth = append(fetched, unixNano(c.c.page.FetchedAt)), append(depth, int64(c.c.page.Depth))
			encoding, size, body = append(encoding, captureEncoding), append(size, int64(len(c.c.page.Body))), append(body, c.c.body)
		}
		_, err := b.tx.ExecContext(ctx, pgInsertCaptures,
			id, revision, url, requested, status, header, fetched, depth, encoding, size, body)
		if err != nil {
			return fmt.Errorf("store %d captures: %w", len(captures), err)
		}
	}
	if len(aliasOrder) > 0 {
		ids := make([]string, len(aliasOrder))
		for i, u := range aliasOrder {
			ids[i] = aliases[u]
		}
		if _, err := b.tx.ExecContext(ctx, pgUpsertAliases, aliasOrder, ids); err != nil {
			return fmt.Errorf("store %d aliases: %w", len(aliasOrder), err)
		}
	}
	if len(valOrder) > 0 {
		var etag, lastMod []string
		var fetched []int64
		for _, u := range valOrder {
			v := validators[u]
			etag, lastMod, fetched = append(etag, v.etag), append(lastMod, v.lastModified), append(fetched, v.fetchedAt)
		}
		if _, err := b.tx.ExecContext(ctx, pgUpsertValidators, valOrder, etag, lastMod, fetched); err != nil {
			return fmt.Errorf("store validators of %d URLs: %w", len(valOrder), err)
		}
	}
	return nil
}

type revRow struct {
	id              string
	number          int64
	hash            string
	fetched, stored int64
	record          string
}

type capRow struct {
	id       string
	revision int64
	c        *encodedCapture
}

type valRow struct {
	etag, lastModified string
	fetchedAt          int64
}
