package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/archive"
	"folio/index"
	"folio/internal/console"
	"folio/internal/datadir"
	"folio/internal/job"
)

type searchOptions struct {
	category, author, site, tag string
	since, until                string
	sort                        string
	limit, offset               int
	json, fuzzy, facets         bool
	// format is text, json or jsonl; --json is --format json.
	format string
}

func (o *searchOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.category, "category", "", "only records of this category (case and accents ignored)")
	f.StringVar(&o.author, "author", "", "only records by this author")
	f.StringVar(&o.site, "site", "", "only records of this site (host name)")
	f.StringVar(&o.tag, "tag", "", "only records with this tag")
	f.StringVar(&o.since, "since", "", "only records published on or after this day (YYYY-MM-DD)")
	f.StringVar(&o.until, "until", "", "only records published on or before this day (YYYY-MM-DD)")
	f.StringVar(&o.sort, "sort", "", "relevance, date (oldest first) or -date (newest first); default relevance, or -date with no query")
	f.IntVar(&o.limit, "limit", index.DefaultLimit, "number of hits to show")
	f.IntVar(&o.offset, "offset", 0, "hits to skip first, for paging")
	f.BoolVar(&o.json, "json", false, "print the result as one JSON object (total, offset, hits, and facets with --facets); same as --format json")
	f.StringVar(&o.format, "format", "text", "text; json, one object (total, offset, hits, facets); or jsonl, JSON Lines: one hit a line (id, url, title, published, category, score, snippets), no total")
	f.BoolVar(&o.fuzzy, "fuzzy", false, "let words match with a typo or two")
	f.BoolVar(&o.facets, "facets", false, "also print counts by category and by month")
}

const searchLong = `Search the archive's full-text index.

Words match in the title, summary and body, ignoring case and accents, with
French and English stemming and elision (l’Europe finds Europe, coree finds
Corée, migrant finds migrants). Every word must match; a word of the title
counts three times.

Query syntax (bleve's query string, with every word required):
  corée russie              both words
  "pont ferroviaire"        the exact phrase
  +russie -ukraine          russie required, ukraine excluded
  title:corée               a word in the title only (summary: likewise;
                            body: and text: search the whole text)
  category:"L'Europe"       a value of a keyword field, case and accents
                            ignored: category, author, site, tags, language
  published:>="2022-11-01"  a date range (quotes needed); also <, <=, >
  russ*  /cor[eé]e/         wildcard, regular expression
  obus~1  corée^2           one typo allowed, a word counting double
A headline pasted as it is searches its words: word: is a field only when
word is one of the fields above and its value follows the colon at once, so
"Russie : la hausse" is text, as are « » — … and a ? or ! ending a word.
A malformed query is an error naming the column at fault (exit status 2).

Filters (--category --author --site --tag) ignore case and accents; --since
and --until take days (YYYY-MM-DD, local time), both included. --fuzzy lets
every word match with a typo or two. --facets adds counts of the matching
records by category and by month (and by author, tag and site).

On a terminal each hit shows its rank, title, date, category, URL and a
snippet with the matched words highlighted; piped, the same in plain text
with matches between « ». --color always|never overrides the choice; with
the default, auto, NO_COLOR (set to anything) or TERM=dumb turn colour off. --json (--format json) prints one JSON object:
{"total": matches in all, "offset": N, "hits": [...], "facets": {...}}
(facets with --facets: "category", "month", "author", "tag" and "site",
each a list of {"value", "count"}); each hit has id, url, title, published
(RFC 3339, or null), category, score and snippets (matched words unmarked).
--format jsonl prints JSON Lines instead: one hit a line, no total, for
streaming to jq.

The index follows the archive. When it lacks records of the archive (after
a crash between the two writes, say), search indexes them first, with a
note on stderr. During a crawl, search sees what the crawl has indexed so
far: the crawl writes the index a batch at a time, and a search waits for at
most the batch being written.

Exit status: 0 success (even with no hits), 1 failure (no index, unreadable
index), 2 usage error (a malformed query or flag).`

