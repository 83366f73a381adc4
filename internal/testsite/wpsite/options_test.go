package wpsite

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const sourcePath = "/2022/11/07/entre-la-coree-du-nord-et-la-russie-un-rapprochement-symbolique-mais-interesse/"

func do(t *testing.T, client *http.Client, url string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("get %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, body
}

func TestValidators(t *testing.T) {
	plain := served(t, New(Options{}))
	if resp, _ := do(t, plain.Client(), plain.URL+sourcePath, nil); resp.Header.Get("ETag") != "" || resp.Header.Get("Last-Modified") != "" {
		t.Errorf("without Validators the site sends ETag %q, Last-Modified %q", resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"))
	}

	srv := served(t, New(Options{Validators: true}))
	first, body := do(t, srv.Client(), srv.URL+sourcePath, nil)
	etag := first.Header.Get("ETag")
	if etag == "" || first.Header.Get("Last-Modified") != "Sun, 06 Nov 2022 23:00:00 GMT" {
		t.Fatalf("ETag %q, Last-Modified %q; want an ETag and midnight of 7 November 2022 in Paris", etag, first.Header.Get("Last-Modified"))
	}
	tests := []struct {
		name   string
		header map[string]string
		status int
	}{
		{"same ETag", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
		{"ETag among others", map[string]string{"If-None-Match": `"abc", W/` + etag}, http.StatusNotModified},
		{"other ETag", map[string]string{"If-None-Match": `"abc"`}, http.StatusOK},
		{"other ETag wins over date", map[string]string{"If-None-Match": `"abc"`, "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}, http.StatusOK},
		{"modified since", map[string]string{"If-Modified-Since": "Sat, 05 Nov 2022 12:00:00 GMT"}, http.StatusOK},
		{"not modified since", map[string]string{"If-Modified-Since": "Sun, 06 Nov 2022 23:00:00 GMT"}, http.StatusNotModified},
		{"bad date", map[string]string{"If-Modified-Since": "hier"}, http.StatusOK},
	}
	for _, tt := range tests {
		resp, got := do(t, srv.Client(), srv.URL+sourcePath, tt.header)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.status)
		}
		if tt.status == http.StatusOK && !bytes.Equal(got, body) {
			t.Errorf("%s: body differs from the first fetch", tt.name)
		}
		if tt.status == http.StatusNotModified && (len(got) > 0 || resp.Header.Get("ETag") != etag) {
			t.Errorf("%s: 304 with %d bytes and ETag %q", tt.name, len(got), resp.Header.Get("ETag"))
		}
	}
	other, _ := do(t, srv.Client(), srv.URL+"/", nil)
	if other.Header.Get("ETag") == etag || other.Header.Get("ETag") == "" {
		t.Errorf("home page ETag %q, article %q", other.Header.Get("ETag"), etag)
	}
}

func TestGzip(t *testing.T) {
	srv := served(t, New(Options{Gzip: true}))
	plainResp, plain := do(t, srv.Client(), srv.URL+sourcePath, map[string]string{"Accept-Encoding": "identity"})
	if plainResp.Header.Get("Content-Encoding") != "" {
		t.Errorf("identity asked, got Content-Encoding %q", plainResp.Header.Get("Content-Encoding"))
	}
	// Asking explicitly keeps the transport from decompressing behind our back.
	resp, compressed := do(t, srv.Client(), srv.URL+sourcePath, map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" || len(compressed) >= len(plain) {
		t.Fatalf("Content-Encoding %q, %d bytes for %d uncompressed", resp.Header.Get("Content-Encoding"), len(compressed), len(plain))
	}
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, plain) {
		t.Error("decompressed page differs from the plain one")
	}
	if _, again := do(t, srv.Client(), srv.URL+sourcePath, map[string]string{"Accept-Encoding": "gzip"}); !bytes.Equal(again, compressed) {
		t.Error("two compressed fetches differ")
	}
}

func TestPageBytes(t *testing.T) {
	const size = 60 << 10
	plain := served(t, New(Options{}))
	padded := served(t, New(Options{PageBytes: size}))
	for _, path := range []string{sourcePath, "/", "/category/afrique/", "/mentions-legales/", "/nulle-part/"} {
		a := get(t, plain.Client(), plain.URL+path).body
		b := get(t, padded.Client(), padded.URL+path).body
		if len(b) < size || len(b) > size+1 {
			t.Errorf("%s: %d bytes, want %d", path, len(b), size)
		}
		a = strings.ReplaceAll(a, plain.URL, "")
		b = strings.ReplaceAll(b, padded.URL, "")
		start := strings.Index(b, `<script type="text/javascript" id="wp-padding">`)
		end := strings.Index(b, "</head>")
		if start < 0 || b[:start]+b[end:] != a {
			t.Errorf("%s: padding is not one inline script in the head", path)
		}
	}
}

// TestLatency only checks the lower bound, which a sleep guarantees.
func TestLatency(t *testing.T) {
	const latency = 50 * time.Millisecond
	srv := served(t, New(Options{Latency: latency}))
	start := time.Now()
	if f := get(t, srv.Client(), srv.URL+"/robots.txt"); f.status != http.StatusOK {
		t.Fatalf("status %d", f.status)
	}
	if elapsed := time.Since(start); elapsed < latency {
		t.Errorf("answered after %s, want at least %s", elapsed, latency)
	}
}
