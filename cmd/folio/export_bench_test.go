package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"folio"
	"folio/archive"
	"folio/internal/synthetic"
)

// The export benchmark runs `folio export` as a child process over archives
// of 10,000 and 100,000 records and reports records/s and the child's peak
// RSS (getrusage's ru_maxrss), which must stay under 100 MB whatever the
// archive's size. Building the archives takes minutes, so it runs only when
// FOLIO_BENCH_EXPORT is set; they are kept in FOLIO_BENCH_DIR (default: the
// system's temporary directory) for the next run:
//
//	FOLIO_BENCH_EXPORT=1 go test ./cmd/folio -run '^$' -bench BenchmarkExportProcess -benchtime 3x

// benchArchive returns a data directory holding n synthetic records of
// news-article size (about 3 KB of text, 3.5 KB of HTML), building it the
// first time.
func benchArchive(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(benchDataRoot(), fmt.Sprintf("folio-bench-export-%d", n))
	if st, err := archive.OpenReadOnly(dir); err == nil {
		count, err := st.Count(context.Background())
		st.Close()
		if err == nil && count == int64(n) {
			return dir
		}
	}
	fillBenchArchive(b, dir, n, func(i int) (folio.Article, folio.Page) { return benchArticle(i), folio.Page{} })
	return dir
}

// benchDataRoot is where the benchmarks keep the data directories they
// build: FOLIO_BENCH_DIR, or the system's temporary directory.
func benchDataRoot() string {
	if root := os.Getenv("FOLIO_BENCH_DIR"); root != "" {
		return root
	}
	return os.TempDir()
}

// fillBenchArchive replaces dir with an archive of the n records that
// record gives, with their pages.
func fillBenchArchive(b *testing.B, dir string, n int, record func(i int) (folio.Article, folio.Page)) {
	b.Helper()
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	st, err := archive.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	started := time.Now()
	for i := range n {
		a, page := record(i)
		if _, err := st.Put(ctx, a, page); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("built an archive of %d records in %s", n, time.Since(started).Round(time.Second))
}

var benchCategories = []string{"L'Europe", "Asie", "Afrique", "Économie", "Culture", "Sport"}

func benchArticle(i int) folio.Article {
	published := time.Date(2015, 1, 1, 8, 0, 0, 0, time.FixedZone("", 3600)).Add(time.Duration(i) * 97 * time.Minute)
	site := []string{"radio.example", "journal.example"}[i%2]
	url := fmt.Sprintf("https://%s/%s/article-%d/", site, published.Format("2006/01/02"), i)
	var body strings.Builder
	for p := range 8 {
		fmt.Fprintf(&body, "Paragraphe %d de l’article %d : la Corée du Nord et la Russie annoncent reprendre leurs liaisons ferroviaires, arrêtées depuis le début de la pandémie, « un symbole » de leur rapprochement, selon les observateurs interrogés à Séoul.\n\n", p, i)
	}
	text := strings.TrimSpace(body.String())
	title := fmt.Sprintf("Article numéro %d : la Corée du Nord et la Russie", i)
	comments := i % 7
	cat := benchCategories[i%len(benchCategories)]
	return folio.Article{
		ID: folio.ArticleID(url), URL: url, Site: site, Title: title, Published: &published,
		Category: cat, Categories: []string{cat}, Tags: []string{"russie", "corée du nord"},
		Author: "admin", Language: "fr", Summary: "Paragraphe 0 de l’article.", Body: text,
		BodyHTML:  "<p>" + strings.ReplaceAll(text, "\n\n", "</p><p>") + "</p>",
		Related:   []folio.Link{{URL: "https://" + site + "/autre/", Title: "Autre"}},
		SourceURL: "https://www.rfi.fr/fr/" + strconv.Itoa(i), CommentCount: &comments,
		Images:    []string{"https://" + site + "/wp-content/uploads/" + strconv.Itoa(i) + ".jpg"},
		FetchedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), ContentHash: folio.ContentHash(title, text),
	}
}

func BenchmarkExportProcess(b *testing.B) {
	if os.Getenv("FOLIO_BENCH_EXPORT") == "" {
		b.Skip("set FOLIO_BENCH_EXPORT=1: builds archives of 10,000 and 100,000 records (minutes, about 1 GB of disk)")
	}
	bin := buildFolio(b)
	for _, n := range []int{10_000, 100_000} {
		data := benchArchive(b, n)
		for _, format := range []string{"json", "jsonl"} {
			b.Run(fmt.Sprintf("%s/records=%d", format, n), func(b *testing.B) {
				out := filepath.Join(b.TempDir(), "export."+format)
				var peakKB int64
				var elapsed time.Duration
				for b.Loop() {
					cmd := exec.Command(bin, "--data", data, "export", "--format", format, "-o", out)
					started := time.Now()
					if msg, err := cmd.CombinedOutput(); err != nil {
						b.Fatalf("folio export: %v\n%s", err, msg)
					}
					elapsed += time.Since(started)
					if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
						peakKB = max(peakKB, ru.Maxrss) // kilobytes on Linux
					}
				}
				info, err := os.Stat(out)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "records/s")
				b.ReportMetric(float64(peakKB)/1024, "peak-RSS-MB")
				b.ReportMetric(float64(info.Size())/(1<<20), "output-MB")
			})
		}
	}
}

// BenchmarkImportLongLine runs `folio import -` as a child process on one
// record line of the given size (its body one run of x) and reports the
// child's peak RSS: a line over --max-line-bytes (16 MiB) is skipped without
// being held, so the peak does not grow with the line.
//
//	go test ./cmd/folio -run '^$' -bench BenchmarkImportLongLine -benchtime 1x
func BenchmarkImportLongLine(b *testing.B) {
	bin := buildFolio(b)
	for _, size := range []int64{15 << 20, 64 << 20, 512 << 20} {
		b.Run(fmt.Sprintf("line=%dMiB", size>>20), func(b *testing.B) {
			var peakKB int64
			for b.Loop() {
				cmd := exec.Command(bin, "--data", b.TempDir(), "import", "-")
				cmd.Stdin = synthetic.LongRecordLine("https://radio.example/long/", size)
				msg, err := cmd.CombinedOutput()
				if wantSkipped := size > defaultMaxLine; (err != nil) != wantSkipped {
					b.Fatalf("folio import of a %d MiB line: %v\n%s", size>>20, err, msg)
				}
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					peakKB = max(peakKB, ru.Maxrss) // kilobytes on Linux
				}
			}
			b.ReportMetric(float64(peakKB)/1024, "peak-RSS-MB")
		})
	}
}

// TestImportLongLine: a line over --max-line-bytes is reported with its
