// Package datadir is the layout of a folio data directory and the rule of
// its one writer.
//
// A data directory holds the archive (archive.db, package archive), the
// search index beside it (index.bleve, package index), and two lock files:
// folio.lock, the one-writer lock, and schedule.lock, which keeps a second
// scheduler away. LockWriter and LockScheduler take them; IndexDir names the
// index. The decision of when the index catches up with the archive, which
// takes the writer lock, is job.CatchUp's.
//
// datadir knows no flags and prints nothing: a *LockedError names the
// process in the way, for cmd/folio to say.
package datadir

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
	"syscall"
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
	WriterLockFile    = "folio.lock"
	SchedulerLockFile = "schedule.lock"
)

// Lock is a held lock on one lock file of a data directory.
type Lock struct {
	fl *flock.Flock
}

// Holder is what a lock file says about the process holding it.
type Holder struct {
	PID     int
	Command string
	Since   time.Time
}

// LockedError is returned when another process holds a data directory's
// lock. It is a failure (exit 1), not a usage error.
type LockedError struct {
	// What names the lock: "data directory" for the writer lock.
	What string
	Dir  string
	// Path is the lock file's.
	Path string
	// Holder is what the lock file says of the process holding it.
	Holder Holder
}

func (e *LockedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s is in use by another folio", e.What, e.Dir)
	if e.Holder.PID > 0 {
		fmt.Fprintf(&b, ": pid %d", e.Holder.PID)
		if e.Holder.Command != "" {
			fmt.Fprintf(&b, " (%s)", e.Holder.Command)
		}
		if !e.Holder.Since.IsZero() {
			fmt.Fprintf(&b, ", since %s", e.Holder.Since.Local().Format(time.DateTime))
		}
	} else {
		b.WriteString(" (its pid is not recorded yet)")
	}
	fmt.Fprintf(&b, "; wait for it to finish or stop it (lock file %s)", e.Path)
	return b.String()
}

// LockWriter takes the one-writer lock of dataDir, creating the directory.
// When another process holds it, the error is a *LockedError naming that
// process.
func LockWriter(dataDir string) (*Lock, error) {
	l, err := lockFile(dataDir, WriterLockFile, "data directory")
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
	final := IndexDir(dataDir)
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

// LockScheduler keeps a second `folio schedule` off dataDir: the scheduler
// holds it for its whole life, and the writer lock only while it crawls.
func LockScheduler(dataDir string) (*Lock, error) {
	return lockFile(dataDir, SchedulerLockFile, "the scheduler of data directory")
}

func lockFile(dataDir, name, what string) (*Lock, error) {
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
		return nil, &LockedError{What: what, Dir: dataDir, Path: path, Holder: ReadHolder(path)}
	}
	l := &Lock{fl: fl}
	if err := l.writeHolder(); err != nil {
		l.Release()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return l, nil
}

// writeHolder records this process in the lock file. Only the holder
// writes it, so no other process can interleave.
func (l *Lock) writeHolder() error {
	content := fmt.Sprintf("pid %d\ncommand %s\nsince %s\n", os.Getpid(), CommandLine(), time.Now().Format(time.RFC3339))
	return os.WriteFile(l.fl.Path(), []byte(content), 0o644)
}

// Release empties the lock file and releases the lock. It is safe to call
// more than once.
func (l *Lock) Release() error {
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

// ReadHolder reads who holds the lock file at path. The holder writes it
// right after locking, so an empty file is read again for a moment.
func ReadHolder(path string) Holder {
	for range 20 {
		data, err := os.ReadFile(path)
		if err == nil && len(data) > 0 {
			return ParseHolder(data)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return Holder{}
}

func ParseHolder(data []byte) Holder {
	var h Holder
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

// CommandLine is this process's command line as a user would type it: the
// program's base name, then its arguments, quoted when they need it.
func CommandLine() string {
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

// IsLocked reports whether err says another process holds a lock.
func IsLocked(err error) bool {
	var le *LockedError
	return errors.As(err, &le)
}

// WriterBusy tells whether another live folio holds the data directory's
// writer lock: its lock file names it, and is emptied when it lets go (a
// writer killed with SIGKILL leaves its pid, which no longer runs).
func WriterBusy(dataDir string) bool {
	data, err := os.ReadFile(filepath.Join(dataDir, WriterLockFile))
	if err != nil || len(data) == 0 {
		return false
	}
	h := ParseHolder(data)
	if h.PID <= 0 {
		return true // being written: a writer has just taken the lock
	}
	if h.PID == os.Getpid() {
		return false // this server's own catch-up
	}
	p, err := os.FindProcess(h.PID)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}
