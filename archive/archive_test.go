package archive

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio"
)

// contractFields are the fields of the Article record, as docs/design.md lists
// them: every exported record has exactly these keys.
var contractFields = []string{
	"id", "url", "site", "title", "published", "modified", "category", "categories", "tags",
	"author", "language", "summary", "body", "body_html", "previous", "next", "related",
	"source_url", "comment_count", "images", "fetched_at", "content_hash",
}

var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// equalTimes compares instants, whatever their location: a record read back
// from JSON carries a fixed zone where the original had Europe/Paris.
var equalTimes = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// testClock is a settable clock for WithClock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func openStore(t testing.TB, dir string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(dir, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func newStore(t testing.TB, opts ...Option) *Store {
	t.Helper()
	return openStore(t, testLocation(t), opts...)
}

// testArticle is a plausible record number n of site, published n days after
// 2022-11-01 in Paris.
func testArticle(site string, n int) folio.Article {
	published := time.Date(2022, 11, 1, 9, 30, 0, 0, paris).AddDate(0, 0, n)
	url := fmt.Sprintf("https://%s/%s/article-%d/", site, published.Format("2006/01/02"), n)
	body := fmt.Sprintf("Premier paragraphe de l’article %d, avec « guillemets ».\n\nSecond paragraphe.", n)
	title := fmt.Sprintf("Article numéro %d", n)
	comments := n % 3
	return folio.Article{
		ID:           folio.ArticleID(url),
		URL:          url,
		Site:         site,
		Title:        title,
		Published:    &published,
		Category:     "L'Europe",
		Categories:   []string{"L'Europe", "Monde"},
		Tags:         []string{"russie"},
		Author:       "admin",
		Language:     "fr",
		Summary:      "Premier paragraphe.",
		Body:         body,
		BodyHTML:     "<p>" + body + "</p>",
		Related:      []folio.Link{{URL: "https://" + site + "/autre/", Title: "Autre"}},
		SourceURL:    "https://source.example/" + fmt.Sprint(n),
		CommentCount: &comments,
		Images:       []string{"https://" + site + "/img.jpg"},
		FetchedAt:    time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		ContentHash:  folio.ContentHash(title, body),
	}
}

// testPage is the page a was extracted from, fetched at a.FetchedAt.
func testPage(a folio.Article) folio.Page {
	return folio.Page{
		URL:          a.URL,
		RequestedURL: a.URL,
		Status:       200,
		Header: http.Header{
			"Content-Type":  {"text/html; charset=UTF-8"},
			"Etag":          {`"` + folio.ContentHash(a.Title, a.Body)[:8] + `"`},
			"Last-Modified": {"Mon, 07 Nov 2022 08:00:00 GMT"},
		},
		Body:      []byte("<html><body><h1>" + a.Title + "</h1><p>" + a.Body + "</p></body></html>"),
		FetchedAt: a.FetchedAt,
		Depth:     2,
	}
}

func mustPut(t testing.TB, s *Store, a folio.Article, p folio.Page) PutResult {
	t.Helper()
	res, err := s.Put(context.Background(), a, p)
	if err != nil {
		t.Fatalf("Put(%s): %v", a.URL, err)
	}
	return res
}

func TestOpenCreatesDirectoryAndReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	if testBackend == "postgres" {
		dir = testLocation(t)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := testArticle("radio.example", 1)
	first := mustPut(t, s, a, testPage(a))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil && testBackend == "" {
		t.Fatalf("no database file after Open: %v", err)
	}

	s = openStore(t, dir)
	got, err := s.Get(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got, equalTimes); diff != "" {
		t.Errorf("record after reopen (-put +got):\n%s", diff)
	}
	if seq, err := s.MaxSeq(ctx); err != nil || seq != first.Seq {
		t.Errorf("MaxSeq after reopen = %d, %v; want %d", seq, err, first.Seq)
	}
	b := testArticle("radio.example", 2)
	if res := mustPut(t, s, b, testPage(b)); res.Seq <= first.Seq {
		t.Errorf("seq after reopen = %d, want > %d", res.Seq, first.Seq)
	}
}

func TestOpenRejectsBadFiles(t *testing.T) {
	sqliteOnly(t)
	valid := func(t *testing.T, path string) {
		// A real database, then its pages past the header overwritten.
		s, err := Open(filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 20 {
			a := testArticle("radio.example", i)
			mustPut(t, s, a, testPage(a))
		}
		s.Close()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i := 100; i < len(data); i++ {
			data[i] = byte(i * 7)
		}
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string)
		want    string
	}{
		{"text file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("this is not a database, just some notes\n"), 0o644)
		}, "not an SQLite database"},
		{"short file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("SQL"), 0o644)
		}, "not an SQLite database"},
		{"damaged database", valid, "damaged"},
	}
	for _, tt := range tests {
		for _, readOnly := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/readonly=%v", tt.name, readOnly), func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, FileName)
				tt.prepare(t, path)
				var opts []Option
				if readOnly {
					opts = append(opts, ReadOnly())
				}
				s, err := Open(dir, opts...)
				if err == nil {
					s.Close()
					t.Fatal("Open succeeded on a bad file")
				}
				t.Log(err)
				if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not name %s and say %q", err, path, tt.want)
				}
			})
		}
	}
}

func TestOpenReadOnlyMissingArchive(t *testing.T) {
	sqliteOnly(t)
	dir := filepath.Join(t.TempDir(), "absent")
	_, err := OpenReadOnly(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenReadOnly of a missing archive: %v, want fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), filepath.Join(dir, FileName)) {
		t.Errorf("error %q does not name the file", err)
	}
	if _, statErr := os.Stat(dir); !errors.Is(statErr, fs.ErrNotExist) {
		t.Errorf("OpenReadOnly created %s", dir)
	}
}

