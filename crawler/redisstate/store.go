package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"folio"
)

// Archive answers what is known of an archived page. The archive holds
// that, not Redis: *archive.Store satisfies Archive.
type Archive interface {
	Archived(ctx context.Context, url string) (folio.ArchivedPage, error)
}

// Options configure a Store.
type Options struct {
	// Prefix starts every key the Store writes, so that several crawls (or
	// tests) share one Redis apart. Default "folio:".
	Prefix string
	// Archive answers Archived. Nil: no URL holds an archived page.
	Archive Archive
}

// Store is the crawl state of several workers, held in Redis: the dedup and
// frontier of each site's crawl, the leases of the URLs workers took, and
// each host's next allowed request time. It satisfies crawler.State; it is
// safe for concurrent use, by goroutines and by processes.
type Store struct {
	rdb     redis.UniversalClient
	owned   bool // Close closes rdb
	prefix  string
	archive Archive
	log     *slog.Logger
}

// New returns a Store on rdb, which the caller keeps and closes. log may be
// nil.
func New(rdb redis.UniversalClient, opts Options, log *slog.Logger) *Store {
	if opts.Prefix == "" {
		opts.Prefix = "folio:"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Store{rdb: rdb, prefix: opts.Prefix, archive: opts.Archive, log: log}
}

// Open connects to the Redis at url (redis://[user:password@]host:port/db,
// or rediss:// for TLS), checks that it answers, and returns a Store that
// closes the connection on Close.
func Open(ctx context.Context, url string, opts Options, log *slog.Logger) (*Store, error) {
	o, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redis url: %w", err)
	}
	rdb := redis.NewClient(o)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("redis %s: %w", o.Addr, err)
	}
	s := New(rdb, opts, log)
	s.owned = true
	return s, nil
}

// Close closes the connection Open made; a Store from New leaves its
// client to the caller.
func (s *Store) Close() error {
	if !s.owned {
		return nil
	}
	return s.rdb.Close()
}

// The keys of one site's crawl. The site sits in braces, a Redis Cluster
// hash tag, so that the keys one script touches are in one slot.
type siteKeys [7]string

const (
	kURLs    = iota // hash url → depth, or "-" once done: the dedup
	kOrder          // sorted set url → sequence: every URL not done
	kReady          // sorted set url → sequence: not done and not leased
	kLeases         // sorted set url → lease deadline (ms, server clock)
	kSeq            // counter of enqueued URLs: the frontier's order
	kWorkers        // sorted set worker → deadline (ms): the workers of the crawl
	kJoined         // sorted set worker → its number in the order they joined
)

func (s *Store) site(site string) siteKeys {
	p := s.prefix + "crawl:{" + site + "}:"
	return siteKeys{p + "urls", p + "order", p + "ready", p + "leases", p + "seq", p + "workers", p + "joined"}
}

func (s *Store) hostKey(host string) string {
	return s.prefix + "host:{" + host + "}:next"
}

// The times a script writes (µs since 1970: 16 digits, exact in a Lua
// double) go through string.format('%.0f'), so that they are written as
// integers in full rather than in whatever form the server prints a Lua
// number.

// updateScript enqueues links, then marks URLs done, in one atomic step.
// ARGV: the number of links n, n pairs (url, depth), then the done URLs.
// It returns 1 for each link that was new to the crawl, else 0.
var updateScript = redis.NewScript(`
local n = tonumber(ARGV[1])
local added = {}
for i = 1, n do
  local u, d = ARGV[2*i], ARGV[2*i+1]
  if redis.call('HSETNX', KEYS[1], u, d) == 1 then
    local seq = redis.call('INCR', KEYS[5])
    redis.call('ZADD', KEYS[2], seq, u)
    redis.call('ZADD', KEYS[3], seq, u)
    added[i] = 1
  else
    added[i] = 0
  end
end
for i = 2*n + 2, #ARGV do
  local u = ARGV[i]
  redis.call('HSET', KEYS[1], u, '-')
  redis.call('ZREM', KEYS[2], u)
  redis.call('ZREM', KEYS[3], u)
  redis.call('ZREM', KEYS[4], u)
end
return added
`)

