package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
	_ "time/tzdata" // site time zones must load on machines without zoneinfo

	"folio"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ErrNotArticle is returned, wrapped with the reason, for a page that holds
// no article: a home page, a listing or archive, a 404 page, or a page where
// no title or no body could be found.
var ErrNotArticle = errors.New("not an article")

// Layers are where a field's value came from, most trusted first.
const (
	layerRules       = "rules"
	layerMetadata    = "metadata"
	layerHeuristics  = "heuristics"
	layerReadability = "readability"
)

// Origin says which layer and which rule gave one field of a record its
// value.
type Origin struct {
	Field string `json:"field"`
	// Layer is "rules", "metadata", "heuristics" or "readability".
	Layer string `json:"layer"`
	// Rule is the selector, meta key, JSON-LD property or heuristic that
	// matched.
	Rule string `json:"rule"`
}

// Explanation says how a record was made: where each field came from, in
// the order the fields were decided, or why the page is not an article.
type Explanation struct {
	Fields []Origin `json:"fields"`
	// NotArticle is the reason a page gave no record ("home page",
	// "http status 404", "listing page (12 article teasers)"); "" when it
	// gave one.
	NotArticle string `json:"not_article,omitempty"`
}

// Origin returns where field came from, and whether it was found.
func (e Explanation) Origin(field string) (Origin, bool) {
	for _, o := range e.Fields {
		if o.Field == field {
			return o, true
		}
	}
	return Origin{}, false
}

// Option sets what an Extract call works with, as opposed to the site's
// Rules, which say what to read.
type Option func(*settings)

type settings struct {
	log *slog.Logger
}

// WithLogger sends to log, at debug level, which rule or layer gave each
// field. Without it, or with nil, Extract logs nothing.
func WithLogger(log *slog.Logger) Option {
	return func(s *settings) { s.log = log }
}

// Extract turns a fetched page into an article record, reading each field
// from the site's rules first, then from the page's metadata (JSON-LD,
// OpenGraph, <time>, rel links, WordPress classes), then from heuristics on
// the visible page; go-readability finds the body when the rules find none.
// Empty fields of r fall back to DefaultRules.
//
// A page that is not an article gives an error wrapping ErrNotArticle with
// the reason; bad rules give an error naming the rule.
func Extract(page folio.Page, r Rules, opts ...Option) (folio.Article, error) {
	a, _, err := ExtractExplained(page, r, opts...)
	return a, err
}

// ExtractExplained is Extract that also says which layer and rule gave each
// field, or, for a page that is not an article, the reason (also in the
// error). It costs no more than Extract.
func ExtractExplained(page folio.Page, r Rules, opts ...Option) (folio.Article, Explanation, error) {
	var set settings
	for _, o := range opts {
		o(&set)
	}
	// A field's rule is the site's own when it differs from the default:
	// callers may pass DefaultRules or rules already completed by
	// WithDefaults.
	siteRules := map[string]bool{}
	defaults := DefaultRules()
	for _, f := range r.fields() {
		if *f.value != "" && *f.value != *defaults.field(f.key) {
			siteRules[f.key] = true
		}
	}
	r = r.WithDefaults()
	log := set.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rules, err := compile(r)
	if err != nil {
		return folio.Article{}, Explanation{}, fmt.Errorf("extract %s: %w", page.URL, err)
	}
	refuse := func(reason string) (folio.Article, Explanation, error) {
		return folio.Article{}, Explanation{NotArticle: reason}, notArticle(page.URL, reason)
	}
	if page.Status >= 400 {
		return refuse(fmt.Sprintf("http status %d", page.Status))
	}
	if len(bytes.TrimSpace(page.Body)) == 0 {
		return refuse("empty page")
	}
	doc, err := html.Parse(bytes.NewReader(page.Body))
	if err != nil {
		// Nested deeper than the parser allows: its text all the same.
		doc, err = html.Parse(bytes.NewReader(flattenDeep(page.Body)))
	}
	if err != nil {
		return folio.Article{}, Explanation{}, fmt.Errorf("extract %s: parse html: %w", page.URL, err)
	}
	x := &extraction{page: page, rules: rules, siteRules: siteRules, log: log, doc: doc,
		debug: log.Enabled(context.Background(), slog.LevelDebug)}
	a, reason := x.run()
	if reason != "" {
		_, e, err := refuse(reason)
		e.Fields = x.trace
		return folio.Article{}, e, err
	}
	return a, Explanation{Fields: x.trace}, nil
}