func newSearchCmd(g *globalOpts) *cobra.Command {
	var o searchOptions
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Full-text search of the archive",
		Long:  searchLong,
		Example: `  folio search "corée russie"
  folio search --category "L'Europe" --since 2022-01-01 --sort -date migrants
  folio search --json obus | jq -r '.hits[].url'
  folio search --format jsonl obus | jq -r .url`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageErrorf("search takes one QUERY; got %d arguments: quote a query of several words, as in folio search %q",
					len(args), strings.Join(args, " "))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			text := ""
			if len(args) == 1 {
				text = args[0]
			}
			return runSearch(cmd.Context(), o, g, text)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func (o searchOptions) query(text string) (index.Query, error) {
	q, err := index.NewQuery(index.Params{
		Text: text, Category: o.category, Author: o.author, Site: o.site, Tag: o.tag, Since: o.since, Until: o.until,
		Sort: o.sort, Limit: o.limit, Offset: o.offset, Fuzzy: o.fuzzy, Facets: o.facets,
	}, "--")
	if err != nil {
		return q, &usageError{err: err}
	}
	switch {
	case o.json && o.format != "" && o.format != "text" && o.format != "json":
		return q, usageErrorf("--json is --format json: give one or the other, not --format %s", o.format)
	case o.format != "" && o.format != "text" && o.format != "json" && o.format != "jsonl":
		return q, usageErrorf("--format %q: want text, json or jsonl", o.format)
	}
	if o.limit < 1 {
		return q, usageErrorf("--limit %d: must be at least 1", o.limit)
	}
	if o.offset < 0 {
		return q, usageErrorf("--offset %d: must not be negative", o.offset)
	}
	return q, nil
}

// parseDay reads a --since or --until flag's day (index.ParseDay).
func parseDay(flag, s string) (time.Time, error) {
	t, err := index.ParseDay(flag, s)
	if err != nil {
		return t, &usageError{err: err}
	}
	return t, nil
}

func runSearch(ctx context.Context, o searchOptions, g *globalOpts, text string) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	q, err := o.query(text)
	if err != nil {
		return err
	}
	ix, err := openIndexForSearch(ctx, g, nil, cfg.DataDir, log)
	if err != nil {
		return err
	}
	res, err := ix.Search(ctx, q)
	// Closed before printing: a reader keeps writers out, and output piped
	// to a pager may wait for a long time.
	if cerr := ix.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		var qe *index.QueryError
		if errors.As(err, &qe) {
			return &usageError{err: err}
		}
		if index.NeedsRebuild(err) {
			return indexError("search", err, cfg.DataDir)
		}
		return err
	}
	switch {
	case o.json || o.format == "json":
		return writeResultJSON(g.stdout, res, q)
	case o.format == "jsonl":
		return writeHitsJSONL(g.stdout, res)
	}
	writeHits(g.stdout, res, q, g.colorOn(g.stdout))
	return nil
}

// searchLockWait is how long a search waits for a writer (a crawl writing a
// batch) to let go of the index.
const searchLockWait = 30 * time.Second

// openIndexForSearch opens the index of dataDir read-only once it has
// caught up with the archive (job.CatchUp): records archived but never
// indexed, as after a crash between the two writes, are indexed first. While
// another folio writes to the data directory (a crawl), the index is
// searched as it is: that writer indexes its records batch by batch.
//
// st is the archive, held open by a caller that searches many times (folio
// serve), so that the check of each search is one query on a connection
// already made rather than a new connection to a PostgreSQL server (a few
// milliseconds, more than the search); nil opens it for this search alone.
func openIndexForSearch(ctx context.Context, g *globalOpts, st *archive.Store, dataDir string, log *slog.Logger) (*index.Index, error) {
	progress := console.NewProgress(g.stderr)
	stopNote := console.NoteAfter(g.stderr, "folio: waiting for another folio to finish writing to the index…\n")
	started := false
	res, err := job.CatchUp(ctx, st, job.CatchUpOptions{DataDir: dataDir, Archive: g.archiveLoc, IndexWait: searchLockWait, Logger: log,
		OnStart: func() {
			stopNote()
			started = true
			fmt.Fprintf(g.stderr, "folio: the index lacks records of the archive (stored since it was last updated): indexing them first\n")
		},
		OnProgress: func(p job.IndexProgress) { progress.Show(fmt.Sprintf("indexing: %d records", p.Indexed), false) },
	})
	stopNote()
	progress.Done()
	switch {
	case err != nil && started:
		return nil, fmt.Errorf("bring the index up to date (%d records indexed): %w", res.Indexed, err)
	case err != nil:
		return nil, searchIndexError(err, dataDir)
	case started:
		fmt.Fprintf(g.stderr, "folio: indexed %s\n", plural(res.Indexed, "record", "records"))
	}
	who := "another folio"
	if res.Writer != nil && res.Writer.Holder.Command != "" {
		who = fmt.Sprintf("%q (pid %d)", res.Writer.Holder.Command, res.Writer.Holder.PID)
	}
	ix, err := openIndexReadOnly(g, dataDir, log)
	switch {
	case errors.Is(err, index.ErrNotFound) && res.Writer != nil:
		return nil, fmt.Errorf("no search index in %s yet: %s is writing to it; try again in a moment", dataDir, who)
	case errors.Is(err, index.ErrNotFound):
		return nil, noIndexError(dataDir)
	case err != nil:
		return nil, err
	}
	if res.Writer != nil {
		fmt.Fprintf(g.stderr, "folio: %s is writing to %s: searching what it has indexed so far\n", who, dataDir)
	}
	return ix, nil
}

