package archive

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"folio"
)

func TestRecordFormatFollowsKeys(t *testing.T) {
	sample, err := sampleArticle().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(sample, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		data, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	tests := []struct {
		name     string
		json     []byte
		sameAsUs bool
	}{
		{"this build's records", sample, true},
		{"keys in another order", edit(func(map[string]any) {}), true},
		{"other values", edit(func(m map[string]any) { m["title"] = "Autre"; m["comment_count"] = 3 }), true},
		{"a field less", edit(func(m map[string]any) { delete(m, "images") }), false},
		{"a nested field less", edit(func(m map[string]any) { delete(m["previous"].(map[string]any), "excerpt") }), false},
		{"a field more", edit(func(m map[string]any) { m["word_count"] = 0 }), false},
	}
	for _, tt := range tests {
		got, err := formatOfJSON(tt.json)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if (got == recordFormat) != tt.sameAsUs {
			t.Errorf("%s: format %s, this build's %s; want same = %v", tt.name, got, recordFormat, tt.sameAsUs)
		}
	}
}

func TestExportReencodesOlderRecords(t *testing.T) {
	ctx := context.Background()
	f := newIterationFixture(t)
	var current bytes.Buffer
	if _, err := f.s.Export(ctx, &current, ExportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}

	// The same records, marked as written in an unknown format: they go
	// through folio.Article and come out byte for byte the same.
	if _, err := f.s.write.Exec(`UPDATE articles SET format = ''`); err != nil {
		t.Fatal(err)
	}
	var reencoded bytes.Buffer
	if _, err := f.s.Export(ctx, &reencoded, ExportOptions{Format: FormatJSONL}); err != nil {
		t.Fatal(err)
	}
	if current.String() != reencoded.String() {
		t.Errorf("copied and re-encoded exports differ:\n%s\n%s", current.String(), reencoded.String())
	}

	// A record written before a field existed gains it.
	a := testArticle("radio.example", 1)
	old, err := json.Marshal(map[string]any{"id": a.ID, "url": a.URL, "site": a.Site, "title": a.Title})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.write.Exec(f.s.q(`UPDATE articles SET record = ? WHERE id = ?`), string(old), f.ids["A"]); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := f.s.Export(ctx, &out, ExportOptions{Format: FormatJSONL, Filter: Filter{Category: "L'Europe"}}); err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range contractFields {
			if _, ok := m[k]; !ok {
				t.Errorf("record %d lacks %q: %s", i, k, line)
			}
		}
	}

	// Put brings a record back to the current format.
	b := testArticle("radio.example", 2)
	mustPut(t, f.s, b, folio.Page{})
	var format string
	if err := f.s.queryRow(context.Background(), `SELECT format FROM articles WHERE id = ?`, b.ID).Scan(&format); err != nil || format != recordFormat {
		t.Errorf("format after Put = %q, %v; want %q", format, err, recordFormat)
	}
}
