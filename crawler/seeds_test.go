package crawler

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
)

// closedAddr is a loopback address on which nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestRunStartURLsFailed(t *testing.T) {
	site := newTestSite(t, "http://192.0.2.1")
	dead := "http://" + closedAddr(t) + "/"
	opts := fastOptions()
	opts.Retries = ptr(0)

	t.Run("connection refused", func(t *testing.T) {
		c, err := New(opts, NewMemState(), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Run(context.Background(), []string{dead}, nil)
		var se *StartURLsError
		if !errors.As(err, &se) || !errors.Is(err, ErrNothingReached) {
			t.Fatalf("Run = %v, want a StartURLsError", err)
		}
		if len(se.Failures) != 1 || se.Failures[0].URL != dead || !strings.Contains(se.Failures[0].Cause, "connection refused") {
			t.Errorf("failures %+v, want %s refused", se.Failures, dead)
		}
		if strings.Contains(err.Error(), "Get \"") || strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("error %q: want one line naming the URL once", err)
		}
	})
	t.Run("404 start URL", func(t *testing.T) {
		runFailedCrawl(t, opts, NewMemState(), site.cases.URL+"/no-such-page/", "HTTP 404 Not Found")
	})
	t.Run("one of two reached", func(t *testing.T) {
		c, err := New(opts, NewMemState(), nil)
		if err != nil {
			t.Fatal(err)
		}
		// Both are on the test site's host, so the dead one's failure is
		// its status alone.
		if _, err := c.Run(context.Background(), []string{site.cases.URL + "/no-such-page/", site.cases.URL + "/cases/etag/"}, nil); err != nil {
			t.Errorf("Run = %v; a start URL was reached", err)
		}
	})
	t.Run("next run starts afresh", func(t *testing.T) {
		st := NewMemState()
		runFailedCrawl(t, opts, st, site.cases.URL+"/no-such-page/", "404")
		// The state was finished: the start URL is tried again.
		runFailedCrawl(t, opts, st, site.cases.URL+"/no-such-page/", "404")
	})
}
