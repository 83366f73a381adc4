package wpsite

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fault is one kind of trouble real sites give a crawler. Options.Faults
// holds a set of them, combined with |; the zero set is a well-behaved site.
// Site.Faults tells where each fault is, and the request counters (Requests,
// Answered, BytesServed, RequestTimes) tell what a crawler made of it.
//
// The fault pages are reached the way a crawler reaches any page: the fault
// articles are ordinary articles of the listings and sitemaps, and the other
// fault links are on the "Dossiers" page (FaultHubPath), which the footer of
// every page links to when any fault is on.
type Fault uint32

const (
	// FaultFlaky: three articles answer 500 Internal Server Error to the
	// first of every two requests, and 200 to the second.
	FaultFlaky Fault = 1 << iota
	// FaultBusy: an article answers 429 Too Many Requests with
	// "Retry-After: 1" to the first of every two requests.
	FaultBusy
	// FaultSlow: an article answers after SlowDelay.
	FaultSlow
	// FaultOldSlugs: three articles were renamed; the Dossiers page links
	// their old addresses, which answer 301 Moved Permanently to the current
	// ones, as WordPress does for an old slug.
	FaultOldSlugs
	// FaultRedirectLoop: the Dossiers page links an address that redirects
	// (302) to another that redirects back to it.
	FaultRedirectLoop
	// FaultBrokenLinks: the Dossiers page links three pages that do not
	// exist (404).
	FaultBrokenLinks
	// FaultLatin1: an article is served in ISO-8859-1 (charset in the
	// Content-Type header and in <meta charset>), characters outside
	// Latin-1 written as numeric character references, as WordPress does
	// with a Latin-1 blog charset. Its ground truth (Expected) is the same
	// text, in UTF-8.
	FaultLatin1
	// FaultBrokenHTML: an article's markup is badly broken (end tags of
	// paragraphs followed by a block, of list items and of lists left out, misnested and stray inline
	// tags, unquoted attributes, upper-case tags, entities without their
	// semicolon, no </head>, </body> or </html>) in ways browsers repair,
	// so that its ground truth still holds.
	FaultBrokenHTML
	// FaultCalendar: an events calendar at CalendarPath?month=YYYY-MM whose
	// every month links the previous and the next one, forever.
	FaultCalendar
	// FaultTracking: the Dossiers page links three articles with tracking
	// parameters (utm_*, fbclid) and fragments.
	FaultTracking
	// FaultExternal: the Dossiers page links pages of another host
	// (Options.PartnerURL) and attachments: a PDF and a JPEG under
	// /wp-content/uploads/, and a large PDF at an address without extension
	// that only its Content-Type tells apart from a page.
	FaultExternal
	// FaultHuge: the Dossiers page links a page of HugeBytes, generated while
	// it is sent and never held in memory, with no Content-Length.
	FaultHuge
	// FaultNoindex: the Dossiers page links previews of three articles
	// (under PreviewPrefix) that robots are asked not to index: one with
	// <meta name="robots" content="noindex, follow">, which alone links a
	// page (FaultPages.NoindexLink), one sent with "X-Robots-Tag:
	// noindex", and one with "noindex, nofollow", which alone links
	// another page; and, marked rel="nofollow", a poll nothing else links.
	// A preview is its article's page under its own address, its
	// canonical link naming that address: only its robots directives keep
	// it out of an archive.
	FaultNoindex
	// FaultDuplicate: the Dossiers page links other addresses of an
	// article, none marked nofollow: its print version (<article>imprimer/,
	// the article's page, whose canonical link names the article), the
	// article with ?replytocom=N (the post again, noindex, as every
	// comment's "Répondre" link gives it) and with Jetpack's
	// ?share=facebook&nb=1 (a redirect to Facebook).
	FaultDuplicate

	faultEnd
	// AllFaults is every fault at once.
	AllFaults = faultEnd - 1
)

