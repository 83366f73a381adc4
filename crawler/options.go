package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// DefaultContact is the address the default User-Agent gives for the people
// running folio; set Options.Contact to your own.
const DefaultContact = "https://example.invalid/folio"

// Options are the crawl settings of one site. Their yaml tags are the config
// keys of a site (docs/design.md). A zero field means its default, filled by
// WithDefaults; Delay and Retries are pointers because zero is a meaningful
// value for them (no delay, no retries) and must be told apart from absent.
type Options struct {
	// UserAgent is sent with every request and matched against robots.txt
	// groups. Default: "folio/0.1 (+Contact)".
	UserAgent string `yaml:"user_agent"`
	// Contact is the URL (or mailto:) put in the default User-Agent so that a
	// webmaster can reach whoever runs the crawl.
	Contact string `yaml:"contact"`
	// Concurrency is the number of requests in flight per host. Default 2.
	Concurrency int `yaml:"concurrency"`
	// Delay is the least time between the starts of two requests to one
	// host. Default 1s; 0 turns it off (local sites). A larger Crawl-delay
	// in robots.txt wins.
	Delay *time.Duration `yaml:"delay"`
	// RandomDelay adds up to this much, at random, to each Delay.
	RandomDelay time.Duration `yaml:"random_delay"`
	// Timeout bounds one request, from dialling to the last byte. Default 30s.
	Timeout time.Duration `yaml:"timeout"`
	// ConnectTimeout bounds dialling. Default 10s.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// Retries is how many times a request that failed with a timeout, a
	// connection error, a 5xx or a 429 is tried again. Default 3; 0 for none.
	Retries *int `yaml:"retries"`
	// RetryBackoff is the wait before the first retry; it doubles on each
	// further one, with jitter. Default 1s.
	RetryBackoff time.Duration `yaml:"retry_backoff"`
	// MaxCrawlDelay caps the Crawl-delay a robots.txt asks for: a larger
	// one is lowered to it, and the log says so. Default 60s.
	MaxCrawlDelay time.Duration `yaml:"max_crawl_delay"`
	// MaxRetryAfter is the longest Retry-After the crawler waits for; a host
	// asking for more is given up on for that URL. Default 10m.
	MaxRetryAfter time.Duration `yaml:"max_retry_after"`
	// MaxDepth is the most links followed from a seed; 0 means no limit.
	MaxDepth int `yaml:"max_depth"`
	// MaxPages is the most URLs taken from the frontier in one run; 0 means
	// no limit. A run stopped by it leaves its frontier for the next run to
	// resume, and does not call State.Finish.
	MaxPages int `yaml:"max_pages"`
	// MaxBodyBytes caps a response body, after decompression. Larger bodies
	// are not handed on. Default 10 MiB.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// MaxURLLength caps the length of a URL the crawler follows. Default 2048.
	MaxURLLength int `yaml:"max_url_length"`
	// AllowedHosts are hosts (host or host:port) followed besides the hosts
	// of the seeds.
	AllowedHosts []string `yaml:"allowed_hosts"`
	// TrackingParams are query parameters dropped from URLs, added to
	// DefaultTrackingParams. An entry ending in "*" is a prefix.
	TrackingParams []string `yaml:"tracking_params"`
	// IgnoreRobots turns off robots.txt. Only for sites you own.
	IgnoreRobots bool `yaml:"ignore_robots"`
	// AllowPrivate lets the crawl reach loopback and private addresses.
	// Without it such addresses are refused when dialling, except the
	// host:port of a seed that is itself such an address. Link-local and
	// cloud-metadata addresses are refused either way, unless a seed names
	// them (see dialPolicy).
	AllowPrivate bool `yaml:"allow_private"`
	// TrapMaxQueryVariants caps the distinct query strings followed for one
	// path (faceted and session-id URLs). Default 10.
	TrapMaxQueryVariants int `yaml:"trap_max_query_variants"`
	// TrapMaxPerPattern caps the URLs followed per path pattern (the path
	// with digit runs folded, plus the query's parameter names). Default
	// 5000.
	TrapMaxPerPattern int `yaml:"trap_max_per_pattern"`
	// TrapMaxBarren is how many pages in a row may lead to nothing but
	// look-alike URLs (calendars, endless pagination) before the crawler
	// stops following them. Default 2.
	TrapMaxBarren int `yaml:"trap_max_barren"`

	// Recheck is when an archived article of a site that sends neither
	// ETag nor Last-Modified is fetched again (see Recheck).
	Recheck Recheck `yaml:"recheck"`

	// Now is the clock: fetch times and the Recheck schedule read it.
	// Default time.Now.
	Now func() time.Time `yaml:"-"`
}

// RunOptions are what the caller of one run asks of it beside the site's
// Options: choices of the command line and hooks, never config keys. The
// zero RunOptions is an incremental run that reports nothing as it goes.
type RunOptions struct {
	// Full ignores what is known of archived pages, so that every page is
	// fetched in full rather than conditionally or on the Recheck schedule.
	Full bool
	// OnProgress, when set, receives the counts so far after each URL is
	// handled. Calls are serialised; keep it quick.
	OnProgress func(Stats)
	// Shared, when set, makes the run one of several processes sharing
	// the crawl: its URLs are leased from Shared.Frontier rather than
	// taken from this process's frontier, and its requests to a host are
	// spaced over all of them (see Shared).
	Shared *Shared
}

