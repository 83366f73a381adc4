package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"folio/archive"
	"folio/internal/job"
)

// MinInterval is the shortest @every a schedule may ask for.
const MinInterval = time.Minute

// Entry is one site with its parsed schedule.
type Entry struct {
	Site  job.Site
	sched cron.Schedule
	loc   *time.Location
}

// FieldError is the error of a site whose schedule cannot be read: Key is
// the config key at fault ("schedule" or "schedule_time_zone"), so that the
// config's error can point at its line.
type FieldError struct {
	Key string
	Err error
}

func (e *FieldError) Error() string { return e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// NewEntry parses site's cron expression in its time zone: the one place
// a schedule is read, for the config's validation, the scheduler and
// folio serve's next runs. A site without a schedule gives an Entry that
// is never due; check Site.Schedule first.
func NewEntry(site job.Site) (Entry, error) {
	loc := time.Local
	if site.ScheduleTimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(site.ScheduleTimeZone); err != nil {
			return Entry{}, &FieldError{"schedule_time_zone", fmt.Errorf("schedule_time_zone %q: %v", site.ScheduleTimeZone, err)}
		}
	}
	if site.Schedule == "" {
		return Entry{Site: site, loc: loc}, nil
	}
	sched, err := cron.ParseStandard(site.Schedule)
	if err != nil {
		return Entry{}, &FieldError{"schedule", fmt.Errorf("schedule %q: %v (want 5 fields, minute hour day month weekday, or @hourly, @every 2h…)", site.Schedule, err)}
	}
	// "@every 0s" parses (as every second): a crawl of every site one
	// after the other, forever. A cron expression is a minute at least.
	if cd, ok := sched.(cron.ConstantDelaySchedule); ok && cd.Delay < MinInterval {
		return Entry{}, &FieldError{"schedule", fmt.Errorf("schedule %q: runs less than %s apart (want @every %s or more)", site.Schedule, MinInterval, MinInterval)}
	}
	return Entry{Site: site, sched: sched, loc: loc}, nil
}

// Next is the first scheduled time after t; the zero time for a site
// without a schedule.
func (e Entry) Next(t time.Time) time.Time {
	if e.sched == nil {
		return time.Time{}
	}
	return e.sched.Next(t.In(e.loc))
}

// grace is how early an @every site counts as due: timers start folio a
// little late, and its runs would otherwise slip by one turn.
func (e Entry) grace() time.Duration {
	if cd, ok := e.sched.(cron.ConstantDelaySchedule); ok {
		return min(cd.Delay/10, time.Minute)
	}
	return 0
}

// Due tells whether e should run at now, given its last run (nil when it
// never ran), and why, for the log.
func (e Entry) Due(last *archive.Run, now time.Time) (bool, string) {
	switch {
	case last == nil:
		return true, "never crawled"
	case last.Ended.IsZero():
		return true, fmt.Sprintf("run %d, started %s, did not finish", last.ID, last.Started.Format(time.RFC3339))
	case last.Failure != "":
		return true, fmt.Sprintf("run %d stopped before completing (%s)", last.ID, firstLine(last.Failure))
	}
	at := e.Next(last.Started).Add(-e.grace())
	if at.After(now) {
		return false, fmt.Sprintf("next at %s", e.Next(last.Started).Format(time.RFC3339))
	}
	return true, fmt.Sprintf("scheduled time %s has passed since run %d started", e.Next(last.Started).Format(time.RFC3339), last.ID)
}

// FirstAfter is when e runs first when it is not due at start: the next
// scheduled time, counted for @every from the last run's start rather than
// from now, so that restarting the scheduler does not push runs back.
func (e Entry) FirstAfter(last *archive.Run, now time.Time) time.Time {
	if last != nil {
		if t := e.Next(last.Started); t.After(now) {
			return t
		}
	}
	return e.Next(now)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
