package extract

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A byline as pages print it carries more than names: "By TOM KRISHER, AP
// Auto Writer", "Veröffentlicht am 8. Februar 2022 von PETA-Team", "Jörg
// Staff am 16.11.2022", "Williams Perdomo @wperdomod", "Über Luis Holuch 257
// Artikel". bylineNames keeps the names.

// bylineLead matches the words that open a byline with a verb, glued or not
// to the "by" that follows: "Geschrieben vonElisa Marvena", "Erstellt von",
// "Posted by"; or with the kind of piece: "Eine Kolumne von", "A guest
// post by"; or Chinese news's labels: "作者：" (author), "记者：" (reporter),
// "责任编辑：" (the editor in charge, whom Chinese news credits).
var bylineLead = mustQuick(`(?i)^(?:(?:责任编辑|作者|记者|编辑)\s*[:：]\s*|(?:ein(?:e)?|an?)\s+(?:\p{L}+\s+)?(?:kolumne|kommentar|gastbeitrag|gastkommentar|essay|interview|analyse|reportage|column|guest\s+post|opinion\s+piece|analysis|report)\s+(?:von|by)\s+|(?:ein(?:e)?\s+)?(?:(?:blog|gast|guest)[-\s]?)?(?:(?:geschrieben|gespeichert|erstellt|eingestellt|ver[öo]ffentlicht|verfasst|beitrag|artikel|posted|written|published|publi[ée]e?|[ée]crit|escrito|publicado|scritto|pubblicato)\s*(?:von|by|par|por|da|di)\b\s*:?\s*|(?:geschrieben|erstellt|eingestellt|ver[öo]ffentlicht|verfasst|beitrag)\s*von))`)

// interviewLead matches the lead of an interview's byline, whose name is
// the interviewer's and is followed by the person interviewed: "Ein
// Interview von Jo Kern mit Eva Roth".
var interviewLead = mustQuick(`(?i)\b(?:interview|gespr[äa]ch|entretien|entrevista|intervista)\b`)

// partnerJoins introduce the person an interview is held with.
var partnerJoins = []string{" mit ", " with ", " avec ", " con "}

