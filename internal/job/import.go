package job

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"

	"folio"
	"folio/archive"
)

// DefaultMaxRecordBytes is the longest record Import reads by default: far
// above any article (a record of the test site is a few KiB), low enough
// that a hostile file cannot make an import take gigabytes.
const DefaultMaxRecordBytes = 16 << 20

// wrongFileAfter is how many lines that are not records, with no record
// before them, make Import give up on its input as the wrong file: a WARC,
// a web page, a binary. A few, so that one damaged line at the top of a
// real export is only skipped.
const wrongFileAfter = 5

// maxLoggedSkips is how many skipped lines Import logs one by one; the
// others are counted, so that a file going bad half way does not flood the
// terminal.
const maxLoggedSkips = 20

// ImportOptions are what the caller asks of an import.
type ImportOptions struct {
	// Name names the input in errors and logs: a file name, "standard
	// input".
	Name string
	// MaxRecordBytes is the longest line (or array element) read as a
	// record; a longer line is skipped without being held in memory.
	// Default DefaultMaxRecordBytes.
	MaxRecordBytes int
	// OnProgress, when set, is called after each record stored.
	OnProgress func(ImportSummary)
}

// ImportSummary is what an import did.
type ImportSummary struct {
	// Read counts the records read: non-empty lines, or array elements.
	Read int
	// New, Changed and Unchanged count the records by what the archive did.
	New, Changed, Unchanged int
	// Skipped counts what was read and was not a record.
	Skipped int
}

// Stored is the number of records the archive stored or confirmed.
func (s ImportSummary) Stored() int { return s.New + s.Changed + s.Unchanged }

// NotRecordsError is the error of an import whose input began with lines
// that are not records, and none that is: the wrong file. Nothing was
// stored.
type NotRecordsError struct {
	Name string
	// Unit is "line" (JSON Lines) or "record" (a JSON array); N is the
	// number of the first one that is not a record.
	Unit string
	N    int
	// Err says why it is not a record.
	Err error
}

func (e *NotRecordsError) Error() string {
	return fmt.Sprintf("%s %s %d: not a folio record: %v", e.Name, e.Unit, e.N, e.Err)
}

func (e *NotRecordsError) Unwrap() error { return e.Err }

// ErrRecordTooLong is the reason a line longer than the limit is skipped.
var ErrRecordTooLong = errors.New("record too long")

// Import stores the records r holds in deps.Archive, as a crawl would (a
// new revision only when the content changed; each record kept as given,
// its fetched_at included). r holds what folio export writes: JSON Lines,
// one record a line, or one JSON array of records, told apart by the first
// byte that is not a space. Either is read as a stream, one record at a
// time.
//
// A line that is not a record (bad JSON, an unknown field, no url, an id
// that is not the one folio derives from the url, over the size limit) is
// logged and skipped, and counted in ImportSummary.Skipped. When the first
// lines are not records and none before them was, the input is the wrong
// file: Import stops with a *NotRecordsError, having stored nothing and
// logged nothing.
//
// Import writes the archive only; the caller brings the index up to date
// (CatchUp). The error is for reading r or the archive failing, and for ctx
// ending; the summary is valid with it.
func Import(ctx context.Context, deps Deps, r io.Reader, opts ImportOptions) (ImportSummary, error) {
	if deps.Archive == nil {
		return ImportSummary{}, errors.New("import: no archive")
	}
	if opts.MaxRecordBytes <= 0 {
		opts.MaxRecordBytes = DefaultMaxRecordBytes
	}
	im := &importer{deps: deps, opts: opts, log: deps.logger()}
	br := bufio.NewReaderSize(r, 256<<10)
	// A byte order mark, which some editors write at the start of a UTF-8
	// file, is not part of the first record.
	if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	if isArray(br) {
		im.unit = "record"
		return im.sum, im.readArray(ctx, br)
	}
	im.unit = "line"
	return im.sum, im.readLines(ctx, br)
}

// isArray tells whether the first byte of br that is not a space opens a
// JSON array.
func isArray(br *bufio.Reader) bool {
	head, _ := br.Peek(4096)
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) > 0 && head[0] == '['
}

