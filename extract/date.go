package extract

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Dates outside these years are misreadings (a counter, a phone number), not
// publication dates.
const (
	minYear = 1900
	maxYear = 2200
)

var errNoDate = errors.New("no date")

// isoLayouts are the machine-written forms (datetime attributes, JSON-LD,
// article:published_time), tried before the language-aware parser because
// they are unambiguous and a hundred times cheaper.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	// A template that writes the seconds unpadded: "2020-12-05T23:15:0Z".
	"2006-01-02T15:04:5Z07:00",
	time.RFC1123Z,
	time.RFC1123,
}

// iconLigatures are the names icon fonts (Material Icons and Symbols) draw as
// pictures; when the icon element is not marked as such its name is glued to
// the text beside it ("todaynovembre 7, 2022").
var iconLigatures = []string{
	"calendar_today", "calendar_month", "access_time", "date_range", "event_note", "query_builder",
	"schedule", "today", "event", "update", "history", "visibility", "remove_red_eye", "share",
	"close", "play_arrow", "pause", "person", "account_circle", "comment", "chat_bubble_outline",
	"chat_bubble", "chat", "local_offer", "label", "folder_open", "folder", "bookmark", "favorite",
	"thumb_up", "access_alarm", "alarm", "watch_later", "timer", "edit", "mode_comment",
	"keyboard_arrow_right", "keyboard_arrow_left", "chevron_right", "chevron_left",
	"arrow_forward", "arrow_back", "headset", "volume_up", "star_border", "star", "public",
}

