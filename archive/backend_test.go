package archive

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"folio/internal/pgtest"
)

// The package's tests run on both backends: on SQLite in the test binary
// itself, and on PostgreSQL in a child process of it that
// TestPostgresBackend starts with FOLIO_TEST_ARCHIVE=postgres, where every
// test's archive is a fresh schema of the test server. Tests of SQLite's own
// behaviour (its files, integrity check, checkpoints, locks) call
// sqliteOnly.

// testBackend is the backend of this test binary: "" (SQLite) or
// "postgres".
var testBackend = os.Getenv("FOLIO_TEST_ARCHIVE")

// testLocation returns where a test's archive lives: a fresh directory, or
// on PostgreSQL the URL of a fresh schema.
func testLocation(t testing.TB) string {
	t.Helper()
	if testBackend == "postgres" {
		return pgtest.Schema(t)
	}
	return t.TempDir()
}

// sqliteOnly skips a test of SQLite's own behaviour on PostgreSQL.
func sqliteOnly(t testing.TB) {
	t.Helper()
	if testBackend == "postgres" {
		t.Skip("SQLite's own behaviour")
	}
}

// TestPostgresBackend runs this package's tests again on PostgreSQL, in a
// child process.
func TestPostgresBackend(t *testing.T) {
	if testBackend != "" {
		t.Skip("the child itself")
	}
	pgtest.Available(t).Close()
	args := []string{"-test.run", "^Test", "-test.count", "1"}
	if testing.Verbose() {
		args = append(args, "-test.v")
	}
	if testing.Short() {
		args = append(args, "-test.short")
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "FOLIO_TEST_ARCHIVE=postgres")
	out, err := cmd.CombinedOutput()
	if err != nil || testing.Verbose() {
		t.Logf("tests on PostgreSQL:\n%s", out)
	}
	if err != nil {
		t.Fatalf("tests on PostgreSQL: %v", err)
	}
	if !strings.Contains(string(out), "PASS") {
		t.Fatalf("tests on PostgreSQL: no PASS in their output")
	}
}
