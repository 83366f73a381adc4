package index

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"folio"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Keys of the values the index keeps in bleve's internal storage.
var (
	keyMappingVersion = []byte("folio.mapping_version")
	keyLastSeq        = []byte("folio.last_seq")
	// keyTypes lists the document types (languages) indexed so far, so that
	// queries analyse their words only for languages that are there.
	keyTypes = []byte("folio.types")
)

// ErrNotFound is returned by Open in read-only mode when dir holds no index.
var ErrNotFound = errors.New("no index")

// ErrLocked is returned by Open when another process holds the index: bleve
// (scorch) keeps an exclusive lock on its root file for as long as a writer
// has the index open, and a read-only Open needs a shared lock.
var ErrLocked = errors.New("index is in use by another process")

// ErrReadOnly is returned by the writing methods of an index opened with
// Options.ReadOnly. (bleve itself would not fail: a batch on a read-only
// scorch index waits forever for a persister that never runs.)
var ErrReadOnly = errors.New("index is open read-only")

// ErrCorrupt is returned by Open when dir exists but is not a readable
// bleve index. Open with Options.Rebuild replaces it with an empty index.
var ErrCorrupt = errors.New("index is unreadable")

// VersionError is returned by Open when the index was built with another
// mapping version than this binary's: it must be rebuilt from the archive.
// Open with Options.Rebuild replaces it with an empty index.
type VersionError struct {
	Dir  string
	Have int // 0 when the index records no version
	Want int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("index %s has mapping version %d, this folio needs version %d", e.Dir, e.Have, e.Want)
}

// NeedsRebuild reports whether err says the index must be rebuilt from the
// archive: its files are damaged (ErrCorrupt), or it has another mapping
// version (*VersionError).
func NeedsRebuild(err error) bool {
	var ve *VersionError
	return errors.Is(err, ErrCorrupt) || errors.As(err, &ve)
}

// BatchSize is the number of records to hand to one Index call when there
// are many (reindex, a long crawl). Larger batches raise the peak memory
// far more than the speed: BenchmarkIndex with -bench.batch measures both
// (the README has the figures).
const BatchSize = 250

// Options configure Open. The zero value opens for writing, creating the
// index when dir is missing.
type Options struct {
	// ReadOnly opens an existing index for searching only (bleve's
	// "read_only" runtime option). Any number of read-only opens may share
	// an index, but not with a writer: see ErrLocked.
	ReadOnly bool
	// Rebuild lets Open replace an index it cannot use (unreadable, or of
	// another mapping version) with an empty one. The caller then indexes the
	// archive again from sequence 0. Ignored with ReadOnly.
	Rebuild bool
	// DefaultLanguage is the language assumed for records that carry none.
	// Empty means "fr": folio's first sites are French.
	DefaultLanguage string
	// LockWait is how long Open waits for another process to release the
	// index before giving ErrLocked. Zero means one second.
	LockWait time.Duration
	// Logger receives debug and warning messages; nil discards them.
	Logger *slog.Logger
}

// Index is a bleve index of article records. Its methods are safe for
// concurrent use.
type Index struct {
	dir       string
	bleve     bleve.Index
	readOnly  bool
	lang      string
	analyzers map[string]analysis.Analyzer
	log       *slog.Logger

	// writing serialises Index calls: the types recorded with a batch must
	// include those of every batch before it.
	writing sync.Mutex
	typesMu sync.RWMutex
	types   map[string]bool // document types indexed so far
}

// Open opens the index in dir, creating it when dir does not exist (unless
// opts.ReadOnly). The error names dir and wraps ErrNotFound, ErrLocked,
// ErrCorrupt or a *VersionError when the caller can act on it.
func Open(dir string, opts Options) (*Index, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	lockWait := opts.LockWait
	if lockWait <= 0 {
		lockWait = time.Second
	}
	ix, err := open(dir, opts, lockWait, log)
	if opts.ReadOnly {
		return openWhenCreated(dir, opts, lockWait, log, ix, err)
	}
	if err == nil || !opts.Rebuild {
		return ix, err
	}
	var verr *VersionError
	if !errors.Is(err, ErrCorrupt) && !errors.As(err, &verr) {
		return nil, err
	}
	log.Warn("rebuilding index", slog.String("dir", dir), slog.Any("err", err))
	if err := removeIndexDir(dir); err != nil {
		return nil, err
	}
	return open(dir, opts, lockWait, log)
}

