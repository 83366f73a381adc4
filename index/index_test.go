package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
)

func TestReopenFindsDocuments(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data", "index.bleve")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Index(ctx, corpus); err != nil {
		t.Fatal(err)
	}
	if err := ix.SetLastSeq(42); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	for _, opts := range []Options{{}, {ReadOnly: true}} {
		ix, err := Open(dir, opts)
		if err != nil {
			t.Fatalf("reopen with %+v: %v", opts, err)
		}
		if n, err := ix.DocCount(); err != nil || n != uint64(len(corpus)) {
			t.Errorf("reopened with %+v: DocCount %d, %v; want %d", opts, n, err, len(corpus))
		}
		if seq, err := ix.LastSeq(); err != nil || seq != 42 {
			t.Errorf("reopened with %+v: LastSeq %d, %v; want 42", opts, seq, err)
		}
		r, err := ix.Search(ctx, Query{Text: "coree"})
		if err != nil {
			t.Fatal(err)
		}
		got := hitIDs(r)
		slices.Sort(got)
		if !slices.Equal(got, []string{"coree-russie", "seoul"}) {
			t.Errorf("reopened with %+v: coree finds %v", opts, got)
		}
		// The languages indexed before are still known: English words are
		// still stemmed the English way ("crossing" → "cross").
		if r, err := ix.Search(ctx, Query{Text: "crossing"}); err != nil || len(r.Hits) != 1 {
			t.Errorf("reopened with %+v: crossing finds %v, %v", opts, hitIDs(r), err)
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestIndexReplacesAndDeletes(t *testing.T) {
	ctx := context.Background()
	ix := newCorpusIndex(t)
	changed := corpus[2] // moscou
	changed.Title = "Moscou menace Kiev"
	if err := ix.Index(ctx, []folio.Article{changed}); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.DocCount(); n != uint64(len(corpus)) {
		t.Errorf("DocCount %d after replacing a record, want %d", n, len(corpus))
	}
	if got := hitIDs(mustSearch(t, ix, Query{Text: "menace"})); !slices.Equal(got, []string{"moscou"}) {
		t.Errorf("new title: hits %v", got)
	}
	if got := hitIDs(mustSearch(t, ix, Query{Text: "durcit"})); len(got) != 0 {
		t.Errorf("old title still found: %v", got)
	}

	if err := ix.Delete(ctx, "moscou", "no-such-id"); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(mustSearch(t, ix, Query{Text: "russie"})); !slices.Equal(got, []string{"coree-russie"}) {
		t.Errorf("after delete: russie finds %v", got)
	}
	if n, _ := ix.DocCount(); n != uint64(len(corpus)-1) {
		t.Errorf("DocCount %d after delete, want %d", n, len(corpus)-1)
	}
}

func TestIndexRejectsBadBatches(t *testing.T) {
	ix := newCorpusIndex(t)
	err := ix.Index(context.Background(), []folio.Article{{URL: "https://blog.example.fr/sans-id/"}})
	if err == nil || !strings.Contains(err.Error(), "https://blog.example.fr/sans-id/") {
		t.Errorf("record without id: error %v, want one naming its URL", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Index(ctx, corpus[:1]); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
	if n, _ := ix.DocCount(); n != uint64(len(corpus)) {
		t.Errorf("DocCount %d after rejected batches, want %d", n, len(corpus))
	}
}

func TestLastSeq(t *testing.T) {
	ix := newCorpusIndex(t)
	if seq, err := ix.LastSeq(); err != nil || seq != 0 {
		t.Errorf("new index: LastSeq %d, %v; want 0", seq, err)
	}
	for _, seq := range []uint64{1, 7, 1 << 40} {
		if err := ix.SetLastSeq(seq); err != nil {
			t.Fatal(err)
		}
		if got, err := ix.LastSeq(); err != nil || got != seq {
			t.Errorf("LastSeq %d, %v; want %d", got, err, seq)
		}
	}
}

func TestOpenCorruptIndex(t *testing.T) {
	tests := []struct {
		name    string
		corrupt func(t *testing.T, dir string)
	}{
		{"metadata is not JSON", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "index_meta.json"), "{not json")
		}},
		{"metadata missing", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, "index_meta.json")); err != nil {
				t.Fatal(err)
			}
		}},
		{"root file garbage", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "store", "root.bolt"), strings.Repeat("garbage ", 1000))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index.bleve")
			ix, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := ix.Index(context.Background(), corpus); err != nil {
				t.Fatal(err)
			}
			ix.Close()
			tt.corrupt(t, dir)

			_, err = Open(dir, Options{})
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), dir) {
				t.Fatalf("open corrupt index: error %v, want ErrCorrupt naming %s", err, dir)
			}
			if _, err := Open(dir, Options{ReadOnly: true, Rebuild: true}); !errors.Is(err, ErrCorrupt) {
				t.Errorf("read-only open with Rebuild: error %v, want ErrCorrupt", err)
			}
			ix, err = Open(dir, Options{Rebuild: true})
			if err != nil {
				t.Fatalf("open with Rebuild: %v", err)
			}
			defer ix.Close()
			if n, err := ix.DocCount(); err != nil || n != 0 {
				t.Errorf("rebuilt index: DocCount %d, %v; want 0", n, err)
			}
		})
	}
}