// beforePartner is an interview's byline without the person interviewed:
// "Jo Kern mit Eva Roth." → "Jo Kern".
func beforePartner(s string) string {
	lower := strings.ToLower(s)
	for _, j := range partnerJoins {
		if i := strings.Index(lower, j); i > 0 {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// bylineMidLabel matches an author label inside a line of labelled facts:
// "Datum: 19.11.2021 Autor: Fritz Imhof Quelle: Livenet".
var bylineMidLabel = mustQuick(`(?i)(?:^|\s)(?:autor(?:in)?|author|auteur|verfasser(?:in)?|text|interview|fotos?|von|by|redaktion|r[ée]daction)\s*:\s*`)

// roleWords mark a part of a byline that is a role, not a name: "AP Auto
// Writer", "Staff Reporter", "PhD", "Redakteurin".
var roleWords = map[string]bool{
	"writer": true, "reporter": true, "editor": true, "correspondent": true, "contributor": true,
	"columnist": true, "journalist": true, "staff": true, "phd": true, "ph.d.": true, "ph.d": true,
	"md": true, "m.d.": true, "redakteur": true, "redakteurin": true, "korrespondent": true,
	"korrespondentin": true, "journaliste": true, "rédacteur": true, "rédactrice": true,
	"correspondant": true, "correspondante": true, "periodista": true, "redactor": true,
	"redactora": true, "corresponsal": true, "giornalista": true, "photographer": true,
	"fotograf": true, "fotografin": true, "intern": true, "chefredakteur": true, "chefredakteurin": true,
	"herausgeber": true, "herausgeberin": true, "volontär": true, "volontärin": true, "editor-in-chief": true,
}

// bylineTail are words that end a byline's names: links and buttons printed
// after them ("Alle Artikel", "Edit", "Follow").
var bylineTail = labelSet("Alle Artikel", "Alle Beiträge", "Alle Beiträge anzeigen", "Weitere Beiträge",
	"Weitere Artikel", "Archiv anzeigen", "Edit", "Follow", "Shares",
	"More", "Mehr", "Plus", "Profil", "Profile", "Tous ses articles", "All posts", "All articles")

// followButtons are the buttons printed after a byline's name, before
// the author's bio: "Jo Kern Follow Reporter for …".
var followButtons = map[string]bool{"Follow": true, "Folgen": true, "Suivre": true, "Seguir": true, "Segui": true}

// beforeFollow is a byline without the follow button after its name and
// what comes after it, the author's bio.
func beforeFollow(s string) string {
	words := strings.Fields(s)
	for i := 0; i < len(words) && i <= 4; i++ {
		if i > 0 && followButtons[words[i]] {
			return strings.Join(words[:i], " ")
		}
		// Glued to the name: "Jo KernFollow".
		for b := range followButtons {
			if head, ok := strings.CutSuffix(words[i], b); ok && head != "" {
				if r, _ := utf8.DecodeLastRuneInString(head); unicode.IsLower(r) && i+1 < len(words) {
					return strings.Join(append(words[:i:i], head), " ")
				}
			}
		}
	}
	return s
}

// bylineSeparators split a byline into fields: the name and, around it,
// dates, reading times, categories or the site's name.
var bylineSeparators = []string{" | ", " · ", " • ", " — ", " – ", " - ", " / ", " ∙ "}

// gluedDate is a name glued to the date that follows it: "Nicole
// Collignon22. Februar 2020".
var gluedDate = mustQuick(`(\p{Ll})(\d{1,2}\.\s)`)

// bylineNames reads the names in a byline: without the words that introduce
// them, the dates, handles, roles and links around them, several authors
// apart. It gives nil when nothing in the text reads as a name.
func (x *extraction) bylineNames(s string) []string {
	s = plainSpace(cleanSpace(strings.ReplaceAll(s, "\n", " ")))
	s = strings.Trim(s, `'"“”‘’«» `)
	s = gluedDate.ReplaceAllString(s, "$1 $2")
	if m := bylineMidLabel.FindStringIndex(s); m != nil {
		s = s[m[1]:]
	}
	for range 3 {
		before := s
		if m := bylineLead.FindStringIndex(s); m != nil {
			lead := s[:m[1]]
			s = strings.TrimLeft(s[m[1]:], " :")
			if interviewLead.MatchString(lead) {
				s = beforePartner(s)
			}
		}
		if rest, ok := bylineLabels.cut(s); ok {
			s = rest
		}
		if rest, ok := aboutLabels.cut(s); ok {
			s = rest
		}
		s = x.afterDatedJoin(s)
		if s == before {
			break
		}
	}
	s = authorLinkName(s)
	s = beforeFollow(s)
	s = x.beforeDate(s)
	// The first field that reads as names, past labels and the site's
	// name: "About the Author - Florina Ionescu", "unocero - Alberto Ávila",
	// "Giovanni Gaggero | 12/10/2020".
	fields := []string{s}
	for _, sep := range bylineSeparators {
		var next []string
		for _, f := range fields {
			next = append(next, strings.Split(f, sep)...)
		}
		fields = next
	}
	if len(fields) > 1 {
		site := titleKey(x.meta.siteName())
		for _, f := range fields {
			f = strings.TrimSpace(x.beforeDate(f))
			if f == "" || (site != "" && titleKey(f) == site) || bylineLabels.is(f) || aboutLabels.is(f) ||
				bylineTail.is(f) || x.hasDate(f) {
				continue
			}
			s = f
			break
		}
	}
	// "Jo Kern, dpa": the agency that sent the story is no author.
	for {
		i := strings.LastIndex(s, ", ")
		if i <= 0 || !agencies[strings.ToLower(strings.TrimRight(s[i+2:], " ."))] {
			break
		}
		s = s[:i]
	}
	// "Mia Roth, View all posts by Mia Roth"
	parts := strings.Split(s, ", ")
	for i, p := range parts {
		parts[i] = authorLinkName(p)
	}
	var names, roles []string
	for i, p := range splitAuthors(strings.Join(parts, ", ")) {
		n := cleanName(authorLinkName(p))
		r, _ := utf8.DecodeRuneInString(n)
		switch {
		case n == "" || unicode.IsDigit(r) || x.hasDate(n) || isDatePreposition(n): // "Stand: 20.04.2020"
		case i > 0 && isRole(n): // "By Tom Kris, AP Auto Writer"
			roles = append(roles, n)
		case isRole(n) && withoutTrailingRole(n) == n:
			roles = append(roles, n)
		default:
			names = append(names, x.withoutSiteName(withoutTrailingRole(n)))
		}
	}
	if len(names) == 0 { // "Staff Writer" signs for no one else
		names = roles
	}
	return distinct(names)
}

// afterDatedJoin is the name after the "by" that ends a dateline, "Posted on
// September 21, 2020 by Adi Tzlil" → "Adi Tzlil", or s as it is.
func (x *extraction) afterDatedJoin(s string) string {
	lower := strings.ToLower(s)
	for _, j := range bylineJoins {
		if i := strings.Index(lower, j); i > 0 && x.hasDate(s[:i]) {
			return strings.TrimSpace(s[i+len(j):])
		}
	}
	return s
}

// hasDate reports whether s holds a date.
func (x *extraction) hasDate(s string) bool {
	if !dateCandidate(s) {
		return false
	}
	_, err := x.dates.parse(s)
	return err == nil
}

// beforeDate is s without the date, time and counts that follow the names:
// "Jörg Staff am 16.11.2022" → "Jörg Staff", "Tomas Spahn Fr, 18. Oktober
// 2019" → "Tomas Spahn", "Über Luis Holuch 257 Artikel" → "Über Luis
// Holuch".
func (x *extraction) beforeDate(s string) string {
	words := strings.Fields(s)
	cut := len(words)
	for i := 1; i < len(words); i++ {
		if strings.HasSuffix(words[i], ":") { // the next label: "Quelle:"
			cut = i
			break
		}
		w := strings.TrimLeft(words[i], "(|,-–—·")
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsDigit(r) {
			cut = i
			break
		}
		if startsWithMonthOrDigit(w) && x.hasDate(strings.Join(words[i:], " ")) {
			cut = i
			break
		}
	}
	if cut == len(words) {
		return s
	}
	words = words[:cut]
	// The words left between the names and the date: "am", "on", "le",
	// "Stand:", "Fr,", "|".
	for len(words) > 1 {
		w := words[len(words)-1]
		r, _ := utf8.DecodeRuneInString(w)
		if strings.HasSuffix(w, ":") || strings.HasSuffix(w, ",") && utf8.RuneCountInString(w) <= 4 ||
			!unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.IsLower(r) && utf8.RuneCountInString(w) <= 3 ||
			isDatePreposition(w) || weekdayAbbreviations[strings.ToLower(strings.TrimRight(w, ".,"))] {
			words = words[:len(words)-1]
			continue
		}
		break
	}
	return strings.Join(words, " ")
}

// weekdayAbbreviations are the short weekday names a date may open with:
// "Heiko Sauer Do 9 Apr 2020", "Jo Kern Mon 3 May".
var weekdayAbbreviations = map[string]bool{
	"mo": true, "di": true, "mi": true, "do": true, "fr": true, "sa": true, "so": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"lun": true, "mar": true, "mer": true, "jeu": true, "ven": true, "sam": true, "dim": true,
}

// isDatePreposition reports the words that introduce a date after a name.
func isDatePreposition(w string) bool {
	switch strings.ToLower(strings.TrimRight(w, ",:")) {
	case "am", "on", "le", "el", "il", "em", "den", "vom", "at", "um", "stand", "updated", "published",
		"aktualisiert", "veröffentlicht", "publié", "mis", "à", "jour", "hace", "vor", "last", "actualizado",
		"publicado", "il y a", "ago":
		return true
	}
	return false
}

// cleanName trims one name: handles, links, e-mail addresses and the
// punctuation around it ("Williams Perdomo @wperdomod" → "Williams
// Perdomo"); an initial keeps its full stop ("Joe S.").
func cleanName(s string) string {
	words := strings.Fields(s)
	var kept []string
	for _, w := range words {
		if strings.HasPrefix(w, "@") || strings.Contains(w, "://") || strings.HasPrefix(w, "www.") {
			continue
		}
		kept = append(kept, w)
	}
	if len(kept) > 0 { // a name that is a web address stays one
		s = strings.Join(kept, " ")
	}
	s = withoutAgency(s)
	s = strings.TrimSpace(copyrightLine.ReplaceAllString(s, "")) // "© Kathrin Führes"
	s = withoutGluedTail(s)
	if bylineTail.is(s) {
		return ""
	}
	if rest, ok := bylineTailCut(s); ok {
		s = rest
	}
	s = strings.TrimLeft(s, " ,;:|·-–—•»›→(/")
	s = strings.TrimRight(s, " ,;:|·-–—•»›→")
	if !strings.Contains(s, "(") {
		s = strings.TrimRight(s, " )")
	}
	if strings.HasSuffix(s, ".") {
		last := s[strings.LastIndexByte(s, ' ')+1:]
		if utf8.RuneCountInString(last) > 3 { // "Joe S.", "Perry Bacon Jr."
			s = strings.TrimRight(s, ".")
		}
	}
	if !strings.ContainsFunc(s, unicode.IsLetter) || strings.Contains(s, "@") || obfuscatedAt.MatchString(s) {
		return ""
	}
	return s
}

// obfuscatedAt matches the at sign of an e-mail address written so that
// harvesters miss it: "cipha[at]cipha.net", "jane (at) example.org".
var obfuscatedAt = mustQuick(`(?i)[\[({<]\s*(?:at|ät)\s*[\])}>]`)

// withoutSiteName is a name without the site's name printed after it, as
// text for screen readers often is: "Sarah Schnieder Reiterrevue".
func (x *extraction) withoutSiteName(n string) string {
	sites := []string{x.meta.siteName()}
	if x.meta.article != nil {
		if pub, ok := x.meta.resolve(x.meta.article["publisher"]).(map[string]any); ok {
			sites = append(sites, x.meta.ldString(pub, "name"))
		}
	}
	for _, site := range sites {
		if site == "" || titleKey(n) == titleKey(site) {
			continue
		}
		if head, ok := strings.CutSuffix(n, " "+site); ok && strings.Contains(strings.TrimSpace(head), " ") {
			return strings.TrimSpace(head)
		}
	}
	return n
}

// holdsHeading reports an element that is or holds a story's heading (h1
// to h3; an h4 is as often a dateline).
func holdsHeading(n *html.Node) bool {
	story := func(c *html.Node) bool {
		return c.Type == html.ElementNode && (c.DataAtom == atom.H1 || c.DataAtom == atom.H2 || c.DataAtom == atom.H3)
	}
	found := story(n)
	if !found {
		walkElements(n, func(c *html.Node) bool {
			found = story(c)
			return found
		})
	}
	return found
}

// plainSpace is s with its no-break spaces made plain, so that "-&nbsp;"
// separates a byline's fields as " - " does, and its invisible break
// points dropped.
func plainSpace(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case isNoBreakSpace(r):
			return ' '
		case r == '\u00ad' || r == '\u200b': // soft hyphens and zero-width spaces: "Mat&shy;thias"
			return -1
		}
		return r
	}, s)
}

