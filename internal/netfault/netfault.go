// Package netfault tells apart the errors of reaching a server over the
// network: one that never answered (a name that does not resolve, a dial
// refused or timed out) from one that accepted the connection and dropped
// it (a restart under way, a cut). Opening a PostgreSQL archive or a Redis
// frontier fails at once on the first and tries the second again.
package netfault

import (
	"errors"
	"net"
	"syscall"
)

// NeverAnswered reports an error from before any server answered.
func NeverAnswered(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	// A dial reset by its peer met a server that accepted the connection
	// and dropped it.
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial" && !errors.Is(err, syscall.ECONNRESET)
}
