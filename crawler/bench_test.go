package crawler

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/gocolly/colly/v2/queue"

	"folio"
)

// benchSite serves a WordPress-shaped site of ~60 KB pages cheaply: a
// shared filler stands for the text, so that the server's cost stays small
// next to the crawler's.
type benchSite struct {
	articles int
	filler   []byte
	nav      []byte
	requests atomic.Int64
}

func newBenchSite(articles int) *benchSite {
	s := &benchSite{articles: articles}
	var nav bytes.Buffer
	nav.WriteString(`<nav><a href="/">Accueil</a>`)
	for i := range 40 {
		fmt.Fprintf(&nav, ` <a href="/">Rubrique %d</a>`, i)
	}
	nav.WriteString(`</nav>`)
	s.nav = nav.Bytes()
	para := "<p>Entre la Corée du Nord et la Russie, l’été s’annonce « chaud » : les échanges reprennent, disent les diplomates.</p>\n"
	s.filler = []byte(strings.Repeat(para, 60000/len(para)))
	return s
}

func benchSlug(i int) string { return "/2022/11/07/article-" + numberSlug(i) + "/" }

func (s *benchSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	p := r.URL.Path
	if p == "/robots.txt" {
		fmt.Fprint(w, "User-agent: *\nDisallow:\n")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	var b bytes.Buffer
	b.WriteString(`<!DOCTYPE html><html><head><title>x</title></head><body>`)
	b.Write(s.nav)
	switch {
	case p == "/" || strings.HasPrefix(p, "/page/"):
		n := 1
		fmt.Sscanf(p, "/page/%d/", &n)
		for i := (n-1)*10 + 1; i <= min(n*10, s.articles); i++ {
			fmt.Fprintf(&b, `<article><a href="%s">Article %d</a></article>`, benchSlug(s.articles-i+1), i)
		}
		if n*10 < s.articles {
			fmt.Fprintf(&b, `<a class="next" href="/page/%d/">Suivant</a>`, n+1)
		}
	case strings.HasPrefix(p, "/2022/11/07/article-"):
		i := slugNumber(strings.TrimSuffix(strings.TrimPrefix(p, "/2022/11/07/article-"), "/"))
		b.Write(s.filler)
		if i > 1 {
			fmt.Fprintf(&b, `<div class="nav-previous"><a href="%s">Article précédent</a></div>`, benchSlug(i-1))
		}
	default:
		http.NotFound(w, r)
		return
	}
	b.WriteString(`</body></html>`)
	w.Write(b.Bytes())
}

// peakHeap samples the heap in use until stop is called.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// benchArticles is the size of BenchmarkCrawl's site: 5,000 articles, as
// the crawler's issue measures it.
const benchArticles = 5000

// BenchmarkCrawl compares folio's crawler (canonical URLs, dedup through
// State, politeness off) with bare colly fed through colly/queue with 8
// threads, on the same site in the same run. Both report pages/s and the
// peak heap in use.
func BenchmarkCrawl(b *testing.B) {
	site := newBenchSite(benchArticles)
	srv := httptest.NewServer(site)
	defer srv.Close()
	wantPages := benchArticles + (benchArticles+9)/10 // articles and listing pages

	b.Run("folio", func(b *testing.B) {
		opts := fastOptions()
		var pages int
		for b.Loop() {
			c, err := New(opts, NewMemState(), nil)
			if err != nil {
				b.Fatal(err)
			}
			stop := peakHeap()
			start := time.Now()
			stats, err := c.Run(context.Background(), []string{srv.URL + "/"}, func(folio.Page) {})
			elapsed := time.Since(start)
			peak := stop()
			if err != nil {
				b.Fatal(err)
			}
			pages = stats.Pages
			b.ReportMetric(float64(pages)/elapsed.Seconds(), "pages/s")
			b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
		}
		if pages != wantPages {
			b.Errorf("folio handed on %d pages, want %d", pages, wantPages)
		}
	})

	b.Run("bare-colly", func(b *testing.B) {
		var pages atomic.Int64
		for b.Loop() {
			pages.Store(0)
			qc := colly.NewCollector(colly.AllowedDomains("127.0.0.1"))
			q, _ := queue.New(8, &queue.InMemoryQueueStorage{MaxSize: 1 << 20})
			// Links go through the queue, not a goroutine each.
			qc.OnHTML("a[href]", func(e *colly.HTMLElement) {
				q.AddURL(e.Request.AbsoluteURL(e.Attr("href")))
			})
			qc.OnResponse(func(*colly.Response) { pages.Add(1) })
			q.AddURL(srv.URL + "/")
			stop := peakHeap()
			start := time.Now()
			if err := q.Run(qc); err != nil {
				b.Fatal(err)
			}
			elapsed := time.Since(start)
			peak := stop()
			b.ReportMetric(float64(pages.Load())/elapsed.Seconds(), "pages/s")
			b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
		}
		if n := int(pages.Load()); n != wantPages {
			b.Errorf("bare colly fetched %d pages, want %d", n, wantPages)
		}
	})
}

// BenchmarkFrontierMemory queues 100,000 URLs from one sitemap while the
// host is fetched slowly, and reports the heap and goroutines it costs per
// queued URL (MemState included).
func BenchmarkFrontierMemory(b *testing.B) {
	const urls = 100_000
	var sitemap bytes.Buffer
	sitemap.WriteString(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`)
	for i := range urls {
		fmt.Fprintf(&sitemap, "<url><loc>http://127.0.0.1/2022/11/07/un-article-assez-long-%s/</loc></url>\n", numberSlug(i))
	}
	sitemap.WriteString(`</urlset>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow:\n")
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			w.Write(bytes.ReplaceAll(sitemap.Bytes(), []byte("http://127.0.0.1/"), []byte("http://"+r.Host+"/")))
		default:
			time.Sleep(50 * time.Millisecond)
			fmt.Fprint(w, "<html><body>lent</body></html>")
		}
	}))
	defer srv.Close()

	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		goroutinesBefore := runtime.NumGoroutine()

		opts := fastOptions()
		opts.Concurrency = 2
		opts.TrapMaxPerPattern = urls
		queued := make(chan struct{})
		var once sync.Once
		ro := RunOptions{OnProgress: func(s Stats) {
			if s.Feeds == 1 && s.Queued > urls/2 {
				once.Do(func() { close(queued) })
			}
		}}
		c, _ := New(opts, NewMemState(), nil)
		ctx, cancel := context.WithCancel(context.Background())
		var heap uint64
		var goroutines, pending int
		go func() {
			<-queued
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			heap = m.HeapInuse - before.HeapInuse
			goroutines = runtime.NumGoroutine() - goroutinesBefore
			cancel()
		}()
		stats, _ := c.RunStore(ctx, []string{srv.URL + "/sitemap.xml"}, ro, nil)
		pending = stats.Queued
		b.ReportMetric(float64(heap)/float64(pending), "heap-B/queued-URL")
		b.ReportMetric(float64(goroutines), "extra-goroutines")
		b.ReportMetric(float64(pending), "queued")
	}
}

// BenchmarkPoliteness crawls about 200 pages at a 50 ms per-host delay and
// concurrency 1, and reports the wall time over the least the delay allows,
// (N-1)·delay: 1 is perfect, and the target is at most 1.1 (+1 s).
func BenchmarkPoliteness(b *testing.B) {
	site := newBenchSite(182)
	srv := httptest.NewServer(site)
	defer srv.Close()
	const delay = 50 * time.Millisecond
	for b.Loop() {
		opts := fastOptions()
		opts.Concurrency = 1
		opts.Delay = ptr(delay)
		c, err := New(opts, NewMemState(), nil)
		if err != nil {
			b.Fatal(err)
		}
		stats, err := c.Run(context.Background(), []string{srv.URL + "/"}, func(folio.Page) {})
		if err != nil {
			b.Fatal(err)
		}
		least := time.Duration(stats.Requests-1) * delay
		b.ReportMetric(stats.Elapsed.Seconds()/least.Seconds(), "wall/least")
		b.ReportMetric(float64(stats.Requests), "requests")
	}
}
