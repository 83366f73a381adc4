package extract

import (
	"time"
	"unicode"
)

// months maps month names and their abbreviations, lower case and without
// accents, to their number, in the languages folio reads: French, English,
// German, Spanish, Italian and Portuguese. The names never disagree across
// these languages, so one table serves them all.
var months = func() map[string]time.Month {
	byMonth := [12][]string{
		{"janvier", "janv", "january", "januar", "janner", "enero", "ene", "gennaio", "gen", "janeiro", "jan"},
		{"fevrier", "fevr", "fev", "february", "februar", "febrero", "febbraio", "fevereiro", "feb"},
		{"mars", "march", "marz", "marzo", "marco", "mar"},
		{"avril", "avr", "april", "abril", "aprile", "apr", "abr"},
		{"mai", "may", "mayo", "maggio", "mag", "maio"},
		{"juin", "june", "juni", "junio", "giugno", "giu", "junho", "jun"},
		{"juillet", "juil", "july", "juli", "julio", "luglio", "lug", "julho", "jul"},
		{"aout", "august", "agosto", "aug", "ago"},
		{"septembre", "sept", "september", "septiembre", "setiembre", "settembre", "setembro", "sep", "set"},
		{"octobre", "october", "oktober", "octubre", "ottobre", "outubro", "oct", "okt", "ott", "out"},
		{"novembre", "november", "noviembre", "novembro", "nov"},
		{"decembre", "december", "dezember", "diciembre", "dicembre", "dezembro", "dec", "dez", "dic"},
	}
	// Russian and Ukrainian months, as a day's date writes them (in the
	// genitive: "15 августа 2016") and alone; folded as labelKey folds
	// them ("й" → "и").
	cyrillic := [12][]string{
		{"января", "январь", "січня", "січень"},
		{"февраля", "февраль", "лютого", "лютий"},
		{"марта", "март", "березня", "березень"},
		{"апреля", "апрель", "квітня", "квітень"},
		{"мая", "май", "травня", "травень"},
		{"июня", "июнь", "червня", "червень"},
		{"июля", "июль", "липня", "липень"},
		{"августа", "август", "серпня", "серпень"},
		{"сентября", "сентябрь", "вересня", "вересень"},
		{"октября", "октябрь", "жовтня", "жовтень"},
		{"ноября", "ноябрь", "листопада", "листопад"},
		{"декабря", "декабрь", "грудня", "грудень"},
	}
	// Arabic months as Egypt and most of the Arab press name them
	// ("07 أكتوبر 2020"), and the Levant's one-word names.
	arabic := [12][]string{
		{"يناير"}, {"فبراير", "شباط"}, {"مارس", "آذار"}, {"أبريل", "ابريل", "نيسان"},
		{"مايو", "أيار"}, {"يونيو", "يونيه", "حزيران"}, {"يوليو", "يوليه", "تموز"}, {"أغسطس", "آب"},
		{"سبتمبر", "أيلول"}, {"أكتوبر", "اكتوبر"}, {"نوفمبر"}, {"ديسمبر"},
	}
	m := map[string]time.Month{}
	for i, names := range byMonth {
		for _, n := range names {
			m[n] = time.Month(i + 1)
		}
		for _, n := range cyrillic[i] {
			m[labelKey(n)] = time.Month(i + 1)
		}
		for _, n := range arabic[i] {
			m[labelKey(n)] = time.Month(i + 1)
		}
	}
	return m
}()

// dateFillers may stand between the parts of a written date: "7 de
// noviembre de 2022", "le 7 novembre 2022 à 10h30", "November 7th, 2022 at
// 10:30", "7. November 2022 um 10:30 Uhr".
var dateFillers = map[string]bool{
	"de": true, "del": true, "of": true, "the": true, "di": true, "do": true, "da": true,
	"a": true, "at": true, "um": true, "alle": true, "ore": true, "las": true, "as": true,
}

// monthFirstLanguages write numeric dates month first (11/07/2022).
var monthFirstLanguages = map[string]bool{"en": true}

// monthFirstRegions are the regions whose English writes numeric dates
// month first; the others (GB, AU, IN, IE, NZ, ZA…) write the day first.
var monthFirstRegions = map[string]bool{"us": true, "ca": true, "ph": true, "um": true, "as": true, "gu": true, "pr": true, "vi": true, "mp": true}

