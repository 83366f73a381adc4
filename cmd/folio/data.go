package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"folio/archive"
	"folio/index"
	"folio/internal/config"
	"folio/internal/datadir"
)

// openArchive opens the archive at loc (a data directory, or a PostgreSQL
// URL: config.Config.ArchiveLocation) for writing, creating it.
func openArchive(loc string, log *slog.Logger) (*archive.Store, error) {
	st, err := archive.Open(loc, archive.WithLogger(log))
	if err != nil {
		if archive.IsURL(loc) {
			return nil, err // it names the URL
		}
		return nil, fmt.Errorf("open archive: %w", err)
	}
	return st, nil
}

// openWriter takes the data directory's writer lock and opens the archive
// for writing; done closes the archive and releases the lock. On a
// PostgreSQL archive, which many processes write, the lock still guards
// the data directory's index.
func openWriter(cfg *config.Config, log *slog.Logger) (st *archive.Store, done func(), err error) {
	lock, err := datadir.LockWriter(cfg.DataDir)
	if err != nil {
		return nil, nil, err
	}
	st, err = openArchive(cfg.ArchiveLocation(), log)
	if err != nil {
		lock.Release()
		return nil, nil, err
	}
	return st, func() {
		st.Close()
		lock.Release()
	}, nil
}

// openArchiveReadOnly opens an existing archive for reading; a missing one
// is reported with what to run first.
func openArchiveReadOnly(loc string, log *slog.Logger) (*archive.Store, error) {
	if archive.IsURL(loc) {
		// The server says what is missing.
	} else if _, err := os.Stat(filepath.Join(loc, archive.FileName)); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no archive in %s: run 'folio --data %s crawl URL' first", loc, loc)
	}
	st, err := archive.OpenReadOnly(loc, archive.WithLogger(log))
	if err != nil {
		if archive.IsURL(loc) {
			return nil, err // it names the URL
		}
		return nil, fmt.Errorf("open archive: %w", err)
	}
	return st, nil
}

// openIndex opens the index of dataDir for writing, creating it. The index
// is shared (index.Shared): it is held only while a batch is written, so
// that searches keep working during a crawl.
func openIndex(dataDir string, log *slog.Logger) (*index.Shared, error) {
	return openIndexWait(dataDir, log, 0)
}

// openIndexWait is openIndex waiting up to wait (0: the index's default)
// for other processes, searches included, to let go of the index at each
// write.
func openIndexWait(dataDir string, log *slog.Logger, wait time.Duration) (*index.Shared, error) {
	ix, err := index.OpenShared(datadir.IndexDir(dataDir), index.Options{Logger: log, LockWait: wait})
	if err != nil {
		return nil, indexError("open index", err, dataDir)
	}
	return ix, nil
}

// openIndexOrArchiveOnly opens the index for a writer that must not lose
// its work to a damaged index: when the index must be rebuilt, it logs that
// the command is doing its work into the archive only and returns a nil
// index with the reason as unusable, for the command's final word. Any
// other error is err.
func openIndexOrArchiveOnly(dataDir string, log *slog.Logger, doing string) (ix *index.Shared, unusable, err error) {
	ix, err = openIndex(dataDir, log)
	switch {
	case err == nil:
		return ix, nil, nil
	case index.NeedsRebuild(err):
		// The archive is whole: write into it, and leave the index to be
		// rebuilt from it.
		log.Error("the index cannot be used: "+doing+" into the archive only", slog.Any("err", err))
		return nil, err, nil
	default:
		return nil, nil, err
	}
}

// indexError wraps an error of the index with what, and when the index must
// be rebuilt, with the command that does it.
func indexError(what string, err error, dataDir string) error {
	if index.NeedsRebuild(err) {
		return fmt.Errorf("%s: %w (rebuild it from the archive with 'folio --data %s reindex')", what, err, dataDir)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// setup gives a command its logger and configuration, from the global
// flags.
func (g *globalOpts) setup() (*slog.Logger, *config.Config, error) {
	log, err := g.logger()
	if err != nil {
		return nil, nil, err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return nil, nil, err
	}
	return log, cfg, nil
}

// readArchive is setup, then the archive opened for reading, for the
// commands that only read it.
func (g *globalOpts) readArchive() (*config.Config, *archive.Store, error) {
	log, cfg, err := g.setup()
	if err != nil {
		return nil, nil, err
	}
	st, err := openArchiveReadOnly(cfg.ArchiveLocation(), log)
	if err != nil {
		return nil, nil, err
	}
	return cfg, st, nil
}

// damagedArchive is the message of every command that meets a damaged
// archive file (archive.IsDamaged), whatever it was reading.
func damagedArchive(dataDir string, err error) error {
	return fmt.Errorf("the archive %s is damaged and cannot be read in full; 'folio --data %s check' reports the damage; "+
		"restore the archive from a backup or an export (folio import), or save what is readable with sqlite3's .recover: %w",
		filepath.Join(dataDir, archive.FileName), dataDir, err)
}

// checkArchive is archive.Store.Check's quick check, for the commands that
// read the whole archive (export, reindex, stats): they would otherwise
// succeed on a damaged file whenever its damage lies where they do not read.
func checkArchive(ctx context.Context, st *archive.Store) error {
	return st.Check(ctx, false)
}

// loadConfig reads the config that --config and --data name (config.Load):
// its errors are usage errors.
func loadConfig(g *globalOpts) (*config.Config, error) {
	cfg, err := config.Load(g.configFile, g.dataDir)
	if err != nil {
		return nil, &usageError{err: err}
	}
	// The flag outranks the environment, which outranks the file.
	for _, o := range []struct{ name, value string }{{"--archive", g.archive}, {"FOLIO_ARCHIVE", os.Getenv("FOLIO_ARCHIVE")}} {
		if o.value == "" {
			continue
		}
		if err := config.CheckArchive(o.value); err != nil {
			return nil, usageErrorf("%s: %v", o.name, err)
		}
		cfg.Archive = o.value
		break
	}
	g.archiveLoc = cfg.Archive
	return cfg, nil
}
