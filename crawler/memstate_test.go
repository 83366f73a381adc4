package crawler_test

import (
	"context"
	"testing"
	"time"

	"folio"

	"folio/crawler"
	"folio/crawler/statetest"
)

func TestMemStateConformance(t *testing.T) {
	statetest.Run(t, func(*testing.T) crawler.State { return crawler.NewMemState() })
}

func TestMemStateArchived(t *testing.T) {
	st := crawler.NewMemState()
	const u = "https://blog.example.fr/a/"
	checked := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	st.SetArchived(u, folio.ArchivedPage{Checked: checked, Archived: checked})
	st.SetValidators(u, `"v1"`, "Mon, 07 Nov 2022 10:00:00 GMT")
	a, err := st.Archived(context.Background(), u)
	want := folio.ArchivedPage{ETag: `"v1"`, LastModified: "Mon, 07 Nov 2022 10:00:00 GMT", Checked: checked, Archived: checked}
	if err != nil || a != want {
		t.Errorf("Archived = %+v, %v; want %+v", a, err, want)
	}
}
