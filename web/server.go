package web

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"

	"folio/archive"
	"folio/index"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed openapi.json
var openAPI []byte

// Deps are what the server reads.
type Deps struct {
	// Archive is the archive, opened read-only: it sees what a crawl
	// commits while the server runs.
	Archive *archive.Store
	// Search runs one search of the index. It opens the index for that
	// search alone, so that a crawl can write between two searches.
	Search func(ctx context.Context, q index.Query) (index.Result, error)
	// Canonical turns any spelling of a URL into the form the archive
	// keeps (without tracking parameters or fragment, with the site's
	// trailing slash). Nil keeps URLs as given.
	Canonical func(rawURL string) (string, error)
	// Schedule lists the configured sites and when each runs next; nil
	// when there is no schedule to show.
	Schedule func(ctx context.Context) ([]SiteSchedule, error)
	// Logger receives one line per failed request; nil discards.
	Logger *slog.Logger
}

// SiteSchedule is a configured site and its next scheduled run.
type SiteSchedule struct {
	Site string
	// Cron is the site's cron expression; empty when it has none.
	Cron string
	// Next is the next run; zero when the site is not scheduled.
	Next time.Time
}

// Options are the server's limits and access rule.
type Options struct {
	// Token, when set, is the bearer token every request but /healthz must
	// carry (an Authorization: Bearer header, or the cookie /login sets).
	Token string
	// RequestTimeout bounds a request's work, export excepted (default 30 s).
	RequestTimeout time.Duration
	// MaxSearches is the most searches that run at once (default
	// GOMAXPROCS): more only share the cores, and every search of a burst
	// finishes late.
	MaxSearches int
	// MaxLimit is the most hits a page or API call returns (default 100);
	// MaxOffset the deepest a search pages (default 10,000); MaxQueryRunes
	// the longest query text accepted (default 1,000).
	MaxLimit, MaxOffset, MaxQueryRunes int
}

func (o *Options) defaults() {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.MaxSearches <= 0 {
		o.MaxSearches = runtime.GOMAXPROCS(0)
	}
	if o.MaxLimit <= 0 {
		o.MaxLimit = 100
	}
	if o.MaxOffset <= 0 {
		o.MaxOffset = 10_000
	}
	if o.MaxQueryRunes <= 0 {
		o.MaxQueryRunes = 1000
	}
}

// Server is folio's HTTP server: it implements http.Handler.
type Server struct {
	deps     Deps
	opts     Options
	mux      *http.ServeMux
	pages    map[string]*template.Template
	sanitise *bluemonday.Policy
	log      *slog.Logger
	// searching bounds the searches running at once (Options.MaxSearches);
	// the others wait their turn in the order they came.
	searching chan struct{}
}

// New returns a server reading through deps. deps.Archive and deps.Search
// are required.
func New(deps Deps, opts Options) (*Server, error) {
	if deps.Archive == nil || deps.Search == nil {
		return nil, errors.New("web: an archive and a search function are required")
	}
	opts.defaults()
	s := &Server{deps: deps, opts: opts, mux: http.NewServeMux(), sanitise: bodyPolicy(), log: deps.Logger,
		searching: make(chan struct{}, opts.MaxSearches)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /login", s.loginPage)
	s.mux.HandleFunc("POST /login", s.login)

	s.mux.HandleFunc("GET /{$}", s.searchPage)
	s.mux.HandleFunc("GET /articles/{id}", s.articlePage)
	s.mux.HandleFunc("GET /articles/{id}/diff", s.diffPage)
	s.mux.HandleFunc("GET /sites", s.sitesPage)

	s.mux.HandleFunc("GET /api/search", s.apiSearch)
	s.mux.HandleFunc("GET /api/articles", s.apiArticleByURL)
	s.mux.HandleFunc("GET /api/articles/{id}", s.apiArticle)
	s.mux.HandleFunc("GET /api/articles/{id}/revisions", s.apiRevisions)
	s.mux.HandleFunc("GET /api/export", s.apiExport)
	s.mux.HandleFunc("GET /api/stats", s.apiStats)
	s.mux.HandleFunc("GET /api/openapi.json", s.apiOpenAPI)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, http.StatusNotFound, fmt.Sprintf("no API endpoint %s %s (see /api/openapi.json)", r.Method, r.URL.Path))
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.pageError(w, r, http.StatusNotFound, "There is no page at this address.")
	})
}

// contentSecurityPolicy lets the server's own style sheet and script run
// and nothing else: no inline script or handler, no script, frame or
// object from an archived page, no page framing this one.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP sets the security headers, checks the token, bounds the
// request's time and routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if s.opts.Token != "" && !s.authorised(r) {
		s.unauthorised(w, r)
		return
	}
	if r.URL.Path != "/api/export" {
		ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
		defer cancel()
		r = r.WithContext(ctx)
	}
	s.mux.ServeHTTP(w, r)
}

// tokenCookie holds the token a browser gave on /login.
const tokenCookie = "folio_token"

// authorised tells whether r carries the token, compared in constant time.
// /healthz, /login and the assets need none.
func (s *Server) authorised(r *http.Request) bool {
	switch {
	case r.URL.Path == "/healthz", r.URL.Path == "/login", strings.HasPrefix(r.URL.Path, "/static/"):
		return true
	}
	given := ""
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		given = strings.TrimPrefix(auth, "Bearer ")
	} else if c, err := r.Cookie(tokenCookie); err == nil {
		given = c.Value
	}
	return subtle.ConstantTimeCompare([]byte(given), []byte(s.opts.Token)) == 1
}

func (s *Server) unauthorised(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="folio"`)
		s.apiError(w, r, http.StatusUnauthorized, "this server needs a token: send Authorization: Bearer TOKEN")
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", pageData{Title: "Sign in", Data: loginData{Failed: r.URL.Query().Has("failed")}})
}

type loginData struct{ Failed bool }

// login checks a token typed into the login form and keeps it in a cookie
// that scripts cannot read.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	token := r.PostFormValue("token")
	if s.opts.Token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.opts.Token)) != 1 {
		http.Redirect(w, r, "/login?failed", http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.deps.Archive.Count(r.Context()); err != nil {
		s.apiError(w, r, http.StatusServiceUnavailable, "archive unreadable: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// bodyPolicy keeps what a reader needs of an archived body (text
// structure, links, images, tables) and drops scripts, handlers, styles,
// forms and frames; links open without a referrer.
func bodyPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}
