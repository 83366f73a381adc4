// Package testrun sets how the test binaries of folio's slowest packages
// run their parallel tests.
package testrun

import (
	"flag"
	"runtime"
	"strconv"
)

// AtLeastParallel lets n parallel tests run at once, where GOMAXPROCS (the
// default of go test's -parallel) is smaller and no -parallel was given.
// Call it from TestMain before m.Run.
//
// It suits packages whose tests crawl loopback sites, wait for group
// commits and fsyncs, or run child processes: each leaves the CPU idle for
// much of its time, so that on a machine of two cores two at a time leave
// it half idle.
func AtLeastParallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	given := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == "test.parallel" {
			given = true
		}
	})
	if given || runtime.GOMAXPROCS(0) >= n {
		return
	}
	if f := flag.Lookup("test.parallel"); f != nil {
		_ = f.Value.Set(strconv.Itoa(n))
	}
}
