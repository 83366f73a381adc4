package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/index"
)

type searchOptions struct {
	category, author, site, tag string
	since, until                string
	sort                        string
	limit, offset               int
	json, fuzzy, facets         bool
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
	f.BoolVar(&o.json, "json", false, "one JSON object per hit on stdout (id, url, title, published, category, score, snippets)")
	f.BoolVar(&o.fuzzy, "fuzzy", false, "let words match with a typo or two")
	f.BoolVar(&o.facets, "facets", false, "also print counts by category and by month")
}

const searchLong = `Search the archive's full-text index.

Words match in the title, summary and body, ignoring case and accents, with
French and English stemming and elision (l’Europe finds Europe, coree finds
Corée, migrant finds migrants). Every word must match; the title counts most.

Query syntax (bleve's query string):
  corée russie            both words
  "pont ferroviaire"      the exact phrase
  +russie -ukraine        russie required, ukraine excluded
  title:corée             a word in one field (title, summary, body, author,
                          category, tags, site)
  category:"L'Europe"     a keyword field, exactly
  published:>="2022-11-01"  a date range
  russ*  /cor[eé]e/  obus~1   wildcard, regular expression, fuzzy

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
  folio search --json obus | jq .url`,
		Args: cobra.MaximumNArgs(1),
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
	q := index.Query{
		Text: text, Category: o.category, Author: o.author, Site: o.site, Tag: o.tag,
		Sort: o.sort, Limit: o.limit, Offset: o.offset, Fuzzy: o.fuzzy, Facets: o.facets,
	}
	var err error
	if q.Since, err = parseDay("--since", o.since); err != nil {
		return q, err
	}
	if q.Until, err = parseDay("--until", o.until); err != nil {
		return q, err
	}
	if !q.Until.IsZero() {
		q.Until = q.Until.AddDate(0, 0, 1) // --until is inclusive of its day
	}
	if o.limit < 1 {
		return q, usageErrorf("--limit %d: must be at least 1", o.limit)
	}
	if o.offset < 0 {
		return q, usageErrorf("--offset %d: must not be negative", o.offset)
	}
	return q, nil
}

// parseDay reads YYYY-MM-DD as the start of that day in local time.
func parseDay(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, usageErrorf("%s %q: want a day as YYYY-MM-DD", flag, s)
	}
	return t, nil
}

func runSearch(ctx context.Context, o searchOptions, g *globalOpts, text string) error {
	log, err := g.logger()
	if err != nil {
		return err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	q, err := o.query(text)
	if err != nil {
		return err
	}
	ix, err := index.Open(indexDir(cfg.DataDir), index.Options{ReadOnly: true, Logger: log})
	if err != nil {
		if errors.Is(err, index.ErrNotFound) {
			return fmt.Errorf("no search index in %s: crawl a site first ('folio --data %s crawl URL') or rebuild it ('folio --data %s reindex')", cfg.DataDir, cfg.DataDir, cfg.DataDir)
		}
		return fmt.Errorf("open index: %w", err)
	}
	defer ix.Close()
	res, err := ix.Search(ctx, q)
	if err != nil {
		var qe *index.QueryError
		if errors.As(err, &qe) {
			return &usageError{err: err}
		}
		return err
	}
	if o.json {
		return writeHitsJSON(g.stdout, res)
	}
	writeHits(g.stdout, res, q, isTerminal(g.stdout))
	return nil
}

// hitJSON is one --json line.
type hitJSON struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Published *string  `json:"published"`
	Category  string   `json:"category"`
	Score     float64  `json:"score"`
	Snippets  []string `json:"snippets"`
}

func writeHitsJSON(w io.Writer, res index.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, h := range res.Hits {
		out := hitJSON{ID: h.ID, URL: h.URL, Title: h.Title, Category: h.Category, Score: h.Score, Snippets: []string{}}
		if !h.Published.IsZero() {
			p := h.Published.Format(time.RFC3339)
			out.Published = &p
		}
		for _, s := range h.Snippets {
			out.Snippets = append(out.Snippets, index.Mark(s, "", ""))
		}
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("write hits: %w", err)
		}
	}
	return nil
}

// writeHits prints the hits for people: rank, title, date, category, URL and
// a snippet, matched words in bold on a terminal and between «» otherwise.
func writeHits(w io.Writer, res index.Result, q index.Query, tty bool) {
	before, after, bold, reset := "«", "»", "", ""
	if tty {
		before, after, bold, reset = "\x1b[1;33m", "\x1b[0m", "\x1b[1m", "\x1b[0m"
	}
	shown := len(res.Hits)
	if res.Total == 0 {
		fmt.Fprintln(w, "no matches")
	} else {
		fmt.Fprintf(w, "%d matches (%s); showing %d–%d\n\n", res.Total, res.Took.Round(time.Microsecond), q.Offset+1, q.Offset+shown)
	}
	for i, h := range res.Hits {
		date := "no date"
		if !h.Published.IsZero() {
			date = h.Published.Format("2006-01-02")
		}
		fmt.Fprintf(w, "%2d. %s%s%s\n", q.Offset+i+1, bold, h.Title, reset)
		meta := []string{date}
		if h.Category != "" {
			meta = append(meta, h.Category)
		}
		fmt.Fprintf(w, "    %s · %s\n", strings.Join(meta, " · "), h.URL)
		for _, s := range h.Snippets {
			fmt.Fprintf(w, "    %s\n", index.Mark(s, before, after))
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
			fmt.Fprintf(w, "  %6d  %s\n", c.Count, c.Value)
		}
	}
}
