package archive

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"folio"
)

func withCheckpointInterval(d time.Duration) Option {
	return func(o *options) { o.checkpointInterval = d }
}

// articlesInDatabaseFile counts the articles that the database file holds
// by itself, without its write-ahead log: what checkpoints have copied.
func articlesInDatabaseFile(t *testing.T, dir string) (int, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		return 0, err
	}
	copyDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(copyDir, FileName), data, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(copyDir, FileName))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var tables int
	if err := db.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'articles'").Scan(&tables); err != nil || tables == 0 {
		return 0, err // not even the schema copied yet
	}
	var n int
	err = db.QueryRow("SELECT count(*) FROM articles").Scan(&n)
	return n, err
}

func putArticles(t *testing.T, s *Store, n int) {
	t.Helper()
	for i := range n {
		a := testArticle("radio.example", i)
		if _, err := s.Put(context.Background(), a, testPage(a)); err != nil {
			t.Fatal(err)
		}
	}
}

// The writer's commits never checkpoint (their fsync stalled every
// worker); the checkpointer copies the log into the database file.
func TestCheckpointsRunBesideTheWriter(t *testing.T) {
	sqliteOnly(t)
	quiet := t.TempDir()
	putArticles(t, openStore(t, quiet, withCheckpointInterval(time.Hour)), 50)
	if n, err := articlesInDatabaseFile(t, quiet); err != nil || n != 0 {
		t.Errorf("the database file holds %d articles (%v) with no checkpointer run: want 0, the writer does not checkpoint", n, err)
	}

	dir := t.TempDir()
	putArticles(t, openStore(t, dir, withCheckpointInterval(20*time.Millisecond)), 50)
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := articlesInDatabaseFile(t, dir)
		if err == nil && n == 50 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database file holds %d articles (%v) after 10 s; want the 50 checkpointed", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWriteAheadLogStaysCapped: while a crawl stores page after page and
// readers keep reading (the crawler asks what is archived of every URL),
// the write-ahead log stays near maxWALBytes instead of growing with the
// crawl: past it, the checkpointer waits for the readers and truncates it.
func TestWriteAheadLogStaysCapped(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	s := openStore(t, dir, withCheckpointInterval(20*time.Millisecond))
	ctx := context.Background()
	stop := make(chan struct{})
	readers := make(chan struct{})
	for range 2 {
		go func() {
			defer func() { readers <- struct{}{} }()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				// Every read is a snapshot that a checkpoint must not pass.
				s.Get(ctx, testArticle("radio.example", i%50).URL)
			}
		}()
	}
	most := int64(0)
	filler := strings.Repeat("Un paragraphe qui ne se répète pas tout à fait. ", 400) // 20 KB
	// About three times the cap in all, so the log is checkpointed back
	// under it several times.
	const puts = 300
	for i := range puts {
		a := testArticle("radio.example", i)
		a.Body = fmt.Sprintf("%d %s", i, filler)
		a.ContentHash = folio.ContentHash(a.Title, a.Body)
		p := testPage(a)
		p.Body = []byte("<html><body><p>" + a.Body + "</p></body></html>")
		if _, err := s.Put(ctx, a, p); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(filepath.Join(dir, FileName+"-wal")); err == nil {
			most = max(most, fi.Size())
		}
	}
	close(stop)
	<-readers
	<-readers
	t.Logf("write-ahead log: at most %.1f MiB over about %d MiB of records", float64(most)/(1<<20), puts*20*2/1024)
	// One interval's writes may pass the cap before the checkpointer
	// sees it.
	if most > 2*maxWALBytes {
		t.Errorf("the write-ahead log reached %d bytes, want at most about %d", most, maxWALBytes)
	}
}
