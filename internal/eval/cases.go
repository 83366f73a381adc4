package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"folio"
)

// Case is one page with the record expected from it, in one of the two
// formats eval reads: an expected record (Want) or a person's annotations
// (Human, nil for the other format).
type Case struct {
	// Name identifies the case: the file name without extension.
	Name string
	// Folder is the sub-directory of the loaded directory that holds the
	// case, "" for the directory itself.
	Folder string
	Page   folio.Page
	Want   Expected
	Human  *Human
}

// Path is the case's folder and name, as the page listing shows it.
func (c Case) Path() string {
	if c.Folder == "" {
		return c.Name
	}
	return c.Folder + "/" + c.Name
}

// Expected is the reference record of a page, in the JSON form the
// evaluation sets use. A field left null (nil) is not measured on that page.
type Expected struct {
	URL       *string `json:"url"`
	Title     *string `json:"title"`
	Author    *string `json:"author"`
	Published *string `json:"published"`
	Language  *string `json:"language"`
	Summary   *string `json:"summary"`
	SiteName  *string `json:"site_name"`
	Body      *string `json:"body"`
	// Category and Tags are measured when present (the test site's ground
	// truth has them, the readability set does not).
	Category *string   `json:"category,omitempty"`
	Tags     *[]string `json:"tags,omitempty"`
}

// fetchedAt is the fetch time given to pages loaded from files: fixed, so
// that relative dates and the record's fetched_at do not change between
// runs.
var fetchedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Load reads every <case>.html of DIR and of its sub-directories with the
// <case>.json beside it, sorted by folder then name. Each record's keys say
// its format: a person's annotations (body_with, body_without, dataset; see
// Human) or an expected record (see Expected); one directory holds one
// format. A page without its record, a record that does not parse, a mix
// of formats or a directory with no page is an error naming the file. An
// expected record whose url is null gets http://example.com/<case>/. The
// page's bytes are passed as stored: decoding them is the caller's choice.
func Load(dir string) ([]Case, error) {
	top, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	nested, err := filepath.Glob(filepath.Join(dir, "*", "*.html"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	sort.Strings(top)
	sort.Strings(nested) // by folder, then name: the separator sorts before letters and digits
	pages := append(top, nested...)
	if len(pages) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("load cases: %w", err)
		}
		return nil, fmt.Errorf("load cases: no *.html file in %s", dir)
	}
	cases := make([]Case, 0, len(pages))
	for _, p := range pages {
		c, err := loadCase(p)
		if err != nil {
			return nil, err
		}
		if rel, _ := filepath.Rel(dir, filepath.Dir(p)); rel != "." {
			c.Folder = filepath.ToSlash(rel)
		}
		if len(cases) > 0 && (c.Human == nil) != (cases[0].Human == nil) {
			return nil, fmt.Errorf("load cases: %s is in the %s format, %s in the %s format: one directory holds one format",
				cases[0].Path(), formatName(cases[0]), c.Path(), formatName(c))
		}
		cases = append(cases, c)
	}
	return cases, nil
}

func formatName(c Case) string {
	if c.Human != nil {
		return "human-annotated"
	}
	return "expected-record"
}

func loadCase(htmlPath string) (Case, error) {
	name := strings.TrimSuffix(filepath.Base(htmlPath), ".html")
	jsonPath := strings.TrimSuffix(htmlPath, ".html") + ".json"
	body, err := os.ReadFile(htmlPath)
	if err != nil {
		return Case{}, fmt.Errorf("read %s: %w", htmlPath, err)
	}
	raw, err := os.ReadFile(jsonPath)
	if errors.Is(err, os.ErrNotExist) {
		return Case{}, fmt.Errorf("read %s: no expected record %s beside it", htmlPath, filepath.Base(jsonPath))
	}
	if err != nil {
		return Case{}, fmt.Errorf("read %s: %w", jsonPath, err)
	}
	c := Case{Name: name}
	pageURL := "http://example.com/" + name + "/"
	if isHuman(raw) {
		h, err := ParseHuman(raw)
		if err != nil {
			return Case{}, fmt.Errorf("parse %s: %w", jsonPath, err)
		}
		c.Human = &h
		pageURL = h.URL
	} else {
		want, err := ParseExpected(raw)
		if err != nil {
			return Case{}, fmt.Errorf("parse %s: %w", jsonPath, err)
		}
		c.Want = want
		if want.URL != nil && *want.URL != "" {
			pageURL = *want.URL
		}
	}
	hdr := http.Header{}
	hdr.Set("Content-Type", "text/html")
	c.Page = folio.Page{URL: pageURL, RequestedURL: pageURL, Status: http.StatusOK, Header: hdr,
		Body: body, FetchedAt: fetchedAt}
	return c, nil
}

// ParseExpected reads one expected record strictly: an unknown key is an
// error (a misspelt field would silently not be measured), and so is a
// published date that does not parse.
func ParseExpected(raw []byte) (Expected, error) {
	var e Expected
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Expected{}, err
	}
	if e.Published != nil {
		if _, _, err := parseReferenceDate(*e.Published); err != nil {
			return Expected{}, err
		}
	}
	return e, nil
}

// referenceLayouts are the forms of published dates in reference records,
// with and without an offset.
var referenceLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02T15:04:05.999999999", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02", false},
}

// parseReferenceDate reads a reference date and says whether it carries an
// offset; a date without one is read as UTC wall-clock time.
func parseReferenceDate(s string) (time.Time, bool, error) {
	s = strings.TrimSpace(s)
	for _, l := range referenceLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return t, l.zoned, nil
		}
	}
	return time.Time{}, false, fmt.Errorf("published %q: not an ISO 8601 date", s)
}
