package wpsite

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// served starts site on loopback for the duration of the test.
func served(t testing.TB, site *Site) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	return srv
}

// noRedirects is a client that reports redirects instead of following them.
func noRedirects(srv *httptest.Server) *http.Client {
	c := *srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

type fetched struct {
	status int
	header http.Header
	body   string
}

func get(t testing.TB, client *http.Client, url string) fetched {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("get %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return fetched{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// getDoc fetches an HTML page that must answer 200 and parses it.
func getDoc(t testing.TB, client *http.Client, url string) *goquery.Document {
	t.Helper()
	f := get(t, client, url)
	if f.status != http.StatusOK {
		t.Fatalf("get %s: status %d, want 200", url, f.status)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(f.body))
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return doc
}

// squash folds every run of white space, no-break spaces included, into one
// space and trims, as the project compares text fields.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }
