package index

import (
	"errors"
	"fmt"
	"testing"
)

func TestNeedsRebuild(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{ErrCorrupt, true},
		{fmt.Errorf("open index: %w", ErrCorrupt), true},
		{fmt.Errorf("open index: %w", &VersionError{Dir: "d", Have: 1, Want: 2}), true},
		{ErrLocked, false},
		{ErrNotFound, false},
		{errors.New("disk full"), false},
	} {
		if got := NeedsRebuild(tt.err); got != tt.want {
			t.Errorf("NeedsRebuild(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
