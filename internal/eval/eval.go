package eval

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"folio"
	"folio/extract"

	"codeberg.org/readeck/go-readability/v2"
)

// Result is what an extractor found on a page: the fields eval measures.
type Result struct {
	Title     string
	Author    string
	Published *time.Time
	Language  string
	Category  string
	Tags      []string
	Body      string
}

// Extractor is one way of extracting a page, under a name for the report.
type Extractor struct {
	Name    string
	Extract func(folio.Page) (Result, error)
}

// Folio is folio's extractor with rules r (empty fields fall back to
// extract.DefaultRules).
func Folio(r extract.Rules) Extractor {
	return Extractor{Name: "folio", Extract: func(p folio.Page) (Result, error) {
		a, err := extract.Extract(p, r)
		if err != nil {
			return Result{}, err
		}
		return FromArticle(a), nil
	}}
}

// FromArticle is the part of a record eval measures.
func FromArticle(a folio.Article) Result {
	return Result{Title: a.Title, Author: a.Author, Published: a.Published, Language: a.Language,
		Category: a.Category, Tags: a.Tags, Body: a.Body}
}

// Readability is go-readability alone on the same bytes: its title, byline,
// published time, language and text.
func Readability() Extractor {
	return Extractor{Name: "readability", Extract: func(p folio.Page) (Result, error) {
		u, err := url.Parse(p.URL)
		if err != nil {
			return Result{}, fmt.Errorf("readability %s: %w", p.URL, err)
		}
		art, err := readability.FromReader(bytes.NewReader(p.Body), u)
		if err != nil {
			return Result{}, fmt.Errorf("readability %s: %w", p.URL, err)
		}
		r := Result{Title: art.Title(), Author: art.Byline(), Language: art.Language()}
		if t, err := art.PublishedTime(); err == nil {
			r.Published = &t
		}
		if art.Node != nil {
			var b strings.Builder
			if err := art.RenderText(&b); err != nil {
				return Result{}, fmt.Errorf("readability %s: render text: %w", p.URL, err)
			}
			r.Body = b.String()
		}
		return r, nil
	}}
}

// Report holds the scores of each extractor on every case.
type Report struct {
	Cases   int
	Results []ExtractorReport
}

// ExtractorReport is one extractor's scores.
type ExtractorReport struct {
	Name  string
	Pages []PageScore
}

// FieldSummary is the accuracy of one field over the pages that measure it.
type FieldSummary struct {
	Measured, Exact, Fair int
}

// Accuracy is the share of measured pages that match exactly.
func (f FieldSummary) Accuracy() float64 { return share(f.Exact, f.Measured) }

// FairAccuracy is the share of measured pages that match under the looser
// rule.
func (f FieldSummary) FairAccuracy() float64 { return share(f.Fair, f.Measured) }

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// BodySummary is the mean precision and recall over pages, F1 of those
// means (the benchmark's figure) and the mean of the pages' own F1.
type BodySummary struct {
	Precision, Recall, F1, MeanPageF1 float64
}

// Summary is an extractor's figures over all cases.
type Summary struct {
	Name                                         string
	Pages, Failed                                int
	Title, Published, Author, Language, Category FieldSummary
	Tags                                         FieldSummary
	Bag, Shingles                                BodySummary
}

// Run scores every extractor on every case.
func Run(cases []Case, extractors ...Extractor) Report {
	rep := Report{Cases: len(cases)}
	for _, x := range extractors {
		er := ExtractorReport{Name: x.Name}
		for i, o := range extractAll(cases, x) {
			er.Pages = append(er.Pages, Score(cases[i], o.got, o.err))
		}
		rep.Results = append(rep.Results, er)
	}
	return rep
}

// outcome is what an extractor returned for one page.
type outcome struct {
	got Result
	err error
}

// extractAll runs x on every case, GOMAXPROCS pages at a time, and returns
// the outcomes in the cases' order. A panic in the extractor is that page's
// error, so that one bad page of a third-party extractor does not end the
// run.
func extractAll(cases []Case, x Extractor) []outcome {
	out := make([]outcome, len(cases))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cases)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cases) {
					return
				}
				out[i] = extractOne(x, cases[i].Page)
			}
		})
	}
	wg.Wait()
	return out
}

func extractOne(x Extractor, p folio.Page) (o outcome) {
	defer func() {
		if r := recover(); r != nil {
			o = outcome{err: fmt.Errorf("%s %s: panic: %v", x.Name, p.URL, r)}
		}
	}()
	got, err := x.Extract(p)
	return outcome{got: got, err: err}
}

// Summary sums up the extractor's page scores.
func (er ExtractorReport) Summary() Summary {
	s := Summary{Name: er.Name, Pages: len(er.Pages)}
	var bag, sh []TextScore
	for _, p := range er.Pages {
		if p.Err != nil {
			s.Failed++
		}
		add(&s.Title, p.Title)
		add(&s.Published, p.Published)
		add(&s.Author, p.Author)
		add(&s.Language, p.Language)
		add(&s.Category, p.Category)
		add(&s.Tags, p.Tags)
		bag = append(bag, p.Bag)
		sh = append(sh, p.Shingles)
	}
	s.Bag, s.Shingles = summarise(bag), summarise(sh)
	return s
}

