package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"folio/internal/testsite/wpsite"
)

func TestRunRejectsBadInput(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	tests := []struct {
		addr     string
		articles int
		want     string
	}{
		{"127.0.0.1:0", 0, "-articles 0: must be at least 1"},
		{taken.Addr().String(), 60, "listen on " + taken.Addr().String()},
		{"127.0.0.1:notaport", 60, "listen on 127.0.0.1:notaport"},
	}
	for _, tt := range tests {
		err := run(tt.addr, wpsite.Options{Articles: tt.articles})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q, %d) = %v, want an error containing %q", tt.addr, tt.articles, err, tt.want)
		}
	}
}

// TestTourSiteSendsValidators: the test site as the README's tour starts
// it sends an ETag and answers a conditional request with 304, so that the
// tour's second crawl shows the "not modified" pages it describes.
func TestTourSiteSendsValidators(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go run \./internal/testsite ([^&\n]*)&?$`).FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md does not start the test site with go run ./internal/testsite")
	}
	_, opts, err := parseFlags(strings.Fields(string(m[1])))
	if err != nil {
		t.Fatalf("README's flags %q: %v", m[1], err)
	}
	site := wpsite.New(opts)
	srv := httptest.NewServer(site)
	defer srv.Close()
	page := site.Expected(srv.URL)[0].URL
	resp, err := http.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusOK || etag == "" || resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("GET %s: %s, ETag %q, Last-Modified %q: the tour's site sends no validators", page, resp.Status, etag, resp.Header.Get("Last-Modified"))
	}
	req, _ := http.NewRequest(http.MethodGet, page, nil)
	req.Header.Set("If-None-Match", etag)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET %s: %s, want 304", page, resp.Status)
	}
}
