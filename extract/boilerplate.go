package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file holds the passes run on a body once it has been chosen, by the
// rules or by readability: the page furniture that shares the article's
// container (lists of other stories, picture credits, share and newsletter
// lines) is recognised by its words and its links, not by the site's
// markup, which the defaults cannot know.

// furnitureHeadings open a section of links to other pages: related or
// recommended stories, the most read, the latest.
var furnitureHeadings = phraseSet(
	// English
	"related", "related articles", "related stories", "related posts", "related content", "related news",
	"related topics", "read more", "read also", "also read", "see also", "more on this", "more on this topic",
	"more stories", "more articles", "more news", "more from", "you may also like", "you might also like",
	"recommended", "recommended for you", "recommended articles", "most read", "most popular", "latest news",
	"latest articles", "latest posts", "recent posts", "popular posts", "further reading", "don't miss",
	// French
	"a lire aussi", "lire aussi", "a lire egalement", "lire egalement", "voir aussi", "a voir aussi",
	"sur le meme sujet", "articles lies", "articles similaires", "les plus lus", "derniers articles",
	"dans la meme rubrique", "vous aimerez aussi", "vous aimerez aussi", "a decouvrir aussi",
	// German
	"mehr zum thema", "weitere artikel", "weitere beitrage", "weitere nachrichten", "weitere meldungen",
	"weitere themen", "weitere informationen zum thema", "auch interessant", "das konnte sie auch interessieren",
	"das konnte dich auch interessieren", "diese artikel konnten sie auch interessieren", "lesen sie auch",
	"lies auch", "schon gelesen", "neueste artikel", "neueste beitrage", "neuste beitrage", "aktuelle beitrage",
	"aktuelle artikel", "verwandte artikel", "verwandte beitrage", "ahnliche artikel", "ahnliche beitrage",
	"empfohlene beitrage", "empfohlene artikel", "meistgelesene artikel", "meistgelesen", "meist gelesen",
	"meistdiskutierte artikel", "meistgelesene", "beitrage zum thema", "artikel zum thema", "passend zum thema",
	"siehe auch", "auch lesen", "zum weiterlesen", "weiterfuhrende links", "weiterfuhrende artikel",
	"das konnte sie interessieren", "das konnte dich interessieren", "das konnte dich auch interessieren",
	"entdecke weitere", "mehr aus dem ressort", "mehr zu diesem thema", "top themen", "top-themen",
	"weitere videos", "mehr videos", "videos zum thema", "artikel und videos zum thema", "meistdiskutiert",
	"more videos", "related videos", "relacionadas", "puedes ver", "lee mas", "leer mas",
	"meist-diskutiert", "meist diskutiert", "meistkommentiert", "meist kommentiert", "most commented", "most discussed",
	// Spanish
	"le puede interesar", "te puede interesar", "tambien te puede interesar", "lee tambien", "lea tambien",
	"noticias relacionadas", "articulos relacionados", "mas noticias", "lo mas leido", "mas leidas", "ver tambien",
	// Italian and Portuguese
	"leggi anche", "articoli correlati", "potrebbe interessarti", "i piu letti", "leia tambem", "veja tambem",
	"veja mais", "mais lidas", "noticias relacionadas", "materias relacionadas",
)

// phrases is a set of labelKey forms.
type phrases map[string]bool

func phraseSet(words ...string) phrases {
	p := make(phrases, len(words))
	for _, w := range words {
		p[labelKey(w)] = true
	}
	return p
}

// heads reports whether text is one of the phrases, or opens with one and
// says at most a few words more ("Mehr zum Thema Energie").
func (p phrases) heads(text string, extraWords int) bool {
	if len(text) > 120 {
		return false
	}
	key := labelKey(text)
	if p[key] {
		return true
	}
	words := strings.Fields(key)
	for n := min(len(words)-1, 6); n >= 1; n-- {
		if len(words)-n <= extraWords && p[strings.Join(words[:n], " ")] {
			return true
		}
	}
	return false
}

