package job

import (
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"folio"
)

// maxPageFile caps what ReadPage reads, as the crawler caps bodies.
const maxPageFile = 50 << 20

// ReadPage reads an HTML document saved as the file path (its content
// read from r; "-" for standard input) as if it had been fetched from
// pageURL, decoded to UTF-8 as the crawler decodes pages (DecodeHTML);
// without a pageURL, a file:// URL of path stands in. A document larger
// than the crawler's cap on bodies is refused.
func ReadPage(r io.Reader, path, pageURL string) (folio.Page, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxPageFile+1))
	if err == nil && len(body) > maxPageFile {
		err = fmt.Errorf("%s is larger than %d MiB: not an HTML page folio will read", path, maxPageFile>>20)
	}
	if err != nil {
		return folio.Page{}, fmt.Errorf("read %s: %w", path, err)
	}
	if pageURL == "" {
		abs, _ := filepath.Abs(path)
		pageURL = "file://" + filepath.ToSlash(abs)
	}
	decoded, err := DecodeHTML(body)
	if err != nil {
		return folio.Page{}, fmt.Errorf("read %s: %w", path, err)
	}
	hdr := http.Header{}
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	return folio.Page{URL: pageURL, RequestedURL: pageURL, Status: http.StatusOK, Header: hdr,
		Body: decoded, FetchedAt: time.Now()}, nil
}
