package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"folio/archive"
	"folio/index"
)

// FuzzAPISearch sends /api/search any query string: the answer is always
// JSON, either hits (200, no more than the limit allows) or a 400 that
// says what is wrong; never a server error or a panic.
func FuzzAPISearch(f *testing.F) {
	for _, seed := range []string{
		"q=cor%C3%A9e+russie", "q=coree&category=l%27europe&facets=true", "q=%22pont+ferroviaire%22&sort=-date",
		"q=Russie+%3A+la+hausse+des+prix", "q=published%3A%3E%3D%222022-01-01%22", "limit=100&offset=10000",
		"page=3&limit=7", "q=%22cor%C3%A9e", "q=title%3A", "q=a~9", "q=%2F%5B%2F", "since=2022-13-45",
		"until=2022-11-30&since=2023-01-01", "sort=relevance&fuzzy=1", "q=*&limit=-1", "q=%00%FF%FE", "q=+-+-",
		"q=author%3A%22%22&site=%C3%A9", "offset=99999999999999999999", "q=%28russie", "q=corée^100000000000",
	} {
		f.Add(seed)
	}
	fx := fixture(f)
	st, err := archive.OpenReadOnly(fx.dir)
	if err != nil {
		f.Fatal(err)
	}
	defer st.Close()
	reader := index.NewReader(func(ctx context.Context) (*index.Index, error) {
		return index.Open(fx.dir+"/index.bleve", index.Options{ReadOnly: true, LockWait: time.Minute})
	}, nil, time.Minute)
	defer reader.Close()
	srv, err := New(Deps{Archive: st, Search: reader.Search}, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, rawQuery string) {
		req := httptest.NewRequest(http.MethodGet, "/api/search", nil)
		req.URL.RawQuery = rawQuery
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK:
			var res index.Response
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatalf("%q: 200 with a body that is not a search response: %v", rawQuery, err)
			}
			if len(res.Hits) > srv.opts.MaxLimit || uint64(len(res.Hits)) > res.Total {
				t.Fatalf("%q: %d hits of %d", rawQuery, len(res.Hits), res.Total)
			}
		case http.StatusBadRequest:
			var e apiErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Message == "" || e.Status != 400 {
				t.Fatalf("%q: 400 with %q (%v); want a JSON error saying what is wrong", rawQuery, rec.Body.String(), err)
			}
		default:
			t.Fatalf("%q: status %d: %s", rawQuery, rec.Code, rec.Body.String())
		}
	})
}
