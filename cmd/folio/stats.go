package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"folio/archive"
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
damaged one rather than give what it could read.

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

type statsJSON struct {
	Articles     int64               `json:"articles"`
	Revisions    int64               `json:"revisions"`
	Captures     int64               `json:"captures"`
	CaptureBytes int64               `json:"capture_bytes"`
	StoredBytes  int64               `json:"stored_bytes"`
	Sites        []siteCountJSON     `json:"sites"`
	Categories   []categoryCountJSON `json:"categories"`
	Months       []monthCountJSON    `json:"months"`
	Runs         []runJSON           `json:"runs"`
}

type siteCountJSON struct {
	Site     string `json:"site"`
	Articles int64  `json:"articles"`
}

// categoryCountJSON counts a site's articles of one category ("": none).
type categoryCountJSON struct {
	Site     string `json:"site"`
	Category string `json:"category"`
	Articles int64  `json:"articles"`
}

// monthCountJSON counts a site's articles published in one month
// (YYYY-MM; "": no date).
type monthCountJSON struct {
	Site     string `json:"site"`
	Month    string `json:"month"`
	Articles int64  `json:"articles"`
}

type runJSON struct {
	ID           int64          `json:"id"`
	Site         string         `json:"site"`
	Trigger      string         `json:"trigger"`
	Started      time.Time      `json:"started"`
	Ended        *time.Time     `json:"ended"`
	Fetched      int            `json:"fetched"`
	New          int            `json:"new"`
	Changed      int            `json:"changed"`
	Unchanged    int            `json:"unchanged"`
	NotModified  int            `json:"not_modified"`
	Errors       int            `json:"errors"`
	ErrorsByKind map[string]int `json:"errors_by_kind"`
	Failure      string         `json:"failure,omitempty"`
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
		out := statsJSON{Articles: s.Articles, Revisions: s.Revisions, Captures: s.Captures,
			CaptureBytes: s.CaptureBytes, StoredBytes: s.StoredBytes,
			Sites: []siteCountJSON{}, Categories: []categoryCountJSON{}, Months: []monthCountJSON{}, Runs: []runJSON{}}
		for _, c := range s.Sites {
			out.Sites = append(out.Sites, siteCountJSON{Site: c.Site, Articles: c.Articles})
		}
		for _, c := range s.Categories {
			out.Categories = append(out.Categories, categoryCountJSON{Site: c.Site, Category: c.Key, Articles: c.Articles})
		}
		for _, c := range s.Months {
			out.Months = append(out.Months, monthCountJSON{Site: c.Site, Month: c.Key, Articles: c.Articles})
		}
		for _, r := range runs {
			rj := runJSON{ID: r.ID, Site: r.Site, Trigger: string(r.Trigger), Started: r.Started, Fetched: r.Fetched,
				New: r.New, Changed: r.Changed, Unchanged: r.Unchanged, NotModified: r.NotModified,
				Errors: r.Errors, ErrorsByKind: r.ErrorsByKind, Failure: r.Failure}
			if !r.Ended.IsZero() {
				e := r.Ended
				rj.Ended = &e
			}
			out.Runs = append(out.Runs, rj)
		}
		return writeJSON(g.stdout, out)
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
			fmt.Fprintf(w, "  %7d  %s\n", c.Articles, cleanText(label))
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
			r.ID, r.Started.Format("2006-01-02 15:04"), cleanText(r.Site), cleanText(string(r.Trigger)), ended, r.Fetched, r.New, r.Changed, r.Unchanged, r.NotModified, r.Errors)
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
	return "failed: " + cleanText(strings.SplitN(failure, "\n", 2)[0])
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
