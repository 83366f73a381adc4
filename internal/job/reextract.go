package job

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"folio"
	"folio/archive"
	"folio/extract"
)

// ReextractOptions say which archived records Reextract extracts again,
// and with which rules.
type ReextractOptions struct {
	// Sites are the configured sites: a record is extracted with the rules
	// of the first site one of whose start URLs is on the record's host, as
	// a crawl of that site would; a record of another host, with the
	// default rules.
	Sites []Site
	// Hosts keeps the records of these hosts (case ignored); empty keeps
	// every record.
	Hosts []string
	// Since keeps the records whose raw capture was fetched at or after
	// this instant; zero keeps them all.
	Since time.Time
	// IndexBatch is the index batch size; default DefaultIndexBatch.
	IndexBatch int

	// capturesPage is how many captures are read at a time; default
	// defaultCapturesPage. The tests lower it.
	capturesPage int
}

// ReextractSummary is what Reextract did. Every record read is counted
// once in Changed, Updated, Unchanged, NotArticles or Errors.
type ReextractSummary struct {
	// Records counts the records whose capture was extracted again.
	Records int
	// Changed counts the records whose text changed: each got a new
	// revision. Updated counts those whose text is the same but other
	// fields (category, tags, dates…) changed: rewritten in place, without
	// a revision. Unchanged counts the others.
	Changed, Updated, Unchanged int
	// NotArticles counts the records whose capture extraction no longer
	// takes for an article: they are kept as they were.
	NotArticles int
	// Errors counts the records extraction failed on; they are kept as
	// they were.
	Errors int
	// Kept counts the records whose capture now names another canonical
	// URL: they are stored under their archived URL all the same, since a
	// re-extraction never moves a record.
	Kept int
	// NoCapture counts the selected records that have no raw capture (an
	// import's): they cannot be extracted again and are left as they are.
	NoCapture int
	// Indexed counts the records written to the index.
	Indexed int
	Elapsed time.Duration
}

// Reextract runs extraction again over the raw captures the archive keeps,
// with the rules of each record's site, and stores each record through the
// archive's Put: a record whose text changed gets a new revision (with the
// capture it came from), one whose other fields changed is rewritten in
// place, and the others stay as they are. A capture that is no longer an
// article, or that extraction fails on, leaves its record untouched. When
// deps.Index is set, the index then catches up with the archive
// (CatchUp), even when ctx was cancelled meanwhile.
//
// Each record's latest capture is read (see archive.LatestCaptures),
// and extracted on GOMAXPROCS workers. onProgress, which may be nil, is
// called with the counts so far after each record and each index batch,
// by one goroutine at a time.
func Reextract(ctx context.Context, deps Deps, opts ReextractOptions, onProgress func(ReextractSummary)) (ReextractSummary, error) {
	if deps.Archive == nil {
		return ReextractSummary{}, errors.New("reextract: no archive")
	}
	started := deps.now()
	r := &reextraction{deps: deps, log: deps.logger(), sites: opts.Sites, onProgress: onProgress}
	err := r.captures(ctx, opts)
	if deps.Index != nil && (err == nil || ctx.Err() != nil) {
		// What was stored is indexed even when the re-extraction was
		// stopped.
		res, ierr := CatchUp(context.WithoutCancel(ctx), deps.Archive, CatchUpOptions{Index: deps.Index, BatchSize: opts.IndexBatch,
			OnProgress: func(p IndexProgress) {
				r.mu.Lock()
				r.sum.Indexed = p.Indexed
				r.mu.Unlock()
				r.report()
			}})
		indexed := res.Indexed
		r.sum.Indexed = indexed
		if ierr == nil && indexed > 0 {
			if _, cerr := CompactIndex(context.WithoutCancel(ctx), deps.Index, compactAbove); cerr != nil {
				// The index is whole, only slower to search until compacted.
				r.log.Warn("index compaction failed", slog.Any("err", cerr))
			}
		}
		err = errors.Join(err, ierr)
	}
	r.sum.Elapsed = deps.now().Sub(started)
	if err != nil {
		return r.sum, err
	}
	r.log.Info("reextract finished", slog.Int("records", r.sum.Records), slog.Int("changed", r.sum.Changed),
		slog.Int("updated", r.sum.Updated), slog.Int("unchanged", r.sum.Unchanged),
		slog.Int("not_articles", r.sum.NotArticles), slog.Int("errors", r.sum.Errors),
		slog.Duration("elapsed", r.sum.Elapsed))
	return r.sum, nil
}

// defaultCapturesPage is how many captures Reextract reads at a time:
// enough to keep the workers busy, few enough to hold in memory.
const defaultCapturesPage = 64

// reextraction carries one Reextract's state across its workers.
type reextraction struct {
	deps       Deps
	log        *slog.Logger
	sites      []Site
	onProgress func(ReextractSummary)

	rulesMu sync.Mutex
	rules   map[string]extract.Rules // by host

	mu  sync.Mutex
	sum ReextractSummary
}

