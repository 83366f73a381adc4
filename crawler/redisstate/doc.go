// Package redisstate keeps the crawl state that several workers share in
// Redis: each site's crawl dedup and frontier, the leases of the URLs the
// workers took from it, and each host's next allowed request time. It is
// what folio worker processes on several machines share a crawl through:
// internal/job adapts a Store to crawler.SharedFrontier (job.Frontier).
//
// # Entry point
//
//	st, err := redisstate.Open(ctx, "redis://127.0.0.1:6379/0", redisstate.Options{Archive: store}, logger)
//	// or redisstate.New(client, opts, logger) on a go-redis client the caller keeps
//
// *Store satisfies crawler.State (Enqueue, Done, Frontier, Finish, Archived)
// without importing crawler, as the archive does; its tests run the
// conformance suite crawler/statetest against a real Redis. Beside that
// interface, which the crawler of one process calls a URL at a time, it
// offers what workers sharing a crawl need, each in one round trip:
//
//   - Update enqueues a page's links and marks the page done in one atomic
//     step (links first, as State requires); Enqueue and Done are Update
//     with one URL;
//   - Lease takes the next n URLs of a site's frontier, in the order they
//     were enqueued, for a time to live; Extend moves the deadline on,
//     Release hands URLs back, and Update ends a lease by marking its URL
//     done. A lease past its deadline is returned to the frontier, at its
//     place in the order, by the next Lease call of any worker: the URLs a
//     dead worker held are fetched by another, and only the ones it had in
//     flight are fetched twice;
//   - Reserve and Wait space the requests to a host by a delay, summed over
//     every worker: each reserves the next start at the host's shared next
//     allowed time, which moves on by the delay;
//   - Counts tells whether a crawl is complete (nothing ready, nothing
//     leased), as does an empty Lease whose Leased is 0;
//   - LeaseAs is Lease by a named worker, registered among the crawl's
//     workers until its lease's deadline: it says how many there are and
//     where this one ranks, so that the workers share a host's concurrency,
//     and when the peer that renewed least recently did; Leave ends a
//     registration;
//   - Epoch returns the id of the life of the state under the prefix, set
//     by the first caller: a worker that sees it change (or creates it)
//     knows that Redis lost every crawl's state. LeaseAs reads it too, in
//     the lease's round trip (on one server; a Redis Cluster may hold the
//     epoch on another node than the crawl's keys).
//
// Each URL not done is stored with its depth and, when the crawler's trap
// guard counted one, its barren run ("3" or "3/1": folio.FrontierURL).
//
// # Guarantees
//
// Every operation is one Lua script (or one DEL), so it is atomic: of
// several workers enqueueing one URL, exactly one is told it was added; a
// ready URL is leased to one worker at a time. Deadlines and slots are read
// on the Redis server's clock (TIME), the one clock all workers share, so
// theirs need not agree. Each site's keys carry the site as a Redis Cluster
// hash tag, so that a script's keys are in one slot. Options.Prefix keeps
// several crawls (or tests) on one server apart.
//
// # What it does not own
//
// What is archived of a page (its validators and dates) is the archive's:
// Archived asks the Archive given in Options. Redis holds no page, record or
// capture.
//
// # What losing Redis costs
//
// Redis here keeps nothing on disk (the project runs it with no snapshot and
// no append-only file). Losing it loses the frontiers, the dedup sets, the
// leases and the hosts' next allowed times, and nothing else: the archive
// holds every page fetched. After a restart the epoch key is gone: the
// workers see it (LeaseAs reads the epoch in the lease's own round trip,
// Lease.Epoch, so that a worker knows before it handles a URL of the
// emptied frontier), and rebuild the frontier of each site from its seeds
// and its archived records (crawler.Shared); an
// article already archived then costs one conditional request, answered
// 304 by a site that sends validators. Politeness starts afresh, so each
// host may get one request sooner than its delay allows.
//
// # Tests
//
// The tests use the Redis at FOLIO_TEST_REDIS (host:port or a redis:// URL;
// default 127.0.0.1:6379), each under a random key prefix whose keys it
// deletes at the end; they never flush the server. Without a server they
// are skipped, except with CI=true, where they fail. BenchmarkCycle reports
// the round trips per page of a worker's cycle; internal/job's
// BenchmarkWorkers those of whole crawls.
package redisstate
