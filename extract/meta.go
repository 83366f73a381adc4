package extract

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/language"
)

// metadata is what a page says about itself apart from its visible text:
// <head> tags, JSON-LD, the classes WordPress puts on <body>.
type metadata struct {
	htmlLang    string
	title       string // the <title> element
	canonical   string
	base        string              // <base href>
	metas       map[string][]string // lower-cased name, property or itemprop → content
	links       map[string][]*html.Node
	jsonLD      []map[string]any // every typed object, @graph and arrays flattened
	byID        map[string]map[string]any
	article     map[string]any // the first object of an article type, if any
	bodyClasses []string

	// microdata holds the properties of the page's first schema.org
	// article item (itemscope itemtype=".../NewsArticle"): itemprop name →
	// values in document order.
	microdata map[string][]string
}

// articleTypes are the schema.org types of an article page.
var articleTypes = map[string]bool{
	"Article": true, "NewsArticle": true, "BlogPosting": true, "ReportageNewsArticle": true,
	"AnalysisNewsArticle": true, "OpinionNewsArticle": true, "BackgroundNewsArticle": true,
	"ReviewNewsArticle": true, "AskPublicNewsArticle": true, "LiveBlogPosting": true,
	"TechArticle": true, "ScholarlyArticle": true, "SatiricalArticle": true, "Report": true,
	"SocialMediaPosting": true, "DiscussionForumPosting": true, "Posting": true,
	// A how-to is an article of steps: its text is the page.
	"HowTo": true,
}

// listingTypes are the schema.org types of pages that list articles.
var listingTypes = map[string]bool{
	"CollectionPage": true, "SearchResultsPage": true, "ProfilePage": true, "ItemList": true,
}

func readMetadata(root *html.Node) *metadata {
	m := &metadata{metas: map[string][]string{}, links: map[string][]*html.Node{}, byID: map[string]map[string]any{}}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.CommentNode && strings.Contains(n.Data, "rdf:Description") {
			// Blog engines print a trackback RDF block in a comment; its
			// dc:date is the post's.
			if d := rdfDate.FindStringSubmatch(n.Data); d != nil {
				m.metas[rdfDateKey] = append(m.metas[rdfDateKey], d[1])
			}
		}
		if n.Type == html.ElementNode {
			if m.microdata == nil && hasAttr(n, "itemscope") && isArticleItem(attr(n, "itemtype")) {
				m.microdata = readMicrodata(n)
			}
			switch n.DataAtom {
			case atom.Html:
				m.htmlLang = attr(n, "lang")
				if m.htmlLang == "" {
					m.htmlLang = attr(n, "xml:lang")
				}
			case atom.Body:
				m.bodyClasses = strings.Fields(attr(n, "class"))
			case atom.Title:
				if m.title == "" && !inSVG(n) {
					m.title = textOf(n)
				}
			case atom.Base:
				if m.base == "" {
					m.base = attr(n, "href")
				}
			case atom.Meta:
				content, hasContent := attrOK(n, "content")
				if !hasContent {
					break
				}
				content = strings.TrimSpace(content)
				for _, k := range []string{"property", "name", "itemprop", "http-equiv"} {
					// RDFa allows several properties in one attribute:
					// property="og:title twitter:title".
					for _, key := range strings.Fields(attr(n, k)) {
						key = metaKey(key)
						m.metas[key] = append(m.metas[key], content)
					}
				}
			case atom.Link:
				for _, rel := range strings.Fields(strings.ToLower(attr(n, "rel"))) {
					m.links[rel] = append(m.links[rel], n)
				}
				if m.canonical == "" && hasToken(attr(n, "rel"), "canonical") {
					m.canonical = strings.TrimSpace(attr(n, "href"))
				}
			case atom.Script:
				if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") && n.FirstChild != nil {
					m.addJSONLD(n.FirstChild.Data)
				}
				return
			case atom.Style, atom.Template, atom.Svg:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	for _, obj := range m.jsonLD {
		if m.article == nil && hasType(obj, articleTypes) {
			m.article = obj
		}
	}
	return m
}

// rdfDate is the dc:date of an RDF description, as trackback blocks write
// it: dc:date="2020-07-03T17:16:22+09:00".
var rdfDate = mustQuick(`\bdc:date\s*=\s*"([^"]{8,40})"`)

// rdfDateKey is the key in metas of the dc:date of a trackback RDF block.
const rdfDateKey = "rdf dc:date"

// metaKey is the lookup key of a meta tag's name or property: lower case,
// and the Dublin Core prefixes (DC.title, dc:title, dcterms.title,
// dcterms:title) written one way, "dc:".
func metaKey(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	for _, prefix := range []string{"dcterms.", "dcterms:", "dcterm.", "dcterm:", "dc.", "dc:"} {
		if rest, ok := strings.CutPrefix(k, prefix); ok {
			return "dc:" + rest
		}
	}
	return k
}

func hasAttr(n *html.Node, key string) bool {
	_, ok := attrOK(n, key)
	return ok
}

// isArticleItem reports a microdata itemtype of an article
// ("https://schema.org/NewsArticle"); several types may be listed.
func isArticleItem(itemtype string) bool {
	for _, t := range strings.Fields(itemtype) {
		if i := strings.LastIndexByte(t, '/'); i >= 0 && strings.Contains(t[:i], "schema.org") && articleTypes[t[i+1:]] {
			return true
		}
	}
	return false
}

// readMicrodata collects the properties of the item at scope, not those of
// items nested in it; a nested item's value is its name (an author's
// Person), else its text.
func readMicrodata(scope *html.Node) map[string][]string {
	props := map[string][]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c.DataAtom == atom.Script || c.DataAtom == atom.Style {
				continue
			}
			names := strings.Fields(attr(c, "itemprop"))
			nested := hasAttr(c, "itemscope")
			if len(names) > 0 {
				v := microdataValue(c, nested)
				for _, name := range names {
					if v != "" {
						props[name] = append(props[name], v)
					}
				}
			}
			if !nested {
				walk(c)
			}
		}
	}
	walk(scope)
	return props
}