// Sizes and delays of the fault pages.
const (
	// SlowDelay is how long the FaultSlow article takes to answer.
	SlowDelay = 2 * time.Second
	// BusyRetryAfter is the Retry-After, in seconds, of the FaultBusy
	// article's 429 answers.
	BusyRetryAfter = 1
	// HugeBytes is the size of the FaultHuge page.
	HugeBytes = 50 << 20
	// DownloadBytes is the size of the FaultExternal attachment that has no
	// extension.
	DownloadBytes = 20 << 20
)

// Paths of the fault pages that do not depend on the articles.
const (
	// FaultHubPath is the "Dossiers" page linking the fault pages.
	FaultHubPath = "/dossiers/"
	// CalendarPath is the FaultCalendar page; its months are
	// CalendarPath?month=YYYY-MM.
	CalendarPath = "/calendar/"
	// HugePath is the FaultHuge page.
	HugePath = FaultHubPath + "archives-integrales/"

	// PreviewPrefix is where the FaultNoindex previews live.
	PreviewPrefix = "/apercu/"

	programmePath   = "/programme-de-la-semaine/"
	reservedPath    = "/reserve-aux-abonnes/"
	pollPath        = "/sondage/"
	printSuffix     = "imprimer/"
	loopPathA       = "/boucle/a/"
	loopPathB       = "/boucle/b/"
	pdfPath         = "/wp-content/uploads/2022/11/rapport-annuel.pdf"
	photoPath       = "/wp-content/uploads/2022/11/manifestation-grand-format.jpg"
	downloadPath    = "/telecharger/rapport-annuel/"
	defaultPartner  = "https://partenaire.example"
	faultSkipNewest = postsPerPage
)

var brokenPaths = []string{"/2021/03/14/article-retire/", "/category/sport/", "/auteur-inconnu/"}

// FaultPages tells where the site's faults are: URL paths (no host) unless
// said otherwise. Only the faults switched on in Options.Faults are filled.
type FaultPages struct {
	// Hub is the "Dossiers" page that links the fault pages; every page's
	// footer links it.
	Hub string
	// Flaky are the FaultFlaky articles.
	Flaky []string
	// Busy are the FaultBusy articles.
	Busy []string
	// Slow are the FaultSlow articles.
	Slow []string
	// OldSlugs maps each FaultOldSlugs old path to its article's path.
	OldSlugs map[string]string
	// RedirectLoop are the two paths that redirect to each other.
	RedirectLoop []string
	// BrokenLinks are the linked paths that answer 404.
	BrokenLinks []string
	// Latin1 are the articles served in ISO-8859-1.
	Latin1 []string
	// BrokenHTML are the articles with broken markup.
	BrokenHTML []string
	// Calendar is the calendar's path; its months are ?month=YYYY-MM.
	Calendar string
	// Tracking maps each link written with tracking parameters or a
	// fragment (path, query and fragment, as in its href) to its article's
	// path.
	Tracking map[string]string
	// PartnerLinks are the absolute URLs linked on Options.PartnerURL.
	PartnerLinks []string
	// Attachments are the linked files: a PDF, a JPEG, and a PDF at an
	// address without extension (the last one).
	Attachments []string
	// Huge is the FaultHuge page.
	Huge string
	// Noindex are the FaultNoindex previews: "noindex, follow" in a meta,
	// noindex in an X-Robots-Tag header, "noindex, nofollow" in a meta.
	Noindex []string
	// NoindexLink is the page that only the "noindex, follow" preview
	// links: a page, not an article.
	NoindexLink string
	// Unfollowed are the pages linked only from the "noindex, nofollow"
	// preview and with rel="nofollow".
	Unfollowed []string
	// Copies maps each other address of an article the Dossiers page links
	// (FaultDuplicate; path and query, as in its href) to the article's
	// path.
	Copies map[string]string
}

// Faults returns where the faults switched on in Options.Faults are.
func (s *Site) Faults() FaultPages {
	return s.model.Load().faultPages(s.opts)
}

