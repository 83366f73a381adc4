package testrun

import (
	"flag"
	"runtime"
	"strconv"
	"testing"
)

// TestAtLeastParallel runs in this package's own binary, where no
// -parallel is given unless go test was asked for one.
func TestAtLeastParallel(t *testing.T) {
	f := flag.Lookup("test.parallel")
	before := f.Value.String()
	t.Cleanup(func() { _ = f.Value.Set(before) })

	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	n := runtime.GOMAXPROCS(0) + 3
	AtLeastParallel(n)
	want := strconv.Itoa(n)
	if given {
		want = before
	}
	if got := f.Value.String(); got != want {
		t.Errorf("-test.parallel is %s after AtLeastParallel(%d), want %s (given on the command line: %v)", got, n, want, given)
	}

	_ = f.Value.Set(before)
	AtLeastParallel(1)
	if got := f.Value.String(); got != before {
		t.Errorf("AtLeastParallel(1) changed -test.parallel from %s to %s", before, got)
	}
}
