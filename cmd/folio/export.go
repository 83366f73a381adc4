package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/archive"
	"folio/internal/atomicfile"
)

type exportOptions struct {
	format       string
	output       string
	since        string
	changedSince string
	site         string
	author       string
	category     string
}

func (o *exportOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.format, "format", "json", "json (one array), jsonl (one record a line) or warc (the raw captures, WARC 1.1)")
	f.StringVarP(&o.output, "output", "o", "", "file to write (default stdout), in a directory that exists; written whole or not at all; a name ending in .gz is compressed with gzip (warc: record by record)")
	f.StringVar(&o.since, "since", "", "only records published on or after this day (YYYY-MM-DD)")
	f.StringVar(&o.changedSince, "changed-since", "", "only records the archive wrote (new or changed) on or after this day (YYYY-MM-DD); in warc, the captures it stored since")
	f.StringVar(&o.site, "site", "", "only records of this site (host name; case ignored)")
	f.StringVar(&o.author, "author", "", "only records by this author (case and accents ignored)")
	f.StringVar(&o.category, "category", "", "only records of this category, primary or not (case and accents ignored)")
}

func newExportCmd(g *globalOpts) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write archived records as JSON or JSON Lines, or their raw captures as WARC",
		Long: `Export writes the archive's records, in a stable order (publication date, then
id), with every field of the record contract (docs/design.md, and its JSON Schema
docs/article.schema.json) present in each. It streams: memory use does not
grow with the archive. It reads while a crawl writes.

--format warc writes the raw pages the records were extracted from instead,
as WARC 1.1: per capture a response record (status, headers, body decoded to
UTF-8), a request record and a metadata record (article id, revision, the URL
first requested, link depth). Records imported from JSON Lines have no raw
page and are left out.

--site, --author and --category ignore case and accents, as search's
filters do: --category "l'europe" exports the records of L’Europe.

-o FILE writes FILE through a temporary file beside it, renamed into place
at the end: FILE's directory must exist, and FILE must not be a directory.
A FILE ending in .gz is compressed with gzip, whatever the format.

A JSON or JSON Lines export loads into another archive with 'folio import'
(a .gz one too).

It first runs SQLite's quick check of the whole archive file, and fails on a
damaged one rather than give what it could read (on PostgreSQL, it checks
that the database answers with this folio's schema version).

Exit status: 0 success, 1 failure (a damaged archive included), 2 usage error.`,
		Example: `  folio export --format json -o archive.json
  folio export --format jsonl --site radio.example --since 2022-01-01 | wc -l
  folio export --format jsonl --changed-since 2024-03-01 -o changes.jsonl
  folio export --format jsonl --category "l'europe" -o europe.jsonl.gz
  folio export --format warc -o captures.warc.gz`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), o, g)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func runExport(ctx context.Context, o exportOptions, g *globalOpts) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	opts := archive.ExportOptions{Filter: archive.Filter{Site: o.site, Author: o.author, Category: o.category}}
	toFile := o.output != "" && o.output != "-"
	gz := toFile && strings.HasSuffix(o.output, ".gz")
	switch o.format {
	case "json":
		opts.Format = archive.FormatJSON
	case "jsonl":
		opts.Format = archive.FormatJSONL
	case "warc":
		opts.Format = archive.FormatWARC
		opts.Gzip = gz
	default:
		return usageErrorf("--format %q: want json, jsonl or warc", o.format)
	}
	if toFile {
		if err := checkOutputPath(o.output, o.format); err != nil {
			return err
		}
	}
	if opts.Since, err = parseDay("--since", o.since); err != nil {
		return err
	}
	if opts.ChangedSince, err = parseDay("--changed-since", o.changedSince); err != nil {
		return err
	}
	st, err := openArchiveReadOnly(cfg.ArchiveLocation(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkArchive(ctx, st); err != nil {
		return err
	}

	if o.output == "" || o.output == "-" {
		w := bufio.NewWriterSize(g.stdout, 64<<10)
		if _, err := st.Export(ctx, w, opts); err != nil {
			return err
		}
		return w.Flush()
	}
	n, err := atomicfile.Write(o.output, func(w io.Writer) (int, error) {
		if !gz || opts.Gzip {
			return st.Export(ctx, w, opts)
		}
		zw := gzip.NewWriter(w)
		n, err := st.Export(ctx, zw, opts)
		if cerr := zw.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("compress: %w", cerr)
		}
		return n, err
	})
	if err != nil {
		return err
	}
	what := plural(n, "record", "records")
	if opts.Format == archive.FormatWARC {
		what = plural(n, "capture", "captures")
	}
	fmt.Fprintf(g.stderr, "exported %s to %s\n", what, o.output)
	return nil
}

// checkOutputPath refuses an -o that cannot be written before the export
// starts: a directory, or a file in a directory that does not exist.
func checkOutputPath(path, format string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageErrorf("-o %s is a directory: name a file, such as %s", path, filepath.Join(path, "archive."+format))
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageErrorf("-o %s: directory %s does not exist (create it first: mkdir -p %s)", path, dir, dir)
	case err != nil:
		return fmt.Errorf("-o %s: %w", path, err)
	case !fi.IsDir():
		return usageErrorf("-o %s: %s is not a directory", path, dir)
	}
	return nil
}
