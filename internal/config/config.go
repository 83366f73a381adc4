// Package config reads config.yaml: where data lives and which sites to
// crawl, each site's sections being the stages' own option structs
// (job.Site). Its errors speak of keys, sites, files and lines, not of Go
// types.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"folio"
	"folio/internal/job"
	"folio/internal/schedule"
)

// DefaultFile is read when no config file is named and it exists.
const DefaultFile = "config.yaml"

// DefaultDataDir is used when neither the caller nor data_dir names one.
const DefaultDataDir = "folio-data"

// Config is config.yaml: where data lives and which sites to crawl. Each
// site's crawl and rules sections are the stages' own option structs (their
// yaml tags are the keys), reached through job.Site.
type Config struct {
	DataDir string `yaml:"data_dir"`
	// Archive, when set, is the URL of a PostgreSQL archive
	// (postgres://…) used in place of the SQLite archive in DataDir; the
	// search index stays in DataDir.
	Archive string `yaml:"archive"`
	// Frontier is the Redis that folio worker processes share their
	// crawls through (redis://host:port/db); FOLIO_FRONTIER and
	// --frontier override it. Empty: no worker can run, and crawl keeps
	// its frontier in the process, as always.
	Frontier string     `yaml:"frontier"`
	Sites    []job.Site `yaml:"sites"`

	// path is the file the config came from, "" when there was none.
	path string
	// siteLines are the line numbers of each sites[i] entry, for errors.
	siteLines []int
}

// Load reads the config file named file, else ./config.yaml when it
// exists, else returns an empty config: folio works with no file.
// Decoding is strict (an unknown key is an error naming file and line);
// defaults are applied, then the result is validated. dataDir, when not
// "", overrides data_dir; a relative data_dir is relative to the file.
// Every error is a mistake in the file or in how it was named.
func Load(file, dataDir string) (*Config, error) {
	path := file
	explicit := path != ""
	if !explicit {
		path = DefaultFile
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
	case !explicit && errors.Is(err, fs.ErrNotExist):
		return finish(&Config{}, dataDir), nil
	default:
		return nil, fmt.Errorf("read config: %v", err)
	}
	cfg, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	return finish(cfg, dataDir), nil
}

func finish(cfg *Config, dataDir string) *Config {
	switch {
	case dataDir != "":
		cfg.DataDir = dataDir
	case cfg.DataDir == "":
		cfg.DataDir = DefaultDataDir
	case cfg.path != "" && !filepath.IsAbs(cfg.DataDir):
		// A relative data_dir is relative to the config file, so that the
		// same config means the same archive from any working directory.
		cfg.DataDir = filepath.Join(filepath.Dir(cfg.path), cfg.DataDir)
	}
	return cfg
}

// Parse decodes, defaults and validates one config file.
func Parse(path string, data []byte) (*Config, error) {
	cfg := &Config{path: path}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("config %s: %v", path, err)
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		// Checked against the types first: unknown keys and wrong kinds of
		// value are reported in words, with their line, and bare numbers
		// of seconds become durations.
		chk := checker{file: path}
		if err := chk.check(root.Content[0], reflect.TypeFor[Config](), "", ""); err != nil {
			return nil, err
		}
		if err := root.Content[0].Decode(cfg); err != nil {
			return nil, fmt.Errorf("config %s: %v", path, err)
		}
		cfg.siteLines = siteLines(&root)
	}
	if cfg.Archive != "" {
		if err := CheckArchive(cfg.Archive); err != nil {
			return nil, fmt.Errorf("config %s:%d: archive: %v", path, topKeyLine(&root, "archive"), err)
		}
	}
	if cfg.Frontier != "" {
		if err := CheckFrontier(cfg.Frontier); err != nil {
			return nil, fmt.Errorf("config %s:%d: frontier: %v", path, topKeyLine(&root, "frontier"), err)
		}
	}
	names := map[string]int{}
	for i := range cfg.Sites {
		site := cfg.Sites[i].WithDefaults()
		where := cfg.siteRef(i, site.Name)
		if err := site.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		if _, err := schedule.NewEntry(site); err != nil {
			// At the line of the key at fault, not of its site.
			var fe *schedule.FieldError
			if errors.As(err, &fe) {
				if line := siteKeyLine(&root, i, fe.Key); line > 0 {
					where = fmt.Sprintf("config %s:%d: sites[%d] (%s)", path, line, i, site.Name)
				}
			}
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		if j, dup := names[site.Name]; dup {
			return nil, fmt.Errorf("%s: name %q is already used by sites[%d]", where, site.Name, j)
		}
		names[site.Name] = i
		cfg.Sites[i] = site
	}
	return cfg, nil
}