func TestRebuildKeepsForeignFiles(t *testing.T) {
	dir := t.TempDir() // not an index: a directory of someone's files
	writeFile(t, filepath.Join(dir, "notes.txt"), "precious")
	_, err := Open(dir, Options{Rebuild: true})
	if err == nil || !strings.Contains(err.Error(), "notes.txt") {
		t.Fatalf("open a foreign directory with Rebuild: error %v, want one naming notes.txt", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes.txt")); err != nil || string(b) != "precious" {
		t.Errorf("notes.txt after Open: %q, %v", b, err)
	}
}

func TestOpenOtherMappingVersion(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index.bleve")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Index(context.Background(), corpus); err != nil {
		t.Fatal(err)
	}
	// As an index written by an older folio would hold it.
	if err := ix.bleve.SetInternal(keyMappingVersion, []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	_, err = Open(dir, Options{})
	var verr *VersionError
	if !errors.As(err, &verr) || verr.Have != 0 || verr.Want != MappingVersion || verr.Dir != dir {
		t.Fatalf("open: error %#v, want a VersionError from 0 to %d", err, MappingVersion)
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("message %q does not name %s", err, dir)
	}
	ix, err = Open(dir, Options{Rebuild: true})
	if err != nil {
		t.Fatalf("open with Rebuild: %v", err)
	}
	defer ix.Close()
	if n, _ := ix.DocCount(); n != 0 {
		t.Errorf("rebuilt index holds %d records", n)
	}
}

func TestOpenReadOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index.bleve")
	if _, err := Open(dir, Options{ReadOnly: true}); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), dir) {
		t.Errorf("read-only open of a missing index: error %v, want ErrNotFound naming the dir", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only open created %s", dir)
	}

	writer, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := writer.Index(context.Background(), corpus); err != nil {
		t.Fatal(err)
	}
	// The writer holds the lock: readers and a second writer wait, then fail.
	for _, opts := range []Options{{ReadOnly: true, LockWait: 50 * time.Millisecond}, {LockWait: 50 * time.Millisecond}} {
		if _, err := Open(dir, opts); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), dir) {
			t.Errorf("open %+v while a writer holds the index: error %v, want ErrLocked naming the dir", opts, err)
		}
	}
	writer.Close()

	// Readers share the index.
	r1, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("second reader: %v", err)
	}
	defer r2.Close()
	// ...and keep writers out while they have it open.
	if _, err := Open(dir, Options{LockWait: 50 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Errorf("open a writer while readers hold the index: error %v, want ErrLocked", err)
	}
	if r, err := r2.Search(context.Background(), Query{Text: "corée russie"}); err != nil || len(r.Hits) != 1 {
		t.Errorf("read-only search: %v, %v", hitIDs(r), err)
	}
	if err := r1.Index(context.Background(), corpus[:1]); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Index on a read-only index: error %v, want ErrReadOnly", err)
	}
	if err := r1.Delete(context.Background(), "moscou"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Delete on a read-only index: error %v, want ErrReadOnly", err)
	}
	if err := r1.SetLastSeq(3); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetLastSeq on a read-only index: error %v, want ErrReadOnly", err)
	}
}

