package index

import "time"

// Response is a search result as folio hands it to programs: `folio search
// --json` prints it and `folio serve` answers GET /api/search with it. Its
// JSON field names are part of folio's output contract.
type Response struct {
	// Total counts every matching record, not only Hits.
	Total  uint64        `json:"total"`
	Offset int           `json:"offset"`
	Hits   []HitRecord   `json:"hits"`
	Facets *FacetsRecord `json:"facets,omitempty"`
}

// HitRecord is one hit of a Response, and one line of `folio search
// --format jsonl`. Its snippets carry no marks: programs get plain text.
type HitRecord struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	Title     string   `json:"title"`
	Published *string  `json:"published"` // RFC 3339, null when undated
	Category  string   `json:"category"`
	Score     float64  `json:"score"`
	Snippets  []string `json:"snippets"`
}

// FacetsRecord holds the counts a faceted search asks for, each list
// largest first (Month newest first).
type FacetsRecord struct {
	Category []FacetCountRecord `json:"category"`
	Month    []FacetCountRecord `json:"month"`
	Author   []FacetCountRecord `json:"author"`
	Tag      []FacetCountRecord `json:"tag"`
	Site     []FacetCountRecord `json:"site"`
}

// FacetCountRecord is one value of a facet and the number of matching
// records that have it.
type FacetCountRecord struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// NewResponse turns what q found into its Response; the facets are there
// when q asked for them, as empty lists when nothing matched.
func NewResponse(res Result, q Query) Response {
	out := Response{Total: res.Total, Offset: q.Offset, Hits: []HitRecord{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, NewHitRecord(h))
	}
	if q.Facets {
		counts := func(in []FacetCount) []FacetCountRecord {
			c := []FacetCountRecord{}
			for _, f := range in {
				c = append(c, FacetCountRecord{Value: f.Value, Count: f.Count})
			}
			return c
		}
		f := res.Facets
		out.Facets = &FacetsRecord{Category: counts(f.Category), Month: counts(f.Month), Author: counts(f.Author),
			Tag: counts(f.Tag), Site: counts(f.Site)}
	}
	return out
}

// NewHitRecord is h as programs get it: the date in RFC 3339 (null when
// h has none) and the snippets without their marks.
func NewHitRecord(h Hit) HitRecord {
	out := HitRecord{ID: h.ID, URL: h.URL, Title: h.Title, Category: h.Category, Score: h.Score, Snippets: []string{}}
	if !h.Published.IsZero() {
		p := h.Published.Format(time.RFC3339)
		out.Published = &p
	}
	for _, s := range h.Snippets {
		out.Snippets = append(out.Snippets, Mark(s, "", ""))
	}
	return out
}
