package index

import (
	"container/heap"
	"slices"
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
	// The walks from a location go at most size runes forwards and one
	// and a half times that backwards, 4 bytes a rune at most: the runes
	// are located in that window around the locations alone. A location
	// ending before it is more runes back than any walk can go.
	lo, hi := 0, min(len(text), 4*size+8)
	maxEnd := 0
	for _, l := range ordered {
		if len(l.ArrayPositions) != 0 || l.End < l.Start || l.End > len(text) {
			return bleveFragment(field, text, tlm)
		}
		maxEnd = max(maxEnd, l.End)
	}
	if len(ordered) > 0 {
		lo = max(0, ordered[0].Start-12*size-8)
		hi = min(len(text), max(maxEnd, ordered[len(ordered)-1].Start+4*size+8))
	}
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo--
	}
	for hi < len(text) && !utf8.RuneStart(text[hi]) {
		hi++
	}
	buf := runeStartsPool.Get().(*[]int32)
	defer runeStartsPool.Put(buf)
	starts, ok := runeStarts(text, lo, hi, (*buf)[:0])
	*buf = starts
	runeAt := func(b int) (int, bool) { return slices.BinarySearch(starts, int32(b)) }
	for _, l := range ordered {
		_, okStart := runeAt(l.Start)
		_, okEnd := runeAt(l.End)
		ok = ok && okStart && okEnd
	}
	if !ok {
		return bleveFragment(field, text, tlm)
	}
	// runeOf is the index in starts of an offset in the window; an offset
	// before it is taken as 3*size runes before it, farther than any walk.
	runeOf := func(b int) int {
		if b < lo {
			return -3 * size
		}
		r, _ := runeAt(b)
		return r
	}

	// The fragments, as simplefragmenter.Fragment cuts them. Past the
	// window's end (when it is not the text's), more than size runes
	// follow every location.
	runes := len(starts) - 1
	frags := make([]scoredFragment, 0, max(1, len(ordered)))
	if len(ordered) == 0 {
		frags = append(frags, scoredFragment{start: 0, end: int(starts[min(size, runes)])})
	}
	maxBegin := 0
	for i, l := range ordered {
		rs := runeOf(l.Start)
		used := min(size, runes-rs)
		re := rs + used
		end := int(starts[re])
		// Back towards the previous location's end, for what is left.
		rb := runeOf(maxBegin)
		if rs > rb {
			back := min(size-used, rs-rb)
			rs -= back
		}
		start := int(starts[rs])
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
		frags = append(frags, scoredFragment{start: int(starts[rs-shift]), end: int(starts[re-shift])})
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

// runeStarts appends to buf the offset of each rune of text[lo:hi], then
// hi; ok is false when those runes hold one bleve's fragmenter stops on
// (utf8.RuneError: invalid UTF-8 or U+FFFD itself).
func runeStarts(text []byte, lo, hi int, buf []int32) (_ []int32, ok bool) {
	buf = slices.Grow(buf, hi-lo+1)
	for i := lo; i < hi; {
		if text[i] < utf8.RuneSelf {
			buf = append(buf, int32(i))
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:hi])
		if r == utf8.RuneError {
			return buf, false
		}
		buf = append(buf, int32(i))
		i += n
	}
	return append(buf, int32(hi)), true
}

var runeStartsPool = sync.Pool{New: func() any { return new([]int32) }}

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
