package job

import (
	"strings"
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

func TestReextractReport(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s              ReextractSummary
		progress, want string
	}{
		{
			s:        ReextractSummary{Records: 1, Unchanged: 1, Elapsed: 1500 * time.Microsecond},
			progress: "reextract: 1 records, 0 changed, 0 updated, 1 unchanged, 0 no longer articles",
			want:     "re-extracted 1 record in 2ms: 0 changed (a new revision each), 0 updated in place (same text, other fields changed), 1 unchanged; 0 indexed\n",
		},
		{
			s: ReextractSummary{Records: 9, Changed: 3, Updated: 1, Unchanged: 2, NotArticles: 1, Errors: 2, Indexed: 4,
				Kept: 1, NoCapture: 2, Elapsed: time.Second},
			progress: "reextract: 9 records, 3 changed, 1 updated, 2 unchanged, 1 no longer articles; 4 indexed",
			want: "re-extracted 9 records in 1s: 3 changed (a new revision each), 1 updated in place (same text, other fields changed), 2 unchanged, " +
				"1 no longer an article (record kept as it was), 2 failed (records kept as they were; see the log); 4 indexed; " +
				"1 record whose page now names another URL kept its archived one; 2 records without a raw page (imported) left as they were\n",
		},
	} {
		if got := tt.s.ProgressLine(); got != tt.progress {
			t.Errorf("ProgressLine =\n%q\nwant\n%q", got, tt.progress)
		}
		var b strings.Builder
		tt.s.WriteReport(&b)
		if got := b.String(); got != tt.want {
			t.Errorf("WriteReport =\n%q\nwant\n%q", got, tt.want)
		}
	}
}
