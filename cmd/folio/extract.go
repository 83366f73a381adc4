package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio"
	"folio/internal/job"
)

type extractOptions struct {
	url     string
	site    string
	explain bool
}

func (o *extractOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.url, "url", "", "the page's URL, for a file (sets the record's url, site and id, and resolves relative links)")
	f.StringVar(&o.site, "site", "", "use the rules of this configured site (default: the site of the page's host, else WordPress defaults)")
	f.BoolVar(&o.explain, "explain", false, "print which layer and rule gave each field (or why the page is not an article) instead of the record")
}

func newExtractCmd(g *globalOpts) *cobra.Command {
	var o extractOptions
	cmd := &cobra.Command{
		Use:   "extract FILE|URL",
		Short: "Print the record of one page as JSON, without storing it",
		Long: `Extract turns one page into its record and prints it as JSON, storing
nothing: a way to check a site's rules before crawling it. FILE is an HTML file
("-" reads standard input); a URL is fetched as a crawl would (robots.txt
obeyed).

With --explain, extract prints instead one line per field: the layer that gave
it (rules, metadata, heuristics, readability), the rule (selector, meta key,
JSON-LD property or heuristic) and the start of the value; for a page that is
not an article, the reason.

Exit status: 0 success, 1 when the page is not an article or cannot be read or
fetched, 2 usage error.`,
		Example: `  folio extract --url https://radio.example/2022/11/07/entre-la-coree/ page.html
  folio extract https://radio.example/2022/11/07/entre-la-coree/ | jq .published
  folio extract --explain --url https://radio.example/2022/11/07/entre-la-coree/ page.html`,
		Args: oneArg("an HTML FILE or a URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd.Context(), o, g, args[0])
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func runExtract(ctx context.Context, o extractOptions, g *globalOpts, arg string) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	isURL := strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://")
	pageURL := o.url
	if isURL && pageURL == "" {
		pageURL = arg
	}
	site := job.Site{}
	if o.site != "" {
		s, ok := cfg.Site(o.site)
		if !ok {
			return usageErrorf("--site %q: no such site in the config", o.site)
		}
		site = s
	} else if pageURL != "" {
		site = cfg.SiteFor(pageURL)
	}

	var page folio.Page
	if isURL {
		if page, err = job.FetchPage(ctx, arg, site, log); err != nil {
			return err
		}
	} else {
		if page, err = readPageFile(arg, pageURL, g); err != nil {
			return err
		}
	}
	if o.explain {
		a, expl, err := job.ExplainPage(page, site)
		if expl.NotArticle != "" {
			fmt.Fprintf(g.stdout, "not an article: %s\n", expl.NotArticle)
		} else if err == nil {
			if err := writeExplanation(g.stdout, a, expl); err != nil {
				return err
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", arg, err)
		}
		return nil
	}
	a, err := job.ExtractPage(page, site)
	if errors.Is(err, job.ErrNotArticle) {
		return fmt.Errorf("%s: %w", arg, err)
	}
	if err != nil {
		return fmt.Errorf("extract %s: %w", arg, err)
	}
	return writeJSON(g.stdout, a)
}

// readPageFile reads an HTML file, or stdin for "-" (job.ReadPage).
func readPageFile(path, pageURL string, g *globalOpts) (folio.Page, error) {
	if path == "-" {
		if g.stdin != nil {
			return job.ReadPage(g.stdin, path, pageURL)
		}
		return job.ReadPage(os.Stdin, path, pageURL)
	}
	f, err := os.Open(path)
	if err != nil {
		return folio.Page{}, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	return job.ReadPage(f, path, pageURL)
}

// writeExplanation prints one line per field of the record: the layer and
// rule that gave it and the start of its value; the fields no layer found
// follow as "none".
func writeExplanation(w io.Writer, a folio.Article, expl job.Explanation) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	var values map[string]any
	if err := json.Unmarshal(raw, &values); err != nil {
		return fmt.Errorf("explain: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIELD\tLAYER\tRULE\tVALUE")
	seen := map[string]bool{}
	for _, o := range expl.Fields {
		seen[o.Field] = true
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", o.Field, o.Layer, o.Rule, preview(values[o.Field]))
	}
	for _, f := range []string{"title", "published", "modified", "category", "tags", "author", "language",
		"summary", "body", "previous", "next", "related", "source_url", "comment_count", "images"} {
		if !seen[f] {
			fmt.Fprintf(tw, "%s\tnone\t\t%s\n", f, preview(values[f]))
		}
	}
	return tw.Flush()
}

// preview is the start of a field's value on one line.
func preview(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return "-"
	case string:
		s = v
	default:
		b, _ := json.Marshal(v)
		s = string(b)
	}
	s = folio.FoldSpace(s)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	if s == "" || s == "[]" {
		return "-"
	}
	return s
}
