package archive

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"folio/internal/pgtest"
	"folio/internal/syncbuf"
)

func TestTransientPG(t *testing.T) {
	dialErr := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection refused", fmt.Errorf("begin: %w", dialErr), true},
		{"reset", fmt.Errorf("commit: %w", syscall.ECONNRESET), true},
		{"broken pipe", syscall.EPIPE, true},
		{"unexpected EOF", fmt.Errorf("put: %w", io.ErrUnexpectedEOF), true},
		{"bad connection", driver.ErrBadConn, true},
		{"server shutting down", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"server starting up", &pgconn.PgError{Code: "57P03", Message: "the database system is starting up"}, true},
		{"connection exception", &pgconn.PgError{Code: "08006"}, true},
		{"deadlock", &pgconn.PgError{Code: "40P01"}, true},
		{"unique violation", &pgconn.PgError{Code: "23505", Message: "duplicate key"}, false},
		{"disk full", &pgconn.PgError{Code: "53100", Message: "could not extend file"}, false},
		{"canceled", context.Canceled, false},
		{"plain", errors.New("record too large"), false},
	} {
		if got := transientPG(tc.err); got != tc.want {
			t.Errorf("%s: transientPG(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}

func TestAllTransient(t *testing.T) {
	reset := fmt.Errorf("commit: %w", syscall.ECONNRESET)
	for _, tc := range []struct {
		name string
		errs []error
		want bool
	}{
		{"all succeeded", []error{nil, nil}, false},
		{"all lost the server", []error{reset, reset}, true},
		{"one gave up, the rest lost the server", []error{context.Canceled, reset}, true},
		{"one refused", []error{reset, &pgconn.PgError{Code: "23505"}}, false},
		{"only a caller gave up", []error{context.Canceled, nil}, false},
	} {
		if got := allTransient(tc.errs); got != tc.want {
			t.Errorf("%s: allTransient = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestPostgresWritesWaitOutAnOutage puts records while the server cannot
// be reached (every connection through a proxy cut and new ones refused
// for 1.5 s, as during a restart) and while single connections are cut:
// every Put returns without error once the server is back, and every
// record is there, once.
func TestPostgresWritesWaitOutAnOutage(t *testing.T) {
	if testBackend != "" {
		t.Skip("run once, by the parent")
	}
	t.Parallel()
	direct := pgtest.Schema(t)
	proxied, proxy := throughProxy(t, direct)
	var logs syncbuf.Buffer
	s := openStore(t, proxied, WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	ctx := context.Background()
	mustPut(t, s, testArticle("outage.example", 0), testPage(testArticle("outage.example", 0)))

	proxy.Refuse(1500 * time.Millisecond)
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	began := time.Now()
	for i := range n {
		wg.Go(func() {
			a := testArticle("outage.example", i+1)
			_, errs[i] = s.Put(ctx, a, testPage(a))
			if i%5 == 0 {
				proxy.CutOne()
			}
		})
	}
	wg.Wait()
	took := time.Since(began)
	for i, err := range errs {
		if err != nil {
			t.Errorf("Put %d during the outage: %v", i+1, err)
		}
	}
	if took < time.Second {
		t.Errorf("the Puts returned after %v, before the server was reachable again", took)
	}
	for i := range n + 1 {
		a := testArticle("outage.example", i)
		got, err := s.Get(ctx, a.ID)
		if err != nil {
			t.Fatalf("Get %s: %v", a.URL, err)
		}
		if got.Title != a.Title {
			t.Errorf("record %d: title %q, want %q", i, got.Title, a.Title)
		}
	}
	stats, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Articles != n+1 || stats.Revisions != n+1 {
		t.Errorf("%d articles and %d revisions, want %d of each", stats.Articles, stats.Revisions, n+1)
	}
	for _, want := range []string{"archive unreachable", "archive reachable again"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), proxy.Addr()) && strings.Contains(direct, "password=") {
		t.Errorf("log shows the URL's password")
	}
}
