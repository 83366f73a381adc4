// Package synthetic generates French news articles for folio's benchmarks:
// as many as asked (100,000 and more), about 3 KB of body each, the same for
// the same seed, with the word statistics of real news rather than of a bag
// of words.
//
// The entry point is New(n, seed), whose Article(i) generates article i
// when asked (a corpus costs no memory until its articles are used). Each
// article belongs to a story, and its words come, in set shares, from:
// French function words (in every article, following Zipf's law, with their
// accents, elisions and typographic apostrophes); general news words
// ("nouveau", "décision": in many articles); the dozen topical words of the
// story's subject ("gouvernement", "Corée", "football"), which other
// articles seldom use; the story's own vocabulary and names, as an article
// about a trial in Lyon uses the accused's name and the words of that case;
// and a long tail of pseudo-words. So a search for a story's words matches
// tens of articles, one for a topical word a few thousand in 100,000, as
// on a real archive; a corpus whose every word is drawn from one Zipf
// distribution would make most queries match most of the archive. Queries
// gives searches in that spirit.
//
// It only generates records: it does not index, store or serve them.
package synthetic