// createAtVersion builds an archive database at an old schema version, the
// way that version of folio left it.
func createAtVersion(t *testing.T, dir string, version int) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i := range version {
		if _, err := db.Exec(migrations[i]); err != nil {
			t.Fatalf("migration %d: %v", i+1, err)
		}
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestMigrateFromVersion1(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	db := createAtVersion(t, dir, 1)
	a := testArticle("radio.example", 1)
	record, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	// Rows as version 1 wrote them.
	_, err = db.Exec(`
UPDATE counters SET value = 1 WHERE name = 'seq';
INSERT INTO articles (id, url, site, category, published, fetched_at, seen_at, updated_at, content_hash, revision, seq, record)
VALUES (?1, ?2, 'radio.example', 'L''Europe', ?3, ?4, ?4, ?4, ?5, 1, 1, ?6);
INSERT INTO revisions (article_id, number, content_hash, fetched_at, stored_at, record) VALUES (?1, 1, ?5, ?4, ?4, ?6);`,
		a.ID, a.URL, a.Published.Unix(), a.FetchedAt.UnixNano(), a.ContentHash, string(record))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	// A reader must not migrate, and says how to.
	if _, err := OpenReadOnly(dir, WithBusyTimeout(100*time.Millisecond)); err == nil || !strings.Contains(err.Error(), "schema version 1 is older") {
		t.Fatalf("OpenReadOnly of a version 1 archive: %v", err)
	}
	// A reader that comes while a writer migrates waits for the migration.
	opened := make(chan error, 1)
	go func() {
		r, err := OpenReadOnly(dir)
		if err == nil {
			r.Close()
		}
		opened <- err
	}()
	time.Sleep(50 * time.Millisecond)

	s := openStore(t, dir)
	var version int
	if err := s.read.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("user_version after Open = %d, %v; want %d", version, err, len(migrations))
	}
	if err := <-opened; err != nil {
		t.Fatalf("OpenReadOnly during the migration: %v", err)
	}
	got, err := s.Get(ctx, a.URL)
	if err != nil {
		t.Fatalf("Get of a version 1 record: %v", err)
	}
	if diff := cmp.Diff(a, got, equalTimes); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	// The tables version 2 added work.
	if added, err := s.Enqueue(ctx, "radio.example", a.URL, 0); err != nil || !added {
		t.Errorf("Enqueue after migration = %v, %v", added, err)
	}
	if _, err := s.BeginRun(ctx, "radio.example", "manual", time.Now()); err != nil {
		t.Errorf("BeginRun after migration: %v", err)
	}
	b := testArticle("radio.example", 2)
	if res := mustPut(t, s, b, testPage(b)); res.Seq != 2 {
		t.Errorf("first seq after migration = %d, want 2", res.Seq)
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	sqliteOnly(t)
	dir := t.TempDir()
	db := createAtVersion(t, dir, len(migrations))
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, opts := range [][]Option{nil, {ReadOnly()}} {
		_, err := Open(dir, opts...)
		if err == nil || !strings.Contains(err.Error(), "newer") {
			t.Errorf("Open of a newer archive: %v, want an error saying it is newer", err)
		}
	}
}

func TestReadOnlyStoreRefusesWrites(t *testing.T) {
	ctx := context.Background()
	dir := testLocation(t)
	w := openStore(t, dir)
	a := testArticle("radio.example", 1)
	mustPut(t, w, a, testPage(a))

	r := openStore(t, dir, ReadOnly())
	if _, err := r.Get(ctx, a.ID); err != nil {
		t.Fatalf("Get on a read-only store: %v", err)
	}
	writes := map[string]func() error{
		"Put":      func() error { _, err := r.Put(ctx, a, testPage(a)); return err },
		"Enqueue":  func() error { _, err := r.Enqueue(ctx, "radio.example", a.URL, 0); return err },
		"Done":     func() error { return r.Done(ctx, "radio.example", a.URL) },
		"Finish":   func() error { return r.Finish(ctx, "radio.example") },
		"BeginRun": func() error { _, err := r.BeginRun(ctx, "radio.example", "manual", time.Now()); return err },
		"EndRun":   func() error { return r.EndRun(ctx, 1, RunCounts{}) },
	}
	for name, write := range writes {
		if err := write(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only store: %v, want ErrReadOnly", name, err)
		}
	}
}

func TestPathWithURISpecialCharacters(t *testing.T) {
	sqliteOnly(t)
	dir := filepath.Join(t.TempDir(), "a dir?with#odd%chars")
	s := openStore(t, dir)
	a := testArticle("radio.example", 1)
	mustPut(t, s, a, testPage(a))
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("database not at %s: %v", dir, err)
	}
}

func TestOpenReadOnlyAfterWriterClosed(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	a := testArticle("radio.example", 1)
	mustPut(t, s, a, testPage(a))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	r, err := OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := r.Get(ctx, a.URL); err != nil || got.ID != a.ID {
		t.Errorf("Get = %s, %v; want %s", got.ID, err, a.ID)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("a read-only open changed the database file")
	}
}

// TestOpenNewArchiveQuiet: creating an archive is no news at info level;
// its migration steps are logged at debug.
func TestOpenNewArchiveQuiet(t *testing.T) {
	for _, tt := range []struct {
		level slog.Level
		quiet bool
	}{{slog.LevelInfo, true}, {slog.LevelDebug, false}} {
		var buf bytes.Buffer
		log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: tt.level}))
		s, err := Open(testLocation(t), WithLogger(log))
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if quiet := buf.Len() == 0; quiet != tt.quiet {
			t.Errorf("level %s: logged %q", tt.level, buf.String())
		}
	}
}
