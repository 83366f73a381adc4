package testservers

import (
	"bufio"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// redisDo sends one inline command and returns the first line of the
// answer.
func redisDo(t *testing.T, addr, cmd string) (string, error) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(cmd + "\r\n")); err != nil {
		return "", err
	}
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "$") && line != "$-1" {
		next, err := r.ReadString('\n')
		return strings.TrimSpace(next), err
	}
	return line, nil
}

func TestRedisRestartEmptiesIt(t *testing.T) {
	t.Parallel()
	s := Redis(t)
	if got, err := redisDo(t, s.Addr(), "SET folio-key kept"); err != nil || got != "+OK" {
		t.Fatalf("SET: %q, %v", got, err)
	}
	if got, _ := redisDo(t, s.Addr(), "GET folio-key"); got != "kept" {
		t.Fatalf("GET before restart: %q", got)
	}
	s.Stop(t)
	if _, err := redisDo(t, s.Addr(), "PING"); err == nil {
		t.Fatal("the stopped server answers")
	}
	s.Start(t)
	if got, err := redisDo(t, s.Addr(), "GET folio-key"); err != nil || got != "$-1" {
		t.Fatalf("GET after restart: %q, %v; want nil (nothing kept)", got, err)
	}
}

func psql(t *testing.T, s *PostgresServer, sql string) (string, error) {
	t.Helper()
	out, err := exec.Command("psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", s.URL(), "-c", sql).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

func TestPostgresRestartKeepsData(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("psql"); err != nil {
		require(t, "psql", err)
	}
	s := Postgres(t)
	if out, err := psql(t, s, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('bonjour')"); err != nil {
		t.Fatalf("create: %v: %s", err, out)
	}
	s.Stop(t)
	if _, err := psql(t, s, "SELECT 1"); err == nil {
		t.Fatal("the stopped server answers")
	}
	s.Start(t)
	if out, err := psql(t, s, "SELECT v FROM kept"); err != nil || out != "bonjour" {
		t.Fatalf("after restart: %q, %v", out, err)
	}
}
