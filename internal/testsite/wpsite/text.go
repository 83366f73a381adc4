package wpsite

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

const nbsp = "\u00a0"

// frenchTypography turns the plain spaces that templates put around French
// punctuation into the no-break spaces a French WordPress site prints
// (before ; : ? ! % and inside « »), and repairs the contractions that filling
// templates with noun phrases produces ("de le" → "du").
var frenchTypography = strings.NewReplacer(
	" ;", nbsp+";",
	" :", nbsp+":",
	" ?", nbsp+"?",
	" !", nbsp+"!",
	" %", nbsp+"%",
	"« ", "«"+nbsp,
	" »", nbsp+"»",
	" de le ", " du ",
	" de les ", " des ",
	" à le ", " au ",
	" à les ", " aux ",
	"De le ", "Du ",
	"De les ", "Des ",
	"À le ", "Au ",
	"À les ", "Aux ",
	" que il", " qu’il",
	" que elle", " qu’elle",
)

func typeset(s string) string { return frenchTypography.Replace(s) }

// capFirst upper-cases the first letter, as at the start of a sentence.
func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// startsWithVowelSound reports whether French elides a preceding "de" or "le"
// before s. Names starting with h keep "de" ("de Hugo"), as usage prefers.
func startsWithVowelSound(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("AEIOUYÉÈÊÂÎÔÛaeiouyéèêâîôû", r)
}

// de returns "de X" or "d’X" as French elision requires.
func de(s string) string {
	if startsWithVowelSound(s) {
		return "d’" + s
	}
	return "de " + s
}

// accentFold maps the accented letters our word lists use to their ASCII
// base, the way WordPress's remove_accents builds slugs.
var accentFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ą': "a", 'ă': "a",
	'æ': "ae", 'ç': "c", 'ć': "c", 'č': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ę': "e", 'ě': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ł': "l", 'ñ': "n", 'ń': "n", 'ň': "n",
	'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'œ': "oe",
	'ř': "r", 'ś': "s", 'š': "s", 'ș': "s", 'ş': "s", 'ß': "ss", 'ț': "t", 'ţ': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ů': "u",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z",
}

// fold lower-cases s and strips its accents.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if a, ok := accentFold[r]; ok {
			b.WriteString(a)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slugify builds a WordPress-style slug: accents folded, apostrophes dropped
// ("l’Italie" → "litalie"), every other run of non-alphanumerics a hyphen.
func slugify(title string) string {
	var b strings.Builder
	pendingHyphen := false
	for _, r := range fold(title) {
		switch {
		case r == '\'' || r == '’':
			continue
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			b.WriteRune(r)
		default:
			pendingHyphen = true
		}
	}
	return b.String()
}

// frenchMonths are the month names in lower case, as WordPress prints them.
var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// themeDate is the date as the theme prints it: "novembre 7, 2022" (French
// month name, US-style order), which is what the source blog shows.
func themeDate(t time.Time) string {
	return frenchMonths[t.Month()-1] + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
}

// monthTitle is "novembre 2022", as the archives widget prints a month.
func monthTitle(year int, month time.Month) string {
	return frenchMonths[month-1] + " " + strconv.Itoa(year)
}

// frenchInt formats n with a no-break space between thousands: 12 400.
func frenchInt(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteString(nbsp)
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// excerptLimit is how many characters of a post's text the theme shows in a
// "Previous post" card or a listing before cutting at a word boundary.
const excerptLimit = 512

// excerpt reproduces the theme's excerpt: the post's text (every paragraph
// of its content, links included, joined by spaces), cut after the last whole
// word that fits in excerptLimit characters, then " […]". Words are split on
// ASCII spaces only, as PHP's preg_split does, so no-break spaces stay inside
// words.
func excerpt(paragraphs []string) string {
	text := strings.Join(paragraphs, " ")
	if utf8.RuneCountInString(text) <= excerptLimit {
		return text
	}
	var b strings.Builder
	runes := 0
	for i, w := range strings.Split(text, " ") {
		n := utf8.RuneCountInString(w)
		if i > 0 {
			n++
		}
		if runes+n > excerptLimit {
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		runes += n
	}
	return b.String() + " […]"
}

// htmlText escapes s for an HTML text node the way WordPress prints it: only
// & < > are escaped, and no-break spaces are written as &nbsp;.
var htmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", nbsp, "&nbsp;")

// htmlAttr escapes s for a double-quoted attribute value.
var htmlAttr = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// xmlText escapes s for XML character data.
var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#039;")

// splitmix is a small, fixed integer hash (SplitMix64's finaliser). The site
// derives every choice from it rather than from math/rand so that pages stay
// byte-identical across Go versions.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
