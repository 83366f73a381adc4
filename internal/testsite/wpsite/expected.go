package wpsite

import (
	"math"
	"strings"
	"time"
	"unicode"
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
	m := s.model.Load()
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

// setPhrases gives every article a phrase of six consecutive words of its
// body that occurs in no other article's body or title (comparing words
// without case, accents or the punctuation stuck to them). Of those windows
// it picks the one holding the rarest word across the site (then the one
// whose words are rarest overall), so that even a search that ignores word
// order finds the article first; windows holding a
// lone punctuation mark («, », :) or a sentence end before their last word
// are avoided.
func setPhrases(articles []Article) {
	const n = 6
	type key [n]int32
	ids := map[string]int32{} // word as written → id of its normal form
	normalIDs := map[string]int32{}
	wordIDs := func(text string) ([]string, []int32) {
		words := strings.Fields(text)
		out := make([]int32, len(words))
		for i, w := range words {
			id, ok := ids[w]
			if !ok {
				normal := strings.Trim(fold(w), ",.;:!?«»()…\"")
				if id, ok = normalIDs[normal]; !ok {
					id = int32(len(normalIDs))
					normalIDs[normal] = id
				}
				ids[w] = id
			}
			out[i] = id
		}
		return words, out
	}
	windowKey := func(ws []int32, i int) key { return key(ws[i : i+n]) }

	bodyWords := make([][]string, len(articles))
	bodyIDs := make([][]int32, len(articles))
	owners := map[key]int{} // window → article index, or -1 when shared
	var docFreq []int       // word id → number of articles using it
	for i, a := range articles {
		bodyWords[i], bodyIDs[i] = wordIDs(a.Body)
		_, titleIDs := wordIDs(a.Title)
		seen := map[int32]bool{}
		for _, ws := range [][]int32{bodyIDs[i], titleIDs} {
			for j := 0; j+n <= len(ws); j++ {
				k := windowKey(ws, j)
				if o, ok := owners[k]; !ok {
					owners[k] = i
				} else if o != i {
					owners[k] = -1
				}
			}
			for _, id := range ws {
				if !seen[id] {
					seen[id] = true
					for int(id) >= len(docFreq) {
						docFreq = append(docFreq, 0)
					}
					docFreq[id]++
				}
			}
		}
	}
	total := float64(len(articles))
	for i := range articles {
		words, ws := bodyWords[i], bodyIDs[i]
		best, bestRarest, bestScore := -1, len(articles)+1, -1.0
		for j := 0; j+n <= len(ws); j++ {
			if owners[windowKey(ws, j)] != i || !wellFormed(words[j:j+n]) {
				continue
			}
			rarest, score := len(articles), 0.0
			for _, id := range ws[j : j+n] {
				rarest = min(rarest, docFreq[id])
				score += math.Log(total / float64(docFreq[id]))
			}
			if rarest < bestRarest || (rarest == bestRarest && score > bestScore) {
				best, bestRarest, bestScore = j, rarest, score
			}
		}
		if best >= 0 {
			articles[i].Phrase = strings.Join(words[best:best+n], " ")
		}
	}
}

// wellFormed reports whether every word of a window has a letter or digit
// and no word but the last ends a sentence.
func wellFormed(words []string) bool {
	for i, w := range words {
		if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			return false
		}
		if i < len(words)-1 && strings.ContainsAny(w[len(w)-1:], ".!?") {
			return false
		}
	}
	return true
}
