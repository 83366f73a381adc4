package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// A data directory has one writer at a time: crawl, schedule (while it
// crawls), reindex, import and demo take an exclusive lock on DATA/folio.lock
// first. search, show, export and stats take no lock: the archive's readers
// work beside its writer.
//
// The lock is an advisory file lock (flock on Unix, LockFileEx on Windows),
// so the system releases it when the holder dies, even by SIGKILL: a stale
// lock file never blocks the next writer. The file also names its holder
// (PID, command line, since when), so that the next writer can say who is in
// the way; the file is never removed, as a removed lock file lets two
// processes each lock a file of that name.
const (
	writerLockFile    = "folio.lock"
	schedulerLockFile = "schedule.lock"
)

// dirLock is a held lock on one lock file of a data directory.
type dirLock struct {
	fl *flock.Flock
}

// lockHolder is what a lock file says about the process holding it.
type lockHolder struct {
	PID     int
	Command string
	Since   time.Time
}

// lockedError is returned when another process holds a data directory's
// lock. It is a failure (exit 1), not a usage error.
type lockedError struct {
	// what names the lock: "data directory" for the writer lock.
	what   string
	dir    string
	path   string
	holder lockHolder
}

func (e *lockedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s is in use by another folio", e.what, e.dir)
	if e.holder.PID > 0 {
		fmt.Fprintf(&b, ": pid %d", e.holder.PID)
		if e.holder.Command != "" {
			fmt.Fprintf(&b, " (%s)", e.holder.Command)
		}
		if !e.holder.Since.IsZero() {
			fmt.Fprintf(&b, ", since %s", e.holder.Since.Local().Format(time.DateTime))
		}
	} else {
		b.WriteString(" (its pid is not recorded yet)")
	}
	fmt.Fprintf(&b, "; wait for it to finish or stop it (lock file %s)", e.path)
	return b.String()
}

// lockWriter takes the one-writer lock of dataDir, creating the directory.
// When another process holds it, the error is a *lockedError naming that
// process.
func lockWriter(dataDir string) (*dirLock, error) {
	l, err := lockFile(dataDir, writerLockFile, "data directory")
	if err != nil {
		return nil, err
	}
	if err := removeIndexLeftovers(dataDir); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// removeIndexLeftovers removes what a reindex killed before its end left
// beside the index: the index it was building (.new) and the one it was
// replacing (.old). Only a writer builds or replaces the index, and the
// caller holds the writer lock, so no other process is using them. A
// reindex killed between its two renames left no index but the old one:
// that is put back, and catches up with the archive as any index does.
func removeIndexLeftovers(dataDir string) error {
	final := indexDir(dataDir)
	if _, err := os.Stat(final); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(final + ".old"); err == nil {
			if err := os.Rename(final+".old", final); err != nil {
				return fmt.Errorf("put back index %s: %w", final, err)
			}
		}
	}
	for _, dir := range []string{final + ".new", final + ".old"} {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("remove unfinished index %s: %w", dir, err)
		}
	}
	return nil
}

// lockScheduler keeps a second `folio schedule` off dataDir: the scheduler
// holds it for its whole life, and the writer lock only while it crawls.
func lockScheduler(dataDir string) (*dirLock, error) {
	return lockFile(dataDir, schedulerLockFile, "the scheduler of data directory")
}

func lockFile(dataDir, name, what string) (*dirLock, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, name)
	fl := flock.New(path, flock.SetPermissions(0o644))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, &lockedError{what: what, dir: dataDir, path: path, holder: readHolder(path)}
	}
	l := &dirLock{fl: fl}
	if err := l.writeHolder(); err != nil {
		l.Release()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return l, nil
}

// writeHolder records this process in the lock file. Only the holder
// writes it, so no other process can interleave.
func (l *dirLock) writeHolder() error {
	content := fmt.Sprintf("pid %d\ncommand %s\nsince %s\n", os.Getpid(), commandLine(), time.Now().Format(time.RFC3339))
	return os.WriteFile(l.fl.Path(), []byte(content), 0o644)
}

// Release empties the lock file and releases the lock. It is safe to call
// more than once.
func (l *dirLock) Release() error {
	if l == nil || !l.fl.Locked() {
		return nil
	}
	// Emptied first, so that the file never names a process that has let
	// go; a reader that finds it empty says the pid is unknown.
	truncErr := os.Truncate(l.fl.Path(), 0)
	if err := l.fl.Close(); err != nil {
		return fmt.Errorf("unlock %s: %w", l.fl.Path(), err)
	}
	if truncErr != nil {
		return fmt.Errorf("unlock %s: %w", l.fl.Path(), truncErr)
	}
	return nil
}

// readHolder reads who holds the lock file at path. The holder writes it
// right after locking, so an empty file is read again for a moment.
func readHolder(path string) lockHolder {
	for range 20 {
		data, err := os.ReadFile(path)
		if err == nil && len(data) > 0 {
			return parseHolder(data)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return lockHolder{}
}

func parseHolder(data []byte) lockHolder {
	var h lockHolder
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, value, _ := strings.Cut(sc.Text(), " ")
		switch key {
		case "pid":
			h.PID, _ = strconv.Atoi(value)
		case "command":
			h.Command = value
		case "since":
			h.Since, _ = time.Parse(time.RFC3339, value)
		}
	}
	return h
}

// commandLine is this process's command line as a user would type it: the
// program's base name, then its arguments, quoted when they need it.
func commandLine() string {
	if len(os.Args) == 0 {
		return "folio"
	}
	parts := []string{filepath.Base(os.Args[0])}
	for _, a := range os.Args[1:] {
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$`") {
			a = strconv.Quote(a)
		}
		parts = append(parts, a)
	}
	return strings.Join(parts, " ")
}

// isLocked reports whether err says another process holds a lock.
func isLocked(err error) bool {
	var le *lockedError
	return errors.As(err, &le)
}
