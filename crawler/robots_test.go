package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"folio/internal/syncbuf"
	"folio/internal/testsite/wpsite"
)

// TestRunRobotsRFC9309 holds what a robots.txt that cannot be read as
// rules means (RFC 9309, 2.3.1): a server error or no answer is complete
// disallow, said so in the log; a 4xx allows everything; a file larger
// than max_body_bytes is read up to 500 KiB, and what lies past is not.
func TestRunRobotsRFC9309(t *testing.T) {
	tests := []struct {
		name        string
		status      int // wpsite.Options.RobotsStatus
		bytes       int // wpsite.Options.RobotsBytes
		disallowAll bool
		privateOpen bool   // the section robots.txt disallows is crawled
		log         string // in the log
	}{
		{name: "503", status: 503, disallowAll: true, log: "robots.txt answers a server error: nothing on this host is fetched in this run"},
		{name: "500", status: 500, disallowAll: true, log: "robots.txt answers a server error"},
		{name: "unreachable", status: wpsite.RobotsUnreachable, disallowAll: true, log: "robots.txt unreachable: nothing on this host is fetched in this run"},
		{name: "404", status: 404, privateOpen: true},
		{name: "403", status: 403, privateOpen: true},
		// Larger than max_body_bytes, smaller than 500 KiB: read whole,
		// down to the Disallow: / at its end.
		{name: "200 KiB", bytes: 200 << 10, disallowAll: true},
		// Larger than 500 KiB: its rules are obeyed, the last line is
		// past what is read.
		{name: "600 KiB", bytes: 600 << 10, log: "robots.txt is larger than 500 KiB: only its first 500 KiB are read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := wpsite.New(wpsite.Options{Articles: 12, RobotsStatus: tt.status, RobotsBytes: tt.bytes})
			srv := httptest.NewServer(site)
			opts := fastOptions()
			opts.MaxBodyBytes = 64 << 10
			var logs syncbuf.Buffer
			c, err := New(opts, NewMemState(), slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			sink := newPageSink()
			stats, err := c.Run(context.Background(), []string{srv.URL + "/"}, sink.add)
			srv.Close() // waits for the handlers: the counters are final
			// A robots.txt that cannot be read leaves the start URL
			// unfetched: the run reached nothing, which is its error.
			unreadable := tt.status >= 500 || tt.status == wpsite.RobotsUnreachable
			if unreadable != errors.Is(err, ErrNothingReached) {
				t.Fatalf("Run = %v; want ErrNothingReached: %v", err, unreadable)
			}
			if unreadable && !strings.Contains(err.Error(), "robots.txt") {
				t.Errorf("error %q does not name robots.txt", err)
			}
			robots := site.Requests(wpsite.RobotsPath)
			if robots < 1 {
				t.Errorf("robots.txt requested %d times", robots)
			}
			if tt.disallowAll {
				if n := site.TotalRequests() - robots; n != 0 {
					t.Errorf("%d requests besides robots.txt, want 0", n)
				}
				if len(sink.pages) != 0 || stats.SkippedByReason["robots"] == 0 {
					t.Errorf("%d pages handed on, skipped %v; want none, the start URL skipped for robots", len(sink.pages), stats.SkippedByReason)
				}
			} else {
				for _, p := range site.ArticlePaths() {
					if site.Answered(p, http.StatusOK) != 1 {
						t.Errorf("article %s answered 200 %d times, want 1", p, site.Answered(p, http.StatusOK))
					}
				}
				if n := site.RequestsWithPrefix(wpsite.DisallowedPrefix); (n > 0) != tt.privateOpen {
					t.Errorf("disallowed section requested %d times; want it crawled %v", n, tt.privateOpen)
				}
			}
			if tt.log != "" && !strings.Contains(logs.String(), tt.log) {
				t.Errorf("log lacks %q:\n%s", tt.log, logs.String())
			}
			if tt.disallowAll == false && strings.Contains(logs.String(), "nothing on this host is fetched") {
				t.Errorf("log says nothing is fetched, but the site was crawled:\n%s", logs.String())
			}
		})
	}
}

