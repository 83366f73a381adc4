package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(path, []byte("good\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	killed := filepath.Join(dir, ".out.jsonl.123.tmp")
	running := filepath.Join(dir, ".out.jsonl.456.tmp")
	for _, f := range []string{killed, running} {
		if err := os.WriteFile(f, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * StaleAge)
	if err := os.Chtimes(killed, long, long); err != nil {
		t.Fatal(err)
	}

	// A write that fails leaves the file as it was, and no temporary file.
	n, err := Write(path, func(w io.Writer) (int, error) {
		io.WriteString(w, "cut")
		return 1, errors.New("disk full")
	})
	if n != 1 || err == nil || !strings.Contains(err.Error(), "write "+path+": disk full") {
		t.Errorf("failed write: %d, %v", n, err)
	}
	if got, _ := os.ReadFile(path); string(got) != "good\n" {
		t.Errorf("a failed write left %q", got)
	}

	n, err = Write(path, func(w io.Writer) (int, error) {
		_, err := io.WriteString(w, "new\n")
		return 7, err
	})
	if n != 7 || err != nil {
		t.Fatalf("Write: %d, %v", n, err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new\n" {
		t.Errorf("file holds %q, want the new content", got)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", fi.Mode(), err)
	}
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file of a killed write is still there (%v)", err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("the temporary file of a write still running was removed: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".out.jsonl.*.tmp")); len(left) != 1 {
		t.Errorf("temporary files left: %v, want only the running one's", left)
	}

	if _, err := Write(filepath.Join(dir, "none", "x"), func(io.Writer) (int, error) { return 0, nil }); err == nil {
		t.Error("a write into a missing directory succeeded")
	}
}
