package crawler

import (
	"sync"

	"folio"
)

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
	// known is what the archive holds of the URL, for an item put off
	// until the run has read what the site says of its pages (see
	// frontier.putOff); nil otherwise.
	known *folio.ArchivedPage
	// late marks an item handed out from the put-off lane.
	late bool
	// batch gathers, in a shared crawl, the links and done marks that
	// handling the item makes, sent in one Update when it ends (see
	// sharedQueue); nil in a crawl of one process, whose State takes
	// each at once.
	batch *batch
}

// workQueue is where a run's workers take their URLs from: the frontier of
// this process, or a sharedQueue that leases them from a frontier several
// processes share. push queues a URL the run has just enqueued in its
// State (the shared queue leaves that to the shared frontier); the other
// methods are the frontier's, below.
type workQueue interface {
	push(it item)
	putOff(it item)
	pop() (item, bool)
	done(it item)
	requeue(it item)
	close()
	len() int
	reachedLimit() bool
}

var (
	_ workQueue = (*frontier)(nil)
	_ workQueue = (*sharedQueue)(nil)
)

// frontier is the run's work queue: a FIFO, so that pages near the seeds
// (the newest articles, the first listing pages) are fetched before deep
// ones. It holds plain values, never a goroutine per URL, and knows when the
// crawl is over: nothing queued and nothing in flight that could queue more.
//
// A second lane holds the items put off: archived pages whose fetch depends
// on what the run's feeds, sitemaps and listings say of them. It is served
// only while the first lane is empty and none of its items is in flight,
// that is once every page that could add to it has been handled.
type frontier struct {
	mu         sync.Mutex
	cond       *sync.Cond
	queue      []item
	head       int
	later      []item
	laterHead  int
	active     int // items of the first lane in flight
	activeLate int // items of the put-off lane in flight
	popped     int
	limit      int // most items handed out; 0 for no limit
	closed     bool
	limited    bool
}

func newFrontier(limit int) *frontier {
	f := &frontier{limit: limit}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *frontier) push(it item) {
	it.late = false
	f.mu.Lock()
	f.queue = append(f.queue, it)
	f.mu.Unlock()
	f.cond.Signal()
}

// putOff queues an item taken from the first lane in the put-off lane. It
// counts once against the limit, where it was first taken. Call it before
// done.
func (f *frontier) putOff(it item) {
	f.mu.Lock()
	f.later = append(f.later, it)
	f.mu.Unlock()
	f.cond.Signal()
}

// pop waits for the next item. It reports false when the crawl is over, was
// stopped by close, or reached its limit; each true must be matched by a
// call to done with the item once it has been handled.
func (f *frontier) pop() (item, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		switch {
		case f.closed:
			return item{}, false
		case f.head < len(f.queue):
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
		case f.active == 0 && f.laterHead < len(f.later):
			it := f.later[f.laterHead]
			f.later[f.laterHead] = item{}
			f.laterHead++
			if f.laterHead > 1024 && f.laterHead*2 > len(f.later) {
				f.later = append([]item(nil), f.later[f.laterHead:]...)
				f.laterHead = 0
			}
			it.late = true
			f.activeLate++
			return it, true
		case f.active == 0 && f.activeLate == 0:
			return item{}, false // nothing queued, nothing in flight
		}
		f.cond.Wait()
	}
}

func (f *frontier) done(it item) {
	f.mu.Lock()
	if it.late {
		f.activeLate--
	} else {
		f.active--
	}
	// Waiters may take from the put-off lane once the first lane is idle,
	// or learn that the crawl is over.
	wake := f.active == 0
	f.mu.Unlock()
	if wake {
		f.cond.Broadcast()
	}
}

// requeue puts back at the tail an item taken out but not handled yet; it
// does not count against the limit. Call it before done.
func (f *frontier) requeue(it item) {
	f.mu.Lock()
	it.late = false
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
	return len(f.queue) - f.head + len(f.later) - f.laterHead
}

// reachedLimit reports whether the run stopped because of its page limit.
func (f *frontier) reachedLimit() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.limited
}
