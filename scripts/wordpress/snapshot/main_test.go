package main

import (
	"net/url"
	"testing"
)

func TestFileFor(t *testing.T) {
	s := &snapshot{files: map[string]bool{}}
	tests := []struct{ uri, kind, want string }{
		{"/", "html", "index.html"},
		{"/2022/11/18/un-article/", "html", "2022/11/18/un-article/index.html"},
		{"/2022/11/18/un-article/?replytocom=36", "html", "2022/11/18/un-article/index.replytocom-36.html"},
		{"/feed/", "xml", "feed/index.xml"},
		{"/wp-sitemap.xml", "xml", "wp-sitemap.xml"},
		{"/wp-sitemap-index.xsl", "xml", "wp-sitemap-index.xsl"},
		{"/robots.txt", "txt", "robots.txt"},
		// The same file name twice gets a number.
		{"/feed/?", "xml", "feed/index.2.xml"},
	}
	for _, tt := range tests {
		if got := s.fileFor(tt.uri, tt.kind); got != tt.want {
			t.Errorf("fileFor(%q, %q) = %q, want %q", tt.uri, tt.kind, got, tt.want)
		}
	}
}

func TestRewrite(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:8781")
	s := &snapshot{base: base, placeholder: "wpreal.invalid"}
	tests := []struct{ in, want string }{
		{`<a href="http://127.0.0.1:8781/2022/">`, `<a href="http://wpreal.invalid/2022/">`},
		{`"url":"http:\/\/127.0.0.1:8781\/feed\/"`, `"url":"http:\/\/wpreal.invalid\/feed\/"`},
		{`embed?url=http%3A%2F%2F127.0.0.1%3A8781%2F2022%2F`, `embed?url=http%3A%2F%2Fwpreal.invalid%2F2022%2F`},
		{`<atom:link href="http://127.0.0.1/feed/" rel="self"`, `<atom:link href="http://wpreal.invalid/feed/" rel="self"`},
		{`Adresse IP 127.0.0.10`, `Adresse IP 127.0.0.10`},
	}
	for _, tt := range tests {
		if got := s.rewrite(tt.in); got != tt.want {
			t.Errorf("rewrite(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSkipReason(t *testing.T) {
	for p, skipped := range map[string]bool{
		"/wp-json/wp/v2/posts/12":                      true,
		"/wp-content/themes/twentytwentyone/style.css": true,
		"/wp-login.php":                                true,
		"/favicon.ico":                                 true,
		"/2022/11/18/un-article/":                      false,
		"/wp-sitemap-posts-post-1.xml":                 false,
		"/feed/":                                       false,
	} {
		if got := skipReason(p) != ""; got != skipped {
			t.Errorf("skipReason(%q) = %q, want skipped %v", p, skipReason(p), skipped)
		}
	}
}
