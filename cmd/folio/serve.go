package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/index"
	"folio/internal/datadir"
	"folio/internal/schedule"
	"folio/web"
)

type serveOptions struct {
	addr           string
	token          string
	insecurePublic bool
}

func (o *serveOptions) AddFlags(f *pflag.FlagSet) {
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port); an address other than loopback needs --token or --insecure-public")
	f.StringVar(&o.token, "token", "", "bearer token every request must carry (default $FOLIO_TOKEN); browsers sign in at /login")
	f.BoolVar(&o.insecurePublic, "insecure-public", false, "listen on a non-loopback address without a token: anyone who reaches it reads the archive")
}

const serveLong = `Serve lets people read and search the archive in a browser, and programs
use it through a JSON API, from one binary.

Pages: / searches (the syntax of folio search, filters, facets, sort,
pages); /articles/ID reads an archived article (sanitised; its previous,
next, related and source links lead to the archived copies where the
archive has them) with its revisions and a word diff between any two;
/sites lists the sites, the recent runs and the schedule.

API (JSON, the export's field names; described at /api/openapi.json):
  GET /api/search?q=…            total, hits and, with facets=true, facets
  GET /api/articles/ID           one record
  GET /api/articles?url=URL      one record, by any form of its URL
  GET /api/articles/ID/revisions every revision
  GET /api/export?format=jsonl   the archive, streamed (or format=json)
  GET /api/stats                 as folio stats --json
  GET /healthz                   {"status": "ok"}

It only reads, and runs beside a crawl or a schedule: searches see new
records as soon as they are indexed. It listens on loopback by default;
another address needs --token (or FOLIO_TOKEN), checked in constant time,
or --insecure-public. No script of an archived page ever runs: bodies are
sanitised and every page is served under a strict Content-Security-Policy.

Exit status: 0 after an interrupt (Ctrl-C), 1 failure, 2 usage error.`

func newServeCmd(g *globalOpts) *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Read and search the archive in a browser, and an HTTP API",
		Long:  serveLong,
		Example: `  folio serve
  folio serve --addr 127.0.0.1:9000
  FOLIO_TOKEN=$(openssl rand -hex 16) folio serve --addr 0.0.0.0:8080`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.token == "" {
				o.token = os.Getenv("FOLIO_TOKEN")
			}
			return runServe(cmd.Context(), o, g)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

// checkServeAddr refuses to serve the archive beyond this machine without
// a token, unless told to.
func checkServeAddr(o serveOptions) error {
	host, _, err := net.SplitHostPort(o.addr)
	if err != nil {
		return usageErrorf("--addr %q: want host:port, as in 127.0.0.1:8080", o.addr)
	}
	if o.token != "" || o.insecurePublic || isLoopbackHost(host) {
		return nil
	}
	return usageErrorf("--addr %s listens beyond this machine: give a --token (or set FOLIO_TOKEN), or --insecure-public to serve the archive to anyone", o.addr)
}

// isLoopbackHost tells whether host names only this machine: localhost or
// a loopback address. An empty host (":8080") listens on every address.
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(ctx context.Context, o serveOptions, g *globalOpts) error {
	if err := checkServeAddr(o); err != nil {
		return err
	}
	log, cfg, err := g.setup()
	if err != nil {
		return err
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(serveGCPercent)
	}
	// Searches run on as many threads as there are cores, and one more
	// thread is left to the network, unless GOMAXPROCS is set. With every
	// thread searching, Go reads the requests that arrive only when its
	// monitor polls the network (every 10 ms) and runs them after the
	// goroutines already queued: requests waited there, out of the order
	// they came, before the server's queue of searches, which keeps it.
	searches := runtime.GOMAXPROCS(0)
	if _, set := os.LookupEnv("GOMAXPROCS"); !set {
		runtime.GOMAXPROCS(searches + 1)
	}
	st, err := openArchiveReadOnly(cfg.ArchiveLocation(), log)
	if err != nil {
		return err
	}
	defer st.Close()
	// The index is held open between searches, and given up whenever
	// another folio writes the data directory (a crawl, a reindex, a
	// follow's catch-up), so that it can write the index; each open first
	// brings the index up to date with the archive, as folio search does,
	// asking the archive held open here rather than a new connection.
	reader := index.NewReader(func(ctx context.Context) (*index.Index, error) {
		return openIndexForSearch(ctx, g, st, cfg.DataDir, log)
	}, probeEvery(writerProbeInterval, func() bool { return datadir.WriterBusy(cfg.DataDir) }), 0)
	defer reader.Close()
	srv, err := web.New(web.Deps{
		Archive:   st,
		Search:    reader.Search,
		Canonical: func(raw string) (string, error) { return cfg.SiteFor(raw).CanonicalURL(raw) },
		Schedule: func(ctx context.Context) ([]web.SiteSchedule, error) {
			plan, err := schedule.Plan(ctx, cfg.Sites, st, time.Now())
			out := make([]web.SiteSchedule, len(plan))
			for i, p := range plan {
				out[i] = web.SiteSchedule(p)
			}
			return out, err
		},
		Logger: log,
	}, web.Options{Token: o.token, MaxSearches: searches})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	fmt.Fprintf(g.stderr, "folio: serving %s on http://%s/ (Ctrl-C stops)\n", cfg.DataDir, ln.Addr())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("stop serving: %w", err)
	}
	return nil
}

// serveGCPercent is the garbage collector's GOGC for folio serve, unless
// GOGC is set. The server's own heap is small (the index is mapped, not
// on the heap) while a search allocates about 300 KB, so at the default of
// 100 the collector ran every twenty or so requests, and marking and its
// write barriers took about 15% of the server's processor time at 100,000
// articles; at 400 it runs a quarter as often, for some 25 MB more.
const serveGCPercent = 400

// writerProbeInterval is how often at most a server probes for another
// folio writing the data directory: a probe reads the lock file, and
// searches come hundreds of times a second. A writer waits for the index
// at most that much longer.
const writerProbeInterval = 10 * time.Millisecond

// probeEvery returns probe, its answer kept for every after each call.
func probeEvery(every time.Duration, probe func() bool) func() bool {
	var at atomic.Int64 // unix nanoseconds of the last probe; 0 before the first
	var last atomic.Bool
	return func() bool {
		now := time.Now().UnixNano()
		if t := at.Load(); t != 0 && now-t < int64(every) {
			return last.Load()
		}
		busy := probe()
		last.Store(busy)
		at.Store(now)
		return busy
	}
}
