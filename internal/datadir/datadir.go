package datadir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"folio/archive"
)

// IndexDirName is the bleve index inside the data directory, beside the
// archive's archive.db.
const IndexDirName = "index.bleve"

// IndexDir is the index of dataDir.
func IndexDir(dataDir string) string { return filepath.Join(dataDir, IndexDirName) }

// HasArchive reports whether dataDir holds an archive: a directory no
// crawl or import has written to has none.
func HasArchive(dataDir string) bool {
	_, err := os.Stat(filepath.Join(dataDir, archive.FileName))
	return !errors.Is(err, fs.ErrNotExist)
}
