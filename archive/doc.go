// Package archive is folio's durable store: one SQLite database at
// DIR/archive.db, or one PostgreSQL database (Open given a postgres:// URL),
// holding the current record of every article, its revisions, the raw
// captures it was extracted from, the history of crawl runs, and the crawl
// state the crawler persists between processes.
//
// # Overview
//
// The entry point is [Open] (or [OpenReadOnly] for commands that only read),
// which returns a [*Store]. Its methods fall into four groups:
//
//   - Records: [Store.Put] stores an extracted record with the page it came
//     from, and returns once it is durable; [Store.PutLater] queues it and
//     returns at once, and [Store.Sync] waits for what was queued; [Store.Get], [Store.Revisions] and [Store.Capture] read one
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
//     crawler a persistent visited set and frontier (the dedup decided in
//     memory, the rows written in groups), and what it needs to
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
// A Store is safe for concurrent use. Writes go through one connection and
// one goroutine, the committer, which commits the writes every caller
// queued together, in one IMMEDIATE transaction (group commit; commit.go):
// writes no caller waits for (Enqueue, Done, PutLater) are gathered for up
// to 100 ms or 1,024 writes, and a write whose caller waits (Put, BeginRun,
// EndRun, Finish, Sync) is committed as soon as the writer is free, with
// whatever was queued before it. A crawl thus commits tens of pages in
// one transaction where it took two or three per page. Writes become
// durable in the order they were queued: a crash loses the last ones
// queued, never one without those queued after it. A write of several
// statements runs in a savepoint of its own, so that its failure undoes it
// alone; after a write that no caller waited for has failed, the crawl
// state's later writes are refused with its error until the crawl state is
// read again (Frontier), so that no page is done without its record. The
// crawl's dedup is a set in memory, per site, read from the archive when a
// crawl first needs it: Enqueue never waits for the disk. A writer in
// another process waits up to the busy timeout. Reads use a pool of
// connections; the database runs in WAL mode, so readers, in this process or
// another, never block the writer and see only committed data. Because
// SQLite commits one writer at a time, sequence numbers become visible in
// increasing order. A checkpointer on a connection of its own copies the
// log into the database every second, and truncates it once it passes 4 MiB.
//
// # PostgreSQL
//
// The same Store runs on PostgreSQL (github.com/jackc/pgx/v5 through
// database/sql), with the same schema translated (BIGINT, BYTEA, identity
// columns, text in the binary collation SQLite orders with; the schema
// version in the table folio_schema; the folding of [FoldKey] as the SQL
// function folio_key, generated from it), the same migrations, and the same
// results: every test of this package runs on both (TestPostgresBackend).
// The URL's search_path parameter chooses the schema. dialect.go rewrites
// placeholders and the few queries that differ; pgcommit.go writes a group
// with one statement per table, from arrays, rather than one per write, so
// that a crawl costs well under one statement a page; a group that fails is
// run again one write per transaction. There is no checkpointer, and Check
// only checks that the database answers with this build's schema version.
// A commit that moved the sequence notifies (NOTIFY folio_archive, with the
// schema and the sequence), which [Store.Watch] listens for in any process:
// a search node's index follows the archive through it.
//
// Several processes, on several machines, may write to one PostgreSQL
// archive. Each group's transaction first locks the sequence's row (SELECT
// … FOR UPDATE), so that the writers of all processes take turns and
// sequence numbers become visible in increasing order. The crawl's dedup
// in memory is per process: two processes crawling one site may each
// enqueue and fetch a URL, while the rows stay right (an enqueue never
// undoes a done, ON CONFLICT decides which insert wins). Sharing one
// frontier between workers is not this package's job.
//
// # What it does not do
//
// It does not fetch, extract or index, and it does not lock the data
// directory against a second writing process (the command line does that). It
// stores records as given, but for three fields: the content hash is always
// computed again from the title and body, the id must be the one derived from
// the URL (or empty, and then derived), and an empty site is filled in.
package archive
