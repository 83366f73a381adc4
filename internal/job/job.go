package job

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"runtime"
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

// DefaultIndexBatch is how many new or changed records are indexed at once:
// index.BatchSize, which was chosen by measurement.
const DefaultIndexBatch = index.BatchSize

// indexInterval is how long a run lets fewer than a batch of archived
// records wait before it indexes them anyway, so that searches during a
// slow, polite crawl see its records within a minute.
const indexInterval = 30 * time.Second

// ErrNothingReached is wrapped by the error of a run whose start URLs all
// failed (connection, DNS, TLS, an HTTP error status, robots.txt
// unreadable); errors.As finds the *StartURLsError that names each one and
// its cause.
var ErrNothingReached = crawler.ErrNothingReached

// StartURLsError lists the start URLs of a run that reached none of them.
type StartURLsError = crawler.StartURLsError

// SkipReason says why the crawler skipped a URL: the keys of
// Summary.Crawl.SkippedByReason.
type SkipReason = crawler.SkipReason

// Trigger says what started a run; it is recorded in the run history.
type Trigger = archive.Trigger

// The triggers of runs.
const (
	TriggerManual   = archive.TriggerManual
	TriggerSchedule = archive.TriggerSchedule
)

// Deps are what a run works with: the open stores it writes to, its logger
// and its clock.
type Deps struct {
	Archive *archive.Store
	// Index may be nil: the records are then only archived, and the next
	// CatchUp indexes them. The run holds it only while it writes a batch,
	// so that searches in other processes keep working during the crawl.
	Index *index.Shared
	// Logger receives the run's logs; nil discards them.
	Logger *slog.Logger
	// Now is the clock of the run's history and of the crawl's fetch
	// times; default time.Now.
	Now func() time.Time
	// Frontier, when set, is the crawl state this run shares with the
	// other workers of the site (folio worker): the run takes its URLs
	// from it and keeps the archive only for what is archived. Nil: the
	// crawl is this process's alone, its state in the archive.
	Frontier *Frontier

	// extract is extract.Extract unless a test wraps it (to count the
	// extractions running at once, or to make the archive refuse records).
	extract func(folio.Page, extract.Rules, ...extract.Option) (folio.Article, error)
}

// RunOptions are what the caller asks of one run. The zero RunOptions is
// an incremental run started by hand.
type RunOptions struct {
	// Trigger is TriggerManual (default) or TriggerSchedule.
	Trigger Trigger
	// Full re-fetches every page rather than asking conditionally or
	// waiting for an archived article to be due (crawler.Recheck).
	Full bool
	// IndexBatch is the index batch size; default DefaultIndexBatch.
	IndexBatch int
	// Extractions is the most pages extracted at once; default
	// GOMAXPROCS.
	Extractions int
}

func (d Deps) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Logger
}

