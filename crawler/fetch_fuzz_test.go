package crawler

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"folio"
)

// FuzzFetchResponse drives the crawler's whole response path (robots.txt,
// the page, the sitemap probes: fetch, redirects, content codings, size
// cap, charset, XML and link parsing) with what a hostile server on
// loopback answers to every request: any status, any header lines, a
// Content-Encoding, a body gzipped or not, announced with its length or
// not, cut at any byte and the connection closed there. The crawl ends
// within its timeouts, never panics, and hands on no page larger than
// what the body cap allows once decoded to UTF-8.
func FuzzFetchResponse(f *testing.F) {
	page := []byte(`<!DOCTYPE html><html><head><meta charset="iso-8859-1"><title>caf` + "\xe9" + `</title></head><body><a href="/a/">a</a><a href="/sitemap.xml">s</a></body></html>`)
	sitemap := []byte(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>/b/</loc></url></urlset>`)
	f.Add(200, "Content-Type: text/html; charset=iso-8859-1", "", page, false, false, 0, false)
	f.Add(200, "Content-Type: text/html", "gzip", page, true, true, 40, true)
	f.Add(200, "Content-Type: application/xml", "x-gzip", sitemap, true, false, 0, false)
	f.Add(200, "Content-Type: text/html\nTransfer-Encoding: chunked", "", []byte("5\r\nhello\r\n0\r\n\r\n"), false, false, 0, false)
	f.Add(301, "Location: /a/\nContent-Length: 0", "", []byte{}, false, false, 0, true)
	f.Add(503, "Retry-After: 3600", "", []byte("busy"), false, true, 0, false)
	f.Add(200, "Content-Type: text/plain", "", []byte("User-agent: *\nCrawl-delay: 100000\nDisallow:\nSitemap: /sitemap.xml\n"), false, true, 0, true)
	f.Add(200, "Content-Type: text/html\nContent-Encoding: deflate, br", "identity", page, false, false, 17, false)
	f.Add(100, "", "", page, false, false, 0, false)
	f.Fuzz(func(t *testing.T, status int, header, coding string, body []byte, gzipped, withLength bool, cut int, robots bool) {
		const maxBody = 16 << 10
		if gzipped {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(body)
			zw.Close()
			body = b.Bytes()
		}
		var resp bytes.Buffer
		fmt.Fprintf(&resp, "HTTP/1.1 %03d Fuzz\r\n", uint(status)%1000)
		for line := range strings.SplitSeq(header, "\n") {
			if line = strings.TrimRight(line, "\r"); line != "" {
				resp.WriteString(line + "\r\n")
			}
		}
		if coding != "" {
			fmt.Fprintf(&resp, "Content-Encoding: %s\r\n", strings.NewReplacer("\r", "", "\n", "").Replace(coding))
		}
		if withLength {
			fmt.Fprintf(&resp, "Content-Length: %d\r\n", len(body))
		}
		resp.WriteString("Connection: close\r\n\r\n")
		if cut > 0 && cut < len(body) {
			body = body[:cut]
		}
		resp.Write(body)
		raw := resp.Bytes()

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var conns sync.WaitGroup
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				conns.Add(1)
				go func() {
					defer conns.Done()
					defer conn.Close()
					conn.SetDeadline(time.Now().Add(5 * time.Second))
					br := bufio.NewReader(conn)
					for { // the request's head; a body, if any, is not read
						line, err := br.ReadString('\n')
						if err != nil || line == "\r\n" {
							break
						}
					}
					conn.Write(raw)
				}()
			}
		}()
		defer func() {
			ln.Close()
			conns.Wait()
		}()

		opts := Options{
			Concurrency:   2,
			Delay:         ptr(time.Duration(0)),
			Retries:       ptr(0),
			Timeout:       2 * time.Second,
			MaxPages:      4,
			MaxBodyBytes:  maxBody,
			MaxCrawlDelay: time.Millisecond,
			MaxRetryAfter: time.Millisecond,
			IgnoreRobots:  !robots,
		}
		c, err := New(opts, NewMemState(), nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		start := time.Now()
		_, err = c.Run(ctx, []string{"http://" + ln.Addr().String() + "/"}, func(p folio.Page) {
			// A single-byte charset becomes at most 3 bytes of UTF-8 a byte.
			if len(p.Body) > 3*maxBody {
				t.Errorf("page %s handed on with %d bytes, cap %d", p.URL, len(p.Body), maxBody)
			}
			if p.Body != nil && p.Status != http.StatusOK && p.Status != http.StatusNonAuthoritativeInfo {
				t.Errorf("page %s handed on with status %d", p.URL, p.Status)
			}
		})
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("the crawl took %s (%v)", d, err)
		}
		_ = err // a seed that fails is an outcome like any other
	})
}
