package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/robfig/cron/v3"

	"go.yaml.in/yaml/v3"

	"folio/internal/job"
)

// defaultConfigFile is read when --config is not given and it exists.
const defaultConfigFile = "config.yaml"

// defaultDataDir is used when neither --data nor data_dir says otherwise.
const defaultDataDir = "folio-data"

// Config is config.yaml: where data lives and which sites to crawl. Each
// site's crawl and rules sections are the stages' own option structs (their
// yaml tags are the keys), reached through job.Site.
type Config struct {
	DataDir string     `yaml:"data_dir"`
	Sites   []job.Site `yaml:"sites"`

	// path is the file the config came from, "" when there was none.
	path string
	// siteLines are the line numbers of each sites[i] entry, for errors.
	siteLines []int
}

// loadConfig reads the config file named by --config, else ./config.yaml
// when it exists, else returns an empty config: folio works with no file.
// Decoding is strict (an unknown key is an error naming file and line);
// defaults are applied, then the result is validated.
func loadConfig(g *globalOpts) (*Config, error) {
	path := g.configFile
	explicit := path != ""
	if !explicit {
		path = defaultConfigFile
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
	case !explicit && errors.Is(err, fs.ErrNotExist):
		return finishConfig(&Config{}, g)
	default:
		return nil, usageErrorf("read config: %v", err)
	}
	cfg, err := parseConfig(path, data)
	if err != nil {
		return nil, err
	}
	return finishConfig(cfg, g)
}

func finishConfig(cfg *Config, g *globalOpts) (*Config, error) {
	switch {
	case g.dataDir != "":
		cfg.DataDir = g.dataDir
	case cfg.DataDir == "":
		cfg.DataDir = defaultDataDir
	case cfg.path != "" && !filepath.IsAbs(cfg.DataDir):
		// A relative data_dir is relative to the config file, so that the
		// same config means the same archive from any working directory.
		cfg.DataDir = filepath.Join(filepath.Dir(cfg.path), cfg.DataDir)
	}
	return cfg, nil
}

// parseConfig decodes, defaults and validates one config file.
func parseConfig(path string, data []byte) (*Config, error) {
	cfg := &Config{path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, usageErrorf("config %s: %v", path, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err == nil {
		cfg.siteLines = siteLines(&root)
	}
	names := map[string]int{}
	for i := range cfg.Sites {
		site := cfg.Sites[i].WithDefaults()
		where := cfg.siteRef(i, site.Name)
		if err := site.Validate(); err != nil {
			return nil, usageErrorf("%s: %v", where, err)
		}
		if err := checkSchedule(site); err != nil {
			return nil, usageErrorf("%s: %v", where, err)
		}
		if j, dup := names[site.Name]; dup {
			return nil, usageErrorf("%s: name %q is already used by sites[%d]", where, site.Name, j)
		}
		names[site.Name] = i
		cfg.Sites[i] = site
	}
	return cfg, nil
}

// siteRef names sites[i] in errors: file, line and site name.
func (c *Config) siteRef(i int, name string) string {
	where := c.path
	if i < len(c.siteLines) && c.siteLines[i] > 0 {
		where = fmt.Sprintf("%s:%d", where, c.siteLines[i])
	}
	if name != "" {
		return fmt.Sprintf("config %s: sites[%d] (%s)", where, i, name)
	}
	return fmt.Sprintf("config %s: sites[%d]", where, i)
}

// siteLines finds the line of each item of the top-level "sites" list.
func siteLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "sites" || m.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		var lines []int
		for _, item := range m.Content[i+1].Content {
			lines = append(lines, item.Line)
		}
		return lines
	}
	return nil
}

// site returns the configured site called name.
func (c *Config) site(name string) (job.Site, bool) {
	for _, s := range c.Sites {
		if s.Name == name {
			return s, true
		}
	}
	return job.Site{}, false
}

// checkSchedule validates a site's cron expression and its time zone.
func checkSchedule(s job.Site) error {
	if s.ScheduleTimeZone != "" {
		if _, err := time.LoadLocation(s.ScheduleTimeZone); err != nil {
			return fmt.Errorf("schedule_time_zone %q: %v", s.ScheduleTimeZone, err)
		}
	}
	if s.Schedule == "" {
		return nil
	}
	sched, err := cron.ParseStandard(s.Schedule)
	if err != nil {
		return fmt.Errorf("schedule %q: %v (want 5 fields, minute hour day month weekday, or @hourly, @every 2h…)", s.Schedule, err)
	}
	// "@every 0s" parses (as every second): a crawl of every site one
	// after the other, forever. A cron expression is a minute at least.
	if cd, ok := sched.(cron.ConstantDelaySchedule); ok && cd.Delay < minScheduleInterval {
		return fmt.Errorf("schedule %q: runs less than %s apart (want @every %s or more)", s.Schedule, minScheduleInterval, minScheduleInterval)
	}
	return nil
}

// minScheduleInterval is the shortest @every a schedule may ask for.
const minScheduleInterval = time.Minute