// importer carries one import's state.
type importer struct {
	deps Deps
	opts ImportOptions
	log  *slog.Logger
	unit string
	sum  ImportSummary
	// held are the lines that were not records, read before any that
	// was: logged once a record shows the input is an export, dropped when
	// the input proves to be the wrong file.
	held   []skipped
	logged int
}

// skipped is a line that is not a record, and why.
type skipped struct {
	n   int
	err error
}

func (im *importer) readLines(ctx context.Context, br *bufio.Reader) error {
	lines := &lineReader{br: br, max: im.opts.MaxRecordBytes}
	for line := 1; ; line++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("import %s: stopped at line %d: %w", im.opts.Name, line, context.Cause(ctx))
		}
		data, length, err := lines.next()
		switch {
		case errors.Is(err, io.EOF):
			return im.end()
		case errors.Is(err, ErrRecordTooLong):
			im.sum.Read++
			if err := im.skip(line, fmt.Errorf("%w: %d bytes, the limit is %d", ErrRecordTooLong, length, im.opts.MaxRecordBytes)); err != nil {
				return err
			}
			continue
		case err != nil:
			return fmt.Errorf("import %s: read line %d: %w", im.opts.Name, line, err)
		}
		data = bytes.TrimSpace(data)
		if len(data) == 0 {
			continue
		}
		im.sum.Read++
		if err := im.record(ctx, line, data); err != nil {
			return err
		}
	}
}

// readArray reads one JSON array of records, an element at a time: the
// decoder holds one record, whatever the length of the array.
func (im *importer) readArray(ctx context.Context, br *bufio.Reader) error {
	guard := &sizeGuard{r: br, max: int64(im.opts.MaxRecordBytes)}
	dec := json.NewDecoder(guard)
	guard.dec = dec
	if _, err := dec.Token(); err != nil { // the '[' isArray saw
		return fmt.Errorf("import %s: %w", im.opts.Name, err)
	}
	for n := 1; dec.More(); n++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("import %s: stopped at record %d: %w", im.opts.Name, n, context.Cause(ctx))
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// A JSON syntax error leaves no way to find the next record.
			if im.sum.Stored() == 0 {
				return &NotRecordsError{Name: im.opts.Name, Unit: im.unit, N: n, Err: err}
			}
			return fmt.Errorf("import %s: record %d: %w", im.opts.Name, n, err)
		}
		im.sum.Read++
		if err := im.record(ctx, n, raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return fmt.Errorf("import %s: after record %d: %w", im.opts.Name, im.sum.Read, err)
	}
	return im.end()
}

// sizeGuard fails a read once the decoder holds more than max bytes of
// one value.
type sizeGuard struct {
	r    io.Reader
	dec  *json.Decoder
	read int64
	max  int64
}

func (g *sizeGuard) Read(p []byte) (int, error) {
	// The decoder's offset is the start of the value it is reading, and it
	// reads again only when it holds no whole value: what it holds past
	// that offset is the value so far.
	if held := g.read - g.dec.InputOffset(); held > g.max {
		return 0, fmt.Errorf("%w: over %d bytes", ErrRecordTooLong, g.max)
	}
	n, err := g.r.Read(p)
	g.read += int64(n)
	return n, err
}

// record decodes and stores the record of line (or element) n.
func (im *importer) record(ctx context.Context, n int, data []byte) error {
	a, err := decodeRecord(data)
	if err != nil {
		return im.skip(n, err)
	}
	res, err := im.deps.Archive.Put(ctx, a, folio.Page{})
	if err != nil {
		return fmt.Errorf("import %s %s %d (%s): %w", im.opts.Name, im.unit, n, a.URL, err)
	}
	switch res.Outcome {
	case archive.New:
		im.sum.New++
	case archive.Changed:
		im.sum.Changed++
	default:
		im.sum.Unchanged++
	}
	if len(im.held) > 0 {
		// A record: the input is an export, and what came before it
		// were damaged lines of it.
		for _, s := range im.held {
			im.logSkip(s)
		}
		im.held = nil
	}
	if im.opts.OnProgress != nil {
		im.opts.OnProgress(im.sum)
	}
	return nil
}

