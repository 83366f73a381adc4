// Package eval measures extraction against expected records: per-field
// accuracy (title, published day, author, language, category, tags) and body
// precision, recall and F1, both as a bag of lower-cased words and as
// 4-word shingles, the method of the public article-extraction benchmark.
//
// Entry points: Load(dir) reads DIR/<case>.html with DIR/<case>.json
// expected records; Run(cases, extractors...) scores each extractor on every
// case and returns a Report, which Write prints as a table. Folio(rules) is
// folio's extractor, Readability() is go-readability alone, the floor folio
// must beat.
//
// Rules of comparison (see Score): a title matches exactly after white
// space is folded, and fairly when it is the start or the end of the
// reference, cut at a separator, and the part cut off (" | Site name",
// " - Author - Site") is the shorter, since folio's contract strips site
// names that reference extractors keep; a published date matches on
// its calendar day, read in the reference's own offset when it has one;
// authors are a hint and match loosely (case, accents, punctuation and a
// "By" label ignored) or by containment. Body scores use \w+ tokens,
// lower-cased.
//
// eval does not fetch pages, decode charsets or know where the cases come
// from: cmd/folio loads a directory or serves the test site and hands the
// pages over. It imports folio and folio/extract only.
package eval
