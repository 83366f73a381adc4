// Package testservers starts private PostgreSQL and Redis servers for the
// tests that must stop or restart one in the middle of their work. The
// project's machines run one of each for every test (127.0.0.1:5432 and
// 127.0.0.1:6379); a test that restarted those would break the tests
// running beside it, so a fault test starts its own, on a free loopback
// port, from the same Debian packages, and stops it at the end.
//
//	pg := testservers.Postgres(t) // initdb + pg_ctl in t.TempDir()
//	// point the code under test at pg.URL()
//	pg.Restart(t, time.Second)    // down for a second, then up again
//
// A test calls Available first and skips (or, with CI=true, fails) when the
// server programs are missing.
package testservers

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// require skips t, or fails it with CI=true, when err says a server cannot
// be started here.
func require(t testing.TB, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: %v", what, err)
	}
	t.Skipf("%s: %v", what, err)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitListening waits until addr accepts a TCP connection.
func waitListening(addr string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not listening after %s: %w", addr, within, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// PostgresServer is a private PostgreSQL cluster in a temporary directory.
type PostgresServer struct {
	bin  string // the directory of initdb, pg_ctl, postgres
	dir  string // the cluster's data directory
	port int
	// asUser is the account the server runs as when the tests run as root
	// (PostgreSQL refuses to run as root); empty otherwise.
	asUser string
	mu     sync.Mutex
}

// postgresBin finds the directory of Debian's PostgreSQL server programs.
func postgresBin() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", fmt.Errorf("no initdb under /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql)")
}

// Postgres starts a private PostgreSQL server (trust auth, user postgres,
// database test) on a free loopback port, and stops it when t ends.
func Postgres(t testing.TB) *PostgresServer {
	t.Helper()
	bin, err := postgresBin()
	require(t, "private PostgreSQL", err)
	s := &PostgresServer{bin: bin}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		require(t, "private PostgreSQL as root needs the postgres account", err)
		s.asUser = u.Username
		// The account must reach the data directory: make one outside
		// t.TempDir, whose parents are root's alone.
		dir, err := os.MkdirTemp("", "folio-pg-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		s.dir = filepath.Join(dir, "data")
	} else {
		s.dir = filepath.Join(t.TempDir(), "data")
	}
	s.port, err = freePort()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := s.run("initdb", "-D", s.dir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		require(t, "initdb", fmt.Errorf("%w: %s", err, out))
	}
	conf := fmt.Sprintf("\nlisten_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nfsync = off\nfull_page_writes = off\nmax_connections = 50\n", s.port, filepath.Dir(s.dir))
	if err := appendFile(filepath.Join(s.dir, "postgresql.conf"), conf); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = s.run("pg_ctl", "-D", s.dir, "-m", "immediate", "-w", "stop") })
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	if out, err := s.run("createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(s.port), "-U", "postgres", "test"); err != nil {
		t.Fatalf("createdb test: %v: %s", err, out)
	}
	return s
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// run runs one of the server's programs, as the postgres account when the
// tests run as root.
func (s *PostgresServer) run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(s.bin, prog)
	var cmd *exec.Cmd
	if s.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", s.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = os.TempDir()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

func (s *PostgresServer) start() error {
	logFile := filepath.Join(filepath.Dir(s.dir), "server.log")
	if out, err := s.run("pg_ctl", "-D", s.dir, "-l", logFile, "-w", "-t", "30", "start"); err != nil {
		return fmt.Errorf("pg_ctl start: %w: %s", err, out)
	}
	return waitListening(s.Addr(), 10*time.Second)
}

// Addr is the server's host:port.
func (s *PostgresServer) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// URL is the database test's URL on the server.
func (s *PostgresServer) URL() string {
	return "postgres://postgres@" + s.Addr() + "/test?sslmode=disable"
}

// Stop stops the server at once (immediate mode: what a crash or a kill
// leaves, recovered from the log at the next start).
func (s *PostgresServer) Stop(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if out, err := s.run("pg_ctl", "-D", s.dir, "-m", "immediate", "-w", "stop"); err != nil {
		t.Fatalf("pg_ctl stop: %v: %s", err, out)
	}
}

// Start starts the server again after Stop.
func (s *PostgresServer) Start(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
}

// Restart stops the server, leaves it down for down, and starts it again.
func (s *PostgresServer) Restart(t testing.TB, down time.Duration) {
	t.Helper()
	s.Stop(t)
	time.Sleep(down)
	s.Start(t)
}

// RedisServer is a private Redis that keeps nothing on disk, as the
// project's does: a restart empties it.
type RedisServer struct {
	port int
	dir  string
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Redis starts a private redis-server on a free loopback port, and stops
// it when t ends.
func Redis(t testing.TB) *RedisServer {
	t.Helper()
	_, err := exec.LookPath("redis-server")
	require(t, "private Redis", err)
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	s := &RedisServer{port: port, dir: t.TempDir()}
	t.Cleanup(func() { s.stop() })
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *RedisServer) start() error {
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--daemonize", "no", "--loglevel", "warning")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("redis-server: %w", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done
	if err := waitListening(s.Addr(), 10*time.Second); err != nil {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(out.String()))
	}
	return nil
}

func (s *RedisServer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// Addr is the server's host:port.
func (s *RedisServer) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// URL is the server's redis:// URL.
func (s *RedisServer) URL() string { return "redis://" + s.Addr() + "/0" }

// Stop kills the server: everything it held is gone.
func (s *RedisServer) Stop(t testing.TB) {
	t.Helper()
	s.stop()
}

// Start starts the server again after Stop, empty.
func (s *RedisServer) Start(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.start(); err != nil {
		t.Fatal(err)
	}
}

// Restart kills the server, leaves it down for down, and starts it again,
// empty.
func (s *RedisServer) Restart(t testing.TB, down time.Duration) {
	t.Helper()
	s.Stop(t)
	time.Sleep(down)
	s.Start(t)
}
