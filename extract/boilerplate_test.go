package extract

import (
	"strings"
	"testing"
	"time"

	"folio"
)

// pruneCase is a body fragment, what its text must keep and what must go
// once pruneBody has run.
type pruneCase struct {
	name string
	src  string
	keep []string
	gone []string
}

func runPruneCases(t *testing.T, cases []pruneCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := fragment(t, tc.src)
			notText := pruneBody(body)
			text := strings.Join(paragraphsExcept(body, notText), "\n")
			for _, k := range tc.keep {
				if !strings.Contains(text, k) {
					t.Errorf("lost %q; body is now:\n%s", k, text)
				}
			}
			for _, g := range tc.gone {
				if strings.Contains(text, g) {
					t.Errorf("kept %q; body is now:\n%s", g, text)
				}
			}
		})
	}
}

const storyText = `<p>The council voted on Tuesday to close the old bridge to cars from next spring, after engineers found cracks in two of its piers.</p>`

func TestPruneFurnitureSections(t *testing.T) {
	runPruneCases(t, []pruneCase{
		{
			name: "a list of videos",
			src: storyText + `<div class="headingbar"><h2>Weitere Videos</h2></div><ul><li><a href="/v/1"><span>Sport</span> <span>Interview with the coach</span></a></li>
				<li><a href="/v/2"><span>Sport</span> <span>The season so far</span></a></li></ul>`,
			keep: []string{"The council voted"},
			gone: []string{"Weitere Videos", "Interview with the coach", "The season so far"},
		},
		{
			name: "the most discussed stories",
			src:  storyText + `<h3>meist-diskutiert</h3><ol><li><a href="/news/1">Der Streit um die Brücke geht weiter</a></li><li><a href="/news/2">Neue Fähre ab Mai</a></li></ol>`,
			keep: []string{"The council voted"},
			gone: []string{"meist-diskutiert", "Streit um die Brücke", "Neue Fähre"},
		},
		{
			name: "a list opening with its label",
			src:  storyText + `<ul class="links"><span>Artikel und Videos zum Thema</span><li><a href="/a">Proteste vor dem Hauptquartier</a></li></ul>`,
			keep: []string{"The council voted"},
			gone: []string{"Artikel und Videos", "Proteste vor dem"},
		},
		{
			name: "a label and the tags on one line",
			src:  storyText + `<div class="tags-wrapper"><span>Etiquetas:</span><div class="tags"><a href="/tag/autos">autos</a> <a href="/tag/puentes">puentes</a></div></div>`,
			keep: []string{"The council voted"},
			gone: []string{"Etiquetas", "puentes"},
		},
		{
			name: "heading and list of links",
			src: storyText + `<h3>Mehr zum Thema</h3><ul><li><a href="/a">Brücke gesperrt</a></li>
				<li><a href="/b">Neue Fähre</a></li></ul>`,
			keep: []string{"The council voted"},
			gone: []string{"Mehr zum Thema", "Brücke gesperrt", "Neue Fähre"},
		},
		{
			name: "bold label over quoted links",
			src: storyText + `<p><strong>Schon gelesen?</strong></p><blockquote><p><a href="/x">Piloten in Italien</a></p></blockquote>
				<p></p><blockquote><p><a href="/y">Training begonnen</a></p></blockquote>`,
			keep: []string{"The council voted"},
			gone: []string{"Schon gelesen", "Piloten in Italien", "Training begonnen"},
		},
		{
			name: "cards with teasers after the label",
			src: storyText + `<h2>Related articles</h2><div><h4><a href="/c">Bridge repairs delayed</a></h4>
				<p>Work will start in May.</p></div>`,
			keep: []string{"The council voted"},
			gone: []string{"Related articles", "Bridge repairs delayed"},
		},
		{
			name: "text after the label stays",
			src:  `<h2>Lesen Sie auch</h2><p>Die Sitzung dauerte bis in die Nacht, und am Ende stimmte eine knappe Mehrheit für die Schließung.</p>`,
			keep: []string{"Die Sitzung dauerte"},
			gone: []string{"Lesen Sie auch"},
		},
		{
			name: "label words inside a sentence stay",
			src:  `<p>Read more about it: the council voted on Tuesday to close the old bridge, <a href="/x">as reported</a>.</p>`,
			keep: []string{"Read more about it", "as reported"},
		},
		{
			name: "a read-also line with its link",
			src:  storyText + `<p>Lesen Sie auch: <a href="/f">Die neue Fähre fährt ab Mai</a></p><p><strong>Le puede interesar:</strong> <a href="/g">Otro puente</a></p>`,
			keep: []string{"The council voted"},
			gone: []string{"Lesen Sie auch", "neue Fähre", "Otro puente"},
		},
		{
			name: "a sentence opening with label words stays",
			src:  `<p>Lesen Sie auch die Stellungnahme der Stadt, die <a href="/s">hier</a> veröffentlicht wurde und viele Fragen beantwortet.</p>`,
			keep: []string{"Stellungnahme der Stadt"},
		},
		{
			name: "contact lines under their heading",
			src:  storyText + `<h3>Kontakt:</h3><p>Dr. Jane Roe</p><p>Pressestelle, Tel. 040 123 456</p>`,
			keep: []string{"The council voted"},
			gone: []string{"Kontakt", "Jane Roe", "Pressestelle"},
		},
		{
			name: "about the author box",
			src:  storyText + `<h4>Über den Autor</h4><p>Jane Roe schreibt seit 2015 über Verkehr und Städtebau.</p>`,
			keep: []string{"The council voted"},
			gone: []string{"Über den Autor", "Jane Roe schreibt"},
		},
		{
			name: "long text after a tail heading stays",
			src:  `<h2>Weitere Informationen</h2>` + story("First paragraph") + `<p>Last words of the story.</p>`,
			keep: []string{"First paragraph", "Last words of the story"},
			gone: []string{"Weitere Informationen"},
		},
		{
			name: "a heading that only starts like a label stays",
			src:  `<h2>Related to the bridge: what the engineers found in the piers last winter</h2>` + storyText,
			keep: []string{"Related to the bridge", "The council voted"},
		},
	})
}

