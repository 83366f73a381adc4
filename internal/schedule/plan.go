package schedule

import (
	"context"
	"time"

	"folio/archive"
	"folio/internal/job"
)

// Planned is a configured site's schedule and next run, as folio serve
// shows them.
type Planned struct {
	// Site is the site's name, else its first start URL.
	Site string
	// Cron is the site's cron expression; empty when it has none.
	Cron string
	// Next is the next run; zero when the site has no schedule.
	Next time.Time
}

// Plan is each site's schedule and next run at now: the first time its
// cron expression gives after its last run started (after now when it
// never ran), or now when that time has passed.
func Plan(ctx context.Context, sites []job.Site, st *archive.Store, now time.Time) ([]Planned, error) {
	var out []Planned
	for _, site := range sites {
		p := Planned{Site: site.Name, Cron: site.Schedule}
		if p.Site == "" && len(site.StartURLs) > 0 {
			p.Site = site.StartURLs[0]
		}
		if site.Schedule != "" {
			e, err := NewEntry(site)
			if err != nil {
				return nil, err
			}
			base := now
			if last, err := st.LastRun(ctx, site.Name); err == nil && !last.Started.IsZero() {
				base = last.Started
			}
			if p.Next = e.Next(base); p.Next.Before(now) {
				p.Next = now
			}
		}
		out = append(out, p)
	}
	return out, nil
}
