package crawler

import (
	"os"
	"testing"

	"folio/internal/testrun"
)

func TestMain(m *testing.M) {
	testrun.AtLeastParallel(4)
	os.Exit(m.Run())
}
