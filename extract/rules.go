package extract

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Rules are the per-site extraction rules: goquery (CSS) selectors for the
// fields of the record, kept as data so that config.yaml can set them under a
// site's "rules:" key.
//
// A selector may list alternatives separated by commas. For a field that has
// one value (title, dates, author, body, the root article, previous/next
// card, comment count, summary) the alternatives are tried in the order
// written and the first one that matches wins, so "h1.entry-title, h1" means
// "h1.entry-title if there is one, else any h1". For a field with several
// values (categories, tags, related links, images, drop) every element that
// matches any alternative counts, in document order.
//
// A field left empty falls back to DefaultRules (see WithDefaults); the value
// "-" switches a field's rule off, leaving that field to metadata and
// heuristics. Field selectors other than drop and icons apply inside the
// element matched by Article.
//
// A selector the site sets (one that differs from DefaultRules) is trusted
// over the page's metadata. The defaults match on any site, so Extract
// cross-checks them: the default title must agree with the page's stated
// title, and the default date and author selectors come after metadata.
type Rules struct {
	// Article selects the element holding the article (headline, metadata
	// line, body, links); every other field selector applies inside it.
	Article string `yaml:"article"`
	// Title selects the headline.
	Title string `yaml:"title"`
	// Published and Modified select an element holding a date: its datetime
	// or content attribute, else its text.
	Published string `yaml:"published"`
	Modified  string `yaml:"modified"`
	// Category selects the category links; the first one is the primary
	// category.
	Category string `yaml:"category"`
	// Tags selects the tag links.
	Tags string `yaml:"tags"`
	// Author selects the byline.
	Author string `yaml:"author"`
	// Summary selects a standfirst or lead written apart from the body.
	Summary string `yaml:"summary"`
	// Body selects the element holding the article text.
	Body string `yaml:"body"`
	// Previous and Next select the card or link of the neighbouring posts.
	Previous string `yaml:"previous"`
	Next     string `yaml:"next"`
	// Related selects "read also" links, or blocks holding them.
	Related string `yaml:"related"`
	// Source selects the link to the original source.
	Source string `yaml:"source"`
	// CommentCount selects an element whose text holds the number of
	// comments ("Post comments (3)", "3 commentaires").
	CommentCount string `yaml:"comment_count"`
	// Images selects the article's images (img elements or elements with a
	// data-bgimage / data-bg attribute).
	Images string `yaml:"images"`
	// Drop selects boilerplate removed from the page before any field is read
	// (share buttons, ratings, comment forms, sidebars); the previous/next,
	// related and source blocks are read first and removed as well.
	Drop string `yaml:"drop"`
	// Icons selects icon-font elements whose text is a ligature name
	// ("today", "share", "play_arrow"); they are removed before any text is
	// read, so the names never reach a title, a date or the body.
	Icons string `yaml:"icons"`
	// NotArticle selects an element whose presence marks a page that is not
	// an article (for example "body.archive").
	NotArticle string `yaml:"not_article"`
	// TimeZone is the IANA name of the site's time zone: a date given
	// without a time is midnight there.
	TimeZone string `yaml:"time_zone"`
	// Language is the BCP 47 language used when the page declares none.
	Language string `yaml:"language"`
}

// ruleOff is the value that switches a field's rule off.
const ruleOff = "-"