// openWhenCreated retries, for up to creationWait, a read-only open that
// found a new index unreadable: a writer of another process may be
// creating it (bleve writes its metadata, then its store, then the
// mapping, and folio the mapping version), and a reader that came in
// between would otherwise call it damaged. An index is new when it holds
// no segment yet and its metadata is seconds old; any other index, and one
// still unreadable after creationWait, is reported as it was found.
func openWhenCreated(dir string, opts Options, lockWait time.Duration, log *slog.Logger, ix *Index, err error) (*Index, error) {
	const pause = 20 * time.Millisecond
	for waited := time.Duration(0); err != nil && waited < creationWait && maybeBeingCreated(dir, err); waited += pause {
		time.Sleep(pause)
		ix, err = open(dir, opts, lockWait, log)
	}
	return ix, err
}

// creationWait bounds how long a reader waits for an index being created:
// creating one takes milliseconds.
const creationWait = 2 * time.Second

func maybeBeingCreated(dir string, err error) bool {
	var verr *VersionError
	if !errors.Is(err, ErrCorrupt) && !(errors.As(err, &verr) && verr.Have == 0) {
		return false
	}
	if segments, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap")); len(segments) > 0 {
		return false
	}
	info, statErr := os.Stat(filepath.Join(dir, "index_meta.json"))
	if statErr != nil {
		info, statErr = os.Stat(dir)
	}
	return statErr == nil && time.Since(info.ModTime()) < 10*time.Second
}

func open(dir string, opts Options, lockWait time.Duration, log *slog.Logger) (_ *Index, err error) {
	defer recoverCorrupt("open index", dir, &err)
	runtime := map[string]interface{}{
		"bolt_timeout": lockWait.String(),
	}
	if opts.ReadOnly {
		runtime["read_only"] = true
	}

	var bi bleve.Index
	var entries []os.DirEntry
	var statErr error
	missing := func() bool { return errors.Is(statErr, fs.ErrNotExist) || (statErr == nil && len(entries) == 0) }
	if opts.ReadOnly {
		entries, statErr = os.ReadDir(dir)
	} else {
		// An open of this process that creates the index holds creating
		// until the index is whole; every writable open reads the
		// directory under it, so that it finds no index or the whole
		// one, never the files of one being created. (Between
		// processes, the data directory's writer lock lets one create.)
		creating.Lock()
		entries, statErr = os.ReadDir(dir)
		if missing() {
			defer creating.Unlock()
		} else {
			creating.Unlock()
		}
	}
	switch {
	case missing():
		if opts.ReadOnly {
			return nil, fmt.Errorf("open index %s: %w", dir, ErrNotFound)
		}
		created, err := create(dir, runtime)
		if err != nil {
			return nil, err
		}
		log.Debug("index created", slog.String("dir", dir), slog.Int("mapping_version", MappingVersion))
		bi = created
	case statErr != nil:
		return nil, fmt.Errorf("open index %s: %w", dir, statErr)
	default:
		if err := checkRoot(dir, lockWait); err != nil {
			return nil, err
		}
		opened, err := bleve.OpenUsing(dir, runtime)
		if err != nil {
			if errors.Is(err, bolterrors.ErrTimeout) {
				return nil, fmt.Errorf("open index %s: %w (waited %s)", dir, ErrLocked, lockWait)
			}
			return nil, fmt.Errorf("open index %s: %w: %s", dir, ErrCorrupt, firstLine(err.Error()))
		}
		bi = opened
	}

	ix := &Index{dir: dir, bleve: bi, readOnly: opts.ReadOnly, lang: opts.DefaultLanguage, log: log}
	if ix.lang == "" {
		ix.lang = "fr"
	}
	if err := ix.checkVersion(); err != nil {
		bi.Close()
		return nil, err
	}
	if err := ix.loadTypes(); err != nil {
		bi.Close()
		return nil, err
	}
	ix.analyzers = map[string]analysis.Analyzer{}
	for _, name := range []string{analyzerFrench, analyzerEnglish, analyzerOther, analyzerKey} {
		a := bi.Mapping().AnalyzerNamed(name)
		if a == nil {
			bi.Close()
			return nil, fmt.Errorf("open index %s: analyzer %s missing from its mapping", dir, name)
		}
		ix.analyzers[name] = a
	}
	return ix, nil
}

