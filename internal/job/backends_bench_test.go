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
// index, as folio crawl does, and then searches each 40 times, the two
// backends alternated, as a process that searches many times does (folio
// serve, while a writer keeps it from holding the index): the archive
// opened read-only once, and for each search the index caught up with it,
// opened read-only, searched and closed. It reports each backend's pages/s and the time of a search,
// their ratios (PostgreSQL's speed over SQLite's: 1 is as fast), the time
// to open the archive read-only, ask its sequence and close it (what each
// folio search process pays besides; BenchmarkBackendsProcess in cmd/folio
// measures those processes), and the statements the crawl sent to
// PostgreSQL per page: by the writer (the group commits, BEGIN and COMMIT
// included), by the readers (the crawler asking what is archived of a page,
// resuming its state), and both.
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
		search, open   time.Duration
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

		return r
	}
	// openTime is what opening the archive read-only, asking its
	// sequence and closing it takes.
	openTime := func(b *testing.B, loc string) time.Duration {
		start := time.Now()
		ro, err := archive.OpenReadOnly(loc)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ro.MaxSeq(context.Background()); err != nil {
			b.Fatal(err)
		}
		if err := ro.Close(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	// search runs q as a process that searches many times does, on the
	// archive ro it holds, and adds its time and hits to r.
	search := func(b *testing.B, r *result, ro *archive.Store, dir, q string) {
		ctx := context.Background()
		start := time.Now()
		if _, err := CatchUp(ctx, ro, CatchUpOptions{DataDir: dir}); err != nil {
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
		r.search += time.Since(start)
		r.searches++
		r.hits += len(res.Hits)
	}

	for b.Loop() {
		pgURL := *benchArchive
		if pgURL == "" {
			pgURL = pgtest.Schema(b)
		}
		sqLoc, sqDir, pgDir := b.TempDir(), b.TempDir(), b.TempDir()
		sq := measure(b, sqLoc, sqDir)
		pg := measure(b, pgURL, pgDir)
		// The backends alternate, so that the load of a shared machine
		// falls on both alike.
		for range 10 {
			sq.open += openTime(b, sqLoc) / 10
			pg.open += openTime(b, pgURL) / 10
		}
		sqRO, err := archive.OpenReadOnly(sqLoc)
		if err != nil {
			b.Fatal(err)
		}
		pgRO, err := archive.OpenReadOnly(pgURL)
		if err != nil {
			b.Fatal(err)
		}
		for range 4 {
			for _, q := range queries {
				search(b, &sq, sqRO, sqDir, q)
				search(b, &pg, pgRO, pgDir, q)
			}
		}
		sqRO.Close()
		pgRO.Close()
		sq.search /= time.Duration(sq.searches)
		pg.search /= time.Duration(pg.searches)
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
		b.ReportMetric(float64(sq.open.Microseconds())/1000, "sqlite-open-ms")
		b.ReportMetric(float64(pg.open.Microseconds())/1000, "pg-open-ms")
		b.ReportMetric(float64(pg.writes.Statements)/pages, "pg-write-stmts/page")
		b.ReportMetric(float64(pg.writes.ReadStatements)/pages, "pg-read-stmts/page")
		b.ReportMetric(float64(pg.writes.Statements+pg.writes.ReadStatements)/pages, "pg-stmts/page")
		b.ReportMetric(float64(pg.writes.Transactions)/pages, "pg-write-tx/page")
		b.ReportMetric(pages, "pages")
	}
}
