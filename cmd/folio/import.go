package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"folio/internal/console"
	"folio/internal/job"
)

// defaultMaxLine is the longest import line read by default.
const defaultMaxLine = job.DefaultMaxRecordBytes

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
		Short: "Load an export (JSON Lines or JSON, gzipped or not) into the archive and index it",
		Long: `Import reads records as 'folio export' writes them: JSON Lines (--format
jsonl, one record a line) or JSON (--format json, one array), gzipped or not;
FILE "-" reads standard input. It stores each in the
archive as a crawl would (a new revision only when its content changed; the
record is kept as given, its fetched_at included) and indexes them.

Exporting the imported records again gives the same lines, byte for byte.
Imported records have no raw page: they cannot be re-extracted, and a WARC
export leaves them out.

The content_hash of a record is computed again from its title and body, not
taken from the line. A line that is not a record (bad JSON, an unknown field,
no url, an id that is not the one folio derives from the url, a line longer
than --max-line-bytes) is reported with its line number and skipped; the others are imported, and the exit
status is then 1. A file whose first lines are not records (a WARC, a web
page) is not an export: import stops with one error naming its first line,
and stores nothing.

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
	st, done, err := openWriter(cfg, log)
	if err != nil {
		return err
	}
	defer done()

	started := time.Now()
	progress := console.NewProgress(g.stderr)
	sum, readErr := job.Import(ctx, job.Deps{Archive: st, Logger: log}, in, job.ImportOptions{
		Name: name, MaxRecordBytes: o.maxLine,
		OnProgress: func(s job.ImportSummary) {
			progress.Show(fmt.Sprintf("import: %d lines, %d new, %d changed, %d unchanged, %d skipped",
				s.Read, s.New, s.Changed, s.Unchanged, s.Skipped), false)
		},
	})
	progress.Done()
	var notRecords *job.NotRecordsError
	if errors.As(readErr, &notRecords) {
		// The wrong file: one line says so, and nothing was stored.
		if errors.Is(notRecords, job.ErrRecordTooLong) {
			return fmt.Errorf("%s %s %d: longer than --max-line-bytes (%d bytes), so not read as a record; is this the right file?",
				name, notRecords.Unit, notRecords.N, o.maxLine)
		}
		return fmt.Errorf("%s %s %d: not a folio record (expected one JSON object per line as written by "+
			"'folio export --format jsonl', or one JSON array as written by 'folio export --format json'); is this the right file?",
			name, notRecords.Unit, notRecords.N)
	}

	// What was stored is indexed even when reading stopped early.
	caught, err := job.CatchUp(context.WithoutCancel(ctx), st, job.CatchUpOptions{DataDir: cfg.DataDir, Locked: true, Logger: log,
		OnProgress: func(p job.IndexProgress) {
			progress.Show(fmt.Sprintf("import: indexed %d records", p.Indexed), false)
		}})
	progress.Done()
	indexed := caught.Indexed
	if err != nil {
		err = indexError("update index", err, cfg.DataDir)
	}
	if err != nil {
		return errors.Join(readErr, fmt.Errorf("import %s: %s archived, but not indexed: %w",
			name, plural(sum.Stored(), "record is", "records are"), err))
	}
	fmt.Fprintf(g.stdout, "imported %s in %s: %s, %d new, %d changed, %d unchanged; %d indexed",
		name, time.Since(started).Round(time.Millisecond), plural(sum.Stored(), "record", "records"), sum.New, sum.Changed, sum.Unchanged, indexed)
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
	if file != "-" {
		in, err := job.OpenExport(file)
		return in, file, err
	}
	if g.stdin != nil {
		return io.NopCloser(g.stdin), "standard input", nil
	}
	return io.NopCloser(os.Stdin), "standard input", nil
}