func (m *model) faultPages(o Options) FaultPages {
	var fp FaultPages
	on := o.Faults
	if on == 0 {
		return fp
	}
	fp.Hub = FaultHubPath
	for _, rank := range m.newestFirst {
		p := m.posts[rank]
		if p.fault&on == 0 {
			continue
		}
		switch p.fault {
		case FaultFlaky:
			fp.Flaky = append(fp.Flaky, p.path)
		case FaultBusy:
			fp.Busy = append(fp.Busy, p.path)
		case FaultSlow:
			fp.Slow = append(fp.Slow, p.path)
		case FaultOldSlugs:
			if fp.OldSlugs == nil {
				fp.OldSlugs = map[string]string{}
			}
			fp.OldSlugs[p.oldPath] = p.path
		case FaultLatin1:
			fp.Latin1 = append(fp.Latin1, p.path)
		case FaultBrokenHTML:
			fp.BrokenHTML = append(fp.BrokenHTML, p.path)
		case FaultTracking:
			if fp.Tracking == nil {
				fp.Tracking = map[string]string{}
			}
			fp.Tracking[trackedLink(p, len(fp.Tracking))] = p.path
		}
	}
	if on&FaultRedirectLoop != 0 {
		fp.RedirectLoop = []string{loopPathA, loopPathB}
	}
	if on&FaultBrokenLinks != 0 {
		fp.BrokenLinks = append([]string(nil), brokenPaths...)
	}
	if on&FaultCalendar != 0 {
		fp.Calendar = CalendarPath
	}
	if on&FaultExternal != 0 {
		partner := strings.TrimSuffix(o.PartnerURL, "/")
		fp.PartnerLinks = []string{partner + "/", partner + "/2023/12/01/un-article-partenaire/"}
		fp.Attachments = []string{pdfPath, photoPath, downloadPath}
	}
	if on&FaultHuge != 0 {
		fp.Huge = HugePath
	}
	if on&FaultNoindex != 0 {
		for _, p := range m.copied[:min(3, len(m.copied))] {
			fp.Noindex = append(fp.Noindex, PreviewPrefix+p.slug+"/")
		}
		fp.NoindexLink = programmePath
		fp.Unfollowed = []string{reservedPath, pollPath}
	}
	if on&FaultDuplicate != 0 && len(m.copied) == 4 {
		p := m.copied[3]
		fp.Copies = map[string]string{
			p.path + printSuffix: p.path,
			fmt.Sprintf("%s?replytocom=%d#respond", p.path, p.id*10+1): p.path,
			p.path + "?share=facebook&nb=1":                            p.path,
		}
	}
	return fp
}

// copiedPosts are the articles FaultNoindex and FaultDuplicate copy: the
// four oldest that play no other part, fault or anchor (fewer on a tiny
// site, which then leaves the last copies out).
func copiedPosts(posts []*post) []*post {
	var out []*post
	for _, p := range posts {
		if p.anchor == nil && p.fault == 0 && len(out) < 4 {
			out = append(out, p)
		}
	}
	return out
}

// printPath is the address of the FaultDuplicate print version, or a path
// no request has when the site is too small to have one.
func (m *model) printPath() string {
	if len(m.copied) < 4 {
		return "\x00"
	}
	return m.copied[3].path + printSuffix
}

// Pages of FaultNoindex besides the previews.
var (
	programmePage = staticPageInfo{
		id: 9, path: programmePath, title: "Programme de la semaine",
		paragraphs: []string{"Chaque matin, le journal de 7 heures, puis les grands entretiens de la rédaction."},
	}
	reservedPage = staticPageInfo{
		id: 10, path: reservedPath, title: "Réservé aux abonnés",
		paragraphs: []string{"Ces documents sont réservés aux abonnés de la lettre d’information."},
	}
	pollPage = staticPageInfo{
		id: 11, path: pollPath, title: "Sondage",
		paragraphs: []string{"Quelle émission écoutez-vous le plus souvent ?"},
	}
)

// isShareService reports whether v names a service of Jetpack's sharing
// buttons that the site's share links use.
func isShareService(v string) bool {
	return v == "facebook" || v == "twitter" || v == "email"
}

