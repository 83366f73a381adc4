package job

import (
	"io"
	"strings"
	"testing"
)

// endless reads as an endless run of one byte.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestReadPage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, path, pageURL string
		r                   io.Reader
		wantURL, wantBody   string
		wantErr             string
	}{
		{name: "with its URL", path: "p.html", pageURL: "https://radio.example/a/", r: strings.NewReader("<p>Corée</p>"),
			wantURL: "https://radio.example/a/", wantBody: "<p>Corée</p>"},
		{name: "a file URL stands in", path: "/tmp/p.html", r: strings.NewReader("<p>x</p>"),
			wantURL: "file:///tmp/p.html", wantBody: "<p>x</p>"},
		{name: "Windows-1252 decoded", path: "p.html", pageURL: "https://radio.example/b/", r: strings.NewReader("<p>Cor\xe9e</p>"),
			wantURL: "https://radio.example/b/", wantBody: "<p>Corée</p>"},
		{name: "too large", path: "big.html", r: endless('a'),
			wantErr: "read big.html: big.html is larger than 50 MiB: not an HTML page folio will read"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page, err := ReadPage(tt.r, tt.path, tt.pageURL)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if page.URL != tt.wantURL || page.RequestedURL != tt.wantURL || string(page.Body) != tt.wantBody || page.Status != 200 ||
				page.Header.Get("Content-Type") != "text/html; charset=utf-8" || page.FetchedAt.IsZero() {
				t.Errorf("page = %+v (body %q), want URL %s and body %q", page, page.Body, tt.wantURL, tt.wantBody)
			}
		})
	}
}
