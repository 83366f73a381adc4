package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"folio"
	"folio/archive"
	"folio/index"
)

// pageData is what every page's template gets: its title, the search box's
// text, and the page's own data.
type pageData struct {
	Title string
	Query string
	Data  any
}

var funcs = template.FuncMap{
	"day": func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02 15:04")
	},
	"hitDay": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	// snippet escapes a snippet and marks its matched words.
	"snippet": func(s string) template.HTML {
		return template.HTML(index.Mark(template.HTMLEscapeString(s), "<mark>", "</mark>"))
	},
	"join": strings.Join,
	"add":  func(a, b int) int { return a + b },
}

// parsePages parses each page template with the layout.
func parsePages() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	for _, name := range []string{"search", "article", "diff", "sites", "error", "login"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse %s page: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes a page, or, if its template fails, a plain error: a page
// is rendered whole before any byte is sent.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, data); err != nil {
		s.log.Error("render page", requestAttr(r), slog.String("page", name), slog.String("error", err.Error()))
		http.Error(w, "folio could not show this page; the server's log says why", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorData is what the error page shows: what happened and where to go.
type errorData struct {
	Status  int
	Message string
}

// pageError shows the error page; under /api/ errors are JSON.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) {
		s.apiError(w, r, status, msg)
		return
	}
	if status >= 500 {
		s.log.Error("request failed", requestAttr(r), slog.Int("status", status), slog.String("error", msg))
	}
	s.render(w, r, status, "error", pageData{Title: http.StatusText(status), Data: errorData{Status: status, Message: msg}})
}

// searchData is the search page: the query, its filters and what it found.
type searchData struct {
	Values             url.Values
	Text               string
	Category, Author   string
	Site, Tag          string
	Since, Until, Sort string
	Error              string
	ErrorCol           int
	Searched           bool
	Total              uint64
	First, Last        int
	Hits               []index.Hit
	Facets             []facetGroup
	Prev, Next         string
}

// facetGroup is one facet's values as links that add it as a filter.
type facetGroup struct {
	Name   string
	Values []facetLink
}

type facetLink struct {
	Value  string
	Count  int
	Href   string
	Active bool
}

// hitsPerPage is the search page's page size.
const hitsPerPage = 10

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	d := searchData{Values: v, Text: v.Get("q"), Category: v.Get("category"), Author: v.Get("author"),
		Site: v.Get("site"), Tag: v.Get("tag"), Since: v.Get("since"), Until: v.Get("until"), Sort: v.Get("sort")}
	status := http.StatusOK
	q, err := s.searchQuery(v, hitsPerPage)
	if err != nil {
		qe := err.(*queryError)
		d.Error, d.ErrorCol, status = qe.msg, qe.col, http.StatusBadRequest
	} else {
		q.Facets = true
		res, st, qe := s.search(r, q)
		if qe != nil {
			if st >= 500 {
				s.pageError(w, r, st, qe.msg)
				return
			}
			d.Error, d.ErrorCol, status = qe.msg, qe.col, st
		} else {
			d.Searched = true
			d.Total, d.Hits = res.Total, res.Hits
			d.First, d.Last = q.Offset+1, q.Offset+len(res.Hits)
			d.Facets = facetGroups(v, res.Facets)
			if q.Offset > 0 {
				d.Prev = pageHref(v, q.Offset/q.Limit)
			}
			if uint64(q.Offset+len(res.Hits)) < res.Total && q.Offset+q.Limit <= s.opts.MaxOffset {
				d.Next = pageHref(v, q.Offset/q.Limit+2)
			}
		}
	}
	title := "Search"
	if d.Text != "" {
		title = d.Text + " – Search"
	}
	s.render(w, r, status, "search", pageData{Title: title, Query: d.Text, Data: d})
}

