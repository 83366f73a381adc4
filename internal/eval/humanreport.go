package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"
)

// Reporter is a report that prints itself: Report or HumanReport.
type Reporter interface {
	Write(w io.Writer, pages bool) error
}

// Evaluate runs every extractor on every case and scores them by the rules
// of the cases' format (see Load): a HumanReport for human-annotated
// cases, else a Report.
func Evaluate(cases []Case, extractors ...Extractor) Reporter {
	if len(cases) > 0 && cases[0].Human != nil {
		return RunHuman(cases, extractors...)
	}
	return Run(cases, extractors...)
}

// HumanReport holds the scores of each extractor on every human-annotated
// case.
type HumanReport struct {
	// Folders are the cases' folders, in load order.
	Folders []string
	Results []HumanResults
}

// HumanResults is one extractor's verdicts, page by page in load order.
type HumanResults struct {
	Name  string
	Pages []HumanScore
}

// RunHuman scores every extractor on every human-annotated case.
func RunHuman(cases []Case, extractors ...Extractor) HumanReport {
	var rep HumanReport
	seen := map[string]bool{}
	for _, c := range cases {
		if !seen[c.Folder] {
			seen[c.Folder] = true
			rep.Folders = append(rep.Folders, c.Folder)
		}
	}
	for _, x := range extractors {
		hr := HumanResults{Name: x.Name}
		for i, o := range extractAll(cases, x) {
			hr.Pages = append(hr.Pages, ScoreHuman(cases[i], o.got, o.err))
		}
		rep.Results = append(rep.Results, hr)
	}
	return rep
}

// HumanSummary is an extractor's figures over a set of pages.
type HumanSummary struct {
	Name string
	// Pages were scored, Records of them gave a record.
	Pages, Records int
	// Day counts every page where it is measured; Dated and Undated split
	// it into pages annotated with a day and those annotated without one.
	Title, Day, Dated, Undated, Author, Category FieldSummary
	// Body snippet counts, summed over the pages.
	TP, FN, FP, TN int
}

// RecordShare is the share of pages that gave a record.
func (s HumanSummary) RecordShare() float64 { return share(s.Records, s.Pages) }

// Precision is the share of the snippets found that belong to the body:
// TP / (TP + FP).
func (s HumanSummary) Precision() float64 { return share(s.TP, s.TP+s.FP) }

// Recall is the share of body snippets found: TP / (TP + FN).
func (s HumanSummary) Recall() float64 { return share(s.TP, s.TP+s.FN) }

// F1 is the harmonic mean of Precision and Recall.
func (s HumanSummary) F1() float64 { return f1(s.Precision(), s.Recall()) }

// Summary sums up the extractor's verdicts over all pages.
func (r HumanResults) Summary() HumanSummary {
	return r.summary(func(HumanScore) bool { return true })
}

// FolderSummary sums up the extractor's verdicts on one folder's pages.
func (r HumanResults) FolderSummary(folder string) HumanSummary {
	return r.summary(func(p HumanScore) bool { return p.Case.Folder == folder })
}

func (r HumanResults) summary(keep func(HumanScore) bool) HumanSummary {
	s := HumanSummary{Name: r.Name}
	for _, p := range r.Pages {
		if !keep(p) {
			continue
		}
		s.Pages++
		if p.Err == nil {
			s.Records++
		}
		add(&s.Title, p.Title)
		add(&s.Day, p.Day)
		if p.Undated {
			add(&s.Undated, p.Day)
		} else {
			add(&s.Dated, p.Day)
		}
		add(&s.Author, p.Author)
		add(&s.Category, p.Category)
		s.TP += p.TP
		s.FN += p.FN
		s.FP += p.FP
		s.TN += p.TN
	}
	return s
}

