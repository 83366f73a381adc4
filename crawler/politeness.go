package crawler

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// host holds what the crawler knows of one host during a run: its
// politeness gate and its robots.txt.
//
// The gate spaces the starts of requests by the host's delay (the configured
// one, a larger robots.txt Crawl-delay, or the host's recent response time
// when it slows down) and keeps at most Concurrency of them in flight. A
// Retry-After pushes the next start out for every worker at once.
type host struct {
	key    string // host[:port], as in canonical URLs
	scheme string // of the first URL seen on the host, for robots.txt
	slots  chan struct{}

	mu          sync.Mutex
	next        time.Time // earliest start of the next request
	delay       time.Duration
	randomDelay time.Duration
	crawlDelay  time.Duration
	latency     time.Duration // moving average of response times
	adaptive    bool          // politeness on: follow the host's pace

	// active counts this process's requests in flight on the host, which
	// a shared crawl bounds by its share of the host's concurrency.
	active int

	robotsOnce  sync.Once
	robots      *robotstxt.Group // nil: everything allowed, unless disallowAll
	disallowAll bool             // robots.txt unavailable: nothing is fetched
	unavailable string           // why, when disallowAll
	robotsDone  bool
	sitemaps    []string
}

func newHost(key string, o Options) *host {
	return &host{
		key:         key,
		slots:       make(chan struct{}, o.Concurrency),
		delay:       *o.Delay,
		randomDelay: o.RandomDelay,
		adaptive:    *o.Delay > 0,
	}
}

// acquire waits for a request slot and for the host's next start time. It
// gives up, taking no slot, when ctx ends.
//
// shared, when not nil, spaces the starts instead, over every process of a
// shared crawl (SharedFrontier.Wait): the host's next start is then kept
// only for the pauses this process learns of (Retry-After, Crawl-delay
// after robots.txt). places, when not nil, says how many of the host's
// slots this process may use now (its share of the concurrency of a
// shared crawl; -1: all); with none (0), acquire returns errNoShare.
func (h *host) acquire(ctx context.Context, shared func(ctx context.Context, host string, spacing time.Duration) error, places func() int) error {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		h.mu.Lock()
		n := placesOf(places)
		if n < 0 || h.active < n {
			h.active++
			h.mu.Unlock()
			break
		}
		h.mu.Unlock()
		if n == 0 {
			<-h.slots
			return errNoShare
		}
		// The share shrank (another worker joined): wait for one of
		// this process's requests to end.
		if err := sleep(ctx, 10*time.Millisecond); err != nil {
			<-h.slots
			return err
		}
	}
	giveBack := func() {
		h.mu.Lock()
		h.active--
		h.mu.Unlock()
		<-h.slots
	}
	// The next start is reserved at the moment the request really leaves,
	// so that a late start never lets the following one come early.
	for {
		h.mu.Lock()
		now := time.Now()
		if !now.Before(h.next) {
			spacing := max(h.delay, h.crawlDelay)
			if h.adaptive {
				// A host answering slowly is a host under load: never
				// start requests faster than it answers them.
				spacing = max(spacing, h.latency)
			}
			if h.randomDelay > 0 {
				spacing += rand.N(h.randomDelay)
			}
			if shared == nil {
				h.next = now.Add(spacing)
			}
			h.mu.Unlock()
			if shared != nil && spacing > 0 {
				if err := shared(ctx, h.key, spacing); err != nil {
					giveBack()
					return err
				}
			}
			return nil
		}
		wait := h.next.Sub(now)
		h.mu.Unlock()
		if err := sleep(ctx, wait); err != nil {
			giveBack()
			return err
		}
	}
}

func placesOf(places func() int) int {
	if places == nil {
		return -1
	}
	return places()
}

// errNoShare is acquire's answer to a request on a host of which this
// process has no share of the concurrency (more workers than places): its
// URL goes back to the shared frontier, for a worker that has one.
var errNoShare = errors.New("no share of the host's concurrency")

// release frees the slot taken by acquire, recording how long the request
// took.
func (h *host) release(took time.Duration) {
	h.mu.Lock()
	if h.latency == 0 {
		h.latency = took
	} else {
		h.latency = (3*h.latency + took) / 4
	}
	h.active--
	h.mu.Unlock()
	<-h.slots
}

// pause holds every request to the host until at least until.
func (h *host) pause(until time.Time) {
	h.mu.Lock()
	if until.After(h.next) {
		h.next = until
	}
	h.mu.Unlock()
}

// setRobots records the rules of the host's robots.txt (nil: none). A
// Crawl-delay over maxDelay is lowered to it; asked is the one robots.txt
// gave.
func (h *host) setRobots(data *robotstxt.RobotsData, userAgent string, maxDelay time.Duration) (asked time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.robotsDone = true
	if data == nil {
		return 0
	}
	g := data.FindGroup(userAgent)
	h.robots = g
	h.crawlDelay = min(g.CrawlDelay, maxDelay)
	// robots.txt was itself a request: the next one waits the Crawl-delay
	// it has just learnt.
	if next := time.Now().Add(h.crawlDelay); next.After(h.next) {
		h.next = next
	}
	h.sitemaps = data.Sitemaps
	return g.CrawlDelay
}

// setUnavailable records that the host's robots.txt could not be read
// because of a server error or no answer: RFC 9309 (2.3.1.4) says to
// assume complete disallow. (robotstxt's own value for a 5xx only answers
// TestAgent; the group FindGroup gives of it allows everything.)
func (h *host) setUnavailable(cause string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.robotsDone = true
	h.disallowAll = true
	h.unavailable = cause
	h.robots = nil
}

// unavailableCause is why robots.txt could not be read, when it could not.
func (h *host) unavailableCause() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.unavailable
}

// allows reports whether robots.txt lets the crawler fetch u.
func (h *host) allows(u *url.URL) bool {
	h.mu.Lock()
	g, none := h.robots, h.disallowAll
	h.mu.Unlock()
	if none {
		return false
	}
	if g == nil {
		return true
	}
	return g.Test(u.RequestURI())
}

// robotsMaxBytes is how much of a robots.txt is read, whatever
// max_body_bytes: RFC 9309 (2.5) asks crawlers to parse at least 500 KiB.
const robotsMaxBytes = 500 << 10

// robotsFromResponse reads a robots.txt response that is not a server
// error. 4xx means no rules; a redirect the crawler did not follow (to
// another host) is treated the same. A body cut at robotsMaxBytes loses
// its last, partial line, which could say more than its whole did.
func robotsFromResponse(status int, body []byte) (*robotstxt.RobotsData, error) {
	if status >= 300 && status < 400 {
		status = http.StatusNotFound
	}
	if len(body) >= robotsMaxBytes {
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		}
	}
	return robotstxt.FromStatusAndBytes(status, body)
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// backoff is the wait before retry number attempt (1-based): base doubled
// each time, capped at a minute, with up to 50% random jitter so that
// workers that failed together do not retry together.
func backoff(base time.Duration, attempt int) time.Duration {
	if base <= 0 {
		return 0
	}
	d := base << min(attempt-1, 16)
	d = min(d, time.Minute)
	return d/2 + rand.N(d/2+1)
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// robotsLoaded reports whether robots.txt has been read for h.
func (h *host) robotsLoaded() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.robotsDone
}
