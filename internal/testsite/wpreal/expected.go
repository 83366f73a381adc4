package wpreal

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
)

// Expected is testdata/expected.json: what a reader sees of each post and
// which pages are no articles, written by the build script from the data it
// gave WordPress (and read back through WordPress's API), with the site
// named by Placeholder.
type Expected struct {
	// Site is http://Placeholder.
	Site     string `json:"site"`
	TimeZone string `json:"time_zone"`
	// PostNavigation says, per theme, whether its single-post template
	// links to the previous and next posts (read in the theme's files).
	PostNavigation map[string]bool `json:"post_navigation"`
	Posts          []Post          `json:"posts"`
	NonArticles    []NonArticle    `json:"non_articles"`
}

// Post is the record expected of one post.
type Post struct {
	URL   string `json:"url"`
	ID    int    `json:"id"`
	Title string `json:"title"`
	// Published is RFC 3339 in the offset of Paris on that day;
	// PublishedUTC the same instant in UTC.
	Published    string   `json:"published"`
	PublishedUTC string   `json:"published_utc"`
	Category     string   `json:"category"`
	Categories   []string `json:"categories"`
	Tags         []string `json:"tags"`
	Author       string   `json:"author"`
	// AuthorHasBio says whether the author's profile has a biographical
	// note (Twenty Twenty-One then shows an author box, not a byline).
	AuthorHasBio bool `json:"author_has_bio"`
	// Body holds the text of the body's blocks in order (paragraphs and
	// sub-headings), without the "La source" line.
	Body         []string   `json:"body"`
	SourceURL    string     `json:"source_url"`
	Previous     *Neighbour `json:"previous"`
	Next         *Neighbour `json:"next"`
	CommentsOpen bool       `json:"comments_open"`
	Comments     []Comment  `json:"comments"`
}

// Neighbour is the previous or next post as WordPress links to it.
type Neighbour struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// Comment is one approved comment of a post.
type Comment struct {
	ID     int    `json:"id"`
	Author string `json:"author"`
	Text   string `json:"text"`
	Parent int    `json:"parent"`
}

// NonArticle is a page of the site that holds no article.
type NonArticle struct {
	URL string `json:"url"`
	// Kind is "home", "category", "tag", "author", "year", "month", "day"
	// or "page" (a static page); "… page N" for the later pages of a
	// listing.
	Kind  string `json:"kind"`
	Title string `json:"title,omitempty"`
}

// Path is the path and query of a URL of the site, as the manifests list
// addresses.
func Path(u string) string {
	p := strings.TrimPrefix(u, "http://"+Placeholder)
	if p == "" {
		return "/"
	}
	return p
}

// LoadExpected reads testdata/expected.json.
func LoadExpected() (Expected, error) {
	var e Expected
	data, err := fs.ReadFile(testdata, "testdata/expected.json")
	if err != nil {
		return e, fmt.Errorf("load expected records: %w", err)
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("decode expected records: %w", err)
	}
	return e, nil
}

// Versions is testdata/versions.json: what the pages were made with.
type Versions struct {
	WordPress string `json:"wordpress"`
	Locale    string `json:"locale"`
	PHP       string `json:"php"`
	Themes    map[string]struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"themes"`
	DebianPackages map[string]string `json:"debian_packages"`
}

// LoadVersions reads testdata/versions.json.
func LoadVersions() (Versions, error) {
	var v Versions
	data, err := fs.ReadFile(testdata, "testdata/versions.json")
	if err != nil {
		return v, fmt.Errorf("load versions: %w", err)
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, fmt.Errorf("decode versions: %w", err)
	}
	return v, nil
}
