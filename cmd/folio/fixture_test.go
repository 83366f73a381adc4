package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"folio/internal/testsite/wpsite"
)

// crawledSites are test sites crawled once for all the tests that only
// read what a crawl archived, by number of articles; each test gets a copy
// of the data directory. Their servers and directories last until the
// test process ends (closeCrawledSites).
var crawledSites struct {
	mu    sync.Mutex
	sites map[int]*crawledSite
}

type crawledSite struct {
	once    sync.Once
	site    *wpsite.Site
	srv     *httptest.Server
	base    string
	dataDir string // the crawl's, never written after
	err     error
}

// sharedCrawl returns a test environment whose data directory holds a
// crawl of the test site of that many articles, the site (which the test
// must not change, nor read the request counters of) and its base URL.
func sharedCrawl(t *testing.T, articles int) (*testEnv, *wpsite.Site, string) {
	t.Helper()
	crawledSites.mu.Lock()
	if crawledSites.sites == nil {
		crawledSites.sites = map[int]*crawledSite{}
	}
	c := crawledSites.sites[articles]
	if c == nil {
		c = &crawledSite{}
		crawledSites.sites[articles] = c
	}
	crawledSites.mu.Unlock()
	c.once.Do(func() { c.err = c.crawl(articles) })
	if c.err != nil {
		t.Fatal(c.err)
	}
	env := newTestEnv(t)
	copyDir(t, c.dataDir, env.dataDir)
	return env, c.site, c.base
}

func (c *crawledSite) crawl(articles int) error {
	c.site = wpsite.New(wpsite.Options{Articles: articles})
	c.srv = httptest.NewServer(c.site)
	c.base = c.srv.URL + "/"
	dir, err := os.MkdirTemp("", "folio-test-crawl-")
	if err != nil {
		return err
	}
	c.dataDir = filepath.Join(dir, "data")
	empty := filepath.Join(dir, "empty.yaml")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		return err
	}
	var out bytes.Buffer
	g := &globalOpts{configFile: empty, dataDir: c.dataDir, logLevel: "warn", logFormat: "text", stdout: &out, stderr: &out}
	if err := runCrawl(context.Background(), localCrawl(), g, []string{c.base}); err != nil {
		return fmt.Errorf("crawl %s: %w\n%s", c.base, err, out.String())
	}
	return nil
}

// closeCrawledSites stops the shared sites and removes their crawls.
func closeCrawledSites() {
	crawledSites.mu.Lock()
	defer crawledSites.mu.Unlock()
	for _, c := range crawledSites.sites {
		if c.srv != nil {
			c.srv.Close()
		}
		if c.dataDir != "" {
			os.RemoveAll(filepath.Dir(c.dataDir))
		}
	}
}