func TestOpenEmptyDirCreates(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("open an empty directory: %v", err)
	}
	defer ix.Close()
	if n, _ := ix.DocCount(); n != 0 {
		t.Errorf("DocCount %d", n)
	}
}

func TestDefaultLanguage(t *testing.T) {
	ctx := context.Background()
	// A record with no language is French unless told otherwise: the French
	// stemmer makes "chevaux" and "cheval" one word ("cheval"); English
	// stemming does not.
	rec := folio.Article{ID: "chevaux", URL: "https://blog.example.fr/chevaux/", Title: "Les chevaux de Camargue"}
	for _, tt := range []struct {
		lang  string
		finds bool
	}{{"", true}, {"en", false}} {
		ix, err := Open(filepath.Join(t.TempDir(), "index.bleve"), Options{DefaultLanguage: tt.lang})
		if err != nil {
			t.Fatal(err)
		}
		if err := ix.Index(ctx, []folio.Article{rec}); err != nil {
			t.Fatal(err)
		}
		r, err := ix.Search(ctx, Query{Text: "cheval"})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(r.Hits) == 1; got != tt.finds {
			t.Errorf("default language %q: cheval finds %v, want found=%v", tt.lang, hitIDs(r), tt.finds)
		}
		ix.Close()
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Searches run while batches are written, in the same process, and see
// every batch once it is written.
func TestSearchWhileIndexing(t *testing.T) {
	ctx := context.Background()
	ix := newCorpusIndex(t)
	var docs []folio.Article
	for i := range 10 {
		for _, a := range corpus {
			a.ID = fmt.Sprintf("%s-%d", a.ID, i)
			a.Site = "copies.example.fr"
			docs = append(docs, a)
		}
	}
	done := make(chan error)
	go func() {
		for start := 0; start < len(docs); start += len(corpus) {
			if err := ix.Index(ctx, docs[start:start+len(corpus)]); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for searching := true; searching; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			searching = false
		default:
			if _, err := ix.Search(ctx, Query{Text: "coree", Category: "Monde", Facets: true}); err != nil {
				t.Fatal(err)
			}
		}
	}
	r, err := ix.Search(ctx, Query{Text: "coree", Site: "copies.example.fr", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(2 * 10); r.Total != want {
		t.Errorf("coree finds %d copies after indexing, want %d", r.Total, want)
	}
}

// TestOpenCreatesOnce: opens of this process racing to create a missing
// index all succeed: one creates it, the others open it after.
func TestOpenCreatesOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index.bleve")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			ix, err := Open(dir, Options{LockWait: time.Minute})
			if err == nil {
				err = ix.Close()
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("open of a missing index, raced: %v", err)
		}
	}
}

// TestReaderNeverSeesAHalfCreatedIndex opens an index read-only, over and
// over, while it is being created: each open finds no index, or the whole
// one (or waits on the writer's lock); none finds metadata missing or a
// mapping version not yet stored, which it would report as damage.
func TestReaderNeverSeesAHalfCreatedIndex(t *testing.T) {
	t.Parallel()
	for i := range 10 {
		dir := filepath.Join(t.TempDir(), "index.bleve")
		created := make(chan error, 1)
		go func() {
			ix, err := Open(dir, Options{})
			if err == nil {
				err = ix.Close()
			}
			created <- err
		}()
		for reading := true; reading; {
			select {
			case err := <-created:
				if err != nil {
					t.Fatalf("create %d: %v", i, err)
				}
				reading = false
			default:
			}
			ix, err := Open(dir, Options{ReadOnly: true, LockWait: 10 * time.Millisecond})
			switch {
			case err == nil:
				ix.Close()
			case errors.Is(err, ErrNotFound), errors.Is(err, ErrLocked):
			default:
				t.Fatalf("read-only open during creation %d: %v", i, err)
			}
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(t.TempDir(), "*.creating")); len(leftovers) != 0 {
		t.Errorf("creation left %v", leftovers)
	}
}
