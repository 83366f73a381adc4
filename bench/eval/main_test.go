package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/markusmobius/go-trafilatura"
)

func TestFromTrafilatura(t *testing.T) {
	day := time.Date(2021, 4, 2, 0, 0, 0, 0, time.UTC)
	got := fromTrafilatura(&trafilatura.ExtractResult{ContentText: "Body text.", Metadata: trafilatura.Metadata{
		Title: "A title", Author: "Jo Baker; Ann Cook", Date: day, Categories: []string{"Baking", "Food"},
		Tags: []string{"bread"}, Language: "en"}})
	if got.Title != "A title" || got.Author != "Jo Baker; Ann Cook" || got.Category != "Baking" || got.Body != "Body text." ||
		len(got.Tags) != 1 || got.Language != "en" || got.Published == nil || !got.Published.Equal(day) {
		t.Errorf("mapped to %+v", got)
	}
	if none := fromTrafilatura(&trafilatura.ExtractResult{}); none.Published != nil || none.Category != "" {
		t.Errorf("an empty result mapped to date %v, category %q", none.Published, none.Category)
	}
}

// TestRun measures the three extractors on folio's human-annotated
// fixtures: one column each, every row filled.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, filepath.Join("..", "..", "internal", "eval", "testdata", "human"), true); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if !regexp.MustCompile(`(?m)^\s*all pages: 3 pages\s+folio\s+readability\s+trafilatura\s*$`).MatchString(text) {
		t.Errorf("no header with three extractors:\n%s", text)
	}
	for _, label := range []string{"pages with a record", "title \\(of 2\\)", "publication day \\(of 3\\)", "body snippet F1"} {
		if !regexp.MustCompile(`(?m)^\s*` + label + `(\s+[0-9.]+){3}\s*$`).MatchString(text) {
			t.Errorf("row %s lacks three figures:\n%s", label, text)
		}
	}
	if !bytes.Contains(out.Bytes(), []byte("trafilatura, page by page")) {
		t.Errorf("--pages listed no trafilatura page:\n%s", text)
	}
}
