// Package archive is folio's durable store: one SQLite database at
// DIR/archive.db holding the current record of every article, its revisions,
// the raw captures it was extracted from, the history of crawl runs, and the
// crawl state the crawler persists between processes.
//
// # Overview
//
// The entry point is [Open] (or [OpenReadOnly] for commands that only read),
// which returns a [*Store]. Its methods fall into four groups:
//
//   - Records: [Store.Put] stores an extracted record with the page it came
//     from; [Store.Get], [Store.Revisions] and [Store.Capture] read one
//     article back, by id, canonical URL or any URL that was fetched for it;
//     [Store.Iterate] and [Store.Export] stream many, filtered, in a
//     deterministic order and constant memory, as JSON, JSON Lines or WARC
//     1.1 (the raw captures, read with [Store.IterateCaptures]).
//     [Store.LatestCaptures] pages through the latest capture of each
//     record, which a re-extraction reads and puts again.
//   - Sequence: every write that changes a current record gives it the next
//     value of one archive-wide sequence ([PutResult.Seq], [Store.MaxSeq]).
//     A consumer such as the search index remembers the last sequence it
//     handled and catches up with Iterate(IterateOptions{AfterSeq: n}).
//   - Runs: [Store.BeginRun], [Store.EndRun], [Store.Runs] and
//     [Store.LastRun] keep the history of crawls; [Store.Stats] sums up what
//     the archive holds, [Store.WriteStats] how its writer has been used
//     (transactions, time held, time callers waited); [Store.Check] runs SQLite's check of the whole
//     file, and [IsDamaged] recognises a damaged file in any error.
//   - Crawl state: Enqueue, Done, Frontier, Finish and Archived give the
//     crawler a persistent visited set and frontier, and what it needs to
//     know of an archived page to fetch it again: the validators (ETag,
//     Last-Modified) it was served with, when it was last fetched, first
//     stored and last found changed, and the record's published and
//     modified dates.
//     *Store satisfies crawler.State without importing crawler; the guard
//     lives in internal/job.
//
// # Revisions and outcomes
//
// Put compares the record's content_hash with the stored one. A new id is
// [New]; a different hash is [Changed] and adds a revision with its raw
// capture; the same hash is [Unchanged]: no revision and no capture are
// stored, and the record keeps the fetched_at of the fetch that produced its
// content. If an unchanged record differs in other fields (category, tags,
// comment count, after a re-extraction for instance) the current record is
// rewritten in place and moves to a new sequence number, without a revision,
// so that history only grows when the text does.
//
// # Stored records
//
// Records are stored as the JSON of folio.Article, the export contract, next
// to a few columns that filters and ordering use (site, category, publication
// time, sequence). Each row also names the shape of its JSON (the set of its
// keys): Export copies records of the current shape through as they are, and
// re-encodes older ones through folio.Article so that they gain the fields
// added since. Raw captures are gzip-compressed.
//
// # Concurrency
//
// A Store is safe for concurrent use. Writes go through one connection, in
// IMMEDIATE transactions, so writers in one process queue up and a writer in
// another process waits up to the busy timeout. Reads use a pool of
// connections; the database runs in WAL mode, so readers, in this process or
// another, never block the writer and see only committed data. Because
// SQLite commits one writer at a time, sequence numbers become visible in
// increasing order. A checkpointer on a connection of its own copies the
// log into the database every second, and truncates it once it passes 4 MiB.
//
// # What it does not do
//
// It does not fetch, extract or index, and it does not lock the data
// directory against a second writing process (the command line does that). It
// stores records as given, but for three fields: the content hash is always
// computed again from the title and body, the id must be the one derived from
// the URL (or empty, and then derived), and an empty site is filled in.
package archive
