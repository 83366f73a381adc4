package eval

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"folio"
	"folio/crawler"
	"folio/internal/testsite/wpsite"
)

// LoadDecoded is Load, with each page decoded to UTF-8 as the crawler
// decodes a fetched page whose Content-Type names no charset (byte-order
// mark, valid UTF-8, <meta charset>, else Windows-1252), so that every
// extractor reads the same text.
func LoadDecoded(dir string) ([]Case, error) {
	cases, err := Load(dir)
	if err != nil {
		return nil, err
	}
	for i := range cases {
		body, err := crawler.DecodeHTML(cases[i].Page.Body)
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", cases[i].Name, err)
		}
		cases[i].Page.Body = body
	}
	return cases, nil
}

// Testsite serves the built-in test site with the given number of
// articles on loopback, fetches each article over HTTP and pairs it with
// the site's ground truth, category and tags included.
func Testsite(ctx context.Context, articles int) ([]Case, error) {
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

	var cases []Case
	for _, want := range site.Expected(base) {
		page, err := fetchPage(ctx, client, want.URL)
		if err != nil {
			return nil, err
		}
		cases = append(cases, Case{
			Name: strings.TrimPrefix(want.URL, base),
			Page: page,
			Want: expectedFromTruth(want),
		})
	}
	return cases, nil
}

func fetchPage(ctx context.Context, client *http.Client, pageURL string) (folio.Page, error) {
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
	decoded, err := crawler.DecodeHTML(body)
	if err != nil {
		return folio.Page{}, fmt.Errorf("fetch %s: %w", pageURL, err)
	}
	return folio.Page{URL: pageURL, RequestedURL: pageURL, Status: resp.StatusCode, Header: resp.Header,
		Body: decoded, FetchedAt: time.Now()}, nil
}

// expectedFromTruth is the test site's ground truth in eval's form.
func expectedFromTruth(a wpsite.Article) Expected {
	published := a.Published.Format(time.RFC3339)
	tags := a.Tags
	if tags == nil {
		tags = []string{}
	}
	return Expected{
		URL: &a.URL, Title: &a.Title, Author: &a.Author, Published: &published,
		Language: &a.Language, Summary: &a.Summary, Body: &a.Body,
		Category: &a.Category, Tags: &tags,
	}
}
