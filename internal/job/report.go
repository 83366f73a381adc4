package job

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// ProgressLine renders a run's counts as one line, as a progress display
// shows them while the run goes on.
func (s Summary) ProgressLine() string {
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

// WriteReport writes the end-of-run report of one crawl, for people.
func (s Summary) WriteReport(w io.Writer) {
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
func formatCounts[K ~string](m map[K]int) string {
	keys := make([]K, 0, len(m))
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

// SummaryRecord is a run's summary as JSON (folio crawl --json): one
// object per site.
type SummaryRecord struct {
	Site            string             `json:"site"`
	Run             int64              `json:"run"`
	Completed       bool               `json:"completed"`
	Error           string             `json:"error,omitempty"`
	ElapsedSeconds  float64            `json:"elapsed_seconds"`
	Requests        int                `json:"requests"`
	Pages           int                `json:"pages"`
	NotModified     int                `json:"not_modified"`
	New             int                `json:"new"`
	Changed         int                `json:"changed"`
	Unchanged       int                `json:"unchanged"`
	NotArticles     int                `json:"not_articles"`
	Indexed         int                `json:"indexed"`
	Skipped         int                `json:"skipped"`
	SkippedByReason map[SkipReason]int `json:"skipped_by_reason"`
	Errors          int                `json:"errors"`
	ErrorsByKind    map[string]int     `json:"errors_by_kind"`
}

// Record is s as JSON; runErr is the error the run returned, nil when it
// completed.
func (s Summary) Record(runErr error) SummaryRecord {
	out := SummaryRecord{
		Site: s.Site, Run: s.RunID, Completed: runErr == nil && !s.Interrupted,
		ElapsedSeconds: s.Elapsed.Seconds(), Requests: s.Crawl.Requests, Pages: s.Crawl.Pages,
		NotModified: s.Crawl.NotModified, New: s.New, Changed: s.Changed, Unchanged: s.Unchanged,
		NotArticles: s.NotArticles, Indexed: s.Indexed, Skipped: s.Crawl.Skipped,
		SkippedByReason: s.Crawl.SkippedByReason, Errors: s.Errors, ErrorsByKind: s.ErrorsByKind,
	}
	if runErr != nil {
		out.Error = runErr.Error()
	}
	return out
}

// ProgressLine renders a re-extraction's counts as one line, as a progress
// display shows them while it goes on.
func (s ReextractSummary) ProgressLine() string {
	line := fmt.Sprintf("reextract: %d records, %d changed, %d updated, %d unchanged, %d no longer articles",
		s.Records, s.Changed, s.Updated, s.Unchanged, s.NotArticles)
	if s.Indexed > 0 {
		line += fmt.Sprintf("; %d indexed", s.Indexed)
	}
	return line
}

// WriteReport writes what a re-extraction did, in one line, for people.
func (s ReextractSummary) WriteReport(w io.Writer) {
	parts := []string{
		fmt.Sprintf("%d changed (a new revision each)", s.Changed),
		fmt.Sprintf("%d updated in place (same text, other fields changed)", s.Updated),
		fmt.Sprintf("%d unchanged", s.Unchanged),
	}
	if s.NotArticles > 0 {
		parts = append(parts, plural(s.NotArticles, "no longer an article (record kept as it was)",
			"no longer articles (records kept as they were)"))
	}
	if s.Errors > 0 {
		parts = append(parts, plural(s.Errors, "failed (record kept as it was; see the log)",
			"failed (records kept as they were; see the log)"))
	}
	line := fmt.Sprintf("re-extracted %s in %s: %s; %d indexed",
		plural(s.Records, "record", "records"), s.Elapsed.Round(time.Millisecond), strings.Join(parts, ", "), s.Indexed)
	if s.Kept > 0 {
		line += "; " + plural(s.Kept, "record whose page now names another URL kept its archived one",
			"records whose pages now name other URLs kept their archived ones")
	}
	if s.NoCapture > 0 {
		line += "; " + plural(s.NoCapture, "record without a raw page (imported) left as it was",
			"records without a raw page (imported) left as they were")
	}
	fmt.Fprintln(w, line)
}

// plural is "1 record" or "n records".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
