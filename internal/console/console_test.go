package console

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"folio/internal/syncbuf"
)

func TestProgressLineSilentWhenNotATerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := NewProgress(&buf)
	for range 3 {
		p.Show("radio.example: fetched 1", false)
		time.Sleep(120 * time.Millisecond)
	}
	p.Done()
	if buf.Len() != 0 {
		t.Errorf("progress written to a non-terminal: %q", buf.String())
	}
}

// TestProgressLineDraws draws the line on a buffer as on a terminal of 40
// columns: every drawing fits in 39, a log line written meanwhile comes
// above the line, which is drawn again below it, and the line is cleared
// at the end.
func TestProgressLineDraws(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	st := &Status{out: &buf, width: func() int { return 40 }}
	if NewStatus(&buf) != nil {
		t.Error("a buffer taken for a terminal")
	}
	p := NewProgress(st)
	long := "radio.example: fetched 12, queued 45 | articles new 7, changed 2, unchanged 30"
	p.Show(long, false)
	time.Sleep(250 * time.Millisecond)
	log := slog.New(slog.NewTextHandler(st, nil))
	log.Info("robots.txt read", "host", "radio.example")
	p.Show("radio.example: fetched 40", true)
	p.Done()
	out := buf.String()

	segments := strings.Split(out, clearLine)
	for _, seg := range segments {
		line := seg
		if i := strings.LastIndex(seg, "\n"); i >= 0 {
			line = seg[i+1:]
		}
		if n := utf8.RuneCountInString(line); n > 39 {
			t.Errorf("a drawing of %d runes on 40 columns: %q", n, line)
		}
	}
	if !strings.Contains(out, "radio.example: fetched 12, queued…") {
		t.Errorf("the long line was not drawn cut: %q", out)
	}
	if !strings.Contains(out, "radio.example: fetched 40") {
		t.Errorf("the last line was not drawn: %q", out)
	}
	// The log line starts on a cleared line and the status line follows it.
	i := strings.Index(out, "time=")
	if i < 0 || !strings.HasSuffix(out[:i], clearLine) {
		t.Fatalf("log line not printed on a cleared line: %q", out)
	}
	rest := out[i:]
	nl := strings.Index(rest, "\n")
	if after := rest[nl+1:]; !strings.Contains(after, "radio.example: fetched 12") {
		t.Errorf("the status line is not drawn again below the log: %q", after)
	}
	if last := segments[len(segments)-1]; last != "" {
		t.Errorf("the line is not cleared at the end: %q", last)
	}
}

func TestFitWidth(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		line  string
		width int
		want  string
	}{
		{"abc", 80, "abc"},
		{"abcdef", 6, "abcd…"},
		{"abcdef", 7, "abcdef"},
		{"éèàùçô", 5, "éèà…"},
		{strings.Repeat("x", 100), 0, strings.Repeat("x", 78) + "…"},
		{"abc", 1, ""},
	} {
		if got := fitWidth(tt.line, tt.width); got != tt.want {
			t.Errorf("fitWidth(%q, %d) = %q, want %q", tt.line, tt.width, got, tt.want)
		}
	}
}

// TestUseColor: --color always and never decide; auto colours a terminal
// unless NO_COLOR is set or TERM is dumb.
func TestUseColor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		mode    string
		env     map[string]string
		tty     bool
		colored bool
	}{
		{"auto", nil, true, true},
		{"", nil, true, true},
		{"auto", nil, false, false},
		{"auto", map[string]string{"NO_COLOR": "1"}, true, false},
		{"auto", map[string]string{"NO_COLOR": ""}, true, true},
		{"auto", map[string]string{"TERM": "dumb"}, true, false},
		{"auto", map[string]string{"TERM": "xterm-256color"}, true, true},
		{"always", map[string]string{"NO_COLOR": "1", "TERM": "dumb"}, false, true},
		{"never", nil, true, false},
	} {
		if got := UseColor(tt.mode, func(k string) string { return tt.env[k] }, tt.tty); got != tt.colored {
			t.Errorf("UseColor(%q, %v, tty %v) = %v, want %v", tt.mode, tt.env, tt.tty, got, tt.colored)
		}
	}
}

// TestNoteAfter: a wait stopped within a second says nothing; a longer one
// prints its note once, whole.
func TestNoteAfter(t *testing.T) {
	t.Parallel()
	var quick syncbuf.Buffer
	stop := NoteAfter(&quick, "waiting…\n")
	stop()
	stop()
	var slow syncbuf.Buffer
	stopSlow := NoteAfter(&slow, "waiting…\n")
	time.Sleep(1200 * time.Millisecond)
	stopSlow()
	stopSlow()
	if got := quick.String(); got != "" {
		t.Errorf("a short wait printed %q", got)
	}
	if got := slow.String(); got != "waiting…\n" {
		t.Errorf("a long wait printed %q, want the note once", got)
	}
}
