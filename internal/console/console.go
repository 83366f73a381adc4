package console

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal, for progress lines and
// highlighting: neither is written when output is piped or redirected.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// UseColor decides colour for the --color mode, the environment getenv
// reads (NO_COLOR, https://no-color.org; TERM) and whether the output is a
// terminal. The flag outranks the environment.
func UseColor(mode string, getenv func(string) string, tty bool) bool {
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

// Status is stderr when it is a terminal: it keeps one status line
// (progress) at the bottom, and everything else written to it (logs,
// notes) is printed above that line, which is drawn again below.
type Status struct {
	mu  sync.Mutex
	out io.Writer
	// width is the terminal's width in columns; 0 when unknown.
	width func() int
	// line is the status line drawn now, as drawn; "" when none.
	line string
}

// NewStatus returns a Status on w when w is a terminal that can
// clear a line (TERM is not dumb), else nil.
func NewStatus(w io.Writer) *Status {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	return &Status{out: f, width: func() int {
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
func (s *Status) Write(p []byte) (int, error) {
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
func (s *Status) draw(line string) {
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

// Progress shows one status line on a terminal: a spinner, the time
// elapsed and the line, redrawn every spinnerTick and fitted to the
// terminal's width; logs go above it (Status). It clears the line
// when done. On anything but a terminal (stderr piped or redirected, or
// TERM=dumb) it writes nothing.
type Progress struct {
	term *Status // nil: not a terminal

	mu      sync.Mutex
	text    string
	started time.Time
	frame   int
	stop    chan struct{} // closed by Done; nil while not drawing
	stopped chan struct{}
}

// spinnerTick is how often the line is redrawn.
const spinnerTick = 100 * time.Millisecond

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// NewProgress draws on w when w is a Status (stderr on a terminal).
func NewProgress(w io.Writer) *Progress {
	st, _ := w.(*Status)
	return &Progress{term: st}
}

// Show replaces the text of the line; force draws it now rather than at
// the next tick.
func (p *Progress) Show(line string, force bool) {
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

func (p *Progress) run(stop, stopped chan struct{}) {
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

func (p *Progress) redraw() {
	p.mu.Lock()
	p.frame = (p.frame + 1) % len(spinnerFrames)
	// The time first: a line cut to the terminal's width keeps it.
	line := fmt.Sprintf("%s %s %s", spinnerFrames[p.frame], time.Since(p.started).Round(time.Second), p.text)
	p.mu.Unlock()
	p.term.draw(line)
}

// Done clears the line so the summary starts on a clean one, and stops
// redrawing it; a later Show draws it again.
func (p *Progress) Done() {
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

// NoteAfter prints note on w unless the function it returns is called
// within a second: a wait that long deserves a word. Once stop returns,
// the note is printed whole or not at all; stop may be called again.
func NoteAfter(w io.Writer, note string) (stop func()) {
	noted := make(chan struct{})
	t := time.AfterFunc(time.Second, func() {
		defer close(noted)
		fmt.Fprint(w, note)
	})
	return sync.OnceFunc(func() {
		if !t.Stop() {
			<-noted
		}
	})
}
