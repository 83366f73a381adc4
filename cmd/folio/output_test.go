package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio"
)

// hasTerminalControl reports whether out holds a byte or character a
// terminal acts on, tab and newline aside.
func hasTerminalControl(out string) bool {
	for _, r := range out {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return true
		}
	}
	return false
}

// TestNoTerminalEscapes: a record whose fields carry escape sequences is
// printed by show, search and stats without them; JSON output keeps them,
// escaped.
func TestNoTerminalEscapes(t *testing.T) {
	t.Parallel()
	const (
		osc = "\x1b]0;owned\x07"
		csi = "\x1b[2J"
	)
	env := newTestEnv(t)
	ctx := context.Background()
	url := "https://radio.example/2022/11/07/escapes/"
	title := "Corée" + osc + " du Nord" + csi
	body := "La Corée " + csi + "du Nord et la Russie\u009b2J reprennent leurs liaisons."
	a := folio.Article{
		ID: folio.ArticleID(url), URL: url, Site: "radio.example", Title: title, Body: body,
		Summary: "Résumé" + osc, Category: "L'Europe" + csi, Categories: []string{"L'Europe" + csi},
		Tags: []string{"russie\r"}, Author: "admin" + osc, Language: "fr",
		FetchedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	data, err := a.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := runImport(ctx, env.g(), file, importOptions{maxLine: defaultMaxLine}); err != nil {
		t.Fatal(err)
	}

	text := []struct {
		name string
		run  func() error
		want string
	}{
		{"show", func() error { return runShow(ctx, showOptions{}, env.g(), url) }, "Corée du Nord"},
		{"show --revisions", func() error { return runShow(ctx, showOptions{revisions: true}, env.g(), url) }, "Corée du Nord"},
		{"search", func() error { return runSearch(ctx, searchOptions{limit: 10, facets: true}, env.g(), "corée") }, "Corée du Nord"},
		{"stats", func() error { return runStats(ctx, env.g(), false, 10) }, "L'Europe"},
	}
	for _, tt := range text {
		t.Run(tt.name, func(t *testing.T) {
			env.stdout.Reset()
			if err := tt.run(); err != nil {
				t.Fatal(err)
			}
			out := env.stdout.String()
			if hasTerminalControl(out) {
				t.Errorf("output holds control characters: %q", out)
			}
			if !strings.Contains(out, tt.want) {
				t.Errorf("output lacks %q: %q", tt.want, out)
			}
		})
	}

	t.Run("show --json", func(t *testing.T) {
		env.stdout.Reset()
		if err := runShow(ctx, showOptions{json: true}, env.g(), url); err != nil {
			t.Fatal(err)
		}
		out := env.stdout.String()
		if strings.Contains(out, "\x1b") || !strings.Contains(out, `\u001b]0;owned\u0007`) {
			t.Errorf("JSON does not hold the escape sequences escaped: %s", out)
		}
	})
}
