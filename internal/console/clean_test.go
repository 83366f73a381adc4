package console

import "testing"

func TestCleanText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain text is kept", "Corée du Nord — 한국 «ok»", "Corée du Nord — 한국 «ok»"},
		{"tab and newline are kept", "a\tb\nc", "a\tb\nc"},
		{"OSC retitling, ended by BEL", "Titre\x1b]0;pwned\x07 fin", "Titre fin"},
		{"OSC ended by ST", "a\x1b]8;;https://evil.example/\x1b\\lien\x1b]8;;\x1b\\b", "alienb"},
		{"CSI clear screen", "\x1b[2J\x1b[HTitre", "Titre"},
		{"CSI with parameters", "a\x1b[1;31mrouge\x1b[0m", "arouge"},
		{"two-character escape", "a\x1bcb", "ab"},
		{"C1 CSI", "a\u009b2Jb", "ab"},
		{"C1 OSC", "a\u009d0;x\u009cb", "ab"},
		{"other C1", "a\u0085b", "ab"},
		{"carriage return and backspace", "safe\rrm -rf\b\b", "saferm -rf"},
		{"NUL, BEL and DEL", "a\x00\x07\x7fb", "ab"},
		{"unterminated OSC keeps the text", "a\x1b]0;rest", "a0;rest"},
		{"lone ESC at the end", "a\x1b", "a"},
		{"invalid UTF-8 is left alone", "a\xffb", "a\xffb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanText(tt.in); got != tt.want {
				t.Errorf("CleanText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