// opensLinks reports whether text, the text of n, starts with one of the
// phrases, as whole words, and goes on with links: "Lesen Sie auch:
// <a>Die Brücke</a>".
func (p phrases) opensLinks(n *html.Node, text string) bool {
	words := strings.Fields(labelKey(text))
	for k := min(len(words)-1, 6); k >= 1; k-- {
		if p[strings.TrimRight(strings.Join(words[:k], " "), ":")] {
			rest := countLetters(skipWords(text, k))
			return rest > 0 && linkLetters(n)*10 >= rest*8
		}
	}
	return false
}

// pruneBody removes the page furniture left in a chosen body, and returns
// the captions, which stay with their pictures in the body's HTML but are
// no part of the article's text.
func pruneBody(body *html.Node) map[*html.Node]bool {
	dropFurnitureSections(body)
	dropLinkLines(body)
	dropCallsToAction(body)
	dropTrailingHeadings(body)
	return captions(body)
}

// dropTrailingHeadings removes the headings a body ends with, up to three:
// a heading with no text after it announced something that is not the
// article's text (a map, a list of jobs, a form) and is gone.
func dropTrailingHeadings(body *html.Node) {
	for range 3 {
		b := lastTextBlock(body)
		if b == nil || b == body || !isHeading(b) {
			return
		}
		detach(b)
	}
}

// captionClass marks a picture's caption or credit outside <figcaption>:
// "wp-caption-text", "image-credit", "bildunterschrift", "copyright".
var captionClass = mustQuick(`(?i)caption|credit|copyright|bildunterschrift|bildquelle|legende|leyenda|didascalia`)

// isCaptionSized reports whether n is short enough to be a caption: a
// theme's "caption" class on a large block is a layout name.
func isCaptionSized(n *html.Node) bool {
	_, short := shortText(n, 400)
	return short
}

// creditLine is a picture credit or a source line, read on labelKey's
// form (lower case, no accents, no leading punctuation): "Foto: dpa",
// "(Bild: Jahr Media)", "Quelle: Landesregierung", "Photograph by …".
var creditLine = mustQuick(`^(?:(?:foto|bild|bilder|bildquelle|titelbild|abbildung|grafik|illustration|quelle|` +
	`photo|photograph|image|picture|credit|source|imagen|fotografia|credito|fuente|fonte|credit photo)s?` +
	`(?:\s*/\s*\pL+)?\s*:|(?:photo|photograph|image|picture|foto|bild)s?\s+(?:by|von|courtesy|de|di)\s)`)

// isCreditLine reports a short element whose whole text is a credit line:
// a labelled one, or names split by a slash or a bar ("AFP / Jane Roe",
// "Bundesrat | Frank Bräuer").
func isCreditLine(n *html.Node) bool {
	text, short := shortText(n, 160)
	if !short || text == "" || len(strings.Fields(text)) > 14 {
		return false
	}
	return creditLine.MatchString(labelKey(text)) || isAgencyLine(text)
}

// isAgencyLine reports a line of at most eight words, most of them
// capitalised names, split by "/" or "|", with no sentence punctuation.
func isAgencyLine(text string) bool {
	words := strings.Fields(text)
	if len(words) < 2 || len(words) > 8 || !strings.ContainsAny(text, "/|") || strings.ContainsAny(text, ",;:!?") ||
		strings.HasSuffix(text, ".") || strings.Contains(text, "://") {
		return false
	}
	names := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) || w == "/" || w == "|" {
			names++
		}
	}
	return 5*names >= 4*len(words)
}

// creditEnd is a picture credit closing a line: "… © AFP / Jane Roe",
// "… Foto: Andina", "…, photo: Archives", "… (Symbolbild)".
var creditEnd = mustQuick(`(?i)(?:©|\(c\)|\b(?:foto|fotos|photo|photos|bild|bildquelle|credit|crédit|fotografía|imagen):)[^.!?©]{1,80}$|\((?:symbolbild|symbolfoto|archivbild|archivfoto)\)$`)