// relativeUnit is one unit of a relative date ("3 jours", "2 hours"):
// a duration, or a number of calendar months.
type relativeUnit struct {
	d      time.Duration
	months int
}

// relativeUnits are the units of relative dates in the languages folio
// reads, lower case without accents, singular and plural.
var relativeUnits = func() map[string]relativeUnit {
	day := 24 * time.Hour
	byUnit := []struct {
		u     relativeUnit
		names []string
	}{
		{relativeUnit{d: time.Second}, []string{"seconde", "secondes", "second", "seconds", "sec", "secs", "sekunde", "sekunden", "segundo", "segundos", "secondo", "secondi"}},
		{relativeUnit{d: time.Minute}, []string{"minute", "minutes", "min", "mins", "minuten", "minuto", "minutos", "minuti"}},
		{relativeUnit{d: time.Hour}, []string{"heure", "heures", "hour", "hours", "hr", "hrs", "h", "stunde", "stunden", "hora", "horas", "ora", "ore"}},
		{relativeUnit{d: day}, []string{"jour", "jours", "day", "days", "tag", "tage", "tagen", "dia", "dias", "giorno", "giorni"}},
		{relativeUnit{d: 7 * day}, []string{"semaine", "semaines", "week", "weeks", "woche", "wochen", "semana", "semanas", "settimana", "settimane"}},
		{relativeUnit{months: 1}, []string{"mois", "month", "months", "monat", "monate", "monaten", "mes", "meses", "mese", "mesi"}},
		{relativeUnit{months: 12}, []string{"an", "ans", "annee", "annees", "year", "years", "jahr", "jahre", "jahren", "ano", "anos", "anno", "anni"}},
	}
	m := map[string]relativeUnit{}
	for _, b := range byUnit {
		for _, n := range b.names {
			m[n] = b.u
		}
	}
	return m
}()

// relativeBefore are the words that open a relative date ("il y a 3
// jours", "vor 3 Tagen", "hace 3 días", "há 3 dias"); relativeAfter close
// one ("3 days ago", "3 giorni fa", "3 dias atrás").
var (
	relativeBefore = [][]string{{"il", "y", "a"}, {"vor"}, {"hace"}, {"ha"}}
	relativeAfter  = map[string]bool{"ago": true, "fa": true, "atras": true}
)

type tokenKind uint8

const (
	wordToken tokenKind = iota
	numberToken
	sepToken
)

type token struct {
	kind   tokenKind
	text   string // a word lower case without accents; the separator itself
	num    int
	digits int
}

// tokenize splits a date text into words, numbers and separators. Ordinal
// endings stick to their number and are dropped: "1er", "7th", "2º".
func tokenize(s string) []token {
	s = labelKey(s)
	var toks []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r >= '0' && r <= '9':
			j, n := i, 0
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' && j-i < 9 {
				n = n*10 + int(rs[j]-'0')
				j++
			}
			toks = append(toks, token{kind: numberToken, num: n, digits: j - i})
			k := j
			for k < len(rs) && unicode.IsLetter(rs[k]) {
				k++
			}
			switch string(rs[j:k]) {
			case "er", "re", "e", "st", "nd", "rd", "th", "o", "a":
				j = k
			}
			if j < len(rs) && (rs[j] == 'º' || rs[j] == '°') {
				j++
			}
			i = j
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
			toks = append(toks, token{kind: wordToken, text: string(rs[i:j])})
			i = j
		default:
			toks = append(toks, token{kind: sepToken, text: string(r)})
			i++
		}
	}
	return toks
}

