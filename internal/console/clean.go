package console

import (
	"strings"
	"unicode/utf8"
)

// CleanText removes from s what a terminal would act on rather than show:
// escape sequences (CSI such as ESC [ 2 J, and OSC, DCS and the other string
// sequences such as ESC ] 0 ; title BEL, whether introduced by ESC or by
// their C1 form), the other C0 controls but tab and newline (carriage return
// and backspace included, which can hide text), DEL, and the C1 controls.
// Archived text comes from the web: printed as it is, a title could retitle
// the terminal, clear it or move the cursor. JSON output needs none of this:
// the encoder escapes control characters.
func CleanText(s string) string {
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

// hasControl reports whether s holds a character CleanText removes.
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
