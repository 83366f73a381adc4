package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"folio"
	"folio/archive"
	"folio/index"
)

// apiErrorBody is every API error: the HTTP status and one line saying
// what is wrong; Column is the 1-based column of a query at fault.
type apiErrorBody struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
	Column  int    `json:"column,omitempty"`
}

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	s.apiErrorCol(w, r, status, msg, 0)
}

func (s *Server) apiErrorCol(w http.ResponseWriter, r *http.Request, status int, msg string, col int) {
	if status >= 500 {
		s.log.Error("request failed", requestAttr(r), slog.Int("status", status), slog.String("error", msg))
	}
	writeJSON(w, status, apiErrorBody{Status: status, Message: msg, Column: col})
}

// jsonBuffer is a JSON encoder and the buffer it writes to, kept between
// responses: a new encoder grows its buffer anew each time.
type jsonBuffer struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonBuffers = sync.Pool{New: func() any {
	j := &jsonBuffer{}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	return j
}}

// maxPooledJSON is the largest buffer kept for the next response: a long
// article's buffer is let go rather than held for every small one.
const maxPooledJSON = 1 << 20

// writeJSON writes v with its length, compact as the export's JSON Lines
// (programs read it; jq indents it for people). The whole body is encoded
// before the status goes out, so a value that cannot be encoded is a 500.
func writeJSON(w http.ResponseWriter, status int, v any) {
	j := jsonBuffers.Get().(*jsonBuffer)
	defer func() {
		if j.buf.Cap() <= maxPooledJSON {
			jsonBuffers.Put(j)
		}
	}()
	j.buf.Reset()
	if err := j.enc.Encode(v); err != nil {
		j.buf.Reset()
		status = http.StatusInternalServerError
		_ = j.enc.Encode(apiErrorBody{Status: status, Message: "encode the response: " + err.Error()})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(j.buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(j.buf.Bytes()) // the client went away: nothing to tell it
}

// queryError is a search request that cannot run: its message, and the
// column of the query text at fault (0 when another parameter is).
type queryError struct {
	msg string
	col int
}

func (e *queryError) Error() string { return e.msg }

// searchQuery reads a search from the URL's parameters, as the search page
// and GET /api/search both take them: q, category, author, site, tag, since
// and until (YYYY-MM-DD, both days included), sort, limit, offset (or
// page, from 1), fuzzy and facets.
func (s *Server) searchQuery(v url.Values, defaultLimit int) (index.Query, error) {
	text := strings.TrimSpace(v.Get("q"))
	if n := utf8.RuneCountInString(text); n > s.opts.MaxQueryRunes {
		return index.Query{Text: text}, &queryError{msg: fmt.Sprintf("query of %d characters: at most %d", n, s.opts.MaxQueryRunes)}
	}
	q, err := index.NewQuery(index.Params{
		Text: text, Category: v.Get("category"), Author: v.Get("author"), Site: v.Get("site"), Tag: v.Get("tag"),
		Since: v.Get("since"), Until: v.Get("until"), Sort: v.Get("sort"),
		Fuzzy: isTrue(v.Get("fuzzy")), Facets: isTrue(v.Get("facets")), Limit: defaultLimit,
	}, "")
	if err != nil {
		return q, &queryError{msg: err.Error()}
	}
	if q.Limit, err = intParam(v, "limit", q.Limit, 1, s.opts.MaxLimit); err != nil {
		return q, err
	}
	if q.Offset, err = intParam(v, "offset", 0, 0, s.opts.MaxOffset); err != nil {
		return q, err
	}
	if v.Has("page") {
		page, err := intParam(v, "page", 1, 1, s.opts.MaxOffset/q.Limit+1)
		if err != nil {
			return q, err
		}
		q.Offset = (page - 1) * q.Limit
	}
	return q, nil
}

func isTrue(s string) bool {
	b, err := strconv.ParseBool(s)
	return err == nil && b || s == "on"
}

func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, &queryError{msg: fmt.Sprintf("%s %q: want a whole number from %d to %d", name, s, lo, hi)}
	}
	return n, nil
}

// search runs q and sorts its failures into the reader's (400, with the
// column at fault) and the server's (500).
func (s *Server) search(r *http.Request, q index.Query) (index.Result, int, *queryError) {
	select {
	case s.searching <- struct{}{}:
		defer func() { <-s.searching }()
	case <-r.Context().Done():
		return index.Result{}, http.StatusServiceUnavailable, &queryError{msg: "the server is too busy: try again"}
	}
	res, err := s.deps.Search(r.Context(), q)
	if err == nil {
		return res, http.StatusOK, nil
	}
	var qe *index.QueryError
	if errors.As(err, &qe) {
		return res, http.StatusBadRequest, &queryError{msg: qe.Error(), col: qe.Col}
	}
	return res, http.StatusInternalServerError, &queryError{msg: "search failed: " + err.Error()}
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q, err := s.searchQuery(r.URL.Query(), index.DefaultLimit)
	if err != nil {
		qe := err.(*queryError)
		s.apiErrorCol(w, r, http.StatusBadRequest, qe.msg, qe.col)
		return
	}
	res, status, qe := s.search(r, q)
	if qe != nil {
		s.apiErrorCol(w, r, status, qe.msg, qe.col)
		return
	}
	writeJSON(w, http.StatusOK, index.NewResponse(res, q))
}

