package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio"
)

// iterationFixture is a small archive whose order and filters the tests
// work out by hand:
//
//	name site       published          category (others)  written on day (seq)
//	A    a.example  2022-11-03 10:00   L'Europe           1 (1)
//	B    a.example  2022-11-01 08:00   Asie (L'Europe)    2 (2), changed on 6 (6)
//	C    b.example  2022-11-02 12:00   Asie               3 (3)
//	D    a.example  unknown            Sport              4 (4)
//	E    b.example  2022-11-02 12:00   Sport              5 (5)
type iterationFixture struct {
	s    *Store
	ids  map[string]string // name → id
	days []time.Time       // days[i] is the clock on day i
}

func newIterationFixture(t *testing.T) *iterationFixture {
	t.Helper()
	clock := &testClock{}
	f := &iterationFixture{s: newStore(t, WithClock(clock.now)), ids: map[string]string{}}
	for i := range 7 {
		f.days = append(f.days, time.Date(2024, 1, 1+i, 12, 0, 0, 0, time.UTC))
	}
	at := func(day, hour int) *time.Time {
		t := time.Date(2022, 11, day, hour, 0, 0, 0, paris)
		return &t
	}
	records := []struct {
		name, site string
		published  *time.Time
		categories []string
		day        int
	}{
		{"A", "a.example", at(3, 10), []string{"L'Europe"}, 1},
		{"B", "a.example", at(1, 8), []string{"Asie", "L'Europe"}, 2},
		{"C", "b.example", at(2, 12), []string{"Asie"}, 3},
		{"D", "a.example", nil, []string{"Sport"}, 4},
		{"E", "b.example", at(2, 12), []string{"Sport"}, 5},
		{"B", "a.example", at(1, 8), []string{"Asie", "L'Europe"}, 6},
	}
	for _, r := range records {
		a := testArticle(r.site, 0)
		a.URL = "https://" + r.site + "/" + strings.ToLower(r.name) + "/"
		a.ID = folio.ArticleID(a.URL)
		a.Title = "Article " + r.name
		a.Published = r.published
		a.Category, a.Categories = r.categories[0], r.categories
		if r.day == 6 {
			a.Body += " Corrigé."
		}
		a.ContentHash = folio.ContentHash(a.Title, a.Body)
		clock.set(f.days[r.day])
		mustPut(t, f.s, a, testPage(a))
		f.ids[r.name] = a.ID
	}
	return f
}

// names maps ids back to fixture names.
func (f *iterationFixture) names(ids []string) []string {
	byID := map[string]string{}
	for name, id := range f.ids {
		byID[id] = name
	}
	var out []string
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out
}

// tie orders names whose records share a publication instant: by id.
func (f *iterationFixture) tie(names ...string) []string {
	out := slices.Clone(names)
	sort.Slice(out, func(i, j int) bool { return f.ids[out[i]] < f.ids[out[j]] })
	return out
}

