package extract

import (
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Language detection for pages that declare none. A page's text tells its
// language in two ways that need no model: its script (kana is Japanese,
// Hangul Korean, Greek Greek…) and, in the Latin script, its most common
// words. An article gives hundreds of words, among which the twenty
// commonest words of its language are a third or more; a trigram model
// (github.com/abadojack/whatlanggo and the like) tells apart more
// languages, but costs a profile walk per word and is no more accurate on
// this much text for the languages folio targets.

// stopwords are the commonest short words of the Latin-script languages
// detected. A word may belong to several lists; the counts decide.
var stopwords = func() map[string][]string {
	lists := map[string][]string{
		"en": {"the", "and", "of", "to", "is", "in", "that", "it", "for", "with", "was", "on", "are", "this", "be", "as", "by", "have", "not", "you", "which", "from", "they", "but"},
		"fr": {"le", "la", "les", "et", "des", "est", "une", "du", "que", "pour", "dans", "qui", "pas", "sur", "au", "avec", "ce", "sont", "il", "nous", "mais", "aux", "ont", "été"},
		"de": {"der", "die", "und", "das", "ist", "nicht", "ein", "zu", "den", "mit", "von", "sich", "auf", "für", "ich", "dem", "auch", "es", "eine", "wir", "wird", "sind", "bei", "aus"},
		"es": {"el", "los", "las", "que", "del", "por", "una", "para", "con", "es", "se", "al", "lo", "como", "más", "pero", "sus", "este", "fue", "y", "ha", "está", "entre", "sobre"},
		"it": {"il", "che", "di", "della", "per", "non", "una", "sono", "con", "del", "gli", "si", "nel", "alla", "anche", "è", "dei", "questo", "ma", "delle", "come", "più", "ha", "essere"},
		"pt": {"o", "os", "que", "do", "da", "em", "um", "uma", "para", "com", "não", "dos", "das", "se", "por", "mais", "como", "ao", "foi", "é", "ser", "está", "também", "pelo"},
		"nl": {"de", "het", "een", "van", "en", "is", "dat", "niet", "op", "te", "zijn", "met", "voor", "ook", "maar", "aan", "er", "als", "bij", "wordt", "naar", "werd", "hij", "deze"},
		"pl": {"się", "nie", "na", "że", "jest", "do", "to", "jak", "od", "po", "za", "przez", "ale", "już", "oraz", "jego", "być", "tym", "dla", "czy", "może", "tak", "które", "został"},
		"cs": {"se", "na", "je", "že", "to", "do", "jako", "by", "ale", "pro", "za", "od", "jsou", "jeho", "který", "které", "také", "byl", "tak", "podle", "už", "při", "až", "není"},
		"sv": {"och", "att", "det", "som", "en", "är", "av", "för", "med", "till", "den", "har", "inte", "om", "ett", "på", "var", "men", "sig", "från", "kan", "vid", "hade", "också"},
	}
	byWord := map[string][]string{}
	for lang, words := range lists {
		for _, w := range words {
			byWord[w] = append(byWord[w], lang)
		}
	}
	return byWord
}()

// detectWords caps the sample read from the page.
const detectWords = 600

// detectLanguage guesses the base language of the text under root, or ""
// when the text is too short or too mixed to say. It reads at most
// detectWords words, skipping scripts, styles and navigation.
func detectLanguage(root *html.Node) (lang, how string) {
	var scripts [numScripts]int
	counts := map[string]int{}
	words := 0
	var word []rune
	flush := func() {
		if len(word) == 0 {
			return
		}
		words++
		for _, l := range stopwords[string(word)] {
			counts[l]++
		}
		word = word[:0]
	}
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				for _, r := range c.Data {
					if unicode.IsLetter(r) {
						scripts[scriptOf(r)]++
						word = append(word, unicode.ToLower(r))
						continue
					}
					flush()
				}
				flush()
				if words >= detectWords {
					return true
				}
			case c.Type == html.ElementNode && !skippedTags[c.DataAtom] && c.DataAtom != atom.Nav:
				if walk(c) {
					return true
				}
			}
		}
		return false
	}
	walk(root)

	letters := 0
	for _, n := range scripts {
		letters += n
	}
	// Twenty letters are a sentence of Chinese or Japanese; a Latin text
	// needs its five stop-word hits besides.
	if letters < 20 {
		return "", ""
	}
	if scripts[latin]*2 < letters {
		return scriptLanguage(scripts), "text script"
	}
	best, second := "", 0
	for l, n := range counts {
		switch {
		case best == "" || n > counts[best] || (n == counts[best] && l < best):
			if best != "" {
				second = max(second, counts[best])
			}
			best = l
		default:
			second = max(second, n)
		}
	}
	// At least a few hits, and a clear lead: closely related languages
	// share words, and a page of names and numbers has few of any.
	if best == "" || counts[best] < 5 || counts[best]*2 < second*3 {
		return "", ""
	}
	return best, "text stop words"
}

type script int

const (
	latin script = iota
	cyrillic
	greek
	arabic
	hebrew
	han
	kana
	hangul
	thai
	devanagari
	otherScript
	numScripts
)

func scriptOf(r rune) script {
	switch {
	case r < 0x250 || unicode.Is(unicode.Latin, r):
		return latin
	case unicode.Is(unicode.Cyrillic, r):
		return cyrillic
	case unicode.Is(unicode.Greek, r):
		return greek
	case unicode.Is(unicode.Arabic, r):
		return arabic
	case unicode.Is(unicode.Hebrew, r):
		return hebrew
	case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
		return kana
	case unicode.Is(unicode.Han, r):
		return han
	case unicode.Is(unicode.Hangul, r):
		return hangul
	case unicode.Is(unicode.Thai, r):
		return thai
	case unicode.Is(unicode.Devanagari, r):
		return devanagari
	}
	return otherScript
}

// scriptLanguage names the language of a text mostly in one non-Latin
// script. Japanese mixes kana with Han; a little kana is enough to tell it
// from Chinese. Cyrillic and Arabic scripts serve several languages: the
// commonest (Russian, Arabic) is given.
func scriptLanguage(s [numScripts]int) string {
	letters := 0
	for _, n := range s {
		letters += n
	}
	switch {
	case s[kana] > 0 && s[kana]*10 >= s[han]:
		return "ja"
	case s[hangul]*2 >= letters:
		return "ko"
	case s[han]*2 >= letters:
		return "zh"
	case s[cyrillic]*2 >= letters:
		return "ru"
	case s[greek]*2 >= letters:
		return "el"
	case s[arabic]*2 >= letters:
		return "ar"
	case s[hebrew]*2 >= letters:
		return "he"
	case s[thai]*2 >= letters:
		return "th"
	case s[devanagari]*2 >= letters:
		return "hi"
	}
	return ""
}
