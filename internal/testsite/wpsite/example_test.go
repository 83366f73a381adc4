package wpsite_test

import (
	"fmt"
	"io"
	"net/http/httptest"

	"folio/internal/testsite/wpsite"
)

// A test serves the site on loopback, crawls it, and compares what it
// archived with the ground truth and the request counters.
func Example() {
	site := wpsite.New(wpsite.Options{Articles: 60})
	srv := httptest.NewServer(site)
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + "/robots.txt")
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	articles := site.Expected(srv.URL)
	fmt.Println(len(articles), "articles, newest first")
	for _, a := range articles {
		if a.Published.Format("2006-01-02") == "2022-11-07" {
			fmt.Println(a.Title)
			fmt.Println(a.Published.Format("2006-01-02T15:04:05Z07:00"), a.Category, a.Author)
			fmt.Println("previous:", a.Previous.Title)
		}
	}
	fmt.Println("robots.txt fetched", site.Requests("/robots.txt"), "time;", site.RequestsWithPrefix(wpsite.DisallowedPrefix), "requests to", wpsite.DisallowedPrefix)
	// Output:
	// 60 articles, newest first
	// Entre la Corée du Nord et la Russie, un rapprochement symbolique mais intéressé
	// 2022-11-07T00:00:00+01:00 L'Europe admin
	// previous: Méditerranée: trier les migrants comme le fait l’Italie, c’est une violation du droit selon Amnesty
	// robots.txt fetched 1 time; 0 requests to /prive/
}
