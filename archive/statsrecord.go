package archive

import "time"

// StatsRecord is what the archive holds, as folio hands it to programs:
// `folio stats --json` prints it and `folio serve` answers GET /api/stats
// with it. Its JSON field names are part of folio's output contract.
type StatsRecord struct {
	Articles     int64                 `json:"articles"`
	Revisions    int64                 `json:"revisions"`
	Captures     int64                 `json:"captures"`
	CaptureBytes int64                 `json:"capture_bytes"`
	StoredBytes  int64                 `json:"stored_bytes"`
	Sites        []SiteCountRecord     `json:"sites"`
	Categories   []CategoryCountRecord `json:"categories"`
	Months       []MonthCountRecord    `json:"months"`
	Runs         []RunRecord           `json:"runs"`
}

// SiteCountRecord counts a site's articles.
type SiteCountRecord struct {
	Site     string `json:"site"`
	Articles int64  `json:"articles"`
}

// CategoryCountRecord counts a site's articles of one category ("": none).
type CategoryCountRecord struct {
	Site     string `json:"site"`
	Category string `json:"category"`
	Articles int64  `json:"articles"`
}

// MonthCountRecord counts a site's articles published in one month
// (YYYY-MM; "": no date).
type MonthCountRecord struct {
	Site     string `json:"site"`
	Month    string `json:"month"`
	Articles int64  `json:"articles"`
}

// RunRecord is one crawl run; Ended is null while it goes on, or when its
// process died.
type RunRecord struct {
	ID           int64          `json:"id"`
	Site         string         `json:"site"`
	Trigger      string         `json:"trigger"`
	Started      time.Time      `json:"started"`
	Ended        *time.Time     `json:"ended"`
	Fetched      int            `json:"fetched"`
	New          int            `json:"new"`
	Changed      int            `json:"changed"`
	Unchanged    int            `json:"unchanged"`
	NotModified  int            `json:"not_modified"`
	Errors       int            `json:"errors"`
	ErrorsByKind map[string]int `json:"errors_by_kind"`
	Failure      string         `json:"failure,omitempty"`
}

// NewStatsRecord is s and the runs as programs get them: lists empty
// rather than null.
func NewStatsRecord(s Stats, runs []Run) StatsRecord {
	out := StatsRecord{Articles: s.Articles, Revisions: s.Revisions, Captures: s.Captures,
		CaptureBytes: s.CaptureBytes, StoredBytes: s.StoredBytes,
		Sites: []SiteCountRecord{}, Categories: []CategoryCountRecord{}, Months: []MonthCountRecord{}, Runs: []RunRecord{}}
	for _, c := range s.Sites {
		out.Sites = append(out.Sites, SiteCountRecord{Site: c.Site, Articles: c.Articles})
	}
	for _, c := range s.Categories {
		out.Categories = append(out.Categories, CategoryCountRecord{Site: c.Site, Category: c.Key, Articles: c.Articles})
	}
	for _, c := range s.Months {
		out.Months = append(out.Months, MonthCountRecord{Site: c.Site, Month: c.Key, Articles: c.Articles})
	}
	for _, r := range runs {
		out.Runs = append(out.Runs, NewRunRecord(r))
	}
	return out
}

// NewRunRecord is r as programs get it.
func NewRunRecord(r Run) RunRecord {
	rec := RunRecord{ID: r.ID, Site: r.Site, Trigger: string(r.Trigger), Started: r.Started, Fetched: r.Fetched,
		New: r.New, Changed: r.Changed, Unchanged: r.Unchanged, NotModified: r.NotModified,
		Errors: r.Errors, ErrorsByKind: r.ErrorsByKind, Failure: r.Failure}
	if !r.Ended.IsZero() {
		e := r.Ended
		rec.Ended = &e
	}
	return rec
}
