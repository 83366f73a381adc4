package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"folio/archive"
	"folio/internal/console"
)

// globalOpts are the flags every command shares, and what they resolve to.
type globalOpts struct {
	configFile string
	dataDir    string
	// archive is --archive: the URL of a PostgreSQL archive, outranking
	// FOLIO_ARCHIVE and the config's archive.
	archive string
	// archiveLoc is where the archive resolved to, once the config is
	// loaded: a URL, or "" for the data directory's.
	archiveLoc string
	logLevel   string
	logFormat  string
	// color is auto, always or never ("": auto).
	color string

	stdout io.Writer
	stderr io.Writer
	// stdin is where `folio import -` reads; nil means os.Stdin.
	stdin io.Reader
}

const rootLong = `folio crawls news and blog sites, turns each article page into a structured
record, keeps the records in a durable archive (SQLite, or PostgreSQL),
indexes them for full-text search (bleve) and exports them as JSON or JSON
Lines.

Data lives in --data (default: data_dir from the config file, else ./folio-data).
The archive is the SQLite database there, unless --archive, $FOLIO_ARCHIVE or
the config's archive key names a PostgreSQL database (postgres://…); the
search index is always in the data directory.
The config file (--config, default ./config.yaml when it exists) lists the
sites to crawl; without one, 'folio crawl URL' crawls URL's site with polite
defaults.

Exit status: 0 success (a crawl that finished with some page errors included),
1 failure, 2 usage or configuration error.`

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalOpts{stdout: stdout, stderr: stderr}
	if st := console.NewStatus(stderr); st != nil {
		// Logs and notes are printed above the progress line.
		g.stderr = st
	}
	root := &cobra.Command{
		Use:           "folio",
		Short:         "Crawl, archive, index and search news and blog articles",
		Long:          rootLong,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErrorf("%v", err) })
	f := root.PersistentFlags()
	f.StringVar(&g.configFile, "config", "", "config file (default ./config.yaml when it exists)")
	f.StringVar(&g.dataDir, "data", "", "data directory (default: data_dir from the config, else ./folio-data)")
	f.StringVar(&g.archive, "archive", "", "URL of a PostgreSQL archive, postgres://… (default: $FOLIO_ARCHIVE, else archive from the config, else SQLite in the data directory)")
	f.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	f.StringVar(&g.logFormat, "log-format", "text", "log format on stderr: text or json")
	f.StringVar(&g.color, "color", "auto", "colour in search hits: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always or never")

	root.AddCommand(
		newCrawlCmd(g),
		newWorkerCmd(g),
		newSearchCmd(g),
		newExportCmd(g),
		newShowCmd(g),
		newExtractCmd(g),
		newDemoCmd(g),
		newReindexCmd(g),
		newReextractCmd(g),
		newStatsCmd(g),
		newImportCmd(g),
		newScheduleCmd(g),
		newServeCmd(g),
		newFollowCmd(g),
		newEvalCmd(g),
		newCheckCmd(g),
		newVersionCmd(),
	)
	// A damaged archive gives one message, whichever command met it.
	for _, c := range root.Commands() {
		if run := c.RunE; run != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				return explainDamage(g, run(cmd, args))
			}
		}
	}
	return root
}

// explainDamage replaces an error that says the archive is damaged with
// damagedArchive's message.
func explainDamage(g *globalOpts, err error) error {
	if err == nil || !archive.IsDamaged(err) {
		return err
	}
	dataDir := g.dataDir
	if cfg, cerr := loadConfig(g); cerr == nil {
		dataDir = cfg.DataDir
	}
	return damagedArchive(dataDir, err)
}

const version = "0.1.0"

// logger builds the one slog handler of the process; logs go to stderr.
func (g *globalOpts) logger() (*slog.Logger, error) {
	switch g.color {
	case "", "auto", "always", "never":
	default:
		return nil, usageErrorf("--color %q: want auto, always or never", g.color)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, usageErrorf("--log-level %q: want debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch g.logFormat {
	case "text":
		h = slog.NewTextHandler(g.stderr, opts)
	case "json":
		h = slog.NewJSONHandler(g.stderr, opts)
	default:
		return nil, usageErrorf("--log-format %q: want text or json", g.logFormat)
	}
	// bleve's scorch writes some failures with the standard log package
	// ("unable to load snapshot ..., continuing" on a damaged index), in
	// neither format; the errors they lead to are reported, so they are
	// kept for --log-level debug.
	log.SetOutput(slog.NewLogLogger(h, slog.LevelDebug).Writer())
	log.SetFlags(0)
	return slog.New(h), nil
}

// usageError marks a mistake in how folio was called or configured: exit 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// exitCode maps an error to folio's exit status: 0 success, 1 failure, 2
// usage or configuration error.
func exitCode(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		return 2
	case isCobraUsage(err):
		return 2
	default:
		return 1
	}
}

// isCobraUsage recognises the errors cobra returns for unknown commands and
// wrong argument counts, which it does not type.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, prefix := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

// reportError prints err (if any) on stderr and returns the exit status.
// A usage error points at the help of the command that refused it, since
// that is where the flag or argument it names is described.
func reportError(stderr io.Writer, cmd *cobra.Command, err error) int {
	code := exitCode(err)
	if err != nil {
		fmt.Fprintf(stderr, "folio: %v\n", err)
		if code == 2 {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", helpCommand(cmd))
		}
	}
	return code
}

// helpCommand is the command line whose --help describes cmd: "folio show",
// or "folio" when no subcommand was reached.
func helpCommand(cmd *cobra.Command) string {
	if cmd == nil {
		return "folio"
	}
	return cmd.CommandPath()
}

// oneArg accepts exactly one argument, what names it ("a URL or an id"),
// and says so in a usage error: "show needs a URL or an id".
func oneArg(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch len(args) {
		case 1:
			return nil
		case 0:
			return usageErrorf("%s needs %s", cmd.Name(), what)
		default:
			return usageErrorf("%s takes one argument, %s; got %d: %s", cmd.Name(), what, len(args), quoteArgs(args))
		}
	}
}

// noArgs refuses any argument with a usage error that names it, rather
// than cobra's "unknown command".
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return usageErrorf("%s takes no arguments; got %s", cmd.Name(), quoteArgs(args))
}

// quoteArgs lists args quoted, as a user would type them.
func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return strings.Join(q, " ")
}

// plural is "1 match" or "n matches".
func plural[N ~int | ~int64 | ~uint64](n N, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print folio's version (as --version does)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "folio version %s\n", version)
			return nil
		},
	}
}

// colorOn tells whether output to w gets colour, as --color says: always,
// never, or (auto) on a terminal unless NO_COLOR is set or TERM is dumb.
func (g *globalOpts) colorOn(w io.Writer) bool {
	return console.UseColor(g.color, os.Getenv, console.IsTerminal(w))
}