// WithDefaults returns o with every unset field at its default.
func (o Options) WithDefaults() Options {
	if o.Contact == "" {
		o.Contact = DefaultContact
	}
	if o.UserAgent == "" {
		o.UserAgent = "folio/0.1 (+" + o.Contact + ")"
	}
	if o.Concurrency == 0 {
		o.Concurrency = 2
	}
	if o.Delay == nil {
		d := time.Second
		o.Delay = &d
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.Retries == nil {
		r := 3
		o.Retries = &r
	}
	if o.RetryBackoff == 0 {
		o.RetryBackoff = time.Second
	}
	if o.MaxRetryAfter == 0 {
		o.MaxRetryAfter = 10 * time.Minute
	}
	if o.MaxCrawlDelay == 0 {
		o.MaxCrawlDelay = time.Minute
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = 10 << 20
	}
	if o.MaxURLLength == 0 {
		o.MaxURLLength = 2048
	}
	if o.TrapMaxQueryVariants == 0 {
		o.TrapMaxQueryVariants = 10
	}
	if o.TrapMaxPerPattern == 0 {
		o.TrapMaxPerPattern = 5000
	}
	if o.TrapMaxBarren == 0 {
		o.TrapMaxBarren = 2
	}
	o.Recheck = o.Recheck.withDefaults()
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Validate reports every field that holds a value the crawler cannot use,
// each by its config key ("concurrency: 0 is not between 1 and 64"). Call it
// after WithDefaults.
func (o Options) Validate() error {
	var errs []error
	bad := func(key string, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if strings.TrimSpace(o.UserAgent) == "" {
		bad("user_agent", "must not be empty")
	}
	if strings.ContainsAny(o.UserAgent, "\r\n") {
		bad("user_agent", "must be one line")
	}
	if o.Concurrency < 1 || o.Concurrency > 64 {
		bad("concurrency", "%d is not between 1 and 64", o.Concurrency)
	}
	if o.Delay == nil {
		bad("delay", "unset (call WithDefaults first)")
	} else if *o.Delay < 0 {
		bad("delay", "%s is negative", *o.Delay)
	}
	if o.RandomDelay < 0 {
		bad("random_delay", "%s is negative", o.RandomDelay)
	}
	if o.Timeout <= 0 {
		bad("timeout", "%s is not positive", o.Timeout)
	}
	if o.ConnectTimeout <= 0 {
		bad("connect_timeout", "%s is not positive", o.ConnectTimeout)
	}
	if o.Retries == nil {
		bad("retries", "unset (call WithDefaults first)")
	} else if *o.Retries < 0 || *o.Retries > 20 {
		bad("retries", "%d is not between 0 and 20", *o.Retries)
	}
	if o.RetryBackoff < 0 {
		bad("retry_backoff", "%s is negative", o.RetryBackoff)
	}
	if o.MaxCrawlDelay < 0 {
		bad("max_crawl_delay", "%s is negative", o.MaxCrawlDelay)
	}
	if o.MaxRetryAfter < 0 {
		bad("max_retry_after", "%s is negative", o.MaxRetryAfter)
	}
	if o.MaxDepth < 0 {
		bad("max_depth", "%d is negative", o.MaxDepth)
	}
	if o.MaxPages < 0 {
		bad("max_pages", "%d is negative", o.MaxPages)
	}
	if o.MaxBodyBytes < 1024 {
		bad("max_body_bytes", "%d is less than 1024", o.MaxBodyBytes)
	}
	if o.MaxURLLength < 64 {
		bad("max_url_length", "%d is less than 64", o.MaxURLLength)
	}
	for i, h := range o.AllowedHosts {
		if _, err := normaliseHost(h); err != nil {
			bad(fmt.Sprintf("allowed_hosts[%d]", i), "%v", err)
		}
	}
	for i, p := range o.TrackingParams {
		if strings.TrimSpace(p) == "" || p == "*" {
			bad(fmt.Sprintf("tracking_params[%d]", i), "%q would drop every parameter or none", p)
		}
	}
	if o.TrapMaxQueryVariants < 1 {
		bad("trap_max_query_variants", "%d is less than 1", o.TrapMaxQueryVariants)
	}
	if o.TrapMaxPerPattern < 1 {
		bad("trap_max_per_pattern", "%d is less than 1", o.TrapMaxPerPattern)
	}
	if o.TrapMaxBarren < 1 {
		bad("trap_max_barren", "%d is less than 1", o.TrapMaxBarren)
	}
	if err := o.Recheck.validate(); err != nil {
		errs = append(errs, fmt.Errorf("recheck: %w", err))
	}
	return errors.Join(errs...)
}

// normaliseHost turns an allowed_hosts entry ("Example.fr", "127.0.0.1:8080",
// or a whole URL) into the host key the crawler scopes by.
func normaliseHost(h string) (string, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return "", errors.New("empty host")
	}
	raw := h
	if !strings.Contains(h, "://") {
		raw = "http://" + h + "/"
	}
	c, err := Canonicalize(raw, nil, nil)
	if err != nil {
		return "", fmt.Errorf("host %q: %w", h, err)
	}
	u, _ := url.Parse(c)
	// A default port in an entry means the same host as no port, whatever
	// the scheme of the URLs it will be compared with.
	host := strings.TrimSuffix(strings.TrimSuffix(u.Host, ":80"), ":443")
	return host, nil
}
