package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"folio"
	"folio/archive"
	"folio/internal/job"
)

// defaultMaxLine is the longest import line read by default: far above any
// article (a record of the test site is a few KiB), low enough that a
// hostile file cannot make an import take gigabytes.
const defaultMaxLine = 16 << 20

// importOptions are the flags of import.
type importOptions struct {
	// maxLine is the longest line, in bytes, read as a record; a longer one
	// is skipped without being held in memory.
	maxLine int
}

func newImportCmd(g *globalOpts) *cobra.Command {
	o := importOptions{maxLine: defaultMaxLine}
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Load a JSON Lines export (gzipped or not) into the archive and index it",
		Long: `Import reads records in the JSON Lines form 'folio export --format jsonl'
writes (one record a line; FILE "-" reads standard input), stores each in the
archive as a crawl would (a new revision only when its content changed; the
record is kept as given, its fetched_at included) and indexes them.

Exporting the imported records again gives the same lines, byte for byte.
Imported records have no raw page: they cannot be re-extracted, and a WARC
export leaves them out.

The content_hash of a record is computed again from its title and body, not
taken from the line. A line that is not a record (bad JSON, an unknown field,
no url, an id that is not the one folio derives from the url, a line longer
than --max-line-bytes) is reported with its line number and skipped; the others are imported, and the exit
status is then 1.

Exit status: 0 success, 1 failure (some lines were skipped, the archive is in
use by another writer, or the index is damaged: the records are archived all
the same, and 'folio reindex' rebuilds the index), 2 usage error.`,
		Example: `  folio --data ./a export --format jsonl -o records.jsonl
  folio --data ./b import records.jsonl
  gunzip -c records.jsonl.gz | folio --data ./b import -`,
		Args: oneArg("a FILE to read (- for standard input)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.maxLine < 1 {
				return usageErrorf("import: --max-line-bytes must be at least 1, not %d", o.maxLine)
			}
			return runImport(cmd.Context(), g, args[0], o)
		},
	}
	cmd.Flags().IntVar(&o.maxLine, "max-line-bytes", defaultMaxLine, "longest line read as a record; a longer one is skipped and reported")
	return cmd
}

// importSummary is what an import did.
type importSummary struct {
	Lines, New, Changed, Unchanged, Skipped, Indexed int
}

func runImport(ctx context.Context, g *globalOpts, file string, o importOptions) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	in, name, err := openImportFile(g, file)
	if err != nil {
		return err
	}
	defer in.Close()
	lock, err := lockWriter(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	st, err := openArchive(cfg.DataDir, log)
	if err != nil {
		return err
	}
	defer st.Close()

	started := time.Now()
	progress := newProgressLine(g.stderr)
	sum, readErr := importRecords(ctx, st, in, name, o.maxLine, log, func(s importSummary) {
		progress.show(fmt.Sprintf("import: %d lines, %d new, %d changed, %d unchanged, %d skipped",
			s.Lines, s.New, s.Changed, s.Unchanged, s.Skipped), false)
	})
	progress.done()

	// What was stored is indexed even when reading stopped early.
	ix, err := openIndex(cfg.DataDir, log)
	if err == nil {
		sum.Indexed, err = job.SyncIndex(context.WithoutCancel(ctx), st, ix, 0, func(p job.IndexProgress) {
			progress.show(fmt.Sprintf("import: indexed %d records", p.Indexed), false)
		})
		progress.done()
		if cerr := ix.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close index: %w", cerr)
		}
		if indexUnusable(err) {
			err = indexError("update index", err, cfg.DataDir)
		}
	}
	if err != nil {
		return errors.Join(readErr, fmt.Errorf("import %s: %s archived, but not indexed: %w",
			name, plural(sum.New+sum.Changed+sum.Unchanged, "record is", "records are"), err))
	}
	fmt.Fprintf(g.stdout, "imported %s in %s: %s, %d new, %d changed, %d unchanged; %d indexed",
		name, time.Since(started).Round(time.Millisecond), plural(sum.New+sum.Changed+sum.Unchanged, "record", "records"), sum.New, sum.Changed, sum.Unchanged, sum.Indexed)
	if sum.Skipped > 0 {
		fmt.Fprintf(g.stdout, "; %s skipped", plural(sum.Skipped, "line", "lines"))
	}
	fmt.Fprintln(g.stdout)
	if readErr != nil {
		return readErr
	}
	if sum.Skipped > 0 {
		if sum.Skipped == 1 {
			return fmt.Errorf("import %s: 1 line was not a record and was skipped (see the log above)", name)
		}
		return fmt.Errorf("import %s: %d lines were not records and were skipped (see the log above)", name, sum.Skipped)
	}
	return nil
}

