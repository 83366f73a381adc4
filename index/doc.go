// Package index owns folio's full-text search index: a bleve (scorch) index
// of article records, its mapping and analyzers, batch indexing, and
// queries with filters, sorts, facets and highlighted snippets.
//
// The entry point is Open(dir, Options), which creates the index when dir is
// missing; then (*Index).Index(ctx, articles) adds a batch of records and
// (*Index).Search(ctx, Query) runs a search. OpenShared gives a writer that
// holds the index one batch at a time, so that other processes can search
// it meanwhile (see below).
//
// It does not read the archive, decide when to index, or print anything:
// internal/job feeds it records (and records the archive sequence they reach
// with SetLastSeq), and cmd/folio formats results. The archive is the source
// of truth: the index can always be deleted and rebuilt from it.
//
// # Analysis
//
// The mapping is code (mapping.go) and its version, MappingVersion, is
// stored in the index; Open returns a *VersionError for an index built with
// another version, which folio reindex rebuilds. Damaged files (a truncated
// root.bolt or segment) give errors wrapping ErrCorrupt, from Open and from
// the methods that read them, never a panic: Open reads every page of
// root.bolt before bleve does, since bbolt panics on a bad page, and the
// methods recover what panics remain. Each record is analysed by
// the analyzer of its language (document types "fr", "en" and "other"; a
// record with no language counts as Options.DefaultLanguage, French unless
// set). The French analyzer is the unicode tokenizer, then to_lower,
// elision_fr (which strips "l’" with the typographic apostrophe as well as
// "l'"), a French stop list, ASCII folding as a token filter, and
// stemmer_fr_light. Folding comes after the stop list, so accented stop
// words ("à", "même") are still recognised, and before the stemmer, so that
// "Corée" and "coree", "œuvre" and "oeuvre" give the same term: bleve's stock
// fr analyzer folds only inside its stemmer and only words over four runes.
// The stop list is bleve's, less "été" (in news mostly the summer) and plus
// the unaccented forms of its accented words. The English analyzer is
// bleve's en chain with the same folding; "other" only lower-cases and
// folds.
//
// Words are matched in one field, text: title, summary and body as elements
// of an array, then the title twice more, so that a word is one list of
// records to step through rather than three, which shortens the slowest
// searches, and a word of the title counts three times. The body is indexed
// there only: analysing it a second time, for a field of its own, slows
// indexing; and ranking by optional title and summary clauses, tested on
// every record the words match, slows the slowest searches, where repeating
// the title costs the analysis of a few words. (BenchmarkIndex and
// BenchmarkSearch measure these choices; the README has the figures and
// the command.) Title and summary
// are also indexed alone, for title: and summary: queries. text keeps term
// vectors: each location's array position says whether a match is in the
// title, summary or body, which phrases respect (a phrase never runs from
// the title into the body) and snippets use. Title, summary and body are
// stored; snippets are cut from the stored text. Site, author, category,
// tags and language are keyword fields with doc values for facets, each with
// a case- and accent-insensitive twin for filters; published is a datetime
// field (the instant, for ranges and sorts), stored beside it as RFC 3339
// text so that hits keep the record's own offset (bleve gives datetimes back
// in UTC, which moves an article of midnight in Paris to the day before),
// and month ("2006-01", in that offset, as the archive counts months) a
// keyword field for facets by month. There is no _all field.
//
// # Queries
//
// Query.Text is bleve's query-string syntax, parsed (querytext.go) and
// rewritten (rewrite.go) so that every plain word and phrase is required,
// in the text field; title: and
// summary: search those fields alone, body: and text: the text field, as
// plain words do. Required words and keyword filters are one conjunction,
// which bleve steps through from its shortest list of records. Requiring
// every word is what a reader of news expects of "corée russie": the
// articles about both, and counts and facets that describe those. A
// disjunction would rank them first too, but would also return every article
// that mentions either country, and count them. A word that some indexed
// language drops as a stop word is optional rather than required, since
// requiring it would exclude every record of that language. A word is
// analysed with the analyzer of each language the index holds, and matches
// in any. A query of stop words only matches nothing. Before parsing, the
// punctuation of natural text that the parser would take for syntax is
// blanked (naturalText): a pasted headline such as "Russie : la hausse"
// names no field "Russie". A malformed query
// gives a *QueryError whose one-line message names the column and part at
// fault.
//
// Snippets are cut from the stored body and summary of the returned hits
// (read once per hit, as the bytes bleve decodes, rather than through the
// request's Fields, which copies each into a string), at the locations of
// the words that a second search, of the returned hits only, gives (asking
// for them in the first would decode the term vectors of every matching
// record). The fragment is the one bleve's simple highlighter picks, given
// the text field's locations as locations in the body and summary, but cut
// from rune offsets located once (bestFragment) rather than walked again
// from every location; the formatter marks each match between MarkStart and
// MarkEnd (control characters that cannot occur in extracted text), folds
// white space to one line and trims cut words. Mark replaces the markers
// with whatever the output needs.
//
// # Concurrency, read-only use and sharing with searches
//
// An Index is safe for concurrent use within a process. Across processes,
// scorch holds an exclusive lock (bbolt's flock on store/root.bolt) for as
// long as a writer has the index open. Options.ReadOnly sets scorch's
// "read_only" runtime option, which opens bbolt read-only with a shared
// lock: any number of read-only opens can share an index, but not with a
// writer; each waits up to Options.LockWait for the other, then gives
// ErrLocked. A read-only Index sees the index as it was when opened.
//
// So that `folio search` works while `folio crawl` writes, a crawl writes
// through a Shared index (OpenShared), which holds the index only for the
// length of one Write: open for writing (waiting up to 30 seconds for
// searches, which hold it for milliseconds, to close it), index one batch
// with IndexUpTo, which records the archive sequence the batch reaches in
// the same bleve batch, run the segment merges that are due and save them,
// close. A search opened meanwhile waits for that one batch and then sees
// it. Left to scorch, merges run in the background and are abandoned at
// Close, so a writer that closes after each batch would never merge them;
// Write runs scorch's own merge plan before closing instead.
//
// A long catch-up (internal/job's CatchUp) pauses 60 ms between batches,
// longer than bbolt's 50 ms between two tries for the lock, so that waiting
// searches get in. scorch's plan leaves an index written batch by batch
// in several segments, which a search opens one by one: a run ends with
// Compact when there are more than four
// (internal/job's CompactIndex). folio reindex builds a new index in a
// directory of its own with a plain writer, compacts it and swaps it in
// whole.
package index
