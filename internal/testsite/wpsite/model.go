package wpsite

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on machines without a zoneinfo database
)

// paris is the site's time zone: a post published on a day is dated midnight
// of that day in Europe/Paris.
var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("wpsite: load time zone %s: %v", name, err))
	}
	return loc
}

// post is one article of the site, without its text (see postText).
type post struct {
	rank     int // position in publication order, 0 = oldest
	id       int // WordPress post id
	day      time.Time
	title    string
	slug     string
	path     string // /YYYY/MM/DD/<slug>/
	cats     []int  // indexes into categories; the first is the primary one
	author   int    // index into authors
	tags     []string
	related  int // rank of the post the "À lire aussi" line links to, or -1
	comments int
	views    int
	image    string // path of the header picture, or ""
	source   string // the external "Lire la suite" / "La source" link
	anchor   *anchorText
	gen      genKey
	// fault is the fault mode the post plays a part in (see assignFaults),
	// whether or not the site has that fault switched on; oldPath is its
	// address before it was renamed, for FaultOldSlugs.
	fault   Fault
	oldPath string
	// edits are the days the post was edited on (see Site.Mutate); each
	// added an update paragraph.
	edits []time.Time
}

// modified is when the post last changed: its last edit, else its day.
func (p *post) modified() time.Time {
	if len(p.edits) > 0 {
		return p.edits[len(p.edits)-1]
	}
	return p.day
}

// generatePost makes the k-th generated post (in publication order),
// published on day; perCategory counts the generated posts of each category
// so far, so that each protagonist's name is its category's alone.
func generatePost(seedHash uint64, k int, day time.Time, perCategory []int) *post {
	h := splitmix(seedHash + uint64(k)*0xd1342543de82ef95)
	cat := blockOrder(seedHash, 1, k/len(categories), len(categories))[k%len(categories)]
	p := &post{
		day:    day,
		cats:   []int{cat},
		author: blockOrder(seedHash, 2, k/len(authors), len(authors))[k%len(authors)],
		gen:    genKey{h: h, personK: perCategory[cat], geo: k%6 == 3},
	}
	perCategory[cat]++
	if cat == catFrance && pick(h, 40, 4) == 0 {
		p.cats = append(p.cats, catEurope) // listed after "France", by name
	}
	if k%3 == 2 {
		p.comments = 1 + pick(h, 41, 4)
	}
	p.views = 1 + pick(h, 42, 2400)
	fc := newFacts(p, day.Year())
	p.title = fc.title()
	p.tags = fc.tags(p.gen.geo)
	if k%5 != 4 {
		p.image = fmt.Sprintf("/wp-content/uploads/%04d/%02d/%s-%s-%d.jpg",
			day.Year(), day.Month(), fc.theme.key, slugify(fc.place.city), k+1)
	}
	return p
}

// genKey is what a generated post's text is derived from.
type genKey struct {
	h       uint64 // the post's hash
	personK int    // which name of its category's pool the protagonist gets
	geo     bool   // whether it has the Russia / North Korea paragraph
}

type tagInfo struct {
	name  string
	slug  string
	posts []int // ranks, newest first
}

type monthInfo struct {
	year  int
	month time.Month
	posts []int // ranks, newest first
}

// model is the whole content of a site, built once by New and read-only
// afterwards.
type model struct {
	posts []*post // by rank, oldest first
	// copied are the articles FaultNoindex and FaultDuplicate copy (see
	// copiedPosts).
	copied      []*post
	byPath      map[string]*post
	byID        map[int]*post
	newestFirst []int
	catPosts    [][]int // per category, ranks newest first
	authorPosts [][]int
	tags        []tagInfo // sorted by name
	tagBySlug   map[string]int
	months      []monthInfo // newest first
	monthByKey  map[string]int
	years       map[int][]int
	days        map[string][]int // "2022/11/07" → ranks newest first
	images      map[string]bool
	oldPaths    map[string]*post // FaultOldSlugs: old path → post

	// Caches of what every page repeats, filled as pages are served.
	sidebars sync.Map                 // base URL → sidebar HTML
	excerpts []atomic.Pointer[string] // by rank
}

const (
	firstDay = "2020-01-01"
	lastDay  = "2023-12-31"
)

func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, paris)
}

