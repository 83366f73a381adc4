package archive

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestReadOnlyStoreReadsWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := testLocation(t)
	w := openStore(t, dir)
	r := openStore(t, dir, ReadOnly())
	const total = 100

	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range total {
			a := testArticle("radio.example", i)
			if _, err := w.Put(ctx, a, testPage(a)); err != nil {
				t.Errorf("Put: %v", err)
				return
			}
		}
	})
	wg.Go(func() {
		// Catch up as an index would: each pass reads what was written since
		// the last one.
		var last int64
		for last < total {
			seq, err := r.MaxSeq(ctx)
			if err != nil {
				t.Errorf("MaxSeq: %v", err)
				return
			}
			if seq < last {
				t.Errorf("MaxSeq went back from %d to %d", last, seq)
			}
			err = r.IterateEntries(ctx, IterateOptions{AfterSeq: last}, func(e Entry) error {
				if e.Seq != last+1 {
					return fmt.Errorf("seq %d after %d", e.Seq, last)
				}
				if e.Article.Title == "" || e.Revision != 1 {
					return fmt.Errorf("incomplete record %s", e.Article.ID)
				}
				last = e.Seq
				return nil
			})
			if err != nil {
				t.Errorf("Iterate: %v", err)
				return
			}
			if last < seq {
				t.Errorf("caught up to %d, but MaxSeq said %d before", last, seq)
			}
		}
	})
	wg.Wait()
	if n, err := r.Count(ctx); err != nil || n != total {
		t.Errorf("reader counts %d, %v; want %d", n, err, total)
	}
}

// TestHelperReaderProcess is the reader that TestReaderInAnotherProcess
// starts in a process of its own.
func TestHelperReaderProcess(t *testing.T) {
	dir := os.Getenv("FOLIO_ARCHIVE_READER_DIR")
	if dir == "" {
		t.Skip("run by TestReaderInAnotherProcess")
	}
	want, err := strconv.ParseInt(os.Getenv("FOLIO_ARCHIVE_READER_WANT"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Println("ready")
	deadline := time.Now().Add(time.Minute)
	var last int64
	for last < want {
		seq, err := s.MaxSeq(ctx)
		if err != nil {
			t.Fatal(err)
		}
		err = s.IterateEntries(ctx, IterateOptions{AfterSeq: last}, func(e Entry) error {
			if e.Seq != last+1 {
				return fmt.Errorf("seq %d after %d", e.Seq, last)
			}
			last = e.Seq
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if last < seq {
			t.Fatalf("caught up to %d, but MaxSeq said %d before", last, seq)
		}
		if time.Now().After(deadline) {
			t.Fatalf("saw %d records of %d before the deadline", last, want)
		}
	}
	fmt.Printf("saw %d records\n", last)
}

func TestReaderInAnotherProcess(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	w := openStore(t, dir)
	const total = 300
	a := testArticle("radio.example", 0)
	mustPut(t, w, a, testPage(a))

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperReaderProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "FOLIO_ARCHIVE_READER_DIR="+dir, fmt.Sprintf("FOLIO_ARCHIVE_READER_WANT=%d", total))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	var output []string
	for lines.Scan() {
		output = append(output, lines.Text())
		if lines.Text() == "ready" {
			break
		}
	}
	for i := 1; i < total; i++ {
		a := testArticle("radio.example", i)
		if _, err := w.Put(ctx, a, testPage(a)); err != nil {
			t.Fatalf("Put while another process reads: %v", err)
		}
	}
	for lines.Scan() {
		output = append(output, lines.Text())
	}
	err = cmd.Wait()
	out := strings.Join(output, "\n")
	if err != nil {
		t.Fatalf("reader process: %v\n%s\n%s", err, out, stderr.String())
	}
	if !strings.Contains(out, fmt.Sprintf("saw %d records", total)) {
		t.Errorf("reader process output:\n%s", out)
	}
}

func TestWriteLockHeldElsewhere(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir, WithBusyTimeout(100*time.Millisecond))

	// Another writer, as SQLite sees one: its own connection holding the
	// write lock in an open transaction.
	other, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName)+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO crawl_queue (site, url, depth) VALUES ('autre.example', 'https://autre.example/', 0)`); err != nil {
		t.Fatal(err)
	}

	// Readers go on, and do not see the uncommitted row.
	if got, err := s.Frontier(ctx, "autre.example"); err != nil || len(got) != 0 {
		t.Errorf("Frontier during another write = %v, %v; want empty", got, err)
	}
	// A write gives up after the busy timeout, saying why. Enqueue does
	// not wait for its write: Sync tells its failure, and so do the
	// crawl state's later writes, until the crawl state is read again.
	if _, err := s.Enqueue(ctx, "radio.example", "https://radio.example/", 0); err != nil {
		t.Errorf("Enqueue while another writer holds the lock: %v, want its write queued", err)
	}
	if err := s.Sync(ctx); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("Sync while another writer holds the lock: %v, want a locked error", err)
	}
	if err := s.Done(ctx, "radio.example", "https://radio.example/"); err == nil || !strings.Contains(err.Error(), "locked") {
		t.Errorf("Done after a write failed: %v, want its locked error", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Frontier(ctx, "autre.example"); err != nil || len(got) != 1 {
		t.Errorf("Frontier after the other write = %v, %v; want its URL", got, err)
	}
	if _, err := s.Enqueue(ctx, "radio.example", "https://radio.example/", 0); err != nil {
		t.Errorf("Enqueue after the lock is released: %v", err)
	}
}
