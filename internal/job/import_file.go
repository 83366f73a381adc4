package job

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

// OpenExport opens the file path for Import: an export as folio export
// writes it, read through gzip when it is compressed (an export to a name
// ending in .gz), whatever its name.
func OpenExport(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	br := bufio.NewReader(f)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("import %s: %w", path, err)
		}
		return readCloser{zr, f}, nil
	}
	return readCloser{br, f}, nil
}

// readCloser reads from one reader and closes a file.
type readCloser struct {
	io.Reader
	io.Closer
}