// stripLigatures removes icon ligature names glued to the front of s, or
// standing as words of their own anywhere in it.
func stripLigatures(s string) string {
	s = strings.TrimSpace(s)
	for changed := true; changed; {
		changed = false
		for _, lig := range iconLigatures {
			if rest, ok := strings.CutPrefix(s, lig); ok && rest != s {
				next, _ := firstRune(rest)
				if rest == "" || !unicode.IsLower(next) || startsWithMonthOrDigit(rest) || unicode.IsSpace(next) {
					s = strings.TrimSpace(rest)
					changed = true
					break
				}
			}
		}
	}
	words := strings.Fields(s)
	kept := words[:0]
	for _, w := range words {
		if !isLigature(w) {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

func isLigature(w string) bool {
	for _, lig := range iconLigatures {
		if w == lig {
			return true
		}
	}
	return false
}

func firstRune(s string) (rune, bool) {
	for _, r := range s {
		return r, true
	}
	return 0, false
}

// startsWithMonthOrDigit keeps "todaynovembre" apart from an ordinary word
// that merely begins like a ligature ("shared", "eventually").
func startsWithMonthOrDigit(s string) bool {
	r, ok := firstRune(s)
	if !ok {
		return false
	}
	if unicode.IsDigit(r) {
		return true
	}
	key := labelKey(s)
	for _, m := range monthPrefixes {
		if strings.HasPrefix(key, m) {
			return true
		}
	}
	return false
}

// monthPrefixes are the starts of month names (accents dropped) in the
// languages folio reads, enough to tell a date from a word.
var monthPrefixes = []string{
	"jan", "fev", "feb", "mar", "avr", "apr", "abr", "mai", "may", "mag", "mei", "jun", "jui", "jul",
	"lug", "aou", "aug", "ago", "sep", "set", "oct", "okt", "out", "ott", "nov", "dec", "dez", "dic",
	"ene", "gen", "giu",
	// weekdays, which some themes print first
	"lun", "mer", "jeu", "ven", "sam", "dim", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
	"die", "mit", "don", "fre", "son", "mie", "jue", "vie", "sab", "dom",
}

// dateParser turns the date text of a page into a time, in the site's time
// zone when the text carries none.
type dateParser struct {
	loc      *time.Location
	language string    // the page's base language, "" when unknown
	dayFirst bool      // the page's English is a region's that writes the day first (en-GB)
	now      time.Time // the fetch time, for relative dates
}

// parse reads one date: a machine form first (ISO 8601, RFC 1123), then a
// written one ("novembre 7, 2022", "7 novembre 2022", "07/11/2022",
// "il y a 3 jours"). A day without a time is midnight in the site's time
// zone.
func (p dateParser) parse(s string) (time.Time, error) {
	s = stripLigatures(s)
	if s == "" || len(s) > 120 || !strings.ContainsFunc(s, unicode.IsDigit) {
		return time.Time{}, errNoDate
	}
	if t, ok := p.parseISO(s); ok {
		return p.sane(t, s)
	}
	toks := tokenize(s)
	if t, ok := p.written(toks); ok {
		return p.sane(t, s)
	}
	if t, ok := p.relative(toks); ok {
		return p.sane(t, s)
	}
	return time.Time{}, fmt.Errorf("parse date %q: %w", s, errNoDate)
}

func (p dateParser) parseISO(s string) (time.Time, bool) {
	isoLike := len(s) >= 10 && isDigits(s[:4]) && s[4] == '-'
	rfc1123Like := len(s) >= 25 && strings.Contains(s[:5], ",")
	if !isoLike && !rfc1123Like {
		return time.Time{}, false
	}
	for _, layout := range isoLayouts {
		// ParseInLocation keeps an offset written in s and uses the site's
		// zone only when s has none.
		if t, err := time.ParseInLocation(layout, s, p.loc); err == nil {
			return t, true
		}
	}
	// A template that writes the fraction of a second after a colon:
	// "2022-01-10T22:06:08:684Z".
	if m := colonFraction.FindStringSubmatch(s); m != nil {
		return p.parseISO(m[1] + "." + m[2] + m[3])
	}
	return time.Time{}, false
}

// colonFraction is an ISO 8601 time whose fraction of a second follows a
// colon rather than a full stop.
var colonFraction = mustQuick(`^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}):(\d{1,9})(Z|[+-]\d{2}:?\d{2})?$`)

// sane refuses a year that is no publication's. It keeps the offset the
// page wrote ("…T13:03:00Z" stays UTC): the day a page states is the day in
// its own offset, and converting to the site's zone can move it.
func (p dateParser) sane(t time.Time, s string) (time.Time, error) {
	if y := t.Year(); y < minYear || y >= maxYear {
		return time.Time{}, fmt.Errorf("parse date %q: year %d out of range", s, y)
	}
	return t, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// weakMetaKeys name meta tags whose date is as often the page's last
// change, or a date in another order, as its publication: Dublin Core's
// bare date and the bare "date". A date the page shows wins over them.
var weakMetaKeys = map[string]bool{"dc:date": true, "date": true}

// pageDate is the date the page shows: the first date in the article's
// header, else a dated element anywhere on it.
func (x *extraction) pageDate() (time.Time, string, bool) {
	if t, ok := x.visibleDate(); ok {
		return t, "first date in the article header", true
	}
	if d := x.elementDate; !d.t.IsZero() {
		return d.t, d.how, true
	}
	return time.Time{}, "", false
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// publishedMetaKeys are the meta names and properties that state the
// publication date, most trusted first: Open Graph and Dublin Core, then
// the names analytics and publishing tools write.
var publishedMetaKeys = []string{
	"article:published_time", "og:published_time", "og:article:published_time", "article:published",
	"dc:date.issued", "dc:issued", "dc:date", "dc:created", "dc:date.created", "parsely-pub-date", "sailthru.date",
	"article.published", "article:post_date", "article_date_original", "publication_date", "publication-date",
	"publish_date", "publishdate", "published_date", "published-date", "date_published", "pub_date", "pubdate",
	"publish-date", "datepublished", "og:pubdate", "og:release_date", "release_date", rdfDateKey, "date",
}

// date reads the published or modified date: the site's own rules, then
// metadata (JSON-LD, meta tags, microdata), then the default rules' date
// elements, then (for the publication date only) the visible dates of the
// page and the date in its URL. Metadata comes before the default
// selectors because a generic time[datetime] as often dates a comment, a
// related story or an update as the publication.
func (x *extraction) date(field string, sel selector, visible bool) *time.Time {
	fromRules := func() (time.Time, string) {
		var found time.Time
		var how string
		sel.each(x.root, func(n *html.Node, alt string) bool {
			if t, ok := x.dateOf(n); ok {
				found, how = t, alt
				return true
			}
			return false
		})
		return found, how
	}
	if x.siteRules[field] {
		if t, how := fromRules(); !t.IsZero() {
			x.won(field, layerRules, how)
			return &t
		}
	}
	if field == "published" && !x.wikiEdit.IsZero() {
		x.won(field, layerHeuristics, "the wiki page's last edit")
		t := x.wikiEdit
		return &t
	}
	var ldKey string
	var metaKeys []string
	if field == "published" {
		ldKey = "datePublished"
		metaKeys = publishedMetaKeys
	} else {
		ldKey = "dateModified"
		metaKeys = modifiedMetaKeys
	}
	// A date in metadata may fall a day off the day the page prints: a
	// UTC instant on the eve of the site's day, a piece dated for the
	// next day's edition, a page that prints its time in UTC. The day
	// printed wins, as does, over a UTC instant, the day of a dated
	// permalink (/2023/11/08/), written in the site's own zone.
	// header is the first date in the article's header, read once by shown.
	printed := func(t time.Time, header time.Time) *time.Time {
		if field != "published" {
			return &t
		}
		utc := isUTC(t)
		if utc {
			// A day the CMS stored as midnight in the site's zone and
			// wrote out in UTC ("…T23:00:00Z" for Paris) is that day.
			if l := t.In(x.rules.loc); isMidnight(l) && t.Hour() != 0 {
				return &l
			}
		} else if x.changedOnALaterDay(t) {
			// The day printed may be the change's.
			return &t
		}
		if !header.IsZero() {
			return x.printedDay(t, header)
		}
		if utc {
			if v, ok := x.headlineDate(); ok {
				return x.printedDay(t, v)
			}
			if v, ok := x.urlDate(); ok {
				return x.printedDay(t, v)
			}
			// A script's data stating the day alone states the site's.
			if v, ok := x.scriptDate(); ok && isMidnight(v) {
				return x.printedDay(t, v)
			}
		}
		if d := x.elementDate; !d.t.IsZero() {
			return x.printedDay(t, d.t)
		}
		return &t
	}
	// shown weighs a metadata date t against what the page shows: a
	// permalink's date months before it is the first publication (the
	// metadata's is a site move's restamp). So is the date the article's
	// header prints, unless it is labelled as an update or the page is a
	// forum thread (whose header dates its last reply), where it is the
	// day the metadata gives for the last change (the page shows that
	// day), or printed in a <time> and either months before t or another
	// day than a t that states a day alone (midnight: a field someone
	// typed). Otherwise printed settles a day off.
	shown := func(t time.Time, how string) *time.Time {
		var header time.Time
		if field == "published" {
			if u, ok := x.urlDate(); ok && t.Sub(u) > republishedAfter {
				x.won(field, layerHeuristics, "the permalink's date, long before "+how)
				return &u
			}
			v, at, ok := x.visibleDateNode()
			if ok && !sameDay(v, t) && !labelledUpdate(at) && !x.meta.isForumThread() {
				if m, ok := x.metaModified(); ok && sameDay(m, v) && m.After(t) {
					x.won(field, layerHeuristics, "first date in the article header, the day of the last change "+how+" predates")
					return &v
				}
				if isTimeElement(at.Parent) && isMidnight(t) {
					x.won(field, layerHeuristics, "first date in the article header, in a <time>, over the day alone "+how+" states")
					return &v
				}
				if isTimeElement(at.Parent) && t.Sub(v) > republishedAfter {
					x.won(field, layerHeuristics, "first date in the article header, in a <time>, long before "+how)
					return &v
				}
			}
			header = v
		}
		p := printed(t, header)
		if sameDay(*p, t) {
			x.won(field, layerMetadata, how)
		} else {
			x.won(field, layerHeuristics, "the day the page prints, a day off "+how)
		}
		return p
	}
	if s := x.meta.ldString(x.meta.article, ldKey); s != "" {
		if t, err := x.dates.parse(s); err == nil {
			return shown(t, "json-ld "+ldKey)
		}
	}
	for _, k := range metaKeys {
		for _, v := range x.meta.metas[k] {
			t, err := x.dates.parse(v)
			if err != nil {
				continue
			}
			if field == "published" && weakMetaKeys[k] {
				if d, how, ok := x.pageDate(); ok && !sameDay(d, t) {
					x.won(field, layerHeuristics, how+", over meta "+k)
					return &d
				}
			}
			return shown(t, "meta "+k)
		}
		if k == "dc:created" {
			// The page's microdata item ranks with the named meta tags,
			// before the bare ones ("date", itemprop outside an item).
			for _, s := range x.meta.microdata[ldKey] {
				if t, err := x.dates.parse(s); err == nil {
					x.won(field, layerMetadata, "microdata "+ldKey)
					return &t
				}
			}
		}
	}
	if field == "modified" {
		for _, s := range x.meta.microdata[ldKey] {
			if t, err := x.dates.parse(s); err == nil {
				x.won(field, layerMetadata, "microdata "+ldKey)
				return &t
			}
		}
	}
	if !x.siteRules[field] {
		if t, how := fromRules(); !t.IsZero() {
			x.won(field, layerRules, how)
			return &t
		}
	}
	if !visible {
		return nil
	}
	if d := x.elementDate; d.strong {
		x.won(field, layerHeuristics, d.how)
		return &d.t
	}
	// The date line under the headline, where the headline is, wins over
	// a date printed above it (the day in the site's banner).
	h, byHeadline := x.headlineDate()
	if t, ok := x.visibleDate(); ok && (!byHeadline || sameDay(t, h)) {
		x.won(field, layerHeuristics, "first date in the article header")
		return &t
	}
	if byHeadline {
		x.won(field, layerHeuristics, "date printed under the headline")
		return &h
	}
	if t, ok := x.urlDate(); ok {
		x.won(field, layerHeuristics, "date in url")
		return &t
	}
	if d := x.elementDate; !d.t.IsZero() {
		x.won(field, layerHeuristics, d.how)
		return &d.t
	}
	if t := x.permalinkDay; !t.IsZero() {
		x.won(field, layerHeuristics, "sentence about the post opening with a link to it")
		return &t
	}
	if t, ok := x.bodyDate(); ok {
		x.won(field, layerHeuristics, "date line opening the body")
		return &t
	}
	if t, ok := x.datelineDate(); ok {
		x.won(field, layerHeuristics, "dateline opening a paragraph")
		return &t
	}
	if t, ok := x.videoDate(); ok {
		x.won(field, layerMetadata, "json-ld VideoObject uploadDate")
		return &t
	}
	if t, ok := x.scriptDate(); ok {
		x.won(field, layerHeuristics, "publication date in a script's data")
		return &t
	}
	if t, ok := x.updateDate(); ok {
		x.won(field, layerHeuristics, "the last change the page states, its only date")
		return &t
	}
	if t, ok := x.copyrightDate(); ok {
		x.won(field, layerHeuristics, "the day of the page's copyright notice, its only date")
		return &t
	}
	return nil
}

// copyrightNotice is a copyright notice that states a whole day, not
// only a year: "Copyright © 19.12.2019 - 12:14 h by …". Templates print
// there the day the page was last written.
var copyrightNotice = mustQuick(`(?i)^(?:copyright\s*(?:©|\(c\))?|©\s*(?:copyright)?)\s*(\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\pL{3,10}\.?\s+\d{4}|\pL{3,10}\.?\s+\d{1,2},?\s+\d{4})\b`)

// copyrightDate is the day a copyright notice states, for a page that
// states no other date: the page's last change.
func (x *extraction) copyrightDate() (time.Time, bool) {
	var found time.Time
	eachText(x.doc, func(s string) bool {
		if m := copyrightNotice.FindStringSubmatch(s); m != nil {
			if t, err := x.dates.parse(m[1]); err == nil {
				found = t
				return true
			}
		}
		return false
	})
	return found, !found.IsZero()
}

// wikiGenerator matches the generator meta tag of a wiki engine.
var wikiGenerator = mustQuick(`(?i)^\s*(?:mediawiki|dokuwiki|moinmoin|xwiki|tiki)\b`)

// lastModClass marks the line a wiki prints about the page's last edit:
// MediaWiki's "footer-info-lastmod", "footer-lastmod".
var lastModClass = mustQuick(`(?i)lastmod`)

// wikiEditDate is the last edit of a wiki's page, for a page a wiki engine
// generated: JSON-LD's dateModified, else the line the wiki prints about
// it ("This page was last edited on 7 April 2020, at 05:33."). A wiki's
// page has no publication: its text is the one its last edit left, and
// the dates in it are those of what it tells, its datePublished the day
// the page was created. Read before the drop rules remove the footer.
func (x *extraction) wikiEditDate() time.Time {
	wiki := false
	for _, g := range x.meta.metas["generator"] {
		wiki = wiki || wikiGenerator.MatchString(g)
	}
	if !wiki {
		return time.Time{}
	}
	if s := x.meta.ldString(x.meta.article, "dateModified"); s != "" {
		if t, err := x.dates.parse(s); err == nil {
			return t
		}
	}
	var found time.Time
	walkElements(x.body, func(n *html.Node) bool {
		if skippedTags[n.DataAtom] {
			return false
		}
		if lastModClass.MatchString(attr(n, "id") + " " + attr(n, "class")) {
			if t, ok := x.dateOf(n); ok {
				found = t
				return true
			}
		}
		return false
	})
	return found
}

// videoDate is the upload date of the video the page presents, as its
// JSON-LD states it (VideoObject uploadDate), for a page that states no
// date of its own: a broadcaster's page is the video's.
func (x *extraction) videoDate() (time.Time, bool) {
	for _, obj := range x.meta.jsonLD {
		if !hasType(obj, map[string]bool{"VideoObject": true}) {
			continue
		}
		if s := x.meta.ldString(obj, "uploadDate"); s != "" {
			if t, err := x.dates.parse(s); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// updateDate is the date of the page's last change as the page states it
// in the element holding the article ("Aktualisiert: 30.12.2016", "last
// edited 2019-11-10 13:28:18 by…", an element classed "updated"), for a
// page that states no other date: a wiki's or an institution's page is
// dated by its last edit. Outside the article, an update dates another
// block of the page.
func (x *extraction) updateDate() (time.Time, bool) {
	var found time.Time
	scopes := []*html.Node{x.root}
	// A wiki prints the page's last edit just after the text, beside the
	// element holding it: "<div id=content>…</div><p id=pageinfo>Page
	// (last edited 2019-11-10 13:28:18 by …)</p>".
	if x.root != x.body {
		next := x.root.NextSibling
		for next != nil && next.Type != html.ElementNode {
			next = next.NextSibling
		}
		if next != nil && (next.DataAtom == atom.P || next.DataAtom == atom.Div) {
			scopes = append(scopes, next)
		}
	}
	for i, scope := range scopes {
		if !found.IsZero() {
			break
		}
		// The line beside the text links to the last editor's page,
		// as another page's teaser would: it is no teaser.
		x.updateIn(scope, &found, i == 0)
	}
	return found, !found.IsZero()
}

// updateIn sets found to the first last change stated in scope. With
// teasers set, it passes over those in another page's teaser and reads
// elements classed as updates too; without, only a line that says it
// states the last change ("last edited …") counts.
func (x *extraction) updateIn(scope *html.Node, found *time.Time, teasers bool) {
	visit := func(n *html.Node) bool {
		if skippedTags[n.DataAtom] {
			return false
		}
		if teasers && updatedClass.MatchString(attr(n, "class")+" "+attr(n, "id")+" "+attr(n, "itemprop")) && !x.teaser(n) {
			if t, ok := x.dateOf(n); ok {
				*found = t
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.TextNode {
				continue
			}
			s := cleanSpace(c.Data)
			if len(s) > 160 || !strings.ContainsFunc(s, unicode.IsDigit) {
				continue
			}
			m := updatedBefore.FindStringIndex(s)
			if m == nil || m[0] > 60 {
				continue
			}
			if t, err := x.dates.parse(strings.TrimLeft(s[m[1]:], " :")); err == nil && !(teasers && x.teaser(n)) {
				*found = t
				return true
			}
		}
		return false
	}
	// The line beside the text is read itself, the article's element
	// only through the elements it holds.
	if teasers || !visit(scope) {
		walkElements(scope, visit)
	}
}

// maxHeadlineDateTexts is how many texts after the headline are read for
// its date line: the byline, the date, a category or two.
const maxHeadlineDateTexts = 8

// headlineDate is the date printed in the lines that follow the page's
// headline, for a page whose date line lies outside the element holding
// the article ("Paddy · April 19, 2019" under a listing's h1) or whose
// article element is the whole page. It stops at the next heading and at
// the body, and passes over dates labelled as an update.
func (x *extraction) headlineDate() (time.Time, bool) {
	if x.headline == "" {
		return time.Time{}, false
	}
	key := titleKey(x.headline)
	var head *html.Node
	walkElements(x.body, func(n *html.Node) bool {
		if (n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3) && titleKey(textOf(n)) == key {
			head = n
			return true
		}
		return false
	})
	if head == nil {
		return time.Time{}, false
	}
	var found time.Time
	texts := 0
	for n := nextInOrder(head, true); n != nil && texts < maxHeadlineDateTexts; n = nextInOrder(n, false) {
		switch {
		case n == x.bodyNode:
			return time.Time{}, false
		case n.Type == html.ElementNode && (skippedTags[n.DataAtom] || datesOthers(n) || n.DataAtom == atom.H1 || n.DataAtom == atom.H2 || n.DataAtom == atom.H3):
			if skippedTags[n.DataAtom] || datesOthers(n) {
				n = lastDescendant(n)
				continue
			}
			return time.Time{}, false
		case n.Type == html.TextNode:
			s := cleanSpace(n.Data)
			if s == "" {
				continue
			}
			texts++
			if !dateCandidate(s) || updateLabel.MatchString(s) || joinedLabel.MatchString(s) || labelledUpdate(n) || labelledJoin(n) ||
				otherDate.MatchString(s) {
				continue
			}
			if t, err := x.printedDate(n, s); err == nil {
				found = t
				return found, true
			}
		}
	}
	return time.Time{}, false
}

// nextInOrder is the node after n in document order; skipChildren passes
// over n's own subtree.
func nextInOrder(n *html.Node, skipChildren bool) *html.Node {
	if !skipChildren && n.FirstChild != nil {
		return n.FirstChild
	}
	for ; n != nil; n = n.Parent {
		if n.NextSibling != nil {
			return n.NextSibling
		}
	}
	return nil
}

// lastDescendant is the last node of n's subtree in document order.
func lastDescendant(n *html.Node) *html.Node {
	for n.LastChild != nil {
		n = n.LastChild
	}
	return n
}

// writtenDateCall matches an inline script that is one call with a date
// for its argument: the date printed where the script stands.
var writtenDateCall = mustQuick(`^\s*[A-Za-z_$][\w$.]*\(\s*["']([0-9]{4}[/-][0-9]{1,2}[/-][0-9]{1,2}[0-9T:.+\- Z]{0,25})["']\s*\)\s*;?\s*$`)

// scriptDatePattern matches a publication date that a script's data
// states, in JSON or in a JavaScript object: "publishedDate":"2016-11-04T20:37:27Z",
// published_at: '2019-03-02T06:22:28+01:00', or the article's creation
// in an analytics layer: "DateCreation":"2020-08-24".
var scriptDatePattern = mustQuick(`(?i)["']?\b(?:date_?creation|date_?published|published_?(?:date|at|time)|publish_?date|date_?publish|publication_?date)["']?\s*[:=]\s*["']([0-9][0-9T:.+\-/ Z]{7,34})["']`)

// scriptDate is the first publication date stated in the data of a script
// other than JSON-LD (an app's initial state, a data layer), for a page
// that states its date nowhere else.
func (x *extraction) scriptDate() (time.Time, bool) {
	var found time.Time
	walkElements(x.doc, func(n *html.Node) bool {
		// JSON-LD of no article type dates a web page, which may be no
		// publication at all.
		if n.DataAtom != atom.Script || n.FirstChild == nil ||
			strings.EqualFold(strings.TrimSpace(attr(n, "type")), "application/ld+json") {
			return false
		}
		// A script that states several publication dates lists other
		// pages: it dates none.
		all := scriptDatePattern.FindAllStringSubmatch(n.FirstChild.Data, -1)
		var m []string
		for _, o := range all {
			if m == nil {
				m = o
			} else if strings.TrimSpace(o[1]) != strings.TrimSpace(m[1]) {
				return false
			}
		}
		if m == nil {
			// A script that writes the page's date where it stands:
			// <script>showDate("2020/04/17 01:43:09")</script>.
			m = writtenDateCall.FindStringSubmatch(n.FirstChild.Data)
		}
		if m == nil {
			return false
		}
		if t, err := x.dates.parse(strings.TrimSpace(m[1])); err == nil {
			found = t
			return true
		}
		return false
	})
	return found, !found.IsZero()
}

// changedOnALaterDay reports whether the page's metadata states a change
// on a day after its publication t.
func (x *extraction) changedOnALaterDay(t time.Time) bool {
	m, ok := x.metaModified()
	return ok && m.After(t) && !sameDay(m.In(t.Location()), t)
}

// modifiedMetaKeys are the meta names and properties that state the last
// change.
var modifiedMetaKeys = []string{"article:modified_time", "og:updated_time", "dc:date.modified", "dc:modified", "last-modified", "datemodified"}

// metaModified is the last change the page's metadata states: JSON-LD's
// dateModified, else the first modified meta tag.
func (x *extraction) metaModified() (time.Time, bool) {
	if s := x.meta.ldString(x.meta.article, "dateModified"); s != "" {
		if t, err := x.dates.parse(s); err == nil {
			return t, true
		}
	}
	for _, k := range modifiedMetaKeys {
		for _, v := range x.meta.metas[k] {
			if t, err := x.dates.parse(v); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// datelineDash is a numeric date that opens a text and a dash that
// follows it, as press releases and news open their first paragraph:
// "29.11.2022 – Mehrfach und vehement…", "2022-11-29 - The ministry…", or
// a quotation that opens the text: "01.02.2022 „Der Arbeitsmarkt…";
// not the first date of a range ("23.10.2015 - 25.10.2015").
var datelineDash = mustQuick(`^(\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{4}-\d{2}-\d{2})\s+(?:[–—-]\s+[^\d\s]|[„«“"‚]\pL)`)

// datelineDate is the date of a dateline opening one of the article's
// texts, for a page that states its date nowhere else.
func (x *extraction) datelineDate() (time.Time, bool) {
	var found time.Time
	eachText(x.root, func(s string) bool {
		m := datelineDash.FindStringSubmatch(s)
		if m == nil {
			return false
		}
		if t, err := x.dates.parse(m[1]); err == nil {
			found = t
			return true
		}
		return false
	})
	return found, !found.IsZero()
}

// isUTC reports a time stated in UTC.
func isUTC(t time.Time) bool {
	_, off := t.Zone()
	return off == 0
}

// printedDay reconciles a date from metadata, t, with the date the page
// prints, v: when they fall a day apart, the instant in the site's time
// zone if that is the printed day, else the printed date.
func (x *extraction) printedDay(t, v time.Time) *time.Time {
	vy, vm, vd := v.Date()
	ty, tm, td := t.Date()
	if vy == ty && vm == tm && vd == td {
		return &t
	}
	if gap := v.Sub(t); gap > 36*time.Hour || gap < -36*time.Hour {
		return &t
	}
	if !sameDay(v, t.AddDate(0, 0, 1)) && !sameDay(v, t.AddDate(0, 0, -1)) && !sameDay(v, t.In(x.rules.loc)) {
		return &t
	}
	if ly, lm, ld := t.In(x.rules.loc).Date(); ly == vy && lm == vm && ld == vd {
		local := t.In(x.rules.loc)
		return &local
	}
	// A site's banner prints today's date: a printed day after the
	// metadata's that is the day the page was fetched may be the banner's.
	if f := x.page.FetchedAt; !f.IsZero() && v.After(t) && sameDay(v, f.In(v.Location())) {
		return &t
	}
	return &v
}

// bodyDate is a date standing alone on one of the first lines of the body:
// "<p>January 18, 2020</p>" above a wire story.
func (x *extraction) bodyDate() (time.Time, bool) {
	if x.bodyNode == nil {
		return time.Time{}, false
	}
	var found time.Time
	lines := 0
	eachText(x.bodyNode, func(s string) bool {
		lines++
		if lines > 4 {
			return true
		}
		if dateCandidate(s) && len(s) <= 40 {
			if t, err := x.dates.parse(s); err == nil {
				found = t
				return true
			}
		}
		return false
	})
	return found, !found.IsZero()
}

// dateOf reads the date an element carries: in a datetime, content or
// title attribute, else in one of its text pieces, else in its whole text.
func (x *extraction) dateOf(n *html.Node) (time.Time, bool) {
	for _, k := range []string{"datetime", "content", "title"} {
		if v := attr(n, k); v != "" {
			if t, err := x.dates.parse(v); err == nil {
				return t, true
			}
		}
	}
	// Text pieces first: a theme prints "novembre 7, 2022" beside a view
	// counter, and the counter must not become the hour.
	tried := 0
	var found time.Time
	eachText(n, func(s string) bool {
		if !dateCandidate(s) {
			return false
		}
		tried++
		if t, err := x.dates.parse(s); err == nil {
			found = t
			return true
		}
		return tried >= 4
	})
	if !found.IsZero() {
		return found, true
	}
	if whole := textOf(n); dateCandidate(whole) {
		if t, err := x.dates.parse(whole); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// eachText calls fn for each non-blank text node under n until it returns
// true.
func eachText(n *html.Node, fn func(string) bool) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			if s := cleanSpace(c.Data); s != "" && fn(s) {
				return true
			}
		case c.Type == html.ElementNode && !skippedTags[c.DataAtom]:
			if eachText(c, fn) {
				return true
			}
		}
	}
	return false
}

// dateCandidate is a cheap test that s could be a date, before the costly
// parse: short, with a digit.
func dateCandidate(s string) bool {
	return len(s) >= 6 && len(s) <= 80 && strings.ContainsAny(s, "0123456789")
}

// visibleDate is the first date written in the article before its body.
func (x *extraction) visibleDate() (time.Time, bool) {
	t, _, ok := x.visibleDateNode()
	return t, ok
}

// visibleDateNode is visibleDate with the text node that holds it.
func (x *extraction) visibleDateNode() (time.Time, *html.Node, bool) {
	stop := x.bodyNode
	var found time.Time
	var at *html.Node
	tried := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n == stop || tried >= 12 {
			return true
		}
		switch {
		case n.Type == html.TextNode:
			s := cleanSpace(n.Data)
			if dateCandidate(s) && !updateLabel.MatchString(s) && !joinedLabel.MatchString(s) && !labelledJoin(n) &&
				!otherDate.MatchString(s) {
				tried++
				if t, err := x.printedDate(n, s); err == nil {
					found, at = t, n
					return true
				}
			}
			return false
		case n.Type == html.ElementNode && (skippedTags[n.DataAtom] || datesOthers(n)):
			return false
		case n.Type == html.ElementNode && n.DataAtom == atom.Article && n != x.root && !contains(n, x.root) && x.card(n):
			// Another story's card in a list of them.
			return false
		case n.Type == html.ElementNode && n.DataAtom == atom.H1:
			// A headline's words are no date ("2022 in review"), but a
			// theme may set the date line in it, in <small> or <time>.
			return walkElements(n, func(c *html.Node) bool {
				return (c.DataAtom == atom.Small || c.DataAtom == atom.Time) && walk(c)
			})
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(x.root)
	return found, at, !found.IsZero()
}

// printedDate reads the date text s of the text node n prints: the
// instant its element states as a Unix time where it states one that the
// text can stand for, whatever zone the text was written in, and even
// where the text leaves out the year ("Jul 10").
func (x *extraction) printedDate(n *html.Node, s string) (time.Time, error) {
	t, err := x.dates.parse(s)
	if e, ok := epochAttr(n); ok && (err != nil || e.Sub(t).Abs() < 36*time.Hour) {
		return e, nil
	}
	return t, err
}

// epochAttrs are the data attributes in which pages give the instant a
// printed date stands for as a Unix time, in seconds or milliseconds.
var epochAttrs = []string{"data-time", "data-time-ms", "data-timestamp", "data-utime", "data-epoch"}

// epochAttr is the instant that the element printing text, or one of its
// two nearest ancestors, gives as a Unix time: a script rendered the
// text in its reader's zone ("Jul 10", 11:25 PM in California), the
// attribute holds the instant.
func epochAttr(text *html.Node) (time.Time, bool) {
	n := text.Parent
	for i := 0; i < 3 && n != nil && n.Type == html.ElementNode; i, n = i+1, n.Parent {
		for _, k := range epochAttrs {
			v := attr(n, k)
			if (len(v) != 10 && len(v) != 13) || !isDigits(v) {
				continue
			}
			u, _ := strconv.ParseInt(v, 10, 64)
			t := time.Unix(u, 0).UTC()
			if len(v) == 13 {
				t = time.UnixMilli(u).UTC()
			}
			if t.Year() >= minYear && t.Year() < maxYear {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// card reports an element whose heading links to another page: another
// story's teaser, as lists of posts give each one ("<article><h3><a
// href=/other-story>…</a></h3>…").
func (x *extraction) card(n *html.Node) bool {
	return walkElements(n, func(h *html.Node) bool {
		switch h.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4:
			return walkElements(h, func(a *html.Node) bool {
				href := attr(a, "href")
				return a.DataAtom == atom.A && href != "" && !x.isThisPage(href)
			})
		}
		return false
	})
}

// datesOthers reports an element whose dates are another text's: a
// quotation or an embedded post (blockquote), a sidebar (aside, or a block
// classed "sidebar" that holds no heading: a layout's wrapper around the
// article holds its headline), a comment.
func datesOthers(n *html.Node) bool {
	return n.DataAtom == atom.Blockquote || n.DataAtom == atom.Aside || isCommentBlock(n) ||
		sidebarClass.MatchString(attr(n, "class")+" "+attr(n, "id")) && !holdsHeading(n)
}

// sidebarClass matches the class or id of a sidebar, as a whole token.
var sidebarClass = mustQuick(`(?i)(?:^|\s)(?:sidebar|side-bar|widget-area)(?:\s|$)`)

// otherDate matches a text whose date is not a publication's: the day a
// cited source was retrieved ("Abgerufen am 09.11.2022", "accessed"), a
// deadline, a range of days ("vom 9. bis 23. Februar 2017", "9-23 Feb
// 2017").
var otherDate = mustQuick(`(?i)\b(?:abgerufen|aufgerufen|zugriff|retrieved|accessed|consult[ée]e?|consultado|deadline|frist|anmeldeschluss|einsendeschluss)\b|` +
	`\b(?:vom|von|from|du|del|dal)\s+\d{1,2}\.?\s+(?:\pL+\.?\s+)?(?:bis|to|au|al)\s+\d|(?:^|[^\d.])\d{1,2}\.?\s*[-–]\s*\d{1,2}\.?\s+\pL{3,}`)

// updatedBefore matches the label of an update anywhere in a text:
// "Updated", "Last Updated:", "Aktualisiert am".
var updatedBefore = mustQuick(`(?i)\b(?:updated|aktualisiert|zuletzt|modified|edited|bearbeitet|ge[äa]ndert|mis à jour|actualizado|aggiornato|atualizado)\b`)

// joinedBefore matches the label of the day a member joined a forum or a
// site, printed beside each post: "Registriert:", "Joined:", "Mitglied
// seit", "Member since", "Inscrit le".
var joinedBefore = mustQuick(`(?i)(?:registriert|angemeldet|mitglied\s+seit|dabei\s+seit|joined|member\s+since|registered|inscrit|inscription|registrado|miembro\s+desde|iscritto)\s*(?:am|on|le|el|il|seit|since|desde|dal)?\s*:?\s*$`)

// joinedLabel matches such a label opening the date's own text:
// "Registriert: 18.09.2008", "Joined Mar 2011".
var joinedLabel = mustQuick(`(?i)^(?:registriert|angemeldet|mitglied\s+seit|dabei\s+seit|joined|member\s+since|registered|inscrit|registrado|miembro\s+desde|iscritto)\b`)

// labelledJoin reports a date text that a label just before it names the
// day a member joined: a forum's profile beside a post.
func labelledJoin(n *html.Node) bool {
	return labelBefore(n, 2, 40, func(before string) bool { return joinedBefore.MatchString(strings.TrimSpace(before)) })
}

// labelledUpdate reports a date text that a label just before it, in its
// element or the element around it, names an update: "<span>Updated
// <time>Jul 24, 2018</time></span>", "<em>Last Updated:</em> January 7,
// 2025".
func labelledUpdate(n *html.Node) bool {
	return labelBefore(n, 3, 80, updatedBefore.MatchString)
}

// labelBefore reports whether is holds for the text printed just before n
// (up to about limit bytes of its earlier siblings), or before one of its
// first levels-1 ancestors.
func labelBefore(n *html.Node, levels, limit int, is func(before string) bool) bool {
	for c, i := n, 0; c != nil && i < levels; c, i = c.Parent, i+1 {
		var before string
		for s := c.PrevSibling; s != nil && len(before) < limit; s = s.PrevSibling {
			if s.Type == html.TextNode {
				before = s.Data + " " + before
			} else if s.Type == html.ElementNode && !skippedTags[s.DataAtom] {
				before = textOf(s) + " " + before
			}
		}
		if is(before) {
			return true
		}
	}
	return false
}

// urlDate reads the /YYYY/MM/DD/ of a WordPress permalink.
func (x *extraction) urlDate() (time.Time, bool) {
	if x.pageURL == nil {
		return time.Time{}, false
	}
	parts := strings.Split(strings.Trim(x.pageURL.Path, "/"), "/")
	for i := 0; i+2 < len(parts); i++ {
		y, m, d := parts[i], parts[i+1], parts[i+2]
		if len(y) == 4 && (len(m) == 1 || len(m) == 2) && (len(d) == 1 || len(d) == 2) && isDigits(y+m+d) {
			t, err := time.ParseInLocation("2006-1-2", y+"-"+m+"-"+d, x.rules.loc)
			if err == nil && t.Year() >= minYear && t.Year() < maxYear {
				return t, true
			}
		}
	}
	// A segment that is a whole date: /meldungen/29-10-2021,
	// /news/2021-10-29/.
	for _, seg := range parts {
		if len(seg) != len("2006-01-02") {
			continue
		}
		for _, layout := range []string{"2006-01-02", "02-01-2006"} {
			t, err := time.ParseInLocation(layout, seg, x.rules.loc)
			if err == nil && t.Year() >= minYear && t.Year() < maxYear {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// isMidnight reports a time that states only its day.
func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0
}

// isTimeElement reports a <time> element with its datetime attribute.
func isTimeElement(n *html.Node) bool {
	return n != nil && n.DataAtom == atom.Time && attr(n, "datetime") != ""
}

// republishedAfter is how long after the date in its permalink
// (/2017/7/12/) a page's metadata may date its publication before that
// date is a re-publication's: a site moved to a new system stamps every
// post it imports with the import's day, while the permalinks keep the
// first. A draft's permalink may be some days older than its
// publication; months are a move.
const republishedAfter = 180 * 24 * time.Hour

// dateClass matches the class, id or itemprop of an element that holds
// the page's date, in the languages folio reads: "entry-date", "post-date",
// "datum", "fecha", "data-pubblicazione", "posted-on", "timestamp".
var dateClass = mustQuick(`(?i)date|datum|fecha|data|time|zeit|publi|posted|dateline|stamp`)

// publishedClass narrows dateClass to the words that name the publication.
var publishedClass = mustQuick(`(?i)publi|posted|pubdate|created|erstellt|veroeffentlicht|dateline|(?:post|entry|article|news|story)[-_]?date`)

// updatedClass matches an element that dates an update, not the
// publication.
var updatedClass = mustQuick(`(?i)updat|modif|edited|aktualisiert|geaendert|revis|last-?change`)

// teaserClass matches what holds other pages' teasers, whose dates are
// theirs: related and popular lists, feeds, sliders, footers, sidebars.
var teaserClass = mustQuick(`(?i)related|teaser|recommend|popular|latest|newest|trending|more-?(?:stories|news|articles)|feed|slider|carousel|footer|sidebar|widget|comment|archive|calendar|weather|ticker`)

// datedElement is the page's date read from an element anywhere on the
// page that says it holds one (a <time>, an itemprop datePublished, a
// class such as "date" or "posted-on"), for pages whose header lies
// outside the element holding the article. An element that names the
// publication wins over one that only names a date; none that dates an
// update, a comment, or another page's teaser counts.
func (x *extraction) datedElement() datedElement {
	var first time.Time
	var firstHow string
	strong := false
	tried := 0
	walkElements(x.body, func(n *html.Node) bool {
		if skippedTags[n.DataAtom] || tried >= 40 {
			return tried >= 40
		}
		// The expressions below match no white space alone: an element
		// with no class, id or itemprop needs no key.
		var key string
		class, id, prop := attr(n, "class"), attr(n, "id"), attr(n, "itemprop")
		if class != "" || id != "" || prop != "" {
			key = class + " " + id + " " + prop
		}
		isTime := n.DataAtom == atom.Time && (hasAttr(n, "datetime") || hasAttr(n, "pubdate"))
		if !isTime && (key == "" || !dateClass.MatchString(key)) {
			if t, isStrong, ok := x.labelledDate(n); ok && !updatedClass.MatchString(key) && !x.teaser(n) {
				if isStrong {
					first, firstHow, strong = t, "date after a publication label", true
					return true
				}
				if first.IsZero() {
					first, firstHow = t, "date after a date label"
				}
			}
			return false
		}
		if updatedClass.MatchString(key) || textLonger(n, 200) || x.teaser(n) {
			return false
		}
		tried++
		t, ok := x.dateOf(n)
		if !ok {
			return false
		}
		if publishedClass.MatchString(key) || hasAttr(n, "pubdate") {
			first, firstHow, strong = t, "element naming the publication date", true
			return true
		}
		if first.IsZero() {
			first, firstHow = t, "first dated element on the page"
		}
		return false
	})
	return datedElement{first, firstHow, strong}
}

// dateLabel matches the words that introduce a page's date, in the
// languages folio reads: "Datum:", "Published on", "Veröffentlicht am",
// "Publié le", "Fecha:". publishedLabel narrows it to those that name the
// publication.
var (
	dateLabel      = mustQuick(`(?i)^(?:datum|date|fecha|data|published|posted|ver[öo]ffentlicht|publiziert|erschienen|publi[ée]e?|publicado|pubblicato)\b(?:\s+(?:on|am|le|el|il|em))?\s*:?`)
	publishedLabel = mustQuick(`(?i)^(?:published|posted|ver[öo]ffentlicht|publiziert|erschienen|publi[ée]|publicado|pubblicato)`)
)

// labelledDate reads a date that a label introduces in n's own text
// ("Veröffentlicht am 20.09.2020"), or in n's parent when n holds only
// the label (<li><span>Datum:</span> 26. Januar 2022</li>). strong says
// the label names the publication.
func (x *extraction) labelledDate(n *html.Node) (t time.Time, strong, ok bool) {
	var own string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			raw := strings.TrimLeftFunc(c.Data, unicode.IsSpace)
			if raw == "" {
				continue
			}
			// Every label starts with one of these letters: most texts
			// are passed over without folding their spaces.
			if !strings.ContainsRune("dDfFpPvVeE", rune(raw[0])) {
				return time.Time{}, false, false
			}
			if own = cleanSpace(c.Data); own != "" {
				break
			}
		}
	}
	label := dateLabel.FindString(own)
	if label == "" {
		return time.Time{}, false, false
	}
	text := own
	if !strings.ContainsFunc(own[len(label):], unicode.IsDigit) {
		if text = textOf(n); text == own && n.Parent != nil {
			text = textOf(n.Parent)
		}
	}
	if !dateCandidate(text) {
		return time.Time{}, false, false
	}
	d, err := x.dates.parse(text)
	if err != nil {
		return time.Time{}, false, false
	}
	return d, publishedLabel.MatchString(label), true
}

// updateLabel matches the words that introduce the date of an update, in
// the languages folio reads: that date is not the publication's.
var updateLabel = mustQuick(`(?i)^(?:letzte [äa]nderung|zuletzt|aktualisiert|ge[äa]ndert|(?:last )?(?:updated|modified|edited)|mis à jour|modifi[ée]|actualizado|aggiornato|atualizado)\b`)

// datedElement is a date read from an element and how it was found.
type datedElement struct {
	t      time.Time
	how    string
	strong bool // the element names the publication
}

// teaser reports whether the date element n belongs to something other
// than the page: a block classed as a list of teasers, a footer, or a
// card beside a link to another page whose text is a headline, or the
// site's banner. A block
// that holds the article is none of these, whatever its class (Blogger
// classes the posts' column a widget).
func (x *extraction) teaser(n *html.Node) bool {
	depth := 0
	for p := n; p != nil && p != x.body; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if contains(p, x.root) {
			break
		}
		if p.DataAtom == atom.Footer || p.DataAtom == atom.Aside || p.DataAtom == atom.Nav ||
			teaserClass.MatchString(attr(p, "class")+" "+attr(p, "id")) || isCommentBlock(p) ||
			p.DataAtom == atom.Article && x.card(p) {
			return true
		}
		if depth < 3 && !textLonger(p, maxTeaserText) && (x.linksElsewhere(p) || holdsBanner(p)) {
			return true
		}
		depth++
	}
	return false
}

// inTeaserList reports whether n lies in a block that holds other pages'
// teasers or the page's furniture: one classed as a list of teasers, a
// footer, an aside, a navigation or the comments, up to the element that
// holds the article. Ids are not read: themes give the id "sidebar" to
// the column that holds the post.
func (x *extraction) inTeaserList(n *html.Node) bool {
	for p := n; p != nil && p != x.body; p = p.Parent {
		if p.Type != html.ElementNode {
			continue
		}
		if contains(p, x.root) {
			break
		}
		if p.DataAtom == atom.Footer || p.DataAtom == atom.Aside || p.DataAtom == atom.Nav ||
			teaserClass.MatchString(attr(p, "class")) || isCommentBlock(p) {
			return true
		}
	}
	return false
}

// holdsBanner reports whether n is or holds the site's banner (its logo,
// its name): a date beside it is the day's, printed on every page.
func holdsBanner(n *html.Node) bool {
	if bannerClass.MatchString(attr(n, "class") + " " + attr(n, "id")) {
		return true
	}
	return walkElements(n, func(c *html.Node) bool {
		return bannerClass.MatchString(attr(c, "class") + " " + attr(c, "id"))
	})
}

// maxTeaserText is the most text, in bytes, of a teaser card: a date, a
// headline and a line of excerpt. What holds more is the page itself.
const maxTeaserText = 400

// linksElsewhere reports whether n holds a link to another page whose text
// reads as a headline (four words or more).
func (x *extraction) linksElsewhere(n *html.Node) bool {
	return walkElements(n, func(c *html.Node) bool {
		if c.DataAtom != atom.A {
			return false
		}
		href := resolveURL(x.base, attr(c, "href"))
		if href == "" || x.pageURL == nil || strings.TrimSuffix(href, "/") == strings.TrimSuffix(x.pageURL.String(), "/") {
			return false
		}
		return len(strings.Fields(textOf(c))) >= 4
	})
}
