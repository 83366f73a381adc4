package job

import (
	"context"
	"flag"
	"net/http/httptest"
	"testing"
	"time"

	"folio/archive"
	"folio/index"
	"folio/internal/datadir"
	"folio/internal/pgtest"
	"folio/internal/testsite/wpsite"
)

var benchArchive = flag.String("bench.archive", "", "PostgreSQL URL BenchmarkBackends crawls into beside SQLite (default: a fresh schema of the test server, FOLIO_TEST_POSTGRES)")

// BenchmarkBackends crawls the test site (-bench.articles articles of 60 KB,
// with validators, -bench.concurrency requests in flight, no delay) into an
// archive in SQLite and then into one in PostgreSQL, each beside its own
// index, as folio crawl does, and then searches each as folio search does
// (the index caught up with the archive, opened read-only, searched and
// closed), 40 queries each. It reports each backend's pages/s and the
// time of a search, their ratios (PostgreSQL's speed over SQLite's: 1 is
// as fast), and the statements the crawl sent to PostgreSQL per page: by
// the writer (the group commits, BEGIN and COMMIT included), by the
// readers (the crawler asking what is archived of a page, resuming its
// state), and both.
//
// -bench.archive names the PostgreSQL database (its schema: search_path);
// it must hold no archive yet. By default each round takes a fresh schema
// of the test server.
func BenchmarkBackends(b *testing.B) {
	articles := *benchArticles
	site := wpsite.New(wpsite.Options{Articles: articles, Validators: true, PageBytes: 60_000})
	srv := httptest.NewServer(site)
	defer srv.Close()
	queries := []string{"corée", "russie", "migrants", "europe", "pont ferroviaire", "coree russie", "guerre",
		"élections", "climat", "afrique"}

	type result struct {
		pages          int
		elapsed        time.Duration
		writes         archive.WriteStats
		search         time.Duration
		searches, hits int
	}
	measure := func(b *testing.B, loc, dir string) result {
		ctx := context.Background()
		st, err := archive.Open(loc)
		if err != nil {
			b.Fatal(err)
		}
		ix, err := index.OpenShared(datadir.IndexDir(dir), index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s := SiteFor(srv.URL + "/")
		s.Crawl.Concurrency = *benchConcurrency
		zero := time.Duration(0)
		s.Crawl.Delay = &zero
		s = s.WithDefaults()
		sum, err := Run(ctx, s, Deps{Archive: st, Index: ix}, RunOptions{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		if sum.New != articles || sum.Errors != 0 {
			b.Fatalf("crawl of %s: %d new, %d errors; want %d and 0", loc, sum.New, sum.Errors, articles)
		}
		r := result{pages: sum.Crawl.Pages, elapsed: sum.Elapsed, writes: st.WriteStats()}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}

		archiveURL := ""
		if archive.IsURL(loc) {
			archiveURL = loc
		}
		start := time.Now()
		for range 4 {
			for _, q := range queries {
				if _, err := CatchUp(ctx, nil, CatchUpOptions{DataDir: dir, Archive: archiveURL}); err != nil {
					b.Fatal(err)
				}
				rix, err := index.Open(datadir.IndexDir(dir), index.Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				res, err := rix.Search(ctx, index.Query{Text: q})
				rix.Close()
				if err != nil {
					b.Fatal(err)
				}
				r.searches++
				r.hits += len(res.Hits)
			}
		}
		r.search = time.Since(start) / time.Duration(r.searches)
		return r
	}

	for b.Loop() {
		pgURL := *benchArchive
		if pgURL == "" {
			pgURL = pgtest.Schema(b)
		}
		sq := measure(b, b.TempDir(), b.TempDir())
		pg := measure(b, pgURL, b.TempDir())
		if sq.hits != pg.hits {
			b.Errorf("searches found %d hits on SQLite, %d on PostgreSQL", sq.hits, pg.hits)
		}
		rate := func(r result) float64 { return float64(r.pages) / r.elapsed.Seconds() }
		pages := float64(pg.pages)
		b.ReportMetric(rate(sq), "sqlite-pages/s")
		b.ReportMetric(rate(pg), "pg-pages/s")
		b.ReportMetric(rate(pg)/rate(sq), "crawl-ratio")
		b.ReportMetric(float64(sq.search.Microseconds())/1000, "sqlite-search-ms")
		b.ReportMetric(float64(pg.search.Microseconds())/1000, "pg-search-ms")
		b.ReportMetric(sq.search.Seconds()/pg.search.Seconds(), "search-ratio")
		b.ReportMetric(float64(pg.writes.Statements)/pages, "pg-write-stmts/page")
		b.ReportMetric(float64(pg.writes.ReadStatements)/pages, "pg-read-stmts/page")
		b.ReportMetric(float64(pg.writes.Statements+pg.writes.ReadStatements)/pages, "pg-stmts/page")
		b.ReportMetric(float64(pg.writes.Transactions)/pages, "pg-write-tx/page")
		b.ReportMetric(pages, "pages")
	}
}
