// Package synthetic generates French news articles for folio's benchmarks:
// as many as asked (100,000 and more), about 3 KB of body each, the same for
// the same seed, with the word statistics of real news rather than of a bag
// of words.
//
// The entry point is Articles(n, seed). Each article belongs to a story
// (a topic), and most of its rarer words come from that story's own
// vocabulary and names, as an article about a trial in Lyon uses the
// accused's name and the words of that case; the rest is common French
// news vocabulary (with its accents, elisions and typographic apostrophes)
// following Zipf's law, and a long tail of pseudo-words. So a search for a
// story's words matches tens or hundreds of articles, a search for a common
// word thousands, as on a real archive; a corpus whose every word is drawn
// from one Zipf distribution would make every two-word query match most of
// the archive. QueryWords gives words to search for in that spirit.
//
// It only generates records: it does not index, store or serve them.
package synthetic
