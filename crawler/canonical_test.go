package crawler

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	base, _ := url.Parse("https://blog.example.fr/2022/11/07/un-article/")
	tests := []struct {
		name string
		raw  string
		base *url.URL
		want string
	}{
		{"already canonical", "https://blog.example.fr/2022/11/07/un-article/", nil, "https://blog.example.fr/2022/11/07/un-article/"},
		{"scheme and host lower-cased", "HTTPS://Blog.Example.FR/a/", nil, "https://blog.example.fr/a/"},
		{"default http port dropped", "http://blog.example.fr:80/a/", nil, "http://blog.example.fr/a/"},
		{"default https port dropped", "https://blog.example.fr:443/a/", nil, "https://blog.example.fr/a/"},
		{"other port kept", "http://127.0.0.1:8080/a/", nil, "http://127.0.0.1:8080/a/"},
		{"https port on http kept", "http://blog.example.fr:443/a/", nil, "http://blog.example.fr:443/a/"},
		{"fragment dropped", "https://blog.example.fr/a/#respond", nil, "https://blog.example.fr/a/"},
		{"empty path becomes slash", "https://blog.example.fr", nil, "https://blog.example.fr/"},
		{"trailing dot on host dropped", "https://blog.example.fr./a/", nil, "https://blog.example.fr/a/"},
		{"trailing slash added without extension", "https://blog.example.fr/category/europe", nil, "https://blog.example.fr/category/europe/"},
		{"file keeps its name", "https://blog.example.fr/wp-sitemap.xml", nil, "https://blog.example.fr/wp-sitemap.xml"},
		{"image keeps its name", "https://blog.example.fr/wp-content/a.JPG", nil, "https://blog.example.fr/wp-content/a.JPG"},
		{"dot segments resolved", "https://blog.example.fr/a/b/../c/./d", nil, "https://blog.example.fr/a/c/d/"},
		{"utm parameters dropped", "https://blog.example.fr/a/?utm_source=x&utm_medium=y&UTM_Campaign=z", nil, "https://blog.example.fr/a/"},
		{"click ids dropped, others kept", "https://blog.example.fr/?p=12&fbclid=abc&gclid=d&mc_cid=1&mc_eid=2", nil, "https://blog.example.fr/?p=12"},
		{"query sorted", "https://blog.example.fr/?s=corée&p=2&a=1", nil, "https://blog.example.fr/?a=1&p=2&s=cor%C3%A9e"},
		{"same key sorted by value", "https://blog.example.fr/?t=b&t=a", nil, "https://blog.example.fr/?t=a&t=b"},
		{"empty query removed", "https://blog.example.fr/a/?", nil, "https://blog.example.fr/a/"},
		{"only tracking leaves no query", "https://blog.example.fr/a?utm_source=rss", nil, "https://blog.example.fr/a/"},
		{"key without value kept", "https://blog.example.fr/?amp", nil, "https://blog.example.fr/?amp"},
		{"relative path resolved", "../autre/", base, "https://blog.example.fr/2022/11/07/autre/"},
		{"root-relative resolved", "/page/2/", base, "https://blog.example.fr/page/2/"},
		{"protocol-relative resolved", "//Blog.Example.fr/feed/", base, "https://blog.example.fr/feed/"},
		{"fragment-only link is the base", "#comments", base, "https://blog.example.fr/2022/11/07/un-article/"},
		{"query-only link", "?p=5", base, "https://blog.example.fr/2022/11/07/un-article/?p=5"},
		{"comment reply is the post", "?replytocom=5#respond", base, "https://blog.example.fr/2022/11/07/un-article/"},
		{"comment reply dropped, others kept", "https://blog.example.fr/?p=12&REPLYTOCOM=3", nil, "https://blog.example.fr/?p=12"},
		{"sharing button is the post", "https://blog.example.fr/a/?share=facebook&nb=1", nil, "https://blog.example.fr/a/"},
		{"sharing by email", "https://blog.example.fr/a/?share=email", nil, "https://blog.example.fr/a/"},
		{"share of something else kept", "https://blog.example.fr/doc/?share=a1b2c3", nil, "https://blog.example.fr/doc/?share=a1b2c3"},
		{"nb without share kept", "https://blog.example.fr/?nb=1&p=2", nil, "https://blog.example.fr/?nb=1&p=2"},
		{"absolute wins over base", "http://other.example/x/", base, "http://other.example/x/"},
		{"lower-case escapes upper-cased", "https://blog.example.fr/cor%c3%a9e/", nil, "https://blog.example.fr/cor%C3%A9e/"},
		{"raw non-ASCII escaped", "https://blog.example.fr/corée/", nil, "https://blog.example.fr/cor%C3%A9e/"},
		{"needless escape decoded", "https://blog.example.fr/%61bc/", nil, "https://blog.example.fr/abc/"},
		{"encoded slash kept", "https://blog.example.fr/a%2fb/c", nil, "https://blog.example.fr/a%2Fb/c/"},
		{"IDN host in ASCII", "https://éditions.example/", nil, "https://xn--ditions-9xa.example/"},
		{"IPv6 literal", "http://[::1]:8080/a", nil, "http://[::1]:8080/a/"},
		{"surrounding space trimmed", "  https://blog.example.fr/a/ \n", nil, "https://blog.example.fr/a/"},
		{"plus in query value re-encoded", "https://blog.example.fr/?s=a+b", nil, "https://blog.example.fr/?s=a+b"},
		{"bad query escape kept verbatim", "https://blog.example.fr/?q=%zz&a=1", nil, "https://blog.example.fr/?a=1&q=%zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Canonicalize(tt.raw, tt.base, defaultTrackingParams)
			if err != nil {
				t.Fatalf("Canonicalize(%q) error: %v", tt.raw, err)
			}
			if got != tt.want {
				t.Errorf("Canonicalize(%q)\n got %s\nwant %s", tt.raw, got, tt.want)
			}
			again, err := Canonicalize(got, nil, defaultTrackingParams)
			if err != nil || again != got {
				t.Errorf("Canonicalize(%q) = %q, %v; not idempotent", got, again, err)
			}
		})
	}
}

