package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"folio/crawler"
	"folio/internal/job"
)

func TestProgressLineSilentWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgressLine(&buf)
	for range 3 {
		p.show("radio.example: fetched 1", false)
		time.Sleep(120 * time.Millisecond)
	}
	p.done()
	if buf.Len() != 0 {
		t.Errorf("progress written to a non-terminal: %q", buf.String())
	}
}

// TestProgressLineDraws draws the spinner on a buffer, as it would on a
// terminal: the line appears, and is cleared at the end.
func TestProgressLineDraws(t *testing.T) {
	var buf bytes.Buffer
	p := &progressLine{bar: newSpinner(&buf)}
	p.show("radio.example: fetched 12", false)
	time.Sleep(150 * time.Millisecond)
	p.show("radio.example: fetched 40", false)
	time.Sleep(150 * time.Millisecond)
	p.done()
	out := buf.String()
	if !strings.Contains(out, "radio.example: fetched 40") {
		t.Errorf("the last line was not drawn: %q", out)
	}
	last := out[strings.LastIndex(strings.TrimSuffix(out, "\r"), "\r")+1:]
	if strings.TrimSpace(last) != "" {
		t.Errorf("the line is not cleared at the end: %q", last)
	}
}

func TestCrawlProgressLine(t *testing.T) {
	s := job.Summary{
		Site: "radio.example", New: 7, Changed: 2, Unchanged: 30, Errors: 1,
		Crawl: crawler.Stats{Fetched: 120, Queued: 45, Pages: 80, NotModified: 40, Elapsed: 10 * time.Second},
	}
	want := "radio.example: fetched 120, queued 45 | articles new 7, changed 2, unchanged 30, 304 40 | errors 1 | 12.0 pages/s"
	if got := crawlProgress(s); got != want {
		t.Errorf("crawlProgress =\n%q\nwant\n%q", got, want)
	}
	s.Crawl.Waiting = 2
	if got, want := crawlProgress(s), want+" | 2 hosts waiting"; got != want {
		t.Errorf("crawlProgress with waiting hosts =\n%q\nwant\n%q", got, want)
	}
}
