package index

import "testing"

func TestMark(t *testing.T) {
	for _, tc := range []struct{ snippet, before, after, want string }{
		{"", "[", "]", ""},
		{"no match here", "[", "]", "no match here"},
		{"the \x02Kremlin\x03 said", "[", "]", "the [Kremlin] said"},
		{"\x02a\x03 and \x02b\x03", "<mark>", "</mark>", "<mark>a</mark> and <mark>b</mark>"},
		{"the \x02Kremlin\x03 said", "", "", "the Kremlin said"},
		{"\x03stray end, no start\x02", "«", "»", "»stray end, no start«"},
		{"accents: \x02Corée\x03…", "*", "*", "accents: *Corée*…"},
	} {
		if got := Mark(tc.snippet, tc.before, tc.after); got != tc.want {
			t.Errorf("Mark(%q, %q, %q) = %q, want %q", tc.snippet, tc.before, tc.after, got, tc.want)
		}
	}
}

func BenchmarkMark(b *testing.B) {
	s := "… le \x02Kremlin\x03 a annoncé mardi que la \x02Russie\x03 relèverait ses taux, une hausse attendue par les marchés depuis des semaines …"
	b.ReportAllocs()
	for b.Loop() {
		Mark(s, "", "")
	}
}
