package archive

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"

	"folio"
)

// captureEncoding names how capture bodies are compressed. gzip is in the
// standard library, shrinks WordPress HTML three to ten times, and is what WARC
// files use, so a WARC export can later copy bodies through.
const captureEncoding = "gzip"

// encodedCapture is a raw page ready to insert: compressed body and JSON
// headers, prepared outside the write transaction to keep it short.
type encodedCapture struct {
	page   folio.Page
	header []byte
	body   []byte
}

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// maxCaptureHeaderBytes caps the response headers kept with a capture.
// The HTTP client accepts megabytes of them, and a hostile server sending
// that much with every page would store it with every capture.
const maxCaptureHeaderBytes = 16 << 10

// keptFirst are the headers kept before any other when a capture's headers
// are over the cap: those that say what the body is and when it changed.
var keptFirst = []string{"Content-Type", "Content-Language", "Etag", "Last-Modified", "Date", "Content-Location", "X-Robots-Tag", "Link"}

// capHeader returns h, or, when its fields and values together are over
// maxCaptureHeaderBytes, the fields of keptFirst and then the others in
// name order, each value while it fits: what does not fit is dropped.
func capHeader(h http.Header) http.Header {
	size := 0
	for k, vs := range h {
		for _, v := range vs {
			size += len(k) + len(v) + 4 // "k: v\r\n"
		}
	}
	if size <= maxCaptureHeaderBytes {
		return h
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		if !slices.Contains(keptFirst, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := http.Header{}
	used := 0
	for _, k := range slices.Concat(keptFirst, keys) {
		for _, v := range h[k] {
			if n := len(k) + len(v) + 4; used+n <= maxCaptureHeaderBytes {
				out[k] = append(out[k], v)
				used += n
			}
		}
	}
	return out
}

func encodeCapture(p folio.Page) (*encodedCapture, error) {
	header := capHeader(p.Header)
	if header == nil {
		header = http.Header{}
	}
	h, err := json.Marshal(header)
	if err != nil {
		return nil, fmt.Errorf("encode headers of %s: %w", p.URL, err)
	}
	var buf bytes.Buffer
	buf.Grow(len(p.Body) / 3)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(p.Body); err != nil {
		return nil, fmt.Errorf("compress capture of %s: %w", p.URL, err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress capture of %s: %w", p.URL, err)
	}
	return &encodedCapture{page: p, header: h, body: buf.Bytes()}, nil
}

const sqlInsertCapture = `
INSERT INTO captures (article_id, revision, url, requested_url, status, header, fetched_at, depth, encoding, size, body)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (s *Store) insertCapture(ctx context.Context, tx *sql.Tx, id string, revision int, c *encodedCapture) error {
	requested := c.page.RequestedURL
	if requested == "" {
		requested = c.page.URL
	}
	_, err := s.txExec(ctx, tx, sqlInsertCapture,
		id, revision, c.page.URL, requested, c.page.Status, c.header, unixNano(c.page.FetchedAt),
		c.page.Depth, captureEncoding, len(c.page.Body), c.body)
	if err != nil {
		return fmt.Errorf("store capture: %w", err)
	}
	return nil
}

// Capture returns the latest raw capture of the article with this id or URL
// (see Get), decompressed, as the Page it was archived from, so that it can
// be extracted again without re-crawling. It returns ErrNotFound when the
// article is unknown or was stored without a capture (an import).
func (s *Store) Capture(ctx context.Context, idOrURL string) (folio.Page, error) {
	var (
		p        folio.Page
		header   []byte
		fetched  int64
		encoding string
		size     int
		body     []byte
	)
	err := s.queryRow(ctx, `
SELECT url, requested_url, status, header, fetched_at, depth, encoding, size, body
FROM captures WHERE article_id = (`+resolveIDQuery+`)
ORDER BY id DESC LIMIT 1`, idOrURL).
		Scan(&p.URL, &p.RequestedURL, &p.Status, &header, &fetched, &p.Depth, &encoding, &size, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return folio.Page{}, fmt.Errorf("read capture of %s: %w", idOrURL, ErrNotFound)
	}
	if err != nil {
		return folio.Page{}, fmt.Errorf("read capture of %s: %w", idOrURL, err)
	}
	p.FetchedAt = fromUnixNano(fetched)
	if err := json.Unmarshal(header, &p.Header); err != nil {
		return folio.Page{}, fmt.Errorf("read capture of %s: decode headers: %w", idOrURL, err)
	}
	if encoding != captureEncoding {
		return folio.Page{}, fmt.Errorf("read capture of %s: unknown encoding %q", idOrURL, encoding)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return folio.Page{}, fmt.Errorf("read capture of %s: decompress: %w", idOrURL, err)
	}
	p.Body = make([]byte, 0, size)
	buf := bytes.NewBuffer(p.Body)
	if _, err := io.Copy(buf, zr); err != nil {
		return folio.Page{}, fmt.Errorf("read capture of %s: decompress: %w", idOrURL, err)
	}
	p.Body = buf.Bytes()
	return p, nil
}