// Write prints the figures over all pages, then folder by folder when
// there are several, one column per extractor; with pages, it then lists
// every page's verdicts for each extractor.
func (rep HumanReport) Write(w io.Writer, pages bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	all := make([]HumanSummary, len(rep.Results))
	for i, r := range rep.Results {
		all[i] = r.Summary()
	}
	writeHumanSection(tw, "all pages", all)
	if len(rep.Folders) > 1 {
		for _, f := range rep.Folders {
			sums := make([]HumanSummary, len(rep.Results))
			for i, r := range rep.Results {
				sums[i] = r.FolderSummary(f)
			}
			fmt.Fprint(tw, strings.Repeat("\t", len(sums)+1)+"\n")
			writeHumanSection(tw, folderLabel(f), sums)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !pages {
		return nil
	}
	for _, r := range rep.Results {
		if err := writeHumanPages(w, r); err != nil {
			return err
		}
	}
	return nil
}

func folderLabel(f string) string {
	if f == "" {
		return "./"
	}
	return f + "/"
}

// writeHumanSection prints one set of pages' figures; a field no page of
// the set measures gets no row.
func writeHumanSection(tw io.Writer, label string, sums []HumanSummary) {
	if len(sums) == 0 {
		return
	}
	row := func(label string, cell func(HumanSummary) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, s := range sums {
			fmt.Fprintf(tw, "%s\t", cell(s))
		}
		fmt.Fprintln(tw)
	}
	row(label+": "+pageCount(sums[0].Pages), func(s HumanSummary) string { return s.Name })
	row("pages with a record", func(s HumanSummary) string { return fmt.Sprintf("%.3f", s.RecordShare()) })
	field := func(label string, pick func(HumanSummary) FieldSummary) {
		if n := pick(sums[0]).Measured; n > 0 {
			row(fmt.Sprintf("%s (of %d)", label, n), func(s HumanSummary) string {
				return fmt.Sprintf("%.3f", pick(s).Accuracy())
			})
		}
	}
	field("title", func(s HumanSummary) FieldSummary { return s.Title })
	field("publication day", func(s HumanSummary) FieldSummary { return s.Day })
	if sums[0].Undated.Measured > 0 {
		field("day, where annotated", func(s HumanSummary) FieldSummary { return s.Dated })
		field("no day, where none", func(s HumanSummary) FieldSummary { return s.Undated })
	}
	field("author", func(s HumanSummary) FieldSummary { return s.Author })
	field("category", func(s HumanSummary) FieldSummary { return s.Category })
	if s := sums[0]; s.TP+s.FN+s.FP+s.TN > 0 {
		row("body snippet precision", func(s HumanSummary) string { return fmt.Sprintf("%.3f", s.Precision()) })
		row("body snippet recall", func(s HumanSummary) string { return fmt.Sprintf("%.3f", s.Recall()) })
		row("body snippet F1", func(s HumanSummary) string { return fmt.Sprintf("%.3f", s.F1()) })
		row("body TP/FN/FP/TN", func(s HumanSummary) string { return fmt.Sprintf("%d/%d/%d/%d", s.TP, s.FN, s.FP, s.TN) })
	}
}

// writeHumanPages lists one extractor's verdicts page by page, in load
// order: a line of marks (T title, D day, A author, C category: + right,
// - wrong, . not measured) and body snippet counts, then a line for each
// field missed, with what was extracted and what was wanted, and each
// snippet missed or kept.
func writeHumanPages(w io.Writer, r HumanResults) error {
	fmt.Fprintf(w, "\n%s, page by page (T title, D day, A author, C category: + right, - wrong, . not measured;\n"+
		"body snippets TP found, FN missed, FP boilerplate kept):\n", r.Name)
	width := 0
	for _, p := range r.Pages {
		width = max(width, utf8.RuneCountInString(p.Case.Path()))
	}
	var b strings.Builder
	for _, p := range r.Pages {
		fmt.Fprintf(&b, "%-*s  T%s D%s A%s C%s", width, p.Case.Path(),
			mark(p.Title, false), mark(p.Day, false), mark(p.Author, false), mark(p.Category, false))
		if p.TP+p.FN+p.FP+p.TN > 0 {
			fmt.Fprintf(&b, "  TP %2d FN %2d FP %2d", p.TP, p.FN, p.FP)
		}
		b.WriteString("\n")
		h := p.Case.Human
		if p.Err != nil {
			fmt.Fprintf(&b, "    no record: %s\n", collapse(p.Err.Error()))
		}
		if p.Title.Measured && !p.Title.Exact {
			fmt.Fprintf(&b, "    title     got %q want %q\n", p.Got.Title, *h.Title)
		}
		if p.Day.Measured && !p.Day.Exact {
			got, want := "none", "none"
			if p.Got.Published != nil {
				got = p.Got.Published.Format(time.RFC3339)
			}
			if h.Date != nil {
				want = *h.Date
			}
			fmt.Fprintf(&b, "    day       got %s want %s\n", got, want)
		}
		if p.Author.Measured && !p.Author.Exact {
			fmt.Fprintf(&b, "    author    got %q want %q\n", p.Got.Author, *h.Author)
		}
		if p.Category.Measured && !p.Category.Exact {
			fmt.Fprintf(&b, "    category  got %q want one of %q\n", p.Got.Category, h.Categories)
		}
		for _, s := range p.Missed {
			fmt.Fprintf(&b, "    missed    %q\n", clip(s))
		}
		for _, s := range p.Kept {
			fmt.Fprintf(&b, "    kept      %q\n", clip(s))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// clip shortens a snippet for the listing to 100 runes.
func clip(s string) string {
	s = collapse(s)
	if utf8.RuneCountInString(s) <= 100 {
		return s
	}
	return string([]rune(s)[:99]) + "…"
}
