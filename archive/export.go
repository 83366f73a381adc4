package archive

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// ExportFormat is the format of an export, in ExportOptions.Format.
type ExportFormat string

// The export formats.
const (
	// FormatJSON is one JSON array, one record per line between its
	// brackets: valid JSON for any tool, and still readable and diffable.
	FormatJSON ExportFormat = "json"
	// FormatJSONL is JSON Lines: one record per line, nothing else.
	FormatJSONL ExportFormat = "jsonl"
	// FormatWARC is WARC 1.1: the raw captures of the selected records as
	// response records, each with a request and a metadata record (see
	// warc.go for what each holds).
	FormatWARC ExportFormat = "warc"
)

// ExportOptions selects the records Export writes and their format.
type ExportOptions struct {
	// Format is FormatJSON, FormatJSONL or FormatWARC.
	Format ExportFormat
	// Gzip compresses a WARC export record by record, as .warc.gz files
	// are; the other formats ignore it.
	Gzip bool
	Filter
}

// Export writes the selected records to w in the requested format, in
// publication order (OrderPublished), and returns how many it wrote. It
// streams: memory use does not grow with the number of records. Each record
// is the export contract, folio.Article's JSON, every field present. An
// empty selection gives "[]" in JSON and nothing in JSON Lines.
//
// FormatWARC writes the raw captures of the selected records instead (see
// IterateCaptures for their order and for what ChangedSince means there),
// after a warcinfo record, and returns the number of captures written.
// Records stored without a capture (imported ones) have none.
func (s *Store) Export(ctx context.Context, w io.Writer, opts ExportOptions) (int, error) {
	var begin, sep, end []byte
	switch opts.Format {
	case FormatJSON:
		begin, sep, end = []byte("[\n"), []byte(",\n"), []byte("\n]\n")
	case FormatJSONL:
		sep, end = []byte("\n"), []byte("\n")
	case FormatWARC:
		return s.exportWARC(ctx, w, opts)
	default:
		return 0, fmt.Errorf("export archive: unknown format %q (want %s, %s or %s)", opts.Format, FormatJSON, FormatJSONL, FormatWARC)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	n := 0
	err := s.iterate(ctx, IterateOptions{Filter: opts.Filter, Order: OrderPublished}, func(r row) error {
		record, err := exportRecord(r)
		if err != nil {
			return err
		}
		if n == 0 {
			bw.Write(begin)
		} else {
			bw.Write(sep)
		}
		// bufio.Writer keeps its first error and returns it from every later
		// call, so checking here catches a broken writer early.
		if _, err := bw.Write(record); err != nil {
			return fmt.Errorf("write record seq %d: %w", r.seq, err)
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("export archive: %w", err)
	}
	switch {
	case n > 0:
		bw.Write(end)
	case opts.Format == FormatJSON:
		bw.Write([]byte("[]\n"))
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export archive: write: %w", err)
	}
	return n, nil
}

// exportRecord returns the contract JSON of a stored record. A record stored
// in the current format is already that, byte for byte, and is copied
// through: decoding and encoding again would cost twenty times more. An older
// one goes through folio.Article, so that it gains the fields added since.
func exportRecord(r row) ([]byte, error) {
	if r.format == recordFormat {
		return r.record, nil
	}
	e, err := r.entry()
	if err != nil {
		return nil, err
	}
	record, err := e.Article.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("encode record seq %d: %w", r.seq, err)
	}
	return record, nil
}
