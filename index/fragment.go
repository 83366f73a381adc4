package index

import (
	"container/heap"
	"slices"
	"sort"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/highlight"
)

// bestFragment returns the snippet of text that snippetHighlighter picks
// for the locations tlm (a field of one value, whose locations carry no
// array positions): the same fragments, scored and ranked the same way,
// formatted by markFormatter.
//
// bleve's simple fragmenter walks up to snippetRunes runes forwards and
// backwards from every location, and its scorer tests every location
// against every fragment; with a word found dozens of times in a long body
// that took a quarter of a search's time. Here the text's runes are
// located once, and each step of the walk is an index into them.
//
// Text that bleve's walk would stop on (invalid UTF-8, U+FFFD) and
// locations outside the text or between a rune's bytes go to
// snippetHighlighter itself.
func bestFragment(field string, text []byte, tlm search.TermLocationMap) []string {
	ordered := highlight.OrderTermLocations(tlm)
	const size = snippetRunes
	for _, l := range ordered {
		if len(l.ArrayPositions) != 0 || l.End < l.Start || l.End > len(text) {
			return bleveFragment(field, text, tlm)
		}
	}
	m := runeMapPool.Get().(*runeMap)
	defer runeMapPool.Put(m)
	ok := m.reset(text)
	for _, l := range ordered {
		_, okStart := m.runeOf(l.Start)
		_, okEnd := m.runeOf(l.End)
		ok = ok && okStart && okEnd
	}
	if !ok {
		return bleveFragment(field, text, tlm)
	}
	runeOf := func(b int) int { r, _ := m.runeOf(b); return r }
	starts := m.byteOf

	// The fragments, as simplefragmenter.Fragment cuts them.
	runes := m.runes
	frags := make([]scoredFragment, 0, max(1, len(ordered)))
	if len(ordered) == 0 {
		frags = append(frags, scoredFragment{start: 0, end: starts(min(size, runes))})
	}
	maxBegin := 0
	for i, l := range ordered {
		rs := runeOf(l.Start)
		used := min(size, runes-rs)
		re := rs + used
		end := starts(re)
		// Back towards the previous location's end, for what is left.
		rb := runeOf(maxBegin)
		if rs > rb {
			back := min(size-used, rs-rb)
			rs -= back
		}
		start := starts(rs)
		// Then centre the locations it holds, by half the smaller room.
		minEnd := end
		for _, in := range ordered[i:] {
			if in.End > end {
				break
			}
			minEnd = in.End
		}
		room := re - runeOf(minEnd)
		roomStart := 0
		if start >= maxBegin {
			roomStart = rs - rb
		}
		shift := min(room, roomStart) / 2
		frags = append(frags, scoredFragment{start: starts(rs - shift), end: starts(re - shift)})
		maxBegin = l.End
	}

	// Score each by the number of terms wholly inside it, as
	// simplehighlighter's FragmentScorer does, and push them in order on a
	// heap ordered as its FragmentQueue: ties go the way they go there.
	terms := make([][]*search.Location, 0, len(tlm))
	for _, locs := range tlm {
		sorted := slices.Clone(locs)
		slices.SortFunc(sorted, func(a, b *search.Location) int { return int(a.Start) - int(b.Start) })
		terms = append(terms, sorted)
	}
	pushed := make(fragmentHeap, 0, len(frags))
	for _, f := range frags {
		for _, locs := range terms {
			i, _ := slices.BinarySearchFunc(locs, f.start, func(l *search.Location, start int) int { return int(l.Start) - start })
			for ; i < len(locs) && int(locs[i].Start) <= f.end; i++ {
				if int(locs[i].End) <= f.end {
					f.score++
					break
				}
			}
		}
		heap.Push(&pushed, f)
	}
	best := pushed[0]
	ordered.MergeOverlapping()
	return []string{markFormatter{}.Format(&highlight.Fragment{Orig: text, Start: best.start, End: best.end, Score: best.score}, ordered)}
}

// bleveFragment is bestFragment by snippetHighlighter itself.
func bleveFragment(field string, text []byte, tlm search.TermLocationMap) []string {
	dm := &search.DocumentMatch{Locations: search.FieldTermLocationMap{field: tlm}}
	doc := document.NewDocument("")
	doc.AddField(document.NewTextField(field, nil, text))
	return snippetHighlighter.BestFragmentsInField(dm, doc, field, 1)
}

// runeMap converts between the byte offsets and the rune indexes of a
// text, which news text holds mostly in ASCII: it keeps the multi-byte
// runes alone.
type runeMap struct {
	// wide are the byte offsets of the multi-byte runes; extra[i] the
	// bytes beyond one a rune that the runes up to wide[i] take together.
	wide, extra []int
	runes       int // in the whole text
}

// reset maps text; it reports false when text holds a rune bleve's
// fragmenter stops on (utf8.RuneError: invalid UTF-8 or U+FFFD itself).
func (m *runeMap) reset(text []byte) bool {
	m.wide, m.extra = m.wide[:0], m.extra[:0]
	extra := 0
	for i := 0; i < len(text); {
		if text[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError {
			return false
		}
		extra += n - 1
		m.wide = append(m.wide, i)
		m.extra = append(m.extra, extra)
		i += n
	}
	m.runes = len(text) - extra
	return true
}

// runeOf is the index of the rune at byte offset b; false when b is inside
// a multi-byte rune.
func (m *runeMap) runeOf(b int) (int, bool) {
	k, _ := slices.BinarySearch(m.wide, b) // the wide runes before b
	if k == 0 {
		return b, true
	}
	inside := b < m.wide[k-1]+m.extra[k-1]-m.before(k-1)+1
	return b - m.extra[k-1], !inside
}

// byteOf is the byte offset of rune r (of the text's end, for m.runes).
func (m *runeMap) byteOf(r int) int {
	// The wide runes whose index is below r.
	k := sort.Search(len(m.wide), func(i int) bool { return m.wide[i]-m.before(i) >= r })
	if k == 0 {
		return r
	}
	return r + m.extra[k-1]
}

// before is the extra bytes of the wide runes before wide[i].
func (m *runeMap) before(i int) int {
	if i == 0 {
		return 0
	}
	return m.extra[i-1]
}

var runeMapPool = sync.Pool{New: func() any { return new(runeMap) }}

// scoredFragment is a highlight.Fragment of the one text being cut.
type scoredFragment struct {
	start, end int
	score      float64
}

// fragmentHeap orders fragments as simplehighlighter's FragmentQueue does.
type fragmentHeap []scoredFragment

func (h fragmentHeap) Len() int           { return len(h) }
func (h fragmentHeap) Less(i, j int) bool { return h[i].score > h[j].score }
func (h fragmentHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *fragmentHeap) Push(x any)        { *h = append(*h, x.(scoredFragment)) }
func (h *fragmentHeap) Pop() any {
	old := *h
	f := old[len(old)-1]
	*h = old[:len(old)-1]
	return f
}