// isCreditedCaption reports a short block of one line (it holds no other
// block) that ends with a picture's credit: a caption whatever its markup.
func isCreditedCaption(n *html.Node) bool {
	if !blockTags[n.DataAtom] || walkElements(n, func(c *html.Node) bool { return blockTags[c.DataAtom] }) {
		return false
	}
	text, short := shortText(n, 400)
	return short && strings.ContainsAny(text, "©:)") && len(strings.Fields(text)) <= 40 && creditEnd.MatchString(text)
}

// captions lists the captions of pictures under body.
func captions(body *html.Node) map[*html.Node]bool {
	found := map[*html.Node]bool{}
	walkElements(body, func(n *html.Node) bool {
		if n.DataAtom == atom.Figcaption || captionClass.MatchString(attr(n, "class")) && isCaptionSized(n) || isCreditLine(n) || isCreditedCaption(n) {
			found[n] = true
		}
		return false
	})
	return found
}

// dropFurnitureSections removes each heading that announces other stories
// ("Mehr zum Thema", "Related articles") with the links that follow it.
func dropFurnitureSections(body *html.Node) {
	type head struct {
		n    *html.Node
		tail bool // a tail section: short lines follow, not links
	}
	var heads []head
	var inline []*html.Node
	walkElements(body, func(n *html.Node) bool {
		if !blockTags[n.DataAtom] {
			return false
		}
		text, short := shortText(n, 300)
		switch {
		case !short || text == "":
		case len(text) <= 120 && furnitureHeadings.heads(text, 3):
			heads = append(heads, head{n, false})
		case len(text) <= 120 && tailHeadings.heads(text, 0):
			heads = append(heads, head{n, true})
		case furnitureHeadings.opensLinks(n, text) || tailHeadings.opensLinks(n, text):
			// "Lesen Sie auch: <a>Title</a>", "Tags: <a>…</a>" on one line
			inline = append(inline, n)
		}
		return false
	})
	for _, n := range inline {
		detach(n)
	}
	for _, h := range heads {
		if h.n.Parent == nil || !contains(body, h.n) {
			continue // went with an earlier section
		}
		anchor := h.n
		for anchor.Parent != nil && anchor.Parent != body && textOf(anchor.Parent) == textOf(h.n) {
			anchor = anchor.Parent
		}
		var gone []*html.Node
		budget := maxTailProse
		for s := anchor.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == html.TextNode {
				if strings.TrimSpace(s.Data) != "" {
					break
				}
				continue
			}
			if s.Type != html.ElementNode {
				continue
			}
			if textOf(s) != "" && !linkish(s, 0.25) {
				if !h.tail || isHeading(s) {
					break
				}
				p := proseLetters(s)
				if budget -= p; budget < 0 || p >= minParagraphProse {
					break // a paragraph of text, or too many lines
				}
			}
			gone = append(gone, s)
		}
		detach(anchor)
		for _, n := range gone {
			detach(n)
		}
	}
}

// tailHeadings open the sections that close an article page without being
// its text: contact details, the author's box, the tags, a table of
// contents. The lines under them go as long as they stay short.
var tailHeadings = phraseSet(
	"contact", "kontakt", "ansprechpartner", "pressekontakt", "contacto", "contatto", "contato",
	"about the author", "uber den autor", "uber die autorin", "zum autor", "zur autorin", "a propos de l'auteur",
	"sobre el autor", "sobre la autora", "l'autore", "sull'autore", "sobre o autor",
	"tags", "schlagworte", "schlagwörter", "stichworte", "themen in diesem artikel", "etiquetas", "mots-cles", "mots cles",
	"table of contents", "contents", "inhaltsverzeichnis", "inhalt", "sommaire", "indice", "tabla de contenidos",
	"weitere informationen", "zusatzinformationen", "more information", "further information", "plus d'informations",
	"mas informacion", "maggiori informazioni",
)

// maxTailProse is the prose, in letters, that a tail section may hold
// under its heading before the lines that follow count as text again.
const maxTailProse = 600

