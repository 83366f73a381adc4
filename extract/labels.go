package extract

import (
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

type labels map[string]bool

func labelSet(words ...string) labels {
	s := make(labels, len(words))
	for _, w := range words {
		s[labelKey(w)] = true
	}
	return s
}

// is reports whether text is one of the labels.
func (l labels) is(text string) bool {
	return l[labelKey(text)]
}

// cut reports whether text starts with one of the labels, as whole words,
// and returns the text after it, as written, without the punctuation that
// follows the label ("À lire aussi : Titre" → "Titre").
func (l labels) cut(text string) (string, bool) {
	words := strings.Fields(text)
	for n := min(len(words), maxLabelWords); n >= 1; n-- {
		if l[labelKey(strings.Join(words[:n], " "))] {
			rest := strings.Join(words[n:], " ")
			return strings.TrimLeftFunc(rest, func(r rune) bool {
				return unicode.IsPunct(r) || unicode.IsSpace(r) || isNoBreakSpace(r)
			}), true
		}
	}
	return "", false
}

// maxLabelWords is the length in words of the longest label.
const maxLabelWords = 5
