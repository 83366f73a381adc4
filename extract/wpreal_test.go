package extract

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"folio"
	"folio/internal/testsite/wpreal"
)

// wpField is one field of a post's record checked against what the build
// script gave WordPress.
type wpField struct {
	name      string
	ok        bool
	got, want any
}

// wpFields compares a record with the post it was extracted from.
// Previous and next are checked where the theme shows them; where it does
// not, a record may still name the right neighbour, but no other.
func wpFields(a folio.Article, p wpreal.Post, navigation bool) []wpField {
	published := ""
	if a.Published != nil {
		published = a.Published.Format(time.RFC3339)
	}
	sortedTags, wantTags := slices.Sorted(slices.Values(a.Tags)), slices.Sorted(slices.Values(p.Tags))
	body := folio.FoldSpace(a.Body)
	wantBody := folio.FoldSpace(strings.Join(p.Body, " "))
	var comments []string
	for _, c := range p.Comments {
		if strings.Contains(body, folio.FoldSpace(c.Text)) {
			comments = append(comments, c.Text)
		}
	}
	neighbour := func(got *folio.PostLink, want *wpreal.Neighbour) (bool, any, any) {
		g, w := "none", "none"
		if got != nil {
			g = got.URL + " " + got.Title
		}
		if want != nil {
			w = want.URL + " " + want.Title
		}
		if !navigation && got == nil {
			return true, g, w
		}
		return g == w, g, w
	}
	prevOK, prevGot, prevWant := neighbour(a.Previous, p.Previous)
	nextOK, nextGot, nextWant := neighbour(a.Next, p.Next)
	return []wpField{
		{"url", a.URL == p.URL, a.URL, p.URL},
		{"title", folio.FoldSpace(a.Title) == folio.FoldSpace(p.Title), a.Title, p.Title},
		{"published", published == p.Published, published, p.Published},
		{"category", a.Category == p.Category && slices.Equal(a.Categories, p.Categories),
			fmt.Sprint(a.Category, a.Categories), fmt.Sprint(p.Category, p.Categories)},
		{"tags", slices.Equal(sortedTags, wantTags), sortedTags, wantTags},
		{"author", a.Author == p.Author, a.Author, p.Author},
		{"body", body == wantBody && len(comments) == 0, body, wantBody + fmt.Sprintf(" (comments in the body: %q)", comments)},
		{"source", a.SourceURL == p.SourceURL, a.SourceURL, p.SourceURL},
		{"previous", prevOK, prevGot, prevWant},
		{"next", nextOK, nextGot, nextWant},
		{"language", a.Language == "fr", a.Language, "fr"},
	}
}

// TestWordPressThemes holds extraction to pages saved from a real
// WordPress under each stock theme (internal/testsite/wpreal): every post
// gives every field of the record the build script expects, with comments
// and author boxes on the page, and every other page (home, its pages,
// archives, static pages, the 404 page) is refused as no article. It logs
// the share of posts right per field (go test -v -run TestWordPressThemes).
func TestWordPressThemes(t *testing.T) {
	exp, err := wpreal.LoadExpected()
	if err != nil {
		t.Fatal(err)
	}
	fetched := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, theme := range wpreal.Themes() {
		t.Run(theme, func(t *testing.T) {
			site, err := wpreal.New(theme)
			if err != nil {
				t.Fatal(err)
			}
			pages := map[string]wpreal.Page{}
			for _, p := range site.Pages() {
				pages[p.URL] = p
			}
			page := func(path string) folio.Page {
				p := pages[path]
				// The saved pages name the site by the placeholder host,
				// and so do the expected records.
				u := "http://" + wpreal.Placeholder + path
				return folio.Page{URL: u, RequestedURL: u, Status: p.Status,
					Header: http.Header{"Content-Type": {p.ContentType}}, Body: p.Body, FetchedAt: fetched}
			}

			var names []string
			for _, f := range wpFields(folio.Article{}, wpreal.Post{}, false) {
				names = append(names, f.name)
			}
			right := map[string]int{}
			for _, p := range exp.Posts {
				path := wpreal.Path(p.URL)
				if _, ok := pages[path]; !ok {
					t.Errorf("post %s was not saved", path)
					continue
				}
				a, err := Extract(page(path), DefaultRules())
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				for _, f := range wpFields(a, p, exp.PostNavigation[theme]) {
					if f.ok {
						right[f.name]++
						continue
					}
					t.Errorf("%s: %s = %v, want %v", path, f.name, f.got, f.want)
				}
			}
			var b strings.Builder
			for _, n := range names {
				fmt.Fprintf(&b, " %s %.3f", n, float64(right[n])/float64(len(exp.Posts)))
			}
			t.Logf("%s, %d posts:%s", theme, len(exp.Posts), b.String())

			refused, listed := 0, map[string]bool{}
			for _, n := range exp.NonArticles {
				path := wpreal.Path(n.URL)
				listed[path] = true
				if _, ok := pages[path]; !ok {
					continue // not linked from any page of this theme
				}
				a, err := Extract(page(path), DefaultRules())
				if !errors.Is(err, ErrNotArticle) {
					t.Errorf("%s (%s): record titled %q, err %v; want ErrNotArticle", path, n.Kind, a.Title, err)
					continue
				}
				refused++
			}
			if _, err := Extract(page(wpreal.NotFoundPath), DefaultRules()); !errors.Is(err, ErrNotArticle) {
				t.Errorf("404 page: err %v, want ErrNotArticle", err)
			}
			t.Logf("%s: %d non-article pages refused", theme, refused)

			// Every saved HTML page is a post, a post's reply link, or a
			// page the expected records list as no article: nothing of
			// the site escapes the checks above.
			posts := map[string]bool{}
			for _, p := range exp.Posts {
				posts[wpreal.Path(p.URL)] = true
			}
			for path, p := range pages {
				if !strings.HasPrefix(p.ContentType, "text/html") || path == wpreal.NotFoundPath {
					continue
				}
				base, query, _ := strings.Cut(path, "?")
				switch {
				case posts[path] || listed[path]:
				case posts[base] && strings.HasPrefix(query, "replytocom="):
				default:
					t.Errorf("saved page %s is neither a post nor a listed non-article page", path)
				}
			}
		})
	}
}