func TestPruneCaptions(t *testing.T) {
	runPruneCases(t, []pruneCase{
		{
			name: "credit lines",
			src: storyText + `<p>Foto: Ingo Pertramer</p><p><span>(Bild: Jahr Media)</span></p><p><strong>Quelle:</strong> Landesregierung</p>
				<div>Photograph by Jane Roe</div><p>Crédito: Minervino Júnior</p>`,
			keep: []string{"The council voted"},
			gone: []string{"Pertramer", "Jahr Media", "Landesregierung", "Jane Roe", "Minervino"},
		},
		{
			name: "agency credits split by a slash or a bar",
			src:  storyText + `<p>DCV / Oppitz</p><div>AFP / MARCO BERTORELLO</div><p>Bundesrat | Frank Bräuer</p><p>Judy Eddy/WENN.com</p>`,
			keep: []string{"The council voted"},
			gone: []string{"Oppitz", "BERTORELLO", "Bräuer", "WENN"},
		},
		{
			name: "captions ending with their credit",
			src: storyText + `<div class="descent"><span>Three holidays in the school year. Foto: Andina</span></div>
				<p>Marco Odermatt, ski star from Switzerland. © AFP / MARCO BERTORELLO</p><p>Who drags the branches onto the paths is unclear (Symbolbild)</p>
				<p>Roman Prymula, photo: Archives of the Czech Government</p>`,
			keep: []string{"The council voted"},
			gone: []string{"Three holidays", "Odermatt", "branches onto", "Prymula"},
		},
		{
			name: "a paragraph with its credit in a block of its own stays",
			src: `<div><p>Dubious traders promise help against insomnia, joint pain and high cholesterol.</p><p>Bildquelle: SWR</p></div>
				<p>The council met again, and the photo: it was taken in 1950 by the mayor himself, who kept it.</p>`,
			keep: []string{"Dubious traders", "taken in 1950"},
			gone: []string{"Bildquelle"},
		},
		{
			name: "short lines with a slash that are text stay",
			src:  `<p>Hin und zurück: 12 km / 3 Stunden</p><p>Either / or.</p><p>Die Stadt und/oder das Land zahlen.</p>`,
			keep: []string{"12 km / 3 Stunden", "Either / or.", "und/oder"},
		},
		{
			name: "a sentence that mentions a photo stays",
			src:  `<p>Photo albums from the 1950s show the bridge: the town kept them all.</p><p>Bildung: the schools close early on Tuesday.</p>`,
			keep: []string{"Photo albums", "Bildung: the schools"},
		},
		{
			name: "caption classes outside figcaption",
			src:  storyText + `<div class="wp-caption"><img src="/b.jpg"><p class="wp-caption-text">The bridge at dawn</p></div><span class="image-credit">AFP / Marco B.</span>`,
			keep: []string{"The council voted"},
			gone: []string{"The bridge at dawn", "AFP / Marco"},
		},
		{
			name: "a long block with a caption class is layout",
			src:  `<div class="caption-layout">` + strings.Repeat(storyText, 4) + `</div>`,
			keep: []string{"The council voted"},
		},
		{
			name: "figure caption",
			src:  storyText + `<figure><img src="/a.jpg"><figcaption>Die Brücke im Winter. Foto: dpa</figcaption></figure>`,
			keep: []string{"The council voted"},
			gone: []string{"Die Brücke im Winter"},
		},
	})
}

