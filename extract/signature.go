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
// greeting. (A name over a date is read as a date line and never reaches
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
