package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestShippedConfigIsValid(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse("config.yaml", data)
	if err != nil {
		t.Fatalf("the shipped config.yaml does not load: %v", err)
	}
	if len(cfg.Sites) != 1 || cfg.Sites[0].Name != "radio-exemple" {
		t.Fatalf("sites = %+v, want the one documented site", cfg.Sites)
	}
	s := cfg.Sites[0]
	if s.Crawl.Concurrency != 2 || s.Crawl.Delay == nil || s.Crawl.Delay.Seconds() != 1 {
		t.Errorf("crawl settings not read: concurrency %d, delay %v", s.Crawl.Concurrency, s.Crawl.Delay)
	}
	if s.Rules.TimeZone != "Europe/Paris" || s.Rules.Body == "" {
		t.Errorf("rules not defaulted: time zone %q, body %q", s.Rules.TimeZone, s.Rules.Body)
	}
}

func TestConfigErrorsNameFileLineAndField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{
			name: "unknown top-level key",
			yaml: "data_dir: d\nsitez: []\n",
			want: []string{"bad.yaml", "line 2", "sitez"},
		},
		{
			name: "typo in a crawl key",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    crawl:\n      concurency: 4\n",
			want: []string{"bad.yaml", "line 4", "concurency"},
		},
		{
			name: "no start URL",
			yaml: "sites:\n  - name: a\n",
			want: []string{"bad.yaml:2", "sites[0] (a)", "start_urls"},
		},
		{
			name: "start URL not http",
			yaml: "sites:\n  - start_urls: [ftp://a.example/]\n",
			want: []string{"sites[0]", "start_urls[0]", "ftp://a.example/"},
		},
		{
			name: "bad cron expression",
			yaml: "sites:\n  - name: a\n    start_urls: [https://a.example/]\n  - name: b\n    start_urls: [https://b.example/]\n    schedule: \"every day\"\n",
			want: []string{"bad.yaml:6", "sites[1] (b)", "schedule", "every day"},
		},
		{
			name: "schedule every 0s",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    schedule: \"@every 0s\"\n",
			want: []string{"bad.yaml:3", "schedule", "@every 0s", "1m0s"},
		},
		{
			name: "schedule under a minute",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    schedule: \"@every 59s\"\n",
			want: []string{"schedule", "@every 59s", "1m0s"},
		},
		{
			name: "bad schedule time zone",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    schedule: \"@hourly\"\n    schedule_time_zone: Mars/Olympus\n",
			want: []string{"schedule_time_zone", "Mars/Olympus"},
		},
		{
			name: "bad selector",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    rules:\n      title: \"h1[\"\n",
			want: []string{"rules", "title"},
		},
		{
			name: "bad rules time zone",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    rules:\n      time_zone: Nowhere/Land\n",
			want: []string{"rules", "time_zone", "Nowhere/Land"},
		},
		{
			name: "negative concurrency",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    crawl:\n      concurrency: -1\n",
			want: []string{"crawl", "concurrency"},
		},
		{
			name: "duplicate names",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n  - start_urls: [https://a.example/other/]\n",
			want: []string{"sites[1] (a.example)", "already used by sites[0]"},
		},
		{
			name: "unknown site key, in words",
			yaml: "sites:\n  - name: x\n    start_url: [https://a.example/]\n",
			want: []string{`unknown key start_url in site "x" (bad.yaml line 3); did you mean start_urls?`},
		},
		{
			name: "unknown crawl key of an unnamed site",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    crawl:\n      dealy: 2s\n",
			want: []string{`unknown key crawl.dealy in site "a.example" (bad.yaml line 4); did you mean delay?`},
		},
		{
			name: "unknown top-level key, nothing near",
			yaml: "proxy: x\n",
			want: []string{`unknown key proxy (bad.yaml line 1); the keys here are archive, data_dir, frontier, sites`},
		},
		{
			name: "a frontier that is not Redis",
			yaml: "frontier: postgres://db.example/folio\n",
			want: []string{`config bad.yaml:1: frontier: "postgres://db.example/folio" is not a Redis URL`},
		},
		{
			name: "not a duration",
			yaml: "sites:\n  - start_urls: [https://a.example/]\n    crawl:\n      timeout: soon\n",
			want: []string{`crawl.timeout in site "a.example" (bad.yaml line 4): "soon" is not a duration`},
		},
		{
			name: "not a number",
			yaml: "sites:\n  - name: x\n    start_urls: [https://a.example/]\n    crawl:\n      concurrency: four\n",
			want: []string{`crawl.concurrency in site "x" (bad.yaml line 5): want a whole number, not "four"`},
		},
		{
			name: "a start URL alone, not a list",
			yaml: "sites:\n  - name: x\n    start_urls: https://a.example/\n",
			want: []string{`start_urls in site "x" (bad.yaml line 3): want a list, as in [https://a.example/]`},
		},
		{
			name: "not YAML",
			yaml: "sites: [\n",
			want: []string{"bad.yaml", "line"},
		},
		{
			name: "an archive of an unknown scheme",
			yaml: "data_dir: d\narchive: mysql://u:secret@db.example/folio\n",
			want: []string{`config bad.yaml:2: archive: unknown scheme "mysql": want postgres:// or postgresql://`},
		},
		{
			name: "an archive that is no URL",
			yaml: "archive: /var/lib/folio\n",
			want: []string{`config bad.yaml:1: archive: "/var/lib/folio" is not a URL`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// TestConfigBareSeconds: a bare number is seconds wherever a duration is
// read ("delay: 0", as the README offers it).
func TestConfigBareSeconds(t *testing.T) {
	t.Parallel()
	cfg, err := Parse("c.yaml", []byte(`sites:
  - start_urls: [https://a.example/]
    crawl:
      delay: 0
      random_delay: 0.5
      timeout: 30
      connect_timeout: 5s
      retry_backoff: 2
      max_crawl_delay: 90
      max_retry_after: 600
      recheck:
        min: 3600
        max: 720h
`))
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Sites[0].Crawl
	for _, tt := range []struct {
		name      string
		got, want time.Duration
	}{
		{"delay", *c.Delay, 0},
		{"random_delay", c.RandomDelay, 500 * time.Millisecond},
		{"timeout", c.Timeout, 30 * time.Second},
		{"connect_timeout", c.ConnectTimeout, 5 * time.Second},
		{"retry_backoff", c.RetryBackoff, 2 * time.Second},
		{"max_crawl_delay", c.MaxCrawlDelay, 90 * time.Second},
		{"max_retry_after", c.MaxRetryAfter, 10 * time.Minute},
		{"recheck.min", c.Recheck.Min, time.Hour},
		{"recheck.max", c.Recheck.Max, 720 * time.Hour},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestConfigFileAndDataDirResolution(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "conf.yaml")
	if err := os.WriteFile(cfgPath, []byte("data_dir: archive-here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		file    string
		dataDir string
		wantDir string
		wantErr string
	}{
		{name: "no file at all", wantDir: DefaultDataDir},
		{name: "data_dir relative to the file", file: cfgPath, wantDir: filepath.Join(dir, "archive-here")},
		{name: "--data wins", file: cfgPath, dataDir: "/x/y", wantDir: "/x/y"},
		{name: "explicit missing file", file: filepath.Join(dir, "nope.yaml"), wantErr: "nope.yaml"},
	}
	t.Chdir(t.TempDir()) // no ./config.yaml here
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(tt.file, tt.dataDir)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want an error naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.DataDir != tt.wantDir {
				t.Errorf("data dir = %q, want %q", cfg.DataDir, tt.wantDir)
			}
		})
	}
}

func TestScheduleEntriesNeedASchedule(t *testing.T) {
	t.Parallel()
	cfg, err := Parse("sites.yaml", []byte("sites:\n  - start_urls: [https://radio.example/]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = cfg.ScheduleEntries(); err == nil || !strings.Contains(err.Error(), "nothing to schedule (config sites.yaml)") {
		t.Errorf("error %v: want one naming the config", err)
	}
}

func TestSiteFor(t *testing.T) {
	t.Parallel()
	cfg, err := Parse("c.yaml", []byte("sites:\n  - name: radio\n    start_urls: [https://radio.example/, https://radio.example/feed/]\n    crawl: {concurrency: 3}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		raw, wantName string
		concurrency   int
	}{
		{"https://radio.example/2022/11/07/x/", "radio", 3},
		{"https://RADIO.example/a/", "radio", 3},
		{"https://other.example/", "", 0},
		{"not a url", "", 0},
	} {
		s := cfg.SiteFor(tt.raw)
		if s.Name != tt.wantName || s.Crawl.Concurrency != tt.concurrency || len(s.StartURLs) != 1 || s.StartURLs[0] != tt.raw {
			t.Errorf("SiteFor(%q) = name %q, concurrency %d, start URLs %v; want %q, %d, [%s]",
				tt.raw, s.Name, s.Crawl.Concurrency, s.StartURLs, tt.wantName, tt.concurrency, tt.raw)
		}
	}
	if cfg.Sites[0].StartURLs[1] != "https://radio.example/feed/" {
		t.Errorf("SiteFor changed the config's site: %v", cfg.Sites[0].StartURLs)
	}
}