// pageHref is the search page's address with the same query at page n.
func pageHref(v url.Values, n int) string {
	c := cloneValues(v)
	c.Set("page", strconv.Itoa(n))
	c.Del("offset")
	return "/?" + c.Encode()
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// facetGroups turns facet counts into links that filter by each value, or
// drop the filter when it is the one already set.
func facetGroups(v url.Values, f index.Facets) []facetGroup {
	var groups []facetGroup
	add := func(name, param string, counts []index.FacetCount) {
		if len(counts) == 0 {
			return
		}
		g := facetGroup{Name: name}
		for _, c := range counts {
			link := cloneValues(v)
			link.Del("page")
			link.Del("offset")
			active := strings.EqualFold(v.Get(param), c.Value)
			if active {
				link.Del(param)
			} else {
				link.Set(param, c.Value)
			}
			g.Values = append(g.Values, facetLink{Value: c.Value, Count: c.Count, Href: "/?" + link.Encode(), Active: active})
		}
		groups = append(groups, g)
	}
	add("Category", "category", f.Category)
	add("Author", "author", f.Author)
	add("Site", "site", f.Site)
	add("Tag", "tag", f.Tag)
	return groups
}

// articleData is the reader view of one record.
type articleData struct {
	A         folio.Article
	Body      template.HTML
	Previous  *linkView
	Next      *linkView
	Related   []linkView
	Source    *linkView
	Revisions []archive.Revision
}

// linkView is a link of an article: to the archived copy where the archive
// has one, and always the original address.
type linkView struct {
	Title    string
	URL      string
	Archived string // this server's address of the archived copy; empty when none
	Date     string
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, err := s.deps.Archive.Get(r.Context(), id)
	if err == nil && a.ID != id {
		// A URL in the path: send the reader to the article's own address.
		http.Redirect(w, r, "/articles/"+url.PathEscape(a.ID), http.StatusMovedPermanently)
		return
	}
	if errors.Is(err, archive.ErrNotFound) {
		s.pageError(w, r, http.StatusNotFound, fmt.Sprintf("The archive holds no article %q. Search for it instead.", id))
		return
	}
	if err != nil {
		s.pageError(w, r, http.StatusInternalServerError, "The archive could not be read: "+err.Error())
		return
	}
	revs, err := s.deps.Archive.Revisions(r.Context(), id)
	if err != nil {
		s.pageError(w, r, http.StatusInternalServerError, "The archive could not be read: "+err.Error())
		return
	}
	d := articleData{A: a, Revisions: revs, Body: s.body(a)}
	if a.Previous != nil {
		d.Previous = s.postLink(r, a.Previous)
	}
	if a.Next != nil {
		d.Next = s.postLink(r, a.Next)
	}
	for _, l := range a.Related {
		d.Related = append(d.Related, *s.link(r, l.Title, l.URL))
	}
	if a.SourceURL != "" {
		d.Source = s.link(r, "", a.SourceURL)
	}
	s.render(w, r, http.StatusOK, "article", pageData{Title: a.Title, Data: d})
}

// body is the record's body as safe HTML: its sanitised HTML, or its text
// in paragraphs when it has none.
func (s *Server) body(a folio.Article) template.HTML {
	if strings.TrimSpace(a.BodyHTML) != "" {
		return template.HTML(s.sanitise.Sanitize(a.BodyHTML))
	}
	var b strings.Builder
	for _, p := range strings.Split(a.Body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + template.HTMLEscapeString(p) + "</p>\n")
		}
	}
	return template.HTML(b.String())
}

func (s *Server) postLink(r *http.Request, p *folio.PostLink) *linkView {
	l := s.link(r, p.Title, p.URL)
	if p.Published != nil {
		l.Date = p.Published.Format("2006-01-02")
	}
	return l
}

// link points at the archived copy of rawURL where the archive has one.
func (s *Server) link(r *http.Request, title, rawURL string) *linkView {
	l := &linkView{Title: title, URL: rawURL}
	if a, err := s.article(r, rawURL); err == nil {
		l.Archived = "/articles/" + url.PathEscape(a.ID)
		if l.Title == "" {
			l.Title = a.Title
		}
	}
	if l.Title == "" {
		l.Title = rawURL
	}
	return l
}

// diffData is two revisions of an article and the words that changed.
type diffData struct {
	A        folio.Article
	From, To archive.Revision
	Title    []wordOp
	Body     []wordOp
	Changes  int
	Numbers  []int
}

func (s *Server) diffPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	revs, err := s.revisions(r, id)
	if errors.Is(err, archive.ErrNotFound) {
		s.pageError(w, r, http.StatusNotFound, fmt.Sprintf("The archive holds no article %q.", id))
		return
	}
	if err != nil {
		s.pageError(w, r, http.StatusInternalServerError, "The archive could not be read: "+err.Error())
		return
	}
	v := r.URL.Query()
	from, err1 := intParam(v, "from", max(1, len(revs)-1), 1, len(revs))
	to, err2 := intParam(v, "to", len(revs), 1, len(revs))
	if err := errors.Join(err1, err2); err != nil {
		s.pageError(w, r, http.StatusBadRequest, fmt.Sprintf("This article has revisions 1 to %d: %v", len(revs), err))
		return
	}
	d := diffData{A: revs[len(revs)-1].Record, From: revs[from-1], To: revs[to-1]}
	for _, rev := range revs {
		d.Numbers = append(d.Numbers, rev.Number)
	}
	d.Title = wordDiff(d.From.Record.Title, d.To.Record.Title)
	d.Body = wordDiff(d.From.Record.Body, d.To.Record.Body)
	for _, op := range append(append([]wordOp(nil), d.Title...), d.Body...) {
		if op.Kind != opSame {
			d.Changes++
		}
	}
	s.render(w, r, http.StatusOK, "diff", pageData{Title: fmt.Sprintf("%s – revisions %d and %d", d.A.Title, from, to), Data: d})
}

// sitesData is the sites page: records per site, recent runs and the
// schedule.
type sitesData struct {
	Stats    archive.Stats
	Runs     []archive.Run
	Schedule []SiteSchedule
}

func (s *Server) sitesPage(w http.ResponseWriter, r *http.Request) {
	st, runs, err := s.stats(r)
	if err != nil {
		s.pageError(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	d := sitesData{Stats: st, Runs: runs}
	if s.deps.Schedule != nil {
		if d.Schedule, err = s.deps.Schedule(r.Context()); err != nil {
			s.pageError(w, r, http.StatusInternalServerError, "read the schedule: "+err.Error())
			return
		}
	}
	s.render(w, r, http.StatusOK, "sites", pageData{Title: "Sites and runs", Data: d})
}
