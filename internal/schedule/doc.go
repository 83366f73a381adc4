// Package schedule runs each site's crawl on its own cron schedule: the
// engine of folio schedule.
//
// # Entry points
//
//   - NewEntry parses a site's cron expression in its time zone. It is the
//     one place a schedule is read: the config's validation
//     (internal/config), the scheduler and folio serve's next runs (Plan)
//     all go through it.
//   - New makes a Scheduler of entries; Run crawls each site at its times
//     until its context ends, RunOnce crawls the sites that are due and
//     returns (folio schedule --once).
//
// A site is due when it was never crawled, when its last run did not
// finish, or when one of its scheduled times has passed since its last run
// started (Entry.Due). Two crawls of one site never overlap: a turn that
// comes while the previous run goes on is skipped, and logged.
//
// Crawls write the archive only, under the data directory's writer lock
// (package datadir), which the crawls in progress share: taken by the
// first, released by the last, so that between runs other commands can
// write. The index catches up with the archive (job.CatchUp) after each
// crawl and every SyncInterval while crawls run.
//
// The scheduler's clock is an Option, so that tests replay days of turns
// in milliseconds. It prints nothing: it logs, and cmd/folio turns its
// errors into exit statuses.
package schedule
