package redisstate_test

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"folio/crawler/redisstate"
	"folio/internal/redistest"
)

// newStore returns a Store of the test's own, on its own prefix.
func newStore(t testing.TB, opts redisstate.Options) (*redisstate.Store, *redis.Client) {
	t.Helper()
	rdb := redistest.Client(t, redistest.URL())
	opts.Prefix = redistest.Prefix(t, rdb)
	return redisstate.New(rdb, opts, nil), rdb
}
