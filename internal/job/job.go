package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"folio"
	"folio/archive"
	"folio/crawler"
	"folio/extract"
	"folio/index"
)

// The archive is the crawler's persistent State; the guard lives here, the
// one package that sees both.
var _ crawler.State = (*archive.Store)(nil)

// DefaultIndexBatch is how many new or changed records are indexed at once.
// Batches of 100 keep the index's memory low at little cost in speed.
const DefaultIndexBatch = 100

// Trigger says what started a run; it is recorded in the run history.
const (
	TriggerManual   = "manual"
	TriggerSchedule = "schedule"
)

// Deps are the open stores a run writes to, and how it reports.
type Deps struct {
	Archive *archive.Store
	// Index may be nil: the records are then only archived, and the next
	// SyncIndex indexes them.
	Index *index.Index
	// Logger receives the run's logs; nil discards them.
	Logger *slog.Logger
	// Trigger is TriggerManual (default) or TriggerSchedule.
	Trigger string
	// Full re-fetches every page rather than asking conditionally.
	Full bool
	// IndexBatch is the index batch size; default DefaultIndexBatch.
	IndexBatch int
	// Now is the clock; default time.Now.
	Now func() time.Time
}

func (d Deps) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Logger
}

func (d Deps) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// EventKind tells the events of a run apart.
type EventKind int

const (
	// EventProgress carries the counts so far; it follows every handled URL.
	EventProgress EventKind = iota
	// EventPage reports the outcome of one fetched page.
	EventPage
)

// Outcomes of a page, in Event.Outcome and Summary.
const (
	OutcomeNew        = "new"
	OutcomeChanged    = "changed"
	OutcomeUnchanged  = "unchanged"
	OutcomeNotArticle = "not_article"
	OutcomeError      = "error"
)

// Event is what a run reports while it works.
type Event struct {
	Kind EventKind
	// URL and Outcome describe the page, for EventPage; Err is set when the
	// outcome is OutcomeError.
	URL     string
	Outcome string
	Err     error
	// Progress is the run's summary so far.
	Progress Summary
}

// Summary is what a run did.
type Summary struct {
	RunID int64
	Site  string
	// Crawl are the crawler's counts: requests, pages, 304s, skips, errors.
	Crawl crawler.Stats
	// New, Changed and Unchanged count the articles by what the archive did;
	// Updated counts unchanged ones whose other fields were rewritten.
	New, Changed, Unchanged, Updated int
	// NotArticles counts the pages extraction found not to be articles.
	NotArticles int
	// Indexed counts the records written to the index.
	Indexed int
	// Errors counts the pages that failed, whichever stage failed them;
	// ErrorsByKind splits them: the crawler's kinds, "extract", "archive",
	// "index".
	Errors       int
	ErrorsByKind map[string]int
	Elapsed      time.Duration
	// Interrupted is set when the run was stopped before completing; its
	// frontier is kept, and the next run of the site resumes it.
	Interrupted bool
}

// Articles is the number of article pages the run stored or confirmed.
func (s Summary) Articles() int { return s.New + s.Changed + s.Unchanged }

