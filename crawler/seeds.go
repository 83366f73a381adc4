package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// ErrNothingReached is wrapped by the error of a Run whose start URLs all
// failed: a crawl that fetched nothing is a failure, not a finished run
// with page errors. errors.As finds the *StartURLsError that carries the
// causes.
var ErrNothingReached = errors.New("no start URL could be fetched")

// StartURLsError is the error of a Run whose start URLs all failed, after
// their retries: no answer (connection refused, DNS, TLS, timeout), an
// HTTP error status, or a robots.txt that could not be read.
type StartURLsError struct {
	Failures []StartURLFailure
}

// StartURLFailure is one start URL and why it could not be fetched.
type StartURLFailure struct {
	URL   string
	Cause string
}

func (e *StartURLsError) Error() string {
	var b strings.Builder
	for i, f := range e.Failures {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s", f.URL, f.Cause)
	}
	return b.String()
}

func (e *StartURLsError) Unwrap() error { return ErrNothingReached }

// seedTracker notes what became of each start URL this run took from the
// frontier. A start URL that was not taken (a resumed run had done it
// already) is neither reached nor failed, so that such a run never counts
// as having reached nothing.
type seedTracker struct {
	mu    sync.Mutex
	order []string
	state map[string]string // canonical start URL → "" pending, seedReached, or the failure's cause
}

const seedReached = "\x00reached"

func newSeedTracker() *seedTracker { return &seedTracker{state: map[string]string{}} }

func (t *seedTracker) add(u string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.state[u]; !ok {
		t.order = append(t.order, u)
		t.state[u] = ""
	}
}

// note records the outcome of u when it is a start URL: cause is empty
// when it was reached. The first outcome stands.
func (t *seedTracker) note(u, cause string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	prev, ok := t.state[u]
	if !ok || prev != "" {
		return
	}
	if cause == "" {
		cause = seedReached
	}
	t.state[u] = cause
}

// err returns a *StartURLsError when every start URL failed, else nil.
func (t *seedTracker) err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var fails []StartURLFailure
	for _, u := range t.order {
		c := t.state[u]
		if c == "" || c == seedReached {
			return nil
		}
		fails = append(fails, StartURLFailure{URL: u, Cause: c})
	}
	if len(fails) == 0 {
		return nil
	}
	return &StartURLsError{Failures: fails}
}

// failureCause words a fetch error for a user: the URL is named beside it,
// so url.Error's "Get "…": " prefix is dropped.
func failureCause(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	// A timeout surfaces as "context deadline exceeded" or as the HTTP
	// client's own wording, depending on which clock fired first; the user
	// is told the same thing either way.
	if errorKind(err) == "timeout" && !strings.HasPrefix(msg, "timeout") {
		msg = "timeout: " + msg
	}
	return msg
}
