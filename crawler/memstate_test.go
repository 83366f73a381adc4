package crawler_test

import (
	"context"
	"testing"

	"folio/crawler"
	"folio/crawler/statetest"
)

func TestMemStateConformance(t *testing.T) {
	statetest.Run(t, func(*testing.T) crawler.State { return crawler.NewMemState() })
}

func TestMemStateValidators(t *testing.T) {
	st := crawler.NewMemState()
	st.SetValidators("https://blog.example.fr/a/", `"v1"`, "Mon, 07 Nov 2022 10:00:00 GMT")
	etag, lm, err := st.Validators(context.Background(), "https://blog.example.fr/a/")
	if err != nil || etag != `"v1"` || lm != "Mon, 07 Nov 2022 10:00:00 GMT" {
		t.Errorf("Validators = %q, %q, %v", etag, lm, err)
	}
}
