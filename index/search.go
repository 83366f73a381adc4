package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Search runs q. A query that cannot run gives a *QueryError.
//
// Snippets are cut in a second search, of the returned hits only: asking
// bleve for highlights makes it decode the term vectors of every matching
// record while it scores them, which took half the time of a search for a
// word found in thousands of records.
func (ix *Index) Search(ctx context.Context, q Query) (_ Result, err error) {
	defer recoverCorrupt("search", ix.dir, &err)
	req, text, err := ix.request(q)
	if err != nil {
		return Result{}, err
	}
	hasWords := text.highlight
	started := time.Now()
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search %s: %w", ix.dir, err)
	}
	var locations map[string]search.FieldTermLocationMap
	if hasWords && len(res.Hits) > 0 {
		if locations, err = ix.locations(ctx, text.words, res.Hits); err != nil {
			return Result{}, err
		}
	}
	stored, err := ix.storedOf(res.Hits)
	if err != nil {
		return Result{}, err
	}
	out := Result{Total: res.Total, Took: time.Since(started), Hits: make([]Hit, 0, len(res.Hits))}
	for i, h := range res.Hits {
		out.Hits = append(out.Hits, hitOf(h, stored[i], locations[h.ID], hasWords))
	}
	if q.Facets {
		out.Facets = facetsOf(res.Facets)
	}
	return out, nil
}

// locations searches words again, in the records of hits only, for where
// they are in each.
func (ix *Index) locations(ctx context.Context, words query.Query, hits search.DocumentMatchCollection) (map[string]search.FieldTermLocationMap, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	q := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), words})
	req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	req.SortBy([]string{"_id"})
	req.IncludeLocations = true
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %s for snippets: %w", ix.dir, err)
	}
	out := make(map[string]search.FieldTermLocationMap, len(res.Hits))
	for _, h := range res.Hits {
		out[h.ID] = h.Locations
	}
	return out, nil
}

// request turns q into a bleve search request, without highlights; it
// returns the rewritten text too, for snippets.
func (ix *Index) request(q Query) (*bleve.SearchRequest, textMatch, error) {
	if q.Limit < 0 {
		return nil, textMatch{}, &QueryError{Query: fmt.Sprint(q.Limit), Msg: "limit must not be negative"}
	}
	if q.Offset < 0 {
		return nil, textMatch{}, &QueryError{Query: fmt.Sprint(q.Offset), Msg: "offset must not be negative"}
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultLimit
	}
	text, err := ix.textQuery(q.Text, q.Fuzzy)
	if err != nil {
		return nil, textMatch{}, err
	}
	var order []string
	switch q.Sort {
	// Relevance sorts on the score alone: a second key would make bleve
	// read the doc values of every match, not only of the best ones.
	case "":
		order = []string{"-_score"}
		if strings.TrimSpace(q.Text) == "" {
			order = []string{"-" + fieldPublished, "_id"}
		}
	case SortRelevance:
		order = []string{"-_score"}
	case SortDate:
		order = []string{fieldPublished, "_id"}
	case SortDateDesc:
		order = []string{"-" + fieldPublished, "_id"}
	default:
		return nil, textMatch{}, &QueryError{Query: string(q.Sort), Msg: `sort must be "relevance", "date" or "-date"`}
	}
	if !q.Until.IsZero() && !q.Since.IsZero() && !q.Until.After(q.Since) {
		return nil, textMatch{}, &QueryError{Query: q.Until.Format(time.RFC3339), Msg: "until must be after since " + q.Since.Format(time.RFC3339)}
	}

	// Keyword filters join the words' clauses in one conjunction, as
	// clauses that score nothing: bleve then steps through the shortest
	// list of records and tests the others only on those, where a filter
	// (AddFilter) scores every record the words match before dropping most
	// of them. A date range is a union of many terms, cheaper to test
	// record by record: it stays a filter.
	must := slices.Clone(text.required)
	for _, f := range []struct{ field, value string }{
		{fieldCategory, q.Category}, {fieldAuthor, q.Author}, {fieldSite, q.Site}, {fieldTags, q.Tag},
	} {
		if strings.TrimSpace(f.value) != "" {
			kq := keyQuery(f.field, f.value)
			kq.SetBoost(0)
			must = append(must, kq)
		}
	}
	var final query.Query
	switch len(must) {
	case 0:
		final = query.NewMatchAllQuery()
	case 1:
		final = must[0]
	default:
		final = query.NewConjunctionQuery(must)
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		inclusive, exclusive := true, false
		dr := query.NewDateRangeInclusiveQuery(q.Since, q.Until, &inclusive, &exclusive)
		dr.SetField(fieldPublished)
		if err := dr.Validate(); err != nil {
			return nil, textMatch{}, &QueryError{Query: q.Since.Format(time.DateOnly) + ".." + q.Until.Format(time.DateOnly), Msg: err.Error()}
		}
		bq := query.NewBooleanQuery([]query.Query{final}, nil, nil)
		bq.AddFilter(dr)
		final = bq
	}

	// The hits' stored fields are read by storedOf.
	req := bleve.NewSearchRequestOptions(final, limit, q.Offset, false)
	req.SortBy(order)
	if q.Facets {
		for field, size := range facetSizes {
			req.AddFacet(field, bleve.NewFacetRequest(field, size))
		}
	}
	return req, text, nil
}

// keyQuery matches a keyword field's value whatever its case and accents.
func keyQuery(field, value string) *query.MatchQuery {
	mq := query.NewMatchQuery(value)
	mq.SetField(field + keySuffix)
	mq.Analyzer = analyzerKey
	return mq
}