// Run crawls site once: crawler → extract → archive → index. Page failures
// are counted in the Summary, not returned; the error is for a run that could
// not start or complete (ctx cancellation included, in which case in-flight
// pages are still stored and indexed, and the Summary is valid).
func Run(ctx context.Context, site Site, deps Deps, onEvent func(Event)) (Summary, error) {
	if deps.Archive == nil {
		return Summary{}, errors.New("run: no archive")
	}
	if onEvent == nil {
		onEvent = func(Event) {}
	}
	site = site.WithDefaults()
	if err := site.Validate(); err != nil {
		return Summary{}, fmt.Errorf("site %s: %w", site.Name, err)
	}
	log := deps.logger().With(slog.String("site", site.Name))
	started := deps.now()

	if deps.Index != nil {
		if _, err := SyncIndex(ctx, deps.Archive, deps.Index, deps.IndexBatch, nil); err != nil {
			return Summary{}, fmt.Errorf("site %s: %w", site.Name, err)
		}
	}
	trigger := deps.Trigger
	if trigger == "" {
		trigger = TriggerManual
	}
	runID, err := deps.Archive.BeginRun(ctx, site.Name, trigger, started)
	if err != nil {
		return Summary{}, fmt.Errorf("site %s: %w", site.Name, err)
	}

	p := &pipeline{
		deps:    deps,
		rules:   site.Rules,
		log:     log,
		onEvent: onEvent,
		batch:   deps.IndexBatch,
		sum:     Summary{RunID: runID, Site: site.Name, ErrorsByKind: map[string]int{}},
	}
	if p.batch <= 0 {
		p.batch = DefaultIndexBatch
	}
	if p.rules.Logger == nil {
		p.rules.Logger = log
	}
	opts := site.Crawl
	opts.Full = deps.Full
	opts.OnProgress = p.crawlProgress

	var stats crawler.Stats
	c, err := crawler.New(opts, deps.Archive, log)
	if err == nil {
		log.Info("crawl started", slog.Any("start_urls", site.StartURLs), slog.Int64("run", runID))
		stats, err = c.Run(ctx, site.StartURLs, p.handle)
	}
	// What was fetched is stored and indexed even when the run was stopped.
	flushErr := p.flush(context.WithoutCancel(ctx))

	p.mu.Lock()
	p.sum.Crawl = stats
	p.sum.Elapsed = deps.now().Sub(started)
	p.sum.Interrupted = err != nil
	sum := p.summary()
	p.mu.Unlock()

	if flushErr == nil && deps.Index != nil && !p.indexFailed {
		flushErr = recordIndexed(context.WithoutCancel(ctx), deps.Archive, deps.Index)
	}
	counts := runCounts(sum)
	if err != nil {
		counts.Failure = err.Error()
	}
	if endErr := deps.Archive.EndRun(context.WithoutCancel(ctx), runID, counts); endErr != nil {
		err = errors.Join(err, endErr)
	}
	if flushErr != nil {
		err = errors.Join(err, flushErr)
	}
	if err != nil {
		return sum, fmt.Errorf("crawl %s: %w", site.Name, err)
	}
	log.Info("crawl finished", slog.Int("pages", stats.Pages), slog.Int("new", sum.New),
		slog.Int("changed", sum.Changed), slog.Int("unchanged", sum.Unchanged), slog.Int("errors", sum.Errors),
		slog.Duration("elapsed", sum.Elapsed))
	return sum, nil
}

// pipeline carries one run's state across the crawler's concurrent calls.
type pipeline struct {
	deps    Deps
	rules   extract.Rules
	log     *slog.Logger
	onEvent func(Event)
	batch   int

	mu          sync.Mutex
	sum         Summary
	pending     []folio.Article
	indexFailed bool
	// indexMu serialises index writes so that batches land in order.
	indexMu sync.Mutex
}

// handle is the crawler's onPage: one page through extract, archive and,
// when it changed, the index batch. The crawler calls it concurrently.
func (p *pipeline) handle(page folio.Page) {
	// A page the crawler fetched is stored even if the run is being stopped.
	ctx := context.Background()
	if page.Header == nil && page.Body == nil {
		p.alias(ctx, page)
		return
	}
	art, err := extract.Extract(page, p.rules)
	switch {
	case errors.Is(err, extract.ErrNotArticle):
		p.log.Debug("not an article", slog.String("url", page.URL), slog.String("reason", err.Error()))
		p.record(page.URL, OutcomeNotArticle, "", nil)
		return
	case err != nil:
		p.log.Warn("extract failed", slog.String("url", page.URL), slog.Any("err", err))
		p.record(page.URL, OutcomeError, "extract", err)
		return
	}
	res, err := p.deps.Archive.Put(ctx, art, page)
	if err != nil {
		p.log.Error("archive failed", slog.String("url", page.URL), slog.Any("err", err))
		p.record(page.URL, OutcomeError, "archive", err)
		return
	}
	outcome := OutcomeUnchanged
	switch res.Outcome {
	case archive.New:
		outcome = OutcomeNew
	case archive.Changed:
		outcome = OutcomeChanged
	}
	p.log.Debug("article stored", slog.String("url", art.URL), slog.String("outcome", outcome), slog.Int64("seq", res.Seq))
	var full []folio.Article
	p.mu.Lock()
	if outcome == OutcomeUnchanged && res.Updated {
		p.sum.Updated++
	}
	if p.deps.Index != nil && (outcome != OutcomeUnchanged || res.Updated) {
		p.pending = append(p.pending, art)
		if len(p.pending) >= p.batch {
			full, p.pending = p.pending, nil
		}
	}
	p.mu.Unlock()
	p.record(art.URL, outcome, "", nil)
	if full != nil {
		if err := p.index(ctx, full); err != nil {
			p.log.Error("index failed", slog.Int("records", len(full)), slog.Any("err", err))
		}
	}
}