// skip counts line n as not a record. Before any record, it is held; when
// wrongFileAfter are held, the input is the wrong file.
func (im *importer) skip(n int, err error) error {
	im.sum.Skipped++
	s := skipped{n: n, err: err}
	if im.sum.Stored() > 0 {
		im.logSkip(s)
		return nil
	}
	im.held = append(im.held, s)
	if len(im.held) >= wrongFileAfter {
		return im.wrongFile()
	}
	return nil
}

// end ends an input that was read whole: one that held lines but no
// record is the wrong file too.
func (im *importer) end() error {
	if len(im.held) > 0 && im.sum.Stored() == 0 {
		return im.wrongFile()
	}
	return nil
}

func (im *importer) wrongFile() error {
	first := im.held[0]
	return &NotRecordsError{Name: im.opts.Name, Unit: im.unit, N: first.n, Err: first.err}
}

func (im *importer) logSkip(s skipped) {
	im.logged++
	switch {
	case im.logged <= maxLoggedSkips:
		im.log.Error(im.unit+" skipped: not a record", slog.String("file", im.opts.Name), slog.Int(im.unit, s.n), slog.Any("err", s.err))
	case im.logged == maxLoggedSkips+1:
		im.log.Error("more "+im.unit+"s are not records: they are skipped and counted, not logged", slog.String("file", im.opts.Name), slog.Int(im.unit, s.n))
	}
}

// lineReader reads lines of at most max bytes. Unlike bufio.Reader.ReadBytes
// or a bufio.Scanner sized for the longest line, it never holds more than
// max bytes of one line: the rest of a longer one is read in chunks and
// dropped.
type lineReader struct {
	br  *bufio.Reader
	max int
	buf []byte
}

// next returns the next line without its newline, valid until the next call,
// and its length in bytes. A line over the limit gives ErrRecordTooLong, the
// reader then being at the start of the following line; the end of the input
// gives io.EOF.
func (l *lineReader) next() ([]byte, int64, error) {
	l.buf = l.buf[:0]
	var length int64
	for {
		chunk, err := l.br.ReadSlice('\n')
		if err == nil { // the chunk ends the line
			chunk = chunk[:len(chunk)-1]
		}
		length += int64(len(chunk))
		if length <= int64(l.max) {
			l.buf = append(l.buf, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if length == 0 {
				return nil, 0, io.EOF
			}
		case err != nil:
			return nil, length, err
		}
		if length > int64(l.max) {
			return nil, length, ErrRecordTooLong
		}
		return l.buf, length, nil
	}
}

// contractKeys are the keys of a record: those of folio.Article's JSON.
var contractKeys = func() []string {
	data, err := folio.Article{}.MarshalJSON()
	if err != nil {
		panic(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}()

// decodeRecord reads one exported record. It refuses keys the record does
// not have, so that a field this folio does not know is reported rather than
// dropped.
func decodeRecord(data []byte) (folio.Article, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return folio.Article{}, fmt.Errorf("not a JSON object: %w", err)
	}
	var unknown []string
	for k := range fields {
		if _, ok := slices.BinarySearch(contractKeys, k); !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return folio.Article{}, fmt.Errorf("unknown field %s (a record has %s)", strings.Join(unknown, ", "), strings.Join(contractKeys, ", "))
	}
	var a folio.Article
	if err := a.UnmarshalJSON(data); err != nil {
		return folio.Article{}, fmt.Errorf("bad record: %w", err)
	}
	if a.URL == "" {
		return folio.Article{}, errors.New("the record has no url")
	}
	// A record is a page folio could have crawled: show and export print
	// its URL as a link.
	if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return folio.Article{}, fmt.Errorf("record url %q is not an http or https URL", a.URL)
	}
	if a.FetchedAt.IsZero() {
		return folio.Article{}, fmt.Errorf("record %s has no fetched_at", a.URL)
	}
	// The id names the row a record replaces: one that is not its URL's
	// would overwrite another article.
	if want := folio.ArticleID(a.URL); a.ID != "" && a.ID != want {
		return folio.Article{}, fmt.Errorf("record %s has id %s, but the id of its url is %s", a.URL, a.ID, want)
	}
	// The hash decides whether the text changed: an edited record keeping
	// its old hash must still count as changed.
	a.ContentHash = folio.ContentHash(a.Title, a.Body)
	return a, nil
}