// openIndexReadOnly opens the index of dataDir for searching, waiting for a
// writer's batch to land (with a note when that takes a while). Its errors
// say what to do; a missing index is ErrNotFound, for the caller to judge.
func openIndexReadOnly(g *globalOpts, dataDir string, log *slog.Logger) (*index.Index, error) {
	stopNote := console.NoteAfter(g.stderr, "folio: waiting for another folio to finish writing to the index…\n")
	ix, err := index.Open(datadir.IndexDir(dataDir), index.Options{ReadOnly: true, LockWait: searchLockWait, Logger: log})
	stopNote()
	if errors.Is(err, index.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, searchIndexError(fmt.Errorf("open index: %w", err), dataDir)
	}
	return ix, nil
}

// searchIndexError says what to do about an index a search cannot read.
func searchIndexError(err error, dataDir string) error {
	switch {
	case index.NeedsRebuild(err):
		return fmt.Errorf("%w (rebuild it from the archive with 'folio --data %s reindex')", err, dataDir)
	case errors.Is(err, index.ErrLocked):
		return fmt.Errorf("%w: another folio has been writing to it for %s; try again later", err, searchLockWait)
	}
	return err
}

func noIndexError(dataDir string) error {
	return fmt.Errorf("no search index in %s: crawl a site first ('folio --data %s crawl URL')", dataDir, dataDir)
}

func writeResultJSON(w io.Writer, res index.Result, q index.Query) error {
	if err := writeJSON(w, index.NewResponse(res, q)); err != nil {
		return fmt.Errorf("write hits: %w", err)
	}
	return nil
}

// writeHitsJSONL prints one hit a line (--format jsonl).
func writeHitsJSONL(w io.Writer, res index.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, h := range res.Hits {
		if err := enc.Encode(index.NewHitRecord(h)); err != nil {
			return fmt.Errorf("write hits: %w", err)
		}
	}
	return nil
}

// markClean is index.Mark on a snippet cleaned of control characters, but
// for the marks themselves (control characters too).
func markClean(snippet, before, after string) string {
	var b strings.Builder
	for i, part := range strings.Split(snippet, index.MarkStart) {
		if i > 0 {
			b.WriteString(before)
		}
		for j, p := range strings.Split(part, index.MarkEnd) {
			if j > 0 {
				b.WriteString(after)
			}
			b.WriteString(console.CleanText(p))
		}
	}
	return b.String()
}

// writeHits prints the hits for people: rank, title, date, category, URL and
// a snippet, matched words in colour when color is set and between «»
// otherwise.
// Archived text is printed without its control characters (console.CleanText).
func writeHits(w io.Writer, res index.Result, q index.Query, color bool) {
	before, after, bold, reset := "«", "»", "", ""
	if color {
		before, after, bold, reset = "\x1b[1;33m", "\x1b[0m", "\x1b[1m", "\x1b[0m"
	}
	shown := len(res.Hits)
	switch {
	case res.Total == 0:
		fmt.Fprintln(w, "no matches")
	case shown == 0:
		// --offset past the last hit: say so, not "showing 51–50".
		fmt.Fprintf(w, "%s (%s); none past --offset %d\n", plural(res.Total, "match", "matches"), res.Took.Round(time.Microsecond), q.Offset)
	default:
		fmt.Fprintf(w, "%s (%s); showing %d–%d\n\n", plural(res.Total, "match", "matches"), res.Took.Round(time.Microsecond), q.Offset+1, q.Offset+shown)
	}
	for i, h := range res.Hits {
		date := "no date"
		if !h.Published.IsZero() {
			date = h.Published.Format("2006-01-02")
		}
		fmt.Fprintf(w, "%2d. %s%s%s\n", q.Offset+i+1, bold, console.CleanText(h.Title), reset)
		meta := []string{date}
		if h.Category != "" {
			meta = append(meta, console.CleanText(h.Category))
		}
		fmt.Fprintf(w, "    %s · %s\n", strings.Join(meta, " · "), console.CleanText(h.URL))
		for _, s := range h.Snippets {
			fmt.Fprintf(w, "    %s\n", markClean(s, before, after))
		}
		fmt.Fprintln(w)
	}
	if q.Facets {
		writeFacets(w, res.Facets)
	}
}

func writeFacets(w io.Writer, f index.Facets) {
	groups := []struct {
		name   string
		counts []index.FacetCount
	}{{"category", f.Category}, {"month", f.Month}, {"author", f.Author}, {"tag", f.Tag}, {"site", f.Site}}
	for _, g := range groups {
		if len(g.counts) == 0 {
			continue
		}
		fmt.Fprintf(w, "by %s:\n", g.name)
		for _, c := range g.counts {
			fmt.Fprintf(w, "  %6d  %s\n", c.Count, console.CleanText(c.Value))
		}
	}
}
