package eval

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
	"folio/extract"
)

func TestLoadHuman(t *testing.T) {
	cases, err := Load("testdata/human")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, c := range cases {
		paths = append(paths, c.Path())
	}
	if got, want := strings.Join(paths, " "), "dates/market news/bread news/hours"; got != want {
		t.Fatalf("loaded %q, want %q (by folder, then name)", got, want)
	}
	market, bread, hours := cases[0], cases[1], cases[2]
	for _, c := range cases {
		if c.Human == nil {
			t.Fatalf("%s: not read as human-annotated", c.Path())
		}
	}
	if bread.Page.URL != "https://crumb.example/2023/03/slow-bread/" || bread.Folder != "news" {
		t.Errorf("bread: url %q folder %q", bread.Page.URL, bread.Folder)
	}
	h := bread.Human
	if *h.Title != `Why "Slow" Bread Tastes Better` || *h.Date != "2023-03-14" || *h.Author != "Jo Baker; Ann Cook" ||
		len(h.Categories) != 2 || len(h.Tags) != 1 || len(h.BodyWith) != 3 || len(h.BodyWithout) != 2 {
		t.Errorf("bread record read as %+v", h)
	}
	if hours.Human.Date != nil || !hours.Human.fullyAnnotated() {
		t.Errorf("hours: date %v, fully annotated %v; want null and true", hours.Human.Date, hours.Human.fullyAnnotated())
	}
	if market.Human.fullyAnnotated() || market.Human.Title != nil {
		t.Errorf("market: a date-only record read as fully annotated: %+v", market.Human)
	}
	// The page's bytes as stored: "marché" in Windows-1252 is one byte é.
	if !bytes.Contains(market.Page.Body, []byte("march\xe9")) {
		t.Errorf("market page bytes changed on loading")
	}
}

