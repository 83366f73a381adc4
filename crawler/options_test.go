package crawler

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

func TestOptionsWithDefaults(t *testing.T) {
	o := Options{}.WithDefaults()
	if o.UserAgent != "folio/0.1 (+https://example.invalid/folio)" {
		t.Errorf("UserAgent = %q", o.UserAgent)
	}
	if o.Concurrency != 2 || *o.Delay != time.Second || *o.Retries != 3 || o.Timeout != 30*time.Second ||
		o.MaxBodyBytes != 10<<20 || o.IgnoreRobots || o.AllowPrivate {
		t.Errorf("defaults = %+v", o)
	}
	if err := o.Validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
	custom := Options{Contact: "mailto:archives@example.fr", Delay: ptr(time.Duration(0)), Retries: ptr(0)}.WithDefaults()
	if custom.UserAgent != "folio/0.1 (+mailto:archives@example.fr)" {
		t.Errorf("UserAgent with contact = %q", custom.UserAgent)
	}
	if *custom.Delay != 0 || *custom.Retries != 0 {
		t.Errorf("explicit zero delay and retries overridden: %s, %d", *custom.Delay, *custom.Retries)
	}
}

func TestOptionsFromYAML(t *testing.T) {
	src := `
user_agent: "archiviste/1.0"
concurrency: 4
delay: 500ms
random_delay: 250ms
timeout: 1m
retries: 0
max_depth: 12
max_pages: 1000
max_body_bytes: 2097152
allowed_hosts: [www.example.fr, "cdn.example.fr:8443"]
tracking_params: [ref, "pk_*"]
ignore_robots: false
allow_private: true
`
	var o Options
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil {
		t.Fatal(err)
	}
	o = o.WithDefaults()
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if o.UserAgent != "archiviste/1.0" || o.Concurrency != 4 || *o.Delay != 500*time.Millisecond ||
		o.RandomDelay != 250*time.Millisecond || o.Timeout != time.Minute || *o.Retries != 0 ||
		o.MaxDepth != 12 || o.MaxPages != 1000 || o.MaxBodyBytes != 2<<20 || !o.AllowPrivate ||
		len(o.AllowedHosts) != 2 || len(o.TrackingParams) != 2 {
		t.Errorf("decoded %+v", o)
	}

	var zero Options
	if err := yaml.Unmarshal([]byte("delay: 0s\n"), &zero); err != nil {
		t.Fatal(err)
	}
	if zero.WithDefaults().Delay == nil || *zero.WithDefaults().Delay != 0 {
		t.Error(`"delay: 0s" did not turn the delay off`)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"concurrency too high", func(o *Options) { o.Concurrency = 65 }, "concurrency: 65"},
		{"negative concurrency", func(o *Options) { o.Concurrency = -1 }, "concurrency"},
		{"negative delay", func(o *Options) { o.Delay = ptr(-time.Second) }, "delay: -1s is negative"},
		{"negative random delay", func(o *Options) { o.RandomDelay = -time.Second }, "random_delay"},
		{"negative max crawl delay", func(o *Options) { o.MaxCrawlDelay = -time.Second }, "max_crawl_delay: -1s is negative"},
		{"negative timeout", func(o *Options) { o.Timeout = -time.Second }, "timeout"},
		{"too many retries", func(o *Options) { o.Retries = ptr(50) }, "retries: 50"},
		{"negative depth", func(o *Options) { o.MaxDepth = -2 }, "max_depth"},
		{"negative pages", func(o *Options) { o.MaxPages = -2 }, "max_pages"},
		{"tiny body cap", func(o *Options) { o.MaxBodyBytes = 10 }, "max_body_bytes"},
		{"bad allowed host", func(o *Options) { o.AllowedHosts = []string{"ok.example", "bad host"} }, "allowed_hosts[1]"},
		{"star tracking param", func(o *Options) { o.TrackingParams = []string{"*"} }, "tracking_params[0]"},
		{"two-line user agent", func(o *Options) { o.UserAgent = "a\nb" }, "user_agent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Options{}.WithDefaults()
			tt.edit(&o)
			err := o.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestNormaliseHost(t *testing.T) {
	tests := map[string]string{
		"Example.FR":               "example.fr",
		"example.fr:443":           "example.fr",
		"example.fr:80":            "example.fr",
		"127.0.0.1:8080":           "127.0.0.1:8080",
		"https://www.example.fr/x": "www.example.fr",
	}
	for in, want := range tests {
		got, err := normaliseHost(in)
		if err != nil || got != want {
			t.Errorf("normaliseHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}
