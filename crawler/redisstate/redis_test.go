package redisstate_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"folio/crawler/redisstate"
)

// testClient connects to the Redis the tests use: FOLIO_TEST_REDIS
// (host:port or a redis:// URL), by default the local server. Without one
// the test is skipped, except in CI (CI=true), where Redis runs and its
// absence is a failure.
func testClient(t testing.TB) *redis.Client {
	t.Helper()
	addr := os.Getenv("FOLIO_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	opts := &redis.Options{Addr: addr}
	if strings.Contains(addr, "://") {
		var err error
		if opts, err = redis.ParseURL(addr); err != nil {
			t.Fatalf("FOLIO_TEST_REDIS: %v", err)
		}
	}
	rdb := redis.NewClient(opts)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis at %s: %v (CI=true: Redis must run)", addr, err)
		}
		t.Skipf("redis at %s unreachable: %v", addr, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// testPrefix returns a key prefix of the test's own, and deletes every key
// under it when the test ends: tests share the server with each other and
// with whatever else runs on it, so none flushes it.
func testPrefix(t testing.TB, rdb *redis.Client) string {
	t.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	prefix := "folio-test:" + hex.EncodeToString(b) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		keys, err := scanKeys(ctx, rdb, prefix)
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

func scanKeys(ctx context.Context, rdb *redis.Client, prefix string) ([]string, error) {
	var keys []string
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	return keys, iter.Err()
}

// newStore returns a Store of the test's own, on its own prefix.
func newStore(t testing.TB, opts redisstate.Options) (*redisstate.Store, *redis.Client) {
	t.Helper()
	rdb := testClient(t)
	opts.Prefix = testPrefix(t, rdb)
	return redisstate.New(rdb, opts, nil), rdb
}
