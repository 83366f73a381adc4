package wpreal

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// noRedirects is a client that reports redirects instead of following
// them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := noRedirects.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// TestServesEverySavedAnswer: each saved page comes back with its status,
// content type and body, the site named by the server's own address; each
// redirect with its target there.
func TestServesEverySavedAnswer(t *testing.T) {
	for _, theme := range Themes() {
		t.Run(theme, func(t *testing.T) {
			site, err := New(theme)
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(site)
			defer srv.Close()
			host := strings.TrimPrefix(srv.URL, "http://")
			pages, redirects := 0, 0
			for _, e := range site.Entries() {
				if e.Skipped != "" {
					continue
				}
				resp, body := get(t, srv.URL+e.URL)
				if resp.StatusCode != e.Status {
					t.Errorf("%s: status %d, want %d", e.URL, resp.StatusCode, e.Status)
				}
				if got := resp.Header.Get("Content-Type"); got != e.ContentType {
					t.Errorf("%s: content type %q, want %q", e.URL, got, e.ContentType)
				}
				if e.Location != "" {
					redirects++
					if want := Rebase(e.Location, host); resp.Header.Get("Location") != want || !strings.HasPrefix(want, srv.URL+"/") {
						t.Errorf("%s: location %q, want %q on the server", e.URL, resp.Header.Get("Location"), want)
					}
					continue
				}
				pages++
				if strings.Contains(body, Placeholder) || strings.Contains(body, "127.0.0.1:8781") {
					t.Errorf("%s: served body still names another host", e.URL)
				}
				if strings.HasPrefix(e.ContentType, "text/html") && !strings.Contains(body, srv.URL+"/") {
					t.Errorf("%s: served page has no link to the server", e.URL)
				}
			}
			if pages < 100 || redirects == 0 {
				t.Errorf("%d pages and %d redirects served; the snapshot looks incomplete", pages, redirects)
			}
		})
	}
}

// TestNotFoundAndCounters: an address the site does not hold gets
// WordPress's 404 page and counts as missing; the counters count by path
// and by query parameter.
func TestNotFoundAndCounters(t *testing.T) {
	site, err := New("twentytwentythree")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(site)
	defer srv.Close()
	resp, body := get(t, srv.URL+"/no-such-page/")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "error404") {
		t.Errorf("unknown address: status %d, 404 page %v", resp.StatusCode, strings.Contains(body, "error404"))
	}
	resp, _ = get(t, srv.URL+"/wp-json/")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/wp-json/ (left out): status %d, want 404", resp.StatusCode)
	}
	exp, err := LoadExpected()
	if err != nil {
		t.Fatal(err)
	}
	var post Post
	for _, p := range exp.Posts {
		if len(p.Comments) > 0 && p.CommentsOpen {
			post = p
			break
		}
	}
	reply := Path(post.URL) + "?replytocom=" + strconv.Itoa(post.Comments[0].ID)
	resp, body = get(t, srv.URL+reply)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "noindex") {
		t.Errorf("%s: status %d, noindex %v; want WordPress's reply page", reply, resp.StatusCode, strings.Contains(body, "noindex"))
	}
	get(t, srv.URL+Path(post.URL))

	if n := site.Requests(Path(post.URL)); n != 2 {
		t.Errorf("Requests(%s) = %d, want 2 (with and without the query)", Path(post.URL), n)
	}
	if n := site.RequestsWithQuery("replytocom"); n != 1 {
		t.Errorf("RequestsWithQuery(replytocom) = %d, want 1", n)
	}
	if n := site.TotalRequests(); n != 4 {
		t.Errorf("TotalRequests = %d, want 4", n)
	}
	if m := site.Missing(); m["/no-such-page/"] != 1 || m["/wp-json/"] != 1 || len(m) != 2 {
		t.Errorf("Missing = %v, want the two unknown addresses", m)
	}
	site.ResetRequests()
	if site.TotalRequests() != 0 || len(site.Missing()) != 0 {
		t.Error("ResetRequests left counts")
	}
}

// TestExpectedMatchesSnapshots: the expected records and the saved sites
// describe the same WordPress: every post and every static page was saved
// under every theme, and the versions are recorded.
func TestExpectedMatchesSnapshots(t *testing.T) {
	exp, err := LoadExpected()
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.Posts) < 30 || len(exp.NonArticles) == 0 {
		t.Fatalf("%d posts, %d non-article pages expected; the records look incomplete", len(exp.Posts), len(exp.NonArticles))
	}
	v, err := LoadVersions()
	if err != nil {
		t.Fatal(err)
	}
	if v.WordPress == "" || v.Locale != "fr_FR" {
		t.Errorf("versions: WordPress %q, locale %q", v.WordPress, v.Locale)
	}
	for _, theme := range Themes() {
		if v.Themes[theme].Version == "" {
			t.Errorf("versions: no version for %s", theme)
		}
		if _, ok := exp.PostNavigation[theme]; !ok {
			t.Errorf("expected records: no post navigation flag for %s", theme)
		}
		site, err := New(theme)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range exp.Posts {
			if e, ok := site.entries[Path(p.URL)]; !ok || e.Status != http.StatusOK || site.bodies[Path(p.URL)] == nil {
				t.Errorf("%s: post %s not saved", theme, p.URL)
			}
		}
		for _, n := range exp.NonArticles {
			if n.Kind == "page" || n.Kind == "home" {
				if _, ok := site.bodies[Path(n.URL)]; !ok {
					t.Errorf("%s: %s %s not saved", theme, n.Kind, n.URL)
				}
			}
		}
	}
}

func TestRebase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://wpreal.invalid/2022/", "http://127.0.0.1:4242/2022/"},
		{`"http:\/\/wpreal.invalid\/feed\/"`, `"http:\/\/127.0.0.1:4242\/feed\/"`},
		{"embed?url=http%3A%2F%2Fwpreal.invalid%2F2022%2F", "embed?url=http%3A%2F%2F127.0.0.1%3A4242%2F2022%2F"},
		{"no host here", "no host here"},
	}
	for _, tt := range tests {
		if got := Rebase(tt.in, "127.0.0.1:4242"); got != tt.want {
			t.Errorf("Rebase(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnknownTheme(t *testing.T) {
	if _, err := New("twentytwenty"); err == nil {
		t.Error("New of a theme not saved gave no error")
	}
}
