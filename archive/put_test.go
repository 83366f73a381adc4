package archive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"folio"
)

func TestPutOutcomes(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("radio.example", 1)
	fetched := a.FetchedAt

	// Each step puts a variant of the record fetched one hour after the
	// previous step, and says what the archive must do with it.
	steps := []struct {
		name         string
		edit         func(a *folio.Article)
		want         PutResult
		wantRecord   func(a *folio.Article) // the current record expected, from the put one
		wantRevs     int
		wantCaptures int64
	}{
		{
			name:         "first fetch is new",
			edit:         func(*folio.Article) {},
			want:         PutResult{Outcome: New, Seq: 1, Revision: 1},
			wantRecord:   func(*folio.Article) {},
			wantRevs:     1,
			wantCaptures: 1,
		},
		{
			name: "same content is unchanged and keeps the first fetch time",
			edit: func(*folio.Article) {},
			want: PutResult{Outcome: Unchanged, Seq: 1, Revision: 1},
			wantRecord: func(a *folio.Article) {
				a.FetchedAt = fetched
			},
			wantRevs:     1,
			wantCaptures: 1,
		},
		{
			name: "reflowed white space is unchanged",
			edit: func(a *folio.Article) {
				a.Body = strings.ReplaceAll(a.Body, " ", "\u00a0 \n")
				a.ContentHash = folio.ContentHash(a.Title, a.Body)
			},
			want: PutResult{Outcome: Unchanged, Seq: 2, Revision: 1, Updated: true},
			wantRecord: func(a *folio.Article) {
				a.FetchedAt = fetched
			},
			wantRevs:     1,
			wantCaptures: 1,
		},
		{
			name: "new text is changed",
			edit: func(a *folio.Article) {
				a.Body += "\n\nMise à jour : un troisième paragraphe."
				a.ContentHash = folio.ContentHash(a.Title, a.Body)
			},
			want:         PutResult{Outcome: Changed, Seq: 3, Revision: 2},
			wantRecord:   func(*folio.Article) {},
			wantRevs:     2,
			wantCaptures: 2,
		},
		{
			name: "other fields change in place without a revision",
			edit: func(a *folio.Article) {
				a.Body += "\n\nMise à jour : un troisième paragraphe."
				a.ContentHash = folio.ContentHash(a.Title, a.Body)
				a.Category = "Asie"
				n := 12
				a.CommentCount = &n
			},
			want: PutResult{Outcome: Unchanged, Seq: 4, Revision: 2, Updated: true},
			wantRecord: func(a *folio.Article) {
				a.FetchedAt = fetched.Add(3 * time.Hour) // the fetch of revision 2
			},
			wantRevs:     2,
			wantCaptures: 2,
		},
	}
	for i, step := range steps {
		put := a
		put.FetchedAt = fetched.Add(time.Duration(i) * time.Hour)
		step.edit(&put)
		got, err := s.Put(ctx, put, testPage(put))
		if err != nil {
			t.Fatalf("%s: Put: %v", step.name, err)
		}
		if got != step.want {
			t.Errorf("%s: Put = %+v, want %+v", step.name, got, step.want)
		}
		want := put
		step.wantRecord(&want)
		current, err := s.Get(ctx, a.ID)
		if err != nil {
			t.Fatalf("%s: Get: %v", step.name, err)
		}
		if diff := cmp.Diff(want, current, equalTimes); diff != "" {
			t.Errorf("%s: current record (-want +got):\n%s", step.name, diff)
		}
		revs, err := s.Revisions(ctx, a.URL)
		if err != nil {
			t.Fatalf("%s: Revisions: %v", step.name, err)
		}
		if len(revs) != step.wantRevs {
			t.Errorf("%s: %d revisions, want %d", step.name, len(revs), step.wantRevs)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Captures != step.wantCaptures {
			t.Errorf("%s: %d captures, want %d", step.name, st.Captures, step.wantCaptures)
		}
	}
}

func TestRevisionsKeepEachVersion(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("radio.example", 1)
	bodies := []string{"Version un.", "Version deux.", "Version trois."}
	for i, body := range bodies {
		v := a
		v.Body = body
		v.ContentHash = folio.ContentHash(v.Title, v.Body)
		v.FetchedAt = a.FetchedAt.Add(time.Duration(i) * 24 * time.Hour)
		mustPut(t, s, v, testPage(v))
	}
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != len(bodies) {
		t.Fatalf("%d revisions, want %d", len(revs), len(bodies))
	}
	for i, r := range revs {
		if r.Number != i+1 || r.Record.Body != bodies[i] ||
			r.ContentHash != folio.ContentHash(a.Title, bodies[i]) ||
			!r.FetchedAt.Equal(a.FetchedAt.Add(time.Duration(i)*24*time.Hour)) {
			t.Errorf("revision %d = {%d %q %s %s}", i, r.Number, r.Record.Body, r.ContentHash[:8], r.FetchedAt)
		}
	}
	if _, err := s.Revisions(ctx, "https://radio.example/absent/"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Revisions of an unknown article: %v, want ErrNotFound", err)
	}
}

func TestPutFillsDerivedFields(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("Radio.Example", 1)
	a.ID, a.Site, a.ContentHash, a.FetchedAt = "", "", "", time.Time{}
	a.URL = "https://radio.example/2022/11/07/sans-id/"
	page := testPage(a)
	page.FetchedAt = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	mustPut(t, s, a, page)

	got, err := s.Get(ctx, folio.ArticleID(a.URL))
	if err != nil {
		t.Fatal(err)
	}
	if got.Site != "radio.example" || got.ContentHash != folio.ContentHash(a.Title, a.Body) || !got.FetchedAt.Equal(page.FetchedAt) {
		t.Errorf("derived fields: site %q, hash %q, fetched_at %s", got.Site, got.ContentHash, got.FetchedAt)
	}

	if _, err := s.Put(ctx, folio.Article{Title: "sans adresse"}, folio.Page{URL: "https://radio.example/x/"}); err == nil ||
		!strings.Contains(err.Error(), "https://radio.example/x/") {
		t.Errorf("Put of a record without url: %v, want an error naming the page", err)
	}
}

// TestPutDistrustsIDAndHash: a record cannot overwrite another article by
// carrying its id, and a stale content_hash does not hide a changed text.
func TestPutDistrustsIDAndHash(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("radio.example", 1)
	mustPut(t, s, a, testPage(a))

	other := testArticle("radio.example", 2)
	other.ID = a.ID
	if _, err := s.Put(ctx, other, testPage(other)); !errors.Is(err, ErrIDMismatch) {
		t.Errorf("Put of another URL with the id %s: %v, want ErrIDMismatch", a.ID, err)
	}
	if got, err := s.Get(ctx, a.ID); err != nil || got.URL != a.URL {
		t.Errorf("id %s now holds %s (%v), want %s", a.ID, got.URL, err, a.URL)
	}

	edited := a
	edited.Body += " Une phrase ajoutée."
	edited.FetchedAt = a.FetchedAt.Add(time.Hour)
	res := mustPut(t, s, edited, testPage(edited))
	if res.Outcome != Changed || res.Revision != 2 {
		t.Errorf("an edited text with the old hash: %v revision %d, want changed, revision 2", res.Outcome, res.Revision)
	}
	if got, _ := s.Get(ctx, a.ID); got.ContentHash != folio.ContentHash(edited.Title, edited.Body) {
		t.Errorf("stored hash %s is not the edited text's", got.ContentHash)
	}
}

func TestGetByIDURLAndAliases(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("radio.example", 1)
	page := testPage(a)
	page.RequestedURL = "https://radio.example/?p=123"           // redirected from
	page.URL = "https://radio.example/2022/11/02/article-1/?amp" // served from, canonical elsewhere
	mustPut(t, s, a, page)
	other := testArticle("radio.example", 2)
	mustPut(t, s, other, testPage(other))

	for _, key := range []string{a.ID, a.URL, page.RequestedURL, page.URL} {
		got, err := s.Get(ctx, key)
		if err != nil {
			t.Errorf("Get(%s): %v", key, err)
			continue
		}
		if got.ID != a.ID {
			t.Errorf("Get(%s) = %s, want %s", key, got.ID, a.ID)
		}
	}
	for _, key := range []string{"", "0123456789abcdef", "https://radio.example/absent/", a.URL + "x"} {
		if _, err := s.Get(ctx, key); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q): %v, want ErrNotFound", key, err)
		}
	}
}

func TestCaptureRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	html, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	var a folio.Article
	expected, err := os.ReadFile("testdata/article.expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(expected, &a); err != nil {
		t.Fatal(err)
	}
	page := folio.Page{
		URL:          a.URL,
		RequestedURL: "https://radio.example/?p=4242",
		Status:       200,
		Header: http.Header{
			"Content-Type": {"text/html; charset=UTF-8"},
			"Etag":         {`"abc"`},
			"Set-Cookie":   {"a=1", "b=2"},
		},
		Body:      html,
		FetchedAt: time.Date(2024, 3, 4, 5, 6, 7, 890, time.UTC),
		Depth:     3,
	}
	mustPut(t, s, a, page)

	got, err := s.Capture(ctx, page.RequestedURL)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(page, got, equalTimes); diff != "" {
		t.Errorf("capture (-put +got):\n%s", diff)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.CaptureBytes != int64(len(html)) || st.StoredBytes*2 > st.CaptureBytes {
		t.Errorf("capture of %d bytes stored in %d, want it compressed at least twice", st.CaptureBytes, st.StoredBytes)
	}

	// A changed page's capture replaces it as the latest.
	changed := a
	changed.Body += "\n\nCorrection."
	changed.ContentHash = ""
	page2 := page
	page2.Body = append([]byte("<!-- v2 -->"), html...)
	page2.FetchedAt = page.FetchedAt.Add(time.Hour)
	if res := mustPut(t, s, changed, page2); res.Outcome != Changed {
		t.Fatalf("second put: %v, want changed", res.Outcome)
	}
	got, err = s.Capture(ctx, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != string(page2.Body) || !got.FetchedAt.Equal(page2.FetchedAt) {
		t.Errorf("latest capture is not the changed page: fetched %s, %d bytes", got.FetchedAt, len(got.Body))
	}
}

func TestPutWithoutBodyStoresNoCapture(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("radio.example", 1)
	// An import: the record alone.
	if res := mustPut(t, s, a, folio.Page{}); res.Outcome != New {
		t.Fatalf("Put = %v, want new", res.Outcome)
	}
	if _, err := s.Capture(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Capture of an imported record: %v, want ErrNotFound", err)
	}
	got, err := s.Get(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got, equalTimes); diff != "" {
		t.Errorf("imported record (-put +got):\n%s", diff)
	}
}

func TestConcurrentPutAndRead(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const (
		writers  = 6
		articles = 25 // per writer; every writer puts the same ones
	)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		results []PutResult
	)
	for w := range writers {
		wg.Go(func() {
			for n := range articles {
				a := testArticle("radio.example", n)
				if w%2 == 1 { // half the writers change the text
					a.Body += " (modifié)"
					a.ContentHash = folio.ContentHash(a.Title, a.Body)
				}
				res, err := s.Put(ctx, a, testPage(a))
				if err != nil {
					t.Errorf("Put: %v", err)
					return
				}
				mu.Lock()
				results = append(results, res)
				mu.Unlock()
			}
		})
	}
	// Readers meanwhile.
	for range 3 {
		wg.Go(func() {
			for n := range articles {
				if _, err := s.Get(ctx, testArticle("radio.example", n).URL); err != nil && !errors.Is(err, ErrNotFound) {
					t.Errorf("Get: %v", err)
				}
				if err := s.Iterate(ctx, IterateOptions{}, func(folio.Article) error { return nil }); err != nil {
					t.Errorf("Iterate: %v", err)
				}
			}
		})
	}
	wg.Wait()

	var written, news int
	seqs := map[int64]bool{}
	for _, r := range results {
		if r.Outcome == New {
			news++
		}
		if r.Outcome != Unchanged || r.Updated {
			written++
			if seqs[r.Seq] {
				t.Errorf("seq %d given twice", r.Seq)
			}
			seqs[r.Seq] = true
		}
	}
	if len(results) != writers*articles || news != articles {
		t.Errorf("%d puts with %d new, want %d with %d new", len(results), news, writers*articles, articles)
	}
	if n, err := s.Count(ctx); err != nil || n != articles {
		t.Errorf("Count = %d, %v; want %d", n, err, articles)
	}
	if seq, err := s.MaxSeq(ctx); err != nil || seq != int64(written) {
		t.Errorf("MaxSeq = %d, %v; want %d, one per write", seq, err, written)
	}
}

