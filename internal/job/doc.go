// Package job is the one place that knows the order of folio's pipeline:
// crawler → extract → archive → index.
//
// # Entry points
//
//   - Run crawls one Site: every page the crawler hands on is extracted; each
//     article is stored in the archive (a new revision only when its content
//     changed) and, when new or changed, indexed in batches. Progress goes to
//     an onEvent callback; the run's figures are recorded in the archive and
//     returned as a Summary.
//   - CatchUp is the one decision of when the index follows the archive:
//     it indexes the records written after the last archive sequence the
//     index recorded, so that a crash between an archive write and an index
//     write loses nothing. search, import, the scheduler, Run and Reextract
//     all come through it; it takes the data directory's writer lock
//     (package datadir) when its caller does not hold it, and leaves the
//     index to another process that does.
//   - Follow keeps a data directory's index caught up until stopped (a
//     search node): CatchUp each time the archive tells of a commit that
//     stored records (archive.Store.Watch, PostgreSQL's LISTEN/NOTIFY),
//     and every interval besides.
//   - Reindex rebuilds an index from the whole archive; Rebuild does so
//     beside the data directory's index and then puts it in its place.
//   - Reextract runs extraction again over the raw captures the archive
//     keeps, with each site's rules, and stores the records through the
//     archive's Put, so that only those whose text changed get a revision;
//     the index then catches up. ReextractOptions.OnlySite narrows it to
//     one configured site or archived host.
//   - Import stores the records of an export (JSON Lines or one JSON
//     array) in the archive, as a crawl would; it skips and logs the lines
//     that are not records, and refuses an input whose first lines are none
//     (the wrong file) with a *NotRecordsError. OpenExport opens an export
//     file for it, gzipped or not.
//   - CompactIndex merges the index's segments when a run has left many.
//   - ExtractPage, ExplainPage and FetchPage run one stage alone on one page,
//     storing nothing (folio extract); ReadPage reads a saved page as if
//     fetched.
//   - A Run given Deps.Frontier (OpenFrontier: Redis, through
//     crawler/redisstate) is one worker of a crawl that several processes
//     share (folio worker): the crawler leases its URLs from Redis, spaces
//     its requests to a host over all workers, and rebuilds a frontier
//     Redis lost from the site's seeds and its archived records; the
//     archive stays the store of records and of what is archived of a page.
//   - Summary.ProgressLine, WriteReport and Record render a run's figures
//     (folio crawl), and ReextractSummary.ProgressLine and WriteReport a
//     re-extraction's (folio reextract).
//
// A run's clock (Deps.Now) is also the crawl's: fetch times, and so when
// archived articles of a site without validators are due again
// (crawler.Recheck), follow it, which lets tests replay weeks of re-crawls.
//
// job knows no flags or terminals: cmd/folio owns those and renders the
// events, and internal/config turns config.yaml into Sites. Of the data directory it knows only
// what CatchUp needs, through package datadir: where the index lives and the
// writer lock. The stages never import each
// other; this package wires them, and holds the compile-time guards that the
// archive satisfies the crawler's State and Frontier its SharedFrontier.
package job