func microdataValue(n *html.Node, nested bool) string {
	if nested {
		if names := readMicrodata(n)["name"]; len(names) > 0 {
			return names[0]
		}
		return textOf(n)
	}
	switch n.DataAtom {
	case atom.Meta:
		return strings.TrimSpace(attr(n, "content"))
	case atom.Time:
		if v := attr(n, "datetime"); v != "" {
			return strings.TrimSpace(v)
		}
	case atom.A, atom.Link, atom.Area:
		return strings.TrimSpace(attr(n, "href"))
	case atom.Img, atom.Audio, atom.Video, atom.Source, atom.Embed, atom.Iframe:
		return strings.TrimSpace(attr(n, "src"))
	case atom.Data, atom.Meter:
		return strings.TrimSpace(attr(n, "value"))
	}
	if v := attr(n, "content"); v != "" {
		return strings.TrimSpace(v)
	}
	return textOf(n)
}

// itemProp is the first value of a microdata property of the page's
// article item.
func (m *metadata) itemProp(name string) string {
	if v := m.microdata[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func inSVG(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Svg {
			return true
		}
	}
	return false
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasToken(list, token string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, token) {
			return true
		}
	}
	return false
}

// meta is the first non-empty content among keys.
func (m *metadata) meta(keys ...string) (string, string) {
	for _, k := range keys {
		for _, v := range m.metas[k] {
			if v != "" {
				return v, k
			}
		}
	}
	return "", ""
}

func (m *metadata) addJSONLD(text string) {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(text, "<![CDATA[")
	text = strings.TrimSuffix(text, "]]>")
	// A block may hold several values one after the other, or a whole
	// value followed by junk (a stray closing brace): each value read
	// whole counts. A value broken in its middle carries nothing we can
	// trust.
	dec := json.NewDecoder(strings.NewReader(text))
	for {
		var v any
		if err := dec.Decode(&v); err != nil {
			return
		}
		m.flattenJSONLD(v)
	}
}

func (m *metadata) flattenJSONLD(v any) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			m.flattenJSONLD(e)
		}
	case map[string]any:
		if g, ok := v["@graph"]; ok {
			m.flattenJSONLD(g)
		}
		if _, ok := v["@type"]; ok {
			m.jsonLD = append(m.jsonLD, v)
		}
		if id, ok := v["@id"].(string); ok && len(v) > 1 {
			if _, seen := m.byID[id]; !seen {
				m.byID[id] = v
			}
		}
	}
}

