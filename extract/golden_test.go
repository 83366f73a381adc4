package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html/charset"
)

// goldenFetchedAt is the fetch time of every golden page.
var goldenFetchedAt = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// goldenCase is one page under testdata: <name>.html with, beside it,
// either <name>.expected.json (the record, written by hand from reading the
// page; only the fields it has are compared) or <name>.expected.error (a
// substring of the error). <name>.url gives the page's address when the
// expected record has none; <name>.rules.yaml gives site rules as config.yaml
// would.
type goldenCase struct {
	name, dir string
}

func (c goldenCase) path(suffix string) string { return filepath.Join(c.dir, c.name+suffix) }

func (c goldenCase) read(t *testing.T, suffix string) ([]byte, bool) {
	t.Helper()
	b, err := os.ReadFile(c.path(suffix))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		t.Fatalf("read %s: %v", c.path(suffix), err)
	}
	return b, true
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 4 {
		t.Fatalf("found %d golden pages under testdata, want at least 4", len(pages))
	}
	var cases []goldenCase
	for _, p := range pages {
		cases = append(cases, goldenCase{name: strings.TrimSuffix(filepath.Base(p), ".html"), dir: "testdata"})
	}
	return cases
}

// decodeRules reads a site's rules the way config loading does: strictly,
// so a misspelt key fails.
func decodeRules(t *testing.T, src []byte, file string) Rules {
	t.Helper()
	var r Rules
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	if err := r.Validate(); err != nil {
		t.Fatalf("validate %s: %v", file, err)
	}
	return r
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			body, _ := c.read(t, ".html")
			wantJSON, hasJSON := c.read(t, ".expected.json")
			wantErr, hasErr := c.read(t, ".expected.error")
			if hasJSON == hasErr {
				t.Fatalf("%s needs exactly one of .expected.json and .expected.error", c.name)
			}
			var want map[string]any
			if hasJSON {
				if err := json.Unmarshal(wantJSON, &want); err != nil {
					t.Fatalf("parse %s: %v", c.path(".expected.json"), err)
				}
			}
			pageURL, _ := want["url"].(string)
			if u, ok := c.read(t, ".url"); ok {
				pageURL = strings.TrimSpace(string(u))
			}
			if pageURL == "" {
				t.Fatalf("%s: no page address: give it in .url or in the expected record's url", c.name)
			}
			rules := DefaultRules()
			if src, ok := c.read(t, ".rules.yaml"); ok {
				rules = decodeRules(t, src, c.path(".rules.yaml"))
			}

			// Pages reach Extract decoded to UTF-8, as the crawler decodes
			// them from their declared or sniffed charset.
			decoded, err := io.ReadAll(mustCharsetReader(t, body))
			if err != nil {
				t.Fatalf("decode %s: %v", c.path(".html"), err)
			}
			page := folio.Page{URL: pageURL, RequestedURL: pageURL, Status: 200, Body: decoded, FetchedAt: goldenFetchedAt}
			got, err := Extract(page, rules)
			if hasErr {
				substr := strings.TrimSpace(string(wantErr))
				if err == nil {
					t.Fatalf("Extract gave a record titled %q, want an error containing %q", got.Title, substr)
				}
				if !strings.Contains(err.Error(), substr) {
					t.Fatalf("Extract error = %q, want it to contain %q", err, substr)
				}
				if strings.Contains(substr, "not an article") && !errors.Is(err, ErrNotArticle) {
					t.Fatalf("Extract error %q does not wrap ErrNotArticle", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			compareRecord(t, want, got)
			checkDerivedFields(t, page, got)
		})
	}
}

func mustCharsetReader(t *testing.T, body []byte) io.Reader {
	t.Helper()
	r, err := charset.NewReader(bytes.NewReader(body), "text/html")
	if err != nil {
		t.Fatalf("charset: %v", err)
	}
	return r
}

// compareRecord compares every field the expected record has, strings after
// folding white space, and prints one go-cmp diff per field that differs.
func compareRecord(t *testing.T, want map[string]any, got folio.Article) {
	t.Helper()
	raw, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("marshal record: %v", err)
	}
	var gotMap map[string]any
	if err := json.Unmarshal(raw, &gotMap); err != nil {
		t.Fatalf("unmarshal record: %v", err)
	}
	fold := cmp.Transformer("FoldSpace", folio.FoldSpace)
	for field, w := range want {
		g, ok := gotMap[field]
		if !ok {
			t.Errorf("record has no field %q", field)
			continue
		}
		if diff := cmp.Diff(w, g, fold); diff != "" {
			t.Errorf("field %s mismatch (-want +got):\n%s", field, diff)
		}
	}
}

// checkDerivedFields checks the fields an expected record cannot hold
// because they depend on the fetch, against their definitions.
func checkDerivedFields(t *testing.T, page folio.Page, got folio.Article) {
	t.Helper()
	if want := folio.ArticleID(got.URL); got.ID != want {
		t.Errorf("id = %q, want ArticleID(url) = %q", got.ID, want)
	}
	if want := folio.ContentHash(got.Title, got.Body); got.ContentHash != want {
		t.Errorf("content_hash = %q, want ContentHash(title, body) = %q", got.ContentHash, want)
	}
	if !got.FetchedAt.Equal(page.FetchedAt) {
		t.Errorf("fetched_at = %s, want the page's %s", got.FetchedAt, page.FetchedAt)
	}
	if got.BodyHTML == "" {
		t.Error("body_html is empty")
	}
	for _, bad := range []string{"<script", "<form", `src="/`, `href="/`, "material-icons", "onclick"} {
		if strings.Contains(got.BodyHTML, bad) {
			t.Errorf("body_html contains %q:\n%s", bad, got.BodyHTML)
		}
	}
	if strings.Contains(got.Body, "\n\n\n") {
		t.Errorf("body has more than one blank line between paragraphs:\n%s", got.Body)
	}
	for _, img := range got.Images {
		if !strings.HasPrefix(img, "http://") && !strings.HasPrefix(img, "https://") {
			t.Errorf("image %q is not absolute", img)
		}
	}
}
