package index

import (
	"fmt"
	"time"
)

// Params are a search as text, as a command line (folio search) or a URL
// (folio serve) gives it. NewQuery reads them into a Query.
type Params struct {
	Text, Category, Author, Site, Tag string
	// Since and Until are days, YYYY-MM-DD in local time, both included;
	// "" sets no bound.
	Since, Until string
	// Sort is relevance, date, -date or "" (Query.Sort).
	Sort string
	// Limit, Offset, Fuzzy and Facets are taken as they are: each caller
	// bounds Limit and Offset as it sees fit.
	Limit, Offset int
	Fuzzy, Facets bool
}

// ParamError is a search parameter whose value cannot be read: "--sort
// \"x\": want relevance, …".
type ParamError struct {
	// Name is the parameter as its caller spells it ("--since", "since").
	Name, Value string
	// Want says what the value should be.
	Want string
}

func (e *ParamError) Error() string { return fmt.Sprintf("%s %q: %s", e.Name, e.Value, e.Want) }

// NewQuery reads p into a Query: the sort order must be one of the
// SortOrders, and Until takes in its whole day. prefix comes before each
// parameter's name in a *ParamError: "--" for flags, "" for URL parameters.
func NewQuery(p Params, prefix string) (Query, error) {
	q := Query{
		Text: p.Text, Category: p.Category, Author: p.Author, Site: p.Site, Tag: p.Tag,
		Sort: SortOrder(p.Sort), Limit: p.Limit, Offset: p.Offset, Fuzzy: p.Fuzzy, Facets: p.Facets,
	}
	switch q.Sort {
	case "", SortRelevance, SortDate, SortDateDesc:
	default:
		return q, &ParamError{Name: prefix + "sort", Value: p.Sort, Want: "want relevance, date (oldest first) or -date (newest first)"}
	}
	var err error
	if q.Since, err = ParseDay(prefix+"since", p.Since); err != nil {
		return q, err
	}
	if q.Until, err = ParseDay(prefix+"until", p.Until); err != nil {
		return q, err
	}
	if !q.Until.IsZero() {
		q.Until = q.Until.AddDate(0, 0, 1) // until is inclusive of its day
	}
	return q, nil
}

// ParseDay reads YYYY-MM-DD as the start of that day in local time; ""
// is the zero time. name names the parameter in its *ParamError.
func ParseDay(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, &ParamError{Name: name, Value: s, Want: "want a day as YYYY-MM-DD"}
	}
	return t, nil
}
