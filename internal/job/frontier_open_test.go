package job

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"folio/internal/faultproxy"
	"folio/internal/redistest"
)

// TestOpenFrontierWaitsOutADroppedConnection: a Redis that accepts
// connections and drops them at once (a restart under way, a network cut
// as a worker starts) holds OpenFrontier up until it serves again, where
// a worker used to exit with "redis …: EOF"; one that refuses the dial
// fails it at once.
func TestOpenFrontierWaitsOutADroppedConnection(t *testing.T) {
	url, _ := redistest.Available(t)
	addr := strings.TrimPrefix(url, "redis://")
	addr, _, _ = strings.Cut(addr, "/")
	proxy, err := faultproxy.Start(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)

	proxy.Refuse(700 * time.Millisecond)
	began := time.Now()
	f, err := OpenFrontier(ctx, strings.Replace(url, addr, proxy.Addr(), 1), FrontierOptions{}, log)
	if err != nil {
		t.Fatalf("OpenFrontier while the connections are dropped: %v", err)
	}
	defer f.Close()
	if took := time.Since(began); took < 600*time.Millisecond {
		t.Errorf("OpenFrontier returned after %v, before Redis served again", took)
	}
	if accepted, _ := proxy.Counts(); accepted < 2 {
		t.Errorf("proxy accepted %d connections; want the dropped ones, then one served", accepted)
	}

	began = time.Now()
	_, err = OpenFrontier(ctx, "redis://127.0.0.1:1/0", FrontierOptions{}, log)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("OpenFrontier of a refused address: %v; want connection refused", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("OpenFrontier of a refused address took %v; want it to fail at once", took)
	}
}