// publicationDays spreads count posts over 2020–2023 (further back when there
// are more posts than days), at most one a day, never on the anchors' days.
func publicationDays(count int, seedHash uint64, reserved map[string]bool) []time.Time {
	end, _ := time.Parse(time.DateOnly, lastDay)
	start, _ := time.Parse(time.DateOnly, firstDay)
	span := int(end.Sub(start).Hours()/24) + 1
	if need := count + len(reserved); need > span {
		span = need
		start = end.AddDate(0, 0, -(span - 1))
	}
	avail := make([]time.Time, 0, span)
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if !reserved[d.Format(time.DateOnly)] {
			avail = append(avail, d)
		}
	}
	days := make([]time.Time, count)
	if count == 0 {
		return days
	}
	step := len(avail) / count
	for k := range days {
		pos := k*len(avail)/count + pick(seedHash, uint64(1000+k), step)
		days[k] = civil(avail[pos])
	}
	return days
}

// blockOrder returns a permutation of [0, n) for block number block: the
// k-th generated post gets item blockOrder(k/n)[k%n], so that categories and
// authors are spread evenly but not in a visible rotation.
func blockOrder(seedHash uint64, salt uint64, block, n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	h := splitmix(seedHash + salt*0x632be59bd9b4e019 + uint64(block))
	for i := n - 1; i > 0; i-- {
		j := pick(h, uint64(i), i+1)
		order[i], order[j] = order[j], order[i]
	}
	return order
}

// newModel builds the site's content: articles posts spread over 2020–2023,
// the anchors among them, then the edits and new posts of each mutation
// round (see Site.Mutate), in order.
func newModel(articles int, seed uint64, rounds []round) *model {
	seedHash := splitmix(seed ^ 0x5eed)
	reserved := map[string]bool{}
	for _, a := range anchors {
		reserved[fmt.Sprintf("%04d-%02d-%02d", a.year, a.month, a.day)] = true
	}
	generated := max(articles-len(anchors), 0)
	days := publicationDays(generated, seedHash, reserved)

	var posts []*post
	perCategory := make([]int, len(categories))
	for k, day := range days {
		posts = append(posts, generatePost(seedHash, k, day, perCategory))
	}
	for i := range anchors {
		a := &anchors[i]
		posts = append(posts, &post{
			day:    time.Date(a.year, time.Month(a.month), a.day, 0, 0, 0, 0, paris),
			title:  a.title,
			cats:   []int{a.category},
			tags:   a.tags,
			image:  a.image,
			source: a.source,
			anchor: a,
			views:  1,
		})
	}
	slices.SortStableFunc(posts, func(a, b *post) int { return a.day.Compare(b.day) })
	assignFaults(posts)
	posts = mutate(posts, rounds, seedHash, len(days), perCategory)
	copied := copiedPosts(posts)

	m := &model{
		posts:       posts,
		copied:      copied,
		byPath:      make(map[string]*post, len(posts)),
		byID:        make(map[int]*post, len(posts)),
		catPosts:    make([][]int, len(categories)),
		authorPosts: make([][]int, len(authors)),
		tagBySlug:   map[string]int{},
		monthByKey:  map[string]int{},
		years:       map[int][]int{},
		days:        map[string][]int{},
		images:      map[string]bool{},
		oldPaths:    map[string]*post{},
	}
	byTitle := map[string]int{}
	lastInCategory := make([]int, len(categories))
	for i := range lastInCategory {
		lastInCategory[i] = -1
	}
	k := 0 // generated posts seen, in publication order
	for rank, p := range posts {
		p.rank = rank
		p.id = 100 + 7*rank
		p.slug = slugify(p.title)
		if n := byTitle[p.slug]; n > 0 {
			// WordPress's answer to a taken slug; generated titles carry a
			// unique name, so this does not happen with the shipped lists.
			p.slug = fmt.Sprintf("%s-%d", p.slug, n+1)
		}
		byTitle[slugify(p.title)]++
		p.path = fmt.Sprintf("/%04d/%02d/%02d/%s/", p.day.Year(), p.day.Month(), p.day.Day(), p.slug)
		p.related = -1
		if p.anchor == nil {
			if p.source == "" {
				if k%4 == 3 {
					p.source = fmt.Sprintf("https://source.example/%04d/%02d/%s/", p.day.Year(), p.day.Month(), p.slug)
				} else {
					p.source = fmt.Sprintf("https://www.rfi.fr/fr/%s/%s-%s", categories[p.cats[0]].section, p.day.Format("20060102"), p.slug)
				}
			}
			if k%3 == 1 && rank > 0 {
				p.related = lastInCategory[p.cats[0]]
				if p.related < 0 {
					p.related = rank - 1
				}
			}
			k++
		}
		lastInCategory[p.cats[0]] = rank
		m.byPath[p.path] = p
		if p.fault == FaultOldSlugs {
			p.oldPath = oldPathOf(p)
			m.oldPaths[p.oldPath] = p
		}
		m.byID[p.id] = p
		if p.image != "" {
			m.images[p.image] = true
		}
	}
	for _, p := range posts {
		if p.anchor != nil && p.anchor.relatedTitle != "" {
			for _, q := range posts {
				if q.title == p.anchor.relatedTitle {
					p.related = q.rank
				}
			}
		}
	}
	m.excerpts = make([]atomic.Pointer[string], len(posts))
	m.index()
	return m
}

