package crawler

import (
	"errors"
	"fmt"
	"hash/fnv"
	"hash/maphash"
	"math"
	"sync"
	"time"

	"folio"
)

// Recheck is the schedule on which a re-crawl fetches again the archived
// articles of a site that sends neither ETag nor Last-Modified, and so
// cannot be asked whether a page changed. (Pages with validators are asked
// every run, conditionally; pages never archived, listings, feeds and
// sitemaps are always fetched: they are how new and changed articles are
// found. RunOptions.Full fetches everything.)
//
// What the site says comes first. During a run the crawler notes the dates
// of change its feeds and sitemaps give for the pages they list: a
// sitemap's lastmod, a feed entry's updated date, else the feed's own
// (lastBuildDate: on WordPress, the latest change of the posts it lists),
// each rounded up to its precision. Once every feed, sitemap and listing
// within reach is read, an archived article is fetched when
//
//   - a feed or sitemap dates a change after its last fetch (and after the
//     modified date its record holds), or
//   - a feed lists it without any date of change, or
//   - it is due on the schedule: the time since its last fetch has reached
//     Ratio times its age, bounded by Min and Max.
//
// Its age counts from the latest of its published and modified dates and
// the last fetch that found its text changed (from when it was first
// archived when none is known). With the defaults (ratio 0.2, min 1h, max
// 720h):
//
//	age         re-checked every
//	1 day       5 hours
//	1 week      1.4 days
//	1 month     6 days
//	5 months+   30 days
//
// so that an edit to an old post that no feed or sitemap announces is found
// within that interval, Max at most. Each article's interval is shortened
// by up to a quarter, by a fixed share drawn from its URL, so that the
// articles a first crawl archived together are not all due in the same
// run. A start URL is always fetched. A run that resumes
// an interrupted one has lost the dates the feeds and sitemaps it read
// before the stop gave: the articles they listed are judged by the
// schedule alone.
type Recheck struct {
	// Ratio is the interval between two fetches of an article as a fraction
	// of its age. Default 0.2.
	Ratio float64 `yaml:"ratio"`
	// Min and Max bound the interval. Default 1h and 720h (30 days).
	Min time.Duration `yaml:"min"`
	Max time.Duration `yaml:"max"`
}

// Defaults of Recheck.
const (
	DefaultRecheckRatio = 0.2
	DefaultRecheckMin   = time.Hour
	DefaultRecheckMax   = 30 * 24 * time.Hour
)

func (rc Recheck) withDefaults() Recheck {
	if rc.Ratio == 0 {
		rc.Ratio = DefaultRecheckRatio
	}
	if rc.Min == 0 {
		rc.Min = DefaultRecheckMin
	}
	if rc.Max == 0 {
		rc.Max = DefaultRecheckMax
	}
	return rc
}

func (rc Recheck) validate() error {
	var errs []error
	if rc.Ratio <= 0 || rc.Ratio > 10 || math.IsNaN(rc.Ratio) {
		errs = append(errs, fmt.Errorf("ratio: %v is not above 0 and at most 10", rc.Ratio))
	}
	if rc.Min < 0 {
		errs = append(errs, fmt.Errorf("min: %s is negative", rc.Min))
	}
	if rc.Max < rc.Min {
		errs = append(errs, fmt.Errorf("max: %s is less than min %s", rc.Max, rc.Min))
	}
	return errors.Join(errs...)
}

// interval is how long after its last fetch an article of the given age is
// due again.
func (rc Recheck) interval(age time.Duration) time.Duration {
	d := time.Duration(float64(max(age, 0)) * rc.Ratio)
	return min(max(d, rc.Min), rc.Max)
}

// Why an archived page without validators is fetched again; "" when it is
// not.
const (
	dueAnnounced = "announced" // a feed or sitemap dates a change after the last fetch
	dueInFeed    = "in_feed"   // a feed lists it without a date of change
	dueSchedule  = "schedule"  // its interval has passed
)

// clockSkew is how far behind ours a site's clock may be: a change dated
// that much before the last fetch may not have been in it.
const clockSkew = 15 * time.Minute

// due tells whether the archived page a, fetched from url, which has no
// validators, is fetched again at now, given what this run's feeds and
// sitemaps said of it, and why.
func (rc Recheck) due(now time.Time, url string, a folio.ArchivedPage, h hint) string {
	if h.undated {
		return dueInFeed
	}
	if !h.changed.IsZero() && h.changed.After(a.Checked.Add(-clockSkew)) &&
		(a.Modified == nil || h.changed.After(*a.Modified)) {
		return dueAnnounced
	}
	// Otherwise the site says the page has not changed since; the schedule
	// still applies, should a sitemap's date be stale.
	var last time.Time
	for _, t := range []*time.Time{a.Published, a.Modified, &a.Changed} {
		if t != nil && t.After(last) {
			last = *t
		}
	}
	if last.IsZero() {
		last = a.Archived
	}
	if now.Sub(a.Checked) >= spread(rc.interval(now.Sub(last)), url) {
		return dueSchedule
	}
	return ""
}

// spread shortens d by up to a quarter, by a share fixed by url.
func spread(d time.Duration, url string) time.Duration {
	h := fnv.New64a()
	h.Write([]byte(url))
	share := float64(h.Sum64()>>11) / (1 << 53) // in [0, 1)
	return d - time.Duration(float64(d)*share/4)
}

// onSchedule reports whether an archived page is fetched on the Recheck
// schedule: it was archived, and the site gave it no validators to ask
// with.
func onSchedule(a folio.ArchivedPage) bool {
	return !a.Checked.IsZero() && a.ETag == "" && a.LastModified == ""
}

// hint is what a run's feeds and sitemaps said of a page.
type hint struct {
	// changed is the latest date of change they gave.
	changed time.Time
	// undated is set when a feed listed the page without any date of
	// change.
	undated bool
}

// hintTableSize bounds the hints a run keeps (about 40 bytes each). Past
// it, the pages further feeds and sitemaps list are judged by the schedule
// alone.
var hintTableSize = 1 << 18

// hintTable holds the hints of a run, by canonical URL.
type hintTable struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64]hint
	max  int
}

func newHintTable(max int) *hintTable {
	return &hintTable{seed: maphash.MakeSeed(), m: map[uint64]hint{}, max: max}
}

// note merges what one feed or sitemap said of url.
func (t *hintTable) note(url string, changed time.Time, undated bool) {
	if changed.IsZero() && !undated {
		return
	}
	k := maphash.String(t.seed, url)
	t.mu.Lock()
	defer t.mu.Unlock()
	h, ok := t.m[k]
	if !ok && len(t.m) >= t.max {
		return
	}
	if changed.After(h.changed) {
		h.changed = changed
	}
	h.undated = h.undated || undated
	t.m[k] = h
}

func (t *hintTable) get(url string) hint {
	k := maphash.String(t.seed, url)
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[k]
}