func add(f *FieldSummary, m Match) {
	if !m.Measured {
		return
	}
	f.Measured++
	if m.Exact {
		f.Exact++
	}
	if m.Fair {
		f.Fair++
	}
}

func summarise(scores []TextScore) BodySummary {
	var b BodySummary
	if len(scores) == 0 {
		return b
	}
	for _, s := range scores {
		b.Precision += s.Precision
		b.Recall += s.Recall
		b.MeanPageF1 += s.F1
	}
	n := float64(len(scores))
	b.Precision /= n
	b.Recall /= n
	b.MeanPageF1 /= n
	b.F1 = f1(b.Precision, b.Recall)
	return b
}

// Write prints the summary table, one column per extractor; with pages, it
// then lists every page's verdicts, worst body first.
func (rep Report) Write(w io.Writer, pages bool) error {
	var sums []Summary
	for _, er := range rep.Results {
		sums = append(sums, er.Summary())
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, cell func(Summary) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, s := range sums {
			fmt.Fprintf(tw, "%s\t", cell(s))
		}
		fmt.Fprintln(tw)
	}
	row(pageCount(rep.Cases), func(s Summary) string { return s.Name })
	row("refused or failed", func(s Summary) string { return fmt.Sprint(s.Failed) })
	field := func(label string, pick func(Summary) FieldSummary, fair string) {
		if pick(sums[0]).Measured == 0 {
			return
		}
		row(fmt.Sprintf("%s (of %d)", label, pick(sums[0]).Measured), func(s Summary) string {
			f := pick(s)
			return fmt.Sprintf("%.3f", f.Accuracy())
		})
		if fair != "" {
			row(fmt.Sprintf("%s, %s", label, fair), func(s Summary) string {
				return fmt.Sprintf("%.3f", pick(s).FairAccuracy())
			})
		}
	}
	if len(sums) > 0 {
		field("title exact", func(s Summary) FieldSummary { return s.Title }, "site name stripped")
		field("published day", func(s Summary) FieldSummary { return s.Published }, "")
		field("author exact", func(s Summary) FieldSummary { return s.Author }, "containment")
		field("language", func(s Summary) FieldSummary { return s.Language }, "")
		field("category", func(s Summary) FieldSummary { return s.Category }, "")
		field("tags", func(s Summary) FieldSummary { return s.Tags }, "")
		body := func(label string, pick func(Summary) BodySummary) {
			row(label+" precision", func(s Summary) string { return fmt.Sprintf("%.3f", pick(s).Precision) })
			row(label+" recall", func(s Summary) string { return fmt.Sprintf("%.3f", pick(s).Recall) })
			row(label+" F1", func(s Summary) string { return fmt.Sprintf("%.3f", pick(s).F1) })
			row(label+" mean page F1", func(s Summary) string { return fmt.Sprintf("%.3f", pick(s).MeanPageF1) })
		}
		body("body words", func(s Summary) BodySummary { return s.Bag })
		body("body shingles", func(s Summary) BodySummary { return s.Shingles })
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !pages {
		return nil
	}
	for _, er := range rep.Results {
		if err := writePages(w, er); err != nil {
			return err
		}
	}
	return nil
}

// writePages lists one extractor's verdicts page by page, worst shingle F1
// first: T title, D published day, A author, L language (+ match, - miss,
// . not measured).
func writePages(w io.Writer, er ExtractorReport) error {
	pages := append([]PageScore(nil), er.Pages...)
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].Shingles.F1 < pages[j].Shingles.F1 })
	fmt.Fprintf(w, "\n%s, page by page (T title fair, D published day, A author fair, L language; shingle P R F1):\n", er.Name)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	for _, p := range pages {
		note := ""
		if p.Err != nil {
			note = p.Err.Error()
		} else {
			if p.Title.Measured && !p.Title.Fair {
				note += fmt.Sprintf(" title=%q", p.Got.Title)
			}
			if p.Published.Measured && !p.Published.Exact {
				d := "none"
				if p.Got.Published != nil {
					d = p.Got.Published.Format(time.RFC3339)
				}
				note += " published=" + d
			}
			if p.Author.Measured && !p.Author.Fair {
				note += fmt.Sprintf(" author=%q", p.Got.Author)
			}
		}
		fmt.Fprintf(tw, "%s\tT%s D%s A%s L%s\t%.2f %.2f %.2f\t%s\n", p.Case,
			mark(p.Title, true), mark(p.Published, false), mark(p.Author, true), mark(p.Language, false),
			p.Shingles.Precision, p.Shingles.Recall, p.Shingles.F1, strings.TrimSpace(note))
	}
	return tw.Flush()
}

func mark(m Match, fair bool) string {
	switch {
	case !m.Measured:
		return "."
	case m.Exact || (fair && m.Fair):
		return "+"
	}
	return "-"
}

// pageCount is "1 page" or "n pages".
func pageCount(n int) string {
	if n == 1 {
		return "1 page"
	}
	return fmt.Sprintf("%d pages", n)
}