// frontierScript returns url, depth, url, depth… of every URL not done,
// in the order they were enqueued.
var frontierScript = redis.NewScript(`
local urls = redis.call('ZRANGE', KEYS[2], 0, -1)
local out = {}
for i, u in ipairs(urls) do
  out[2*i-1] = u
  out[2*i] = redis.call('HGET', KEYS[1], u)
end
return out
`)

// leaseScript first returns to the ready set the leases past their
// deadline, at their place in the enqueue order, then leases the first
// ARGV[1] ready URLs until ARGV[2] ms from now (the server's clock, the
// one clock all workers share). It returns the deadline, the number of
// leases returned, the number of URLs leased once it is done (these
// included), the number of workers, this one's rank among them and the
// registration deadline of the other worker that renewed least recently
// (0: none), then url, depth pairs. A worker that names itself (ARGV[3]) is registered
// until the lease's deadline, and ranked by when it joined among the
// workers whose registration has not run out (the earliest first; a
// worker whose registration ran out joins anew); not in a crawl that holds
// no URL (finished, or not begun).
var leaseScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now)
for _, u in ipairs(expired) do
  redis.call('ZREM', KEYS[4], u)
  local seq = redis.call('ZSCORE', KEYS[2], u)
  if seq then
    redis.call('ZADD', KEYS[3], seq, u)
  end
end
local deadline = now + tonumber(ARGV[2])
local dl = string.format('%.0f', deadline)
local workers, rank, oldest = 0, 0, 0
if ARGV[3] ~= '' and redis.call('EXISTS', KEYS[1]) == 1 then
  local gone = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now)
  for _, w in ipairs(gone) do
    redis.call('ZREM', KEYS[6], w)
    redis.call('ZREM', KEYS[7], w)
  end
  redis.call('ZADD', KEYS[6], dl, ARGV[3])
  if not redis.call('ZSCORE', KEYS[7], ARGV[3]) then
    local last = redis.call('ZRANGE', KEYS[7], -1, -1, 'WITHSCORES')
    local n = 1
    if #last > 0 then n = tonumber(last[2]) + 1 end
    redis.call('ZADD', KEYS[7], n, ARGV[3])
  end
  redis.call('PEXPIRE', KEYS[6], ARGV[2])
  redis.call('PEXPIRE', KEYS[7], ARGV[2])
  workers = redis.call('ZCARD', KEYS[6])
  rank = redis.call('ZRANK', KEYS[7], ARGV[3])
  local first = redis.call('ZRANGE', KEYS[6], 0, 1, 'WITHSCORES')
  for i = 1, #first, 2 do
    if first[i] ~= ARGV[3] then
      oldest = tonumber(first[i+1])
      break
    end
  end
end
local popped = {}
if tonumber(ARGV[1]) > 0 then
  popped = redis.call('ZPOPMIN', KEYS[3], ARGV[1])
end
local out = {deadline, #expired, 0, workers, rank, oldest}
for i = 1, #popped, 2 do
  local u = popped[i]
  redis.call('ZADD', KEYS[4], dl, u)
  out[#out+1] = u
  out[#out+1] = redis.call('HGET', KEYS[1], u)
end
out[3] = redis.call('ZCARD', KEYS[4])
return out
`)

// extendScript moves the deadline of the given URLs' leases to ARGV[1] ms
// from now; a URL no longer leased (done, or returned and leased again
// by no one) is left alone. It returns the deadline and how many leases
// it extended.
var extendScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local deadline = now + tonumber(ARGV[1])
local dl = string.format('%.0f', deadline)
local n = 0
for i = 2, #ARGV do
  n = n + redis.call('ZADD', KEYS[4], 'XX', 'CH', dl, ARGV[i])
end
return {deadline, n}
`)

// releaseScript hands leased URLs back to the ready set at their place in
// the enqueue order, without waiting for their deadline.
var releaseScript = redis.NewScript(`
local n = 0
for i = 1, #ARGV do
  local u = ARGV[i]
  if redis.call('ZREM', KEYS[4], u) == 1 then
    local seq = redis.call('ZSCORE', KEYS[2], u)
    if seq then
      redis.call('ZADD', KEYS[3], seq, u)
      n = n + 1
    end
  end
end
return n
`)

// countsScript returns the sizes of a crawl: ready, leased, enqueued in all.
var countsScript = redis.NewScript(`
return {redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[4]),
  redis.call('ZCARD', KEYS[2]), redis.call('HLEN', KEYS[1])}
`)

// slotScript reserves the next start on a host: the later of now and the
// host's next allowed time, which it moves to that start plus ARGV[1] µs.
// Times are in µs on the server's clock. The key expires once its time has
// passed: a host unknown to Redis may be fetched at once. It returns now
// and the start reserved.
var slotScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nextAllowed = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, nextAllowed)
local after = start + tonumber(ARGV[1])
local ttl = math.floor((after - now) / 1000) + 1
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', string.format('%.0f', ttl))
return {now, start}
`)

// epochScript returns the id of the state's life under a prefix, setting
// it to ARGV[1] when it is missing (a new server, or one that restarted
// empty), and 1 when it did so.
var epochScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then
  return {v, 0}
end
redis.call('SET', KEYS[1], ARGV[1])
return {ARGV[1], 1}
`)

