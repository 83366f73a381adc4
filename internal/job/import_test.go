package job

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"folio/archive"
	"folio/internal/synthetic"
)

// recordLine is one exported record of url, as folio export writes it.
func recordLine(url string) string {
	return `{"id":"","url":"` + url + `","site":"","title":"T","published":null,` +
		`"modified":null,"category":"","categories":[],"tags":[],"author":"","language":"fr","summary":"",` +
		`"body":"B ` + url + `","body_html":"","previous":null,"next":null,"related":[],"source_url":null,` +
		`"comment_count":null,"images":[],"fetched_at":"2024-01-02T03:04:05Z","content_hash":""}`
}

// importInto imports in into a new archive, logging into the buffer
// returned.
func importInto(t *testing.T, in io.Reader, maxRecord int) (*archive.Store, ImportSummary, error, *bytes.Buffer) {
	t.Helper()
	st, err := archive.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	sum, err := Import(context.Background(), Deps{Archive: st, Logger: log}, in, ImportOptions{Name: "in", MaxRecordBytes: maxRecord})
	return st, sum, err, &logs
}

func archiveCount(t *testing.T, st *archive.Store) int64 {
	t.Helper()
	n, err := st.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportWrongFile: an input whose first lines are not records is the
// wrong file: one *NotRecordsError naming the first bad line, nothing
// stored, nothing logged, however long the file.
func TestImportWrongFile(t *testing.T) {
	t.Parallel()
	warc := strings.Repeat("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n", 500)
	binary := make([]byte, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range binary {
		binary[i] = byte(rng.UintN(256))
	}
	tests := []struct {
		name string
		in   string
		unit string
		n    int
	}{
		{"a WARC", warc, "line", 1},
		{"random bytes", string(binary), "line", 1},
		{"a web page", "\n\n<!DOCTYPE html>\n<html><body>\n<p>Bonjour</p>\n</body></html>\n", "line", 3},
		{"one line of text", "bonjour\n", "line", 1},
		{"JSON objects that are not records", strings.Repeat(`{"name":"x"}`+"\n", 100), "line", 1},
		{"an array of numbers", "[1, 2, 3, 4, 5, 6, 7]", "record", 1},
		{"a broken array", "[" + recordLine("https://radio.example/a/")[:40], "record", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, sum, err, logs := importInto(t, strings.NewReader(tt.in), 0)
			var nr *NotRecordsError
			if !errors.As(err, &nr) || nr.Unit != tt.unit || nr.N != tt.n || nr.Name != "in" {
				t.Fatalf("error %v, want a NotRecordsError at %s %d", err, tt.unit, tt.n)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("in %s %d: not a folio record: ", tt.unit, tt.n)) {
				t.Errorf("message %q", err)
			}
			if sum.Stored() != 0 || sum.Skipped > wrongFileAfter || archiveCount(t, st) != 0 {
				t.Errorf("summary %+v, %d archived: want nothing stored, at most %d lines read as bad", sum, archiveCount(t, st), wrongFileAfter)
			}
			if logs.Len() > 0 {
				t.Errorf("the wrong file was logged:\n%s", logs)
			}
		})
	}
}

// TestImportSkipsDamagedLines: in an export, lines that are not records
// are skipped and logged, those before the first record included, up to
// maxLoggedSkips of them; the records are stored.
func TestImportSkipsDamagedLines(t *testing.T) {
	t.Parallel()
	lines := []string{"\uFEFF" + `{"url": "https://radio.example/broken/", "title": `, "garbage", recordLine("https://radio.example/a/")}
	for i := range 30 {
		lines = append(lines, fmt.Sprintf("bad %d", i))
	}
	lines = append(lines, "", recordLine("https://radio.example/b/"))
	st, sum, err, logs := importInto(t, strings.NewReader(strings.Join(lines, "\n")), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportSummary{Read: 34, New: 2, Skipped: 32}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if n := archiveCount(t, st); n != 2 {
		t.Errorf("%d records archived, want 2", n)
	}
	got := strings.Count(logs.String(), "line skipped: not a record")
	if got != maxLoggedSkips || !strings.Contains(logs.String(), "line=1 ") || !strings.Contains(logs.String(), "line=2 ") ||
		strings.Count(logs.String(), "more lines are not records") != 1 {
		t.Errorf("%d lines logged, want the first %d (lines 1 and 2 among them) and one line for the rest:\n%s", got, maxLoggedSkips, logs)
	}
}

// TestImportArray: the JSON export, one array, is read a record at a time;
// an element that is not a record is skipped as a bad line is; an element
// over the limit stops the import, as the array cannot be read past it.
func TestImportArray(t *testing.T) {
	// Not parallel: "an element over the limit" measures the allocations
	// of the whole process, which parallel tests add to (it failed with
	// GOMAXPROCS=16).
	good := func(n int) string { return recordLine(fmt.Sprintf("https://radio.example/%d/", n)) }
	in := "\uFEFF \n[\n" + good(1) + ",\n" + `{"url": 3}` + ",\n" + good(2) + "\n]\n"
	st, sum, err, logs := importInto(t, strings.NewReader(in), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportSummary{Read: 3, New: 2, Skipped: 1}); sum != want {
		t.Errorf("summary %+v, want %+v", sum, want)
	}
	if n := archiveCount(t, st); n != 2 {
		t.Errorf("%d records archived, want 2", n)
	}
	if !strings.Contains(logs.String(), "record skipped: not a record") || !strings.Contains(logs.String(), "record=2") {
		t.Errorf("the bad element is not logged as record 2:\n%s", logs)
	}

	t.Run("an element over the limit", func(t *testing.T) {
		const limit = 64 << 10
		in := io.MultiReader(strings.NewReader("["+good(1)+","), synthetic.LongRecordLine("https://radio.example/long/", 32<<20), strings.NewReader(","+good(2)+"]"))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, sum, err, _ := importInto(t, in, limit)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrRecordTooLong) || !strings.Contains(err.Error(), "record 2") {
			t.Errorf("error %v, want record 2 too long", err)
		}
		if sum.New != 1 {
			t.Errorf("summary %+v, want the first record stored", sum)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
			t.Errorf("reading a 32 MiB element allocated %d MiB, want under 8 MiB", alloc>>20)
		}
	})
}

// TestImportLongLine: a line over the limit is reported with its number
// and skipped without being held in memory; the lines around it are
// imported.
func TestImportLongLine(t *testing.T) {
	// Not parallel: it measures the allocations of the whole process.
	const maxLine = 1 << 20
	in := io.MultiReader(
		synthetic.LongRecordLine("https://radio.example/short/", 100),
		synthetic.LongRecordLine("https://radio.example/long/", 64<<20),
		synthetic.LongRecordLine("https://radio.example/limit/", maxLine-1024), // just under, with the other fields
	)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	st, sum, err, logs := importInto(t, in, maxLine)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 3 || sum.New != 2 || sum.Skipped != 1 {
		t.Errorf("import: %+v, want 3 lines, 2 new, 1 skipped", sum)
	}
	for _, want := range []string{"line skipped: not a record", "line=2", "record too long: 671", "the limit is 1048576"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, logs.String())
		}
	}
	for _, u := range []string{"https://radio.example/short/", "https://radio.example/limit/"} {
		if _, err := st.Get(context.Background(), u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	// Reading the 64 MiB line costs at most the limit (grown by append) and
	// the buffered reader; the records put are small. Holding the line would
	// cost 64 MiB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("importing a 64 MiB line allocated %d MiB, want under 16 MiB", alloc>>20)
	}
}