func (d Deps) extractPage(page folio.Page, r extract.Rules, opts ...extract.Option) (folio.Article, error) {
	if d.extract == nil {
		return extract.Extract(page, r, opts...)
	}
	return d.extract(page, r, opts...)
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

// Outcome says what a run did with one fetched page, in Event.Outcome;
// Summary counts each.
type Outcome string

// The outcomes of a page.
const (
	OutcomeNew        Outcome = "new"
	OutcomeChanged    Outcome = "changed"
	OutcomeUnchanged  Outcome = "unchanged"
	OutcomeNotArticle Outcome = "not_article"
	OutcomeError      Outcome = "error"
)

// Event is what a run reports while it works.
type Event struct {
	Kind EventKind
	// URL and Outcome describe the page, for EventPage; Err is set when the
	// outcome is OutcomeError.
	URL     string
	Outcome Outcome
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
	// Indexed counts the records the run wrote to the index.
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

// Run crawls site once, as opts asks: crawler → extract → archive → index.
// Page failures are counted in the Summary, not returned; the error is for
// a run that could not start or complete (ctx cancellation included, in
// which case in-flight pages are still stored and indexed, and the Summary
// is valid).
//
// The index follows the archive by sequence number: whenever a batch of
// records has been archived, the run indexes the next batch past the
// index's last sequence, in sequence order, and records the new last
// sequence with it; the records waiting when indexInterval has passed, or
// when the run ends, are indexed however few they are. Records archived but
// not yet indexed when a run dies are indexed by the next CatchUp.
//
// Extraction, the costliest stage, runs on at most opts.Extractions
// (GOMAXPROCS) pages at once, whatever the crawl's concurrency.
func Run(ctx context.Context, site Site, deps Deps, opts RunOptions, onEvent func(Event)) (Summary, error) {
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
		if _, err := CatchUp(ctx, deps.Archive, CatchUpOptions{Index: deps.Index, BatchSize: opts.IndexBatch}); err != nil {
			return Summary{}, fmt.Errorf("site %s: %w", site.Name, err)
		}
	}
	trigger := opts.Trigger
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
		batch:   opts.IndexBatch,
		sum:     Summary{RunID: runID, Site: site.Name, ErrorsByKind: map[string]int{}},
		// Extraction is CPU alone: more of them at once than there are
		// cores to run them only holds more parsed pages in memory.
		extracting: make(chan struct{}, cmp.Or(opts.Extractions, runtime.GOMAXPROCS(0))),
	}
	if p.batch <= 0 {
		p.batch = DefaultIndexBatch
	}
	if deps.Index != nil {
		p.startIndexing()
	}
	crawl := site.Crawl
	if deps.Now != nil {
		// Fetch times, and so when archived articles are due again
		// (crawler.Recheck), follow the run's clock.
		crawl.Now = deps.Now
	}

	var stats crawler.Stats
	c, err := crawler.New(crawl, deps.Archive, log)
	if err == nil {
		log.Info("crawl started", slog.Any("start_urls", site.StartURLs), slog.Int64("run", runID))
		stats, err = c.RunStore(ctx, site.StartURLs, crawler.RunOptions{Full: opts.Full, OnProgress: p.crawlProgress, Shared: deps.shared()}, p.handle)
	}
	// The records the crawl queued are committed, and counted, before the
	// run is summed up and the index catches up.
	if syncErr := deps.Archive.Sync(context.WithoutCancel(ctx)); syncErr != nil && err == nil {
		err = syncErr
	}
	p.storeAliasesLate(context.WithoutCancel(ctx))
	// What was fetched is stored and indexed even when the run was stopped.
	var flushErr error
	if deps.Index != nil {
		flushErr = p.stopIndexing(context.WithoutCancel(ctx))
	}

	p.mu.Lock()
	p.sum.Crawl = stats
	p.sum.Elapsed = deps.now().Sub(started)
	// A run that reached none of its start URLs failed, but it finished
	// its state: the next run starts afresh, it resumes nothing.
	p.sum.Interrupted = err != nil && !errors.Is(err, crawler.ErrNothingReached)
	sum := p.summary()
	p.mu.Unlock()

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
	// extracting holds a slot for each extraction running. Extraction is
	// the costliest stage (milliseconds of CPU per page), so at most
	// Extractions (GOMAXPROCS) pages are extracted at once, whatever the fetch
	// concurrency: a worker whose page waits for a slot holds only that
	// page, and the other workers go on fetching.
	extracting chan struct{}

	mu  sync.Mutex
	sum Summary
	// written counts the records the run archived (new, changed or
	// updated); written - sum.Indexed of them wait for the index.
	written int

	// indexNow asks the indexer for a catch-up; indexerDone is closed when
	// it has stopped.
	indexNow    chan struct{}
	indexerDone chan struct{}

	// lateAliases are the aliases handed on before the article they lead
	// to was archived (see alias).
	lateAliases []folio.Page
}

