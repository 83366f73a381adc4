package extract

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
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
}

// dateParser turns the date text of a page into a time, in the site's time
// zone when the text carries none.
type dateParser struct {
	loc      *time.Location
	language string    // the page's base language, "" when unknown
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
	return time.Time{}, false
}

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
