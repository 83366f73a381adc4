package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"folio/internal/console"
	"folio/internal/job"
)

type reextractOptions struct {
	site  string
	since string
}

func newReextractCmd(g *globalOpts) *cobra.Command {
	var o reextractOptions
	cmd := &cobra.Command{
		Use:   "reextract",
		Short: "Extract the archived pages again, after the extractor or a site's rules improved",
		Long: `Reextract runs extraction again over the raw pages the archive keeps (the
latest capture of each record), with the rules a crawl applies to the page's
site: those of the configured site with a start URL on its host, else the
WordPress defaults. Nothing is fetched.

Each record is stored as a crawl would store it: a new revision when its text
(title or body) changed, rewritten in place without a revision when only other
fields changed (category, tags, dates, author…), left alone otherwise. A page
that is no longer taken for an article, or that extraction fails on, keeps its
record as it was; the summary counts them. A record keeps its archived URL
even when its page now names another canonical one. Records imported without
a raw page cannot be re-extracted; the summary counts them. The search index
then catches up with the records that changed.

--site takes the name of a configured site, or a host name of archived
records (as 'folio export --site'); --since keeps the records whose page was
fetched on or after that day (local time).

Exit status: 0 success (pages that are no longer articles, or that extraction
failed on, included: they are counted in the summary); 1 failure (the
archive or index could not be written, another folio holds the data
directory, or it was stopped by Ctrl-C: what was stored is indexed all the
same); 2 usage error (an unknown --site, a --since that is not a day).`,
		Example: `  folio reextract
  folio --config config.yaml reextract --site radio-exemple
  folio reextract --site radio.example --since 2024-03-01`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReextract(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.site, "site", "", "only the records of this configured site (by name), or of this host name")
	f.StringVar(&o.since, "since", "", "only the records whose page was fetched on or after this day (YYYY-MM-DD)")
	return cmd
}

func runReextract(ctx context.Context, g *globalOpts, o reextractOptions) error {
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	opts := job.ReextractOptions{Sites: cfg.Sites}
	if opts.Since, err = parseDay("--since", o.since); err != nil {
		return err
	}
	st, done, err := openWriter(cfg, log)
	if err != nil {
		return err
	}
	defer done()
	if o.site != "" {
		var unknown *job.UnknownSiteError
		if err := opts.OnlySite(ctx, st, o.site); errors.As(err, &unknown) {
			return usageErrorf("--site %v", err)
		} else if err != nil {
			return err
		}
	}
	ix, indexErr, err := openIndexOrArchiveOnly(cfg.DataDir, log, "re-extracting")
	if err != nil {
		return err
	}
	if ix != nil {
		defer ix.Close()
	}

	progress := console.NewProgress(g.stderr)
	sum, err := job.Reextract(ctx, job.Deps{Archive: st, Index: ix, Logger: log}, opts, func(s job.ReextractSummary) {
		progress.Show(s.ProgressLine(), false)
	})
	progress.Done()
	sum.WriteReport(g.stdout)
	switch {
	case err != nil && ctx.Err() != nil:
		return fmt.Errorf("reextract stopped: %w", context.Cause(ctx))
	case err != nil:
		return err
	case indexErr != nil:
		return fmt.Errorf("the records are archived, but not indexed: %w", indexErr)
	}
	return nil
}
