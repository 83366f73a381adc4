package job

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"folio"
	"folio/crawler"
	"folio/extract"
)

// Site is one site to crawl, as config.yaml describes it. The crawl and rules
// sections are the stages' own option structs: their yaml tags are the config
// keys.
type Site struct {
	// Name identifies the site in the config, in logs and in run history.
	// Default: the host of the first start URL.
	Name string `yaml:"name"`
	// StartURLs are the seeds of each crawl.
	StartURLs []string `yaml:"start_urls"`
	// Schedule is a cron expression (5 fields, or @every 2h, @hourly…) for
	// folio schedule; empty means the site is crawled only on demand.
	Schedule string `yaml:"schedule"`
	// ScheduleTimeZone is the IANA time zone the schedule is read in;
	// default the machine's local time.
	ScheduleTimeZone string `yaml:"schedule_time_zone"`
	// Crawl are the crawler's settings (politeness, limits, scope).
	Crawl crawler.Options `yaml:"crawl"`
	// Rules are the extraction rules (selectors, time zone, language).
	Rules extract.Rules `yaml:"rules"`
}

// SiteFor returns the site, with defaults, that crawls from rawURL alone: what
// `folio crawl URL` does with no config.
func SiteFor(rawURL string) Site {
	return Site{StartURLs: []string{rawURL}}.WithDefaults()
}

// WithDefaults fills what the config left empty.
func (s Site) WithDefaults() Site {
	if s.Name == "" && len(s.StartURLs) > 0 {
		s.Name = folio.SiteOf(s.StartURLs[0])
	}
	s.Crawl = s.Crawl.WithDefaults()
	s.Rules = s.Rules.WithDefaults()
	return s
}

// Validate reports the first thing wrong with the site, naming the config
// key.
func (s Site) Validate() error {
	if len(s.StartURLs) == 0 {
		return errors.New("start_urls: at least one URL is needed")
	}
	for i, raw := range s.StartURLs {
		if err := checkStartURL(raw); err != nil {
			return fmt.Errorf("start_urls[%d]: %w", i, err)
		}
	}
	if err := s.Crawl.Validate(); err != nil {
		return fmt.Errorf("crawl: %w", err)
	}
	if err := s.Rules.Validate(); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	return nil
}

// checkStartURL accepts absolute http(s) URLs only.
func checkStartURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return fmt.Errorf("%q: want an http:// or https:// URL", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	return nil
}

// CanonicalURL is the spelling of raw under which a crawl of s archives
// the page, and records an old address that redirected to it: fragment and
// tracking parameters dropped (the defaults and s's tracking_params), host
// lower-cased, "/slug" as "/slug/" (crawler.Canonicalize). `folio show`
// looks a URL up by it.
func (s Site) CanonicalURL(raw string) (string, error) {
	return crawler.Canonicalize(raw, nil, append(crawler.DefaultTrackingParams(), s.Crawl.TrackingParams...))
}