func notArticle(pageURL, reason string) error {
	return fmt.Errorf("extract %s: %w: %s", pageURL, ErrNotArticle, reason)
}

// extraction is the state of one Extract call over one parsed page.
type extraction struct {
	page  folio.Page
	rules *compiledRules
	// siteRules holds the fields whose rule the site configured, as
	// opposed to DefaultRules: a configured rule is trusted over metadata
	// where a default one is cross-checked.
	siteRules map[string]bool
	log       *slog.Logger

	doc     *html.Node // the parsed page, shared by every layer
	body    *html.Node // <body>
	root    *html.Node // the element holding the article
	rootHow string
	meta    *metadata
	pageURL *url.URL // where the page was fetched from
	base    *url.URL // what its relative links resolve against (<base href>)
	dates   dateParser

	termNames map[string]string // "category/slug" or "tag/slug" → displayed name
	readMore  string            // the off-site "read more" link, a source of last resort
	bodyNode  *html.Node        // the element the rules give for the body
	bodyHow   string
	bodyParts []*html.Node // further blocks of the same text, joined to bodyNode when read
	headline  string
	descs     []string // the page's stated descriptions, once read
	published *time.Time
	// elementDate is the date of a dated element anywhere on the page,
	// read before the drop rules remove the header holding it.
	elementDate datedElement
	// permalinkDay is the date of the sentence about the post that opens
	// with a link to it, read before the drop rules.
	permalinkDay time.Time
	// wikiEdit is the last edit of a wiki's page, read before the drop
	// rules remove the footer stating it.
	wikiEdit time.Time
	// credit is the agency or issuer a "Quelle: dpa" line credits.
	credit string
	// boxAuthor is the name in the author box, read before the drop rules
	// remove the box: a byline of last resort.
	boxAuthor, boxAuthorHow string
	// noscriptNames is the byline inside a <noscript> element, read,
	// as the author box is, before the drop rules.
	noscriptNames []string
	// unwrapped are the elements that now hold what <noscript> elements
	// held as the article's text (unwrapNoscriptText).
	unwrapped []*html.Node
	// creditNames is the writer a list of the piece's credits names,
	// read before the drop rules remove the list.
	creditNames []string
	// crumbs are the page's breadcrumb trails, read before the drop rules
	// remove the <nav> holding them.
	crumbs []trail
	// navCurrent is the section the site's menu marks as the page's, and
	// sectionNames the names of the site's links to one-segment paths,
	// both read before the drop rules remove the menus.
	navCurrent   string
	sectionNames map[string]string
	// boldEnd is the text of the body's last paragraph when it is all
	// bold, read with the body: a signature of last resort.
	boldEnd string
	// authorYields is the rule that gave an author who gives way to a
	// byline opening the article's text: the metadata's, or a login's.
	authorYields string

	trace []Origin
	debug bool // whether the logger wants debug records, asked once
}

func (x *extraction) won(field, layer, how string) {
	x.trace = append(x.trace, Origin{field, layer, how})
	if x.debug {
		x.log.Debug("extract field", slog.String("url", x.page.URL), slog.String("field", field),
			slog.String("layer", layer), slog.String("rule", how))
	}
}

