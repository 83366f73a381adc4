package job

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"folio"
	"folio/archive"
)

// TestFollowPollsSQLite: on SQLite, which notifies no other process, Follow
// still catches the index up with what another writer archives, every
// Interval, and returns nil once stopped.
func TestFollowPollsSQLite(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	w, err := archive.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ro, err := archive.OpenReadOnly(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var caught atomic.Int64
	done := make(chan error, 1)
	go func() {
		done <- Follow(ctx, ro, FollowOptions{DataDir: dir, Interval: 50 * time.Millisecond,
			OnCaughtUp: func(_ int, seq int64) { caught.Store(seq) }})
	}()
	var last int64
	for i := range 3 {
		url := fmt.Sprintf("https://radio.example/2024/01/0%d/article/", i+1)
		res, err := w.Put(ctx, folio.Article{URL: url, Title: fmt.Sprintf("Article %d", i), Body: "Texte."}, folio.Page{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		last = res.Seq
	}
	// A bound for a loaded machine: the polls come every 50 ms.
	deadline := time.Now().Add(time.Minute)
	for caught.Load() < last && time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("Follow returned before its context ended: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if got := caught.Load(); got < last {
		t.Errorf("the index caught up to %d, want %d", got, last)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Follow after its context ended: %v", err)
	}
}
