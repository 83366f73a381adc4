// Package atomicfile writes a file whole or not at all: what folio export
// -o writes.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// StaleAge is how long the temporary file of a Write must have been left
// alone before another Write to the same file removes it.
const StaleAge = time.Minute

// Write writes path through a temporary file in the same directory
// (".NAME.*.tmp", buffered, synced, mode 0644) and renames it into place,
// so that a failed or interrupted write never leaves a truncated file where
// a good one was. write returns how much it wrote (records, say), which
// Write returns.
//
// The temporary files of earlier writes to path that were killed before
// their end are removed first: those not written to for StaleAge (a
// running write writes all the time).
func Write(path string, write func(io.Writer) (int, error)) (int, error) {
	dir := filepath.Dir(path)
	pattern := "." + filepath.Base(path) + ".*.tmp"
	if stale, err := filepath.Glob(filepath.Join(dir, pattern)); err == nil {
		for _, f := range stale {
			if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > StaleAge {
				os.Remove(f)
			}
		}
	}
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 64<<10)
	n, err := write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("write %s: %w", path, err)
	}
	return n, nil
}
