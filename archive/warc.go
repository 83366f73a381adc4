package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/nlnwa/gowarc/v3"

	"folio"
)

// The WARC export writes, after one warcinfo record, three records per raw
// capture, each with the capture's fetch time as WARC-Date and its URL as
// WARC-Target-URI:
//
//   - a response record: the status line, the response headers and the
//     body. The body is the page as the archive holds it, decoded to UTF-8,
//     so the headers that described the bytes on the wire are made to
//     describe these: Content-Length is the body's, Content-Encoding and
//     Transfer-Encoding are dropped, and Content-Type says charset=utf-8
//     (the original value is kept in the metadata record).
//   - a request record, WARC-Concurrent-To the response: the method,
//     target and Host of the request. folio keeps no other request header.
//   - a metadata record (application/warc-fields), WARC-Concurrent-To the
//     response: the article id and revision extracted from the capture, the
//     URL first requested (before redirects), the link depth, and the
//     original Content-Type when it was rewritten.
//
// Record ids are name-based UUIDs of the capture, so exporting the same
// archive twice gives the same records; only the warcinfo record differs.
// Block and payload digests are SHA-1 in base 32, as most WARC tools expect.

// warcRecordOptions builds records that the library validates strictly:
// an export that does not parse back fails rather than ships.
var warcRecordOptions = []gowarc.WarcRecordOption{
	gowarc.WithStrictValidation(),
	gowarc.WithAddMissingDigest(true),
	gowarc.WithDefaultDigestAlgorithm("sha1"),
}

const warcFieldsType = "application/warc-fields"

// warcNamespace scopes the name-based record ids of captures.
var warcNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("folio:warc"))

// warcWriter marshals records to w, each as its own gzip member when
// compressing (what .warc.gz readers expect).
type warcWriter struct {
	w         io.Writer
	gz        *gzip.Writer
	marshaler gowarc.Marshaler
}

func newWARCWriter(w io.Writer, compress bool) *warcWriter {
	ww := &warcWriter{w: w, marshaler: gowarc.NewMarshaler()}
	if compress {
		ww.gz, _ = gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	}
	return ww
}

func (ww *warcWriter) write(rec gowarc.WarcRecord) error {
	defer rec.Close()
	out := ww.w
	if ww.gz != nil {
		ww.gz.Reset(ww.w)
		out = ww.gz
	}
	if _, _, err := ww.marshaler.Marshal(out, rec, 0); err != nil {
		return err
	}
	if ww.gz != nil {
		return ww.gz.Close()
	}
	return nil
}