// Epoch returns the id of the life of this Store's state in Redis: set by
// the first call on a server, it lasts as long as the server's data, which
// nothing keeps across a restart here. A worker that remembers the id it
// saw learns of a restart when the id changes (or when its own call
// created it): every crawl's frontier was lost, to be rebuilt. created
// reports that this call set the id.
func (s *Store) Epoch(ctx context.Context) (id string, created bool, err error) {
	b := make([]byte, 12)
	rand.Read(b)
	res, err := epochScript.Run(ctx, s.rdb, []string{s.prefix + "epoch"}, hex.EncodeToString(b)).Result()
	if err != nil {
		return "", false, fmt.Errorf("epoch: %w", err)
	}
	vals, _ := res.([]any)
	if len(vals) != 2 {
		return "", false, fmt.Errorf("epoch: unexpected answer %v", res)
	}
	id, _ = vals[0].(string)
	return id, vals[1] == int64(1), nil
}

func (s *Store) run(ctx context.Context, script *redis.Script, keys siteKeys, args ...any) (any, error) {
	return script.Run(ctx, s.rdb, keys[:], args...).Result()
}

// Enqueue implements crawler.State.
func (s *Store) Enqueue(ctx context.Context, site, url string, depth int) (bool, error) {
	added, err := s.Update(ctx, site, []folio.FrontierURL{{URL: url, Depth: depth}})
	if err != nil {
		return false, err
	}
	return added[0], nil
}

// Done implements crawler.State.
func (s *Store) Done(ctx context.Context, site, url string) error {
	_, err := s.Update(ctx, site, nil, url)
	return err
}

// Update enqueues links to site's crawl, then marks done the URLs given,
// in one round trip and one atomic step: what a worker does once it has
// handled a page (its links first, so that no page is done whose links
// are lost). added[i] reports whether links[i] was new to the crawl; a
// link given twice is added once. Marking a URL done removes its lease.
func (s *Store) Update(ctx context.Context, site string, links []folio.FrontierURL, done ...string) (added []bool, err error) {
	if len(links) == 0 && len(done) == 0 {
		return nil, nil
	}
	args := make([]any, 0, 1+2*len(links)+len(done))
	args = append(args, len(links))
	for _, l := range links {
		if l.Depth < 0 || l.Barren < 0 {
			return nil, fmt.Errorf("enqueue %s: negative depth %d or barren run %d", l.URL, l.Depth, l.Barren)
		}
		args = append(args, l.URL, depthValue(l))
	}
	for _, u := range done {
		args = append(args, u)
	}
	res, err := s.run(ctx, updateScript, s.site(site), args...)
	if err != nil {
		return nil, fmt.Errorf("update crawl of %s: %w", site, err)
	}
	vals, _ := res.([]any)
	if len(vals) != len(links) {
		return nil, fmt.Errorf("update crawl of %s: %d answers for %d links", site, len(vals), len(links))
	}
	added = make([]bool, len(links))
	for i, v := range vals {
		added[i] = v == int64(1)
	}
	return added, nil
}

// Frontier implements crawler.State: the URLs enqueued and not done, leased
// or not, in the order they were enqueued. It reads the whole frontier in
// one script, which holds Redis meanwhile: it is for resuming and
// inspecting a crawl, not for each page.
func (s *Store) Frontier(ctx context.Context, site string) ([]folio.FrontierURL, error) {
	res, err := s.run(ctx, frontierScript, s.site(site))
	if err != nil {
		return nil, fmt.Errorf("frontier of %s: %w", site, err)
	}
	out, err := pairs(res, 0)
	if err != nil {
		return nil, fmt.Errorf("frontier of %s: %w", site, err)
	}
	return out, nil
}

