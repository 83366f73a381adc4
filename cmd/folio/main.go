// Command folio crawls news and blog sites, archives their articles as
// structured records, indexes them for full-text search, and exports them.
// See README.md for a tour and docs/design.md for the architecture.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	cmd, err := newRootCmd(os.Stdout, os.Stderr).ExecuteContextC(ctx)
	stop()
	os.Exit(reportError(os.Stderr, cmd, err))
}
