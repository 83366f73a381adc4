package wpsite

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchmarkPage renders one page of a 500-article site, as a crawler would
// ask for it (through ServeHTTP, without the network).
func benchmarkPage(b *testing.B, path func(*Site) string) {
	site := New(Options{Articles: 500})
	p := path(site)
	req := httptest.NewRequest(http.MethodGet, "http://radio.example"+p, nil)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: status %d", p, rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "bytes/page")
}

func BenchmarkArticlePage(b *testing.B) {
	benchmarkPage(b, func(s *Site) string { return s.ArticlePaths()[250] })
}

func BenchmarkHomePage(b *testing.B) {
	benchmarkPage(b, func(*Site) string { return "/page/7/" })
}

func BenchmarkFeed(b *testing.B) {
	benchmarkPage(b, func(*Site) string { return FeedPath })
}

func BenchmarkNew500(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		New(Options{Articles: 500})
	}
}

func BenchmarkExpected500(b *testing.B) {
	site := New(Options{Articles: 500})
	b.ReportAllocs()
	for b.Loop() {
		site.Expected("http://radio.example")
	}
}