// TestCaptionsStayInBodyHTML checks that a caption leaves the body's text
// but not the picture it belongs to in the archived HTML.
func TestCaptionsStayInBodyHTML(t *testing.T) {
	src := `<html><head><title>Bridge closed</title></head><body><article><h1>Bridge closed</h1>
		<div class="entry-content">` + storyText + strings.Repeat(storyText, 3) +
		`<figure><img src="/a.jpg"><figcaption>The bridge in winter</figcaption></figure></div></article></body></html>`
	a, err := Extract(folio.Page{URL: "http://example.com/bridge/", Status: 200, Body: []byte(src)}, DefaultRules())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Body, "The bridge in winter") {
		t.Errorf("caption in the body text:\n%s", a.Body)
	}
	if !strings.Contains(a.BodyHTML, "The bridge in winter") {
		t.Errorf("caption gone from the body HTML:\n%s", a.BodyHTML)
	}
}

func TestPruneLinkLines(t *testing.T) {
	runPruneCases(t, []pruneCase{
		{
			name: "short lines of links go wherever they stand",
			src:  `<p><a href="/">zurück</a></p>` + storyText + `<div><a href="/a.pdf">PDF</a> | <a href="/kontakt">Kontakt</a></div>` + storyText,
			keep: []string{"The council voted"},
			gone: []string{"zurück", "PDF", "Kontakt"},
		},
		{
			name: "a sentence with a link stays",
			src:  `<p>See <a href="/report">the engineers' report</a> for the details.</p>`,
			keep: []string{"the engineers' report"},
		},
		{
			name: "lists of links stay: they may be the article's sources",
			src:  storyText + `<ul><li><a href="/a">City report</a></li><li><a href="/b">Engineers' survey</a></li></ul>`,
			keep: []string{"City report", "Engineers' survey"},
		},
	})
}