// preview is the response for a FaultNoindex preview, or false when path
// is none.
func (s *Site) preview(m *model, base, path string) (response, bool) {
	for i, p := range m.copied[:min(3, len(m.copied))] {
		if path != PreviewPrefix+p.slug+"/" {
			continue
		}
		resp := s.articleCopy(m, base, p, func(pw *pageWriter) {
			pw.canonical = path
			switch i {
			case 0:
				pw.robots = "noindex, follow"
				pw.extra = []Link{{URL: programmePath, Title: programmePage.title}}
			case 2:
				pw.robots = "noindex, nofollow"
				pw.extra = []Link{{URL: reservedPath, Title: reservedPage.title}}
			}
		})
		if i == 1 {
			resp.robotsTag = "noindex"
		}
		return resp, true
	}
	return response{}, false
}

// faultArticles says how many articles each fault takes, in the order they
// are handed out.
var faultArticles = []struct {
	fault Fault
	count int
}{
	{FaultFlaky, 3}, {FaultBusy, 1}, {FaultSlow, 1}, {FaultOldSlugs, 3},
	{FaultLatin1, 1}, {FaultBrokenHTML, 1}, {FaultTracking, 3},
}

// assignFaults hands the fault parts to generated articles (posts are oldest
// first): every other one, newest first, after the newest ten, which the
// home page lists. A crawler thus meets the fault articles in listings,
// sitemaps and previous-post links, never first thing. The parts are handed
// out whichever faults are on, so that each fault always falls on the same
// articles; a site of fewer than about 40 articles leaves the last ones out.
func assignFaults(posts []*post) {
	var generated []*post
	for i := len(posts) - 1; i >= 0; i-- {
		if posts[i].anchor == nil {
			generated = append(generated, posts[i])
		}
	}
	next := faultSkipNewest
	for _, fa := range faultArticles {
		for range fa.count {
			if next >= len(generated) {
				return
			}
			generated[next].fault = fa.fault
			next += 2
		}
	}
}

// oldPathOf is the address a FaultOldSlugs post had before its title, and
// so its slug, changed.
func oldPathOf(p *post) string {
	words := strings.Split(p.slug, "-")
	slug := strings.Join(words[:min(3, len(words))], "-") + "-premiere-version"
	return fmt.Sprintf("/%04d/%02d/%02d/%s/", p.day.Year(), p.day.Month(), p.day.Day(), slug)
}

// trackedLink is how the Dossiers page writes its i-th link to a
// FaultTracking article.
func trackedLink(p *post, i int) string {
	switch i % 3 {
	case 0:
		return p.path + "?utm_source=newsletter&utm_medium=email&utm_campaign=hebdo#more"
	case 1:
		return p.path + "?fbclid=IwAR0x9ZqLk3&utm_content=lien#comments"
	default:
		return p.path + "#respond"
	}
}