func TestIterateOrderAndFilters(t *testing.T) {
	ctx := context.Background()
	f := newIterationFixture(t)
	since := time.Date(2022, 11, 2, 0, 0, 0, 0, paris)
	CE := f.tie("C", "E")
	tests := []struct {
		name string
		opts IterateOptions
		want []string
	}{
		{"everything, by publication then id", IterateOptions{}, slices.Concat([]string{"D", "B"}, CE, []string{"A"})},
		{"site", IterateOptions{Filter: Filter{Site: "a.example"}}, []string{"D", "B", "A"}},
		{"site in capitals", IterateOptions{Filter: Filter{Site: "A.Example"}}, []string{"D", "B", "A"}},
		{"primary or other category", IterateOptions{Filter: Filter{Category: "L'Europe"}}, []string{"B", "A"}},
		{"category", IterateOptions{Filter: Filter{Category: "Asie"}}, []string{"B", "C"}},
		{"category, case and accents ignored", IterateOptions{Filter: Filter{Category: "ASIE"}}, []string{"B", "C"}},
		{"category typed another way", IterateOptions{Filter: Filter{Category: "l’EUROPE"}}, []string{"B", "A"}},
		{"unknown category", IterateOptions{Filter: Filter{Category: "Asia"}}, nil},
		{"author, case ignored", IterateOptions{Filter: Filter{Author: "ADMIN", Site: "b.example"}}, CE},
		{"unknown author", IterateOptions{Filter: Filter{Author: "adm"}}, nil},
		{"published since, undated left out", IterateOptions{Filter: Filter{Since: since}}, slices.Concat(CE, []string{"A"})},
		{"since the exact instant", IterateOptions{Filter: Filter{Since: time.Date(2022, 11, 3, 10, 0, 0, 0, paris)}}, []string{"A"}},
		{"since and site", IterateOptions{Filter: Filter{Since: since, Site: "b.example"}}, CE},
		{"changed since", IterateOptions{Filter: Filter{ChangedSince: f.days[5]}}, []string{"B", "E"}},
		{"changed since, site and category", IterateOptions{Filter: Filter{ChangedSince: f.days[3], Site: "a.example", Category: "Sport"}}, []string{"D"}},
		{"after seq, in seq order", IterateOptions{AfterSeq: 3}, []string{"D", "E", "B"}},
		{"after seq, in publication order", IterateOptions{AfterSeq: 3, Order: OrderPublished}, []string{"D", "B", "E"}},
		{"all in seq order", IterateOptions{Order: OrderSeq}, []string{"A", "C", "D", "E", "B"}},
		{"after the last seq", IterateOptions{AfterSeq: 6}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ids []string
			err := f.s.Iterate(ctx, tt.opts, func(a folio.Article) error {
				ids = append(ids, a.ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, f.names(ids)); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIterateEntriesCarrySequence(t *testing.T) {
	ctx := context.Background()
	f := newIterationFixture(t)
	var got []Entry
	err := f.s.IterateEntries(ctx, IterateOptions{AfterSeq: 4}, func(e Entry) error {
		got = append(got, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name     string
		seq      int64
		revision int
		updated  time.Time
	}{
		{"E", 5, 1, f.days[5]},
		{"B", 6, 2, f.days[6]},
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i, w := range want {
		e := got[i]
		if e.Article.ID != f.ids[w.name] || e.Seq != w.seq || e.Revision != w.revision || !e.UpdatedAt.Equal(w.updated) {
			t.Errorf("entry %d = {%v seq %d rev %d at %s}, want {%s seq %d rev %d at %s}",
				i, f.names([]string{e.Article.ID}), e.Seq, e.Revision, e.UpdatedAt, w.name, w.seq, w.revision, w.updated)
		}
	}
}

func TestIterateStopsAtCallbackError(t *testing.T) {
	f := newIterationFixture(t)
	stop := errors.New("enough")
	calls := 0
	err := f.s.Iterate(context.Background(), IterateOptions{}, func(folio.Article) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Iterate = %v after %d calls, want the callback's error after 1", err, calls)
	}
}

func TestIterateCallbackMayWrite(t *testing.T) {
	ctx := context.Background()
	f := newIterationFixture(t)
	before, _ := f.s.MaxSeq(ctx)
	seen := 0
	// Re-extraction: every record read is written back with a new tag.
	err := f.s.Iterate(ctx, IterateOptions{}, func(a folio.Article) error {
		seen++
		a.Tags = append(a.Tags, "relu")
		_, err := f.s.Put(ctx, a, folio.Page{})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != 5 {
		t.Errorf("callback saw %d records, want the 5 of the snapshot", seen)
	}
	if after, _ := f.s.MaxSeq(ctx); after != before+5 {
		t.Errorf("MaxSeq = %d, want %d", after, before+5)
	}
}

func TestExportJSONHasEveryContractField(t *testing.T) {
	ctx := context.Background()
	f := newIterationFixture(t)
	var buf bytes.Buffer
	n, err := f.s.Export(ctx, &buf, ExportOptions{Format: FormatJSON})
	if err != nil {
		t.Fatal(err)
	}
	var objects []map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &objects); err != nil {
		t.Fatalf("export is not a JSON array: %v\n%s", err, buf.String())
	}
	if n != 5 || len(objects) != 5 {
		t.Fatalf("Export wrote %d records and reported %d, want 5", len(objects), n)
	}
	for i, o := range objects {
		var keys []string
		for k := range o {
			keys = append(keys, k)
		}
		if diff := cmp.Diff(contractFields, keys, cmp.Transformer("sort", func(s []string) []string {
			s = slices.Clone(s)
			slices.Sort(s)
			return s
		})); diff != "" {
			t.Errorf("record %d keys (-contract +got):\n%s", i, diff)
		}
	}
	// Lists are lists and an unknown source link is null, per the contract.
	if string(objects[0]["categories"]) == "null" || string(objects[0]["modified"]) != "null" {
		t.Errorf("record 0: categories %s, modified %s", objects[0]["categories"], objects[0]["modified"])
	}

	// The exported records are the archived ones, in Iterate's order.
	var records []folio.Article
	if err := json.Unmarshal(buf.Bytes(), &records); err != nil {
		t.Fatal(err)
	}
	i := 0
	err = f.s.Iterate(ctx, IterateOptions{}, func(a folio.Article) error {
		if diff := cmp.Diff(a, records[i], equalTimes); diff != "" {
			t.Errorf("exported record %d (-archived +exported):\n%s", i, diff)
		}
		i++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestExportFormatsAndFilters(t *testing.T) {
	ctx := context.Background()
	f := newIterationFixture(t)
	empty := newStore(t)
	tests := []struct {
		name       string
		store      *Store
		opts       ExportOptions
		wantN      int
		wantOutput func(string) bool
	}{
		{"jsonl, all", f.s, ExportOptions{Format: FormatJSONL}, 5, nil},
		{"jsonl, one site", f.s, ExportOptions{Format: FormatJSONL, Filter: Filter{Site: "b.example"}}, 2, nil},
		{"json, one category", f.s, ExportOptions{Format: FormatJSON, Filter: Filter{Category: "Sport"}}, 2, nil},
		{"json, nothing selected", f.s, ExportOptions{Format: FormatJSON, Filter: Filter{Site: "c.example"}}, 0,
			func(s string) bool { return s == "[]\n" }},
		{"json, empty archive", empty, ExportOptions{Format: FormatJSON}, 0, func(s string) bool { return s == "[]\n" }},
		{"jsonl, empty archive", empty, ExportOptions{Format: FormatJSONL}, 0, func(s string) bool { return s == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := tt.store.Export(ctx, &buf, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if tt.wantOutput != nil && !tt.wantOutput(out) {
				t.Errorf("output %q", out)
			}
			var records int
			switch tt.opts.Format {
			case FormatJSON:
				var list []folio.Article
				if err := json.Unmarshal(buf.Bytes(), &list); err != nil {
					t.Fatalf("not a JSON array: %v", err)
				}
				records = len(list)
			case FormatJSONL:
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if out == "" {
					lines = nil
				}
				for i, line := range lines {
					var a folio.Article
					if err := json.Unmarshal([]byte(line), &a); err != nil || a.ID == "" {
						t.Errorf("line %d is not a record: %v", i+1, err)
					}
				}
				records = len(lines)
			}
			if n != tt.wantN || records != tt.wantN {
				t.Errorf("Export reported %d and wrote %d records, want %d", n, records, tt.wantN)
			}
		})
	}
}

func TestExportRejectsUnknownFormat(t *testing.T) {
	s := newStore(t)
	var buf bytes.Buffer
	for _, format := range []ExportFormat{"", "xml", "JSON"} {
		if _, err := s.Export(context.Background(), &buf, ExportOptions{Format: format}); err == nil ||
			!strings.Contains(err.Error(), `"`+string(format)+`"`) {
			t.Errorf("Export format %q: %v, want an error naming it", format, err)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("Export with a bad format wrote %q", buf.String())
	}
}

// failingWriter fails every write, as a full disk or a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestExportReportsWriteErrors(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	// More than the export buffer holds, so the error surfaces while records
	// are still being read.
	for i := range 100 {
		a := testArticle("radio.example", i)
		a.Body = strings.Repeat(a.Body, 100)
		a.ContentHash = ""
		mustPut(t, s, a, folio.Page{})
	}
	_, err := s.Export(ctx, failingWriter{}, ExportOptions{Format: FormatJSONL})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Export to a failing writer: %v", err)
	}
}

func TestIterateHonoursCancellation(t *testing.T) {
	f := newIterationFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := f.s.Iterate(ctx, IterateOptions{}, func(folio.Article) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("Iterate after cancel = %v after %d calls, want context.Canceled after 1", err, calls)
	}
}

// TestFoldKey: filter values fold as the search index's keyword filters do.
func TestFoldKey(t *testing.T) {
	for in, want := range map[string]string{
		"L’Europe": "l'europe", "Corée du Sud": "coree du sud", "ŒUVRES": "oeuvres",
		"Élysée": "elysee", "radio.example": "radio.example", "": "",
	} {
		if got := FoldKey(in); got != want {
			t.Errorf("FoldKey(%q) = %q, want %q", in, got, want)
		}
	}
}