func TestPruneCallsToAction(t *testing.T) {
	runPruneCases(t, []pruneCase{
		{
			name: "share, subscribe, follow, comment, log in, advertising",
			src: storyText + `<p>Möchten Sie den Artikel teilen?</p><p>Zum Newsletter anmelden</p>
				<p>Follow Jane Roe on Twitter.</p><p>Suivez-nous sur Facebook</p><div>Keine Kommentare</div>
				<p>Sie müssen sich einloggen, um zu kommentieren.</p><p>Anzeige</p><p>Like it? Share it!</p>
				<p>Never miss the latest news by signing up to our newsletter</p>`,
			keep: []string{"The council voted"},
			gone: []string{"teilen", "Newsletter", "Jane Roe", "Suivez", "Kommentare", "einloggen", "Anzeige", "Share it", "signing up"},
		},
		{
			name: "affiliate notes, disclaimers, ratings and support calls",
			src: storyText + `<p>Anzeige, enthält Affiliate Links</p><p>Bei den Verlinkungen handelt es sich um Affiliate-Links: kaufen Sie darüber, erhalten wir eine Provision.</p>
				<p>Alle Angaben ohne Gewähr</p><p>Valora esta noticia</p><p>If you enjoyed reading this post, support our work.</p>
				<p>Dieser Beitrag gibt die Meinung des Autors wieder, nicht die der Redaktion.</p>`,
			keep: []string{"The council voted"},
			gone: []string{"Affiliate", "Gewähr", "Valora", "enjoyed", "Meinung des Autors"},
		},
		{
			name: "letters, citations, the post footer, downloads and blocked embeds, wherever they stand",
			src: storyText + `<p>We want to hear what you think about this article. Submit a letter to the editor.</p>
				<p>SUGGESTED CITATION Roe, Jane: Bridges, Blog, 2020/4/09.</p><p>Dieses Skript als PDF herunterladen</p>
				<p>Erstellt am Dienstag 6. Mai 2014 um 23:30 und abgelegt unter Linux, Tutorials. Kommentare und Pings sind derzeit nicht erlaubt.</p>
				<p>Pour lire la suite et accéder gratuitement à 3 articles par mois, créez votre compte</p>
				<p>Der Beitrag wurde am Mittwoch, den 27. November 2019 veröffentlicht und wurde unter Allgemein abgelegt.</p>
				<p>Externer Inhalt: um Deine Daten zu schützen, haben wir das Laden der Inhalte von twitter.com blockiert.</p>` + storyText,
			keep: []string{"The council voted"},
			gone: []string{"letter to the editor", "SUGGESTED", "PDF", "Der Beitrag wurde", "Externer Inhalt", "abgelegt unter", "lire la suite"},
		},
		{
			name: "back links and download lines",
			src: storyText + `<p>zurück</p><div>Zurück zur Listenansicht</div><p>Back to overview</p>
				<p><span><a href="/info.pdf">Informationsschreiben vom 14. Oktober 2021</a><span>PDF | 38 KB | Datei ist nicht barrierefrei</span></span></p>`,
			keep: []string{"The council voted"},
			gone: []string{"zurück", "Listenansicht", "Back to", "Informationsschreiben"},
		},
		{
			name: "a sentence that goes back stays",
			src:  `<p>Back to the bridge: the council met again on Tuesday.</p><p>The report (120 pages) is a PDF of 38 KB per chapter, the engineers said on Monday after the vote.</p>`,
			keep: []string{"Back to the bridge", "38 KB per chapter"},
		},
		{
			name: "where the text first appeared stays",
			src:  storyText + `<p>This post originally appeared on the town's own website.</p>`,
			keep: []string{"This post originally appeared"},
		},
		{
			name: "a paragraph that mentions a newsletter or Twitter stays",
			src: `<p>The mayor announced the closure in the town's newsletter on Monday, and the engineers' report followed two days later with the full list of repairs.</p>
				<p>Residents shared the news on Twitter.</p>`,
			keep: []string{"town's newsletter", "shared the news on Twitter"},
		},
	})
}