// siteKeyLine is the line of key in sites[i], 0 when it is not there.
func siteKeyLine(root *yaml.Node, i int, key string) int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	m := root.Content[0]
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value != "sites" || m.Content[j+1].Kind != yaml.SequenceNode || i >= len(m.Content[j+1].Content) {
			continue
		}
		site := m.Content[j+1].Content[i]
		for k := 0; k+1 < len(site.Content); k += 2 {
			if site.Content[k].Value == key {
				return site.Content[k].Line
			}
		}
	}
	return 0
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

// ArchiveLocation is where the archive is: the URL of Archive when set,
// else DataDir (its SQLite archive).
func (c *Config) ArchiveLocation() string {
	if c.Archive != "" {
		return c.Archive
	}
	return c.DataDir
}

// CheckArchive tells whether loc can name an archive: a postgres:// or
// postgresql:// URL. Its error does not quote a password.
func CheckArchive(loc string) error {
	scheme, rest, ok := strings.Cut(loc, "://")
	switch {
	case !ok:
		return fmt.Errorf("%q is not a URL: want postgres://… (leave archive out for SQLite in the data directory)", loc)
	case !strings.EqualFold(scheme, "postgres") && !strings.EqualFold(scheme, "postgresql"):
		return fmt.Errorf("unknown scheme %q: want postgres:// or postgresql://", scheme)
	case rest == "":
		return fmt.Errorf("%s:// names no server", scheme)
	}
	return nil
}

// topKeyLine is the line of a top-level key, 0 when it is not there.
func topKeyLine(root *yaml.Node, key string) int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return 0
	}
	m := root.Content[0]
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value == key {
			return m.Content[j].Line
		}
	}
	return 0
}

// Site returns the configured site called name.
func (c *Config) Site(name string) (job.Site, bool) {
	for _, s := range c.Sites {
		if s.Name == name {
			return s, true
		}
	}
	return job.Site{}, false
}

// ScheduleEntries parses the schedule of every configured site that has
// one; none at all is an error.
func (c *Config) ScheduleEntries() ([]schedule.Entry, error) {
	var entries []schedule.Entry
	for i, site := range c.Sites {
		if site.Schedule == "" {
			continue
		}
		e, err := schedule.NewEntry(site)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", c.siteRef(i, site.Name), err)
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		where := "no config file"
		if c.path != "" {
			where = "config " + c.path
		}
		return nil, fmt.Errorf("nothing to schedule (%s): give sites a schedule, e.g. schedule: \"@every 6h\" or \"30 6 * * *\"", where)
	}
	return entries, nil
}

// SiteFor is the site to crawl raw with: the configured site on the same
// host, its start URLs replaced by raw, when there is one; else a site of
// raw alone, for the defaults to apply.
func (c *Config) SiteFor(raw string) job.Site {
	host := folio.SiteOf(raw)
	for _, s := range c.Sites {
		for _, start := range s.StartURLs {
			if host != "" && folio.SiteOf(start) == host {
				s.StartURLs = []string{raw}
				return s
			}
		}
	}
	return job.Site{StartURLs: []string{raw}}
}

// CheckFrontier reports whether url can name the Redis of folio workers:
// empty (none), or redis:// or rediss:// (TLS).
func CheckFrontier(url string) error {
	if url == "" || strings.HasPrefix(url, "redis://") || strings.HasPrefix(url, "rediss://") {
		return nil
	}
	return fmt.Errorf("%q is not a Redis URL: want redis://host:port (or rediss:// for TLS)", url)
}