// withoutAgency is a name without what follows it to say where the story
// came from or who the person is: an agency after a slash ("Peter
// Maahn/SP-X"), a role in brackets ("Eva Roth (Pressesprecherin)"). A name
// of one word ("dpa/lni") is the agency's and stays whole.
func withoutAgency(s string) string {
	words := strings.Fields(s)
	if len(words) < 2 {
		return s
	}
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		if head := strings.TrimSpace(s[:i]); len(strings.Fields(head)) >= 2 && personLike(head) {
			return head
		}
	}
	last := words[len(words)-1]
	if i := strings.IndexByte(last, '/'); i > 0 && !strings.Contains(last, "://") {
		head := strings.Join(append(words[:len(words)-1:len(words)-1], last[:i]), " ")
		if personLike(head) {
			return head
		}
	}
	return s
}

// withoutGluedTail is s without a button's word glued to the name before
// it: "Inga HoeltmannFollow …" → "Inga Hoeltmann".
func withoutGluedTail(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		for j, r := range w {
			if j == 0 || !unicode.IsUpper(r) {
				continue
			}
			prev, _ := utf8.DecodeLastRuneInString(w[:j])
			if unicode.IsLower(prev) && bylineTail.is(w[j:]) {
				return strings.Join(append(words[:i:i], w[:j]), " ")
			}
		}
	}
	return s
}

