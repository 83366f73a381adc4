package folio_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// allowedImports is docs/design.md's import table: for each package of the
// module, the packages of the module it may import. Stages never import each
// other; only internal/job knows the pipeline order.
var allowedImports = map[string][]string{
	"folio":         {},
	"folio/crawler": {"folio"},
	// The State conformance suite, run against each implementation by the
	// tests of the package that sees it (crawler for MemState, job for the
	// archive).
	"folio/crawler/statetest": {"folio", "folio/crawler"},
	"folio/extract":           {"folio"},
	"folio/archive":           {"folio", "folio/internal/netfault"},
	"folio/index":             {"folio"},
	"folio/internal/job":      {"folio", "folio/crawler", "folio/crawler/redisstate", "folio/extract", "folio/archive", "folio/index", "folio/internal/datadir", "folio/internal/netfault"},
	// The data directory's layout and its one-writer lock, which job's
	// CatchUp takes and cmd/folio's writers hold.
	"folio/internal/datadir": {"folio/archive"},
	// folio schedule's engine: cron, the crawls' shared writer lock, the
	// index's catch-ups.
	"folio/internal/schedule": {"folio/archive", "folio/internal/job", "folio/internal/datadir"},
	// Measures extraction; it decodes pages as the crawler does, and serves
	// the test site for its ground truth.
	"folio/internal/eval": {"folio", "folio/extract", "folio/crawler", "folio/internal/testsite/wpsite"},
	// config.yaml: its sites are job.Sites, their schedules checked by
	// schedule.
	"folio/internal/config": {"folio", "folio/internal/job", "folio/internal/schedule"},
	// What the commands write to a terminal: progress line, colour, text
	// cleaned of control characters.
	"folio/internal/console": {},
	// A file written whole or not at all (export -o).
	"folio/internal/atomicfile": {},
	"folio/cmd/folio":           {"folio", "folio/internal/job", "folio/internal/datadir", "folio/internal/schedule", "folio/internal/eval", "folio/internal/console", "folio/internal/config", "folio/internal/atomicfile", "folio/archive", "folio/index", "folio/web", "folio/internal/testsite/wpsite"},
	// The HTTP server reads the archive and searches the index; it never
	// writes, so it needs no stage but those two.
	"folio/web":                      {"folio", "folio/archive", "folio/index"},
	"folio/internal/testsite":        {"folio/internal/testsite/wpsite"},
	"folio/internal/testsite/wpsite": {},
	// Pages saved from a real WordPress, served as a site for tests.
	"folio/internal/testsite/wpreal": {},
	// The tool scripts/wordpress/build.sh saves those pages with.
	"folio/scripts/wordpress/snapshot": {},
	// Synthetic articles for the benchmarks of index and cmd/folio.
	"folio/internal/synthetic": {"folio"},
	// How the slowest packages' tests run in parallel; imported by tests only.
	"folio/internal/testrun": {},
	// A fresh PostgreSQL schema per test; imported by tests only.
	"folio/internal/pgtest": {},
	// The crawl state several workers share in Redis; like the archive it
	// satisfies crawler.State without importing crawler.
	"folio/crawler/redisstate": {"folio"},
	// Which network errors of opening a server-backed archive or frontier
	// are tried again.
	"folio/internal/netfault": {},
	// A TCP proxy that cuts connections, for the fault tests against the
	// real PostgreSQL and Redis; imported by tests only.
	"folio/internal/faultproxy": {},
	// Private PostgreSQL and Redis servers that fault tests restart;
	// imported by tests only.
	"folio/internal/testservers": {},
	// The shared test Redis, a client and a key prefix per test; imported
	// by tests only.
	"folio/internal/redistest": {},
	// A bytes.Buffer safe for goroutines, the log sink of tests; imported
	// by tests only.
	"folio/internal/syncbuf": {},
}

type listedPackage struct {
	ImportPath string
	Imports    []string
}

// TestLayering holds the code to the import table: a shortcut arrow between
// stages, or a package the table does not know, fails the build.
func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		seen++
		allowed, known := allowedImports[p.ImportPath]
		if !known {
			t.Errorf("package %s is not in the import table of docs/design.md; add it to allowedImports", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if imp != "folio" && !strings.HasPrefix(imp, "folio/") {
				continue
			}
			if !slices.Contains(allowed, imp) {
				t.Errorf("%s imports %s, which docs/design.md's import table forbids", p.ImportPath, imp)
			}
		}
	}
	if seen < len(allowedImports) {
		t.Errorf("go list saw %d packages, the table names %d: a package is missing", seen, len(allowedImports))
	}
}