// handle is the crawler's store: one page through extract, archive and,
// when it changed, the index batch. The crawler calls it concurrently, from
// its fetch workers, and marks the page done when handle returns nil: the
// page's record is queued in the archive by then, ahead of the page's done
// mark, which is what a resumed crawl relies on (archive.PutLater). A page
// the archive failed to store (a full disk) is an error that stops the
// run and leaves the page in the frontier for the next one; a page that is
// no article, or that extraction fails, is done.
func (p *pipeline) handle(page folio.Page) error {
	// A page the crawler fetched is stored even if the run is being stopped.
	ctx := context.Background()
	if page.Header == nil && page.Body == nil {
		p.alias(ctx, page)
		return nil
	}
	p.extracting <- struct{}{}
	art, err := p.deps.extractPage(page, p.rules, extract.WithLogger(p.log))
	<-p.extracting
	switch {
	case errors.Is(err, extract.ErrNotArticle):
		p.log.Debug("not an article", slog.String("url", page.URL), slog.String("reason", err.Error()))
		p.record(page.URL, OutcomeNotArticle, "", nil)
		return nil
	case err != nil:
		p.log.Warn("extract failed", slog.String("url", page.URL), slog.Any("err", err))
		p.record(page.URL, OutcomeError, "extract", err)
		return nil
	}
	// The record is queued, not waited for: the crawler marks the page
	// done after this returns, and the archive makes no write durable
	// before those queued ahead of it, so the page is never done without
	// its record. A record that fails at its commit fails the crawl
	// state's later writes, which stops the run.
	err = p.deps.Archive.PutLater(ctx, art, page, func(res archive.PutResult, err error) {
		p.stored(page, art, res, err)
	})
	if err != nil {
		p.stored(page, art, archive.PutResult{}, err)
		return err
	}
	return nil
}

// stored counts a record once the archive has committed it, or failed to.
func (p *pipeline) stored(page folio.Page, art folio.Article, res archive.PutResult, err error) {
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
	p.log.Debug("article stored", slog.String("url", art.URL), slog.String("outcome", string(outcome)), slog.Int64("seq", res.Seq))
	due := false
	p.mu.Lock()
	if outcome == OutcomeUnchanged && res.Updated {
		p.sum.Updated++
	}
	if outcome != OutcomeUnchanged || res.Updated {
		// The record has a new sequence number: the index must catch up.
		p.written++
		due = p.written-p.sum.Indexed >= p.batch
	}
	p.mu.Unlock()
	p.record(art.URL, outcome, "", nil)
	if due && p.indexNow != nil {
		select {
		case p.indexNow <- struct{}{}:
		default: // a catch-up is already asked for
		}
	}
}

// alias records page.RequestedURL as another address of the article at
// page.URL: the crawler hands such an address on without fetching its page
// again (see crawler.Run), once that page is handed on or while another
// worker fetches it. An address whose article is not archived yet is
// recorded once the crawl is over and the records it queued are committed
// (a process killed before then loses it, as the page's own record may
// be); an address of a page that is not an article is ignored.
func (p *pipeline) alias(ctx context.Context, page folio.Page) {
	if !p.storeAlias(ctx, page) {
		// The page it leads to may still be fetched or extracted by
		// another worker: the run tries again once the crawl is over.
		p.mu.Lock()
		p.lateAliases = append(p.lateAliases, page)
		p.mu.Unlock()
	}
}

// storeAliasesLate records the aliases whose page was not archived yet
// when they were handed on; the records queued are committed by then.
func (p *pipeline) storeAliasesLate(ctx context.Context) {
	p.mu.Lock()
	late := p.lateAliases
	p.lateAliases = nil
	p.mu.Unlock()
	for _, page := range late {
		p.storeAlias(ctx, page)
	}
}

// storeAlias records page's address as an alias of the article at
// page.URL; false when the archive holds no such article (yet).
func (p *pipeline) storeAlias(ctx context.Context, page folio.Page) bool {
	art, err := p.deps.Archive.Get(ctx, page.URL)
	if errors.Is(err, archive.ErrNotFound) {
		return false
	}
	if err == nil {
		// The same record again: only the address is new. No fetch time:
		// the article was not fetched for it, and is not checked anew.
		_, err = p.deps.Archive.Put(ctx, art, folio.Page{URL: page.URL, RequestedURL: page.RequestedURL})
	}
	if err != nil {
		p.log.Warn("alias not recorded", slog.String("url", page.RequestedURL), slog.String("target", page.URL), slog.Any("err", err))
		return true
	}
	p.log.Debug("alias recorded", slog.String("url", page.RequestedURL), slog.String("target", page.URL))
	return true
}

