package crawler

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"folio"
)

func TestRecheckInterval(t *testing.T) {
	rc := Recheck{}.withDefaults()
	day := 24 * time.Hour
	tests := []struct {
		age, want time.Duration
	}{
		{0, time.Hour},                      // the minimum
		{day, 4*time.Hour + 48*time.Minute}, // a fifth of a day
		{7 * day, 7 * day / 5},
		{30 * day, 6 * day},
		{150 * day, 30 * day},
		{3 * 365 * day, 30 * day}, // the maximum
		{-day, time.Hour},         // a date in the future
	}
	for _, tt := range tests {
		if got := rc.interval(tt.age); got != tt.want {
			t.Errorf("interval(%s) = %s, want %s", tt.age, got, tt.want)
		}
	}
}

func TestRecheckDue(t *testing.T) {
	rc := Recheck{}.withDefaults()
	now := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return now.Add(-d) }
	ptr := func(t time.Time) *time.Time { return &t }
	day := 24 * time.Hour
	// An article published 100 days ago, fetched 2 days ago: due every 20
	// days.
	old := folio.ArchivedPage{Checked: at(2 * day), Archived: at(90 * day), Published: ptr(at(100 * day))}
	tests := []struct {
		name string
		a    folio.ArchivedPage
		h    hint
		want string
	}{
		{"old, checked lately, nothing said", old, hint{}, ""},
		{"old, checked 21 days ago", withChecked(old, at(21*day)), hint{}, dueSchedule},
		{"a sitemap dates a change after the last fetch", old, hint{changed: at(day)}, dueAnnounced},
		{"a change dated before the last fetch", old, hint{changed: at(3 * day)}, ""},
		{"a change dated just before the last fetch, within the clock skew", old, hint{changed: at(2*day + time.Minute)}, dueAnnounced},
		{"the record already holds that modification", folio.ArchivedPage{Checked: at(30 * time.Minute), Archived: at(90 * day), Modified: ptr(at(40 * time.Minute))}, hint{changed: at(40 * time.Minute)}, ""},
		{"a later modification than the record's", withModified(old, at(3*day)), hint{changed: at(day)}, dueAnnounced},
		{"listed by a feed without a date of change", old, hint{undated: true}, dueInFeed},
		{"a week-old article checked 2 days ago", folio.ArchivedPage{Checked: at(2 * day), Archived: at(7 * day), Published: ptr(at(7 * day))}, hint{}, dueSchedule},
		{"a week-old article checked a day ago", folio.ArchivedPage{Checked: at(day), Archived: at(7 * day), Published: ptr(at(7 * day))}, hint{}, ""},
		{"a recent edit makes an old article young", folio.ArchivedPage{Checked: at(2 * day), Archived: at(90 * day), Changed: at(3 * day), Published: ptr(at(100 * day))}, hint{}, dueSchedule},
		{"no date: age from the first archiving", folio.ArchivedPage{Checked: at(2 * day), Archived: at(5 * day)}, hint{}, dueSchedule},
		{"no date, archived long ago", folio.ArchivedPage{Checked: at(2 * day), Archived: at(300 * day)}, hint{}, ""},
	}
	for _, tt := range tests {
		if got := rc.due(now, "https://b.example/"+tt.name+"/", tt.a, tt.h); got != tt.want {
			t.Errorf("%s: due = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSpread(t *testing.T) {
	d := 40 * 24 * time.Hour
	lo, hi := d, time.Duration(0)
	for i := range 1000 {
		s := spread(d, fmt.Sprintf("https://b.example/%d/", i))
		lo, hi = min(lo, s), max(hi, s)
	}
	if lo < d*3/4 || hi > d || hi-lo < d/5 {
		t.Errorf("spread of %s over 1000 URLs: %s to %s, want within [3/4, 1] and spread out", d, lo, hi)
	}
	if spread(d, "https://b.example/a/") != spread(d, "https://b.example/a/") {
		t.Error("spread differs for the same URL")
	}
}

func withChecked(a folio.ArchivedPage, t time.Time) folio.ArchivedPage { a.Checked = t; return a }
func withModified(a folio.ArchivedPage, t time.Time) folio.ArchivedPage {
	a.Modified = &t
	return a
}

func TestRecheckValidate(t *testing.T) {
	for _, rc := range []Recheck{{Ratio: -1, Min: 1, Max: 2}, {Ratio: 0.2, Min: -1, Max: 2}, {Ratio: 0.2, Min: 2 * time.Hour, Max: time.Hour}} {
		if rc.validate() == nil {
			t.Errorf("%+v accepted", rc)
		}
	}
	if err := (Recheck{}).withDefaults().validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestHintTable(t *testing.T) {
	h := newHintTable(2)
	d1 := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	h.note("a", d1, false)
	h.note("a", d1.Add(-time.Hour), false) // an older date does not win
	h.note("a", time.Time{}, true)
	h.note("b", time.Time{}, false) // says nothing: not kept
	h.note("c", d1, false)
	h.note("d", d1, false) // past the bound
	if got := h.get("a"); !got.changed.Equal(d1) || !got.undated {
		t.Errorf("a: %+v", got)
	}
	for _, u := range []string{"b", "d"} {
		if got := h.get(u); got != (hint{}) {
			t.Errorf("%s: %+v, want nothing", u, got)
		}
	}
	if got := h.get("c"); !got.changed.Equal(d1) {
		t.Errorf("c: %+v", got)
	}
}

func TestParseLastmod(t *testing.T) {
	tests := map[string]string{
		"2024-03-01T10:20:30+01:00":     "2024-03-01T09:20:31Z",
		"2024-03-01T10:20:30.5Z":        "2024-03-01T10:20:30.5Z",
		"2024-03-01T10:20+01:00":        "2024-03-01T09:21:00Z",
		"2024-03-01":                    "2024-03-02T12:00:00Z",
		"2024-03":                       "2024-04-01T12:00:00Z",
		"2024":                          "2025-01-01T12:00:00Z",
		"2024-03-01T10:20:30":           "2024-03-01T22:20:31Z",
		" 2024-03-01T10:20:30+00:00 \n": "2024-03-01T10:20:31Z",
	}
	for in, want := range tests {
		got := parseLastmod(in)
		if w, _ := time.Parse(time.RFC3339Nano, want); !got.Equal(w) {
			t.Errorf("parseLastmod(%q) = %s, want %s", in, got.UTC().Format(time.RFC3339Nano), want)
		}
	}
	for _, bad := range []string{"", "hier", "01/03/2024"} {
		if got := parseLastmod(bad); !got.IsZero() {
			t.Errorf("parseLastmod(%q) = %s, want zero", bad, got)
		}
	}
}

func TestParseXMLDates(t *testing.T) {
	utc := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	tests := []struct {
		name string
		body string
		want []listedLink
	}{
		{"sitemap lastmod", `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://b.example/a/</loc><lastmod>2024-03-01T10:00:00+00:00</lastmod></url>
<url><loc>https://b.example/b/</loc></url></urlset>`, []listedLink{
			{url: "https://b.example/a/", changed: utc("2024-03-01T10:00:01Z")},
			{url: "https://b.example/b/"},
		}},
		{"sitemap index", `<sitemapindex><sitemap><loc>https://b.example/s1.xml</loc><lastmod>2024-03-01</lastmod></sitemap></sitemapindex>`,
			[]listedLink{{url: "https://b.example/s1.xml", index: true}}},
		{"WordPress RSS: the build date bounds every item", `<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>
<lastBuildDate>Fri, 01 Mar 2024 10:00:00 +0000</lastBuildDate>
<item><title>A</title><link>https://b.example/a/</link><pubDate>Thu, 29 Feb 2024 08:00:00 +0000</pubDate></item>
</channel></rss>`, []listedLink{{url: "https://b.example/a/", changed: utc("2024-03-01T10:00:01Z"), inFeed: true}}},
		{"RSS without any date of change", `<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>
<item><title>A</title><link>https://b.example/a/</link><pubDate>Thu, 29 Feb 2024 08:00:00 +0000</pubDate></item>
</channel></rss>`, []listedLink{{url: "https://b.example/a/", inFeed: true}}},
		{"Atom entries have their own", `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>B</title>
<updated>2024-03-05T00:00:00Z</updated>
<entry><title>A</title><link href="https://b.example/a/"/><id>1</id><updated>2024-03-01T10:00:00Z</updated></entry></feed>`,
			[]listedLink{{url: "https://b.example/a/", changed: utc("2024-03-01T10:00:01Z"), inFeed: true}}},
	}
	for _, tt := range tests {
		got, err := parseXML([]byte(tt.body))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if !slices.EqualFunc(got, tt.want, func(a, b listedLink) bool {
			return a.url == b.url && a.changed.Equal(b.changed) && a.index == b.index && a.inFeed == b.inFeed
		}) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}
