package job

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"folio"
	"folio/archive"
	"folio/extract"
	"folio/internal/testsite/wpsite"
)

// TestRunResumesWhatTheArchiveFailedToStore: once the archive starts to
// refuse records (here every record after the 10th is one the archive
// rejects, as a full disk rejects every write), the run stops with the
// archive's error, and no page whose record was refused is marked done:
// the resumed run archives every article the first one did not, so that
// the archive ends with all of them.
func TestRunResumesWhatTheArchiveFailedToStore(t *testing.T) {
	t.Parallel()
	const articles = 60
	f := newFixture(t, wpsite.Options{Articles: articles})
	ctx := context.Background()
	var stored atomic.Int32
	refusing := Deps{Archive: f.store, Index: f.index, extract: func(page folio.Page, r extract.Rules, opts ...extract.Option) (folio.Article, error) {
		a, err := extract.Extract(page, r, opts...)
		if err == nil && stored.Add(1) > 10 {
			a.ID = strings.Repeat("0", len(a.ID)) // a record the archive refuses
		}
		return a, err
	}}
	first, err := Run(ctx, f.localSite(), refusing, RunOptions{}, nil)
	if !errors.Is(err, archive.ErrIDMismatch) {
		t.Fatalf("first run: %v, want the archive's refusal", err)
	}
	if first.New != 10 || first.ErrorsByKind["archive"] == 0 {
		t.Fatalf("first run: %d new, errors %v; want 10 and the archive's", first.New, first.ErrorsByKind)
	}
	second, err := f.run(t, ctx, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.New+second.New != articles {
		t.Errorf("new records: %d then %d, want %d in all", first.New, second.New, articles)
	}
	if n, _ := f.store.Count(ctx); n != articles {
		t.Errorf("archive holds %d records after the resumed run, want %d", n, articles)
	}
	for _, want := range f.site.Expected(strings.TrimSuffix(f.base, "/")) {
		if _, err := f.store.Get(ctx, want.URL); err != nil {
			t.Errorf("%s: %v", want.URL, err)
		}
	}
}
