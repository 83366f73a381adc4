package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

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

// colorOn tells whether output to w gets colour, as --color says: always,
// never, or (auto) on a terminal unless NO_COLOR is set or TERM is dumb.
func (g *globalOpts) colorOn(w io.Writer) bool {
	return useColor(g.color, os.Getenv, isTerminal(w))
}

// useColor decides colour for the --color mode, the environment getenv
// reads (NO_COLOR, https://no-color.org; TERM) and whether the output is a
// terminal. The flag outranks the environment.
func useColor(mode string, getenv func(string) string, tty bool) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return tty
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

// cleanText removes from s what a terminal would act on rather than show:
// escape sequences (CSI such as ESC [ 2 J, and OSC, DCS and the other string
// sequences such as ESC ] 0 ; title BEL, whether introduced by ESC or by
// their C1 form), the other C0 controls but tab and newline (carriage return
// and backspace included, which can hide text), DEL, and the C1 controls.
// Archived text comes from the web: printed as it is, a title could retitle
// the terminal, clear it or move the cursor. JSON output needs none of this:
// the encoder escapes control characters.
func cleanText(s string) string {
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b && i+1 < len(s):
			i += size
			switch c := s[i]; {
			case c == '[':
				i = skipCSI(s, i+1)
			case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
				i = skipString(s, i+1)
			case c >= 0x20 && c < 0x7f: // a two-character sequence
				i++
			}
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\t' || r == '\n':
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			i += size
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// hasControl reports whether s holds a character cleanText removes.
func hasControl(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return true
		}
	}
	return false
}

// skipCSI returns the index after the control sequence whose parameters
// start at s[i]: parameter and intermediate bytes, then one final byte. A
// sequence cut short by another character ends there.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString returns the index after the string sequence (OSC, DCS…) whose
// text starts at s[i], ended by BEL, ESC \ or ST. Unterminated, only its
// introducer is dropped: the text after it stays readable.
func skipString(s string, i int) int {
	for j := i; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case r == 0x07 || r == 0x9c:
			return j + size
		case r == 0x1b && j+1 < len(s) && s[j+1] == '\\':
			return j + 2
		}
		j += size
	}
	return i
}
