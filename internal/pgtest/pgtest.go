// Package pgtest gives tests a PostgreSQL archive of their own: a fresh
// schema in the test server's database, dropped when the test ends, and
// the URL that opens it. It is imported by tests only.
//
// The server is FOLIO_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). Without one, the
// tests that need it skip, except with CI=true, where they fail. Nothing
// here touches a schema it did not create.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// DefaultServer is the test server when FOLIO_TEST_POSTGRES is unset.
const DefaultServer = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Server returns the URL of the test server.
func Server() string {
	if u := os.Getenv("FOLIO_TEST_POSTGRES"); u != "" {
		return u
	}
	return DefaultServer
}

// Available connects to the test server, and skips t when there is none
// (fails it under CI=true). It returns the open database.
func Available(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", Server())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = db.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if db != nil {
			db.Close()
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL test server %s unreachable (CI=true): %v", Server(), err)
		}
		t.Skipf("no PostgreSQL test server at %s (set FOLIO_TEST_POSTGRES): %v", Server(), err)
	}
	return db
}

// Schema creates a fresh schema on the test server, dropped with all it
// holds when t ends, and returns a URL of the server whose connections use
// it (search_path).
func Schema(t testing.TB) string {
	t.Helper()
	db := Available(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "folio_test_" + hex.EncodeToString(b[:])
	if _, err := db.Exec(`CREATE SCHEMA ` + name); err != nil {
		db.Close()
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec(`DROP SCHEMA ` + name + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	u, err := url.Parse(Server())
	if err != nil {
		t.Fatalf("FOLIO_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
