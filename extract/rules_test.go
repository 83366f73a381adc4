package extract

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestDefaultRulesValidate(t *testing.T) {
	if err := DefaultRules().Validate(); err != nil {
		t.Fatalf("DefaultRules().Validate() = %v", err)
	}
	if err := (Rules{}).Validate(); err != nil {
		t.Fatalf("Rules{}.Validate() = %v", err)
	}
}

func TestValidateNamesTheBadField(t *testing.T) {
	tests := []struct {
		name  string
		rules Rules
		want  string
	}{
		{"selector", Rules{Title: "h1[", Body: ".entry-content"}, `rules.title: selector "h1["`},
		{"later field", Rules{CommentCount: "#comments >"}, "rules.comment_count"},
		{"pseudo class", Rules{Drop: ".share:nosuch"}, "rules.drop"},
		{"time zone", Rules{TimeZone: "Europe/Pariss"}, `rules.time_zone: load "Europe/Pariss"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rules.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestExtractRejectsBadRules(t *testing.T) {
	_, err := extractPage(t, "https://radio.example/x/", []byte("<h1>x</h1>"), Rules{Author: "a[rel="})
	if err == nil || !strings.Contains(err.Error(), "rules.author") || !strings.Contains(err.Error(), "https://radio.example/x/") {
		t.Fatalf("Extract with a bad rule = %v, want an error naming rules.author and the page", err)
	}
}

func TestWithDefaults(t *testing.T) {
	d := DefaultRules()
	got := Rules{Title: ".headline", Author: ruleOff, TimeZone: "America/Montreal"}.WithDefaults()
	if got.Title != ".headline" || got.Author != ruleOff || got.TimeZone != "America/Montreal" {
		t.Errorf("WithDefaults changed set fields: %+v", got)
	}
	if got.Body != d.Body || got.Published != d.Published || got.Drop != d.Drop {
		t.Errorf("WithDefaults left empty fields empty: body %q, published %q, drop %q", got.Body, got.Published, got.Drop)
	}
	if again := got.WithDefaults(); !reflect.DeepEqual(again, got) {
		t.Errorf("WithDefaults is not idempotent: %+v then %+v", got, again)
	}
	if zero := (Rules{}).WithDefaults(); !reflect.DeepEqual(zero, d) {
		t.Errorf("Rules{}.WithDefaults() = %+v, want DefaultRules()", zero)
	}
}

// TestRulesYAMLKeys holds the config keys: every selector field, the time
// zone and the language decode from the snake_case keys, and the logger is
// not a key.
func TestRulesYAMLKeys(t *testing.T) {
	src := `
article: article.post
title: h1.headline
published: time.published
modified: time.updated
category: .cats a
tags: .tags a
author: .byline a
summary: .chapo
body: .story
previous: .prev
next: .next
related: .see-also
source: .credit a
comment_count: .comments-count
images: .story img
drop: .share, .rating
icons: i.icon
not_article: body.podcast
time_zone: America/Montreal
language: fr
`
	var r Rules
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("decode: %v", err)
	}
	for _, f := range r.fields() {
		if *f.value == "" {
			t.Errorf("key %s did not decode", f.key)
		}
	}
	if r.TimeZone != "America/Montreal" || r.Language != "fr" {
		t.Errorf("time_zone, language = %q, %q", r.TimeZone, r.Language)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
	var bad Rules
	dec = yaml.NewDecoder(strings.NewReader("logger: x\n"))
	dec.KnownFields(true)
	if err := dec.Decode(&bad); err == nil {
		t.Error("the logger decoded from YAML; it must not be a config key")
	}
}

func TestRulesOverrideDefaults(t *testing.T) {
	page := wpPage(`<title>x</title>`, singleClass, `<h1>Titre affiché</h1><p class="kicker">Surtitre</p>
<div class="entry-content">`+leadPara+`</div><div class="story"><p>Le vrai corps choisi par la règle du site.</p></div>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, Rules{Title: ".kicker", Body: ".story"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Surtitre" {
		t.Errorf("title = %q, want the rule's Surtitre", a.Title)
	}
	if a.Body != "Le vrai corps choisi par la règle du site." {
		t.Errorf("body = %q, want the rule's .story", a.Body)
	}
}

func TestSelectorAlternativesInOrder(t *testing.T) {
	// "h1.entry-title, h1": the first alternative wins even when the second
	// matches earlier in the page.
	page := wpPage(`<title>x</title>`, singleClass, `<h1>Titre de section</h1><h1 class="entry-title">Le vrai titre</h1>
<div class="entry-content">`+leadPara+`</div>`)
	a, err := extractPage(t, "https://radio.example/2022/11/07/x/", page, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Le vrai titre" {
		t.Errorf("title = %q, want %q", a.Title, "Le vrai titre")
	}
}

func TestSplitAlternatives(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"h1.entry-title, h1", []string{"h1.entry-title", "h1"}},
		{`article:has(h1, h2), main`, []string{"article:has(h1, h2)", "main"}},
		{`a[title="a, b"], p:contains('x, y')`, []string{`a[title="a, b"]`, `p:contains('x, y')`}},
		{"#comments h3", []string{"#comments h3"}},
	}
	for _, tt := range tests {
		got := splitAlternatives(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitAlternatives(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if _, err := compileAlternatives(tt.in); err != nil {
			t.Errorf("compileAlternatives(%q): %v", tt.in, err)
		}
	}
}
