package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"folio/index"
	"folio/internal/atomicfile"
	"folio/internal/datadir"
)

// TestNoLeftoversAfterKilledRuns: what a reindex or an export killed
// before its end leaves behind (the index it was building, the index it
// was replacing, an export's temporary file) is gone after the next run,
// and an index moved aside by a reindex killed between its two renames is
// put back.
func TestNoLeftoversAfterKilledRuns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	_, base := startSite(t, 5)
	crawlInto(t, env, base)
	ctx := context.Background()
	final := datadir.IndexDir(env.dataDir)

	// A reindex killed while it built the new index.
	half, err := index.Open(final+".new", index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	half.Close()
	if err := runCrawl(ctx, localCrawl(), env.g(), []string{base}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(final + ".new"); !os.IsNotExist(err) {
		t.Errorf("after a crawl, %s.new is still there (%v)", final, err)
	}

	// A reindex killed between moving the index aside and putting the new
	// one in place.
	if err := os.Rename(final, final+".old"); err != nil {
		t.Fatal(err)
	}
	if err := runReindex(ctx, env.g()); err != nil {
		t.Fatal(err)
	}
	for _, left := range []string{final + ".new", final + ".old"} {
		if _, err := os.Stat(left); !os.IsNotExist(err) {
			t.Errorf("after a reindex, %s is still there (%v)", left, err)
		}
	}
	if hits, _, err := search(t, env, "", searchOptions{}); err != nil || len(hits) != 5 {
		t.Errorf("search after the reindex: %d hits, %v; want the 5 articles", len(hits), err)
	}

	// An export killed while it wrote, and one that is writing now.
	out := filepath.Join(t.TempDir(), "out.jsonl")
	killed := filepath.Join(filepath.Dir(out), ".out.jsonl.123.tmp")
	running := filepath.Join(filepath.Dir(out), ".out.jsonl.456.tmp")
	for _, f := range []string{killed, running} {
		if err := os.WriteFile(f, []byte(`{"id":`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * atomicfile.StaleAge)
	if err := os.Chtimes(killed, long, long); err != nil {
		t.Fatal(err)
	}
	if err := runExport(ctx, exportOptions{format: "jsonl", output: out}, env.g()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("after an export, the killed one's %s is still there (%v)", killed, err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("an export removed the temporary file of one still writing: %v", err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
}
