package extract

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

func fragment(t *testing.T, src string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader("<html><body><div id=x>" + src + "</div></body></html>"))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	walkElements(doc, func(n *html.Node) bool {
		if attr(n, "id") == "x" {
			found = n
		}
		return found != nil
	})
	return found
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{`<p>Un</p><p>Deux  <b>gras</b>
		 suite</p>`, []string{"Un", "Deux gras suite"}},
		{`<p>Ligne<br>suivante</p>`, []string{"Ligne\nsuivante"}},
		{`<ul><li>a</li><li>b</li></ul><blockquote>c</blockquote>`, []string{"a", "b", "c"}},
		{`<p>avant&nbsp;: après</p><p> x &nbsp; y </p>`, []string{"avant\u00a0: après", "x y"}},
		{`<p>texte<script>var x = 1;</script><style>p{}</style></p><p>   </p>`, []string{"texte"}},
		{`texte nu <div>bloc</div> suite`, []string{"texte nu", "bloc", "suite"}},
		{`<p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>ども</p>`, []string{"子ども"}},
	}
	for _, tt := range tests {
		got := paragraphs(fragment(t, tt.src))
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("paragraphs(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestLeadTextStopsOnACharacter(t *testing.T) {
	n := fragment(t, "<p>"+strings.Repeat("é", 100)+"</p>")
	for limit := 1; limit < 12; limit++ {
		lead := leadText(n, limit)
		if !utf8.ValidString(lead) || len(lead) > limit+1 {
			t.Errorf("leadText(limit %d) = %q: invalid or too long", limit, lead)
		}
		if _, short := shortText(n, limit); short {
			t.Errorf("shortText(limit %d) says a 200-byte text is short", limit)
		}
	}
	// Block boundaries add spaces of their own, which may reach the limit
	// before the next text does.
	blocks := fragment(t, "<div>ab<p>c</p><p>d</p><div><p>e</p></div>"+strings.Repeat("<p>fg</p>", 20)+"</div>")
	for limit := 0; limit < 30; limit++ {
		if lead := leadText(blocks, limit); len(lead) > limit+2 {
			t.Errorf("leadText(limit %d) = %q: too long", limit, lead)
		}
	}
	if s, short := shortText(n, 400); !short || s != strings.Repeat("é", 100) {
		t.Errorf("shortText(limit 400) = %q, %v", s, short)
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		l        labels
		text     string
		wantRest string
		wantOK   bool
	}{
		{relatedLabels, "À lire aussi : Comment la menace nord-coréenne", "Comment la menace nord-coréenne", true},
		{relatedLabels, "A LIRE AUSSI: Titre", "Titre", true},
		{relatedLabels, "Lire aussi", "", true},
		{relatedLabels, "Lire aussitôt la suite", "", false},
		{bylineLabels, "Written by: admin", "admin", true},
		{bylineLabels, "Par Jeanne Martin", "Jeanne Martin", true},
		{bylineLabels, "Parmi les témoins", "", false},
		{sourceLabels, "Sources diplomatiques", "diplomatiques", true},
	}
	for _, tt := range tests {
		rest, ok := tt.l.cut(tt.text)
		if ok != tt.wantOK || rest != tt.wantRest {
			t.Errorf("cut(%q) = %q, %v; want %q, %v", tt.text, rest, ok, tt.wantRest, tt.wantOK)
		}
	}
	for text, want := range map[string]bool{"Source : AFP": true, "Source: AFP": true, "Sources diplomatiques": false, "La source : RFI": true} {
		if got := sourceLabels.beforeColon(text); got != want {
			t.Errorf("beforeColon(%q) = %v, want %v", text, got, want)
		}
	}
}