// DefaultRules are the rules for a WordPress site. They lean on signals that
// WordPress themes keep across designs (rel="category tag", rel=author,
// .entry-content, the <article> holding the h1) rather than on one theme's
// class names.
func DefaultRules() Rules {
	return Rules{
		Article:      `article:has(h1), [itemtype*="schema.org/"][itemtype$="Article"], .hentry:not(.comment), article, main, #content`,
		Title:        `h1.entry-title, .entry-title, h1.post-title, h1`,
		Published:    `time.entry-date.published, time.published, time.entry-date, .entry-date[datetime], [itemprop=datePublished], .posted-on time, .entry-meta time, time[datetime]`,
		Modified:     `time.updated, [itemprop=dateModified]`,
		Category:     `a[rel~=category], .cat-links a, .post-categories a, .entry-categories a, .mw-normal-catlinks li a`,
		Tags:         `a[rel=tag], .tags-links a, .tag-links a, .post-tags a, .entry-tags a`,
		Author:       `a[rel~=author], .author.vcard .fn, .byline .author, .entry-author .author-name, [itemprop=author] [itemprop=name], .author-name`,
		Summary:      `.entry-summary, .chapo, .standfirst`,
		Body:         `.entry-content, [itemprop=articleBody], .post-content, .article-content, .article-body, .post-entry`,
		Previous:     `.nav-previous, .post-navigation .previous, a[rel=prev]`,
		Next:         `.nav-next, .post-navigation .next, a[rel=next]`,
		Related:      `.jp-relatedposts, .related-posts, .yarpp-related, .crp_related`,
		Source:       ruleOff,
		CommentCount: `.comments-title, #comments h2, #comments h3, .comments-link, [class*=comments-count]`,
		Images:       `img, [data-bgimage], [data-bg]`,
		Drop: `aside, nav, form, #comments, .comments-area, .comment-respond, .widget, .sharedaddy, ` +
			`[class*=sharepage], [class*=share-], [class*=sharing], [class*=social-share], .addtoany_share_save_container, ` +
			`[class*=rating], .post-ratings, .screen-reader-text, .jp-relatedposts, .author-bio, .cookie-notice, ` +
			`[class*=newsletter], .wp-block-buttons, .ad, .ads, .advert, [class*=advertis], [id*=advertis], ` +
			`[class*=taboola], [id*=taboola], [class*=outbrain], [id*=outbrain], [class*=sponsored], ins.adsbygoogle`,
		Icons:      `i[class*=icon], i[class*="fa-"], [class*=material-icons], [class*=material-symbols], .dashicons, svg`,
		NotArticle: ruleOff,
		TimeZone:   "Europe/Paris",
		Language:   "",
	}
}

// WithDefaults returns r with every empty field taken from DefaultRules.
func (r Rules) WithDefaults() Rules {
	d := DefaultRules()
	for _, f := range r.fields() {
		if *f.value == "" {
			*f.value = *d.field(f.key)
		}
	}
	if r.TimeZone == "" {
		r.TimeZone = d.TimeZone
	}
	if r.Language == "" {
		r.Language = d.Language
	}
	return r
}

// Validate reports the first field whose selector does not compile, or a
// time zone that does not load, naming the config key.
func (r Rules) Validate() error {
	var errs []error
	for _, f := range r.fields() {
		if _, err := compileAlternatives(*f.value); err != nil {
			errs = append(errs, fmt.Errorf("rules.%s: %w", f.key, err))
		}
	}
	if r.TimeZone != "" {
		if _, err := time.LoadLocation(r.TimeZone); err != nil {
			errs = append(errs, fmt.Errorf("rules.time_zone: load %q: %w", r.TimeZone, err))
		}
	}
	return errors.Join(errs...)
}

type ruleField struct {
	key   string
	value *string
}

// fields lists the selector fields by config key, in declaration order.
func (r *Rules) fields() []ruleField {
	return []ruleField{
		{"article", &r.Article}, {"title", &r.Title}, {"published", &r.Published},
		{"modified", &r.Modified}, {"category", &r.Category}, {"tags", &r.Tags},
		{"author", &r.Author}, {"summary", &r.Summary}, {"body", &r.Body},
		{"previous", &r.Previous}, {"next", &r.Next}, {"related", &r.Related},
		{"source", &r.Source}, {"comment_count", &r.CommentCount}, {"images", &r.Images},
		{"drop", &r.Drop}, {"icons", &r.Icons}, {"not_article", &r.NotArticle},
	}
}

func (r *Rules) field(key string) *string {
	for _, f := range r.fields() {
		if f.key == key {
			return f.value
		}
	}
	panic("extract: unknown rule field " + key)
}

// selector is one compiled rule: its alternatives in the order written,
// each with its source text for the debug log.
type selector struct {
	alts    cascadia.SelectorGroup
	sources []string
}

func compileAlternatives(src string) (selector, error) {
	src = strings.TrimSpace(src)
	if src == "" || src == ruleOff {
		return selector{}, nil
	}
	if _, err := cascadia.ParseGroup(src); err != nil {
		return selector{}, fmt.Errorf("selector %q: %w", src, err)
	}
	var s selector
	for _, alt := range splitAlternatives(src) {
		sel, err := cascadia.Parse(alt)
		if err != nil {
			return selector{}, fmt.Errorf("selector %q: %w", alt, err)
		}
		s.alts = append(s.alts, sel)
		s.sources = append(s.sources, alt)
	}
	return s, nil
}

