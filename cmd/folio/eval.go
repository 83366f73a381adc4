package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio/internal/eval"
	"folio/internal/job"
)

type evalOptions struct {
	testsite bool
	articles int
	pages    bool
	site     string
}

func (o *evalOptions) AddFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.testsite, "testsite", false, "evaluate on the built-in test site, served on loopback, against its ground truth")
	f.IntVar(&o.articles, "articles", 60, "number of articles of the test site (with --testsite)")
	f.BoolVar(&o.pages, "pages", false, "also list every page's verdicts, for finding what to fix")
	f.StringVar(&o.site, "site", "", "use the rules of this configured site (default: WordPress defaults)")
}

func newEvalCmd(g *globalOpts) *cobra.Command {
	var o evalOptions
	cmd := &cobra.Command{
		Use:   "eval DIR | --testsite",
		Short: "Measure extraction against human annotations or expected records",
		Long: `Eval runs extraction over the pages of DIR (DIR/*.html and DIR/*/*.html),
compares each record with what DIR holds about the page in <page>.json beside
it, and prints the figures with one column per extractor: folio, and
go-readability alone on the same pages, the floor to beat. The records' keys
say which of two formats DIR is in.

Human-annotated format: each <page>.json has the keys id, dataset, url,
title, date (YYYY-MM-DD), author, categories, tags, body_with, body_without,
body and source, null where the annotator recorded nothing. The url is passed
as the page's URL. Each field is scored as follows:
  title     equal after Unicode NFKC, case folding, making every quotation
            mark " and every dash -, and collapsing white space;
  day       the record's published date, in the offset the record states,
            is the annotated day; on a page annotated with body snippets but
            no date, the page shows none, and giving no date is right;
  author    the same set of names: record and annotation each split on ';'
            and ',' and normalised as titles ("By Jane Doe, Staff Writer" is
            not "Jane Doe");
  category  where categories are annotated: the record's category, whole and
            normalised as titles, is one of them ("Food, Baking" is not
            "Food");
  body      each snippet, white space collapsed, is a substring of the
            record's body, white space collapsed: a body_with snippet found
            is a true positive, missed a false negative; a body_without
            snippet found is a false positive, absent a true negative.
            Precision, recall and F1 come from the counts summed over all
            pages.
A page the extractor refuses or fails on counts as an empty record: its
title, author and category miss, its body_with snippets are false
negatives, and on a page annotated without a date its day is right. "pages
with a record" is the share of pages that gave one. Each figure is shown
over all pages, then for each folder of DIR.

Expected-record format: each <page>.json has the keys url, title, author,
published, language, summary, site_name and body (null: not measured; a null
url stands for http://example.com/<page>/). Eval prints per-field accuracy
and body precision, recall and F1, both as a bag of lower-cased words and as
4-word shingles. Titles count exactly after folding white space, and fairly
when the reference only adds a shorter " | Site name" part before or after a
separator, which folio strips; published dates count by calendar day;
authors are a hint (exact after folding case and punctuation, or by
containment).

Pages are decoded to UTF-8 as the crawler decodes a fetched page whose
Content-Type names no charset (byte-order mark, valid UTF-8, <meta charset>,
else Windows-1252), for every extractor alike.

--pages adds a listing, page by page and extractor by extractor: for
human-annotated pages, each field missed with what was extracted and what
was wanted, and the body snippets missed or kept; for expected records, each
page's verdicts, worst body first.

The benchmark module in the repository's bench/ directory prints the same
report with go-trafilatura as a third column, kept out of folio's module
and binary: cd bench && go run ./eval DIR (see bench/README.md).

With --testsite, eval serves the built-in test site on loopback and measures
every article page against the site's ground truth, category and tags
included.

The sets behind the README's figures are not in the repository (142 MB of
pages that belong to their publishers); README.md, "Extraction", says where
they come from. The repository holds small examples of both formats:
testdata/eval (a link to internal/eval/testdata/human) and
internal/eval/testdata.

Exit status: 0 success, 1 when the cases cannot be read, 2 usage error.`,
		Example: `  folio eval testdata/eval                  # from the repository's root: three annotated pages, by folder
  folio eval --pages DIR | less              # DIR: a human-annotated set, such as the development set below
  folio eval internal/eval/testdata          # two pages with expected records
  folio eval --testsite`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case o.testsite && len(args) > 0:
				return usageErrorf("give either DIR or --testsite, not both")
			case !o.testsite && len(args) != 1:
				return usageErrorf("eval needs one DIR (or --testsite)")
			}
			return runEval(cmd.Context(), o, g, args)
		},
	}
	o.AddFlags(cmd.Flags())
	return cmd
}

func runEval(ctx context.Context, o evalOptions, g *globalOpts, args []string) error {
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	site := job.Site{}
	if o.site != "" {
		s, ok := cfg.Site(o.site)
		if !ok {
			return usageErrorf("--site %q: no such site in the config", o.site)
		}
		site = s
	}
	rules := site.WithDefaults().Rules

	var cases []eval.Case
	if o.testsite {
		if o.articles < 3 {
			return usageErrorf("--articles %d: the test site has at least 3 articles", o.articles)
		}
		cases, err = eval.Testsite(ctx, o.articles)
	} else if cases, err = eval.LoadDecoded(args[0]); err != nil {
		err = fmt.Errorf("%w\n%s", err, evalSetsHint)
	}
	if err != nil {
		return err
	}
	rep := eval.Evaluate(cases, eval.Folio(rules), eval.Readability())
	return rep.Write(g.stdout, o.pages)
}

// evalSetsHint follows an error reading DIR: what eval wants, and where.
const evalSetsHint = `eval reads a directory of pages (*.html) with a <page>.json beside each
(folio eval --help); the repository has small examples, testdata/eval
(human-annotated) and internal/eval/testdata (expected records), and
--testsite needs none`
