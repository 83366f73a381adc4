package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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

// statusTerm is stderr when it is a terminal: it keeps one status line
// (progress) at the bottom, and everything else written to it (logs,
// notes) is printed above that line, which is drawn again below.
type statusTerm struct {
	mu  sync.Mutex
	out io.Writer
	// width is the terminal's width in columns; 0 when unknown.
	width func() int
	// line is the status line drawn now, as drawn; "" when none.
	line string
}

// newStatusTerm returns a statusTerm on f when f is a terminal that can
// clear a line (TERM is not dumb), else nil.
func newStatusTerm(w io.Writer) *statusTerm {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	return &statusTerm{out: f, width: func() int {
		cols, _, err := term.GetSize(int(f.Fd()))
		if err != nil {
			return 0
		}
		return cols
	}}
}

// clearLine returns the cursor to the start of the line and erases it.
const clearLine = "\r\x1b[K"

// Write prints p above the status line.
func (s *statusTerm) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.line == "" {
		return s.out.Write(p)
	}
	var b strings.Builder
	b.WriteString(clearLine)
	b.Write(p)
	if len(p) > 0 && p[len(p)-1] == '\n' {
		b.WriteString(s.line)
	} else {
		// A partial line: the status line waits for the next draw.
		s.line = ""
	}
	if _, err := io.WriteString(s.out, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// draw replaces the status line with line, cut to fit the terminal's
// width (a line that wrapped could not be erased); "" clears it.
func (s *statusTerm) draw(line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if line != "" {
		line = fitWidth(line, s.width())
	}
	if line == s.line {
		return
	}
	io.WriteString(s.out, clearLine+line)
	s.line = line
}

// fitWidth cuts line to fewer runes than width columns (the last column
// left free, where some terminals wrap at once), with an ellipsis; width 0,
// unknown, counts as 80.
func fitWidth(line string, width int) string {
	if width <= 0 {
		width = 80
	}
	limit := width - 1
	if utf8.RuneCountInString(line) <= limit {
		return line
	}
	if limit < 2 {
		return ""
	}
	runes := []rune(line)
	return string(runes[:limit-1]) + "…"
}

// progressLine shows one status line on a terminal: a spinner, the time
// elapsed and the line, redrawn every spinnerTick and fitted to the
// terminal's width; logs go above it (statusTerm). It clears the line
// when done. On anything but a terminal (stderr piped or redirected, or
// TERM=dumb) it writes nothing.
type progressLine struct {
	term *statusTerm // nil: not a terminal

	mu      sync.Mutex
	text    string
	started time.Time
	frame   int
	stop    chan struct{} // closed by done; nil while not drawing
	stopped chan struct{}
}

// spinnerTick is how often the line is redrawn.
const spinnerTick = 100 * time.Millisecond

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// newProgressLine draws on w when w is folio's stderr on a terminal.
func newProgressLine(w io.Writer) *progressLine {
	st, _ := w.(*statusTerm)
	return &progressLine{term: st}
}

// show replaces the text of the line; force draws it now rather than at
// the next tick.
func (p *progressLine) show(line string, force bool) {
	if p.term == nil {
		return
	}
	p.mu.Lock()
	p.text = line
	if p.stop == nil {
		p.started = time.Now()
		p.stop, p.stopped = make(chan struct{}), make(chan struct{})
		go p.run(p.stop, p.stopped)
		force = true
	}
	p.mu.Unlock()
	if force {
		p.redraw()
	}
}

func (p *progressLine) run(stop, stopped chan struct{}) {
	defer close(stopped)
	t := time.NewTicker(spinnerTick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.redraw()
		}
	}
}

func (p *progressLine) redraw() {
	p.mu.Lock()
	p.frame = (p.frame + 1) % len(spinnerFrames)
	// The time first: a line cut to the terminal's width keeps it.
	line := fmt.Sprintf("%s %s %s", spinnerFrames[p.frame], time.Since(p.started).Round(time.Second), p.text)
	p.mu.Unlock()
	p.term.draw(line)
}

// done clears the line so the summary starts on a clean one, and stops
// redrawing it; a later show draws it again.
func (p *progressLine) done() {
	if p.term == nil {
		return
	}
	p.mu.Lock()
	stop, stopped := p.stop, p.stopped
	p.stop = nil
	p.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-stopped
	p.term.draw("")
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
