package archive

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"folio"
)

// benchRecord is article n with a body of about 3 KB, the size of a news
// article, and benchPage a WordPress-sized page of about 60 KB around it.
func benchRecord(n int) folio.Article {
	a := testArticle("radio.example", n)
	var body strings.Builder
	for p := range 8 {
		fmt.Fprintf(&body, "Paragraphe %d de l’article %d : la Corée du Nord et la Russie annoncent reprendre leurs liaisons ferroviaires, arrêtées depuis le début de la pandémie, « un symbole » de leur rapprochement, selon les observateurs interrogés à Séoul.\n\n", p, n)
	}
	a.Body = strings.TrimSpace(body.String())
	a.BodyHTML = "<p>" + strings.ReplaceAll(a.Body, "\n\n", "</p><p>") + "</p>"
	a.ContentHash = folio.ContentHash(a.Title, a.Body)
	return a
}

func benchPage(b *testing.B, a folio.Article) folio.Page {
	html, err := os.ReadFile("testdata/article.html")
	if err != nil {
		b.Fatal(err)
	}
	p := testPage(a)
	var body bytes.Buffer
	body.Write(html)
	for body.Len() < 55_000 { // menus, widgets and footers
		fmt.Fprintf(&body, `<li class="menu-item menu-item-%d"><a href="https://radio.example/category/rubrique-%d/">Rubrique %d</a></li>`+"\n", body.Len(), body.Len()%97, body.Len()%89)
	}
	body.WriteString("<article>" + a.BodyHTML + "</article>")
	p.Body = body.Bytes()
	return p
}

func reportRecords(b *testing.B, perOp int) {
	b.ReportMetric(float64(b.N*perOp)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkPut stores new articles, each with a 60 KB capture.
func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	template := benchPage(b, benchRecord(0))
	b.ReportAllocs()
	b.SetBytes(int64(len(template.Body)))
	n := 0
	for b.Loop() {
		a := benchRecord(n)
		p := template
		p.URL, p.RequestedURL = a.URL, a.URL
		if _, err := s.Put(ctx, a, p); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportRecords(b, 1)
}

// BenchmarkPutUnchanged stores the same article again and again, as a
// re-crawl of a site without validators does.
func BenchmarkPutUnchanged(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	a := benchRecord(0)
	p := benchPage(b, a)
	mustPut(b, s, a, p)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Put(ctx, a, p); err != nil {
			b.Fatal(err)
		}
	}
	reportRecords(b, 1)
}

// BenchmarkPutParallel stores new articles from several goroutines, which
// queue for the one writer.
func BenchmarkPutParallel(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	template := benchPage(b, benchRecord(0))
	b.ReportAllocs()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			a := benchRecord(int(next.Add(1)))
			p := template
			p.URL, p.RequestedURL = a.URL, a.URL
			if _, err := s.Put(ctx, a, p); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRecords(b, 1)
}

// BenchmarkEnqueue adds new URLs to the crawl state, one transaction each,
// as the crawler does for every link it finds.
func BenchmarkEnqueue(b *testing.B) {
	ctx := context.Background()
	s := newStore(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		if _, err := s.Enqueue(ctx, "radio.example", fmt.Sprintf("https://radio.example/page/%d/", n), 1); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "urls/s")
}

// BenchmarkExport writes 10,000 records; B/op is per whole export.
func BenchmarkExport(b *testing.B) {
	const records = 10_000
	ctx := context.Background()
	s := newStore(b)
	for i := range records {
		mustPut(b, s, benchRecord(i), folio.Page{})
	}
	for _, format := range []ExportFormat{FormatJSON, FormatJSONL} {
		b.Run(string(format), func(b *testing.B) {
			b.ReportAllocs()
			var written countingWriter
			for b.Loop() {
				n, err := s.Export(ctx, &written, ExportOptions{Format: format})
				if err != nil || n != records {
					b.Fatalf("Export = %d, %v", n, err)
				}
			}
			b.SetBytes(written.n / int64(b.N))
			reportRecords(b, records)
		})
	}
}

// BenchmarkIterate reads 10,000 records in seq order, as an index catching
// up does.
func BenchmarkIterate(b *testing.B) {
	const records = 10_000
	ctx := context.Background()
	s := newStore(b)
	for i := range records {
		mustPut(b, s, benchRecord(i), folio.Page{})
	}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := s.Iterate(ctx, IterateOptions{Order: OrderSeq}, func(folio.Article) error { n++; return nil })
		if err != nil || n != records {
			b.Fatalf("Iterate = %d, %v", n, err)
		}
	}
	reportRecords(b, records)
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// BenchmarkCrawlWrites queues what a crawl's workers queue for each page
// (its new links, its record with a 60 KB capture, the page done) and
// commits them in groups of 25 pages, about what 100 ms gathers at a
// crawl's rate on two cores, on one goroutine: the writer's own cost per
// page, CPU and system calls, without other goroutines competing for the
// cores. It reports the time the writer held its transactions and the
// write-ahead log's frames per page.
func BenchmarkCrawlWrites(b *testing.B) {
	ctx := context.Background()
	s := newStore(b, withCheckpointInterval(time.Hour))
	template := benchPage(b, benchRecord(0))
	const site, group = "radio.example", 25
	var pageSize int64
	if err := s.read.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		b.Fatal(err)
	}
	before := s.WriteStats()
	n := 0
	for b.Loop() {
		a := benchRecord(n)
		p := template
		p.URL, p.RequestedURL = a.URL, a.URL
		for _, u := range []string{a.URL, fmt.Sprintf("https://%s/page/%d/", site, n)} {
			if _, err := s.Enqueue(ctx, site, u, 1); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.PutLater(ctx, a, p, nil); err != nil {
			b.Fatal(err)
		}
		if err := s.Done(ctx, site, a.URL); err != nil {
			b.Fatal(err)
		}
		if n++; n%group == 0 {
			if err := s.Sync(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := s.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	after := s.WriteStats()
	fi, err := os.Stat(s.path + "-wal")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(after.Held-before.Held)/float64(n)/1e3, "held-µs/page")
	b.ReportMetric(float64(fi.Size()-32)/float64(pageSize+24)/float64(n), "wal-frames/page")
	b.ReportMetric(float64(fi.Size())/float64(n), "wal-B/page")
}
