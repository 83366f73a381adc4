package job

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"folio"
	"folio/crawler"
	"folio/extract"
)

// ExtractPage runs extraction alone on page with the site's rules: the
// record `folio extract` prints, stored nowhere.
func ExtractPage(page folio.Page, site Site) (folio.Article, error) {
	return extract.Extract(page, site.WithDefaults().Rules)
}

// ExplainPage is ExtractPage that also says which layer and rule gave each
// field, or why the page is not an article: what `folio extract --explain`
// prints.
func ExplainPage(page folio.Page, site Site) (folio.Article, Explanation, error) {
	return extract.ExtractExplained(page, site.WithDefaults().Rules)
}

// Explanation is extraction's account of a record, for callers that only
// see this package.
type Explanation = extract.Explanation

// ErrNotArticle is extraction's verdict on a page that holds no article,
// for callers that only see this package.
var ErrNotArticle = extract.ErrNotArticle

// FetchPage fetches rawURL as a crawl of site would (robots.txt, User-Agent,
// retries, charset decoding) without following any link or storing anything.
func FetchPage(ctx context.Context, rawURL string, site Site, log *slog.Logger) (folio.Page, error) {
	site.StartURLs = []string{rawURL}
	site = site.WithDefaults()
	if err := site.Validate(); err != nil {
		return folio.Page{}, err
	}
	opts := site.Crawl
	opts.MaxPages = 1
	c, err := crawler.New(opts, crawler.NewMemState(), log)
	if err != nil {
		return folio.Page{}, err
	}
	var (
		mu   sync.Mutex
		page *folio.Page
	)
	stats, err := c.RunStore(ctx, []string{rawURL}, crawler.RunOptions{Full: true}, func(p folio.Page) error {
		mu.Lock()
		defer mu.Unlock()
		if page == nil {
			page = &p
		}
		return nil
	})
	if err != nil {
		return folio.Page{}, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	if page == nil {
		reason := "it is not an HTML page"
		switch {
		case stats.Errors > 0:
			reason = "the fetch failed (" + formatKinds(stats.ErrorsByKind) + ")"
		case stats.SkippedByReason[crawler.SkipRobots] > 0:
			reason = "robots.txt disallows it"
		case stats.Skipped > 0:
			reason = "it was skipped (" + formatKinds(stats.SkippedByReason) + ")"
		}
		return folio.Page{}, fmt.Errorf("fetch %s: %w", rawURL, errors.New(reason))
	}
	return *page, nil
}

func formatKinds[K ~string](m map[K]int) string {
	s := ""
	for k, n := range m {
		if s != "" {
			s += ", "
		}
		s += fmt.Sprintf("%s %d", k, n)
	}
	return s
}

// DecodeHTML decodes a saved HTML document to UTF-8 as the crawler decodes
// fetched pages (see crawler.DecodeHTML).
func DecodeHTML(body []byte) ([]byte, error) {
	return crawler.DecodeHTML(body)
}