// linkish reports whether at least share of n's letters are link text.
func linkish(n *html.Node, share float64) bool {
	all := countLetters(textOf(n))
	if all == 0 {
		return false
	}
	return float64(linkLetters(n)) >= share*float64(all)
}

// linkLetters counts the letters of n's text inside links.
func linkLetters(n *html.Node) int {
	if isElement(n, atom.A) {
		return countLetters(textOf(n))
	}
	linked := 0
	walkElements(n, func(c *html.Node) bool {
		if c.DataAtom == atom.A {
			linked += countLetters(textOf(c))
		}
		return false
	})
	return linked
}

// dropLinkLines removes the short blocks made of nothing but links, where
// they stand: "zurück", "PDF", "Kontakt", a breadcrumb or a list of other
// stories that shared the article's container.
func dropLinkLines(body *html.Node) {
	var gone []*html.Node
	visitElements(body, func(n *html.Node) bool {
		switch {
		case !blockTags[n.DataAtom]:
			return true
		case n.DataAtom == atom.Ul || n.DataAtom == atom.Ol || n.DataAtom == atom.Table:
			return false // a list of links may be the article's own: sources, a contents
		}
		if _, short := shortText(n, 200); short && isLinkLine(n) {
			gone = append(gone, n)
			return false
		}
		return true
	})
	for _, n := range gone {
		detach(n)
	}
}

// visitElements calls fn for each element under n in document order,
// descending into an element only when fn returns true.
func visitElements(n *html.Node, fn func(*html.Node) bool) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && fn(c) {
			visitElements(c, fn)
		}
	}
}

// callToAction matches, on labelKey's form, the short lines a page adds to
// its articles to ask something of the reader: share, subscribe, follow,
// comment, log in; and the labels of advertising.
var callToAction = mustQuick(`(?:^|\s)(?:` +
	// share and print
	`(?:artikel|beitrag|seite|rezept|post|story|article|this|it|zu|jetzt) (?:teilen|drucken)|teilen sie|share (?:this|it|on|via|the)|` +
	`^(?:teilen|share|drucken|print|pinnen|partager|compartir|condividi|imprimer|imprimir|stampa|send by mail|e-mail|email)$|` +
	// newsletter and subscriptions
	`newsletter|abonnier|subscribe|sign up|signing up|inscrivez-vous|abonnez-vous|suscribete|iscriviti|assine|` +
	// follow us
	`follow us|folgen sie uns|folge uns|suivez-nous|siguenos|seguici|follow (?:\pL+ ){0,3}on (?:twitter|facebook|instagram|x|linkedin)|` +
	`(?:auf|on|sur|en|su) (?:twitter|facebook|instagram) (?:folgen|follow)|` +
	// comments and log-in
	`kommentare?n?$|kommentieren|keine kommentare|no comments|leave a (?:comment|reply)|comments? \(\d+\)|` +
	`einloggen|eingeloggt|log in to|logged in|anmelden, um|connectez-vous|` +
	// rating, liking, supporting
	`valora esta|rate this|(?:artikel|beitrag|seite) bewerten|if you (?:enjoyed|liked)|gefallt (?:dir|ihnen)|` +
	`(?:artikel|beitrag) gefallen|hat (?:dir|ihnen) (?:der|dieser|unser) (?:artikel|beitrag)|unterstutzen sie|support our|` +
	// back links ("zurück", "zurück zur Übersicht", "back to overview")
	`^(?:zuruck|back|go back|retour|volver|indietro|voltar)(?: (?:zur|zum|to|to the|a la|al|alla|au|a) \pL+(?: \pL+)?)?$|` +
	// advertising
	`^(?:anzeige|werbung|advertisement|publicidad|publicite|pubblicita|sponsored)(?:$|\s)` +
	`)(?:\s|$)`)

// editorsNote matches, on labelKey's form, the notes a page adds about
// the article rather than in it: affiliate links and disclaimers, letters
// to the editor, WordPress's post footer, downloads. Where the text first
// appeared is the article's own.
var editorsNote = mustQuick(`affiliate[- ]?links?|provisionslinks?|partnerlinks?|ohne gewahr|` +
	`(?:meinung|ansicht) des autors|(?:views|opinions) expressed|` +
	`letters? to the editor|leserbrief|bookmark the permalink|\sund abgelegt unter\s|` +
	`pdf herunterladen|klicken sie auf den (?:\pL+ )?button`)

