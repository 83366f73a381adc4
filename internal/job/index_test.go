package job

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio/archive"
	"folio/index"
	"folio/internal/testsite/wpsite"
)

// TestSearchDuringRun opens the index read-only and searches it, again and
// again, while a run crawls into it: bleve lets no reader in while a writer
// has the index open, so this works only because the run holds the index
// for one batch at a time. Every search succeeds, sees the index grow batch
// by batch, and the last one sees every article.
func TestSearchDuringRun(t *testing.T) {
	t.Parallel()
	const articles = 60
	f := newFixture(t, wpsite.Options{Articles: articles, Latency: 15 * time.Millisecond})
	dir := f.index.Dir()
	site := f.localSite()
	site.Crawl.Concurrency = 2

	var running atomic.Bool
	running.Store(true)
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), site, Deps{Archive: f.store, Index: f.index}, RunOptions{IndexBatch: 10}, nil)
		running.Store(false)
		done <- err
	}()

	var totals []uint64
	searches := 0
	for running.Load() {
		ix, err := index.Open(dir, index.Options{ReadOnly: true, LockWait: time.Minute})
		if errors.Is(err, index.ErrNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("open the index during the run: %v", err)
		}
		res, err := ix.Search(context.Background(), index.Query{Limit: 1})
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("search during the run: %v", err)
		}
		searches++
		if len(totals) == 0 || totals[len(totals)-1] != res.Total {
			totals = append(totals, res.Total)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("%d searches saw the index hold %v records", searches, totals)
	partial := 0
	for i, n := range totals {
		if i > 0 && n < totals[i-1] {
			t.Errorf("searches saw %v records: the index shrank", totals)
		}
		if n > 0 && n < articles {
			partial++
		}
	}
	if partial < 2 {
		t.Errorf("%d searches saw the index hold %v records: want the run's batches to show one by one", searches, totals)
	}
	if n := f.docCount(t); n != articles {
		t.Errorf("index holds %d records after the run, want %d", n, articles)
	}
}

// TestFacetsCountWhatTheArchiveHolds: the counts by category and by month of
// a search for everything are the archive's own counts.
func TestFacetsCountWhatTheArchiveHolds(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wpsite.Options{Articles: 60})
	if _, err := f.run(t, context.Background(), false, nil); err != nil {
		t.Fatal(err)
	}
	stats, err := f.store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.index.Search(context.Background(), index.Query{Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != uint64(stats.Articles) {
		t.Errorf("index matches %d records, archive holds %d", res.Total, stats.Articles)
	}
	fromArchive := func(counts []archive.Count) map[string]int {
		m := map[string]int{}
		for _, c := range counts {
			m[c.Key] += int(c.Articles)
		}
		return m
	}
	fromIndex := func(counts []index.FacetCount) map[string]int {
		m := map[string]int{}
		for _, c := range counts {
			m[c.Value] = c.Count
		}
		return m
	}
	if diff := cmp.Diff(fromArchive(stats.Categories), fromIndex(res.Facets.Category)); diff != "" {
		t.Errorf("counts by category (-archive +index):\n%s", diff)
	}
	if diff := cmp.Diff(fromArchive(stats.Months), fromIndex(res.Facets.Month)); diff != "" {
		t.Errorf("counts by month (-archive +index):\n%s", diff)
	}
	months := fromIndex(res.Facets.Month)
	if len(months) < 12 {
		t.Errorf("only %d months: the site's articles should spread over years", len(months))
	}
	if !sort.SliceIsSorted(res.Facets.Month, func(i, j int) bool { return res.Facets.Month[i].Value > res.Facets.Month[j].Value }) {
		t.Errorf("months not newest first: %v", res.Facets.Month)
	}
}

func testLogger() *slog.Logger {
	if os.Getenv("FOLIO_TEST_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// TestSyncIndexRecreatesADeletedIndex: an index deleted from under a Shared
// index is created again by the next catch-up, from the whole archive.
func TestSyncIndexRecreatesADeletedIndex(t *testing.T) {
	t.Parallel()
	f := newFixture(t, wpsite.Options{Articles: 12})
	if _, err := f.run(t, context.Background(), false, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(f.index.Dir()); err != nil {
		t.Fatal(err)
	}
	n, err := SyncIndex(context.Background(), f.store, f.index, 5, nil)
	if err != nil || n != 12 {
		t.Fatalf("SyncIndex after the index was deleted: %d, %v; want 12 records indexed", n, err)
	}
	if got := f.docCount(t); got != 12 {
		t.Errorf("index holds %d records, want 12", got)
	}
}
