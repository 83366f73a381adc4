package job

import (
	"testing"
	"time"

	"folio/crawler"
)

func TestCrawlProgressLine(t *testing.T) {
	t.Parallel()
	s := Summary{
		Site: "radio.example", New: 7, Changed: 2, Unchanged: 30, Errors: 1,
		Crawl: crawler.Stats{Fetched: 120, Queued: 45, Pages: 80, NotModified: 40, Elapsed: 10 * time.Second},
	}
	want := "radio.example: fetched 120, queued 45 | articles new 7, changed 2, unchanged 30, 304 40 | errors 1 | 12.0 pages/s"
	if got := s.ProgressLine(); got != want {
		t.Errorf("ProgressLine =\n%q\nwant\n%q", got, want)
	}
	s.Crawl.Waiting = 2
	if got, want := s.ProgressLine(), want+" | 2 hosts waiting"; got != want {
		t.Errorf("ProgressLine with waiting hosts =\n%q\nwant\n%q", got, want)
	}
}
