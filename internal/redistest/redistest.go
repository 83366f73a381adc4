// Package redistest gives tests the Redis they share, a client on it and a
// key prefix of their own. It is imported by tests only.
//
// The server is FOLIO_TEST_REDIS (host:port or a redis:// URL; default
// 127.0.0.1:6379). Without one, the tests that need it skip, except with
// CI=true, where they fail. The server is shared with other tests and
// whatever else runs on it: nothing here flushes it, and each test's keys
// live under a prefix of its own, deleted when it ends.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// URL returns the redis:// URL of the test server.
func URL() string {
	addr := os.Getenv("FOLIO_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	if strings.Contains(addr, "://") {
		return addr
	}
	return "redis://" + addr + "/0"
}

// Client connects to the Redis at url, closed when t ends. It skips t
// when the server does not answer (fails it under CI=true).
func Client(t testing.TB, url string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("redis URL %s: %v", url, err)
	}
	rdb := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis at %s: %v (CI=true: Redis must run)", url, err)
		}
		t.Skipf("redis at %s unreachable: %v", url, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// Available returns the test server's URL and a client on it.
func Available(t testing.TB) (string, *redis.Client) {
	t.Helper()
	url := URL()
	return url, Client(t, url)
}

// Prefix returns a key prefix of t's own, and deletes every key under it
// when t ends.
func Prefix(t testing.TB, rdb *redis.Client) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	prefix := "folio-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		keys, err := Keys(ctx, rdb, prefix)
		if err != nil {
			t.Errorf("clean up %s*: %v", prefix, err)
			return
		}
		if len(keys) > 0 {
			if err := rdb.Unlink(ctx, keys...).Err(); err != nil {
				t.Errorf("clean up %s*: %v", prefix, err)
			}
		}
	})
	return prefix
}

// Keys lists the keys under prefix, without blocking the server (SCAN).
func Keys(ctx context.Context, rdb *redis.Client, prefix string) ([]string, error) {
	var keys []string
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}