// pairs reads url, depth pairs from a script's answer, after skip values.
func pairs(res any, skip int) ([]folio.FrontierURL, error) {
	vals, ok := res.([]any)
	if !ok || len(vals) < skip || (len(vals)-skip)%2 != 0 {
		return nil, fmt.Errorf("unexpected answer %v", res)
	}
	var out []folio.FrontierURL
	for i := skip; i < len(vals); i += 2 {
		u, _ := vals[i].(string)
		d, _ := vals[i+1].(string)
		f, err := parseDepth(u, d)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// depthValue is what the urls hash holds of a URL not done: its depth, then
// after a slash its barren run when there is one ("3", "3/1").
func depthValue(l folio.FrontierURL) string {
	if l.Barren == 0 {
		return strconv.Itoa(l.Depth)
	}
	return strconv.Itoa(l.Depth) + "/" + strconv.Itoa(l.Barren)
}

func parseDepth(u, v string) (folio.FrontierURL, error) {
	d, b, hasBarren := strings.Cut(v, "/")
	depth, err := strconv.Atoi(d)
	barren := 0
	if err == nil && hasBarren {
		barren, err = strconv.Atoi(b)
	}
	if err != nil {
		return folio.FrontierURL{}, fmt.Errorf("depth of %s: %q", u, v)
	}
	return folio.FrontierURL{URL: u, Depth: depth, Barren: barren}, nil
}

// Finish implements crawler.State: every key of site's crawl goes, leases
// included, in one command.
func (s *Store) Finish(ctx context.Context, site string) error {
	k := s.site(site)
	if err := s.rdb.Del(ctx, k[:]...).Err(); err != nil {
		return fmt.Errorf("finish crawl of %s: %w", site, err)
	}
	return nil
}

// Archived implements crawler.State by asking the Archive given to New.
func (s *Store) Archived(ctx context.Context, url string) (folio.ArchivedPage, error) {
	if s.archive == nil {
		return folio.ArchivedPage{}, nil
	}
	return s.archive.Archived(ctx, url)
}

// A Lease is the URLs a worker took from a site's frontier, each its own
// until Deadline (the Redis server's clock): past it, the next Lease call
// of any worker returns the URL to the frontier, and another worker takes
// it.
type Lease struct {
	URLs     []folio.FrontierURL
	Deadline time.Time
	// Reclaimed is how many leases past their deadline this call returned
	// to the frontier first.
	Reclaimed int
	// Leased is how many URLs of the crawl are leased once the call is
	// done, by any worker, these included: an empty Lease with Leased > 0
	// means that workers hold what is left (and may enqueue more), so
	// that the crawl is not complete.
	Leased int
	// Workers is how many workers of the crawl called LeaseAs within the
	// last ttl, this one included, and Rank this one's place among them
	// in the order they joined (0 for the first): a worker that joins
	// comes last, so that those already crawling keep their places; both
	// 0 for Lease.
	Workers, Rank int
	// OldestPeer is the registration deadline of the other worker that
	// renewed least recently (zero: none): once it is past this worker's
	// own first deadline, every other worker has leased since this one
	// joined, and knows the new count.
	OldestPeer time.Time
	// Epoch is the id of the life of the state the URLs were leased in
	// (see Epoch), read in the same round trip: "" when none is set, a
	// server that restarted empty. A worker that compares it with the id
	// it saw last knows, before it handles a single URL of the lease,
	// that they come from a frontier rebuilt after a loss.
	Epoch string
}

// Lease takes the first n URLs of site's frontier that no worker holds, in
// the order they were enqueued, for ttl. URLs whose lease ran out come
// first again, at their place in that order. An empty Lease means that
// every URL not done is held by a worker (see Counts), or that there is
// none. The worker ends each URL's lease with Update (done) or Release.
func (s *Store) Lease(ctx context.Context, site string, n int, ttl time.Duration) (Lease, error) {
	if n < 1 {
		return Lease{}, fmt.Errorf("lease from %s: n = %d, want at least 1", site, n)
	}
	return s.LeaseAs(ctx, site, "", n, ttl)
}

// LeaseAs is Lease by the worker named worker, which it registers as one
// of the crawl's workers for ttl: Lease.Workers counts those registered,
// and Lease.Rank places this one among them, so that the workers can share
// what a host allows (its concurrency) between them. n may be 0: the
// worker only renews its registration.
func (s *Store) LeaseAs(ctx context.Context, site, worker string, n int, ttl time.Duration) (Lease, error) {
	if n < 0 || (n == 0 && worker == "") {
		return Lease{}, fmt.Errorf("lease from %s: n = %d, want at least 1", site, n)
	}
	ms := ttl.Milliseconds()
	if ms < 1 {
		return Lease{}, fmt.Errorf("lease from %s: ttl %v under a millisecond", site, ttl)
	}
	res, epoch, err := s.leaseInEpoch(ctx, s.site(site), n, ms, worker)
	if err != nil {
		return Lease{}, fmt.Errorf("lease from %s: %w", site, err)
	}
	urls, err := pairs(res, 6)
	if err != nil {
		return Lease{}, fmt.Errorf("lease from %s: %w", site, err)
	}
	vals := res.([]any)
	deadline, _ := vals[0].(int64)
	reclaimed, _ := vals[1].(int64)
	leased, _ := vals[2].(int64)
	workers, _ := vals[3].(int64)
	rank, _ := vals[4].(int64)
	oldest, _ := vals[5].(int64)
	var oldestPeer time.Time
	if oldest > 0 {
		oldestPeer = time.UnixMilli(oldest)
	}
	if reclaimed > 0 {
		s.log.Info("leases past their deadline returned to the frontier",
			slog.String("site", site), slog.Int64("count", reclaimed))
	}
	return Lease{URLs: urls, Deadline: time.UnixMilli(deadline), Reclaimed: int(reclaimed), Leased: int(leased),
		Workers: int(workers), Rank: int(rank), OldestPeer: oldestPeer, Epoch: epoch}, nil
}

// leaseInEpoch runs leaseScript right after reading the epoch, in one
// round trip on one connection: a restart between the two would break
// the connection and fail both, so the URLs leased belong to the life of
// the state whose id it returns ("" when none is set). A server that
// restarted does not know the script: it is sent whole then.
func (s *Store) leaseInEpoch(ctx context.Context, keys siteKeys, args ...any) (res any, epoch string, err error) {
	for _, load := range []bool{false, true} {
		pipe := s.rdb.Pipeline()
		get := pipe.Get(ctx, s.prefix+"epoch")
		var lease *redis.Cmd
		if load {
			lease = leaseScript.Eval(ctx, pipe, keys[:], args...)
		} else {
			lease = leaseScript.EvalSha(ctx, pipe, keys[:], args...)
		}
		_, _ = pipe.Exec(ctx) // each command's error is read below
		if err := lease.Err(); err != nil {
			if !load && redis.HasErrorPrefix(err, "NOSCRIPT") {
				continue
			}
			return nil, "", err
		}
		epoch, err := get.Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, "", fmt.Errorf("epoch: %w", err)
		}
		return lease.Val(), epoch, nil
	}
	panic("unreachable")
}

// Leave ends the registration of worker (see LeaseAs): a worker stopping
// cleanly leaves its share of the concurrency to the others at once.
func (s *Store) Leave(ctx context.Context, site, worker string) error {
	k := s.site(site)
	pipe := s.rdb.TxPipeline()
	pipe.ZRem(ctx, k[kWorkers], worker)
	pipe.ZRem(ctx, k[kJoined], worker)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("leave the crawl of %s: %w", site, err)
	}
	return nil
}