// noteStart matches, on labelKey's form, the notes known by how they
// open: disclaimers, paywalls, suggested citations, WordPress's post
// footer, downloads and blocked embeds.
var noteStart = mustQuick(`^(?:(?:the|this) (?:post|article|story) (?:contains|may contain) (?:affiliate|references|links)|` +
	`pour lire la suite|to (?:continue|keep) reading|(?:um )?weiterzulesen|para (?:seguir|continuar) leyendo|per continuare a leggere|` +
	`suggested citation|zitiervorschlag|(?:der|dieser) (?:beitrag|eintrag|artikel) wurde am\s|this entry was posted|` +
	`download (?:the |this )?pdf|externer inhalt)`)

// blockedEmbed is the placeholder of an embed the page blocks until the
// reader consents: "Inhalte von twitter.com … blockiert".
var blockedEmbed = mustQuick(`inhalte? (?:von|dieses anbieters) .{0,60}(?:zu laden|blockiert)`)

// fileSize is a download's line: "Bericht 2021 (PDF, 38 KB)".
var fileSize = mustQuick(`(?:^|[^a-z])(?:pdf|docx?|xlsx?|pptx?|zip|mp3)\W{1,3}\d+(?:[.,]\d+)? ?(?:kb|mb|kib|mib|ko|mo)(?:\W|$)`)

// noteWords are words that every match of editorsNote holds: a line
// with none of them is tested no further.
var noteWords = []string{"affiliate", "provisionslink", "partnerlink", "ohne gewahr", "des autors", "expressed",
	"editor", "leserbrief", "permalink", "abgelegt unter", "herunterladen", "button"}

// isEditorsNote reports a line, on labelKey's form, that is an editor's
// note; the costlier patterns run only on lines holding what they need.
func isEditorsNote(key string) bool {
	return noteStart.MatchString(key) || holdsAny(key, noteWords) && editorsNote.MatchString(key) ||
		strings.Contains(key, "inhalt") && blockedEmbed.MatchString(key) ||
		strings.ContainsAny(key, "0123456789") && fileSize.MatchString(key)
}

func holdsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// maxNoteWords is the longest editor's note, in words.
const maxNoteWords = 45

// maxCallWords is the longest call to action, in words: a line, not a
// paragraph that happens to mention a newsletter.
const maxCallWords = 14

// dropCallsToAction removes the short blocks that ask the reader to share,
// subscribe, follow, comment or log in, and advertising labels.
func dropCallsToAction(body *html.Node) {
	var gone []*html.Node
	visitElements(body, func(n *html.Node) bool {
		if !blockTags[n.DataAtom] {
			return true
		}
		text, short := shortText(n, 400)
		if !short {
			return true
		}
		words := len(strings.Fields(text))
		if text == "" || words > maxNoteWords {
			return false
		}
		if key := labelKey(text); words <= maxCallWords && callToAction.MatchString(key) || isEditorsNote(key) {
			gone = append(gone, n)
		}
		return false
	})
	for _, n := range gone {
		detach(n)
	}
}

// readingTime is a reading-time line: "5 min read", "Lesezeit: 4 Minuten".
var readingTime = mustQuick(`^(?:(?:lesezeit|reading time|temps de lecture|tiempo de lectura|tempo di lettura)\s*:?\s*)?` +
	`(?:ca\.?\s*)?\d+\s*(?:min|mins|minute|minutes|minuten|minutos|minuti)\.?\s*` +
	`(?:read|lesezeit|lesen|lesedauer|de lecture|de lectura|di lettura)?$`)

