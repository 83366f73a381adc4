package config

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"folio"
)

var durationType = reflect.TypeFor[time.Duration]()

// checker walks a config file's YAML against the type it decodes
// into, before decoding, so that its errors speak of keys, sites and lines
// rather than of Go types ("field start_url not found in type job.Site"),
// and so that a bare number given for a duration reads as seconds
// ("delay: 0", "timeout: 30").
type checker struct {
	file string
}

// check walks n, which decodes into a value of type t. where names the
// place for errors ("site \"x\"", or "" at the top level) and prefix is the
// key path within it ("crawl.").
func (c *checker) check(n *yaml.Node, t reflect.Type, where, prefix string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode || n.Tag == "!!null" {
		return nil
	}
	switch {
	case t == durationType:
		return c.duration(n, where, prefix)
	case t.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return c.errorf(n, where, prefix, "want keys and values under it")
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				return c.unknownKey(k, where, prefix, fields)
			}
			if err := c.check(v, ft, where, prefix+k.Value+"."); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			if t.Elem().Kind() == reflect.String && n.Kind == yaml.ScalarNode {
				return c.errorf(n, where, prefix, "want a list, as in [%s]", n.Value)
			}
			return c.errorf(n, where, prefix, "want a list")
		}
		for i, item := range n.Content {
			w, p := where, fmt.Sprintf("%s[%d].", strings.TrimSuffix(prefix, "."), i)
			if where == "" && prefix == "sites." {
				w, p = siteWhere(item, i), ""
			}
			if err := c.check(item, t.Elem(), w, p); err != nil {
				return err
			}
		}
	case n.Kind != yaml.ScalarNode:
		return c.errorf(n, where, prefix, "want a single value, not a list or keys")
	case t.Kind() == reflect.Bool:
		if n.Tag != "!!bool" {
			return c.errorf(n, where, prefix, "want true or false, not %q", n.Value)
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		if n.Tag != "!!int" {
			return c.errorf(n, where, prefix, "want a whole number, not %q", n.Value)
		}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		if n.Tag != "!!int" && n.Tag != "!!float" {
			return c.errorf(n, where, prefix, "want a number, not %q", n.Value)
		}
	}
	return nil
}

// duration accepts "500ms", "2h30m" and a bare number of seconds ("0",
// "1.5"), which it rewrites for the decoder.
func (c *checker) duration(n *yaml.Node, where, prefix string) error {
	if n.Kind != yaml.ScalarNode {
		return c.errorf(n, where, prefix, "want a duration such as 500ms, 2s or 1m")
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		secs, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			return c.errorf(n, where, prefix, "%q is not a number of seconds", n.Value)
		}
		n.Tag, n.Value = "!!str", time.Duration(secs*float64(time.Second)).String()
		return nil
	}
	if _, err := time.ParseDuration(n.Value); err != nil {
		return c.errorf(n, where, prefix, "%q is not a duration; write 500ms, 2s, 1m30s or a number of seconds", n.Value)
	}
	return nil
}

func (c *checker) errorf(n *yaml.Node, where, prefix, format string, args ...any) error {
	key := strings.TrimSuffix(prefix, ".")
	return fmt.Errorf("%s %s(%s line %d): %s", key, whereIn(where), c.file, n.Line, fmt.Sprintf(format, args...))
}

func (c *checker) unknownKey(k *yaml.Node, where, prefix string, fields map[string]reflect.Type) error {
	msg := fmt.Sprintf("unknown key %s%s %s(%s line %d)", prefix, k.Value, whereIn(where), c.file, k.Line)
	if s := closestKey(k.Value, fields); s != "" {
		msg += "; did you mean " + s + "?"
	} else {
		keys := slices.Sorted(func(yield func(string) bool) {
			for name := range fields {
				if !yield(name) {
					return
				}
			}
		})
		msg += "; the keys here are " + strings.Join(keys, ", ")
	}
	return errors.New(msg)
}

func whereIn(where string) string {
	if where == "" {
		return ""
	}
	return "in " + where + " "
}

// siteWhere names sites[i] for errors: by its name, else its first start
// URL's host, else its index.
func siteWhere(n *yaml.Node, i int) string {
	if n.Kind == yaml.MappingNode {
		for j := 0; j+1 < len(n.Content); j += 2 {
			k, v := n.Content[j], n.Content[j+1]
			switch {
			case k.Value == "name" && v.Kind == yaml.ScalarNode && v.Value != "":
				return "site " + strconv.Quote(v.Value)
			}
		}
		for j := 0; j+1 < len(n.Content); j += 2 {
			k, v := n.Content[j], n.Content[j+1]
			if k.Value == "start_urls" && v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
				if host := folio.SiteOf(v.Content[0].Value); host != "" {
					return fmt.Sprintf("site %s", strconv.Quote(host))
				}
			}
		}
	}
	return fmt.Sprintf("sites[%d]", i)
}

// yamlFields maps the keys of struct type t to their types, as yaml.v3
// names them: the yaml tag, else the lower-cased field name; ",inline"
// structs contribute their keys; "-" fields have none.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			for k, v := range yamlFields(ft) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// closestKey is the known key nearest to key, when it is near enough to be
// what was meant: two edits at most, or one spelling within the other.
func closestKey(key string, fields map[string]reflect.Type) string {
	best, bestD := "", 3
	for name := range fields {
		d := editDistance(key, name)
		if strings.Contains(name, key) || strings.Contains(key, name) {
			d = min(d, 2)
		}
		if d < bestD || (d == bestD && name < best) {
			best, bestD = name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (keys are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// ParseSeconds reads a duration as the config does: "500ms", "2m", or a
// bare number of seconds ("0", "1.5").
func ParseSeconds(s string) (time.Duration, error) {
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(secs * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration; write 500ms, 2s, 1m30s or a number of seconds", s)
	}
	return d, nil
}