// Extend moves the deadline of the leases on urls to ttl from now, for a
// worker whose fetch takes longer than it planned. It returns the new
// deadline and how many of urls were still leased (by anyone: a lease
// that ran out and was taken again is the other worker's now, and the URL
// will be fetched twice, which is all a lease that ran out may cost).
func (s *Store) Extend(ctx context.Context, site string, ttl time.Duration, urls ...string) (time.Time, int, error) {
	ms := ttl.Milliseconds()
	if ms < 1 {
		return time.Time{}, 0, fmt.Errorf("extend leases on %s: ttl %v under a millisecond", site, ttl)
	}
	args := append([]any{ms}, toAny(urls)...)
	res, err := s.run(ctx, extendScript, s.site(site), args...)
	if err != nil {
		return time.Time{}, 0, fmt.Errorf("extend leases on %s: %w", site, err)
	}
	vals, _ := res.([]any)
	if len(vals) != 2 {
		return time.Time{}, 0, fmt.Errorf("extend leases on %s: unexpected answer %v", site, res)
	}
	deadline, _ := vals[0].(int64)
	n, _ := vals[1].(int64)
	return time.UnixMilli(deadline), int(n), nil
}

// Release returns leased URLs to the frontier at once, at their place in
// the enqueue order: a worker stopping cleanly hands back what it did not
// fetch. It returns how many were leased.
func (s *Store) Release(ctx context.Context, site string, urls ...string) (int, error) {
	if len(urls) == 0 {
		return 0, nil
	}
	res, err := s.run(ctx, releaseScript, s.site(site), toAny(urls)...)
	if err != nil {
		return 0, fmt.Errorf("release leases on %s: %w", site, err)
	}
	n, _ := res.(int64)
	return int(n), nil
}