// TestRunCapsCrawlDelay: a robots.txt asking for a Crawl-delay of 100000 s
// gets max_crawl_delay between requests, and the log says so; a smaller
// Crawl-delay is kept.
func TestRunCapsCrawlDelay(t *testing.T) {
	for _, tt := range []struct {
		asked, max, want time.Duration
		capped           bool
	}{
		{100000 * time.Second, 20 * time.Millisecond, 20 * time.Millisecond, true},
		{10 * time.Millisecond, time.Minute, 10 * time.Millisecond, false},
	} {
		t.Run(tt.asked.String(), func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "User-agent: *\nCrawl-delay: %g\n", tt.asked.Seconds())
			})
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, `<html><body><a href="/a/">a</a> <a href="/b/">b</a></body></html>`)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			opts := fastOptions()
			opts.MaxCrawlDelay = tt.max
			var logs syncbuf.Buffer
			c, err := New(opts, NewMemState(), slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			// Far below the Crawl-delay asked: a run that waited for it
			// would be stopped, and its pages missing.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			r, err := c.newRun(ctx, []string{srv.URL + "/"}, RunOptions{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(srv.URL + "/")
			h := r.host(u)
			if err := r.loadRobots(h); err != nil {
				t.Fatal(err)
			}
			r.close()
			if h.crawlDelay != tt.want {
				t.Errorf("crawl delay %s, want %s", h.crawlDelay, tt.want)
			}
			sink := newPageSink()
			if _, err := c.Run(ctx, []string{srv.URL + "/"}, sink.add); err != nil {
				t.Fatalf("run: %v", err)
			}
			for _, p := range []string{"/a/", "/b/"} {
				if _, ok := sink.get(srv.URL + p); !ok {
					t.Errorf("%s not fetched", p)
				}
			}
			if got := strings.Contains(logs.String(), "robots.txt Crawl-delay capped at max_crawl_delay"); got != tt.capped {
				t.Errorf("log says capped %v, want %v:\n%s", got, tt.capped, logs.String())
			}
		})
	}
}

// TestRunLocalSeedExemptsOnlyItself: a crawl started on a loopback site,
// with another loopback host:port in allowed_hosts and linked from it,
// never connects to that other one: the start URL exempts its own
// host:port, not the run.
func TestRunLocalSeedExemptsOnlyItself(t *testing.T) {
	var otherHits atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body>internal</body></html>")
	}))
	defer other.Close()
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><body><a href="%s/admin/">admin</a> <a href="/a/">a</a></body></html>`, other.URL)
	}))
	defer site.Close()
	opts := fastOptions()
	opts.AllowedHosts = []string{strings.TrimPrefix(other.URL, "http://")}
	var logs syncbuf.Buffer
	c, err := New(opts, NewMemState(), slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	sink := newPageSink()
	if _, err := c.Run(context.Background(), []string{site.URL + "/"}, sink.add); err != nil {
		t.Fatal(err)
	}
	if _, ok := sink.get(site.URL + "/a/"); !ok {
		t.Error("the start URL's own host was not crawled")
	}
	if n := otherHits.Load(); n != 0 {
		t.Errorf("the other loopback host received %d requests", n)
	}
	if !strings.Contains(logs.String(), errBlockedAddress.Error()) {
		t.Errorf("log does not say the address was refused:\n%s", logs.String())
	}
}

// TestProgressShowsWaitingHosts: a host held by a long wait counts in
// Stats.Waiting, and progress is reported while it waits, with no URL
// handled meanwhile.
func TestProgressShowsWaitingHosts(t *testing.T) {
	calls := make(chan Stats, 16)
	ro := RunOptions{OnProgress: func(s Stats) {
		select {
		case calls <- s:
		default:
		}
	}}
	c, err := New(fastOptions(), NewMemState(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.newRun(context.Background(), []string{"http://127.0.0.1:1/"}, ro, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	u, _ := url.Parse("http://127.0.0.1:1/")
	h := r.host(u)
	if n := r.snapshot().Waiting; n != 0 {
		t.Errorf("Waiting %d before any wait", n)
	}
	h.pause(time.Now().Add(time.Hour)) // as a Retry-After of an hour would
	if n := r.snapshot().Waiting; n != 1 {
		t.Errorf("Waiting %d, want 1", n)
	}
	stop := r.tickWhileWaiting()
	defer stop()
	select {
	case s := <-calls:
		if s.Waiting != 1 {
			t.Errorf("progress while waiting: Waiting %d, want 1", s.Waiting)
		}
	case <-time.After(time.Minute):
		t.Error("no progress reported while the host waits")
	}
}