// record counts one page's outcome and reports it.
func (p *pipeline) record(url string, outcome Outcome, errKind string, err error) {
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

// startIndexing starts the indexer: a goroutine that indexes the records
// the run archived in full batches, as soon as a batch is waiting, and
// brings the index up to date with the archive when records have waited
// for indexInterval. The crawler's workers never wait for the index.
//
// Full batches cost least: each write of the index opens it, adds a
// segment and merges, so that a remainder of a few records indexed with
// each batch would double the writes and the merging for nothing.
func (p *pipeline) startIndexing() {
	p.indexNow = make(chan struct{}, 1)
	p.indexerDone = make(chan struct{})
	go func() {
		defer close(p.indexerDone)
		tick := time.NewTicker(indexInterval)
		defer tick.Stop()
		for {
			var err error
			select {
			case _, ok := <-p.indexNow:
				if !ok {
					return
				}
				err = p.indexFullBatches(context.Background())
			case <-tick.C:
				if p.waiting() > 0 {
					err = p.catchUp(context.Background())
				}
			}
			if err != nil {
				// The records stay in the archive; the next catch-up,
				// at the latest the one ending the run, retries.
				p.log.Warn("index catch-up failed", slog.Any("err", err))
			}
		}
	}()
}

// waiting is the number of records the run archived and has not indexed.
func (p *pipeline) waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.written - p.sum.Indexed
}

// indexFullBatches indexes the records archived since the index's last
// sequence, a batch at a time, while a full batch is waiting. Between two
// batches it pauses as SyncIndex does, for the searches waiting for the
// index.
func (p *pipeline) indexFullBatches(ctx context.Context) error {
	for first := true; p.waiting() >= p.batch; first = false {
		if !first {
			time.Sleep(searchTurn)
		}
		n, err := indexNextBatch(ctx, p.deps.Archive, p.deps.Index, p.batch)
		p.indexed(n)
		if err != nil {
			return fmt.Errorf("sync index: %w", err)
		}
		if n < p.batch {
			// Fewer records than counted: some were archived twice.
			return nil
		}
	}
	return nil
}

// indexed counts n more records indexed and reports it.
func (p *pipeline) indexed(n int) {
	if n == 0 {
		return
	}
	p.mu.Lock()
	p.sum.Indexed += n
	sum := p.summary()
	p.mu.Unlock()
	p.onEvent(Event{Kind: EventProgress, Progress: sum})
}

// stopIndexing stops the indexer and indexes what is left. A failure is
// counted as index errors, one per record the run archived and did not
// index, and returned.
func (p *pipeline) stopIndexing(ctx context.Context) error {
	close(p.indexNow)
	<-p.indexerDone
	err := p.catchUp(ctx)
	p.mu.Lock()
	indexed := p.sum.Indexed
	p.mu.Unlock()
	if err == nil && indexed > 0 {
		if compacted, cerr := CompactIndex(ctx, p.deps.Index, compactAbove); cerr != nil {
			// The index is whole, only slower to search until the next run.
			p.log.Warn("index compaction failed", slog.Any("err", cerr))
		} else if compacted {
			p.log.Info("index compacted into one segment")
		}
	}
	if err != nil {
		p.mu.Lock()
		if missing := p.written - p.sum.Indexed; missing > 0 {
			p.sum.Errors += missing
			p.sum.ErrorsByKind["index"] += missing
		}
		p.mu.Unlock()
		p.log.Error("index failed: the next command that opens the index catches up", slog.Any("err", err))
	}
	return err
}

// catchUp indexes every record archived since the index's last sequence.
func (p *pipeline) catchUp(ctx context.Context) error {
	res, err := CatchUp(ctx, p.deps.Archive, CatchUpOptions{Index: p.deps.Index, BatchSize: p.batch})
	p.indexed(res.Indexed)
	return err
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
