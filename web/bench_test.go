package web

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"folio/archive"
	"folio/index"
)

// BenchmarkAPISearch compares a search of the bundled site's archive with
// the same search asked of GET /api/search, in process (no network): the
// difference is what the handler adds (parameters, headers, the response
// record, JSON), in time and allocations:
//
//	go test ./web -run '^$' -bench APISearch -benchmem
func BenchmarkAPISearch(b *testing.B) {
	fx := fixture(b)
	st, err := archive.OpenReadOnly(fx.dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	reader := index.NewReader(func(ctx context.Context) (*index.Index, error) {
		return index.Open(fx.dir+"/index.bleve", index.Options{ReadOnly: true, LockWait: time.Minute})
	}, nil, time.Hour)
	defer reader.Close()
	srv, err := New(Deps{Archive: st, Search: reader.Search}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("search", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := reader.Search(context.Background(), index.Query{Text: "russie", Limit: index.DefaultLimit}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handler", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest("GET", "/api/search?q=russie", nil)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatal(rec.Code)
			}
		}
	})
}