// hub writes the "Dossiers" page: a WordPress page (not an article) of
// links, one section per fault switched on.
func (w *pageWriter) hub(fp FaultPages) {
	w.head([]string{"Dossiers", SiteName}, headLinks{canonical: FaultHubPath}, "page-template-default page page-id-7")
	w.WriteString("    <article id=\"post-7\" class=\"qt-page post-7 page type-page status-publish hentry\">\n")
	w.WriteString("      <div class=\"qt-pageheader\">\n        <div class=\"qt-container\">\n          <h1 class=\"qt-caption\">Dossiers</h1>\n        </div>\n      </div>\n")
	w.WriteString("      <div class=\"qt-container qt-spacer-l\">\n        <div class=\"row\">\n          <div class=\"col s12 m8 l8\">\n            <div class=\"qt-the-content entry-content\">\n")
	section := func(title string, links [][2]string) {
		if len(links) == 0 {
			return
		}
		w.WriteString("              <h2>")
		w.text(title)
		w.WriteString("</h2>\n              <ul>\n")
		for _, l := range links {
			w.WriteString("                <li><a href=\"")
			if strings.HasPrefix(l[0], "/") {
				w.attr(w.base)
			}
			w.attr(l[0])
			w.WriteString("\">")
			w.text(l[1])
			w.WriteString("</a></li>\n")
		}
		w.WriteString("              </ul>\n")
	}
	title := func(path string) string {
		if p, ok := w.m.byPath[path]; ok {
			return p.title
		}
		return path
	}
	var links [][2]string
	for _, rank := range w.m.newestFirst {
		if p := w.m.posts[rank]; p.oldPath != "" && fp.OldSlugs[p.oldPath] != "" {
			links = append(links, [2]string{p.oldPath, p.title})
		}
	}
	section("Nos anciens articles", links)
	links = nil
	for _, rank := range w.m.newestFirst {
		p := w.m.posts[rank]
		for link, path := range fp.Tracking {
			if path == p.path {
				links = append(links, [2]string{link, title(path)})
			}
		}
	}
	section("À la une de la lettre d’information", links)
	links = nil
	if fp.Calendar != "" {
		newest := w.m.posts[w.m.newestFirst[0]].day
		links = append(links, [2]string{CalendarPath + "?month=" + newest.Format("2006-01"), "Agenda"})
	}
	if fp.Huge != "" {
		links = append(links, [2]string{fp.Huge, "Archives intégrales"})
	}
	if len(fp.RedirectLoop) > 0 {
		links = append(links, [2]string{fp.RedirectLoop[0], "Émissions spéciales"})
	}
	section("Archives", links)
	links = nil
	for i, p := range fp.BrokenLinks {
		links = append(links, [2]string{p, []string{"Un article retiré", "La rubrique Sport", "Nos auteurs"}[i%3]})
	}
	section("Liens utiles", links)
	links = nil
	for i, a := range fp.Attachments {
		links = append(links, [2]string{a, []string{"Rapport annuel (PDF)", "La manifestation en grand format", "Télécharger le rapport annuel"}[i%3]})
	}
	for _, u := range fp.PartnerLinks {
		links = append(links, [2]string{u, "Notre partenaire"})
	}
	section("Documents et partenaires", links)
	links = nil
	for i, p := range fp.Noindex {
		links = append(links, [2]string{p, []string{"Aperçu", "Aperçu de la semaine", "Aperçu réservé"}[i%3] + " : " + title(w.m.copied[i].path)})
	}
	section("Aperçus", links)
	if len(fp.Unfollowed) > 0 {
		w.WriteString("              <p><a rel=\"nofollow\" href=\"")
		w.url(pollPath)
		w.WriteString("\">Répondez à notre sondage</a></p>\n")
	}
	links = nil
	for _, link := range slices.Sorted(maps.Keys(fp.Copies)) {
		links = append(links, [2]string{link, "Autre version : " + title(fp.Copies[link])})
	}
	section("Autres versions", links)
	w.WriteString("            </div>\n          </div>\n")
	w.sidebar()
	w.WriteString("        </div>\n      </div>\n    </article>\n")
	w.foot()
}

// calendar writes one month of the events calendar, linking the months
// before and after it.
func (w *pageWriter) calendar(month time.Time) {
	label := monthTitle(month.Year(), month.Month())
	// The body classes of The Events Calendar, the plugin such calendars
	// come from: a post type archive.
	w.head([]string{"Agenda", label, SiteName}, headLinks{}, "archive post-type-archive post-type-archive-tribe_events events-archive")
	w.WriteString("    <div class=\"qt-pageheader\">\n      <div class=\"qt-container\">\n        <h1 class=\"qt-caption\">Agenda : ")
	w.text(label)
	w.WriteString("</h1>\n      </div>\n    </div>\n")
	w.WriteString("    <div class=\"qt-container qt-spacer-l\">\n      <div class=\"row\">\n          <div class=\"col s12 m8 l8\">\n")
	prev, next := month.AddDate(0, -1, 0), month.AddDate(0, 1, 0)
	for _, l := range []struct {
		t     time.Time
		class string
	}{{prev, "prev"}, {next, "next"}} {
		w.WriteString("            <a class=\"calendar-" + l.class + "\" href=\"")
		w.url(CalendarPath + "?month=" + l.t.Format("2006-01"))
		w.WriteString("\">")
		w.text(monthTitle(l.t.Year(), l.t.Month()))
		w.WriteString("</a>\n")
	}
	w.WriteString("            <p>Aucun événement ce mois-ci.</p>\n          </div>\n")
	w.sidebar()
	w.WriteString("      </div>\n    </div>\n")
	w.foot()
}