// bylineTailCut is s without the link or button text that ends it.
func bylineTailCut(s string) (string, bool) {
	words := strings.Fields(s)
	for i := 1; i < len(words); i++ {
		if bylineTail.is(strings.Join(words[i:], " ")) {
			return strings.Join(words[:i], " "), true
		}
	}
	return s, false
}

// withoutTrailingRole is a name without the role printed after it:
// "Christoph Hein Chefredakteur" → "Christoph Hein".
func withoutTrailingRole(s string) string {
	words := strings.Fields(s)
	if len(words) == 3 {
		if last := strings.ToLower(words[2]); roleWords[last] && last != "staff" {
			words = words[:2]
		}
	}
	return strings.Join(words, " ")
}

// agencies are the news agencies a byline names after the author's name:
// "Von Jo Kern, dpa".
var agencies = map[string]bool{
	"dpa": true, "afp": true, "ap": true, "reuters": true, "kna": true, "epd": true, "apa": true,
	"sda": true, "ats": true, "ansa": true, "efe": true, "upi": true, "sid": true, "ddp": true,
	"dpa-afx": true, "afx": true, "belga": true, "anp": true, "idea": true,
}

// isRole reports a part of a byline that names a role rather than a
// person: "AP Auto Writer", "PhD".
func isRole(s string) bool {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if roleWords[strings.Trim(w, ",;()")] {
			return true
		}
	}
	return false
}

// domainName matches a name that is a web address: "STERN.de",
// "24horas.cl".
var domainName = mustQuick(`[\p{L}\d-]\.[a-z]{2,6}\b`)

// organisationWords mark a name that is no person's: "Redaktion", "Teufel
// Editorial Team", "Web Commerce GmbH".
var organisationWords = map[string]bool{
	"redaktion": true, "rédaction": true, "redaccion": true, "redacción": true, "redazione": true,
	"editorial": true, "team": true, "staff": true, "agencies": true, "agency": true, "gmbh": true,
	"e.v.": true, "ag": true, "inc": true, "inc.": true, "ltd": true, "ltd.": true, "llc": true,
	"verlag": true, "zeitung": true, "magazin": true, "magazine": true, "news": true,
	"online": true, "press": true, "presse": true, "media": true, "medien": true,
}

// impersonal reports names that are all the site's, an organisation's or a
// login's rather than a person's: the site's name, a web address, a name
// with an organisation's word, one lower-case word ("admin",
// "jane.doe").
func (x *extraction) impersonal(names []string) bool {
	for _, n := range names {
		if x.siteNamed(n) || !strings.Contains(n, " ") && !strings.ContainsFunc(n, unicode.IsUpper) {
			continue
		}
		organisation := false
		for _, w := range strings.Fields(strings.ToLower(n)) {
			if organisationWords[w] {
				organisation = true
			}
		}
		if !organisation {
			return false
		}
	}
	return len(names) > 0
}

// siteNamed reports a name that is the site's: its name, or its address
// ("STERN.de", "Badische Post" on badischepost.example).
func (x *extraction) siteNamed(n string) bool {
	if site := titleKey(x.meta.siteName()); site != "" && titleKey(n) == site {
		return true
	}
	if domainName.MatchString(n) {
		return true
	}
	if x.pageURL == nil {
		return false
	}
	labels := strings.Split(strings.TrimPrefix(strings.ToLower(x.pageURL.Hostname()), "www."), ".")
	if len(labels) < 2 || len(labels[len(labels)-2]) <= 3 {
		return false
	}
	squeezed := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, n)
	label := strings.ReplaceAll(labels[len(labels)-2], "-", "") // "bayrische-bembel"
	return strings.Contains(squeezed, label)
}