func TestMetaParagraphs(t *testing.T) {
	x := &extraction{dates: dateParser{loc: time.UTC, language: "de", now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	tests := []struct {
		p    string
		meta bool
	}{
		{"5 min read", true},
		{"Lesezeit: 4 Minuten", true},
		{"Aktualisiert: 03.04.2020", true},
		{"Publiziert: 03.04.2020, 12:35", true},
		{"Aktualisiert am 17.01.2021.", true},
		{"Von:", true},
		{"05. Februar 2020", true},
		{"03.04.2020", true},
		{"Termin: 29.02.2020, 19 Uhr", false},
		{"Einsendeschluss: 03.11.2019 (Poststempel)", false},
		{"Von Anfang an war klar, dass die Brücke schließen muss.", false},
		{"The bridge took 5 minutes to cross in 1950, and an hour by 2020.", false},
		{"Stand der Dinge", false},
		{"Verfasst von: mitundvoneinander | 31. Dezember 2008", true},
		{"Posted by Jane Roe on March 3, 2020", true},
		{"Christoph von EichhornAktualisiert: 11.04.2020, 10:27", true},
		{"Verfasst von einem Team aus zwölf Ingenieuren, liegt der Bericht seit Montag vor.", false},
		{"The report was updated in 2020 with new figures.", false},
	}
	for _, tt := range tests {
		if got := x.isMetaParagraph(tt.p); got != tt.meta {
			t.Errorf("isMetaParagraph(%q) = %v, want %v", tt.p, got, tt.meta)
		}
	}
}

func TestPruneTrailingHeadings(t *testing.T) {
	runPruneCases(t, []pruneCase{
		{name: "a heading with nothing after it", src: `<p>The council closed the bridge.</p><h2>The map to save:</h2><iframe src="https://maps.example/embed"></iframe>`,
			keep: []string{"The council closed"}, gone: []string{"The map to save"}},
		{name: "two headings at the end", src: `<p>The council closed the bridge.</p><div><h3>Find the right job</h3></div><h4>Latest offers</h4>`,
			keep: []string{"The council closed"}, gone: []string{"Find the right job", "Latest offers"}},
		{name: "a heading followed by its text stays", src: `<h2>The vote</h2><p>The council closed the bridge.</p>`,
			keep: []string{"The vote", "The council closed"}},
	})
}

func TestTrimTail(t *testing.T) {
	text := "The council met again on Tuesday and voted to close the bridge to cars."
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"a pointer elsewhere", []string{text, "Weitere Infos unter www.tennis.example."}, []string{text}},
		{"you find it here", []string{text, "Alles über nachhaltige Wanderschuhe findest Du hier."}, []string{text}},
		{"a licence note", []string{text, "Dieser Text wurde veröffentlicht unter der Lizenz CC-BY-NC-ND-4.0-DE. Die Fotos dürfen nicht verwendet werden."}, []string{text}},
		{"a letter to the editor", []string{text, "We want to hear what you think about this article. Submit a letter to the editor or write to letters@news.example."}, []string{text}},
		{"WordPress's post footer", []string{text, "Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr veröffentlicht und wurde unter Allgemein abgelegt."}, []string{text}},
		{"a longer call to action at the end", []string{text, "If you enjoyed reading this post – would you consider supporting our work? Just click here. Thanks!"}, []string{text}},
		{"a suggested citation", []string{text, "SUGGESTED CITATION Roe, Jane: Bridges, Blog, 2020/4/09."}, []string{text}},
		{"a blocked embed", []string{text, "Klicken Sie auf den unteren Button, um den Inhalt von www.maps.example zu laden."}, []string{text}},
		{"several lines", []string{text, "Dieses Skript als PDF herunterladen", "Abonniere unseren Newsletter und erfahre alles Wissenswerte rund um die Themen Studium und Karriere."}, []string{text}},
		{"the text's own last line stays", []string{text, "The bridge will reopen in May, the mayor said."}, []string{text, "The bridge will reopen in May, the mayor said."}},
		{"a note inside the text stays", []string{"Weitere Infos unter www.tennis.example.", text}, []string{"Weitere Infos unter www.tennis.example.", text}},
		{"the only line stays", []string{"Weitere Infos unter www.tennis.example."}, []string{"Weitere Infos unter www.tennis.example."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := trimTail(append([]string(nil), tt.in...))
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("trimTail = %q, want %q", got, tt.want)
			}
		})
	}
}