// alias records page.RequestedURL as another address of the article at
// page.URL, already stored: the crawler hands such an address on without
// fetching its page again (see crawler.Run). An address of a page that is
// not an article is ignored.
func (p *pipeline) alias(ctx context.Context, page folio.Page) {
	art, err := p.deps.Archive.Get(ctx, page.URL)
	if errors.Is(err, archive.ErrNotFound) {
		return
	}
	if err == nil {
		// The same record again: only the address is new.
		_, err = p.deps.Archive.Put(ctx, art, folio.Page{URL: page.URL, RequestedURL: page.RequestedURL, FetchedAt: page.FetchedAt})
	}
	if err != nil {
		p.log.Warn("alias not recorded", slog.String("url", page.RequestedURL), slog.String("target", page.URL), slog.Any("err", err))
		return
	}
	p.log.Debug("alias recorded", slog.String("url", page.RequestedURL), slog.String("target", page.URL))
}

// record counts one page's outcome and reports it.
func (p *pipeline) record(url, outcome, errKind string, err error) {
	p.mu.Lock()
	switch outcome {
	case OutcomeNew:
		p.sum.New++
	case OutcomeChanged:
		p.sum.Changed++
	case OutcomeUnchanged:
		p.sum.Unchanged++
	case OutcomeNotArticle:
		p.sum.NotArticles++
	case OutcomeError:
		p.sum.Errors++
		p.sum.ErrorsByKind[errKind]++
	}
	sum := p.summary()
	p.mu.Unlock()
	p.onEvent(Event{Kind: EventPage, URL: url, Outcome: outcome, Err: err, Progress: sum})
}

func (p *pipeline) crawlProgress(s crawler.Stats) {
	p.mu.Lock()
	p.sum.Crawl = s
	sum := p.summary()
	p.mu.Unlock()
	p.onEvent(Event{Kind: EventProgress, Progress: sum})
}

// summary copies the summary so far, merging the crawler's error kinds with
// the pipeline's own; p.mu must be held.
func (p *pipeline) summary() Summary {
	s := p.sum
	s.ErrorsByKind = maps.Clone(p.sum.ErrorsByKind)
	for kind, n := range p.sum.Crawl.ErrorsByKind {
		s.ErrorsByKind[kind] += n
	}
	s.Errors = p.sum.Errors + p.sum.Crawl.Errors
	return s
}

// index writes one batch; a failure is counted and leaves the records for
// the next SyncIndex (the index's last sequence is then not advanced).
func (p *pipeline) index(ctx context.Context, batch []folio.Article) error {
	p.indexMu.Lock()
	err := p.deps.Index.Index(ctx, batch)
	p.indexMu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.indexFailed = true
		p.sum.Errors += len(batch)
		p.sum.ErrorsByKind["index"] += len(batch)
		return fmt.Errorf("index %d records: %w", len(batch), err)
	}
	p.sum.Indexed += len(batch)
	return nil
}

// flush indexes what is left in the batch.
func (p *pipeline) flush(ctx context.Context) error {
	p.mu.Lock()
	rest := p.pending
	p.pending = nil
	p.mu.Unlock()
	if len(rest) == 0 || p.deps.Index == nil {
		return nil
	}
	return p.index(ctx, rest)
}

// recordIndexed notes in the index that it holds every archive record up to
// the archive's latest sequence. Only a run whose index writes all succeeded
// calls it; folio allows one writer per data directory, so no record can
// have slipped in unindexed meanwhile.
func recordIndexed(ctx context.Context, st *archive.Store, ix *index.Index) error {
	seq, err := st.MaxSeq(ctx)
	if err != nil {
		return fmt.Errorf("record indexed sequence: %w", err)
	}
	if err := ix.SetLastSeq(uint64(seq)); err != nil {
		return fmt.Errorf("record indexed sequence: %w", err)
	}
	return nil
}

func runCounts(s Summary) archive.RunCounts {
	return archive.RunCounts{
		Fetched:      s.Crawl.Fetched,
		New:          s.New,
		Changed:      s.Changed,
		Unchanged:    s.Unchanged,
		NotModified:  s.Crawl.NotModified,
		Errors:       s.Errors,
		ErrorsByKind: s.ErrorsByKind,
	}
}