// creating serialises the creation of indexes within the process.
var creating sync.Mutex

func create(dir string, runtime map[string]interface{}) (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	// bleve creates only where nothing exists, not even an empty directory.
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	bi, err := bleve.NewUsing(dir, m, scorch.Name, bleve.Config.DefaultKVStore, runtime)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", dir, err)
	}
	if err := bi.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion))); err != nil {
		bi.Close()
		return nil, fmt.Errorf("create index %s: store mapping version: %w", dir, err)
	}
	return bi, nil
}

func (ix *Index) checkVersion() error {
	raw, err := ix.bleve.GetInternal(keyMappingVersion)
	if err != nil {
		return fmt.Errorf("open index %s: read mapping version: %w: %v", ix.dir, ErrCorrupt, err)
	}
	have := 0
	if raw != nil {
		have, err = strconv.Atoi(string(raw))
		if err != nil {
			return fmt.Errorf("open index %s: mapping version %q: %w", ix.dir, raw, ErrCorrupt)
		}
	}
	if have != MappingVersion {
		return &VersionError{Dir: ix.dir, Have: have, Want: MappingVersion}
	}
	return nil
}

func (ix *Index) loadTypes() error {
	raw, err := ix.bleve.GetInternal(keyTypes)
	if err != nil {
		return fmt.Errorf("open index %s: read document types: %w", ix.dir, err)
	}
	ix.types = map[string]bool{}
	for _, typ := range strings.Split(string(raw), ",") {
		if typ != "" {
			ix.types[typ] = true
		}
	}
	return nil
}

// recoverCorrupt, deferred by the methods that read the index files, turns
// a panic into an error wrapping ErrCorrupt in *err. bbolt, which holds
// scorch's root, checks the pages it reads with assertions rather than
// errors ("assertion failed: Page expected to be: 19, but self identifies as
// 0", "invalid freelist page"): a truncated or overwritten root.bolt would
// end the process, where the caller can rebuild the index from the archive.
func recoverCorrupt(what, dir string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s %s: %w: %s", what, dir, ErrCorrupt, firstLine(fmt.Sprint(r)))
	}
}

// checkRoot reads every page of the index's root.bolt, where scorch keeps
// its snapshots, before bleve opens it. bbolt panics on a damaged page, and a
// panic inside bleve's open leaves the file open and locked for the rest of
// the process (a long-lived schedule, say), where here the file is closed
// whatever happens. A missing or empty root.bolt is left to bleve.
func checkRoot(dir string, lockWait time.Duration) (err error) {
	path := filepath.Join(dir, "store", "root.bolt")
	if info, err := os.Stat(path); err != nil || info.Size() == 0 {
		return nil
	}
	var file *os.File
	defer func() {
		if r := recover(); r != nil {
			if file != nil {
				file.Close()
			}
			err = fmt.Errorf("open index %s: %w: %s", dir, ErrCorrupt, firstLine(fmt.Sprint(r)))
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		ReadOnly: true, PreLoadFreelist: true, Timeout: lockWait,
		OpenFile: func(name string, _ int, mode os.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, os.O_RDONLY, mode)
			file = f
			return f, err
		},
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("open index %s: %w (waited %s)", dir, ErrLocked, lockWait)
	}
	if err != nil {
		return fmt.Errorf("open index %s: %w: %s", dir, ErrCorrupt, firstLine(err.Error()))
	}
	defer db.Close()
	// Reading every key reads every page; bbolt's own tx.Check would panic
	// in a goroutine of its own, out of reach of recover.
	return db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walkBucket(b) })
	})
}

