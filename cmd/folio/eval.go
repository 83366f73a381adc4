package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"folio"
	"folio/internal/eval"
	"folio/internal/job"
	"folio/internal/testsite/wpsite"
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
	f.BoolVar(&o.pages, "pages", false, "also list every page's verdicts, worst body first")
	f.StringVar(&o.site, "site", "", "use the rules of this configured site (default: WordPress defaults)")
}

func newEvalCmd(g *globalOpts) *cobra.Command {
	var o evalOptions
	cmd := &cobra.Command{
		Use:   "eval DIR | --testsite",
		Short: "Measure extraction against expected records",
		Long: `Eval runs extraction over DIR/*.html, compares each record with the
expected one in DIR/<case>.json, and prints per-field accuracy (title,
published day, author, language) and body precision, recall and F1, both as a
bag of lower-cased words and as 4-word shingles. go-readability alone is
measured on the same pages, as the floor to beat.

An expected record is JSON with the keys url, title, author, published,
language, summary, site_name and body (null: not measured; a null url stands
for http://example.com/<case>/). Titles count exactly after folding white
space, and fairly when the reference only adds a shorter " | Site name" part
before or after a separator, which folio strips; published dates count by
calendar day; authors are a hint (exact after folding case and punctuation, or
by containment).

With --testsite, eval serves the built-in test site on loopback and measures
every article page against the site's ground truth, category and tags
included.

Exit status: 0 success, 1 when the cases cannot be read, 2 usage error.`,
		Example: `  folio eval ../shared/eval/readability
  folio eval --pages testdata/eval | less
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
		s, ok := cfg.site(o.site)
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
		cases, err = testsiteCases(ctx, o.articles)
	} else {
		cases, err = dirCases(args[0])
	}
	if err != nil {
		return err
	}
	rep := eval.Run(cases, eval.Folio(rules), eval.Readability())
	return rep.Write(g.stdout, o.pages)
}

// dirCases loads DIR's cases and decodes each page to UTF-8 as the crawler
// decodes fetched pages.
func dirCases(dir string) ([]eval.Case, error) {
	cases, err := eval.Load(dir)
	if err != nil {
		return nil, err
	}
	for i := range cases {
		body, err := job.DecodeHTML(cases[i].Page.Body)
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", cases[i].Name, err)
		}
		cases[i].Page.Body = body
	}
	return cases, nil
}

// testsiteCases serves the test site on loopback, fetches each of its
// articles over HTTP and pairs it with the site's ground truth.
func testsiteCases(ctx context.Context, articles int) ([]eval.Case, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	site := wpsite.New(wpsite.Options{Articles: articles})
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 30 * time.Second}

	var cases []eval.Case
	for _, want := range site.Expected(base) {
		page, err := fetchTestsitePage(ctx, client, want.URL)
		if err != nil {
			return nil, err
		}
		cases = append(cases, eval.Case{
			Name: strings.TrimPrefix(want.URL, base),
			Page: page,
			Want: expectedFromTruth(want),
		})
	}
	return cases, nil
}

func fetchTestsitePage(ctx context.Context, client *http.Client, pageURL string) (folio.Page, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pageURL, nil)
	if err != nil {
		return folio.Page{}, fmt.Errorf("fetch %s: %w", pageURL, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return folio.Page{}, fmt.Errorf("fetch %s: %w", pageURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return folio.Page{}, fmt.Errorf("fetch %s: read body: %w", pageURL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return folio.Page{}, fmt.Errorf("fetch %s: status %d", pageURL, resp.StatusCode)
	}
	decoded, err := job.DecodeHTML(body)
	if err != nil {
		return folio.Page{}, fmt.Errorf("fetch %s: %w", pageURL, err)
	}
	return folio.Page{URL: pageURL, RequestedURL: pageURL, Status: resp.StatusCode, Header: resp.Header,
		Body: decoded, FetchedAt: time.Now()}, nil
}

// expectedFromTruth is the test site's ground truth in eval's form.
func expectedFromTruth(a wpsite.Article) eval.Expected {
	published := a.Published.Format(time.RFC3339)
	tags := a.Tags
	if tags == nil {
		tags = []string{}
	}
	return eval.Expected{
		URL: &a.URL, Title: &a.Title, Author: &a.Author, Published: &published,
		Language: &a.Language, Summary: &a.Summary, Body: &a.Body,
		Category: &a.Category, Tags: &tags,
	}
}
