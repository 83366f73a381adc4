// Package eval measures extraction against what is known of saved pages,
// in one of two formats:
//
//   - human-annotated pages (human.go): a person's title, publication
//     day, authors and categories, and snippets the body must or must not
//     contain; scored as that set's README defines (see ScoreHuman), with
//     body precision, recall and F1 from snippet counts summed over pages;
//   - expected records: per-field accuracy (title, published day, author,
//     language, category, tags) and body precision, recall and F1, both as
//     a bag of lower-cased words and as 4-word shingles, the method of the
//     public article-extraction benchmark.
//
// Entry points: Load(dir) reads the <case>.html pages of DIR and of its
// sub-directories with the <case>.json beside each, and tells the format by
// the record's keys; Evaluate(cases, extractors...) runs each extractor on
// every case, GOMAXPROCS pages at a time, and returns a report in the
// cases' format (HumanReport or Report), whose Write prints a table.
// Folio(rules) is folio's extractor, Readability() is go-readability alone,
// the floor folio must beat; the bench module adds go-trafilatura.
//
// Rules of comparison for expected records (see Score): a title matches
// exactly after white space is folded, and fairly when it is the start or
// the end of the reference, cut at a separator, and the part cut off
// (" | Site name", " - Author - Site") is the shorter, since folio's
// contract strips site names that reference extractors keep; a published
// date matches on its calendar day, read in the reference's own offset when it has one;
// authors are a hint and match loosely (case, accents, punctuation and a
// "By" label ignored) or by containment. Body scores use \w+ tokens,
// lower-cased.
//
// Load passes each page's bytes as stored; LoadDecoded decodes them to
// UTF-8 as the crawler decodes a fetched page (crawler.DecodeHTML), so that
// every extractor reads the same text. Testsite serves the built-in test
// site on loopback and fetches each article with its ground truth. It
// imports folio, folio/extract, folio/crawler (for decoding) and the test
// site only.
package eval