func TestLoadHumanErrors(t *testing.T) {
	record := func(extra string) string {
		return `{"id": "a", "dataset": "d", "url": "https://x.example/a", "title": null, "date": null, "author": null,
"body": null, "categories": null, "tags": null, "body_with": null, "body_without": null, "source": null` + extra + `}`
	}
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown key", map[string]string{"a.html": "<p>x", "a.json": record(`, "titel": "x"`)}, `unknown field "titel"`},
		{"date not a day", map[string]string{"a.html": "<p>x", "a.json": strings.Replace(record(""), `"date": null`, `"date": "2 May 2020"`, 1)},
			`date "2 May 2020"`},
		{"no url", map[string]string{"a.html": "<p>x", "a.json": strings.Replace(record(""), `"https://x.example/a"`, `""`, 1)}, "no url"},
		{"formats mixed", map[string]string{"a.html": "<p>x", "a.json": record(""),
			"sub/b.html": "<p>y", "sub/b.json": `{"url": null, "title": "y"}`}, "one format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	// A day written with month and day swapped has the form of a day: it
	// loads, and no record can match it.
	dir := t.TempDir()
	swapped := strings.Replace(record(""), `"date": null`, `"date": "2022-29-11"`, 1)
	for name, content := range map[string]string{"a.html": "<p>x", "a.json": swapped} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Load(dir); err != nil {
		t.Errorf("a swapped day: %v", err)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Why  Slow\tBread\n", "why slow bread"},
		{"Straße", "strasse"}, // case folding, not lower-casing
		{"“Slow” ‘bread’ «pain» „Brot“ 'x' \"y\"", `"slow" "bread" "pain" "brot" "x" "y"`}, // every quotation mark
		{"A – B — C ‐ D − E - F", "a - b - c - d - e - f"},                                 // every dash, and the minus sign
		{"ﬁne Ｆｕｌｌ ½", "fine full 1⁄2"},                                                    // NFKC
		{"a\u00a0b", "a b"}, // no-break space is white space
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScoreHuman(t *testing.T) {
	at := func(s string) *time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &tm
	}
	full := func(h Human) Case {
		if h.BodyWith == nil {
			h.BodyWith = []string{}
		}
		return Case{Name: "c", Human: &h}
	}
	dateOnly := func(h Human) Case { return Case{Name: "c", Human: &h} }
	refused := errors.New("not an article")
	title, day, author, category := func(s HumanScore) Match { return s.Title }, func(s HumanScore) Match { return s.Day },
		func(s HumanScore) Match { return s.Author }, func(s HumanScore) Match { return s.Category }
	tests := []struct {
		name     string
		c        Case
		got      Result
		err      error
		field    func(HumanScore) Match
		measured bool
		right    bool
	}{
		{"title after quotes, dashes, case, space", full(Human{Title: ptr(`Bread – the “Slow” Way`)}),
			Result{Title: ` bread -  THE "slow" way`}, nil, title, true, true},
		{"title with the site name", full(Human{Title: ptr("Slow Bread")}), Result{Title: "Slow Bread | The Crumb"}, nil, title, true, false},
		{"no title", full(Human{Title: ptr("Slow Bread")}), Result{}, nil, title, true, false},
		{"title not annotated", full(Human{}), Result{Title: "x"}, nil, title, false, false},
		{"title of a refused page", full(Human{Title: ptr("Slow Bread")}), Result{Title: "Slow Bread"}, refused, title, true, false},

		// 23:30 in New York on the 14th is the 15th in UTC: the day is read
		// in the offset the record states.
		{"day in the record's offset", full(Human{Date: ptr("2023-03-14")}), Result{Published: at("2023-03-14T23:30:00-05:00")},
			nil, day, true, true},
		{"day in UTC", full(Human{Date: ptr("2023-03-14")}), Result{Published: at("2023-03-15T04:30:00Z")}, nil, day, true, false},
		{"no day given", full(Human{Date: ptr("2023-03-14")}), Result{}, nil, day, true, false},
		{"swapped day never matches", full(Human{Date: ptr("2022-29-11")}), Result{Published: at("2022-11-29T10:00:00Z")}, nil, day, true, false},
		{"no day where none: none given", full(Human{}), Result{}, nil, day, true, true},
		{"no day where none: one given", full(Human{}), Result{Published: at("2020-01-01T00:00:00Z")}, nil, day, true, false},
		{"no day where none: refused page", full(Human{}), Result{Published: at("2020-01-01T00:00:00Z")}, refused, day, true, true},
		{"date-only page: day", dateOnly(Human{Date: ptr("2021-04-02")}), Result{Published: at("2021-04-02T08:00:00+02:00")}, nil, day, true, true},
		{"date-only page: refused", dateOnly(Human{Date: ptr("2021-04-02")}), Result{}, refused, day, true, false},
		{"no date, not fully annotated", dateOnly(Human{}), Result{}, nil, day, false, false},

		{"author names in another order and separator", full(Human{Author: ptr("Jo Baker; Ann Cook")}), Result{Author: "ann cook, Jo  Baker"},
			nil, author, true, true},
		{"author with a label and a role", full(Human{Author: ptr("Jane Doe")}), Result{Author: "By Jane Doe, Staff Writer"}, nil, author, true, false},
		{"one author of two", full(Human{Author: ptr("Jo Baker, Ann Cook")}), Result{Author: "Jo Baker"}, nil, author, true, false},
		{"author with accents kept", full(Human{Author: ptr("José García")}), Result{Author: "Jose Garcia"}, nil, author, true, false},
		{"no author given", full(Human{Author: ptr("Jo Baker")}), Result{}, nil, author, true, false},
		{"author not annotated", full(Human{}), Result{Author: "Jo Baker"}, nil, author, false, false},

		{"category one of the annotated", full(Human{Categories: []string{"Baking", "FOOD"}}), Result{Category: "food"}, nil, category, true, true},
		{"category list is not a category", full(Human{Categories: []string{"Baking", "Food"}}), Result{Category: "Baking, Food"}, nil, category, true, false},
		{"no category given", full(Human{Categories: []string{"Baking"}}), Result{}, nil, category, true, false},
		{"categories empty", full(Human{Categories: []string{}}), Result{Category: "x"}, nil, category, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.field(ScoreHuman(tt.c, tt.got, tt.err))
			if m.Measured != tt.measured || m.Exact != tt.right || m.Fair != m.Exact {
				t.Errorf("verdict %+v, want measured %v right %v", m, tt.measured, tt.right)
			}
		})
	}
}

func TestScoreHumanBody(t *testing.T) {
	h := &Human{
		BodyWith:    []string{"slow  bread\ntastes", "the crust brown", "Missing line", "CASE counts"},
		BodyWithout: []string{"Subscribe now", "All rights reserved", "not on the page"},
	}
	c := Case{Name: "c", Human: h}
	body := "Why slow bread\n\ntastes better: the crust\u00a0brown.\n\ncase counts\n\nSubscribe   now"
	s := ScoreHuman(c, Result{Body: body}, nil)
	if s.TP != 2 || s.FN != 2 || s.FP != 1 || s.TN != 2 {
		t.Errorf("TP %d FN %d FP %d TN %d, want 2 2 1 2", s.TP, s.FN, s.FP, s.TN)
	}
	if strings.Join(s.Missed, "|") != "Missing line|CASE counts" || strings.Join(s.Kept, "|") != "Subscribe now" {
		t.Errorf("missed %q kept %q", s.Missed, s.Kept)
	}
	s = ScoreHuman(c, Result{Body: body}, errors.New("not an article"))
	if s.TP != 0 || s.FN != 4 || s.FP != 0 || s.TN != 3 {
		t.Errorf("refused page: TP %d FN %d FP %d TN %d, want 0 4 0 3", s.TP, s.FN, s.FP, s.TN)
	}
}

// fixed is an extractor that returns a set result for each page URL and
// refuses the others.
func fixed(name string, results map[string]Result) Extractor {
	return Extractor{Name: name, Extract: func(p folio.Page) (Result, error) {
		r, ok := results[p.URL]
		if !ok {
			return Result{}, errors.New("not an article")
		}
		return r, nil
	}}
}

// TestRunHuman sums verdicts over pages and folders: precision and recall
// come from counts summed over all pages, not from means of pages.
func TestRunHuman(t *testing.T) {
	cases, err := Load("testdata/human")
	if err != nil {
		t.Fatal(err)
	}
	published := time.Date(2023, 3, 14, 23, 30, 0, 0, time.FixedZone("", -5*3600))
	good := fixed("good", map[string]Result{
		"https://crumb.example/2023/03/slow-bread/": {Title: "Why “Slow” Bread Tastes Better", Author: "Ann Cook, Jo Baker",
			Published: &published, Category: "Baking",
			Body: "A long fermentation gives the yeast time. It tastes of little more than flour and salt. Subscribe to our newsletter"},
		"https://library.example/hours/": {Title: "Hours", Body: "On Saturdays the reading room alone is open."},
	})
	rep := RunHuman(cases, good, fixed("none", nil))
	if strings.Join(rep.Folders, " ") != "dates news" {
		t.Errorf("folders %q", rep.Folders)
	}
	s := rep.Results[0].Summary()
	// bread: with 2 of 3 found, 1 of 2 without kept; hours: 1 of 1 found,
	// 0 of 1 kept.
	if s.TP != 3 || s.FN != 1 || s.FP != 1 || s.TN != 2 {
		t.Errorf("counts TP %d FN %d FP %d TN %d, want 3 1 1 2", s.TP, s.FN, s.FP, s.TN)
	}
	if !near(s.Precision(), 0.75) || !near(s.Recall(), 0.75) || !near(s.F1(), 0.75) {
		t.Errorf("P %.3f R %.3f F1 %.3f, want 0.75 each", s.Precision(), s.Recall(), s.F1())
	}
	if s.Pages != 3 || s.Records != 2 || s.Title != (FieldSummary{2, 1, 1}) || s.Author != (FieldSummary{1, 1, 1}) ||
		s.Category != (FieldSummary{1, 1, 1}) {
		t.Errorf("summary %+v", s)
	}
	// Day: bread right, hours (none annotated, none given) right, market
	// refused.
	if s.Day != (FieldSummary{3, 2, 2}) || s.Dated != (FieldSummary{2, 1, 1}) || s.Undated != (FieldSummary{1, 1, 1}) {
		t.Errorf("day %+v dated %+v undated %+v", s.Day, s.Dated, s.Undated)
	}
	if f := rep.Results[0].FolderSummary("dates"); f.Pages != 1 || f.Records != 0 || f.Day != (FieldSummary{1, 0, 0}) || f.Title.Measured != 0 {
		t.Errorf("dates folder %+v", f)
	}
	none := rep.Results[1].Summary()
	if none.Records != 0 || none.TP != 0 || none.FN != 4 || none.TN != 3 || none.Day != (FieldSummary{3, 1, 1}) {
		t.Errorf("an extractor that refuses every page: %+v", none)
	}

	var out bytes.Buffer
	if err := rep.Write(&out, true); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, row := range []struct{ label, good, none string }{
		{"pages with a record", "0.667", "0.000"},
		{"title (of 2)", "0.500", "0.000"},
		{"publication day (of 3)", "0.667", "0.333"},
		{"no day, where none (of 1)", "1.000", "1.000"},
		{"body snippet F1", "0.750", "0.000"},
		{"body TP/FN/FP/TN", "3/1/1/2", "0/4/0/3"},
	} {
		re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(row.label) + `\s+(\S+)\s+(\S+)\s*$`)
		m := re.FindStringSubmatch(text)
		if m == nil || m[1] != row.good || m[2] != row.none {
			t.Errorf("row %q = %v, want %s %s in:\n%s", row.label, m, row.good, row.none, text)
		}
	}
	for _, want := range []string{"all pages: 3 pages", "dates/: 1 page ", "news/: 2 pages",
		"good, page by page", "news/hours    T- D+ A. C.  TP  1 FN  0 FP  0",
		`    title     got "Hours" want "Opening hours"`, `    missed    "the dough does the work while the baker sleeps"`,
		`    kept      "Subscribe to our newsletter"`, "    no record: not an article"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

// TestRunHumanFolio runs folio and readability on the fixtures, in
// parallel: the report is the same from run to run, and every snippet is
// counted once.
func TestRunHumanFolio(t *testing.T) {
	cases, err := Load("testdata/human")
	if err != nil {
		t.Fatal(err)
	}
	var outs [2]bytes.Buffer
	for i := range outs {
		rep := Evaluate(cases, Folio(extract.Rules{}), Readability())
		if err := rep.Write(&outs[i], true); err != nil {
			t.Fatal(err)
		}
		hr := rep.(HumanReport)
		for _, r := range hr.Results {
			s := r.Summary()
			if s.TP+s.FN != 4 || s.FP+s.TN != 3 || s.Pages != 3 {
				t.Errorf("%s: %+v, want 4 snippets with and 3 without on 3 pages", r.Name, s)
			}
		}
	}
	if outs[0].String() != outs[1].String() {
		t.Errorf("two runs differ:\n%s\n---\n%s", outs[0].String(), outs[1].String())
	}
}

// TestExtractAllRecoversPanics: a panicking extractor fails that page only.
func TestExtractAllRecoversPanics(t *testing.T) {
	cases, err := Load("testdata/human")
	if err != nil {
		t.Fatal(err)
	}
	x := Extractor{Name: "fragile", Extract: func(p folio.Page) (Result, error) {
		if strings.Contains(p.URL, "hours") {
			panic("boom")
		}
		return Result{Title: p.URL}, nil
	}}
	out := extractAll(cases, x)
	for i, o := range out {
		if hours := strings.Contains(cases[i].Page.URL, "hours"); hours != (o.err != nil) || (!hours && o.got.Title != cases[i].Page.URL) {
			t.Errorf("%s: %+v", cases[i].Path(), o)
		}
	}
}

// TestPersonKeyConcurrently: authors are folded from several evals at once
// (the tests of cmd/folio run them in parallel); under -race, a transformer
// shared between them was a data race.
func TestPersonKeyConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got := personKey("Par Élodie Müller"); got != "elodie muller" {
					t.Errorf("personKey = %q, want %q", got, "elodie muller")
					return
				}
			}
		})
	}
	wg.Wait()
}