// run reads the record, or gives the reason the page is not an article.
func (x *extraction) run() (folio.Article, string) {
	for _, n := range x.rules.icons.all(x.doc) {
		detach(n)
	}
	x.unwrapped = unwrapNoscriptText(x.doc)
	x.meta = readMetadata(x.doc)
	x.body = findElement(x.doc, atom.Body)
	if x.body == nil {
		x.body = x.doc
	}
	x.pageURL, _ = url.Parse(x.page.URL)
	x.base = x.pageURL
	if x.meta.base != "" {
		if b := resolveURL(x.base, x.meta.base); b != "" {
			x.base, _ = url.Parse(b)
		}
	}
	a := folio.Article{FetchedAt: x.page.FetchedAt}
	a.Language = x.language()
	x.dates = dateParser{loc: x.rules.loc, language: a.Language, now: x.page.FetchedAt, dayFirst: x.dayFirstRegion()}

	if reason := x.notArticleReason(); reason != "" {
		return folio.Article{}, reason
	}
	// A comment is never the article: block themes wrap each comment in
	// an <article> but not the post.
	x.root, x.rootHow = x.chooseRoot()
	if x.root != nil {
		x.won("article", layerRules, x.rootHow)
	} else {
		x.root = x.body
		x.won("article", layerHeuristics, "whole body")
	}
	x.termNames = collectTermNames(x.doc)

	// Neighbour cards, link blocks and comment counts are read before the
	// boilerplate holding them is dropped, then dropped with it, so that no
	// later field picks up their titles, dates or categories.
	a.CommentCount = x.commentCount()
	a.Previous = x.neighbour("previous", x.rules.previous, previousLabels, "prev")
	a.Next = x.neighbour("next", x.rules.next, nextLabels, "next")
	a.Related = x.related()
	x.credit = x.creditLine()
	a.SourceURL = x.source()
	x.bodyNode, x.bodyHow, x.bodyParts = x.chooseBody()
	x.boxAuthor, x.boxAuthorHow = x.authorBox()
	x.noscriptNames = x.noscriptByline()
	x.creditNames = x.creditsByline()
	x.crumbs = x.breadcrumbs()
	x.navCurrent = x.navSection()
	x.sectionNames = x.collectSectionNames()
	x.elementDate = x.datedElement()
	x.permalinkDay = x.permalinkDate()
	x.wikiEdit = x.wikiEditDate()
	x.dropBoilerplate()

	a.Title = tidyTitle(x.title())
	x.headline = a.Title
	a.Published = x.date("published", x.rules.published, true)
	x.published = a.Published
	a.Modified = x.date("modified", x.rules.modified, false)
	a.Categories = x.categories()
	if len(a.Categories) > 0 {
		a.Category = a.Categories[0]
	}
	a.Tags = x.tags()
	a.Author = x.author()
	a.Images = x.images()

	paras, bodyHTML := x.bodyText()
	if len(paras) == 0 {
		paras, bodyHTML = x.descriptionBody()
	}
	if a.Author == "" || x.authorYields != "" {
		// The byline the article's text opens with names who wrote it;
		// the metadata, or a login, names the account that posted it.
		if names, line := x.textByline(paras); len(names) > 0 && !mentions(line, strings.Split(a.Author, ", ")) {
			how := "byline opening the body's text"
			if a.Author != "" {
				how += ", over " + x.authorYields
			}
			x.won("author", layerHeuristics, how)
			a.Author = strings.Join(names, ", ")
		}
	}
	if a.Author == "" {
		a.Author = x.signedAuthor(paras)
	} else if names := strings.Split(a.Author, ", "); acronyms(names) || x.impersonal(names) {
		// An organisation signs for no one: the person signing the
		// text with the office held wins ("Jo Kern\nVorsitzender").
		if signed := x.officeSignature(paras); signed != "" {
			a.Author = signed
		}
	}
	if a.Author == "" || x.anySiteNamed(strings.Split(a.Author, ", ")) {
		if credit, how := x.creditedSource(); credit != "" {
			x.won("author", layerHeuristics, how)
			a.Author = credit
		}
	}
	if a.Author == "" {
		if owner := x.siteOwner(); owner != "" {
			x.won("author", layerHeuristics, "the person the personal site is named after")
			a.Author = owner
		}
	}
	a.Body = strings.Join(paras, "\n\n")
	a.BodyHTML = bodyHTML
	a.Summary = x.summary(paras)

	if a.Title == "" {
		return folio.Article{}, "no title"
	}
	if a.Body == "" {
		return folio.Article{}, "no body"
	}
	a.URL = x.canonicalURL()
	a.ID = folio.ArticleID(a.URL)
	a.Site = folio.SiteOf(a.URL)
	a.ContentHash = folio.ContentHash(a.Title, a.Body)
	return a, ""
}

// minDescriptionWords is the length, in words, of a description that
// tells a story (a video's or a gallery's text) rather than a site's
// slogan or "Visit the post for more.".
const minDescriptionWords = 30