// TestCaptureHeadersCapped: a server that sends megabytes of headers with
// a page has them stored with its capture up to maxCaptureHeaderBytes,
// those that say what the body is kept first.
func TestCaptureHeadersCapped(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := testArticle("radio.example", 1)
	page := testPage(a)
	junk := strings.Repeat("x", 1000)
	for i := range 2000 { // 2 MB
		page.Header.Add(fmt.Sprintf("X-Junk-%04d", i), junk)
	}
	page.Header.Set("Zz-Last", junk)
	mustPut(t, s, a, page)
	got, err := s.Capture(ctx, a.URL)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for k, vs := range got.Header {
		for _, v := range vs {
			size += len(k) + len(v) + 4
		}
	}
	if size > maxCaptureHeaderBytes || size < maxCaptureHeaderBytes/2 {
		t.Errorf("capture headers hold %d bytes, want at most %d, and most of that", size, maxCaptureHeaderBytes)
	}
	for _, k := range []string{"Content-Type", "Etag", "Last-Modified"} {
		if got.Header.Get(k) != page.Header.Get(k) {
			t.Errorf("%s = %q, want %q kept", k, got.Header.Get(k), page.Header.Get(k))
		}
	}
	if got.Header.Get("X-Junk-0000") != junk || got.Header.Get("Zz-Last") != "" {
		t.Errorf("the other headers are not kept in name order while they fit")
	}
	// A page whose headers fit keeps them all (TestCaptureRoundTrip).
}
