package index

import (
	"sort"

	"github.com/blevesearch/bleve/v2/search"
)

// facetSizes bound the values counted per facet; months cover 50 years.
var facetSizes = map[string]int{
	fieldCategory: 100,
	fieldAuthor:   100,
	fieldSite:     100,
	fieldTags:     100,
	fieldMonth:    600,
}

// facetsOf converts bleve's facet results.
func facetsOf(results search.FacetResults) Facets {
	counts := func(field string) []FacetCount {
		fr, ok := results[field]
		if !ok || fr.Terms == nil {
			return nil
		}
		var out []FacetCount
		for _, t := range fr.Terms.Terms() {
			out = append(out, FacetCount{Value: t.Term, Count: t.Count})
		}
		return out
	}
	months := counts(fieldMonth)
	sort.Slice(months, func(i, j int) bool { return months[i].Value > months[j].Value })
	return Facets{
		Category: counts(fieldCategory),
		Author:   counts(fieldAuthor),
		Site:     counts(fieldSite),
		Tag:      counts(fieldTags),
		Month:    months,
	}
}
