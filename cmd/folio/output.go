package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"folio/internal/job"
)

// isTerminal reports whether w is a terminal, for progress lines and
// highlighting: neither is written when output is piped or redirected.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressLine shows one status line on a terminal: a spinner, the line,
// and the time elapsed, drawn by progressbar, which redraws it at most ten
// times a second and clears it when done. On anything but a terminal it
// writes nothing.
type progressLine struct {
	bar *progressbar.ProgressBar // nil: not a terminal
}

func newProgressLine(w io.Writer) *progressLine {
	if !isTerminal(w) {
		return &progressLine{}
	}
	return &progressLine{bar: newSpinner(w)}
}

// newSpinner is the bar of a task of unknown length, drawn on w.
func newSpinner(w io.Writer) *progressbar.ProgressBar {
	return progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionClearOnFinish(),
	)
}

// show replaces the line; force draws it now rather than at the next
// redraw.
func (p *progressLine) show(line string, force bool) {
	if p.bar == nil {
		return
	}
	p.bar.Describe(line + " ")
	if force {
		p.bar.RenderBlank()
	}
}

// done clears the line so the summary starts on a clean one, and stops
// the spinner.
func (p *progressLine) done() {
	if p.bar == nil {
		return
	}
	p.bar.Finish()
}

// crawlProgress renders a run's counts as one line.
func crawlProgress(s job.Summary) string {
	rate := 0.0
	if secs := s.Crawl.Elapsed.Seconds(); secs > 0 {
		rate = float64(s.Crawl.Pages+s.Crawl.NotModified) / secs
	}
	line := fmt.Sprintf("%s: fetched %d, queued %d | articles new %d, changed %d, unchanged %d, 304 %d | errors %d | %.1f pages/s",
		s.Site, s.Crawl.Fetched, s.Crawl.Queued, s.New, s.Changed, s.Unchanged, s.Crawl.NotModified, s.Errors, rate)
	if s.Crawl.Waiting > 0 {
		// A long Crawl-delay or Retry-After: say why nothing moves.
		line += fmt.Sprintf(" | %d hosts waiting", s.Crawl.Waiting)
	}
	return line
}

// printSummary writes the end-of-run report of one crawl.
func printSummary(w io.Writer, s job.Summary) {
	state := "finished"
	if s.Interrupted {
		state = "stopped (resumable: run the same crawl again to continue)"
	}
	rate := 0.0
	if secs := s.Elapsed.Seconds(); secs > 0 {
		rate = float64(s.Crawl.Fetched) / secs
	}
	fmt.Fprintf(w, "crawl of %s %s in %s (%.1f pages/s)\n", s.Site, state, s.Elapsed.Round(10*time.Millisecond), rate)
	fmt.Fprintf(w, "  requests %d, pages %d, not modified %d, feeds/sitemaps %d, skipped %d\n",
		s.Crawl.Requests, s.Crawl.Pages, s.Crawl.NotModified, s.Crawl.Feeds, s.Crawl.Skipped)
	fmt.Fprintf(w, "  articles: %d new, %d changed, %d unchanged; %d pages were not articles; %d records indexed\n",
		s.New, s.Changed, s.Unchanged, s.NotArticles, s.Indexed)
	if len(s.Crawl.SkippedByReason) > 0 {
		fmt.Fprintf(w, "  skipped by reason: %s\n", formatCounts(s.Crawl.SkippedByReason))
	}
	if s.Errors > 0 {
		fmt.Fprintf(w, "  errors: %d (%s)\n", s.Errors, formatCounts(s.ErrorsByKind))
	} else {
		fmt.Fprintln(w, "  errors: 0")
	}
}

// formatCounts renders a map of counts as "a 3, b 1", largest first.
func formatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k, n := range m {
		if n > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
