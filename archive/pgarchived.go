package archive

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"folio"
)

// On PostgreSQL, asking what is archived of each page the crawler fetches
// was one statement a page, more than all of a crawl's writes. The store
// reads instead what is archived of a site in one statement, the first
// time the crawl asks about one of its URLs, and answers from memory: a URL
// of the site absent from it holds no archived article. A URL this store
// puts is asked of the database again from then on. A page another process
// archives after the site was read is answered as not archived: the crawl
// then fetches it without validators, as it does a new page, and the put
// finds it unchanged. The memory is dropped when the crawl state is read
// again (Frontier) or finished (Finish).

// archivedSites holds what is archived of each site, by URL.
type archivedSites struct {
	mu    sync.Mutex
	sites map[string]*archivedSite
	// stale are the URLs put since the sites were read.
	stale map[string]bool
}

type archivedSite struct {
	once  sync.Once
	err   error
	pages map[string]folio.ArchivedPage
}

// pgSiteArchived is sqlArchived for every URL of a site: the articles of
// the site and those at a URL of its host, and their aliases likewise,
// with the URL each row answers for and its rank (an article's own URL
// outranks an alias, as in sqlArchived).
const pgSiteArchived = `
WITH target AS (
	SELECT url, id, 0 AS rank FROM articles WHERE site = $1 OR lower(url) LIKE ANY ($2::text[])
	UNION ALL
	SELECT al.url, al.article_id, 1 FROM url_aliases al JOIN articles t ON t.id = al.article_id
	WHERE t.site = $1 OR lower(al.url) LIKE ANY ($2::text[])
)
SELECT target.url, target.rank, coalesce(v.etag, ''), coalesce(v.last_modified, ''), a.seen_at, a.fetched_at, a.revision,
	coalesce((SELECT r.fetched_at FROM revisions r WHERE r.article_id = a.id AND r.number = 1), a.fetched_at),
	coalesce(a.record::jsonb ->> 'published', ''), coalesce(a.record::jsonb ->> 'modified', '')
FROM target JOIN articles a ON a.id = target.id
LEFT JOIN validators v ON v.url = target.url`

// pgArchivedCached answers Archived from what is archived of url's site,
// read once; ok is false when the database must be asked.
func (s *Store) pgArchivedCached(ctx context.Context, url string) (a folio.ArchivedPage, ok bool, err error) {
	site := folio.SiteOf(url)
	if site == "" || strings.ContainsAny(site, `%_\`) {
		return a, false, nil
	}
	c := &s.archived
	c.mu.Lock()
	if c.stale[url] {
		c.mu.Unlock()
		return a, false, nil
	}
	if c.sites == nil {
		c.sites = map[string]*archivedSite{}
	}
	as, found := c.sites[site]
	if !found {
		as = &archivedSite{}
		c.sites[site] = as
	}
	c.mu.Unlock()
	as.once.Do(func() { as.pages, as.err = s.readSiteArchived(ctx, site) })
	if as.err != nil {
		c.mu.Lock()
		if c.sites[site] == as {
			delete(c.sites, site) // asked again next time
		}
		c.mu.Unlock()
		return a, false, as.err
	}
	return as.pages[url], true, nil
}

func (s *Store) readSiteArchived(ctx context.Context, site string) (map[string]folio.ArchivedPage, error) {
	// The site's URLs, by any scheme and port.
	pats := []string{"http://" + site + "/%", "http://" + site + ":%", "https://" + site + "/%", "https://" + site + ":%"}
	rows, err := s.read.QueryContext(ctx, pgSiteArchived, site, pats)
	if err != nil {
		return nil, fmt.Errorf("read archived pages of %s: %w", site, err)
	}
	defer rows.Close()
	pages := map[string]folio.ArchivedPage{}
	ranks := map[string]int{}
	for rows.Next() {
		var (
			u    string
			rank int
			r    archivedRow
		)
		if err := rows.Scan(append([]any{&u, &rank}, r.dest()...)...); err != nil {
			return nil, fmt.Errorf("read archived pages of %s: %w", site, err)
		}
		if prev, ok := ranks[u]; ok && prev <= rank {
			continue
		}
		p, err := r.page()
		if err != nil {
			return nil, fmt.Errorf("read archived page %s: %w", u, err)
		}
		pages[u], ranks[u] = p, rank
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read archived pages of %s: %w", site, err)
	}
	return pages, nil
}

// archivedChanged marks urls as put: Archived asks the database for them.
func (s *Store) archivedChanged(urls ...string) {
	c := &s.archived
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stale == nil {
		c.stale = map[string]bool{}
	}
	for _, u := range urls {
		if u != "" {
			c.stale[u] = true
		}
	}
}

// forgetArchived drops what was read of site, or of every site when site
// is "".
func (s *Store) forgetArchived(site string) {
	c := &s.archived
	c.mu.Lock()
	defer c.mu.Unlock()
	if site == "" {
		c.sites, c.stale = nil, nil
		return
	}
	delete(c.sites, site)
}
