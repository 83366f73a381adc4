package netfault

import (
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
)

// TestNeverAnswered: which errors of an open fail it at once (no server
// answered) and which are tried again (a server accepted the connection,
// then dropped it).
func TestNeverAnswered(t *testing.T) {
	dial := func(err error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: err}}
	}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"name not found", &net.DNSError{Err: "no such host", Name: "db.invalid", IsNotFound: true}, true},
		{"dial refused", dial(syscall.ECONNREFUSED), true},
		{"dial timed out", dial(os.ErrDeadlineExceeded), true},
		{"dial reset by its peer", dial(syscall.ECONNRESET), false},
		{"read reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, false},
		{"end of stream", io.EOF, false},
		{"wrapped dial refused", fmt.Errorf("failed to connect: %w", dial(syscall.ECONNREFUSED)), true},
	}
	for _, tt := range tests {
		if got := NeverAnswered(tt.err); got != tt.want {
			t.Errorf("%s: NeverAnswered(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}