// splitAlternatives splits a selector group at its top-level commas, not
// at those inside :has(…), [attr="a,b"] or :contains("a, b").
func splitAlternatives(src string) []string {
	var out []string
	depth, start := 0, 0
	var quote rune
	for i, r := range src {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			depth--
		case r == ',' && depth == 0:
			out = append(out, strings.TrimSpace(src[start:i]))
			start = i + 1
		}
	}
	return append(out, strings.TrimSpace(src[start:]))
}

// compiledRules is Rules made ready to run: selectors compiled, time zone
// loaded.
type compiledRules struct {
	article, title, published, modified, category, tags, author, summary, body,
	previous, next, related, source, commentCount, images, drop, icons, notArticle selector

	loc      *time.Location
	language string
}

// compiledCache holds compiled rules by value: a crawl extracts thousands of
// pages with the same few Rules (one per site), and compiling selectors costs
// more than matching them. Rules must therefore stay comparable: strings
// only, no slices or maps.
var compiledCache sync.Map // Rules → *compiledRules

func compile(r Rules) (*compiledRules, error) {
	if c, ok := compiledCache.Load(r); ok {
		return c.(*compiledRules), nil
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	loc := time.UTC
	if r.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(r.TimeZone); err != nil {
			return nil, fmt.Errorf("rules.time_zone: load %q: %w", r.TimeZone, err)
		}
	}
	c := &compiledRules{loc: loc, language: normaliseLanguage(r.Language)}
	targets := map[string]*selector{
		"article": &c.article, "title": &c.title, "published": &c.published,
		"modified": &c.modified, "category": &c.category, "tags": &c.tags,
		"author": &c.author, "summary": &c.summary, "body": &c.body,
		"previous": &c.previous, "next": &c.next, "related": &c.related,
		"source": &c.source, "comment_count": &c.commentCount, "images": &c.images,
		"drop": &c.drop, "icons": &c.icons, "not_article": &c.notArticle,
	}
	for _, f := range r.fields() {
		s, err := compileAlternatives(*f.value)
		if err != nil {
			return nil, fmt.Errorf("rules.%s: %w", f.key, err)
		}
		*targets[f.key] = s
	}
	compiledCache.Store(r, c)
	return c, nil
}

func (s selector) off() bool { return len(s.alts) == 0 }

// each calls fn for the elements under scope that the alternatives match,
// alternative by alternative in the order written, until fn returns true.
// It reads the tree as it goes: fn must not change it.
func (s selector) each(scope *html.Node, fn func(n *html.Node, alt string) bool) {
	if scope == nil {
		return
	}
	for i, alt := range s.alts {
		if eachMatch(scope, alt, func(n *html.Node) bool { return fn(n, s.sources[i]) }) {
			return
		}
	}
}

// eachMatch calls fn for the descendants of n that m matches, in document
// order (cascadia.QueryAll's), until fn returns true, and says whether it
// did.
func eachMatch(n *html.Node, m cascadia.Matcher, fn func(*html.Node) bool) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m.Match(c) && fn(c) {
			return true
		}
		if eachMatch(c, m, fn) {
			return true
		}
	}
	return false
}

// first is the first element under scope matched by the earliest
// alternative that matches at all.
func (s selector) first(scope *html.Node) (*html.Node, string) {
	if scope == nil {
		return nil, ""
	}
	for i, alt := range s.alts {
		if n := cascadia.Query(scope, alt); n != nil {
			return n, s.sources[i]
		}
	}
	return nil, ""
}

// all is every element under scope that any alternative matches, in
// document order.
func (s selector) all(scope *html.Node) []*html.Node {
	if scope == nil || s.off() {
		return nil
	}
	return cascadia.QueryAll(scope, s.alts)
}

// matching names, for the explanation, the alternatives that match at
// least one of nodes, joined as a selector group.
func (s selector) matching(nodes []*html.Node) string {
	var used []string
	for i, alt := range s.alts {
		for _, n := range nodes {
			if alt.Match(n) {
				used = append(used, s.sources[i])
				break
			}
		}
	}
	return strings.Join(used, ", ")
}

// matches reports whether n itself matches an alternative.
func (s selector) matches(n *html.Node) bool {
	return !s.off() && s.alts.Match(n)
}
