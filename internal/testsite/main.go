package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"folio/internal/testsite/wpsite"
)

func main() {
	addr, opts, err := parseFlags(os.Args[1:])
	if err != nil {
		os.Exit(2) // the flag package has said why
	}
	if err := run(addr, opts); err != nil {
		fmt.Fprintln(os.Stderr, "testsite:", err)
		os.Exit(1)
	}
}

// parseFlags reads the command line: the address and the site's options.
func parseFlags(args []string) (string, wpsite.Options, error) {
	f := flag.NewFlagSet("testsite", flag.ContinueOnError)
	addr := f.String("addr", "127.0.0.1:8080", "address to listen on")
	var opts wpsite.Options
	f.IntVar(&opts.Articles, "articles", 60, "number of articles")
	f.Uint64Var(&opts.Seed, "seed", 0, "vary the generated articles")
	f.BoolVar(&opts.Validators, "validators", false, "send ETag and Last-Modified and answer conditional requests with 304 (as the README's tour does)")
	f.BoolVar(&opts.Gzip, "gzip", false, "compress responses for clients that accept gzip")
	f.DurationVar(&opts.Latency, "latency", 0, "delay every response by this much")
	f.IntVar(&opts.PageBytes, "page-bytes", 0, "pad HTML pages to at least this many bytes")
	f.BoolVar(&opts.SEOMeta, "seo-meta", false, "print an SEO plugin's OpenGraph and JSON-LD (og:type article on posts and pages)")
	err := f.Parse(args)
	return *addr, opts, err
}

func run(addr string, opts wpsite.Options) error {
	if opts.Articles < 1 {
		return fmt.Errorf("-articles %d: must be at least 1", opts.Articles)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	site := wpsite.New(opts)
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("serving %d articles at http://%s/ (Ctrl-C to stop)\n", site.Options().Articles, ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