// forumThreadTypes are the schema.org types of a forum thread's page.
var forumThreadTypes = map[string]bool{"DiscussionForumPosting": true}

// isForumThread reports whether the page's JSON-LD article is a forum
// thread.
func (m *metadata) isForumThread() bool {
	return m.article != nil && hasType(m.article, forumThreadTypes)
}

func types(obj map[string]any) []string {
	switch t := obj["@type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func hasType(obj map[string]any, set map[string]bool) bool {
	for _, t := range types(obj) {
		if set[strings.TrimPrefix(strings.TrimPrefix(t, "http://schema.org/"), "https://schema.org/")] {
			return true
		}
	}
	return false
}

// resolve follows a {"@id": …} reference to the object it names.
func (m *metadata) resolve(v any) any {
	if obj, ok := v.(map[string]any); ok && len(obj) == 1 {
		if id, ok := obj["@id"].(string); ok {
			if full, ok := m.byID[id]; ok {
				return full
			}
		}
	}
	return v
}

// ldStrings reads key of obj as a list of strings: a string, an array of
// them, or objects with a name (or url when wantURL).
func (m *metadata) ldStrings(obj map[string]any, key string, wantURL bool) []string {
	if obj == nil {
		return nil
	}
	var out []string
	var add func(v any)
	add = func(v any) {
		switch v := m.resolve(v).(type) {
		case string:
			if s := strings.TrimSpace(html.UnescapeString(v)); s != "" {
				out = append(out, s)
			}
		case float64:
			out = append(out, strconv.FormatFloat(v, 'f', -1, 64))
		case []any:
			for _, e := range v {
				add(e)
			}
		case map[string]any:
			keys := []string{"name", "@value"}
			if wantURL {
				keys = []string{"url", "contentUrl"}
			}
			for _, k := range keys {
				if s, ok := v[k].(string); ok && strings.TrimSpace(s) != "" {
					add(s)
					return
				}
			}
		}
	}
	add(obj[key])
	return out
}

func (m *metadata) ldString(obj map[string]any, key string) string {
	if s := m.ldStrings(obj, key, false); len(s) > 0 {
		return s[0]
	}
	return ""
}

// siteName is the site's name as the page states it, for stripping it from
// titles.
func (m *metadata) siteName() string {
	if s, _ := m.meta("og:site_name", "application-name"); s != "" {
		return s
	}
	for _, obj := range m.jsonLD {
		if hasType(obj, map[string]bool{"WebSite": true, "Organization": true, "NewsMediaOrganization": true}) {
			if s := m.ldString(obj, "name"); s != "" {
				return s
			}
		}
	}
	if m.article != nil {
		if pub, ok := m.resolve(m.article["publisher"]).(map[string]any); ok {
			if s := m.ldString(pub, "name"); s != "" {
				return s
			}
		}
	}
	return ""
}

// isListing reports a page typed only as a collection of other pages.
func (m *metadata) isListing() (string, bool) {
	if m.article != nil {
		return "", false
	}
	for _, obj := range m.jsonLD {
		for _, t := range types(obj) {
			if listingTypes[t] {
				return t, true
			}
		}
	}
	return "", false
}

// normaliseLanguage reduces a language tag to its base language ("fr-FR",
// "fr_FR" → "fr"), or "" when it names none.
func normaliseLanguage(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "_", "-"))
	if s == "" {
		return ""
	}
	if i := strings.IndexAny(s, ",;"); i >= 0 { // Content-Language may list several
		s = strings.TrimSpace(s[:i])
	}
	tag, err := language.Parse(s)
	if err != nil {
		return ""
	}
	base, conf := tag.Base()
	if tag.IsRoot() || conf < language.High {
		return ""
	}
	return base.String()
}

// resolveURL makes ref absolute against base, without its fragment; "" when
// ref is empty or not a web address.
func resolveURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || strings.HasPrefix(ref, "#") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	u.Fragment = ""
	u.RawFragment = ""
	u.Host = strings.ToLower(u.Host)
	return u.String()
}