// walkBucket reads every key of b and of the buckets nested in it.
func walkBucket(b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nested := b.Bucket(k); nested != nil {
				return walkBucket(nested)
			}
		}
		return nil
	})
}

// firstLine is s up to its first newline: bleve's errors on a damaged
// mapping go on with the mapping's contents, which tell nothing more.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// removeIndexDir deletes dir, but only when it holds nothing but what bleve
// writes, so that a wrong path never costs anything else.
func removeIndexDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("remove index %s: %w", dir, err)
	}
	for _, e := range entries {
		switch e.Name() {
		case "index_meta.json", "store":
		default:
			return fmt.Errorf("remove index %s: it holds %s, which bleve does not write: not removing it", dir, e.Name())
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove index %s: %w", dir, err)
	}
	return nil
}

// Close releases the index, and its lock.
func (ix *Index) Close() (err error) {
	defer recoverCorrupt("close index", ix.dir, &err)
	if err := ix.bleve.Close(); err != nil {
		return fmt.Errorf("close index %s: %w", ix.dir, err)
	}
	return nil
}

// Index adds or replaces the given articles, in one bleve batch: either all
// of them are indexed or none. Records are keyed by their ID, so indexing a
// record again replaces it.
func (ix *Index) Index(ctx context.Context, articles []folio.Article) error {
	return ix.index(ctx, articles, nil)
}

// IndexUpTo is Index, and records seq as the last archive sequence in the
// index (SetLastSeq) in the same batch: the records and the sequence that
// says they are there land together or not at all.
func (ix *Index) IndexUpTo(ctx context.Context, articles []folio.Article, seq uint64) error {
	return ix.index(ctx, articles, &seq)
}

func (ix *Index) index(ctx context.Context, articles []folio.Article, lastSeq *uint64) (err error) {
	defer recoverCorrupt("index records in", ix.dir, &err)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("index %d articles: %w", len(articles), err)
	}
	if ix.readOnly {
		return fmt.Errorf("index %d articles in %s: %w", len(articles), ix.dir, ErrReadOnly)
	}
	if len(articles) == 0 {
		if lastSeq != nil {
			return ix.SetLastSeq(*lastSeq)
		}
		return nil
	}
	ix.writing.Lock()
	defer ix.writing.Unlock()
	ix.typesMu.RLock()
	known := maps.Clone(ix.types)
	ix.typesMu.RUnlock()
	batch := ix.bleve.NewBatch()
	var newTypes []string
	for i := range articles {
		a := &articles[i]
		if a.ID == "" {
			return fmt.Errorf("index article %s: empty id", a.URL)
		}
		doc := ix.document(a)
		if typ := doc["_type"].(string); !known[typ] && !slices.Contains(newTypes, typ) {
			newTypes = append(newTypes, typ)
		}
		if err := batch.Index(a.ID, doc); err != nil {
			return fmt.Errorf("index article %s: %w", a.URL, err)
		}
	}
	if len(newTypes) > 0 {
		all := slices.Clone(newTypes)
		for typ := range known {
			all = append(all, typ)
		}
		slices.Sort(all)
		batch.SetInternal(keyTypes, []byte(strings.Join(all, ",")))
	}
	if lastSeq != nil {
		batch.SetInternal(keyLastSeq, []byte(strconv.FormatUint(*lastSeq, 10)))
	}
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("index %d articles in %s: %w", len(articles), ix.dir, err)
	}
	ix.typesMu.Lock()
	for _, typ := range newTypes {
		ix.types[typ] = true
	}
	ix.typesMu.Unlock()
	ix.log.Debug("indexed", slog.Int("count", len(articles)))
	return nil
}