// calendarMonth reads the month a calendar request asks for: ?month=YYYY-MM,
// or the newest post's month when absent.
func (m *model) calendarMonth(v string) (time.Time, bool) {
	if v == "" {
		d := m.posts[m.newestFirst[0]].day
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, paris), true
	}
	t, err := time.ParseInLocation("2006-01", v, paris)
	return t, err == nil
}

// hugePage streams the FaultHuge page to w: a head, paragraphs up to
// HugeBytes, and a foot, generated as they are written. It stops at the
// first write error (the client went away).
func (s *Site) hugePage(base string) func(io.Writer) {
	return func(w io.Writer) {
		pw := &pageWriter{m: s.model.Load(), base: base}
		pw.head([]string{"Archives intégrales", SiteName}, headLinks{}, "page-template-default page page-id-8")
		pw.WriteString("    <div class=\"qt-container\">\n")
		head := pw.String()
		if _, err := io.WriteString(w, head); err != nil {
			return
		}
		var chunk strings.Builder
		for i := 0; chunk.Len() < 64<<10; i++ {
			fmt.Fprintf(&chunk, "      <p>Émission n<sup>o</sup>&nbsp;%d : l’intégrale de nos archives sonores, retranscrite mot à mot.</p>\n", i)
		}
		written := len(head)
		for written < HugeBytes {
			n, err := io.WriteString(w, chunk.String()[:min(chunk.Len(), HugeBytes-written)])
			written += n
			if err != nil {
				return
			}
		}
		io.WriteString(w, "    </div>\n  </div>\n</div>\n</body>\n</html>\n")
	}
}

// download streams the FaultExternal attachment that has no extension: a
// PDF of DownloadBytes.
func download(w io.Writer) {
	chunk := []byte(strings.Repeat("0 0 0 rg 72 720 Td (Rapport annuel) Tj\n", 1700))
	written := 0
	if _, err := io.WriteString(w, "%PDF-1.4\n"); err != nil {
		return
	}
	for written < DownloadBytes {
		n, err := w.Write(chunk[:min(len(chunk), DownloadBytes-written)])
		written += n
		if err != nil {
			return
		}
	}
}

// pdfDocument is the small PDF attachment.
var pdfDocument = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// latin1 re-encodes a UTF-8 page in ISO-8859-1, writing every character
// outside it as a numeric character reference, and declares the charset in
// the page.
func latin1(page string) []byte {
	page = strings.Replace(page, `<meta charset="UTF-8">`, `<meta charset="ISO-8859-1">`, 1)
	out := make([]byte, 0, len(page)+len(page)/16)
	for _, r := range page {
		if r < 0x100 {
			out = append(out, byte(r))
		} else {
			out = append(out, "&#"+strconv.Itoa(int(r))+";"...)
		}
	}
	return out
}

const latin1Type = "text/html; charset=ISO-8859-1"

var (
	quotedToken  = regexp.MustCompile(`([a-z-]+)="([A-Za-z0-9_-]+)"`)
	nbspEntity   = regexp.MustCompile(`&nbsp;([^;])`)
	leadParagrah = regexp.MustCompile(`<p><strong>([^<]*)</strong></p>`)
	// A paragraph's end tag is left out where the next block closes it.
	impliedParagraphEnd = regexp.MustCompile(`</p>(\s*</?(?:p|div|h[1-6]|ul|ol|form|section|aside|nav|footer)\b)`)
	htmlBreaker         = strings.NewReplacer(
		"</li>", "", "</ul>", "",
		"</head>\n", "", "</body>\n", "", "</html>\n", "",
		"<p>", "<P>", "<h1 ", "<H1 ",
	)
)

// breakHTML damages an article page the way old editors and plugins do,
// keeping what a browser shows: the repairs of the HTML parsing algorithm
// give back the same text in the same blocks.
func breakHTML(page string) string {
	// Misnested inline tags and stray end tags around the lead.
	page = leadParagrah.ReplaceAllString(page, "<p><strong><em>$1</strong></em></span></font></p>")
	page = impliedParagraphEnd.ReplaceAllString(page, "$1")
	page = htmlBreaker.Replace(page)
	page = quotedToken.ReplaceAllString(page, "$1=$2")
	return nbspEntity.ReplaceAllString(page, "&nbsp$1")
}