// written finds the first complete date in toks: day, month name and year in
// either order ("7 novembre 2022", "novembre 7, 2022"), or three numbers
// ("07/11/2022", "2022/11/07"), with an optional time and offset after it.
func (p dateParser) written(toks []token) (time.Time, bool) {
	for i, t := range toks {
		var y, d, end int
		var m time.Month
		switch {
		case t.kind == wordToken && months[t.text] != 0:
			m = months[t.text]
			if day, ok := prevPart(toks, i); ok && isDay(toks[day]) {
				if yr, ok := nextPart(toks, i); ok && isYear(toks[yr]) {
					d, y, end = toks[day].num, toks[yr].num, yr
					break
				}
			}
			if day, ok := nextPart(toks, i); ok && isDay(toks[day]) {
				if yr, ok := nextPart(toks, day); ok && isYear(toks[yr]) {
					d, y, end = toks[day].num, toks[yr].num, yr
				}
			}
		case t.kind == numberToken:
			var ok bool
			if y, m, d, end, ok = p.numericDate(toks, i); !ok {
				continue
			}
		default:
			continue
		}
		if y == 0 {
			continue
		}
		hour, minute, sec, zone := timeOfDay(toks, end+1, p.loc)
		date := time.Date(y, m, d, hour, minute, sec, 0, zone)
		if date.Day() != d || date.Month() != m { // 31 February
			continue
		}
		return date, true
	}
	return time.Time{}, false
}

// numericDate reads "07/11/2022", "7.11.2022", "2022/11/07" or "07-11-22"
// starting at toks[i]; the order of day and month follows the page's
// language, unless one of them is above 12; dots separate a day first in
// every language (no one writes 11.07.2022 for November 7).
func (p dateParser) numericDate(toks []token, i int) (y int, m time.Month, d, end int, ok bool) {
	if i+4 >= len(toks) || toks[i+1].kind != sepToken || toks[i+2].kind != numberToken ||
		toks[i+3].kind != sepToken || toks[i+4].kind != numberToken || toks[i+1].text != toks[i+3].text {
		return 0, 0, 0, 0, false
	}
	switch toks[i+1].text {
	case "/", ".", "-":
	case "|":
		// "26 | 01 | 2022", as some themes space out a date: only
		// with the whole year last, never a row of counters.
		if toks[i].digits > 2 || toks[i+2].digits > 2 || toks[i+4].digits != 4 {
			return 0, 0, 0, 0, false
		}
	default:
		return 0, 0, 0, 0, false
	}
	a, b, c := toks[i], toks[i+2], toks[i+4]
	if i > 0 && toks[i-1].kind == sepToken && toks[i-1].text == toks[i+1].text {
		return 0, 0, 0, 0, false // the tail of a longer run of numbers
	}
	if a.digits == 4 && b.digits <= 2 && c.digits <= 2 {
		return a.num, time.Month(b.num), c.num, i + 4, b.num >= 1 && b.num <= 12 && c.num >= 1
	}
	if a.digits > 2 || b.digits > 2 || (c.digits != 4 && c.digits != 2) {
		return 0, 0, 0, 0, false
	}
	year := c.num
	if c.digits == 2 {
		year += 2000
		if year > p.now.Year()+1 && !p.now.IsZero() {
			year -= 100
		}
	}
	day, month := a.num, b.num
	if (monthFirstLanguages[p.language] && !p.dayFirst && toks[i+1].text != "." && a.num <= 12) || b.num > 12 {
		day, month = b.num, a.num
	}
	if month < 1 || month > 12 || day < 1 {
		return 0, 0, 0, 0, false
	}
	return year, time.Month(month), day, i + 4, true
}

func isDay(t token) bool  { return t.kind == numberToken && t.digits <= 2 && t.num >= 1 && t.num <= 31 }
func isYear(t token) bool { return t.kind == numberToken && t.digits == 4 }

// skippable tokens may stand between the parts of a date.
func skippable(t token) bool {
	if t.kind == sepToken {
		return t.text == "," || t.text == "." || t.text == "-" || t.text == "/"
	}
	return t.kind == wordToken && dateFillers[t.text]
}

// nextPart is the index of the first token after i that is not a filler.
func nextPart(toks []token, i int) (int, bool) {
	for j := i + 1; j < len(toks) && j <= i+3; j++ {
		if !skippable(toks[j]) {
			return j, true
		}
	}
	return 0, false
}

// prevPart is the index of the last token before i that is not a filler.
func prevPart(toks []token, i int) (int, bool) {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if !skippable(toks[j]) {
			return j, true
		}
	}
	return 0, false
}