// captures extracts every selected capture again and stores the records.
// The error is for reading the archive or writing to it; the counts are
// kept in r.sum.
func (r *reextraction) captures(ctx context.Context, opts ReextractOptions) error {
	hosts := opts.Hosts
	if len(hosts) == 0 {
		hosts = []string{""} // every site
	}
	for _, h := range hosts {
		n, err := r.deps.Archive.CountWithoutCapture(ctx, archive.Filter{Site: h}, opts.Since)
		if err != nil {
			return fmt.Errorf("reextract: %w", err)
		}
		r.sum.NoCapture += n
	}

	capturesPage := cmp.Or(opts.capturesPage, defaultCapturesPage)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan archive.StoredCapture)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				if err := r.one(c); err != nil {
					cancel(err)
				}
			}
		}()
	}
	var err error
hosts:
	for _, h := range hosts {
		after := ""
		for {
			var page []archive.StoredCapture
			page, err = r.deps.Archive.LatestCaptures(ctx, archive.Filter{Site: h}, opts.Since, after, capturesPage)
			if err != nil {
				break hosts
			}
			for _, c := range page {
				select {
				case work <- c:
				case <-ctx.Done():
					err = context.Cause(ctx)
					break hosts
				}
			}
			if len(page) < capturesPage {
				break
			}
			after = page[len(page)-1].ArticleID
		}
	}
	close(work)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
		// A worker's failure to store is the reason the reading stopped.
		return fmt.Errorf("reextract: %w", cause)
	}
	if err != nil {
		return fmt.Errorf("reextract: %w", err)
	}
	return nil
}

// one extracts one capture again and stores the record; the error is the
// archive's.
func (r *reextraction) one(c archive.StoredCapture) error {
	page := c.Page
	host := folio.SiteOf(c.ArticleURL)
	art, err := extract.Extract(page, r.rulesFor(host), extract.WithLogger(r.log))
	switch {
	case errors.Is(err, extract.ErrNotArticle):
		r.log.Info("no longer an article: record kept", slog.String("url", c.ArticleURL), slog.String("reason", err.Error()))
		r.count(func(s *ReextractSummary) { s.NotArticles++ })
		return nil
	case err != nil:
		r.log.Warn("extract failed: record kept", slog.String("url", c.ArticleURL), slog.Any("err", err))
		r.count(func(s *ReextractSummary) { s.Errors++ })
		return nil
	}
	kept := false
	if art.ID != c.ArticleID {
		// The capture names another canonical URL than the one the record
		// was stored under: the record stays where it is, not moved to a
		// new id (a crawl of the page would tell the two apart).
		r.log.Info("capture names another URL: record kept at its archived URL",
			slog.String("url", c.ArticleURL), slog.String("extracted_url", art.URL))
		art.URL, art.ID, art.Site = c.ArticleURL, c.ArticleID, host
		kept = true
	}
	res, err := r.deps.Archive.Put(context.Background(), art, page)
	if err != nil {
		r.log.Error("archive failed", slog.String("url", c.ArticleURL), slog.Any("err", err))
		r.count(func(s *ReextractSummary) { s.Errors++ })
		return err
	}
	r.log.Debug("record re-extracted", slog.String("url", c.ArticleURL), slog.String("outcome", res.Outcome.String()),
		slog.Bool("updated", res.Updated), slog.Int("revision", res.Revision))
	r.count(func(s *ReextractSummary) {
		switch {
		case res.Outcome != archive.Unchanged:
			s.Changed++
		case res.Updated:
			s.Updated++
		default:
			s.Unchanged++
		}
		if kept {
			s.Kept++
		}
	})
	return nil
}

// count applies f to the summary, counts one more record and reports.
// Reports are made under the summary's lock, so onProgress is called by
// one worker at a time and sees the counts only grow.
func (r *reextraction) count(f func(*ReextractSummary)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.sum)
	r.sum.Records++
	r.reportLocked()
}

func (r *reextraction) report() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reportLocked()
}

func (r *reextraction) reportLocked() {
	if r.onProgress != nil {
		r.onProgress(r.sum)
	}
}

// rulesFor returns the rules a crawl applies to pages of host: those of
// the first site with a start URL on it, else the defaults.
func (r *reextraction) rulesFor(host string) extract.Rules {
	r.rulesMu.Lock()
	defer r.rulesMu.Unlock()
	if rules, ok := r.rules[host]; ok {
		return rules
	}
	site := SiteForHost(r.sites, host)
	rules := site.WithDefaults().Rules
	if r.rules == nil {
		r.rules = map[string]extract.Rules{}
	}
	r.rules[host] = rules
	return rules
}

// SiteForHost returns the first of sites with a start URL on host, or
// an unnamed site with the default settings when none is.
func SiteForHost(sites []Site, host string) Site {
	for _, s := range sites {
		for _, start := range s.StartURLs {
			if host != "" && folio.SiteOf(start) == host {
				return s
			}
		}
	}
	return Site{}
}
