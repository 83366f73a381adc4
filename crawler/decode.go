package crawler

// DecodeHTML decodes an HTML document that did not come over HTTP (a saved
// file) to UTF-8, by the rules the crawler applies to a fetched page whose
// Content-Type names no charset: byte-order mark, valid UTF-8, <meta
// charset>, else Windows-1252.
func DecodeHTML(body []byte) ([]byte, error) {
	return toUTF8(body, "")
}
