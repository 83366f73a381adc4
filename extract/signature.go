package extract

import (
	"strings"
	"unicode/utf8"
)

// The author's name of last resort, when no byline names anyone: the
// signature that ends the text ("Euer Hans", "Cheers, Anna"). A copyright line's holder is not one: it is as often the
// photographer, the publisher or an association as the author.

// greetings open a signature: "Euer Hans", "Cheers, Anna".
var greetings = labelSet("Euer", "Eure", "Dein", "Deine", "Ihr", "Ihre", "Eurer", "Liebe Grüße", "Viele Grüße",
	"Herzliche Grüße", "Beste Grüße", "Grüße", "Gruß", "LG", "Cheers", "Yours", "Best", "Regards",
	"Best regards", "Kind regards", "Love", "Bises", "Amitiés", "Saludos", "Un saludo")

// signature is the name that signs the body's last paragraph after a
// greeting, or over the office its bearer holds. (A name over a date is read as a date line and never reaches
// the body's paragraphs.)
func (x *extraction) signature(paras []string) []string {
	if len(paras) < 2 {
		return nil // a body of one line signs nothing
	}
	last := strings.TrimSpace(paras[len(paras)-1])
	if utf8.RuneCountInString(last) > 60 {
		return nil
	}
	first := strings.TrimRight(last, ",")
	// A paragraph that is a name alone is as often a caption, a heading or
	// a link's text as a signature: only a greeting says it signs.
	if rest, ok := greetings.cut(first); ok && personLike(rest) && !x.impersonal([]string{rest}) {
		return []string{rest}
	}
	// So does an office under the name: "Jo Kern\nVorsitzender des
	// Vereins", "Eva Roth\nPresident".
	if name := x.officeName(last); name != "" {
		return []string{name}
	}
	// So does bold type: a last paragraph that is a full name alone, all
	// of it bold.
	if x.boldEnd == last && len(strings.Fields(last)) >= 2 && len(strings.Fields(last)) <= 3 &&
		personLike(last) && !x.impersonal([]string{last}) {
		return []string{last}
	}
	return nil
}

// copyrightLine matches the copyright notice, and its year, that opens a
// credit: "© 2019", "(c) 2012-", "Copyright ©"; cleanName cuts it from
// "© Kathrin Fuchs".
var copyrightLine = mustQuick(`(?i)^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}\s*(?:[-–]\s*(?:\d{4})?)?\s*)?(?:by\s+)?`)

// officeEndings end the words that name an office held, alone or
// compounded: "Bundesvorsitzender", "Präsidentin", "Geschäftsführer".
var officeEndings = []string{"vorsitzender", "vorsitzende", "präsident", "präsidentin", "direktor", "direktorin",
	"geschäftsführer", "geschäftsführerin", "sprecher", "sprecherin", "leiter", "leiterin", "bürgermeister",
	"bürgermeisterin", "minister", "ministerin", "bischof", "pfarrer", "pfarrerin", "vorstand", "president",
	"director", "chairman", "chairwoman", "chair", "ceo", "secretary", "président", "présidente", "directeur",
	"directrice", "presidente", "director", "directora"}

// isOffice reports a short line naming an office, the line a signature
// puts under the name.
func isOffice(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 || len(words) > 8 || utf8.RuneCountInString(s) > 80 {
		return false
	}
	if isRole(s) {
		return true
	}
	for _, w := range words {
		w = strings.Trim(w, ",;()")
		if i := strings.LastIndexByte(w, '-'); i >= 0 { // "verbands-vorsitzender"
			w = w[i+1:]
		}
		for _, e := range officeEndings {
			if strings.HasSuffix(w, e) {
				return true
			}
		}
	}
	return false
}

// officeName is the full name over an office that a paragraph is
// ("Jo Kern\nVorsitzender des Vereins"), or "".
func (x *extraction) officeName(p string) string {
	name, office, ok := strings.Cut(strings.TrimSpace(p), "\n")
	if !ok || strings.Contains(office, "\n") || !isOffice(office) {
		return ""
	}
	name = strings.TrimSpace(name)
	if n := len(strings.Fields(name)); n < 2 || n > 3 || !personLike(name) || x.impersonal([]string{name}) {
		return ""
	}
	return name
}

// officeSignature is the name signing the body's last paragraph over the
// office its bearer holds, or "".
func (x *extraction) officeSignature(paras []string) string {
	if len(paras) < 2 {
		return ""
	}
	if name := x.officeName(paras[len(paras)-1]); name != "" {
		x.won("author", layerHeuristics, "signature over an office ending the body")
		return name
	}
	return ""
}
