package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"folio/archive"
	"folio/internal/console"
)

func newStatsCmd(g *globalOpts) *cobra.Command {
	var asJSON bool
	var runs int
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "What the archive holds, per site, category and month, and the recent runs",
		Long: `Stats sums up the archive: records, revisions and raw captures; articles per
site, per category and per month of publication; and the most recent crawl runs
with their figures.

It first runs SQLite's quick check of the whole archive file, and fails on a
damaged one rather than give what it could read (on PostgreSQL, it checks
that the database answers with this folio's schema version).

Exit status: 0 success, 1 failure (a damaged archive included), 2 usage error.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStats(cmd.Context(), g, asJSON, runs)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as one JSON object")
	cmd.Flags().IntVar(&runs, "runs", 10, "number of recent runs to list")
	return cmd
}

func runStats(ctx context.Context, g *globalOpts, asJSON bool, nRuns int) error {
	_, st, err := g.readArchive()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := checkArchive(ctx, st); err != nil {
		return err
	}
	s, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	runs, err := st.Runs(ctx, nRuns)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(g.stdout, archive.NewStatsRecord(s, runs))
	}
	writeStats(g.stdout, s, runs)
	return nil
}

func writeStats(w io.Writer, s archive.Stats, runs []archive.Run) {
	fmt.Fprintf(w, "%d articles, %d revisions, %d raw captures (%s fetched, %s stored)\n",
		s.Articles, s.Revisions, s.Captures, humanBytes(s.CaptureBytes), humanBytes(s.StoredBytes))
	section := func(title string, counts []archive.Count, key bool) {
		if len(counts) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s\n", title)
		for _, c := range counts {
			label := c.Site
			if key {
				k := c.Key
				if k == "" {
					k = "(none)"
				}
				label = c.Site + "  " + k
			}
			fmt.Fprintf(w, "  %7d  %s\n", c.Articles, console.CleanText(label))
		}
	}
	section("by site", s.Sites, false)
	section("by category", s.Categories, true)
	section("by month", s.Months, true)
	if len(runs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nrecent runs\n")
	for _, r := range runs {
		ended := "running or killed"
		if !r.Ended.IsZero() {
			ended = r.Ended.Sub(r.Started).Round(time.Second).String()
		}
		line := fmt.Sprintf("  #%d %s %s (%s, %s): fetched %d, new %d, changed %d, unchanged %d, 304 %d, errors %d",
			r.ID, r.Started.Format("2006-01-02 15:04"), console.CleanText(r.Site), console.CleanText(string(r.Trigger)), ended, r.Fetched, r.New, r.Changed, r.Unchanged, r.NotModified, r.Errors)
		if r.Failure != "" {
			line += " — " + runFailure(r.Failure)
		}
		fmt.Fprintln(w, line)
	}
}

// runFailure words why a run did not finish: stopped by a signal (it
// resumes on the next run) or failed, with the first line of the cause.
func runFailure(failure string) string {
	if strings.Contains(failure, context.Canceled.Error()) {
		return "interrupted (the next run resumes it)"
	}
	return "failed: " + console.CleanText(strings.SplitN(failure, "\n", 2)[0])
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
