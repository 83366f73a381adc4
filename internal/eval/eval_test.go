package eval

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/extract"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestShinglesAndBagOfWords(t *testing.T) {
	tests := []struct {
		name          string
		ref, got      string
		n             int
		wantP, wantR  float64
		wantBagP      float64
		wantBagR      float64
		wantPerfectF1 bool
	}{
		// Six tokens: three 4-shingles each; the second text drops the last
		// token and adds two, so it shares the first two shingles and has
		// two of its own: tp 2, fp 2, fn 1.
		{name: "partial", ref: "The cat sat on the mat", got: "the Cat sat on the dog barked", n: 4,
			wantP: 0.5, wantR: 2.0 / 3, wantBagP: 5.0 / 7, wantBagR: 5.0 / 6},
		{name: "identical after case and punctuation", ref: "Hello, world: one two!", got: "hello world one TWO", n: 4,
			wantP: 1, wantR: 1, wantBagP: 1, wantBagR: 1, wantPerfectF1: true},
		{name: "nothing found", ref: "one two three four five", got: "", n: 4},
		{name: "both empty", ref: "", got: "  ", n: 4, wantP: 1, wantR: 1, wantBagP: 1, wantBagR: 1, wantPerfectF1: true},
		// Fewer tokens than n: the whole text is one shingle.
		{name: "short text", ref: "a b", got: "a b", n: 4, wantP: 1, wantR: 1, wantBagP: 1, wantBagR: 1, wantPerfectF1: true},
		{name: "unicode words", ref: "Ελληνικά κείμενα καλά εδώ", got: "ελληνικά κείμενα καλά εδώ", n: 4,
			wantP: 1, wantR: 1, wantBagP: 1, wantBagR: 1, wantPerfectF1: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Shingles(tt.ref, tt.got, tt.n)
			if !near(s.Precision, tt.wantP) || !near(s.Recall, tt.wantR) {
				t.Errorf("Shingles P, R = %.4f, %.4f; want %.4f, %.4f", s.Precision, s.Recall, tt.wantP, tt.wantR)
			}
			if want := f1(tt.wantP, tt.wantR); !near(s.F1, want) {
				t.Errorf("Shingles F1 = %.4f, want %.4f", s.F1, want)
			}
			b := BagOfWords(tt.ref, tt.got)
			if !near(b.Precision, tt.wantBagP) || !near(b.Recall, tt.wantBagR) {
				t.Errorf("BagOfWords P, R = %.4f, %.4f; want %.4f, %.4f", b.Precision, b.Recall, tt.wantBagP, tt.wantBagR)
			}
			if tt.wantPerfectF1 && (s.F1 != 1 || b.F1 != 1) {
				t.Errorf("F1 = %v (shingles), %v (words), want 1", s.F1, b.F1)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestScoreFields(t *testing.T) {
	at := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	tests := []struct {
		name      string
		want      Expected
		got       Result
		check     func(PageScore) Match
		exact     bool
		fair      bool
		unmeasure bool
	}{
		{"title equal after folding space", Expected{Title: ptr("A  headline\u00a0here")}, Result{Title: "A headline here"},
			func(s PageScore) Match { return s.Title }, true, true, false},
		{"title without the site suffix", Expected{Title: ptr("A headline here | Site")}, Result{Title: "A headline here"},
			func(s PageScore) Match { return s.Title }, false, true, false},
		{"title without the site prefix", Expected{Title: ptr("Site » A headline here")}, Result{Title: "A headline here"},
			func(s PageScore) Match { return s.Title }, false, true, false},
		{"title that keeps only the site name", Expected{Title: ptr("A headline here | Site")}, Result{Title: "Site"},
			func(s PageScore) Match { return s.Title }, false, false, false},
		{"title cut inside a segment", Expected{Title: ptr("A headline here")}, Result{Title: "A headline"},
			func(s PageScore) Match { return s.Title }, false, false, false},
		{"empty title never matches", Expected{Title: ptr("")}, Result{},
			func(s PageScore) Match { return s.Title }, false, false, false},
		{"no reference title", Expected{}, Result{Title: "x"},
			func(s PageScore) Match { return s.Title }, false, false, true},
		// 23:30 in New York is the next day in Paris: the day is read in
		// the reference's offset.
		{"published day in the reference's offset", Expected{Published: ptr("2023-03-14T23:30:00-05:00")},
			Result{Published: at("2023-03-15T05:30:00+01:00")}, func(s PageScore) Match { return s.Published }, true, true, false},
		{"published on another day", Expected{Published: ptr("2023-03-14T10:00:00Z")},
			Result{Published: at("2023-03-15T10:00:00Z")}, func(s PageScore) Match { return s.Published }, false, false, false},
		{"published date without offset", Expected{Published: ptr("2024-06-25")},
			Result{Published: at("2024-06-25T00:00:00+02:00")}, func(s PageScore) Match { return s.Published }, true, true, false},
		{"published missing", Expected{Published: ptr("2024-06-25")}, Result{},
			func(s PageScore) Match { return s.Published }, false, false, false},
		{"author folded", Expected{Author: ptr("By José  García.")}, Result{Author: "jose garcia"},
			func(s PageScore) Match { return s.Author }, true, true, false},
		{"author contained", Expected{Author: ptr("Jo Baker, Staff Writer")}, Result{Author: "Jo Baker"},
			func(s PageScore) Match { return s.Author }, false, true, false},
		{"author wrong", Expected{Author: ptr("Jo Baker")}, Result{Author: "Ann Cook"},
			func(s PageScore) Match { return s.Author }, false, false, false},
		{"blank reference author not measured", Expected{Author: ptr(" ")}, Result{Author: "Ann Cook"},
			func(s PageScore) Match { return s.Author }, false, false, true},
		{"language base", Expected{Language: ptr("en-US")}, Result{Language: "en"},
			func(s PageScore) Match { return s.Language }, true, true, false},
		{"tags in order", Expected{Tags: ptr([]string{"a", "b"})}, Result{Tags: []string{"a", "b"}},
			func(s PageScore) Match { return s.Tags }, true, true, false},
		{"tags missing one", Expected{Tags: ptr([]string{"a", "b"})}, Result{Tags: []string{"a"}},
			func(s PageScore) Match { return s.Tags }, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.check(Score(Case{Name: "c", Want: tt.want}, tt.got, nil))
			if m.Measured == tt.unmeasure || m.Exact != tt.exact || m.Fair != tt.fair {
				t.Errorf("match = %+v, want measured %v exact %v fair %v", m, !tt.unmeasure, tt.exact, tt.fair)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	cases, err := Load("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 2 || cases[0].Name != "blog" || cases[1].Name != "notice" {
		t.Fatalf("loaded %d cases %v, want blog and notice", len(cases), cases)
	}
	if got := cases[0].Page.URL; got != "http://example.com/blog/" {
		t.Errorf("null url gave page url %q, want the placeholder", got)
	}
	if got := cases[1].Page.URL; got != "https://library.example/hours/" {
		t.Errorf("page url = %q, want the record's", got)
	}
	if !bytes.Contains(cases[0].Page.Body, []byte("Slow Bread")) || cases[0].Page.Status != 200 {
		t.Errorf("page not loaded: status %d, %d bytes", cases[0].Page.Status, len(cases[0].Page.Body))
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"no pages", map[string]string{"a.json": "{}"}, "no *.html file"},
		{"no record", map[string]string{"a.html": "<p>x"}, "no expected record a.json"},
		{"bad json", map[string]string{"a.html": "<p>x", "a.json": "{"}, "a.json"},
		{"unknown key", map[string]string{"a.html": "<p>x", "a.json": `{"titel": "x"}`}, `unknown field "titel"`},
		{"bad date", map[string]string{"a.html": "<p>x", "a.json": `{"published": "yesterday"}`}, `published "yesterday"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Load of a missing directory gave no error")
	}
}

// TestRun runs folio and readability on the fixtures: folio finds every
// field of both pages; the report counts what each measured.
func TestRun(t *testing.T) {
	cases, err := Load("testdata")
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(cases, Folio(extract.Rules{}), Readability())
	if len(rep.Results) != 2 || rep.Results[0].Name != "folio" || rep.Results[1].Name != "readability" {
		t.Fatalf("results %+v, want folio then readability", rep.Results)
	}
	s := rep.Results[0].Summary()
	if s.Failed != 0 {
		t.Errorf("folio failed on %d pages: %+v", s.Failed, rep.Results[0].Pages)
	}
	if s.Title.Measured != 2 || s.Title.Fair != 2 || s.Title.Exact != 1 {
		t.Errorf("title = %+v, want 2 measured, 1 exact (the site suffix is stripped), 2 fair", s.Title)
	}
	if s.Published != (FieldSummary{1, 1, 1}) || s.Author != (FieldSummary{1, 1, 1}) {
		t.Errorf("published %+v, author %+v: want 1 of 1", s.Published, s.Author)
	}
	if s.Shingles.F1 != 1 || s.Bag.F1 != 1 || s.Shingles.MeanPageF1 != 1 {
		t.Errorf("body scores %+v %+v, want 1", s.Shingles, s.Bag)
	}

	var out bytes.Buffer
	if err := rep.Write(&out, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 pages", "title exact (of 2)", "published day (of 1)", "body shingles F1",
		"folio, page by page", "readability, page by page", "blog "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestRunCountsFailures scores a refused page as zero on every field.
func TestRunCountsFailures(t *testing.T) {
	refuse := Extractor{Name: "refuser", Extract: func(folio.Page) (Result, error) {
		return Result{}, errors.New("not an article")
	}}
	cases, err := Load("testdata")
	if err != nil {
		t.Fatal(err)
	}
	s := Run(cases, refuse).Results[0].Summary()
	if s.Failed != 2 || s.Title.Fair != 0 || s.Shingles.Precision != 0 || s.Shingles.Recall != 0 {
		t.Errorf("summary %+v, want 2 failures and zero scores", s)
	}
}