func TestCanonicalizeRejects(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{"mailto:redaction@example.fr", "scheme"},
		{"javascript:void(0)", "scheme"},
		{"ftp://example.fr/file", "scheme"},
		{"/relative/without/base", "without a base"},
		{"http://", "no host"},
		{"http://exa mple.fr/", "invalid"},
		// IDNA maps a soft hyphen to nothing: the host would vanish.
		{"http://\u00ad/", "no host"},
		{"http://a.\u00ad.example/", "empty label"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := Canonicalize(tt.raw, nil, defaultTrackingParams)
			if err == nil {
				t.Fatalf("Canonicalize(%q) = %q, want an error", tt.raw, got)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), strconv.Quote(tt.raw)) {
				t.Errorf("Canonicalize(%q) error %q, want it to name the URL and contain %q", tt.raw, err, tt.want)
			}
		})
	}
}

func TestCanonicalizeCustomTrackingParams(t *testing.T) {
	got, err := Canonicalize("https://a.example/x/?ref=home&id=3&utm_source=z", nil, []string{"ref"})
	if err != nil {
		t.Fatal(err)
	}
	// Only the list given applies: utm_source stays when the caller leaves it out.
	if want := "https://a.example/x/?id=3&utm_source=z"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func FuzzCanonicalize(f *testing.F) {
	for _, seed := range []string{
		"https://blog.example.fr/2022/11/07/un-article/",
		"HTTP://Blog.Example.FR:80/a/../b?utm_source=x&b=2&a=1#frag",
		"https://blog.example.fr/cor%c3%a9e/%2f?s=a+b&s=%zz",
		"http://[::1]:8080/a",
		"https://éditions.example/page/2",
		"../relative/path?x",
		"//host.example/feed",
		"?replytocom=5#respond",
		"https://blog.example.fr/a/?share=face%62ook&nb=1&p=2",
		"https://blog.example.fr/wp-content/uploads/2022/11/a.pdf",
	} {
		f.Add(seed)
	}
	base, _ := url.Parse("https://blog.example.fr/2022/11/07/un-article/")
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := Canonicalize(raw, base, defaultTrackingParams)
		if err != nil {
			return
		}
		again, err := Canonicalize(got, nil, defaultTrackingParams)
		if err != nil {
			t.Fatalf("Canonicalize(%q) = %q, which does not canonicalize again: %v", raw, got, err)
		}
		if again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", raw, got, again)
		}
	})
}
