// Package faultproxy is a TCP proxy on loopback for tests that need a
// server's connections to fail: it forwards every connection to one
// target (PostgreSQL, Redis, an HTTP site) and, on demand, cuts the
// connections open through it, cuts the next one a client makes, or
// refuses new connections for a while, as a restarting server or a
// broken network does. The server behind it keeps running, so that tests
// sharing it are not disturbed.
//
//	p, err := faultproxy.Start("127.0.0.1:5432")
//	defer p.Close()
//	// point the code under test at p.Addr()
//	p.CutAll()              // every open connection is reset
//	p.Refuse(2*time.Second) // and new ones refused for 2 s
package faultproxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"
)

// Proxy forwards the connections it accepts to its target.
type Proxy struct {
	target string
	ln     net.Listener

	mu           sync.Mutex
	conns        map[*link]struct{}
	refuseUntil  time.Time
	cutNext      int
	accepted     int
	cut          int
	closed       bool
	acceptorDone chan struct{}
}

// link is one client connection and its connection to the target.
type link struct {
	client, server net.Conn
	once           sync.Once
}

// close resets both sides, so that each peer sees an error rather than a
// clean end of stream.
func (l *link) close() {
	l.once.Do(func() {
		for _, c := range []net.Conn{l.client, l.server} {
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = c.Close()
		}
	})
}

// Start listens on a free loopback port and forwards to target
// (host:port).
func Start(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	p := &Proxy{target: target, ln: ln, conns: map[*link]struct{}{}, acceptorDone: make(chan struct{})}
	go p.accept()
	return p, nil
}

// Addr is the proxy's host:port, to give to the code under test.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

func (p *Proxy) accept() {
	defer close(p.acceptorDone)
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.serve(c)
	}
}

func (p *Proxy) serve(client net.Conn) {
	p.mu.Lock()
	p.accepted++
	refuse := time.Now().Before(p.refuseUntil) || p.closed
	p.mu.Unlock()
	if refuse {
		resetConn(client)
		return
	}
	server, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil {
		resetConn(client)
		return
	}
	l := &link{client: client, server: server}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		l.close()
		return
	}
	p.conns[l] = struct{}{}
	cut := p.cutNext > 0
	if cut {
		p.cutNext--
	}
	p.mu.Unlock()
	if cut {
		// Let the first exchange through, so that the client sees its
		// connection fail in use rather than at dial.
		go func() {
			time.Sleep(50 * time.Millisecond)
			p.drop(l, true)
		}()
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	p.drop(l, false)
	<-done
}

// drop closes l; fault says that the proxy cut it, rather than one of
// its ends closing it.
func (p *Proxy) drop(l *link, fault bool) {
	p.mu.Lock()
	if _, ok := p.conns[l]; ok {
		delete(p.conns, l)
		if fault {
			p.cut++
		}
	}
	p.mu.Unlock()
	l.close()
}

func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

// CutAll resets every connection open through the proxy, and returns how
// many there were.
func (p *Proxy) CutAll() int {
	p.mu.Lock()
	links := make([]*link, 0, len(p.conns))
	for l := range p.conns {
		links = append(links, l)
	}
	p.mu.Unlock()
	for _, l := range links {
		p.drop(l, true)
	}
	return len(links)
}

// CutOne resets one connection open through the proxy, if there is one,
// and reports whether it did: a network error on one connection of a
// pool.
func (p *Proxy) CutOne() bool {
	p.mu.Lock()
	var victim *link
	for l := range p.conns {
		victim = l
		break
	}
	p.mu.Unlock()
	if victim == nil {
		return false
	}
	p.drop(victim, true)
	return true
}

// CutNext makes the next n connections fail shortly after they open.
func (p *Proxy) CutNext(n int) {
	p.mu.Lock()
	p.cutNext += n
	p.mu.Unlock()
}

// Refuse resets every connection made in the next d, as a server that is
// restarting does; the ones open are cut too.
func (p *Proxy) Refuse(d time.Duration) {
	p.mu.Lock()
	p.refuseUntil = time.Now().Add(d)
	p.mu.Unlock()
	p.CutAll()
}

// Counts says how many connections the proxy accepted and how many of
// them it cut.
func (p *Proxy) Counts() (accepted, cut int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted, p.cut
}

// Open is how many connections are open through the proxy now.
func (p *Proxy) Open() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.conns)
}

// Close stops accepting and cuts every open connection.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	err := p.ln.Close()
	<-p.acceptorDone
	p.CutAll()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}
