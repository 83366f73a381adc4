package archive

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestRuns(t *testing.T) {
	ctx := context.Background()
	clock := &testClock{}
	s := newStore(t, WithClock(clock.now))
	day := func(d int) time.Time { return time.Date(2024, 2, d, 6, 0, 0, 0, time.UTC) }

	first, err := s.BeginRun(ctx, "radio.example", "schedule", day(1))
	if err != nil {
		t.Fatal(err)
	}
	clock.set(day(1).Add(90 * time.Second))
	counts := RunCounts{
		Fetched: 120, New: 60, Changed: 2, Unchanged: 30, NotModified: 20, Errors: 3,
		ErrorsByKind: map[string]int{"timeout": 2, "http_5xx": 1},
	}
	if err := s.EndRun(ctx, first, counts); err != nil {
		t.Fatal(err)
	}
	// A run whose process died: begun, never ended.
	second, err := s.BeginRun(ctx, "autre.example", "manual", day(2))
	if err != nil {
		t.Fatal(err)
	}
	third, err := s.BeginRun(ctx, "radio.example", "manual", day(3))
	if err != nil {
		t.Fatal(err)
	}
	clock.set(day(3).Add(time.Second))
	if err := s.EndRun(ctx, third, RunCounts{Failure: "robots.txt unreachable"}); err != nil {
		t.Fatal(err)
	}

	got, err := s.Runs(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Run{
		{ID: third, Site: "radio.example", Trigger: "manual", Started: day(3), Ended: day(3).Add(time.Second),
			RunCounts: RunCounts{ErrorsByKind: map[string]int{}, Failure: "robots.txt unreachable"}},
		{ID: second, Site: "autre.example", Trigger: "manual", Started: day(2),
			RunCounts: RunCounts{ErrorsByKind: map[string]int{}}},
		{ID: first, Site: "radio.example", Trigger: "schedule", Started: day(1), Ended: day(1).Add(90 * time.Second),
			RunCounts: counts},
	}
	if diff := cmp.Diff(want, got, equalTimes); diff != "" {
		t.Errorf("Runs (-want +got):\n%s", diff)
	}
	if got, err := s.Runs(ctx, 2); err != nil || len(got) != 2 || got[0].ID != third {
		t.Errorf("Runs(2) = %d runs, %v; want the 2 latest", len(got), err)
	}
	if err := s.EndRun(ctx, 999, RunCounts{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("EndRun of an unknown run: %v, want ErrNotFound", err)
	}

	lastRuns := []struct {
		site   string
		wantID int64
	}{
		{"radio.example", third},  // the later of its two runs
		{"autre.example", second}, // unfinished, still its last
	}
	for _, c := range lastRuns {
		if got, err := s.LastRun(ctx, c.site); err != nil || got.ID != c.wantID {
			t.Errorf("LastRun(%s) = run %d, %v; want run %d", c.site, got.ID, err, c.wantID)
		}
	}
	if _, err := s.LastRun(ctx, "never.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("LastRun of a site never crawled: %v, want ErrNotFound", err)
	}
}

func TestStats(t *testing.T) {
	ctx := context.Background()
	f := newIterationFixture(t)
	st, err := f.s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Written by hand from the fixture's table: 5 articles, B twice.
	want := Stats{
		Articles:  5,
		Revisions: 6,
		Captures:  6,
		MaxSeq:    6,
		Sites:     []Count{{"a.example", "", 3}, {"b.example", "", 2}},
		Categories: []Count{
			{"a.example", "Asie", 1}, {"a.example", "L'Europe", 1}, {"a.example", "Sport", 1},
			{"b.example", "Asie", 1}, {"b.example", "Sport", 1},
		},
		Months: []Count{{"a.example", "", 1}, {"a.example", "2022-11", 2}, {"b.example", "2022-11", 2}},
	}
	if diff := cmp.Diff(want, st, cmp.FilterPath(func(p cmp.Path) bool {
		name := p.Last().String()
		return name == ".CaptureBytes" || name == ".StoredBytes"
	}, cmp.Ignore())); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
	if st.CaptureBytes <= 0 || st.StoredBytes <= 0 {
		t.Errorf("capture sizes %d, %d; want both positive", st.CaptureBytes, st.StoredBytes)
	}
}
