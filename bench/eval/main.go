// Command eval is folio eval with a third extractor: it measures folio,
// go-readability alone and go-trafilatura on the same pages in one run and
// prints the report of folio eval (see folio eval --help for the formats
// and the rules of scoring), one column per extractor.
//
//	cd bench && go run ./eval [--pages] DIR
//
// It lives in the bench module so that go-trafilatura and what it pulls in
// stay out of folio's module and binary.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"

	"folio"
	"folio/extract"
	"folio/internal/eval"
)

func main() {
	pages := flag.Bool("pages", false, "also list every page's verdicts, for finding what to fix")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: go run ./eval [--pages] DIR\n\n"+
			"Measures folio, go-readability alone and go-trafilatura on the pages of DIR\n"+
			"(the formats of folio eval; see folio eval --help).\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(os.Stdout, flag.Arg(0), *pages); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, dir string, pages bool) error {
	// As folio eval does: every extractor reads the page decoded to UTF-8
	// by the crawler's rules.
	cases, err := eval.LoadDecoded(dir)
	if err != nil {
		return err
	}
	rep := eval.Evaluate(cases, eval.Folio(extract.DefaultRules()), eval.Readability(), Trafilatura())
	return rep.Write(w, pages)
}

// Trafilatura is go-trafilatura with its fallback extractors (the setting
// its authors benchmark), on the page parsed from the decoded bytes, so that
// it reads the same text as the other extractors rather than guessing the
// charset again.
func Trafilatura() eval.Extractor {
	return eval.Extractor{Name: "trafilatura", Extract: func(p folio.Page) (eval.Result, error) {
		u, err := url.Parse(p.URL)
		if err != nil {
			return eval.Result{}, fmt.Errorf("trafilatura %s: %w", p.URL, err)
		}
		doc, err := html.Parse(bytes.NewReader(p.Body))
		if err != nil {
			return eval.Result{}, fmt.Errorf("trafilatura %s: parse: %w", p.URL, err)
		}
		res, err := trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: u, EnableFallback: true})
		if err != nil {
			return eval.Result{}, fmt.Errorf("trafilatura %s: %w", p.URL, err)
		}
		if res == nil {
			return eval.Result{}, fmt.Errorf("trafilatura %s: %w", p.URL, errors.New("no result"))
		}
		return fromTrafilatura(res), nil
	}}
}

// fromTrafilatura maps go-trafilatura's result onto the fields eval
// measures: its first category is the category, a zero date none.
func fromTrafilatura(res *trafilatura.ExtractResult) eval.Result {
	m := res.Metadata
	r := eval.Result{Title: m.Title, Author: m.Author, Language: m.Language, Tags: m.Tags, Body: res.ContentText}
	if len(m.Categories) > 0 {
		r.Category = m.Categories[0]
	}
	if !m.Date.IsZero() {
		d := m.Date
		r.Published = &d
	}
	return r
}