// index builds the listings: every list holds ranks, newest first.
func (m *model) index() {
	tagIndex := map[string]int{}
	for rank := len(m.posts) - 1; rank >= 0; rank-- {
		p := m.posts[rank]
		m.newestFirst = append(m.newestFirst, rank)
		for _, c := range p.cats {
			m.catPosts[c] = append(m.catPosts[c], rank)
		}
		m.authorPosts[p.author] = append(m.authorPosts[p.author], rank)
		for _, t := range p.tags {
			i, ok := tagIndex[t]
			if !ok {
				i = len(m.tags)
				tagIndex[t] = i
				m.tags = append(m.tags, tagInfo{name: t, slug: slugify(t)})
			}
			m.tags[i].posts = append(m.tags[i].posts, rank)
		}
		key := monthKey(p.day.Year(), p.day.Month())
		i, ok := m.monthByKey[key]
		if !ok {
			i = len(m.months)
			m.monthByKey[key] = i
			m.months = append(m.months, monthInfo{year: p.day.Year(), month: p.day.Month()})
		}
		m.months[i].posts = append(m.months[i].posts, rank)
		m.years[p.day.Year()] = append(m.years[p.day.Year()], rank)
		dk := p.day.Format("2006/01/02")
		m.days[dk] = append(m.days[dk], rank)
	}
	slices.SortFunc(m.tags, func(a, b tagInfo) int { return strings.Compare(fold(a.name), fold(b.name)) })
	for i, t := range m.tags {
		m.tagBySlug[t.slug] = i
	}
}

func monthKey(year int, month time.Month) string { return fmt.Sprintf("%04d/%02d", year, month) }

// postText is the text of a post as its page shows it.
type postText struct {
	paragraphs []string // the lead first
	spacer     bool     // an empty paragraph follows the lead
	// relatedAfter is the number of paragraphs the "À lire aussi" line
	// follows (len(paragraphs) when it closes the body).
	relatedAfter int
}

func (m *model) text(p *post) postText {
	var t postText
	if p.anchor != nil {
		t.paragraphs = make([]string, len(p.anchor.paragraphs))
		for i, s := range p.anchor.paragraphs {
			t.paragraphs[i] = typeset(s)
		}
		t.spacer = p.anchor.spacer
	} else {
		t.paragraphs = newFacts(p, p.day.Year()).paragraphs(p.gen.geo)
	}
	t.relatedAfter = len(t.paragraphs)
	if len(t.paragraphs) >= 6 {
		t.relatedAfter = 3
	}
	// Updates close the body, after the "À lire aussi" line wherever it
	// was: an edit does not move what the page showed before.
	for _, day := range p.edits {
		t.paragraphs = append(t.paragraphs, updateParagraph(p, day))
	}
	return t
}

const (
	readMoreText = "Lire la suite"
	sourceText   = "La source"
	readAlsoText = "À lire aussi" + nbsp + ":"
)

// contentTexts lists the text of every paragraph of the post's content, in
// page order, links included: what the theme's excerpt is cut from.
func (m *model) contentTexts(p *post, t postText) []string {
	out := []string{t.paragraphs[0]}
	if t.spacer {
		out = append(out, nbsp)
	}
	out = append(out, readMoreText)
	for i, para := range t.paragraphs[1:] {
		out = append(out, para)
		if p.related >= 0 && i+2 == t.relatedAfter {
			out = append(out, readAlsoText+" "+m.posts[p.related].title)
		}
	}
	return append(out, sourceText)
}

func (m *model) excerpt(p *post) string {
	if e := m.excerpts[p.rank].Load(); e != nil {
		return *e
	}
	e := excerpt(m.contentTexts(p, m.text(p)))
	m.excerpts[p.rank].Store(&e)
	return e
}
