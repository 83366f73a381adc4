package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// cleanSpaceReference is cleanSpace written plainly, rune by rune: the
// definition the folding code is held to.
func cleanSpaceReference(s string) string {
	var b strings.Builder
	var run []rune
	for _, r := range s {
		if unicode.IsSpace(r) || isNoBreakSpace(r) {
			run = append(run, r)
			continue
		}
		if len(run) > 0 && b.Len() > 0 {
			if len(run) == 1 && isNoBreakSpace(run[0]) {
				b.WriteRune(run[0])
			} else {
				b.WriteByte(' ')
			}
		}
		run = run[:0]
		b.WriteRune(r)
	}
	return b.String()
}

var spaceSamples = []string{"", " ", "a", " a ", "a  b", "a\u00a0b", "a \u00a0b", "a\u00a0\u00a0b", "\u00a0a\u00a0",
	"a\u202f:", "a\u2007b\u2009c", "a\tb\nc\r\nd", "\u0085x\u3000y\u3000", "bad\xffbyte", "\xe2\x80", "a\xe2 \x80b",
	"é  à", "x \ufffd y", "ends with space ", "a\u2028b", "  \t "}

func TestCleanSpaceMatchesReference(t *testing.T) {
	for _, s := range spaceSamples {
		if got, want := cleanSpace(s), cleanSpaceReference(s); got != want {
			t.Errorf("cleanSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestTextOfMatchesCollect holds textOf, which folds the text as it reads
// it, to folding the whole collected text of every element of the test
// pages and of fragments made to split white space and bad bytes across
// elements.
func TestTextOfMatchesCollect(t *testing.T) {
	var docs []*html.Node
	pages, _ := filepath.Glob("testdata/*.html")
	for _, p := range append(pages, "testdata/bench/heise.html", "testdata/bench/lemonde-1.html") {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, doc)
	}
	for _, src := range []string{`a <b> </b>&nbsp;<i>b</i>`, `<p>&nbsp;</p>x<br>&nbsp;<div>y</div>`,
		"<p>\xe2</p>\x80<span>\x80z</span>", `<div> <p>a</p> </div>&nbsp;<p>b</p>`, `&nbsp;<br>&nbsp;x`} {
		docs = append(docs, fragment(t, src))
	}
	for _, doc := range docs {
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			var b strings.Builder
			collectText(n, &b)
			if got, want := textOf(n), cleanSpaceReference(b.String()); got != want {
				t.Fatalf("textOf(<%s>) = %q, want %q", n.Data, got, want)
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
}

func FuzzCleanSpace(f *testing.F) {
	for _, s := range spaceSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cleanSpace(s), cleanSpaceReference(s); got != want {
			t.Errorf("cleanSpace(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestShortTextMatchesCollect holds shortText and leadText to folding the
// raw text collectTextLimit gathers, at limits that cut texts anywhere.
func TestShortTextMatchesCollect(t *testing.T) {
	raw, err := os.ReadFile("testdata/bench/heise.html")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	docs := []*html.Node{doc}
	for _, src := range []string{"<p>\xe2</p>\x80<span>\x80z</span>", `<div> <p>a</p> </div>&nbsp;<p>b</p>`, `&nbsp;<br>&nbsp;x été`} {
		docs = append(docs, fragment(t, src))
	}
	for _, doc := range docs {
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			for _, limit := range []int{0, 1, 3, 10, 40, 200} {
				var b strings.Builder
				ok := collectTextLimit(n, &b, limit)
				want := cleanSpaceReference(b.String())
				if got := leadText(n, limit); got != want {
					t.Fatalf("leadText(<%s>, %d) = %q, want %q", n.Data, limit, got, want)
				}
				if !ok {
					want = ""
				}
				if got, short := shortText(n, limit); got != want || short != ok {
					t.Fatalf("shortText(<%s>, %d) = %q, %v, want %q, %v", n.Data, limit, got, short, want, ok)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
}
