package archive

import (
	"context"
	"fmt"
	"testing"
	"time"

	"folio"
)

// TestLatestCaptures: pages of the latest capture of each record, in id
// order, filtered by site and fetch time, imports counted apart.
func TestLatestCaptures(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	t0 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	latest := map[string]string{} // id → body of its latest capture
	for n := range 7 {
		site := "a.example"
		if n%2 == 1 {
			site = "b.example"
		}
		a := testArticle(site, n)
		a.FetchedAt = t0.Add(time.Duration(n) * 24 * time.Hour)
		if _, err := s.Put(ctx, a, testPage(a)); err != nil {
			t.Fatal(err)
		}
		if n == 2 {
			// A second revision: its capture is the latest.
			a.Body += " Edited."
			a.FetchedAt = a.FetchedAt.Add(time.Hour)
			if _, err := s.Put(ctx, a, testPage(a)); err != nil {
				t.Fatal(err)
			}
		}
		latest[a.ID] = string(testPage(a).Body)
	}
	imported := testArticle("a.example", 9)
	if _, err := s.Put(ctx, imported, folio.Page{URL: imported.URL}); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		site      string
		since     time.Time
		want      int
		noCapture int
	}{
		{"", time.Time{}, 7, 1},
		{"a.example", time.Time{}, 4, 1},
		{"B.example", time.Time{}, 3, 0},
		{"", t0.Add(3 * 24 * time.Hour), 4, 0},
		{"a.example", t0.Add(30 * 24 * time.Hour), 0, 0},
		// Past what int64 nanoseconds hold: still after every fetch.
		{"", time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC), 0, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s since %s", tt.site, tt.since.Format(time.DateOnly)), func(t *testing.T) {
			f := Filter{Site: tt.site}
			var got []StoredCapture
			after := ""
			for {
				page, err := s.LatestCaptures(ctx, f, tt.since, after, 2)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, page...)
				if len(page) < 2 {
					break
				}
				after = page[len(page)-1].ArticleID
			}
			if len(got) != tt.want {
				t.Fatalf("%d captures, want %d", len(got), tt.want)
			}
			for i, c := range got {
				if i > 0 && c.ArticleID <= got[i-1].ArticleID {
					t.Errorf("captures not in id order: %s after %s", c.ArticleID, got[i-1].ArticleID)
				}
				if string(c.Page.Body) != latest[c.ArticleID] {
					t.Errorf("%s: body %q, want its latest capture's", c.ArticleID, c.Page.Body)
				}
				if c.ArticleURL == "" || folio.ArticleID(c.ArticleURL) != c.ArticleID {
					t.Errorf("%s: article URL %q", c.ArticleID, c.ArticleURL)
				}
				if c.Page.FetchedAt.Before(tt.since) {
					t.Errorf("%s: fetched %s, before %s", c.ArticleID, c.Page.FetchedAt, tt.since)
				}
			}
			n, err := s.CountWithoutCapture(ctx, f, tt.since)
			if err != nil || n != tt.noCapture {
				t.Errorf("CountWithoutCapture = %d, %v; want %d", n, err, tt.noCapture)
			}
		})
	}
}

// TestPutOldCaptureKeepsNewerValidators: putting a record again with an
// older capture (a re-extraction) leaves the validators of the later fetch.
func TestPutOldCaptureKeepsNewerValidators(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("a.example", 1)
	old := testPage(a)
	if _, err := s.Put(ctx, a, old); err != nil {
		t.Fatal(err)
	}
	later := testPage(a)
	later.FetchedAt = old.FetchedAt.Add(24 * time.Hour)
	later.Header.Set("ETag", `"later"`)
	a.FetchedAt = later.FetchedAt
	if _, err := s.Put(ctx, a, later); err != nil {
		t.Fatal(err)
	}
	a.Category = "Re-extracted"
	if _, err := s.Put(ctx, a, old); err != nil {
		t.Fatal(err)
	}
	got, err := s.Archived(ctx, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got.ETag != `"later"` {
		t.Errorf("ETag %s after putting the older capture again, want the later fetch's", got.ETag)
	}
	if !got.Checked.Equal(later.FetchedAt) {
		t.Errorf("checked %s, want the later fetch %s", got.Checked, later.FetchedAt)
	}
}
