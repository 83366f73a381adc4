package extract

import (
	"sort"
	"strings"
	"unicode"
)

// Labels are the words themes print next to the links they announce, in the
// languages folio reads; compared through labelKey (lower case, no accents,
// no surrounding punctuation).
var (
	previousLabels = labelSet("Previous post", "Previous article", "Previous", "Older post",
		"Article précédent", "Post précédent", "Billet précédent", "Précédent",
		"Vorheriger Beitrag", "Artículo anterior", "Entrada anterior", "Articolo precedente", "Post precedente")
	nextLabels = labelSet("Next post", "Next article", "Next", "Newer post",
		"Article suivant", "Post suivant", "Billet suivant", "Suivant",
		"Nächster Beitrag", "Artículo siguiente", "Entrada siguiente", "Articolo successivo", "Post successivo")
	relatedLabels = labelSet("À lire aussi", "A lire aussi", "Lire aussi", "À lire également", "Lire également",
		"Voir aussi", "À voir aussi", "Sur le même sujet", "Articles liés", "Read also", "Also read",
		"See also", "Related", "Related posts", "Related articles", "Lesen Sie auch", "Lee también",
		"Leggi anche", "Leia também")
	sourceLabels = labelSet("La source", "Source", "Sources", "Lien source", "Source link",
		"Article original", "Voir la source", "Quelle", "Fuente", "Fonte")
	readMoreLabels = labelSet("Lire la suite", "Lire plus", "En savoir plus", "Lire l'article",
		"Read more", "Continue reading", "Continuer la lecture", "Weiterlesen", "Leer más",
		"Continua a leggere", "Leia mais")
)

// labels is a set of label keys, longest first so that "à lire aussi"
// wins over "lire aussi".
type labels struct {
	keys    []string
	set     map[string]bool
	longest int // in bytes of key
}

func labelSet(words ...string) labels {
	l := labels{set: make(map[string]bool, len(words))}
	for _, w := range words {
		k := labelKey(w)
		if !l.set[k] {
			l.set[k] = true
			l.keys = append(l.keys, k)
			l.longest = max(l.longest, len(k))
		}
	}
	sort.Slice(l.keys, func(i, j int) bool { return len(l.keys[i]) > len(l.keys[j]) })
	return l
}

// is reports whether text is one of the labels.
func (l labels) is(text string) bool {
	if len(text) > 2*l.longest+8 { // accents and spaces may shrink; never by half
		return false
	}
	return l.set[labelKey(text)]
}

// cut reports whether text starts with one of the labels, as whole words,
// and returns the text after it, as written, without the punctuation that
// follows the label ("À lire aussi : Titre" → "Titre").
func (l labels) cut(text string) (string, bool) {
	head := text
	if len(head) > 160 { // the longest label is a few words long
		head = head[:160]
	}
	words := strings.Fields(head)
	key := labelKey(strings.Join(words[:min(len(words), maxLabelWords)], " "))
	for _, k := range l.keys {
		rest, ok := strings.CutPrefix(key, k)
		if !ok || (rest != "" && isWordByte(rest[0])) {
			continue
		}
		after := skipWords(text, strings.Count(k, " ")+1)
		return strings.TrimLeftFunc(after, func(r rune) bool {
			return unicode.IsPunct(r) || unicode.IsSpace(r) || isNoBreakSpace(r)
		}), true
	}
	return "", false
}

// skipWords returns text after its first n words.
func skipWords(text string, n int) string {
	inWord := false
	for i, r := range text {
		space := unicode.IsSpace(r) || isNoBreakSpace(r)
		switch {
		case !space && !inWord:
			if n == 0 {
				return text[i:]
			}
			n--
			inWord = true
		case space:
			inWord = false
		}
	}
	return ""
}

// beforeColon reports whether text starts with one of the labels followed
// by a colon: "Source : AFP", not "Sources diplomatiques".
func (l labels) beforeColon(text string) bool {
	if len(text) > 600 {
		return false
	}
	words := strings.Fields(text)
	key := labelKey(strings.Join(words[:min(len(words), maxLabelWords+1)], " "))
	for _, k := range l.keys {
		if rest, ok := strings.CutPrefix(key, k); ok && strings.HasPrefix(strings.TrimLeft(rest, " "), ":") {
			return true
		}
	}
	return false
}

// maxLabelWords is the length in words of the longest label.
const maxLabelWords = 5

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80
}
