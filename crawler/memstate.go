package crawler

import (
	"context"
	"slices"
	"sync"

	"folio"
)

// MemState is a State held in memory, for tests and one-off runs whose
// progress need not outlive the process. It is safe for concurrent use.
type MemState struct {
	mu       sync.Mutex
	crawls   map[string]*memCrawl
	archived map[string]folio.ArchivedPage
}

type memCrawl struct {
	seq     int
	pending map[string]memPending
	done    map[string]bool
}

type memPending struct {
	seq   int
	depth int
}

// NewMemState returns an empty in-memory State. SetArchived and
// SetValidators give it what an archive would know of the pages it holds.
func NewMemState() *MemState {
	return &MemState{crawls: map[string]*memCrawl{}, archived: map[string]folio.ArchivedPage{}}
}

var _ State = (*MemState)(nil)

func (s *MemState) crawl(site string) *memCrawl {
	c := s.crawls[site]
	if c == nil {
		c = &memCrawl{pending: map[string]memPending{}, done: map[string]bool{}}
		s.crawls[site] = c
	}
	return c
}

// Enqueue implements State.
func (s *MemState) Enqueue(_ context.Context, site, url string, depth int) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.crawl(site)
	if _, ok := c.pending[url]; ok || c.done[url] {
		return false, nil
	}
	c.seq++
	c.pending[url] = memPending{seq: c.seq, depth: depth}
	return true, nil
}

// Done implements State.
func (s *MemState) Done(_ context.Context, site, url string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.crawl(site)
	delete(c.pending, url)
	c.done[url] = true
	return nil
}

// Frontier implements State: pending URLs in the order they were enqueued.
func (s *MemState) Frontier(_ context.Context, site string) ([]folio.FrontierURL, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.crawls[site]
	if c == nil {
		return nil, nil
	}
	type entry struct {
		url string
		memPending
	}
	entries := make([]entry, 0, len(c.pending))
	for u, p := range c.pending {
		entries = append(entries, entry{u, p})
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.seq - b.seq })
	out := make([]folio.FrontierURL, len(entries))
	for i, e := range entries {
		out[i] = folio.FrontierURL{URL: e.url, Depth: e.depth}
	}
	return out, nil
}

// Finish implements State.
func (s *MemState) Finish(_ context.Context, site string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.crawls, site)
	return nil
}

// Archived implements State.
func (s *MemState) Archived(_ context.Context, url string) (folio.ArchivedPage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.archived[url], nil
}

// SetArchived records what an archive would know of the article fetched
// from url, as an archive does when it stores a page.
func (s *MemState) SetArchived(url string, a folio.ArchivedPage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.archived[url] = a
}

// SetValidators records the ETag and Last-Modified of a page, as an archive
// does when it stores a capture, so that the next crawl fetches url
// conditionally; what else is known of url is kept.
func (s *MemState) SetValidators(url, etag, lastModified string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.archived[url]
	a.ETag, a.LastModified = etag, lastModified
	s.archived[url] = a
}