// Counts are the sizes of a site's crawl.
type Counts struct {
	// Ready URLs wait in the frontier; Leased ones are held by workers
	// (including leases past their deadline that no Lease call has
	// returned yet). The crawl is complete when both are 0.
	Ready, Leased int
	// Enqueued is every URL the crawl has found; Done those handled.
	Enqueued, Done int
}

// Counts returns the sizes of site's crawl, read in one step.
func (s *Store) Counts(ctx context.Context, site string) (Counts, error) {
	res, err := s.run(ctx, countsScript, s.site(site))
	if err != nil {
		return Counts{}, fmt.Errorf("counts of %s: %w", site, err)
	}
	vals, _ := res.([]any)
	if len(vals) != 4 {
		return Counts{}, fmt.Errorf("counts of %s: unexpected answer %v", site, res)
	}
	n := make([]int, 4)
	for i, v := range vals {
		x, _ := v.(int64)
		n[i] = int(x)
	}
	return Counts{Ready: n[0], Leased: n[1], Enqueued: n[3], Done: n[3] - n[2]}, nil
}

// A Slot is a request start on a host, reserved for one worker.
type Slot struct {
	// Start is when the request may start, on the Redis server's clock.
	Start time.Time
	// Wait is how long to wait for Start from the moment Redis answered:
	// a duration, so that the workers' clocks need not agree with the
	// server's.
	Wait time.Duration
}

// Reserve takes the next request slot on host, for every worker sharing
// this Redis: the slot starts at the host's next allowed time, or now if
// that has passed, and the next allowed time moves to the slot's start
// plus delay. So the starts of the slots on a host, whoever takes them,
// are at least delay apart. A slot not used is lost: the host only rests
// longer.
func (s *Store) Reserve(ctx context.Context, host string, delay time.Duration) (Slot, error) {
	if delay < 0 {
		return Slot{}, fmt.Errorf("reserve a slot on %s: negative delay %v", host, delay)
	}
	res, err := slotScript.Run(ctx, s.rdb, []string{s.hostKey(host)}, delay.Microseconds()).Result()
	if err != nil {
		return Slot{}, fmt.Errorf("reserve a slot on %s: %w", host, err)
	}
	vals, _ := res.([]any)
	if len(vals) != 2 {
		return Slot{}, fmt.Errorf("reserve a slot on %s: unexpected answer %v", host, res)
	}
	now, _ := vals[0].(int64)
	start, _ := vals[1].(int64)
	return Slot{Start: time.UnixMicro(start), Wait: time.Duration(start-now) * time.Microsecond}, nil
}

// Wait reserves the next slot on host (see Reserve) and waits for its
// start. A slot this process wakes up for late (past its start by more than
// a tenth of delay, or 2 ms: a loaded machine) is given up, and another
// reserved, so that a late request never comes close to the one of the
// next slot. It returns ctx's error, having spent the slot, if ctx ends
// first.
func (s *Store) Wait(ctx context.Context, host string, delay time.Duration) error {
	late := max(delay/4, 5*time.Millisecond)
	for {
		slot, err := s.Reserve(ctx, host, delay)
		if err != nil {
			return err
		}
		answered := time.Now()
		if slot.Wait <= 0 {
			return nil
		}
		t := time.NewTimer(slot.Wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
		if time.Since(answered)-slot.Wait <= late {
			return nil
		}
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
