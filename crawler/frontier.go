package crawler

import "sync"

// item is one URL of the run's work queue.
type item struct {
	url   string // canonical
	depth int
	// barren is how many pages in a row, up to this one's parent, led to
	// nothing but look-alike URLs (see trapGuard).
	barren int
	// waits is how many times the item was put back because a redirect
	// to it was being followed.
	waits int
}

// frontier is the run's work queue: a FIFO, so that pages near the seeds
// (the newest articles, the first listing pages) are fetched before deep
// ones. It holds plain values, never a goroutine per URL, and knows when the
// crawl is over: nothing queued and nothing in flight that could queue more.
type frontier struct {
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []item
	head    int
	active  int
	popped  int
	limit   int // most items handed out; 0 for no limit
	closed  bool
	limited bool
}

func newFrontier(limit int) *frontier {
	f := &frontier{limit: limit}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *frontier) push(it item) {
	f.mu.Lock()
	f.queue = append(f.queue, it)
	f.mu.Unlock()
	f.cond.Signal()
}

// pop waits for the next item. It reports false when the crawl is over, was
// stopped by close, or reached its limit; each true must be matched by a
// call to done once the item has been handled.
func (f *frontier) pop() (item, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for !f.closed && f.head == len(f.queue) && f.active > 0 {
		f.cond.Wait()
	}
	if f.closed || f.head == len(f.queue) {
		return item{}, false
	}
	if f.limit > 0 && f.popped >= f.limit {
		f.limited = true
		f.closed = true
		f.cond.Broadcast()
		return item{}, false
	}
	it := f.queue[f.head]
	f.queue[f.head] = item{}
	f.head++
	if f.head > 1024 && f.head*2 > len(f.queue) {
		f.queue = append([]item(nil), f.queue[f.head:]...)
		f.head = 0
	}
	f.active++
	f.popped++
	return it, true
}

func (f *frontier) done() {
	f.mu.Lock()
	f.active--
	idle := f.active == 0 && f.head == len(f.queue)
	f.mu.Unlock()
	if idle {
		f.cond.Broadcast()
	}
}

// requeue puts back at the tail an item taken out but not handled yet; it
// does not count against the limit. Call it before done.
func (f *frontier) requeue(it item) {
	f.mu.Lock()
	f.queue = append(f.queue, it)
	f.popped--
	f.mu.Unlock()
	f.cond.Signal()
}

// close stops handing out items; those in flight finish.
func (f *frontier) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.cond.Broadcast()
}

func (f *frontier) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.queue) - f.head
}

// reachedLimit reports whether the run stopped because of its page limit.
func (f *frontier) reachedLimit() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limited
}