// faultResponse answers the requests that a switched-on fault changes, or
// reports false to let the site answer as usual. nth is the request's number
// for its path since the counters were last reset.
func (s *Site) faultResponse(m *model, base, path string, query map[string][]string, nth int) (response, bool) {
	on := s.opts.Faults
	if on == 0 {
		return response{}, false
	}
	if p, ok := m.byPath[path]; ok && p.fault&on != 0 {
		switch p.fault {
		case FaultFlaky:
			if nth%2 == 1 {
				return response{status: http.StatusInternalServerError, ctype: htmlType,
					body: "<!DOCTYPE html><html><head><title>Erreur</title></head><body><p>Erreur de la base de données.</p></body></html>\n"}, true
			}
		case FaultBusy:
			if nth%2 == 1 {
				return response{status: http.StatusTooManyRequests, ctype: textType, retryAfter: BusyRetryAfter,
					body: "trop de requêtes, revenez plus tard\n"}, true
			}
		}
		return response{}, false
	}
	switch {
	case path == FaultHubPath:
		fp := m.faultPages(s.opts)
		return s.html(m, base, time.Time{}, func(pw *pageWriter) { pw.hub(fp) }), true
	case on&FaultOldSlugs != 0 && m.oldPaths[path] != nil:
		return response{status: http.StatusMovedPermanently, location: m.oldPaths[path].path}, true
	case on&FaultRedirectLoop != 0 && path == loopPathA:
		return response{status: http.StatusFound, location: loopPathB}, true
	case on&FaultRedirectLoop != 0 && path == loopPathB:
		return response{status: http.StatusFound, location: loopPathA}, true
	case on&FaultCalendar != 0 && path == CalendarPath:
		var v string
		if vs := query["month"]; len(vs) > 0 {
			v = vs[0]
		}
		month, ok := m.calendarMonth(v)
		if !ok {
			return notFound, true
		}
		return s.html(m, base, time.Time{}, func(pw *pageWriter) { pw.calendar(month) }), true
	case on&FaultHuge != 0 && path == HugePath:
		return response{status: http.StatusOK, ctype: htmlType, stream: s.hugePage(base)}, true
	case on&FaultNoindex != 0 && strings.HasPrefix(path, PreviewPrefix):
		if resp, ok := s.preview(m, base, path); ok {
			return resp, true
		}
	case on&FaultNoindex != 0 && (path == programmePath || path == reservedPath || path == pollPath):
		for _, sp := range []staticPageInfo{programmePage, reservedPage, pollPage} {
			if sp.path == path {
				return s.html(m, base, time.Time{}, func(pw *pageWriter) { pw.staticPage(sp) }), true
			}
		}
	case on&FaultDuplicate != 0 && path == m.printPath():
		return s.articlePage(m, base, m.copied[3]), true
	case on&FaultExternal != 0 && path == pdfPath:
		return response{status: http.StatusOK, ctype: "application/pdf", body: pdfDocument}, true
	case on&FaultExternal != 0 && path == photoPath:
		assetsOnce.Do(makeAssets)
		return response{status: http.StatusOK, ctype: "image/jpeg", bodyB: pictureJPEG}, true
	case on&FaultExternal != 0 && path == downloadPath:
		return response{status: http.StatusOK, ctype: "application/pdf", stream: download, length: DownloadBytes + len("%PDF-1.4\n")}, true
	}
	return response{}, false
}

// isFaultPage reports whether the site keeps the times of requests for path
// (RequestTimes): the fault articles and fault pages.
func (m *model) isFaultPage(on Fault, path string) bool {
	if on == 0 {
		return false
	}
	if p, ok := m.byPath[path]; ok {
		return p.fault&on != 0
	}
	switch path {
	case FaultHubPath, loopPathA, loopPathB, CalendarPath, HugePath, pdfPath, photoPath, downloadPath,
		programmePath, reservedPath, pollPath:
		return true
	}
	return m.oldPaths[path] != nil || strings.HasPrefix(path, PreviewPrefix) || path == m.printPath()
}