// ldOrganisationAuthor reports JSON-LD that gives an organisation as the
// article's author.
func (x *extraction) ldOrganisationAuthor() bool {
	if x.meta.article == nil {
		return false
	}
	var objs []any
	switch v := x.meta.article["author"].(type) {
	case []any:
		objs = v
	default:
		objs = []any{v}
	}
	found := false
	for _, o := range objs {
		obj, ok := x.meta.resolve(o).(map[string]any)
		if !ok {
			return false
		}
		if !hasType(obj, map[string]bool{"Organization": true, "NewsMediaOrganization": true, "Corporation": true}) {
			return false
		}
		found = true
	}
	return found
}

// nameParticles are the lower-case words inside names: "Ursula von der
// Leyen", "Juan de la Cruz".
var nameParticles = map[string]bool{
	"von": true, "van": true, "der": true, "den": true, "de": true, "da": true, "di": true, "del": true,
	"la": true, "le": true, "du": true, "des": true, "y": true, "e": true, "bin": true, "al": true, "ter": true,
	"zu": true, "dos": true, "das": true, "do": true,
}

// personLike reports a name as people write theirs: one to five words,
// each capitalised but for particles, no digits, no sentence punctuation.
func personLike(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 || strings.ContainsAny(s, "0123456789?!:|/()[]{}@") {
		return false
	}
	for i, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) {
			continue
		}
		if i == 0 || i == len(words)-1 || !nameParticles[strings.ToLower(w)] {
			return false
		}
	}
	return readsAsName(s)
}

// fuller reports whether the names printed on the page complete those of
// the metadata: each of these starts one of them, and they say more
// ("Stefanus" → "Stefanus Stahl"; one author → two).
func fuller(printed, meta []string) bool {
	if len(printed) > 3 || len(printed) > len(meta)+2 {
		return false // a list of the page's other stories' authors
	}
	for _, p := range printed {
		if !personLike(p) {
			return false
		}
	}
	more := len(printed) > len(meta)
	for _, m := range meta {
		mk := titleKey(m)
		found := false
		for _, p := range printed {
			pk := titleKey(p)
			if pk == mk || strings.HasPrefix(pk, mk+" ") && len(strings.Fields(pk))-len(strings.Fields(mk)) <= 2 {
				found = true
				more = more || pk != mk
				break
			}
		}
		if !found {
			return false
		}
	}
	return more
}

// person reports printed names that may stand for a person over metadata
// naming the site or an organisation: names as people write theirs, one of
// them of two words or more, none the site's.
func (x *extraction) person(names []string) bool {
	if x.impersonal(names) {
		return false
	}
	long := false
	for _, n := range names {
		if !personLike(n) {
			return false
		}
		long = long || strings.Contains(n, " ")
	}
	return long
}

// shortPersonText reports an element whose whole text is a name.
func shortPersonText(n *html.Node) bool {
	text, short := shortText(n, 60)
	return short && personLike(text)
}

// textAfter is the text that follows n inside its parent, up to limit bytes
// and to the next block element.
func textAfter(n *html.Node, limit int) string {
	var b strings.Builder
	for c := n.NextSibling; c != nil && b.Len() < limit; c = c.NextSibling {
		if c.Type == html.ElementNode && (blockTags[c.DataAtom] || skippedTags[c.DataAtom]) {
			if b.Len() > 0 || c.DataAtom != atom.Div && c.DataAtom != atom.P {
				break
			}
		}
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
		case html.ElementNode:
			if c.DataAtom == atom.Br {
				if strings.TrimSpace(b.String()) != "" {
					return b.String()
				}
				continue
			}
			b.WriteString(" " + textOf(c) + " ")
		}
	}
	return b.String()
}

// datelineName is the name in a short line of fields, one of them a date:
// "04.02.2022 | 13:10 Uhr | Uta Helkenberg", "11.12.2019 - Amelie
// Loevenich". The name has two words or more.
func (x *extraction) datelineName(n *html.Node, text string) []string {
	if n.FirstChild == nil || len(strings.Fields(text)) > 12 || !dateCandidate(text) {
		return nil
	}
	fields := []string{plainSpace(text)}
	for _, sep := range bylineSeparators {
		var next []string
		for _, f := range fields {
			next = append(next, strings.Split(f, sep)...)
		}
		fields = next
	}
	if len(fields) < 2 || len(fields) > 4 || !x.hasDate(fields[0]) {
		return nil
	}
	for _, f := range fields[1:] {
		f = strings.TrimSpace(f)
		// "Medien, Politik" after a date is a list of categories: every
		// part must be a name, one of them of two words or more.
		if parts := strings.Split(f, ", "); allPersonLike(parts) && fullNames(parts) && !x.impersonal(parts) {
			return parts
		}
		// A labelled name: "Redaktion: Eva Roth (Pressesprecherin)".
		if bylineMidLabel.MatchString(f) {
			if names := x.bylineNames(f); len(names) > 0 && allPersonLike(names) && !x.impersonal(names) {
				return names
			}
		}
	}
	return nil
}

// bylineLabels introduce an author's name.
var bylineLabels = labelSet("written by", "écrit par", "publié par", "posted by", "by", "par", "von", "por", "di", "auteur", "author", "autor")

