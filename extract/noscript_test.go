package extract

import (
	"strings"
	"testing"

	"folio"
)

// TestBodyFromNoscriptCopy covers pages whose script renders the article's
// text from a template and print it for readers without scripts inside
// <noscript>, which the parser keeps as raw text.
func TestBodyFromNoscriptCopy(t *testing.T) {
	const repeats = 12
	para := func(s string) string { return `<p>` + strings.Repeat(s+" ", repeats) + `</p>` }
	copyOf := `<span class="byline-author">Posted by Ada Quill - Widget team</span>` +
		para("Over the past years threats on the web grew.") + para("Turning on the new mode raises protection.") + para("Administrators can control this setting.")
	tests := []struct {
		name, page string
		want       []string // in the body, once each
		author     string
		wantNot    string
	}{
		{"the only text of the body's element, beside its template",
			`<div class="post"><h1>Title</h1><div class="post-body"><div class="post-content" itemprop="articleBody"><script type="text/template">` + copyOf + `</script><noscript>` + copyOf + `</noscript></div></div>` +
				`<div class="post-footer"><a href="https://plus.example/1" rel="author" style="display:none;">Google</a></div></div>`,
			[]string{"Over the past years threats on the web grew.", "Administrators can control this setting."}, "Ada Quill", ""},
		{"a copy beside the text the page shows is left as it was",
			`<article><h1>Title</h1><div class="entry-content">` + para("The story is told here in full.") + para("It goes on for a while.") + para("And it ends here.") +
				`<noscript>` + para("The story is told here in full.") + para("It goes on for a while.") + para("And it ends here.") + `</noscript></div></article>`,
			[]string{"The story is told here in full.", "And it ends here."}, "", ""},
		{"a no-script image is no text",
			`<article><h1>Title</h1><div class="entry-content">` + para("The story is told here in full.") + para("It goes on for a while.") + para("And it ends here.") +
				`<figure><noscript><img src="/photo.jpg" alt="A photo"></noscript></figure></div></article>`,
			[]string{"The story is told here in full."}, "", "A photo"},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head><title>Title</title></head><body>` + tt.page + `</body></html>`
		a, err := Extract(folio.Page{URL: "https://blog.example/2020/05/post.html", Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for _, w := range tt.want {
			if n := strings.Count(a.Body, w); n != repeats {
				t.Errorf("%s: %q %d times in the body, want %d:\n%s", tt.name, w, n, repeats, a.Body)
			}
		}
		if tt.wantNot != "" && strings.Contains(a.Body, tt.wantNot) {
			t.Errorf("%s: body holds %q:\n%s", tt.name, tt.wantNot, a.Body)
		}
		if tt.author != "" && a.Author != tt.author {
			t.Errorf("%s: author %q, want %q", tt.name, a.Author, tt.author)
		}
	}
}