// exportWARC writes the captures of the records opts selects as WARC 1.1,
// and returns the number of captures written.
func (s *Store) exportWARC(ctx context.Context, w io.Writer, opts ExportOptions) (int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	ww := newWARCWriter(bw, opts.Gzip)
	infoID, err := randomUUID()
	if err != nil {
		return 0, fmt.Errorf("export archive as WARC: %w", err)
	}
	info, err := warcinfoRecord(infoID, s.now())
	if err == nil {
		err = ww.write(info)
	}
	if err != nil {
		return 0, fmt.Errorf("export archive as WARC: warcinfo: %w", err)
	}
	n := 0
	err = s.IterateCaptures(ctx, opts.Filter, func(c StoredCapture) error {
		records, err := captureRecords(c, infoID)
		if err != nil {
			return fmt.Errorf("capture of %s (%s) revision %d: %w", c.Page.URL, c.ArticleID, c.Revision, err)
		}
		for i, rec := range records {
			if err := ww.write(rec); err != nil {
				for _, rest := range records[i+1:] {
					rest.Close()
				}
				return fmt.Errorf("write capture of %s: %w", c.Page.URL, err)
			}
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("export archive as WARC: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export archive as WARC: write: %w", err)
	}
	return n, nil
}

// uuidMu serializes what reaches the uuid package's settings: gowarc turns
// its random pool on (uuid.EnableRandPool, a write to a global) each time
// it makes a record builder or an unmarshaler, which races with any other
// use of the package in the process, such as a second export at once.
var uuidMu sync.Mutex

func newRecordBuilder(t gowarc.RecordType) gowarc.WarcRecordBuilder {
	uuidMu.Lock()
	defer uuidMu.Unlock()
	return gowarc.NewRecordBuilder(t, warcRecordOptions...)
}

func randomUUID() (uuid.UUID, error) {
	uuidMu.Lock()
	defer uuidMu.Unlock()
	return uuid.NewRandom()
}

// NewWARCUnmarshaler returns gowarc's reader of WARC records, made under
// the lock the archive's exports take (see uuidMu), so that a process may
// read WARC files while it exports others.
func NewWARCUnmarshaler(opts ...gowarc.WarcRecordOption) gowarc.Unmarshaler {
	uuidMu.Lock()
	defer uuidMu.Unlock()
	return gowarc.NewUnmarshaler(opts...)
}

func warcinfoRecord(id uuid.UUID, now time.Time) (gowarc.WarcRecord, error) {
	rb := newRecordBuilder(gowarc.Warcinfo)
	rb.AddWarcHeader(gowarc.WarcRecordID, urn(id))
	rb.AddWarcHeaderTime(gowarc.WarcDate, now.UTC())
	rb.AddWarcHeader(gowarc.ContentType, warcFieldsType)
	rb.WriteString(warcFields(
		"software", "folio",
		"format", "WARC File Format 1.1",
		"conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
		"description", "raw captures exported from a folio archive; response bodies are the pages decoded to UTF-8",
	))
	return build(rb)
}

// captureRecords returns the response, request and metadata records of c.
func captureRecords(c StoredCapture, infoID uuid.UUID) ([]gowarc.WarcRecord, error) {
	p := c.Page
	target, err := url.Parse(p.URL)
	if err != nil || target.Host == "" {
		return nil, fmt.Errorf("URL %q is not absolute", p.URL)
	}
	date := p.FetchedAt.UTC()
	name := fmt.Sprintf("%s\x00%d\x00%s\x00%d", c.ArticleID, c.Revision, p.URL, p.FetchedAt.UnixNano())
	responseID := urn(uuid.NewSHA1(warcNamespace, []byte(name+"\x00response")))
	common := func(rb gowarc.WarcRecordBuilder, id string) {
		rb.AddWarcHeader(gowarc.WarcRecordID, id)
		rb.AddWarcHeader(gowarc.WarcTargetURI, p.URL)
		rb.AddWarcHeaderTime(gowarc.WarcDate, date)
		rb.AddWarcHeader(gowarc.WarcWarcinfoID, urn(infoID))
	}

	head, originalType := responseHead(p)
	response := newRecordBuilder(gowarc.Response)
	common(response, responseID)
	response.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	response.Write(head)
	response.Write(p.Body)

	request := newRecordBuilder(gowarc.Request)
	common(request, urn(uuid.NewSHA1(warcNamespace, []byte(name+"\x00request"))))
	request.AddWarcHeader(gowarc.WarcConcurrentTo, responseID)
	request.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=request")
	fmt.Fprintf(request, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", target.RequestURI(), target.Host)

	fields := []string{"article-id", c.ArticleID, "revision", strconv.Itoa(c.Revision)}
	if p.RequestedURL != "" && p.RequestedURL != p.URL {
		fields = append(fields, "requested-url", p.RequestedURL)
	}
	fields = append(fields, "depth", strconv.Itoa(p.Depth))
	if originalType != "" {
		fields = append(fields, "original-content-type", originalType)
	}
	metadata := newRecordBuilder(gowarc.Metadata)
	common(metadata, urn(uuid.NewSHA1(warcNamespace, []byte(name+"\x00metadata"))))
	metadata.AddWarcHeader(gowarc.WarcConcurrentTo, responseID)
	metadata.AddWarcHeader(gowarc.ContentType, warcFieldsType)
	metadata.WriteString(warcFields(fields...))

	var records []gowarc.WarcRecord
	for _, rb := range []gowarc.WarcRecordBuilder{response, request, metadata} {
		rec, err := build(rb)
		if err != nil {
			for _, r := range records {
				r.Close()
			}
			return nil, err
		}
		records = append(records, rec)
	}
	return records, nil
}

// build builds a record, treating any validation finding as an error.
func build(rb gowarc.WarcRecordBuilder) (gowarc.WarcRecord, error) {
	rec, validation, err := rb.Build()
	if err == nil && len(validation) > 0 {
		rec.Close()
		err = fmt.Errorf("invalid %s record: %v", rec.Type(), validation[0])
	}
	if err != nil {
		rb.Close()
		return nil, err
	}
	return rec, nil
}

// responseHead is the status line and headers of p's response, made to
// describe the body as stored (see the comment at the top of the file), and
// the original Content-Type when it was changed.
func responseHead(p folio.Page) (head []byte, originalType string) {
	status := p.Status
	if status == 0 {
		status = http.StatusOK
	}
	text := http.StatusText(status)
	if text == "" {
		text = "Unknown"
	}
	h := p.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for _, k := range []string{"Content-Length", "Content-Encoding", "Transfer-Encoding"} {
		h.Del(k)
	}
	h.Set("Content-Length", strconv.Itoa(len(p.Body)))
	ct := h.Get("Content-Type")
	newType := "text/html; charset=utf-8"
	if mediaType, params, err := mime.ParseMediaType(ct); err == nil {
		params["charset"] = "utf-8"
		newType = mime.FormatMediaType(mediaType, params)
	}
	if newType != ct {
		h.Set("Content-Type", newType)
		originalType = ct
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, text)
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, oneLine(v))
		}
	}
	b.WriteString("\r\n")
	return b.Bytes(), originalType
}

// warcFields formats name, value pairs as an application/warc-fields block.
func warcFields(pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", pairs[i], oneLine(pairs[i+1]))
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

func urn(id uuid.UUID) string { return "<urn:uuid:" + id.String() + ">" }