// descriptionBody is the body of a page that declares itself an article
// but holds no text of its own (a video, a gallery): the description its
// metadata gives, when that is a few sentences long.
func (x *extraction) descriptionBody() ([]string, string) {
	if !x.declaresArticle() {
		return nil, ""
	}
	candidates := []struct{ value, how string }{{x.meta.ldString(x.meta.article, "description"), "json-ld description"}}
	for _, k := range []string{"og:description", "description", "twitter:description"} {
		v, _ := x.meta.meta(k)
		candidates = append(candidates, struct{ value, how string }{v, "meta " + k})
	}
	for _, c := range candidates {
		if d := cleanSpace(c.value); len(strings.Fields(d)) >= minDescriptionWords {
			x.won("body", layerMetadata, c.how)
			return []string{d}, "<p>" + html.EscapeString(d) + "</p>"
		}
	}
	return nil, ""
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

// canonicalURL is the page's rel=canonical when it stays on the same host,
// else the address the page was fetched from.
func (x *extraction) canonicalURL() string {
	if c := resolveURL(x.base, x.meta.canonical); c != "" && folio.SiteOf(c) == folio.SiteOf(x.page.URL) {
		x.won("url", layerMetadata, "link[rel=canonical]")
		return c
	}
	x.won("url", layerHeuristics, "page url")
	return x.page.URL
}

// language is the page's base language: <html lang>, then the meta tags,
// the HTTP header, JSON-LD, and last the rules' fallback.
func (x *extraction) language() string {
	candidates := []struct{ value, how string }{
		{x.meta.htmlLang, "html[lang]"},
	}
	if v, k := x.meta.meta("content-language", "language", "og:locale", "dc:language"); v != "" {
		candidates = append(candidates, struct{ value, how string }{v, "meta " + k})
	}
	if x.page.Header != nil {
		candidates = append(candidates, struct{ value, how string }{x.page.Header.Get("Content-Language"), "content-language header"})
	}
	if x.meta.article != nil {
		candidates = append(candidates, struct{ value, how string }{x.meta.ldString(x.meta.article, "inLanguage"), "json-ld inLanguage"})
	}
	candidates = append(candidates, struct{ value, how string }{x.meta.itemProp("inLanguage"), "microdata inLanguage"})
	for _, c := range candidates {
		if l := normaliseLanguage(c.value); l != "" {
			x.won("language", layerMetadata, c.how)
			return l
		}
	}
	if x.rules.language != "" {
		x.won("language", layerRules, "language")
		return x.rules.language
	}
	if l, how := detectLanguage(x.body); l != "" {
		x.won("language", layerHeuristics, how)
		return l
	}
	return ""
}

// dayFirstRegion reports a page declared in a regional English that
// writes numeric dates day first, as all but North America do: en-GB,
// en-AU, en-IN ("02/10/2020" is 2 October there).
func (x *extraction) dayFirstRegion() bool {
	candidates := append([]string{x.meta.htmlLang}, x.meta.metas["og:locale"]...)
	for _, v := range append(candidates, x.meta.metas["content-language"]...) {
		v = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(v, "_", "-")))
		if lang, region, ok := strings.Cut(v, "-"); ok && lang == "en" {
			return !monthFirstRegions[region]
		}
	}
	return false
}

// dropBoilerplate removes the rules' drop matches, the comments and,
// inside an <article>, the nested <article> cards. It never removes the
// article or its body, nor what holds them: a theme may well class its
// content "entry-content share-enabled". Nor does it remove a drop match
// holding more than half the page's text: ASP.NET pages wrap the whole
// page in one <form>.
func (x *extraction) dropBoilerplate() {
	half := -1
	for _, n := range x.rules.drop.all(x.doc) {
		if contains(n, x.root) || (x.bodyNode != nil && contains(n, x.bodyNode)) || (!x.siteRules["drop"] && holdsProse(n)) {
			continue
		}
		// A byline label kept for screen readers ("<span
		// class=screen-reader-text>By</span> <span>Name</span>") says
		// what the name after it is.
		if !x.siteRules["drop"] && hiddenClass.MatchString(attr(n, "class")) && bylineLabels.is(textOf(n)) {
			continue
		}
		if half < 0 {
			half = len(textOf(x.body)) / 2
		}
		// Raw text is longer than clean text: only a long one is cleaned.
		if _, short := shortText(n, half); short || len(textOf(n)) <= half {
			detach(n)
		}
	}
	// Comments go whatever the site's drop rule says: their names, dates
	// and links are never the article's byline, date or terms.
	for _, n := range commentBlocks(x.doc) {
		if !contains(n, x.root) && (x.bodyNode == nil || (!contains(n, x.bodyNode) && !contains(x.bodyNode, n))) {
			detach(n)
		}
	}
	if isElement(x.root, atom.Article) {
		for _, n := range nestedArticles(x.root) {
			if isCard(n) {
				detach(n)
			}
		}
	}
}

// nestedArticles lists the <article> elements nested in root.
func nestedArticles(root *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if isElement(c, atom.Article) {
				out = append(out, c)
				continue
			}
			walk(c)
		}
	}
	walk(root)
	return out
}
