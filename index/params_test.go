package index

import (
	"errors"
	"testing"
	"time"
)

func TestNewQuery(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02", s, time.Local)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tt := range []struct {
		name    string
		p       Params
		prefix  string
		want    Query
		wantErr string
	}{
		{name: "empty", want: Query{}},
		{
			name: "every field",
			p: Params{Text: "corée", Category: "L'Europe", Author: "a", Site: "s", Tag: "t", Since: "2022-11-01", Until: "2022-11-30",
				Sort: "-date", Limit: 5, Offset: 10, Fuzzy: true, Facets: true},
			want: Query{Text: "corée", Category: "L'Europe", Author: "a", Site: "s", Tag: "t", Since: day("2022-11-01"), Until: day("2022-12-01"),
				Sort: SortDateDesc, Limit: 5, Offset: 10, Fuzzy: true, Facets: true},
		},
		{name: "relevance", p: Params{Sort: "relevance"}, want: Query{Sort: SortRelevance}},
		{name: "date", p: Params{Sort: "date"}, want: Query{Sort: SortDate}},
		{name: "bad sort, a flag", p: Params{Sort: "newest"}, prefix: "--",
			wantErr: `--sort "newest": want relevance, date (oldest first) or -date (newest first)`},
		{name: "bad sort, a URL parameter", p: Params{Sort: "newest"},
			wantErr: `sort "newest": want relevance, date (oldest first) or -date (newest first)`},
		{name: "bad since", p: Params{Since: "2022-13-01"}, prefix: "--", wantErr: `--since "2022-13-01": want a day as YYYY-MM-DD`},
		{name: "bad until", p: Params{Until: "yesterday"}, wantErr: `until "yesterday": want a day as YYYY-MM-DD`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewQuery(tt.p, tt.prefix)
			if tt.wantErr != "" {
				var pe *ParamError
				if !errors.As(err, &pe) || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want the ParamError %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Since.Equal(tt.want.Since) || !got.Until.Equal(tt.want.Until) {
				t.Errorf("days %v–%v, want %v–%v", got.Since, got.Until, tt.want.Since, tt.want.Until)
			}
			got.Since, got.Until, tt.want.Since, tt.want.Until = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if got != tt.want {
				t.Errorf("NewQuery(%+v) = %+v, want %+v", tt.p, got, tt.want)
			}
		})
	}
}
