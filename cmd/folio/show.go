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

	"folio"
	"folio/archive"
	"folio/internal/console"
)

type showOptions struct {
	json      bool
	revisions bool
}

func (o *showOptions) AddFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.json, "json", false, "print the record as JSON (with --revisions: every revision's record)")
	f.BoolVar(&o.revisions, "revisions", false, "list the stored revisions of the record")
}

func newShowCmd(g *globalOpts) *cobra.Command {
	var o showOptions
	cmd := &cobra.Command{
		Use:   "show URL|ID",
		Short: "Print one archived record",
		Long: `Show prints the archived record of one article, found by its id, its
URL in any spelling the crawler takes for the same page (with or without
the trailing slash, a #fragment, utm_* and other tracking parameters), or
any URL that led to it (an old slug, a redirect). Text
output leaves out control characters and terminal escape sequences that
archived pages carry; --json keeps them, escaped.

Exit status: 0 success, 1 when there is no such record, 2 usage error.`,
		Example: `  folio show https://radio.example/2022/11/07/entre-la-coree-du-nord-et-la-russie/
  folio show --json 3f2a9c0d1b4e5f60 | jq .title`,
		Args: oneArg("a URL or an id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runShow(cmd.Context(), o, g, args[0])
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func runShow(ctx context.Context, o showOptions, g *globalOpts, ref string) error {
	cfg, st, err := g.readArchive()
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := st.Get(ctx, ref)
	if errors.Is(err, archive.ErrNotFound) && strings.Contains(ref, "://") {
		// Any spelling of the URL the crawler takes for the page: without
		// its fragment or tracking parameters, /slug for /slug/, an old
		// slug that redirected to it (an alias, under its canonical form).
		if canon, cerr := cfg.SiteFor(ref).CanonicalURL(ref); cerr == nil && canon != ref {
			a, err = st.Get(ctx, canon)
		}
	}
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("no record for %q in %s (give an id, or a URL of the article)", ref, cfg.DataDir)
	}
	if err != nil {
		return err
	}
	if o.revisions {
		revs, err := st.Revisions(ctx, a.ID)
		if err != nil {
			return err
		}
		return writeRevisions(g.stdout, a, revs, o.json)
	}
	if o.json {
		return writeJSON(g.stdout, a)
	}
	writeRecord(g.stdout, a)
	return nil
}

// writeJSON writes v indented, without escaping <, > and & (bodies hold
// HTML and French typography; readers are people and jq).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// writeRecord prints a record for reading in a terminal, without the
// control characters a page could carry (console.CleanText).
func writeRecord(w io.Writer, a folio.Article) {
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-10s %s\n", name+":", console.CleanText(value))
		}
	}
	title := console.CleanText(a.Title)
	fmt.Fprintln(w, title)
	fmt.Fprintln(w, strings.Repeat("=", min(len([]rune(title)), 78)))
	field("url", a.URL)
	field("id", a.ID)
	field("published", formatTime(a.Published))
	field("modified", formatTime(a.Modified))
	field("category", strings.Join(a.Categories, ", "))
	field("tags", strings.Join(a.Tags, ", "))
	field("author", a.Author)
	field("language", a.Language)
	field("source", a.SourceURL)
	if a.CommentCount != nil {
		field("comments", fmt.Sprint(*a.CommentCount))
	}
	if a.Previous != nil {
		field("previous", fmt.Sprintf("%s <%s>", a.Previous.Title, a.Previous.URL))
	}
	if a.Next != nil {
		field("next", fmt.Sprintf("%s <%s>", a.Next.Title, a.Next.URL))
	}
	for _, r := range a.Related {
		field("related", fmt.Sprintf("%s <%s>", r.Title, r.URL))
	}
	for _, img := range a.Images {
		field("image", img)
	}
	field("fetched", a.FetchedAt.Format(time.RFC3339))
	// The summary is often the body's first paragraph (a WordPress
	// excerpt, an og:description): printed once.
	if a.Summary != "" && !strings.HasPrefix(folio.FoldSpace(a.Body), folio.FoldSpace(a.Summary)) {
		fmt.Fprintf(w, "\n%s\n", console.CleanText(a.Summary))
	}
	fmt.Fprintf(w, "\n%s\n", console.CleanText(a.Body))
}

func writeRevisions(w io.Writer, a folio.Article, revs []archive.Revision, asJSON bool) error {
	if asJSON {
		records := make([]folio.Article, len(revs))
		for i, r := range revs {
			records[i] = r.Record
		}
		return writeJSON(w, records)
	}
	fmt.Fprintf(w, "%s\n%s\n\n", console.CleanText(a.Title), console.CleanText(a.URL))
	for _, r := range revs {
		fmt.Fprintf(w, "revision %d  fetched %s  stored %s  hash %.12s  %q\n", r.Number,
			r.FetchedAt.Format(time.RFC3339), r.StoredAt.Format(time.RFC3339), r.ContentHash, r.Record.Title)
	}
	return nil
}

func formatTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}
