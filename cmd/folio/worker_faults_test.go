package main

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"folio/internal/faultproxy"
	"folio/internal/pgtest"
	"folio/internal/testservers"
	"folio/internal/testsite/wpsite"
)

// The faults of a fleet's servers, each ending with a complete archive:
// PostgreSQL restarted in the middle of a crawl, and network errors on
// single connections to PostgreSQL and to Redis. (A killed worker and a
// restarted Redis are in worker_fleet_test.go.)

// PostgreSQL restarted in the middle of a crawl (down for 2 s): the
// workers' writes fail while it is down, they retry with backoff, and the
// crawl completes with
// every article archived once. The server is a private one, started for
// the test: the shared server is never restarted.
func TestWorkerFleetSurvivesAPostgresRestart(t *testing.T) {
	t.Parallel()
	pg := testservers.Postgres(t)
	site := startTimedSite(t, wpsite.Options{Articles: 60, Latency: 10 * time.Millisecond})
	f := newFleet(t, site, "      concurrency: 2\n      delay: 0.02\n")
	f.archive = pg.URL()
	var ps []*workerProc
	for i := range 2 {
		ps = append(ps, f.start(i))
	}
	waitFor(t, "40 requests at the site", func() bool { return site.TotalRequests() >= 40 })
	pg.Stop(t)
	stoppedAt := site.TotalRequests()
	time.Sleep(2 * time.Second)
	fetchedWhileDown := site.TotalRequests() - stoppedAt
	pg.Start(t)
	for i, p := range ps {
		p.wait(t, fmt.Sprintf("worker %d", i))
	}
	complete(t, site, f.records())
	// What the workers met of the outage depends on where their writes
	// and reads stood when it came (a loaded machine may hold them all
	// until it is over): the log says, the test only reports it.
	logs := ps[0].stderr.String() + ps[1].stderr.String()
	seen := strings.Contains(logs, "archive unreachable") || strings.Contains(logs, "a shared server does not answer")
	t.Logf("workers logged the outage: %v", seen)
	t.Logf("PostgreSQL stopped for 2 s after %d requests; %d requests while it was down, %d in all", stoppedAt, fetchedWhileDown, site.TotalRequests())
}

// withHost returns raw (a URL) with its host:port replaced.
func withHost(t *testing.T, raw, hostport string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = hostport
	return u.String()
}

// hostOf returns the host:port of a URL, or of a bare host:port.
func hostOf(t *testing.T, raw string) string {
	t.Helper()
	if !strings.Contains(raw, "://") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// Network errors on single connections: while two workers crawl, one of
// their connections to PostgreSQL and one to Redis is reset every 150 ms
// (through proxies in front of the shared servers). Each worker's pools
// open new connections, the failed operations are retried, and the crawl
// completes with every article archived once. The cuts begin once both
// workers crawl: on a machine loaded enough, an open cut every time never
// ends (opening through dropped connections has tests of its own).
func TestWorkerFleetSurvivesCutConnections(t *testing.T) {
	t.Parallel()
	site := startTimedSite(t, wpsite.Options{Articles: 60, Latency: 10 * time.Millisecond})
	f := newFleet(t, site, "      concurrency: 2\n      delay: 0.02\n")
	direct := f.archive
	pgProxy, err := faultproxy.Start(hostOf(t, pgtest.Server()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pgProxy.Close() })
	redisProxy, err := faultproxy.Start(hostOf(t, f.frontier))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { redisProxy.Close() })
	f.archive = withHost(t, f.archive, pgProxy.Addr())
	f.frontier = withHost(t, f.frontier, redisProxy.Addr())

	var ps []*workerProc
	for i := range 2 {
		// A URL whose Redis update was lost with its connection goes
		// back to the frontier when its lease runs out: short leases
		// keep the test short.
		ps = append(ps, f.start(i, "--lease-ttl", "3s"))
	}
	for i, p := range ps {
		p.started(t, fmt.Sprintf("worker %d", i))
	}
	stop := make(chan struct{})
	cutting := make(chan struct{})
	go func() {
		defer close(cutting)
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				pgProxy.CutOne()
				redisProxy.CutOne()
			}
		}
	}()
	for i, p := range ps {
		p.wait(t, fmt.Sprintf("worker %d", i))
	}
	close(stop)
	<-cutting
	_, pgCut := pgProxy.Counts()
	_, redisCut := redisProxy.Counts()
	if pgCut == 0 || redisCut == 0 {
		t.Errorf("connections cut: PostgreSQL %d, Redis %d; want some of each", pgCut, redisCut)
	}
	f.archive = direct
	complete(t, site, f.records())
	t.Logf("connections cut: PostgreSQL %d, Redis %d; %d requests at the site", pgCut, redisCut, site.TotalRequests())
}
