package crawler

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// cappedTransport decodes the content codings of every response itself and
// caps the decoded bytes at max. colly caps what it reads from the
// response body but gunzips after its cap (Content-Encoding x-gzip, a
// gzip Content-Type, a .xml.gz path), so a 10 MB bomb became gigabytes in
// memory: here the decoding happens below colly's cap, and this cap counts
// the bytes that come out of the decoder, whatever the coding, nested
// codings included. The response is handed on decoded (Uncompressed set,
// Content-Encoding and Content-Length removed), as Go's transport does
// with the gzip it asks for itself.
type cappedTransport struct {
	next http.RoundTripper
	max  int64
}

func (t *cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if isRobotsRequest(req) {
		// Cut, not refused: RFC 9309 asks for the first 500 KiB to be
		// parsed, whatever the file's size.
		decodeBody(res, robotsMaxBytes, true)
	} else {
		decodeBody(res, t.max, false)
	}
	return res, nil
}

// isRobotsRequest reports whether req fetches a robots.txt, directly or
// through redirects.
func isRobotsRequest(req *http.Request) bool {
	for req.Response != nil && req.Response.Request != nil {
		req = req.Response.Request
	}
	return req.URL != nil && req.URL.Path == "/robots.txt"
}

// maxCodings bounds the content codings stacked on one body.
const maxCodings = 3

// decodeBody replaces res.Body by its decoded form, capped at max bytes:
// past them, reading fails with errBodyTooLarge, or, with cut, ends.
// Decoders start lazily, at the first Read, so that a redirect's body is
// never decoded. Codings folio does not know (br, zstd) are left as they
// are: the body stays as sent, still capped.
func decodeBody(res *http.Response, max int64, cut bool) {
	var codings []string
	for _, v := range res.Header.Values("Content-Encoding") {
		for c := range strings.SplitSeq(v, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			if c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	known := len(codings) <= maxCodings
	for _, c := range codings {
		if c != "gzip" && c != "x-gzip" && c != "deflate" {
			known = false
		}
	}
	path := ""
	if res.Request != nil && res.Request.URL != nil {
		path = strings.ToLower(res.Request.URL.Path)
	}
	// A gzip file served as such (a .xml.gz sitemap) is unpacked too, as
	// colly did, when it starts like one.
	gzFile := strings.Contains(strings.ToLower(res.Header.Get("Content-Type")), "gzip") ||
		strings.HasSuffix(path, ".xml.gz")
	body := &decodedBody{raw: res.Body, max: max, cut: cut}
	if known {
		body.codings = codings
		body.sniffGzip = gzFile
		if len(codings) > 0 {
			res.Header.Del("Content-Encoding")
			res.Header.Del("Content-Length")
			res.ContentLength = -1
		}
	}
	res.Body = body
	// colly decodes nothing more: everything it would have is done here.
	res.Uncompressed = true
}

// decodedBody reads a response body through its decoders, failing with
// errBodyTooLarge once the decoded bytes pass max.
type decodedBody struct {
	raw       io.ReadCloser
	codings   []string // as listed in Content-Encoding: applied first to last, undone last to first
	sniffGzip bool
	max       int64
	cut       bool // end at max rather than fail

	r       io.Reader // nil until the first Read
	closers []io.Closer
	read    int64
	err     error
}

func (b *decodedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.r == nil {
		if err := b.open(); err != nil {
			b.err = err
			return 0, err
		}
	}
	// Ask for one byte more than is left, to tell a body of exactly max
	// bytes from a larger one.
	if left := b.max - b.read; int64(len(p)) > left+1 {
		p = p[:left+1]
	}
	n, err := b.r.Read(p)
	if b.read+int64(n) > b.max {
		b.err = errBodyTooLarge
		if b.cut {
			b.err = io.EOF
		}
		n = int(b.max - b.read)
		b.read = b.max
		return n, b.err
	}
	b.read += int64(n)
	return n, err
}

func (b *decodedBody) open() error {
	var r io.Reader = b.raw
	for i := len(b.codings) - 1; i >= 0; i-- {
		switch b.codings[i] {
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				return fmt.Errorf("decode %s body: %w", b.codings[i], err)
			}
			b.closers = append(b.closers, zr)
			r = zr
		case "deflate":
			// RFC 9110 deflate is zlib-wrapped; some servers send it raw.
			br := bufio.NewReader(r)
			head, _ := br.Peek(2)
			if len(head) == 2 && head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
				zr, err := zlib.NewReader(br)
				if err != nil {
					return fmt.Errorf("decode deflate body: %w", err)
				}
				b.closers = append(b.closers, zr)
				r = zr
			} else {
				fr := flate.NewReader(br)
				b.closers = append(b.closers, fr)
				r = fr
			}
		}
	}
	if b.sniffGzip {
		br := bufio.NewReader(r)
		if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
			zr, err := gzip.NewReader(br)
			if err != nil {
				return fmt.Errorf("decode gzip file: %w", err)
			}
			b.closers = append(b.closers, zr)
			r = zr
		} else {
			r = br
		}
	}
	b.r = r
	return nil
}

func (b *decodedBody) Close() error {
	for _, c := range b.closers {
		c.Close()
	}
	return b.raw.Close()
}
