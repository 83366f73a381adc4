package job

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"folio"
	"folio/archive"
)

// OnlySite narrows a re-extraction to one site, named as a configured
// site (o.Sites) or as a host of archived records: a configured site's
// records are those of its start URLs' hosts, and its rules come first. A
// name that is neither is an *UnknownSiteError.
func (o *ReextractOptions) OnlySite(ctx context.Context, st *archive.Store, name string) error {
	for _, s := range o.Sites {
		if s.Name != name {
			continue
		}
		var hosts []string
		for _, u := range s.StartURLs {
			if h := folio.SiteOf(u); h != "" && !slices.Contains(hosts, h) {
				hosts = append(hosts, h)
			}
		}
		o.Sites, o.Hosts = append([]Site{s}, o.Sites...), hosts
		return nil
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	var archived []string
	for _, c := range stats.Sites {
		if c.Site == archive.FoldKey(name) {
			o.Hosts = []string{name}
			return nil
		}
		archived = append(archived, c.Site)
	}
	var configured []string
	for _, s := range o.Sites {
		configured = append(configured, s.Name)
	}
	return &UnknownSiteError{Name: name, Configured: configured, Archived: archived}
}

// UnknownSiteError is a site named for re-extraction that is neither a
// configured site nor a host of archived records.
type UnknownSiteError struct {
	Name string
	// Configured are the configured sites' names; Archived, the hosts of
	// archived records.
	Configured, Archived []string
}

func (e *UnknownSiteError) Error() string {
	return fmt.Sprintf("%q: no configured site has that name (%s), and the archive holds no record of that host (%s)",
		e.Name, listOrNone(e.Configured), listOrNone(e.Archived))
}

// listOrNone joins names for a message, at most 10 of them.
func listOrNone(names []string) string {
	switch {
	case len(names) == 0:
		return "none"
	case len(names) > 10:
		return strings.Join(names[:10], ", ") + fmt.Sprintf(" and %d more", len(names)-10)
	}
	return strings.Join(names, ", ")
}
