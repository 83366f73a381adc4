package archive

import (
	"context"
	"testing"
)

// TestWriteStatsCountTheWriter: each write is counted in a transaction of
// the writer, and the time spent in them, and waiting for them, grows.
func TestWriteStatsCountTheWriter(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if got := s.WriteStats(); got != (WriteStats{}) {
		t.Fatalf("a new store: %+v, want nothing counted", got)
	}
	const puts = 5
	for n := range puts {
		a := testArticle("radio.example", n)
		if _, err := s.Put(ctx, a, testPage(a)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Enqueue(ctx, "radio.example", "https://radio.example/", 0); err != nil {
		t.Fatal(err)
	}
	got := s.WriteStats()
	if got.Transactions < 1 || got.Transactions > puts+1 {
		t.Errorf("%d transactions for %d writes", got.Transactions, puts+1)
	}
	if got.Held <= 0 || got.Waited <= 0 {
		t.Errorf("held %v, waited %v: want both counted", got.Held, got.Waited)
	}
}
