package folio

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// Page is one fetched HTML document, as the crawler hands it to extraction.
type Page struct {
	// URL is the canonical form of the address the body was served from,
	// after redirects.
	URL string
	// RequestedURL is the address first asked for, before redirects; equal to
	// URL when there was none.
	RequestedURL string
	// Status is the HTTP status code of the final response.
	Status int
	// Header holds the response headers of the final response.
	Header http.Header
	// Body is the document decoded to UTF-8.
	Body []byte
	// FetchedAt is when the response arrived.
	FetchedAt time.Time
	// Depth is the number of links followed from a seed to reach the page.
	Depth int
}

// Link is a titled reference from an article to another page.
type Link struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// PostLink describes a neighbouring post (previous or next) as the linking
// article shows it, so that it is known even before that post is fetched.
type PostLink struct {
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Category  string     `json:"category"`
	Published *time.Time `json:"published"`
	Excerpt   string     `json:"excerpt"`
}

// FrontierURL is one URL a crawl has found but not yet handled, with the
// number of links followed from a seed to reach it. It lives here rather than
// in crawler because the archive persists it without importing crawler.
type FrontierURL struct {
	URL   string
	Depth int
	// Barren is how many pages in a row, up to the one that linked to
	// URL, led to nothing but look-alike URLs (the crawler's trap guard).
	// A frontier shared by several processes keeps it, so that a URL
	// leased by another process is judged as its finder would have; one
	// that does not keep it gives 0.
	Barren int
}

// ArchivedPage is what the archive knows of a URL it holds an article from:
// what a crawl needs to decide whether to fetch the page again, and how. The
// zero value means the URL holds no archived article. It lives here for the
// same reason as FrontierURL.
type ArchivedPage struct {
	// ETag and LastModified are the validators the page was last served
	// with; empty when the site sent none.
	ETag, LastModified string
	// Checked is when the page was last fetched.
	Checked time.Time
	// Archived is when the article was first stored; Changed is when a
	// fetch last found its text changed (zero while it has one revision).
	Archived, Changed time.Time
	// Published and Modified are the dates the archived record holds (the
	// page's own, such as article:modified_time or dateModified); nil when
	// unknown.
	Published, Modified *time.Time
}

// Article is the structured record of one article page. Its JSON form is the
// export contract (docs/design.md, "Article record").
type Article struct {
	ID           string     `json:"id"`
	URL          string     `json:"url"`
	Site         string     `json:"site"`
	Title        string     `json:"title"`
	Published    *time.Time `json:"published"`
	Modified     *time.Time `json:"modified"`
	Category     string     `json:"category"`
	Categories   []string   `json:"categories"`
	Tags         []string   `json:"tags"`
	Author       string     `json:"author"`
	Language     string     `json:"language"`
	Summary      string     `json:"summary"`
	Body         string     `json:"body"`
	BodyHTML     string     `json:"body_html"`
	Previous     *PostLink  `json:"previous"`
	Next         *PostLink  `json:"next"`
	Related      []Link     `json:"related"`
	SourceURL    string     `json:"source_url"`
	CommentCount *int       `json:"comment_count"`
	Images       []string   `json:"images"`
	FetchedAt    time.Time  `json:"fetched_at"`
	ContentHash  string     `json:"content_hash"`
}

// MarshalJSON writes the record with every list present: an unknown list is
// [] rather than null, and an unknown source link is null, as the contract
// asks.
func (a Article) MarshalJSON() ([]byte, error) {
	type plain Article
	out := struct {
		plain
		SourceURL *string `json:"source_url"`
	}{plain: plain(a)}
	if a.SourceURL != "" {
		out.SourceURL = &a.SourceURL
	}
	if out.Categories == nil {
		out.Categories = []string{}
	}
	if out.Tags == nil {
		out.Tags = []string{}
	}
	if out.Related == nil {
		out.Related = []Link{}
	}
	if out.Images == nil {
		out.Images = []string{}
	}
	// body_html is HTML: keep < > & readable rather than \u003c-escaped.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads what MarshalJSON writes, null source link included.
func (a *Article) UnmarshalJSON(data []byte) error {
	type plain Article
	var in struct {
		plain
		SourceURL *string `json:"source_url"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*a = Article(in.plain)
	a.SourceURL = ""
	if in.SourceURL != nil {
		a.SourceURL = *in.SourceURL
	}
	return nil
}

// ArticleID is the stable identifier of the article at canonicalURL: the
// first 16 hex digits of the SHA-256 of the URL. The same URL always gives
// the same id, across runs and machines.
func ArticleID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:8])
}

// ContentHash is the hash of an article's normalised title and body: white
// space runs folded to one space and trimmed, so that markup reflows do not
// count as changes. A new revision is stored only when it changes.
func ContentHash(title, body string) string {
	h := sha256.New()
	h.Write([]byte(FoldSpace(title)))
	h.Write([]byte{0})
	h.Write([]byte(FoldSpace(body)))
	return hex.EncodeToString(h.Sum(nil))
}

// FoldSpace replaces every run of Unicode white space (no-break spaces
// included) with one ASCII space and trims both ends.
func FoldSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// SiteOf returns the host name of rawURL, lower-cased and without port, or
// "" when rawURL does not parse.
func SiteOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
