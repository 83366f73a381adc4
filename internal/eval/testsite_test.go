package eval

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"folio/extract"
)

// TestTestsite: each article of the test site is fetched over loopback and
// paired with its ground truth, category and tags included.
func TestTestsite(t *testing.T) {
	t.Parallel()
	cases, err := Testsite(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 5 {
		t.Fatalf("%d cases, want 5", len(cases))
	}
	for _, c := range cases {
		if !strings.HasPrefix(c.Name, "/") || c.Page.Status != 200 || len(c.Page.Body) == 0 {
			t.Errorf("case %q: status %d, %d bytes", c.Name, c.Page.Status, len(c.Page.Body))
		}
		if c.Want.Title == nil || *c.Want.Title == "" || c.Want.Category == nil || c.Want.Tags == nil || c.Want.URL == nil || *c.Want.URL != c.Page.URL {
			t.Errorf("case %q: ground truth incomplete: %+v", c.Name, c.Want)
		}
	}
	rep := Run(cases, Folio(extract.DefaultRules()))
	if s := rep.Results[0].Summary(); s.Title.Exact != 5 {
		t.Errorf("folio has %d titles of the test site right, want 5", s.Title.Exact)
	}
}

// TestLoadDecoded: a page saved in Windows-1252 is read as UTF-8, as the
// crawler would have read it.
func TestLoadDecoded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page := []byte("<html><head><title>Cor\xe9e</title></head><body><p>L\x92\xe9t\xe9</p></body></html>")
	want := `{"url": null, "title": "Corée", "author": null, "published": null, "language": null, "summary": null, "site_name": null, "body": null}`
	if err := os.WriteFile(filepath.Join(dir, "p.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "p.json"), []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	cases, err := LoadDecoded(dir)
	if err != nil {
		t.Fatal(err)
	}
	if body := string(cases[0].Page.Body); !strings.Contains(body, "Corée") || !strings.Contains(body, "L’été") {
		t.Errorf("page not decoded to UTF-8: %q", body)
	}
	if _, err := LoadDecoded(filepath.Join(dir, "none")); err == nil {
		t.Error("a missing directory loaded")
	}
}
