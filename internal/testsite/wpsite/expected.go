package wpsite

import (
	"strings"
	"time"
)

// Article is the record an extractor should produce from one article page of
// the site: the ground truth tests compare folio's archive against. Its
// fields follow folio's export contract but it is this package's own type.
type Article struct {
	URL        string    `json:"url"`
	Title      string    `json:"title"`
	Published  time.Time `json:"published"` // midnight Europe/Paris of the day shown
	Category   string    `json:"category"`  // the first category listed above the title
	Categories []string  `json:"categories"`
	Tags       []string  `json:"tags"` // the rel="tag" links, in page order; empty, not nil, when none
	Author     string    `json:"author"`
	Language   string    `json:"language"`
	Summary    string    `json:"summary"` // the lead paragraph
	// Body is the text of the lead and of every body paragraph, joined by a
	// blank line; it leaves out "Lire la suite", "À lire aussi : …" and
	// "La source", which are links (SourceURL, Related), not text.
	Body         string   `json:"body"`
	Previous     *PostRef `json:"previous"` // nil for the oldest article
	Related      []Link   `json:"related"`
	SourceURL    string   `json:"source_url"`
	CommentCount int      `json:"comment_count"`
	Images       []string `json:"images"` // the header picture, when the post has one
	// Phrase is six consecutive words of Body that no other article's body
	// or title contains, even after folding case and accents: a search for
	// it should put this article first.
	Phrase string `json:"-"`
}

// PostRef is the "Previous post" card of an article page.
type PostRef struct {
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Category  string    `json:"category"`
	Published time.Time `json:"published"`
	Excerpt   string    `json:"excerpt"` // ends with " […]"
}

// Link is a titled link, as "À lire aussi" shows one.
type Link struct {
	URL   string `json:"url"`
	Title string `json:"title"`
}

// Expected returns the record of every article of the site, newest first, as
// served at baseURL ("http://127.0.0.1:8080", no trailing slash needed).
// Text fields hold the page's characters, no-break spaces included; compare
// them after folding white space.
func (s *Site) Expected(baseURL string) []Article {
	base := strings.TrimSuffix(baseURL, "/")
	m := s.model
	out := make([]Article, 0, len(m.posts))
	texts := make([]postText, len(m.posts))
	for i, p := range m.posts {
		texts[i] = m.text(p)
	}
	for _, rank := range m.newestFirst {
		p := m.posts[rank]
		t := texts[rank]
		a := Article{
			URL:          base + p.path,
			Title:        p.title,
			Published:    p.day,
			Category:     categories[p.cats[0]].name,
			Author:       authors[p.author].name,
			Language:     "fr",
			Summary:      t.paragraphs[0],
			Body:         strings.Join(t.paragraphs, "\n\n"),
			Tags:         append([]string{}, p.tags...),
			Related:      []Link{},
			SourceURL:    p.source,
			CommentCount: p.comments,
			Images:       []string{},
		}
		for _, c := range p.cats {
			a.Categories = append(a.Categories, categories[c].name)
		}
		if rank > 0 {
			q := m.posts[rank-1]
			a.Previous = &PostRef{
				URL:       base + q.path,
				Title:     q.title,
				Category:  categories[q.cats[0]].name,
				Published: q.day,
				Excerpt:   excerpt(m.contentTexts(q, texts[rank-1])),
			}
		}
		if p.related >= 0 {
			q := m.posts[p.related]
			a.Related = append(a.Related, Link{URL: base + q.path, Title: q.title})
		}
		if p.image != "" {
			a.Images = append(a.Images, base+p.image)
		}
		out = append(out, a)
	}
	setPhrases(out)
	return out
}

// setPhrases gives every article the first six-word window of its body,
// after the lead, that occurs in no other article's body or title; windows
// made of words only (no digits, no punctuation but apostrophes and hyphens)
// are preferred, so that a search engine's tokenizer sees the same words.
func setPhrases(articles []Article) {
	const n = 6
	windows := func(text string) [][]string {
		words := strings.Fields(text)
		var out [][]string
		for i := 0; i+n <= len(words); i++ {
			out = append(out, words[i:i+n])
		}
		return out
	}
	key := func(w []string) string {
		parts := make([]string, len(w))
		for i, s := range w {
			parts[i] = strings.Trim(fold(s), ",.;:!?«»()…")
		}
		return strings.Join(parts, " ")
	}
	owners := map[string]int{} // window → article index, or -1 when shared
	for i, a := range articles {
		for _, w := range append(windows(a.Body), windows(a.Title)...) {
			k := key(w)
			if j, ok := owners[k]; ok && j != i {
				owners[k] = -1
			} else if !ok {
				owners[k] = i
			}
		}
	}
	for i := range articles {
		a := &articles[i]
		body := strings.TrimPrefix(a.Body, a.Summary)
		var fallback string
		for _, w := range append(windows(body), windows(a.Summary)...) {
			if owners[key(w)] != i {
				continue
			}
			if plainWords(w) {
				a.Phrase = strings.Join(w, " ")
				break
			}
			if fallback == "" {
				fallback = strings.Join(w, " ")
			}
		}
		if a.Phrase == "" {
			a.Phrase = fallback
		}
	}
}

func plainWords(words []string) bool {
	for _, w := range words {
		for _, r := range w {
			if !(r == '’' || r == '\'' || r == '-' || isLetter(r)) {
				return false
			}
		}
	}
	return true
}