func cleanByline(s string) string {
	if rest, ok := bylineLabels.cut(s); ok {
		s = rest
	}
	// A link to the author's posts may name the author in a sentence:
	// "View all of Claire Martin's posts."
	return strings.TrimRight(cleanSpace(authorLinkName(s)), " .,;:|")
}

// readsAsName reports whether a byline's text could be names: it does not
// open with one of the commonest words of a language ("By the way").
func readsAsName(s string) bool {
	first, _, _ := strings.Cut(s, " ")
	_, common := stopwords[strings.ToLower(first)]
	return s != "" && !common
}

// maxAuthors caps a byline: more names than this are a list of staff, not
// the article's authors.
const maxAuthors = 6

// authorJoiners separate names in a byline: "Jo Baker and Ann Cook",
// "Jeanne Dupont et Paul Martin"; a conversation's byline names both who
// speak: "Jo Baker im Gespräch mit Ann Cook".
var authorJoiners = []string{" im Gespräch mit ", " in conversation with ", " en conversation avec ",
	" en conversación con ", " in conversazione con ", " and ", " et ", " und ", " y ", " e ", " & ", ", "}

// splitAuthors splits a byline naming several people; a part too long to
// be a name means the text was no list of names, and it stays whole.
func splitAuthors(s string) []string {
	parts := []string{s}
	for _, j := range authorJoiners {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, j)...)
		}
		parts = next
	}
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if len(strings.Fields(p)) > 4 {
			return []string{s}
		}
		// "Staff and news service reports", "Mac & i" are one signature.
		if r, _ := utf8.DecodeRuneInString(p); unicode.IsLower(r) {
			return []string{s}
		}
		out = append(out, p)
	}
	if len(out) == 0 || len(out) > maxAuthors {
		return []string{s}
	}
	return out
}

// bylineClass matches the class, id or itemprop of a byline element, as
// themes name them across the web.
var bylineClass = mustQuick(`(?i)byline|author|autor|writtenby|p-author|dateline|verfasser`)

// quoteClass matches the class of a quotation's parts: the author a
// quote's source names is not the article's.
var quoteClass = mustQuick(`(?i)quote|testimonial|citation`)

// classedByline is the names in the first element of the article, outside
// its body, whose class, id, rel or itemprop names a byline or author, with
// a short text that reads as names rather than a date or a bio. Inside a
// paragraph (a metadata line: "<p class=meta>date <span
// class=author>Name</span></p>") only names as people write theirs count,
// as a paragraph also cites books and sources.
func (x *extraction) classedByline(scope *html.Node) []string {
	names, _ := x.classedBylineLabelled(scope)
	return names
}

// classedBylineLabelled is classedByline, and whether the element's text
// also opens with a byline label ("Von …", "Text & Fotos: …"): a byline
// the page marks twice.
func (x *extraction) classedBylineLabelled(scope *html.Node) ([]string, bool) {
	var found []string
	labelled := false
	var walk func(n *html.Node, inPara bool) bool
	walk = func(n *html.Node, inPara bool) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || c == x.bodyNode || skippedTags[c.DataAtom] {
				continue
			}
			switch c.DataAtom {
			case atom.Input, atom.Textarea, atom.Select, atom.Label, atom.Img, atom.Link, atom.Meta,
				atom.Blockquote, atom.Q, atom.Cite, atom.Time, atom.Figure, atom.Figcaption: // quotes, dates, photo credits
				continue
			}
			// A custom element may say what it holds: <byline>.
			hay := c.Data + " " + attr(c, "class") + " " + attr(c, "id") + " " + attr(c, "rel") + " " + attr(c, "itemprop")
			if quoteClass.MatchString(attr(c, "class")) || isImageCredit(c) {
				continue // a quotation's author, a picture's
			}
			if styledHidden(c) {
				continue // printed nowhere
			}
			// A paragraph classed "author" is more often a bio: it
			// counts only when its whole text is a name.
			if bylineClass.MatchString(hay) && (c.DataAtom != atom.P || shortPersonText(c) || opensByline(c) || namesText(c)) {
				text, short := shortText(c, 300)
				if short && utf8.RuneCountInString(text) <= 200 {
					names := x.bylineNames(text)
					s := strings.Join(names, ", ")
					if len(names) > 0 && utf8.RuneCountInString(s) <= 100 && len(strings.Fields(s)) <= 12 && readsAsName(s) &&
						(!inPara || allPersonLike(names)) {
						found = names
						_, cut := bylineLabels.cut(text)
						labelled = cut || bylineLead.MatchString(text) || bylineMidLabel.MatchString(text)
						return true
					}
				}
			}
			if walk(c, inPara || c.DataAtom == atom.P) {
				return true
			}
		}
		return false
	}
	walk(scope, false)
	return found, labelled
}

// fullNames reports names one of which at least has two words: a first
// name alone is as often a weekday or a word.
func fullNames(names []string) bool {
	for _, n := range names {
		if strings.Contains(n, " ") {
			return true
		}
	}
	return false
}

// namesText reports an element whose whole text is a list of names: "Jo
// Kern und Eva Roth", "Jo Kern im Gespräch mit Eva Roth".
func namesText(n *html.Node) bool {
	text, short := shortText(n, 200)
	if !short {
		return false
	}
	names := splitAuthors(text)
	return len(names) > 1 && allPersonLike(names)
}