// timeOfDay reads "10:30", "10h30", "10:30:15", "3:05 pm", "10h" and an
// offset ("+01:00", "UTC") from toks[i:], after fillers such as "à" or
// "at"; it gives midnight in loc when there is none.
func timeOfDay(toks []token, i int, loc *time.Location) (hour, minute, sec int, zone *time.Location) {
	zone = loc
	for i < len(toks) && (skippable(toks[i]) || toks[i].kind == sepToken && (toks[i].text == "@" || toks[i].text == "|")) {
		i++
	}
	if i >= len(toks) || toks[i].kind != numberToken || toks[i].digits > 2 || toks[i].num > 23 {
		return 0, 0, 0, loc
	}
	h := toks[i].num
	i++
	if i >= len(toks) || (toks[i].text != ":" && toks[i].text != "h") {
		return 0, 0, 0, loc
	}
	i++
	m := 0
	if i < len(toks) && toks[i].kind == numberToken && toks[i].digits == 2 && toks[i].num < 60 {
		m = toks[i].num
		i++
		if i+1 < len(toks) && toks[i].text == ":" && toks[i+1].kind == numberToken && toks[i+1].digits == 2 && toks[i+1].num < 61 {
			sec = toks[i+1].num
			i += 2
		}
	} else if toks[i-1].text == ":" {
		return 0, 0, 0, loc
	}
	if i < len(toks) && toks[i].kind == wordToken {
		switch toks[i].text {
		case "pm":
			if h < 12 {
				h += 12
			}
			i++
		case "am":
			if h == 12 {
				h = 0
			}
			i++
		}
	}
	return h, m, sec, offsetZone(toks, i, loc)
}

// offsetZone reads "+01:00", "+0100", "-05", "UTC", "GMT" or "Z" at toks[i].
func offsetZone(toks []token, i int, loc *time.Location) *time.Location {
	if i >= len(toks) {
		return loc
	}
	t := toks[i]
	if t.kind == wordToken && (t.text == "utc" || t.text == "gmt" || t.text == "z") {
		if i+1 >= len(toks) || toks[i+1].kind != sepToken || (toks[i+1].text != "+" && toks[i+1].text != "-") {
			return time.UTC
		}
		i++
		t = toks[i]
	}
	if t.kind != sepToken || (t.text != "+" && t.text != "-") || i+1 >= len(toks) || toks[i+1].kind != numberToken {
		return loc
	}
	n := toks[i+1]
	var h, m int
	switch {
	case n.digits == 4:
		h, m = n.num/100, n.num%100
	case n.digits <= 2:
		h = n.num
		if i+3 < len(toks) && toks[i+2].text == ":" && toks[i+3].kind == numberToken && toks[i+3].digits == 2 {
			m = toks[i+3].num
		}
	default:
		return loc
	}
	if h > 14 || m > 59 {
		return loc
	}
	offset := h*3600 + m*60
	if t.text == "-" {
		offset = -offset
	}
	return time.FixedZone("", offset)
}

// relative reads "il y a 3 jours", "2 hours ago", "vor 3 Tagen", "hace 2
// horas", "3 giorni fa" or "há 3 dias" against the fetch time. A count of
// days or more gives midnight of that day, the precision the text has.
func (p dateParser) relative(toks []token) (time.Time, bool) {
	if p.now.IsZero() {
		return time.Time{}, false
	}
	for i := 0; i+1 < len(toks); i++ {
		n, unit := toks[i], toks[i+1]
		if n.kind != numberToken || n.digits > 3 || unit.kind != wordToken {
			continue
		}
		u, ok := relativeUnits[unit.text]
		if !ok {
			continue
		}
		after := i+2 < len(toks) && toks[i+2].kind == wordToken && relativeAfter[toks[i+2].text]
		if !after && !openedBefore(toks, i) {
			continue
		}
		now := p.now.In(p.loc)
		var t time.Time
		switch {
		case u.months > 0:
			t = now.AddDate(0, -n.num*u.months, 0)
		default:
			t = now.Add(-time.Duration(n.num) * u.d)
		}
		if u.months > 0 || u.d >= 24*time.Hour {
			t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, p.loc)
		}
		return t, true
	}
	return time.Time{}, false
}

// openedBefore reports whether the number at toks[i] follows one of the
// words that open a relative date.
func openedBefore(toks []token, i int) bool {
	for _, words := range relativeBefore {
		if i < len(words) {
			continue
		}
		match := true
		for j, w := range words {
			t := toks[i-len(words)+j]
			if t.kind != wordToken || t.text != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
