package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLockedErrorWithoutHolder(t *testing.T) {
	t.Parallel()
	err := &LockedError{What: "data directory", Dir: "d", Path: "d/folio.lock"}
	want := "data directory d is in use by another folio (its pid is not recorded yet); wait for it to finish or stop it (lock file d/folio.lock)"
	if err.Error() != want {
		t.Errorf("got  %q\nwant %q", err.Error(), want)
	}
}

func TestParseHolder(t *testing.T) {
	t.Parallel()
	got := ParseHolder([]byte("pid 4242\ncommand folio --data \"my data\" crawl\nsince 2024-03-02T10:00:00+01:00\n"))
	since := time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC)
	if got.PID != 4242 || got.Command != `folio --data "my data" crawl` || !got.Since.Equal(since) {
		t.Errorf("ParseHolder = %+v", got)
	}
}

// TestLockWriter: a second writer is refused with this process named; the
// scheduler's lock is another; a released lock file names nobody, and the
// lock can be taken again.
func TestLockWriter(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "d")
	l, err := LockWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockWriter(dir)
	var le *LockedError
	if !errors.As(err, &le) || !IsLocked(err) || le.Holder.PID != os.Getpid() || le.Holder.Command != CommandLine() {
		t.Fatalf("second writer: %v, want a LockedError naming pid %d", err, os.Getpid())
	}
	s, err := LockScheduler(dir)
	if err != nil {
		t.Fatalf("the scheduler's lock beside the writer's: %v", err)
	}
	s.Release()
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if content, _ := os.ReadFile(filepath.Join(dir, WriterLockFile)); len(content) != 0 {
		t.Errorf("released lock file still names a holder: %q", content)
	}
	l, err = LockWriter(dir)
	if err != nil {
		t.Fatalf("lock again after release: %v", err)
	}
	l.Release()
}
