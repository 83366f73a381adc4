package folio_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"folio"
)

var contractFields = []string{
	"id", "url", "site", "title", "published", "modified", "category", "categories", "tags",
	"author", "language", "summary", "body", "body_html", "previous", "next", "related",
	"source_url", "comment_count", "images", "fetched_at", "content_hash",
}

func TestArticleJSONHasEveryContractField(t *testing.T) {
	tests := []struct {
		name    string
		article folio.Article
		nulls   []string
		empties []string
	}{
		{
			name:    "empty record",
			article: folio.Article{},
			nulls:   []string{"published", "modified", "previous", "next", "source_url", "comment_count"},
			empties: []string{"categories", "tags", "related", "images"},
		},
		{
			name: "full record",
			article: folio.Article{
				URL: "https://radio.example/a/", Published: ptr(time.Date(2022, 11, 7, 0, 0, 0, 0, time.FixedZone("CET", 3600))),
				SourceURL: "https://www.rfi.fr/x", CommentCount: ptr(0), Tags: []string{"Russie"},
				Previous: &folio.PostLink{URL: "https://radio.example/b/"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.article)
			if err != nil {
				t.Fatal(err)
			}
			var fields map[string]json.RawMessage
			if err := json.Unmarshal(data, &fields); err != nil {
				t.Fatal(err)
			}
			for _, f := range contractFields {
				if _, ok := fields[f]; !ok {
					t.Errorf("field %q absent from %s", f, data)
				}
			}
			if len(fields) != len(contractFields) {
				t.Errorf("record has %d fields, the contract %d: %s", len(fields), len(contractFields), data)
			}
			for _, f := range tt.nulls {
				if string(fields[f]) != "null" {
					t.Errorf("%s = %s, want null", f, fields[f])
				}
			}
			for _, f := range tt.empties {
				if string(fields[f]) != "[]" {
					t.Errorf("%s = %s, want []", f, fields[f])
				}
			}
			var back folio.Article
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatal(err)
			}
			again, _ := json.Marshal(back)
			if string(again) != string(data) {
				t.Errorf("round trip changed the record:\n%s\n%s", data, again)
			}
		})
	}
}

func TestPublishedKeepsOffset(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	day := time.Date(2022, 11, 7, 0, 0, 0, 0, paris)
	data, _ := json.Marshal(folio.Article{Published: &day})
	var fields map[string]any
	_ = json.Unmarshal(data, &fields)
	if got := fields["published"]; got != "2022-11-07T00:00:00+01:00" {
		t.Errorf("published = %v, want 2022-11-07T00:00:00+01:00", got)
	}
}

func TestFoldSpace(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  a  ", "a"},
		{"seulement\u00a0; la", "seulement ; la"},
		{"a\n\n b\t\u202fc", "a b c"},
		{"déjà  vu", "déjà vu"},
	}
	for _, tt := range tests {
		if got := folio.FoldSpace(tt.in); got != tt.want {
			t.Errorf("FoldSpace(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestContentHashIgnoresWhiteSpaceOnly(t *testing.T) {
	a := folio.ContentHash("Titre", "Un paragraphe.\n\nUn autre.")
	if b := folio.ContentHash(" Titre ", "Un paragraphe.\u00a0\nUn autre."); a != b {
		t.Error("hash changed with white space only")
	}
	if c := folio.ContentHash("Titre", "Un paragraphe.\n\nUn autre !"); a == c {
		t.Error("hash did not change with the text")
	}
	if d := folio.ContentHash("TitreUn", "paragraphe.\n\nUn autre."); a == d {
		t.Error("moving text between title and body kept the hash")
	}
}

func TestArticleIDStable(t *testing.T) {
	id := folio.ArticleID("https://radio.example/2022/11/07/x/")
	if len(id) != 16 {
		t.Fatalf("id %q: want 16 hex digits", id)
	}
	if id != folio.ArticleID("https://radio.example/2022/11/07/x/") {
		t.Error("same URL, different id")
	}
	if id == folio.ArticleID("https://radio.example/2022/11/07/y/") {
		t.Error("different URLs, same id")
	}
}

func TestSiteOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://Radio.Example:8443/a", "radio.example"},
		{"http://127.0.0.1:8080/", "127.0.0.1"},
		{"::bad", ""},
	}
	for _, tt := range tests {
		if got := folio.SiteOf(tt.in); got != tt.want {
			t.Errorf("SiteOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestArticleJSONKeepsHTMLReadable(t *testing.T) {
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(folio.Article{BodyHTML: `<p>Tom & Jerry</p>`}); err != nil {
		t.Fatal(err)
	}
	if data := buf.String(); !strings.Contains(data, `"body_html":"<p>Tom & Jerry</p>"`) {
		t.Errorf("body_html escaped: %s", data)
	}
}