// TestLineReader: the cases at the edges of a line and of the limit.
func TestLineReader(t *testing.T) {
	t.Parallel()
	type result struct {
		line string
		err  error
	}
	tests := []struct {
		name, in string
		max      int
		want     []result
	}{
		{"empty input", "", 4, nil},
		{"no final newline", "ab\ncd", 4, []result{{"ab", nil}, {"cd", nil}}},
		{"empty lines", "\n\nab\n", 4, []result{{"", nil}, {"", nil}, {"ab", nil}}},
		{"exactly the limit", "abcd\nabcde\nx\n", 4, []result{{"abcd", nil}, {"", ErrRecordTooLong}, {"x", nil}}},
		{"too long at the end", "abcdefgh", 4, []result{{"", ErrRecordTooLong}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &lineReader{br: bufioReader(tt.in), max: tt.max}
			var got []result
			for {
				line, _, err := l.next()
				if errors.Is(err, io.EOF) {
					break
				}
				got = append(got, result{string(line), err})
				if len(got) > 10 {
					t.Fatal("no end")
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i].line != tt.want[i].line || !errors.Is(got[i].err, tt.want[i].err) {
					t.Errorf("line %d: %q %v, want %q %v", i+1, got[i].line, got[i].err, tt.want[i].line, tt.want[i].err)
				}
			}
		})
	}
}

// bufioReader reads s through the smallest buffer bufio allows, so that
// lines span several reads.
func bufioReader(s string) *bufio.Reader { return bufio.NewReaderSize(strings.NewReader(s), 16) }