// article finds the record an id or URL names: a URL in any spelling the
// crawler takes for the same page, or one that led to it.
func (s *Server) article(r *http.Request, ref string) (folio.Article, error) {
	a, err := s.deps.Archive.Get(r.Context(), ref)
	if errors.Is(err, archive.ErrNotFound) && strings.Contains(ref, "://") && s.deps.Canonical != nil {
		if canon, cerr := s.deps.Canonical(ref); cerr == nil && canon != ref {
			a, err = s.deps.Archive.Get(r.Context(), canon)
		}
	}
	return a, err
}

func (s *Server) articleError(w http.ResponseWriter, r *http.Request, ref string, err error) {
	if errors.Is(err, archive.ErrNotFound) {
		s.apiError(w, r, http.StatusNotFound, fmt.Sprintf("no archived article %q", ref))
		return
	}
	s.apiError(w, r, http.StatusInternalServerError, "read archive: "+err.Error())
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	a, err := s.deps.Archive.Get(r.Context(), id)
	if err != nil || a.ID != id {
		if err == nil {
			err = archive.ErrNotFound // an id is an id, not a URL
		}
		s.articleError(w, r, id, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiArticleByURL(w http.ResponseWriter, r *http.Request) {
	ref := r.URL.Query().Get("url")
	if ref == "" {
		s.apiError(w, r, http.StatusBadRequest, "give the article's address: /api/articles?url=URL (or /api/articles/ID)")
		return
	}
	a, err := s.article(r, ref)
	if err != nil {
		s.articleError(w, r, ref, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// revisionRecord is one revision as the API gives it: its number, when it
// was fetched and stored, and the record as it was then.
type revisionRecord struct {
	Number      int           `json:"number"`
	ContentHash string        `json:"content_hash"`
	FetchedAt   time.Time     `json:"fetched_at"`
	StoredAt    time.Time     `json:"stored_at"`
	Record      folio.Article `json:"record"`
}

func (s *Server) apiRevisions(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	revs, err := s.revisions(r, id)
	if err != nil {
		s.articleError(w, r, id, err)
		return
	}
	out := make([]revisionRecord, len(revs))
	for i, rev := range revs {
		out[i] = revisionRecord{Number: rev.Number, ContentHash: rev.ContentHash, FetchedAt: rev.FetchedAt,
			StoredAt: rev.StoredAt, Record: rev.Record}
	}
	writeJSON(w, http.StatusOK, out)
}

// revisions returns the revisions of the article with this id (not URL).
func (s *Server) revisions(r *http.Request, id string) ([]archive.Revision, error) {
	a, err := s.deps.Archive.Get(r.Context(), id)
	if err == nil && a.ID != id {
		err = archive.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.deps.Archive.Revisions(r.Context(), id)
}

// apiExport streams the archive as the export command writes it: JSON
// Lines by default, or one JSON array; site, author, category and since
// select records as export's flags do.
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	opts := archive.ExportOptions{Format: archive.ExportFormat(v.Get("format")),
		Filter: archive.Filter{Site: v.Get("site"), Author: v.Get("author"), Category: v.Get("category")}}
	contentType := "application/x-ndjson; charset=utf-8"
	switch opts.Format {
	case "", archive.FormatJSONL:
		opts.Format = archive.FormatJSONL
	case archive.FormatJSON:
		contentType = "application/json; charset=utf-8"
	default:
		s.apiError(w, r, http.StatusBadRequest, fmt.Sprintf("format %q: want jsonl or json", opts.Format))
		return
	}
	var err error
	if opts.Since, err = index.ParseDay("since", v.Get("since")); err != nil {
		s.apiError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="folio-export.%s"`, opts.Format))
	if _, err := s.deps.Archive.Export(r.Context(), w, opts); err != nil {
		// The status is sent: the client sees a cut stream, the log why.
		s.log.Error("export failed", requestAttr(r), slog.String("error", err.Error()))
	}
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	st, runs, err := s.stats(r)
	if err != nil {
		s.apiError(w, r, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, archive.NewStatsRecord(st, runs))
}

// recentRuns is how many runs the stats and the sites page list.
const recentRuns = 20

func (s *Server) stats(r *http.Request) (archive.Stats, []archive.Run, error) {
	st, err := s.deps.Archive.Stats(r.Context())
	if err != nil {
		return st, nil, fmt.Errorf("count archive: %w", err)
	}
	runs, err := s.deps.Archive.Runs(r.Context(), recentRuns)
	if err != nil {
		return st, nil, fmt.Errorf("read runs: %w", err)
	}
	return st, runs, nil
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
}

// requestAttr names a request in a log line.
func requestAttr(r *http.Request) slog.Attr {
	return slog.Group("request", slog.String("method", r.Method), slog.String("path", r.URL.Path))
}
