package archive

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"folio"
)

// ErrIDMismatch is returned by Put for a record whose id is not the one
// folio derives from its URL.
var ErrIDMismatch = errors.New("the record's id is not its url's")

// Outcome says what Put did with a record.
type Outcome int

const (
	// New: the archive did not hold the article; revision 1 was stored.
	New Outcome = iota + 1
	// Changed: the content hash differed; a new revision was stored.
	Changed
	// Unchanged: the content hash was the stored one; no revision was added.
	Unchanged
)

func (o Outcome) String() string {
	switch o {
	case New:
		return "new"
	case Changed:
		return "changed"
	case Unchanged:
		return "unchanged"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// PutResult reports what Put stored.
type PutResult struct {
	Outcome Outcome
	// Seq is the record's sequence number after the put: a new one when the
	// record was written (New, Changed, or Updated), the previous one
	// otherwise.
	Seq int64
	// Revision is the number of the record's current revision, from 1.
	Revision int
	// Updated is set on an Unchanged put whose record differed in fields
	// other than the text (category, tags, comment count...): the current
	// record was rewritten in place and got a new Seq.
	Updated bool
}

// The statements of a put, prepared when the archive opens (see txQueries).
const (
	sqlCurrentRecord = `SELECT content_hash, revision, seq, record FROM articles WHERE id = ?`
	sqlUpsertArticle = `
INSERT INTO articles (id, url, site, category, published, fetched_at, seen_at, updated_at, content_hash, revision, seq, record, format)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
	url = excluded.url, site = excluded.site, category = excluded.category, published = excluded.published,
	fetched_at = excluded.fetched_at, seen_at = max(articles.seen_at, excluded.seen_at), updated_at = excluded.updated_at,
	content_hash = excluded.content_hash, revision = excluded.revision, seq = excluded.seq, record = excluded.record,
	format = excluded.format`
	sqlTouchArticle   = `UPDATE articles SET seen_at = max(seen_at, ?), format = ? WHERE id = ?`
	sqlInsertRevision = `
INSERT INTO revisions (article_id, number, content_hash, fetched_at, stored_at, record) VALUES (?, ?, ?, ?, ?, ?)`
	sqlUpsertAlias = `
INSERT INTO url_aliases (url, article_id) VALUES (?, ?)
ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id`
	sqlUpsertValidators = `
INSERT INTO validators (url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, fetched_at = excluded.fetched_at
WHERE excluded.fetched_at >= validators.fetched_at`
)

// Put stores the record a, extracted from the page raw.
//
// A new article, or a changed content hash, stores a revision holding the
// record and a compressed capture of raw (unless raw.Body is empty, as for an
// import). An unchanged content hash stores neither; see the package
// documentation for how fields besides the text are kept up to date. In every
// case raw.URL and raw.RequestedURL become aliases of the article for Get,
// and the page's ETag and Last-Modified headers become the validators of
// those URLs, unless they hold validators of a later fetch (a re-extraction
// puts an old capture again).
//
// a.URL is required. An empty a.ID or a.Site is derived from the URL; an id
// that is not the URL's (folio.ArticleID) is refused with [ErrIDMismatch],
// since it would overwrite another article. a.ContentHash is always computed
// again from the title and body: a hash carried over from an edited record
// must not hide the change. An empty a.FetchedAt is raw.FetchedAt.
//
// Put returns once the record is durable: it is committed as soon as the
// writer is free, in one transaction with the writes queued before it.
func (s *Store) Put(ctx context.Context, a folio.Article, raw folio.Page) (PutResult, error) {
	op, res, err := s.preparePut(ctx, a, raw)
	if err != nil {
		return PutResult{}, err
	}
	if err := s.commits.submit(op, true); err != nil {
		return PutResult{}, fmt.Errorf("put article %s: %w", a.URL, err)
	}
	return *res, nil
}

// PutLater is Put for a caller that need not wait for the record to be
// durable: it queues the record and returns, and the archive commits it
// with the writes queued around it. then, which may be nil, is called
// with Put's outcome once the record is committed or has failed, from
// the archive's committer: it must return quickly, and must not write to
// the archive. Sync returns once it has been called for every record
// queued before.
//
// Writes become durable in the order they were queued, so a write the
// caller queues after PutLater returns (marking the page done in the
// crawl state) is never durable without the record. A record that fails
// fails the crawl state's later writes (see Enqueue).
//
// Errors in the record itself (no URL, an id that is not its URL's) are
// returned at once.
func (s *Store) PutLater(ctx context.Context, a folio.Article, raw folio.Page, then func(PutResult, error)) error {
	op, res, err := s.preparePut(ctx, a, raw)
	if err != nil {
		return err
	}
	op.then = func(err error) {
		if err != nil {
			err = fmt.Errorf("put article %s: %w", a.URL, err)
		}
		if then != nil {
			then(*res, err)
		}
	}
	if err := s.commits.submit(op, false); err != nil {
		return fmt.Errorf("put article %s: %w", a.URL, err)
	}
	return nil
}

// preparePut checks and completes the record a and does what a put needs
// before the writer (compressing the capture, encoding the record), and
// returns the write, which fills in res.
func (s *Store) preparePut(ctx context.Context, a folio.Article, raw folio.Page) (*writeOp, *PutResult, error) {
	if s.commits == nil {
		return nil, nil, fmt.Errorf("put article: %s: %w", s.path, ErrReadOnly)
	}
	if a.URL == "" {
		return nil, nil, fmt.Errorf("put article %q fetched from %s: the record has no url", a.ID, raw.URL)
	}
	if want := folio.ArticleID(a.URL); a.ID == "" {
		a.ID = want
	} else if a.ID != want {
		return nil, nil, fmt.Errorf("put article %s: %w: id %s, the url's is %s", a.URL, ErrIDMismatch, a.ID, want)
	}
	if a.Site == "" {
		a.Site = folio.SiteOf(a.URL)
	}
	a.ContentHash = folio.ContentHash(a.Title, a.Body)
	if a.FetchedAt.IsZero() {
		a.FetchedAt = raw.FetchedAt
	}
	if a.FetchedAt.IsZero() {
		a.FetchedAt = s.now()
	}

	// Compress before queueing, and only when the content looks new:
	// re-crawls of unchanged pages then cost no compression.
	var capture *encodedCapture
	switch {
	case len(raw.Body) > 0 && s.pg:
		// Asking costs a round trip to the server; compressing
		// costs less.
		var err error
		if capture, err = encodeCapture(raw); err != nil {
			return nil, nil, fmt.Errorf("put article %s: %w", a.URL, err)
		}
	case len(raw.Body) > 0:
		var stored string
		err := s.readScan(ctx, `SELECT content_hash FROM articles WHERE id = ?`, []any{a.ID}, &stored)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, nil, fmt.Errorf("put article %s: %w", a.URL, err)
		}
		if stored != a.ContentHash {
			if capture, err = encodeCapture(raw); err != nil {
				return nil, nil, fmt.Errorf("put article %s: %w", a.URL, err)
			}
		}
	}
	record, err := a.MarshalJSON()
	if err != nil {
		return nil, nil, fmt.Errorf("put article %s: encode record: %w", a.URL, err)
	}

	res := new(PutResult)
	if s.pg {
		s.archivedChanged(a.URL, raw.URL, raw.RequestedURL)
		return &writeOp{ctx: ctx, pg: &pgPut{a: a, record: record, raw: raw, capture: capture, res: res}}, res, nil
	}
	op := &writeOp{ctx: ctx, savepoint: true, apply: func(ctx context.Context, tx *sql.Tx) error {
		r, err := s.put(ctx, tx, a, record, raw, capture)
		if err != nil {
			return err
		}
		*res = r
		s.log.Debug("archive put", slog.String("url", a.URL), slog.String("id", a.ID), slog.String("outcome", r.Outcome.String()),
			slog.Int64("seq", r.Seq), slog.Int("revision", r.Revision))
		return nil
	}}
	return op, res, nil
}

func (s *Store) put(ctx context.Context, tx *sql.Tx, a folio.Article, record []byte, raw folio.Page, capture *encodedCapture) (PutResult, error) {
	var (
		cur struct {
			hash     string
			revision int
			seq      int64
			record   []byte
		}
		res PutResult
		now = unixNano(s.now())
		// seen is when the article was last confirmed; a re-extraction of an
		// old capture must not move it back.
		seen = unixNano(raw.FetchedAt)
	)
	if seen == 0 {
		seen = unixNano(a.FetchedAt)
	}
	err := s.txScan(ctx, tx, sqlCurrentRecord, []any{a.ID},
		&cur.hash, &cur.revision, &cur.seq, &cur.record)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res.Outcome, res.Revision = New, 1
	case err != nil:
		return res, fmt.Errorf("read current record: %w", err)
	case cur.hash != a.ContentHash:
		res.Outcome, res.Revision = Changed, cur.revision+1
	default:
		res.Outcome, res.Revision, res.Seq = Unchanged, cur.revision, cur.seq
	}

	if res.Outcome == Unchanged {
		// The record keeps the fetch time of its content: that is the fetch
		// its revision and capture come from.
		var stored folio.Article
		if err := stored.UnmarshalJSON(cur.record); err != nil {
			return res, fmt.Errorf("decode current record: %w", err)
		}
		a.FetchedAt = stored.FetchedAt
		if record, err = a.MarshalJSON(); err != nil {
			return res, fmt.Errorf("encode record: %w", err)
		}
		res.Updated = !bytes.Equal(record, cur.record)
	}

	if res.Outcome != Unchanged || res.Updated {
		if res.Seq, err = s.nextSeq(ctx, tx); err != nil {
			return res, err
		}
		var published any
		if a.Published != nil {
			published = a.Published.Unix()
		}
		_, err = s.txExec(ctx, tx, sqlUpsertArticle,
			a.ID, a.URL, strings.ToLower(a.Site), a.Category, published, unixNano(a.FetchedAt), seen, now,
			a.ContentHash, res.Revision, res.Seq, record, recordFormat)
		if err != nil {
			return res, fmt.Errorf("store record: %w", err)
		}
	} else {
		if _, err := s.txExec(ctx, tx, sqlTouchArticle, seen, recordFormat, a.ID); err != nil {
			return res, fmt.Errorf("store record: %w", err)
		}
	}

	if res.Outcome != Unchanged {
		_, err := s.txExec(ctx, tx, sqlInsertRevision,
			a.ID, res.Revision, a.ContentHash, unixNano(a.FetchedAt), now, record)
		if err != nil {
			return res, fmt.Errorf("store revision %d: %w", res.Revision, err)
		}
		if len(raw.Body) > 0 {
			if capture == nil { // the content changed since Put looked
				if capture, err = encodeCapture(raw); err != nil {
					return res, err
				}
			}
			if err := s.insertCapture(ctx, tx, a.ID, res.Revision, capture); err != nil {
				return res, err
			}
		}
	}

	for _, u := range uniqueURLs(raw.URL, raw.RequestedURL) {
		if u != a.URL {
			_, err := s.txExec(ctx, tx, sqlUpsertAlias, u, a.ID)
			if err != nil {
				return res, fmt.Errorf("store alias %s: %w", u, err)
			}
		}
		if raw.Header != nil {
			_, err := s.txExec(ctx, tx, sqlUpsertValidators,
				u, raw.Header.Get("ETag"), raw.Header.Get("Last-Modified"), unixNano(raw.FetchedAt))
			if err != nil {
				return res, fmt.Errorf("store validators of %s: %w", u, err)
			}
		}
	}
	return res, nil
}

// uniqueURLs returns the non-empty, distinct URLs among urls.
func uniqueURLs(urls ...string) []string {
	out := urls[:0:0]
	for _, u := range urls {
		if u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}
