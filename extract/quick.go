package extract

import (
	"bytes"
	"regexp"
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"
)

// quickRegexp is a regular expression with a cheap test run before it:
// the words (lower-cased) of which every match holds at least one. Most
// class names and texts a page gives hold none of them, and are ruled out
// at the cost of a few substring searches instead of a backtracking match.
// The test only rules out strings the expression cannot match, so every
// answer is the expression's own.
type quickRegexp struct {
	*regexp.Regexp
	// need are the lower-case ASCII words of which every match of the
	// expression on an ASCII string holds one; nil when no such list is
	// known and every string goes to the expression.
	need [][]byte
}

// mustQuick compiles expr as regexp.MustCompile does, with its test.
func mustQuick(expr string) *quickRegexp {
	q := &quickRegexp{Regexp: regexp.MustCompile(expr)}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err) // regexp.MustCompile has already accepted expr
	}
	if words, ok := requiredWords(re); ok {
		q.need = make([][]byte, 0, len(words))
		for _, w := range words {
			q.need = append(q.need, []byte(w))
		}
	}
	return q
}

// MatchString reports whether s holds a match of the expression.
func (q *quickRegexp) MatchString(s string) bool {
	return q.mayMatch(s) && q.Regexp.MatchString(s)
}

// FindString is regexp.Regexp.FindString.
func (q *quickRegexp) FindString(s string) string {
	if !q.mayMatch(s) {
		return ""
	}
	return q.Regexp.FindString(s)
}

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (q *quickRegexp) FindStringSubmatch(s string) []string {
	if !q.mayMatch(s) {
		return nil
	}
	return q.Regexp.FindStringSubmatch(s)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (q *quickRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	if !q.mayMatch(s) {
		return nil
	}
	return q.Regexp.FindAllStringSubmatch(s, n)
}

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (q *quickRegexp) FindStringIndex(s string) []int {
	if !q.mayMatch(s) {
		return nil
	}
	return q.Regexp.FindStringIndex(s)
}

// mayMatch is false when s, an ASCII string, holds none of the needed
// words; a string with other characters is left to the expression, whose
// case folding reaches beyond ASCII (the Kelvin sign folds to "k").
func (q *quickRegexp) mayMatch(s string) bool {
	if q.need == nil {
		return true
	}
	var stack [256]byte
	var lower []byte
	if len(s) <= len(stack) {
		lower = stack[:len(s)]
	} else {
		lower = make([]byte, len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return true
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	for _, w := range q.need {
		if bytes.Contains(lower, w) {
			return true
		}
	}
	return false
}

// requiredWords returns lower-case ASCII words of which every match of re
// on an ASCII string holds one; ok is false when it finds no such list. An
// empty list with ok says re matches no ASCII string.
func requiredWords(re *syntax.Regexp) (words []string, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		var b []byte
		for _, r := range re.Rune {
			c, ascii := asciiLower(r, re.Flags&syntax.FoldCase != 0)
			if !ascii {
				return nil, true // no ASCII string holds this literal
			}
			b = append(b, c)
		}
		if len(b) == 0 {
			return nil, false
		}
		return []string{string(b)}, true
	case syntax.OpCapture, syntax.OpPlus:
		return requiredWords(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min < 1 {
			return nil, false
		}
		return requiredWords(re.Sub[0])
	case syntax.OpConcat:
		// Any one part's words will do: the most selective, whose
		// shortest word is longest.
		var best []string
		found := false
		for _, sub := range re.Sub {
			w, ok := requiredWords(sub)
			if !ok {
				continue
			}
			if len(w) == 0 {
				return nil, true
			}
			if !found || shortest(w) > shortest(best) || (shortest(w) == shortest(best) && len(w) < len(best)) {
				best, found = w, true
			}
		}
		return best, found
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			w, ok := requiredWords(sub)
			if !ok {
				return nil, false
			}
			all = append(all, w...)
		}
		slices.Sort(all)
		return slices.Compact(all), true
	}
	return nil, false
}

func shortest(words []string) int {
	n := -1
	for _, w := range words {
		if n < 0 || len(w) < n {
			n = len(w)
		}
	}
	return n
}

// asciiLower is the lower-case ASCII letter a literal rune r matches, with
// fold when the literal ignores case; ascii is false when r matches no
// ASCII character.
func asciiLower(r rune, fold bool) (byte, bool) {
	if r < utf8.RuneSelf {
		return byte(unicode.ToLower(r)), true
	}
	if !fold {
		return 0, false
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return byte(unicode.ToLower(f)), true
		}
	}
	return 0, false
}