// document is the record as bleve indexes it. The map's "_type" picks the
// document mapping, and so the analyzer, from the record's language.
func (ix *Index) document(a *folio.Article) map[string]interface{} {
	lang := a.Language
	if lang == "" {
		lang = ix.lang
	}
	doc := map[string]interface{}{
		"_type":       typeOfLanguage(lang),
		fieldURL:      a.URL,
		fieldSite:     a.Site,
		fieldTitle:    a.Title,
		fieldSummary:  a.Summary,
		fieldBody:     a.Body,
		fieldText:     textOf(a),
		fieldAuthor:   a.Author,
		fieldCategory: a.Category,
		fieldLanguage: lang,
	}
	if len(a.Tags) > 0 {
		doc[fieldTags] = a.Tags
	}
	if a.Published != nil {
		// The datetime field keeps only the instant (bleve stores it in
		// UTC); hits show the date in the record's own offset, as the
		// archive does, so the text of the time is stored beside it.
		doc[fieldPublished] = *a.Published
		doc[fieldPublishedText] = a.Published.Format(time.RFC3339Nano)
		doc[fieldMonth] = a.Published.Format("2006-01")
	}
	return doc
}

// textOf is the value of fieldText: title, summary and body at the array
// positions textTitle, textSummary and textBody, so that a match's
// location says which of them it is in, then the title's copies that
// weigh it. Weighing the title by repeating it costs the analysis of a few
// words; an optional title clause in each query cost a quarter of the time
// of the slowest searches (see doc.go).
func textOf(a *folio.Article) []string {
	text := make([]string, textBody+titleWeight)
	text[textTitle], text[textSummary], text[textBody] = a.Title, a.Summary, a.Body
	for i := textBody + 1; i < len(text); i++ {
		text[i] = a.Title
	}
	return text
}

// Delete removes the records with the given ids, in one batch. Unknown ids
// are not an error.
func (ix *Index) Delete(ctx context.Context, ids ...string) (err error) {
	defer recoverCorrupt("delete records from", ix.dir, &err)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %d records: %w", len(ids), err)
	}
	if ix.readOnly {
		return fmt.Errorf("delete %d records from %s: %w", len(ids), ix.dir, ErrReadOnly)
	}
	batch := ix.bleve.NewBatch()
	for _, id := range ids {
		batch.Delete(id)
	}
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("delete %d records from %s: %w", len(ids), ix.dir, err)
	}
	return nil
}

// SetLastSeq records seq as the last archive sequence whose records are in
// the index. Call it after Index returns: a crash in between leaves the
// recorded sequence behind, and catching up indexes a few records again,
// which replaces them with themselves.
func (ix *Index) SetLastSeq(seq uint64) (err error) {
	defer recoverCorrupt("store last sequence in", ix.dir, &err)
	if ix.readOnly {
		return fmt.Errorf("store last sequence in %s: %w", ix.dir, ErrReadOnly)
	}
	if err := ix.bleve.SetInternal(keyLastSeq, []byte(strconv.FormatUint(seq, 10))); err != nil {
		return fmt.Errorf("store last sequence in %s: %w", ix.dir, err)
	}
	return nil
}

// LastSeq returns the sequence recorded by SetLastSeq, 0 when none is.
func (ix *Index) LastSeq() (_ uint64, err error) {
	defer recoverCorrupt("read last sequence in", ix.dir, &err)
	raw, err := ix.bleve.GetInternal(keyLastSeq)
	if err != nil {
		return 0, fmt.Errorf("read last sequence in %s: %w", ix.dir, err)
	}
	if raw == nil {
		return 0, nil
	}
	seq, err := strconv.ParseUint(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read last sequence in %s: %q: %w", ix.dir, raw, ErrCorrupt)
	}
	return seq, nil
}

// DocCount returns the number of records in the index.
func (ix *Index) DocCount() (_ uint64, err error) {
	defer recoverCorrupt("count records in", ix.dir, &err)
	n, err := ix.bleve.DocCount()
	if err != nil {
		return 0, fmt.Errorf("count records in %s: %w", ix.dir, err)
	}
	return n, nil
}
