package schedule

import (
	"context"
	"testing"
	"time"

	"folio/archive"
	"folio/internal/job"
)

func TestPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := archive.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	// hourly ran 20 minutes ago; daily ran two days ago; fresh never ran.
	for _, r := range []struct {
		site    string
		started time.Time
	}{{"hourly", now.Add(-20 * time.Minute)}, {"daily", now.Add(-48 * time.Hour)}} {
		id, err := st.BeginRun(ctx, r.site, archive.Trigger("schedule"), r.started)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.EndRun(ctx, id, archive.RunCounts{}); err != nil {
			t.Fatal(err)
		}
	}
	sites := []job.Site{
		{Name: "hourly", StartURLs: []string{"https://a.example/"}, Schedule: "@every 1h"},
		{Name: "daily", StartURLs: []string{"https://b.example/"}, Schedule: "@daily"},
		{Name: "fresh", StartURLs: []string{"https://c.example/"}, Schedule: "@every 2h"},
		{StartURLs: []string{"https://d.example/"}},
	}
	plan, err := Plan(ctx, sites, st, now)
	if err != nil {
		t.Fatal(err)
	}
	want := []Planned{
		{Site: "hourly", Cron: "@every 1h", Next: now.Add(40 * time.Minute)},
		{Site: "daily", Cron: "@daily", Next: now}, // its time has passed
		{Site: "fresh", Cron: "@every 2h", Next: now.Add(2 * time.Hour)},
		{Site: "https://d.example/"},
	}
	if len(plan) != len(want) {
		t.Fatalf("plan = %+v, want %+v", plan, want)
	}
	for i := range want {
		if plan[i].Site != want[i].Site || plan[i].Cron != want[i].Cron || !plan[i].Next.Equal(want[i].Next) {
			t.Errorf("plan[%d] = %+v, want %+v", i, plan[i], want[i])
		}
	}
	if _, err := Plan(ctx, []job.Site{{Name: "bad", Schedule: "every day"}}, st, now); err == nil {
		t.Error("a bad cron expression planned")
	}
}