// opensByline reports an element whose short text a byline label opens:
// "Von Jo Kern und Eva Roth, NDR".
func opensByline(n *html.Node) bool {
	text, short := shortText(n, 300)
	if !short {
		return false
	}
	_, labelled := bylineLabels.cut(text)
	return labelled || bylineLead.MatchString(text)
}

// allPersonLike reports names that all read as people's names.
func allPersonLike(names []string) bool {
	for _, n := range names {
		if !personLike(n) {
			return false
		}
	}
	return len(names) > 0
}

// visibleByline finds "Written by: Name" or "Par Name" in scope, up to
// stop (nil: the whole scope).
func (x *extraction) visibleByline(scope, stop *html.Node) []string {
	var found []string
	stopped := false
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n == stop && stop != nil {
			stopped = true
			return true
		}
		if n.Type != html.ElementNode || skippedTags[n.DataAtom] || n == x.bodyNode {
			return false
		}
		if stop != nil && (n.DataAtom == atom.H1 || n.DataAtom == atom.H2) {
			return false // the headline above the article, not its byline
		}
		if own := ownTextUpTo(n, 80); own != "" {
			_, ok := bylineLabels.cut(own)
			if (ok || bylineLabels.is(own) || bylineLead.MatchString(own)) && labelledName(textOf(n)) {
				if names := x.bylineNames(textOf(n)); len(names) > 0 && readsAsName(names[0]) &&
					len(strings.Fields(strings.Join(names, " "))) <= 6 {
					found = names
					return true
				}
			}
			// The label and the name as the element's own text, after a
			// link or a widget it also holds: "<span><a>Report an
			// error</a> Editor: Name</span>".
			if (ok || bylineLead.MatchString(own)) && labelledName(own) {
				if names := x.bylineNames(own); len(names) > 0 && readsAsName(names[0]) &&
					len(strings.Fields(strings.Join(names, " "))) <= 6 {
					found = names
					return true
				}
			}
		}
		// A label in an element of its own, the name after it: "<span>Author:
		// </span><span>Jo Baker</span>".
		if text, short := shortText(n, 40); short && n.FirstChild != nil && (bylineLabels.is(text) || bylineLead.MatchString(text)) {
			if names := x.bylineNames(textAfter(n, 80)); len(names) > 0 && len(names) <= maxAuthors && personLike(names[0]) {
				found = names
				return true
			}
			// Or in the element after it: "<dt>Auteur</dt><dd>Uriel
			// Gadessaud</dd>", "<div><p>By</p></div><div><p>Todd
			// Bates</p></div>".
			if next := nextLabelled(n); next != nil {
				if after, short := shortText(next, 80); short {
					if names := x.bylineNames(after); len(names) > 0 && len(names) <= maxAuthors &&
						(allPersonLike(names) || len(names) == 1 && !x.anySiteNamed(names) && x.linksToProfile(next)) {
						found = names
						return true
					}
				}
			}
		}
		// A dateline over a heading is a teaser: "03.02.2022 <h3>Auf den
		// Spuren von Rafael Nadal</h3>" names the story's subject.
		if text, short := shortText(n, 160); short && n.DataAtom != atom.A && !holdsHeading(n) {
			if s := x.trailingByline(text); s != "" {
				found = x.bylineNames(s)
				return len(found) > 0
			}
			if names := x.datelineName(n, text); len(names) > 0 {
				found = names
				return true
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(scope)
	if stopped {
		return nil
	}
	return found
}

// profileSegments are the address segments of a member's page on a site:
// /profile/142450, /users/jo, /author/jo-baker/.
var profileSegments = map[string]bool{"profile": true, "profiles": true, "user": true, "users": true, "member": true,
	"members": true, "u": true, "author": true, "authors": true}

// linksToProfile reports an element that is, or holds only, a link to a
// member's page on the site: a handle ("by <a href=/profile/14>delta20</a>")
// is the author's name there even though it reads as no person's.
func (x *extraction) linksToProfile(n *html.Node) bool {
	var links []*html.Node
	if n.DataAtom == atom.A {
		links = append(links, n)
	} else {
		walkElements(n, func(c *html.Node) bool {
			if c.DataAtom == atom.A {
				links = append(links, c)
			}
			return false
		})
	}
	if len(links) != 1 || strings.TrimSpace(textOf(links[0])) != strings.TrimSpace(textOf(n)) {
		return false
	}
	u, err := url.Parse(resolveURL(x.base, attr(links[0], "href")))
	if err != nil || x.pageURL == nil || !sameHost(u.Hostname(), x.pageURL.Hostname()) {
		return false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	return len(parts) >= 2 && profileSegments[strings.ToLower(parts[len(parts)-2])]
}

// nextLabelled is the element that follows a label standing alone in its
// element: its next element sibling, or, when the label is all its
// parent holds, the parent's (up to two levels). nil when text comes
// between them.
func nextLabelled(n *html.Node) *html.Node {
	for level := 0; n != nil && level < 3; level, n = level+1, n.Parent {
		for c := n.NextSibling; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				if strings.TrimSpace(c.Data) != "" {
					return nil
				}
				continue
			}
			if c.Type == html.ElementNode {
				return c
			}
		}
		// The label is the last of its parent's children: its parent's
		// next element, when the parent holds nothing else.
		if p := n.Parent; p == nil || p.FirstChild != n && strings.TrimSpace(textOf(p)) != strings.TrimSpace(textOf(n)) {
			return nil
		}
	}
	return nil
}

// labelledName reports a text that a byline label opens and whose words
// after it read as names: not "Bild 1 von 4" (the label inside, before a
// count) nor "Von Kopf bis Fuß: Winterhandschuhe" (a headline that opens
// with the word). Up to the first comma, colon, date or field separator,
// the only lower-case words past the first (a login may be one) are a
// name's particles, the words joining names, a role or an agency.
func labelledName(text string) bool {
	rest, ok := bylineLabels.cut(text)
	if !ok {
		m := bylineLead.FindStringIndex(text)
		if m == nil {
			return false
		}
		rest = text[m[1]:]
	}
	rest = strings.TrimLeft(rest, " :")
	for i, w := range strings.Fields(rest) {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsDigit(r) {
			return i > 0
		}
		if !unicode.IsLetter(r) && r != '@' || strings.ContainsAny(w, ",:;") {
			break
		}
		lw := strings.ToLower(strings.Trim(w, ".,;:"))
		if i > 0 && unicode.IsLower(r) && !nameParticles[lw] && !nameJoiners[lw] && !isDatePreposition(lw) &&
			!roleWords[lw] && !agencies[lw] {
			return false
		}
	}
	return true
}

// nameJoiners are the words that join the names of a byline naming
// several people.
var nameJoiners = map[string]bool{"and": true, "und": true, "et": true, "y": true, "e": true, "&": true, "i": true}

// bylineJoins introduce the name that ends a dateline: "Publié le 14
// octobre 2009 par André Müller", "Posted on May 2 by Nell Porter".
var bylineJoins = []string{" par ", " by ", " von ", " por ", " di ", " door "}

// trailingByline is the name that ends a short dateline, or "": one to
// four capitalised words after the last "par", "by", "von"… that follow a
// date.
func (x *extraction) trailingByline(text string) string {
	if len(strings.Fields(text)) > 16 {
		return ""
	}
	lower := strings.ToLower(text)
	cut := -1
	for _, j := range bylineJoins {
		if i := strings.LastIndex(lower, j); i > cut {
			cut = i + len(j)
		}
	}
	if cut < 0 {
		return ""
	}
	// Only a dateline: what comes before the name must hold a date, or
	// any sentence ending "by Congress" would name an author.
	if _, err := x.dates.parse(text[:cut]); err != nil {
		return ""
	}
	name := strings.TrimRight(strings.TrimSpace(text[cut:]), ".,;:")
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > 4 {
		return ""
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return ""
		}
	}
	return name
}