func openImportFile(g *globalOpts, file string) (io.ReadCloser, string, error) {
	if file == "-" {
		if g.stdin != nil {
			return io.NopCloser(g.stdin), "standard input", nil
		}
		return io.NopCloser(os.Stdin), "standard input", nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, "", fmt.Errorf("import: %w", err)
	}
	// A gzip file (an export to a name ending in .gz) is read through.
	br := bufio.NewReader(f)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, "", fmt.Errorf("import %s: %w", file, err)
		}
		return readCloser{zr, f}, file, nil
	}
	return readCloser{br, f}, file, nil
}

// readCloser reads from one reader and closes a file.
type readCloser struct {
	io.Reader
	io.Closer
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

// importRecords stores each record line of r, read as the file name, and
// counts what the archive did with it. A line that is not a record, or is
// longer than maxLine bytes, is logged and skipped; the error is for reading
// r, or the archive failing.
func importRecords(ctx context.Context, st *archive.Store, r io.Reader, name string, maxLine int, log *slog.Logger, onProgress func(importSummary)) (importSummary, error) {
	var sum importSummary
	lines := newLineReader(r, maxLine)
	for line := 1; ; line++ {
		if err := ctx.Err(); err != nil {
			return sum, fmt.Errorf("import %s: stopped at line %d: %w", name, line, context.Cause(ctx))
		}
		data, length, err := lines.next()
		if errors.Is(err, io.EOF) {
			return sum, nil
		}
		if err != nil && !errors.Is(err, errLineTooLong) {
			return sum, fmt.Errorf("import %s: read line %d: %w", name, line, err)
		}
		if errors.Is(err, errLineTooLong) {
			sum.Lines++
			sum.Skipped++
			log.Error("line skipped: too long", slog.String("file", name), slog.Int("line", line),
				slog.Int64("bytes", length), slog.Int("max_line_bytes", maxLine))
			continue
		}
		if line == 1 {
			// A byte order mark, which some editors write at the start of
			// a UTF-8 file, is not part of the first record.
			data = bytes.TrimPrefix(data, []byte("\uFEFF"))
		}
		data = bytes.TrimSpace(data)
		if len(data) == 0 {
			continue
		}
		sum.Lines++
		if line == 1 && data[0] == '[' {
			return sum, usageErrorf("import %s: this is a JSON array (export --format json); import reads JSON Lines: export with --format jsonl", name)
		}
		a, err := decodeRecord(data)
		if err != nil {
			sum.Skipped++
			log.Error("line skipped: not a record", slog.String("file", name), slog.Int("line", line), slog.Any("err", err))
			continue
		}
		res, err := st.Put(ctx, a, folio.Page{})
		if err != nil {
			return sum, fmt.Errorf("import %s line %d (%s): %w", name, line, a.URL, err)
		}
		switch res.Outcome {
		case archive.New:
			sum.New++
		case archive.Changed:
			sum.Changed++
		default:
			sum.Unchanged++
		}
		if onProgress != nil {
			onProgress(sum)
		}
	}
}

// errLineTooLong is lineReader.next's error for a line over its limit.
var errLineTooLong = errors.New("line too long")

// lineReader reads lines of at most max bytes. Unlike bufio.Reader.ReadBytes
// or a bufio.Scanner sized for the longest line, it never holds more than
// max bytes of one line: the rest of a longer one is read in chunks and
// dropped.
type lineReader struct {
	br  *bufio.Reader
	max int
	buf []byte
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 256<<10), max: max}
}

// next returns the next line without its newline, valid until the next call,
// and its length in bytes. A line over the limit gives errLineTooLong, the
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
			return nil, length, errLineTooLong
		}
		return l.buf, length, nil
	}
}

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
