package faultproxy

import (
	"bufio"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// startEcho serves lines back, upper-cased, until the client goes.
func startEcho(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if _, err := c.Write([]byte(strings.ToUpper(line))); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

func startProxy(t *testing.T, target string) *Proxy {
	t.Helper()
	p, err := Start(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// roundTrip sends a line and reads the answer, failing after 2 s.
func roundTrip(c net.Conn, r *bufio.Reader, msg string) (string, error) {
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte(msg + "\n")); err != nil {
		return "", err
	}
	line, err := r.ReadString('\n')
	return strings.TrimSuffix(line, "\n"), err
}

type client struct {
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return client{c, bufio.NewReader(c)}
}

func (cl client) say(msg string) (string, error) { return roundTrip(cl.c, cl.r, msg) }

func waitOpen(t *testing.T, p *Proxy, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for p.Open() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open through the proxy, want %d", p.Open(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestForwards(t *testing.T) {
	p := startProxy(t, startEcho(t))
	cl := dial(t, p.Addr())
	for _, msg := range []string{"bonjour", "encore"} {
		got, err := cl.say(msg)
		if err != nil || got != strings.ToUpper(msg) {
			t.Fatalf("say %q: got %q, %v", msg, got, err)
		}
	}
	if accepted, cut := p.Counts(); accepted != 1 || cut != 0 {
		t.Errorf("counts: accepted %d, cut %d; want 1, 0", accepted, cut)
	}
}

func TestCutAllBreaksOpenConnections(t *testing.T) {
	p := startProxy(t, startEcho(t))
	a, b := dial(t, p.Addr()), dial(t, p.Addr())
	for _, cl := range []client{a, b} {
		if _, err := cl.say("x"); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.CutAll(); n != 2 {
		t.Fatalf("CutAll cut %d connections, want 2", n)
	}
	for i, cl := range []client{a, b} {
		if got, err := cl.say("after"); err == nil {
			t.Errorf("connection %d still answers after CutAll: %q", i, got)
		}
	}
	// A new connection works: the server behind was never touched.
	if got, err := dial(t, p.Addr()).say("new"); err != nil || got != "NEW" {
		t.Fatalf("new connection after CutAll: %q, %v", got, err)
	}
}

func TestCutOneLeavesTheOthers(t *testing.T) {
	p := startProxy(t, startEcho(t))
	clients := []client{dial(t, p.Addr()), dial(t, p.Addr()), dial(t, p.Addr())}
	for _, cl := range clients {
		if _, err := cl.say("x"); err != nil {
			t.Fatal(err)
		}
	}
	waitOpen(t, p, 3)
	if !p.CutOne() {
		t.Fatal("CutOne found no connection")
	}
	failed := 0
	for _, cl := range clients {
		if _, err := cl.say("y"); err != nil {
			failed++
		}
	}
	if failed != 1 {
		t.Fatalf("%d connections failed after CutOne, want 1", failed)
	}
}

func TestRefuseThenRecover(t *testing.T) {
	p := startProxy(t, startEcho(t))
	open := dial(t, p.Addr())
	if _, err := open.say("x"); err != nil {
		t.Fatal(err)
	}
	p.Refuse(300 * time.Millisecond)
	if _, err := open.say("y"); err == nil {
		t.Error("a connection open before Refuse still answers")
	}
	// The reset may come as the dial completes, or at the first read.
	if c, err := net.Dial("tcp", p.Addr()); err == nil {
		if got, err := (client{c, bufio.NewReader(c)}).say("z"); err == nil {
			t.Errorf("a connection made while refusing answered %q", got)
		}
		c.Close()
	}
	time.Sleep(350 * time.Millisecond)
	if got, err := dial(t, p.Addr()).say("back"); err != nil || got != "BACK" {
		t.Fatalf("after the refusal: %q, %v", got, err)
	}
}

func TestCutNextFailsInUse(t *testing.T) {
	p := startProxy(t, startEcho(t))
	p.CutNext(1)
	cl := dial(t, p.Addr())
	// The first exchange goes through; the connection fails afterwards.
	if got, err := cl.say("first"); err != nil || got != "FIRST" {
		t.Fatalf("first exchange: %q, %v", got, err)
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := cl.say("second"); err == nil {
		t.Fatal("the connection marked by CutNext still answers")
	}
	if got, err := dial(t, p.Addr()).say("next"); err != nil || got != "NEXT" {
		t.Fatalf("the connection after: %q, %v", got, err)
	}
	if _, cut := p.Counts(); cut != 1 {
		t.Errorf("cut %d, want 1", cut)
	}
}

// TestInFrontOfRedis puts the proxy in front of the real Redis the
// project's machines run, as the fault tests of the workers do.
func TestInFrontOfRedis(t *testing.T) {
	addr := os.Getenv("FOLIO_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	addr = strings.TrimPrefix(addr, "redis://")
	if i := strings.IndexByte(addr, '/'); i >= 0 {
		addr = addr[:i]
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Redis at %s: %v", addr, err)
		}
		t.Skipf("no Redis at %s: %v", addr, err)
	} else {
		c.Close()
	}
	p := startProxy(t, addr)
	cl := dial(t, p.Addr())
	ping := func() (string, error) {
		_ = cl.c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := cl.c.Write([]byte("PING\r\n")); err != nil {
			return "", err
		}
		line, err := cl.r.ReadString('\n')
		return strings.TrimSpace(line), err
	}
	if got, err := ping(); err != nil || got != "+PONG" {
		t.Fatalf("PING through the proxy: %q, %v", got, err)
	}
	p.CutAll()
	if got, err := ping(); err == nil {
		t.Fatalf("PING after CutAll answered %q", got)
	}
}
