package crawler

import (
	"bytes"
	"fmt"
	"mime"
	"regexp"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// toUTF8 decodes an HTML body to UTF-8. A charset named by the
// Content-Type header has already been applied by colly (which, like a
// browser, lets a byte-order mark win over it). Otherwise the order is: a
// byte-order mark, then a body that is valid UTF-8 as a whole, then
// <meta charset> or <meta http-equiv>, and Windows-1252 (the web's reading
// of ISO-8859-1) when nothing is said.
//
// Checking the whole body for UTF-8 before trusting a prescan matters:
// x/net's DetermineEncoding looks at the first 1024 bytes only and would
// read an undeclared UTF-8 page whose first kilobyte is ASCII as
// Windows-1252.
func toUTF8(body []byte, contentType string) ([]byte, error) {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if _, ok := params["charset"]; ok {
			if _, name := charset.Lookup(params["charset"]); name != "" {
				return bytes.TrimPrefix(body, utf8BOM), nil
			}
		}
	}
	if bytes.HasPrefix(body, utf8BOM) {
		return body[len(utf8BOM):], nil
	}
	enc, name, certain := charset.DetermineEncoding(body, "text/html")
	if !certain && utf8.Valid(body) {
		return body, nil
	}
	if !certain && name == "windows-1252" {
		// The prescan reads the first kilobyte only; a browser that meets a
		// <meta charset> later in the head switches to it (an archive's
		// banner scripts often push it past the first kilobyte).
		if e, n := lateMetaCharset(body); e != nil {
			enc, name = e, n
		}
	}
	if name == "utf-8" {
		return body, nil
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", name, err)
	}
	return bytes.TrimPrefix(out, utf8BOM), nil
}

// metaCharset is a charset declared in a <meta> element: <meta charset=…>
// or the content of <meta http-equiv="Content-Type">.
var metaCharset = regexp.MustCompile(`(?is)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.+-]+)`)

// maxHeadScan is how far into a page lateMetaCharset looks for a <meta>
// charset, when the head does not end sooner.
const maxHeadScan = 64 << 10

// lateMetaCharset is the encoding the first <meta> charset declaration of
// the page's head names, however far into the head it stands; nil when
// there is none or it names no known encoding.
func lateMetaCharset(body []byte) (encoding.Encoding, string) {
	head := body[:min(len(body), maxHeadScan)]
	if i := bytes.Index(bytes.ToLower(head), []byte("</head")); i >= 0 {
		head = head[:i]
	}
	m := metaCharset.FindSubmatch(head)
	if m == nil {
		return nil, ""
	}
	return charset.Lookup(string(m[1]))
}