// metaLabel opens a line of metadata rather than text: the dates a page
// prints, its authors, an interview's credits.
var metaLabel = mustQuick(`^(?:(?:aktualisiert|updated|last updated|veroffentlicht|publiziert|published|erstellt|` +
	`mis a jour|publie|actualizado|publicado|aggiornato|pubblicato|stand)(?:\s*:|$|\s+(?:am|on|le|el|il|um)\s)|` +
	`(?:von|by|autor|autoren|autorin|author|authors|auteur|auteurs|redaktion|text|interview)(?:\s*:|$)|` +
	`(?:verfasst|geschrieben|erstellt) von(?:\s*:|\s)|(?:posted|written) by(?:\s*:|\s)|(?:publie par|escrito por|scritto da)\s)`)

// datedLabel is a labelled date anywhere in a short line, as when a byline
// runs into it: "Jane RoeAktualisiert: 11.04.2020, 10:27".
var datedLabel = mustQuick(`(?:aktualisiert|updated|veroffentlicht|published|mis a jour|publie|actualizado|publicado|aggiornato|pubblicato)\s*:\s*\d`)

// isMetaParagraph reports a paragraph that is page metadata: a reading
// time, a labelled date or author line, or a date alone.
func (x *extraction) isMetaParagraph(p string) bool {
	if len(p) > 120 || len(strings.Fields(p)) > 10 {
		return false
	}
	key := labelKey(p)
	if readingTime.MatchString(key) {
		return true
	}
	if metaLabel.MatchString(key) && (len(strings.Fields(p)) <= 6 || dateCandidate(p)) || datedLabel.MatchString(key) {
		return true
	}
	if !dateCandidate(p) || !mostlyNumbers(p) {
		return false
	}
	_, err := x.dates.parse(p)
	return err == nil
}

// mostlyNumbers reports a line of at most four words, half of them with a
// digit: "05. Februar 2020", "03.04.2020", not "Termin: 29.02.2020, 19 Uhr".
func mostlyNumbers(p string) bool {
	words := strings.Fields(p)
	if len(words) > 4 || strings.Contains(p, ":") && len(words) > 1 {
		return false
	}
	digits := 0
	for _, w := range words {
		if strings.ContainsAny(w, "0123456789") {
			digits++
		}
	}
	return 2*digits >= len(words)
}

// tailNote matches, on labelKey's form, the lines a page adds after an
// article's text: pointers elsewhere ("Weitere Infos unter www…", "Alles
// über X findest du hier"), licence notes, pleas for donations.
var tailNote = mustQuick(`^(?:weitere|mehr) (?:infos?|informationen) (?:(?:hierzu|dazu) )?(?:unter|auf|bei|gibt es)\s|` +
	`(?:findest du|finden sie|findet ihr) (?:sie |es |ihn )?(?:hier|unter|auf|bei)\b|more (?:info|information) (?:at|on)\s|` +
	`^(?:find out|learn) more\b|escribirnos|write to us|schreiben sie uns|` +
	`(?:lizenz|license|licence|licencia|licenza) cc|(?:^|\s)cc[- ]by(?:[- ]|$)|we need your help`)

// maxTailWords is the longest line, in words, trimTail takes for a call
// to action or a note: WordPress's post footer runs to sixty.
const maxTailWords = 60

// trimTail drops, from the end of a body, up to four lines that are no
// article text: calls to action and notes (tailNote, callToAction,
// editorsNote), which may be longer there than inside the text.
func trimTail(paras []string) []string {
	for range 4 {
		if len(paras) < 2 {
			break
		}
		last := paras[len(paras)-1]
		words := len(strings.Fields(last))
		key := labelKey(last)
		if words > maxTailWords {
			break
		}
		if !tailNote.MatchString(key) && !(words <= 3*maxCallWords/2 && callToAction.MatchString(key)) &&
			!isEditorsNote(key) {
			break
		}
		paras = paras[:len(paras)-1]
	}
	return paras
}

// dropMetaParagraphs removes the paragraphs that are page metadata.
func (x *extraction) dropMetaParagraphs(paras []string) []string {
	kept := paras[:0]
	for _, p := range paras {
		if !x.isMetaParagraph(p) {
			kept = append(kept, p)
		}
	}
	return kept
}