// maxBodyBylineLines is how far into the body a byline is looked for: the
// first lines, before the text proper.
const maxBodyBylineLines = 4

// bodyByline is a byline printed as one of the body's first lines ("<p>Von
// Jo Baker</p>", "<span class=author>By Jo Baker</span>"): a short line
// that a byline label opens, or a byline element, whose names all read as
// people's.
func (x *extraction) bodyByline() []string {
	if x.bodyNode == nil {
		return nil
	}
	var found []string
	lines := 0
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil && lines < maxBodyBylineLines; c = c.NextSibling {
			if c.Type == html.TextNode {
				if strings.TrimSpace(c.Data) != "" {
					lines++
				}
				continue
			}
			if c.Type != html.ElementNode || skippedTags[c.DataAtom] || c.DataAtom == atom.Figure ||
				c.DataAtom == atom.Blockquote || c.DataAtom == atom.Img || c.DataAtom == atom.Time {
				continue
			}
			text, short := shortText(c, 120)
			if !short && c.DataAtom == atom.P {
				// A paragraph of text is one line, however many
				// elements its runs of type are split into.
				lines++
				continue
			}
			if !short {
				if walk(c) {
					return true
				}
				continue
			}
			if text == "" {
				continue
			}
			lines++
			// A label standing alone, the name in the next element:
			// "<dt>Auteur</dt><dd>Uriel Gadessaud</dd>".
			if bylineLabels.is(text) {
				if next := nextLabelled(c); next != nil {
					// Indented markup may hold more white space than text.
					if after, short := shortText(next, 400); short && utf8.RuneCountInString(after) <= 80 {
						if names := x.bylineNames(after); len(names) > 0 && len(names) <= maxAuthors && allPersonLike(names) &&
							!x.impersonal(names) {
							found = names
							return true
						}
					}
				}
				continue
			}
			hay := c.Data + " " + attr(c, "class") + " " + attr(c, "id") + " " + attr(c, "itemprop")
			_, labelled := bylineLabels.cut(text)
			if labelled || bylineLead.MatchString(text) || bylineClass.MatchString(hay) {
				if names := x.bylineNames(text); len(names) > 0 && len(names) <= maxAuthors && allPersonLike(names) &&
					!x.impersonal(names) && fullNames(names) {
					found = names
					return true
				}
			}
		}
		return lines >= maxBodyBylineLines
	}
	walk(x.bodyNode)
	return found
}
