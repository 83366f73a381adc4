package extract

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"folio"
)

// testExtraction is an extraction of an empty page at pageURL whose site
// name is site, for the helpers that read bylines and dates.
func testExtraction(pageURL, site string) *extraction {
	u, _ := url.Parse(pageURL)
	m := &metadata{metas: map[string][]string{}}
	if site != "" {
		m.metas["og:site_name"] = []string{site}
	}
	return &extraction{meta: m, pageURL: u,
		dates: dateParser{loc: time.UTC, now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}}
}

func TestBylineNames(t *testing.T) {
	x := testExtraction("https://news.example/a", "Example News")
	tests := []struct{ in, want string }{
		{"By TOM KRISHER, AP Auto Writer", "TOM KRISHER"},
		{"Von Vanessa Franke", "Vanessa Franke"},
		{"Par Claire Martin", "Claire Martin"},
		{"Por Ana García y Luis Pérez", "Ana García|Luis Pérez"},
		{"Veröffentlicht am 8. Februar 2022 von Anna-Team", "Anna-Team"},
		{"Posted on September 21, 2020 by Nell Porter", "Nell Porter"},
		{"8. Januar 2020 · by Aureliana · in Gefühle", "Aureliana"},
		{"Geschrieben vonElisa Marvena", "Elisa Marvena"},
		{"Erstellt von Jo Baker", "Jo Baker"},
		{"Ein Artikel von Jo Baker", "Jo Baker"},
		{"Jörg Kraus am 16.11.2022", "Jörg Kraus"},
		{"Marianne1 am 20.09.2020", "Marianne1"},
		{"Tomas Weber Fr, 18. Oktober 2019", "Tomas Weber"},
		{"Georg Klein, 21. Jan. 2015", "Georg Klein"},
		{"Ulrike 18.10.2019 16:06 Uhr", "Ulrike"},
		{"Lena Vogt Stand: 05. Februar 2020", "Lena Vogt"},
		{"Nicole Berger22. Februar 2020", "Nicole Berger"},
		{"Paul Dorn | 12/10/2020", "Paul Dorn"},
		{"Jo Walker - January 10, 2020 21 minutes - 4312 words", "Jo Walker"},
		{"Datum: 19.11.2021 Autor: Fritz Imhof Quelle: Agentur", "Fritz Imhof"},
		{"Text, Interview: Harald Weiss", "Harald Weiss"},
		{"Williams Perez @wperez", "Williams Perez"},
		{"Über Luis Hall 257 Artikel", "Luis Hall"},
		{"Johanna Kraft Alle Artikel", "Johanna Kraft"},
		{"Mia Roth, Zeige alle Beiträge von Mia Roth →", "Mia Roth"},
		{"Heiko Sand, SHOW ALL ARTICLES OF Heiko Sand", "Heiko Sand"},
		{"About the Author - Florina Ion", "Florina Ion"},
		{"Example News - Alberto Ávila", "Alberto Ávila"},
		{"Grant Tinsley, PhD", "Grant Tinsley"},
		{"Christoph Hein Chefredakteur", "Christoph Hein"},
		{"'Luana Patri, Raphael Fel'", "Luana Patri|Raphael Fel"},
		{"Joe S.", "Joe S."},
		{"Perry Bacon Jr.", "Perry Bacon Jr."},
		{"r23 »", "r23"},
		{"Staff Writer", "Staff Writer"},
		{"Staff and news service reports", "Staff and news service reports"},
		{"Carla Chávez Actualizado hace 3 horas", "Carla Chávez"},
		{"www.koffer.example", "www.koffer.example"},
		{"Karl Maas/AFP", "Karl Maas"},
		{"dpa/lni", "dpa/lni"},
		{"Eva Roth (Pressesprecherin der Stadt)", "Eva Roth"},
		{"Redaktion: Eva Roth", "Eva Roth"},
		{"Von Jo Kern, dpa", "Jo Kern"},
		{"© Kathrin Fuchs", "Kathrin Fuchs"},
		{"Inga HoltmannFollow", "Inga Holtmann"},
		{"Heiko Sand Do 9 Apr 2020", "Heiko Sand"},
		{"Fabian am Dienstag 6. Mai 2014", "Fabian"},
		{"Stand: 20. April 2020, 16:39 Uhr", ""},
		{"责任编辑： 焦鹏", "焦鹏"},
		{"作者：王小明", "王小明"},
		{"Archiv anzeigen →", ""},
		{"Von Mar\u00adtina Lo\u00adft", "Martina Loft"},
		{"Ein Interview von Jan Ost mit Mara Lind.", "Jan Ost"},
		{"An interview by Jan Ost with Mara Lind", "Jan Ost"},
		{"Blog Beitrag von Rosa Feld", "Rosa Feld"},
		{"Ein Gastbeitrag von Rosa Feld", "Rosa Feld"},
		{"Von Jan Ost mit Mara Lind", "Jan Ost mit Mara Lind"},
		{"Jan Ost im Gespräch mit Mara Lind", "Jan Ost|Mara Lind"},
		{"Mara Lind Follow Reporterin und Expertin für Neue Medien und Kultur", "Mara Lind"},
		{"Mara LindFollow Reporterin und Expertin für Neue Medien und Kultur", "Mara Lind"},
		{"Jan Ost in conversation with Mara Lind", "Jan Ost|Mara Lind"},
		{"12. März 2021", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(x.bylineNames(tt.in), "|"); got != tt.want {
			t.Errorf("bylineNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestImpersonalAndPerson(t *testing.T) {
	x := testExtraction("https://www.zeitung-blatt.de/a/b", "Badische Post")
	tests := []struct {
		name               string
		impersonal, person bool
	}{
		{"Badische Post", true, false},
		{"zeitung-blatt.de", true, false},
		{"STERN.de", true, false},
		{"ZEITUNG BLATT", true, false},
		{"admin", true, false},
		{"jane.doe", true, false},
		{"Teufel Editorial Team", true, false},
		{"Web Commerce GmbH", true, false},
		{"Lisa Petrich", false, true},
		{"Ursula von der Leyen", false, true},
		{"Rossi", false, false}, // one word: not enough to set metadata aside
		{"Stand", false, false}, // a label
		{"Bild 1 von 4", false, false},
		{"qué suscribirme?", false, false},
	}
	// A host's hyphen is not written in the name: "FC Bunte Kuh" on
	// bunte-kuh.example.
	if y := testExtraction("https://www.bunte-kuh.example/a", ""); !y.impersonal([]string{"FC Bunte Kuh"}) {
		t.Errorf("impersonal(%q) on bunte-kuh.example = false, want true", "FC Bunte Kuh")
	}
	for _, tt := range tests {
		if got := x.impersonal([]string{tt.name}); got != tt.impersonal {
			t.Errorf("impersonal(%q) = %v, want %v", tt.name, got, tt.impersonal)
		}
		if got := x.person([]string{tt.name}); got != tt.person {
			t.Errorf("person(%q) = %v, want %v", tt.name, got, tt.person)
		}
	}
}

func TestFuller(t *testing.T) {
	tests := []struct {
		printed, meta string
		want          bool
	}{
		{"Stefanus Stahl", "Stefanus", true},
		{"Sadhbh Ryan|Elisabeth Koch", "Sadhbh Ryan", true},
		{"Stefanus Stahl", "Stefanus Stahl", false},
		{"Anna Berg", "Stefanus", false},
		{"Steven Salz Mitglied der Redaktion", "Steven Salz", false},
		{"Tatyana Turner|Claire Stott|Emma White|Daniel Parr", "Tatyana Turner", false},
	}
	for _, tt := range tests {
		if got := fuller(strings.Split(tt.printed, "|"), strings.Split(tt.meta, "|")); got != tt.want {
			t.Errorf("fuller(%q, %q) = %v, want %v", tt.printed, tt.meta, got, tt.want)
		}
	}
}

func TestAuthorFromPage(t *testing.T) {
	tests := []struct{ name, head, body, want string }{
		{"an e-mail address in metadata, its at sign disguised, gives way to the author link",
			`<meta name="author" content="cipha[at]cipha.net">`,
			`<article><h1>Titel</h1><span class="byline">von <a href="/author/c1ph4/" rel="author">c1ph4</a></span><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"c1ph4"},
		{"site name in metadata gives way to the printed byline",
			`<meta property="og:site_name" content="Badische Post"><meta name="author" content="Badische Post">`,
			`<article><h1>Titel</h1><div class="byline">Von Lisa Petrich</div><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Lisa Petrich"},
		{"a first name in metadata gives way to the full name",
			`<meta name="author" content="Nils">`,
			`<article><h1>Titel</h1><span class="author">Nils Pickert</span><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Nils Pickert"},
		{"a person in metadata stays",
			`<meta name="author" content="Isabell Angele">`,
			`<article><h1>Titel</h1><span class="author">Matthias Lauer</span><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Isabell Angele"},
		{"a meta author the page never prints gives way to a labelled byline element",
			`<meta name="author" content="Karl Brenner">`,
			`<article><h1>Titel</h1><div class="subline"><span class="authorbold">Text &amp; Fotos: Ina Loft</span></div><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Ina Loft"},
		{"a meta author the page prints stays",
			`<meta name="author" content="Karl Brenner">`,
			`<article><h1>Titel</h1><div class="subline"><span class="authorbold">Text &amp; Fotos: Ina Loft</span></div><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><p>Redaktion: Karl Brenner</p></div></article>`,
			"Karl Brenner"},
		{"an institution's name in metadata gives way to the person the page marks",
			`<meta name="author" content="Landesamt für Wasser und Boden - LWB">`,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><footer><p><strong>Autoren</strong><br><span itemprop="author">Jonas  Feld</span></p></footer></article>`,
			"Jonas Feld"},
		{"a byline label kept for screen readers",
			``,
			`<article><h1>Title</h1><div class="article_meta_info"><span class="screen-reader-text">| By </span> <span>Nora Quist</span> | <time>April 2, 2021</time></div><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			"Nora Quist"},
		{"a handle after a label, linked to the member's profile",
			``,
			`<article><div class="fic-header"><h1>Title</h1><span> by </span><h3><a href="/profile/4411">quill77</a></h3></div><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			"quill77"},
		{"a word after a label, linked elsewhere, is no handle",
			``,
			`<article><div class="fic-header"><h1>Title</h1><span> by </span><h3><a href="/tags/quill77">quill77</a></h3></div><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			""},
		{"label in its own element",
			``,
			`<article><h1>Title</h1><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div><footer><span>Author: </span><span>Jacopo Cas</span></footer></article>`,
			"Jacopo Cas"},
		{"dateline",
			``,
			`<article><small>04.02.2022 | 13:10 Uhr | Uta Helk</small><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Uta Helk"},
		{"labelled name in a dateline, after a no-break space",
			``,
			`<div class="item"><h1>Titel</h1><div class="timedata">05.02.2020 <span>-&nbsp;Redaktion: Eva Roth (Pressesprecherin)</span></div><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div>`,
			"Eva Roth"},
		{"a custom byline element, the agency cut",
			`<meta name="author" content="boerse.example">`,
			`<div class="news"><h1>Titel</h1><byline>Von Jo Kern, dpa</byline><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div>`,
			"Jo Kern"},
		{"a byline opening the body, under a login in metadata",
			`<meta name="author" content="admin">`,
			`<article><h1>Titel</h1><div class="entry-content"><p><strong>Ein Vorspann.</strong></p><span class="entry-content__names">Von Tobias Kuhn</span><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Tobias Kuhn"},
		{"a byline naming the site gives way to one naming a person",
			`<meta property="og:site_name" content="Planet Press">`,
			`<article><h1>Title</h1><div class="author">Planet Press</div><p class="meta">Posted on 3 May 2021 by Julie Moll</p><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			"Julie Moll"},
		{"a column's byline opening the body completes the metadata's first name",
			`<meta name="author" content="Nils">`,
			`<article><h1>Titel</h1><div class="entry-content"><p><strong>Eine Kolumne von Nils Picker</strong></p><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Nils Picker"},
		{"a photo credit classed as the author's is no byline",
			``,
			`<article><header><h1>Titel</h1><figure><img src="/a.jpg" alt=""><figcaption>Ein Bild <span class="bu-autor">Foto: Ingo Schnell</span></figcaption></figure><p class="meta">Veröffentlicht am 03.02.2022 von Lisa Petrow</p></header><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Lisa Petrow"},
		{"the site's name after the byline's name, for screen readers",
			`<meta property="og:site_name" content="Pferdeblatt">`,
			`<article><header><h1>Titel</h1><p class="entry-meta">Veröffentlicht am 03.02.2022 von Sara Schmied <span class="sr-only">Pferdeblatt</span></p></header><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Sara Schmied"},
		{"a paragraph classed as the authors' line that a label opens",
			`<meta name="author" content="nachrichten.example">`,
			`<article><h1>Titel</h1><p class="autorenzeile">Von Volker Kabel, Jana Strobel und Ben Strunk, NDR</p><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Volker Kabel, Jana Strobel, Ben Strunk, NDR"},
		{"a signature with a greeting ends the body",
			``,
			`<div class="deal"><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><p>Viel Glück!</p><p>Euer HansEhrlich</p></div></div>`,
			"HansEhrlich"},
		{"a dated teaser over a heading names its subject, not an author",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><div class="teaser"><span>03.02.2022</span><h3>Auf den Spuren von Rafa Nadel</h3></div></article>`,
			""},
		{"author element inside a metadata paragraph",
			``,
			`<article><header><h1>Titre</h1><p class="entry-meta"><span class="date">12 mars 2021</span> <span class="meta-author vcard"><a href="/auteur/hr/">Hélène Roux</a></span></p></header><div class="entry-content"><p>` + strings.Repeat("Texte de l'article ici. ", 30) + `</p></div></article>`,
			"Hélène Roux"},
		{"a quotation's source is no byline",
			``,
			`<article><h1>Title</h1><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div><div class="pull"><p class="quote-source"><span class="quote-author-name">Karl Brenner, USA</span></p></div></article>`,
			""},
		{"byline above the article element",
			``,
			`<div class="headline"><h1>Title</h1><div><span>By</span><span><a href="/staff/dana-whit">Dana Whit</a></span></div></div><article><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></article>`,
			"Dana Whit"},
		{"a label in a term of a definition list, the name in its definition",
			``,
			`<article><h1>Titre</h1><dl class="post-meta"><dt>Auteur</dt><dd><a href="/fr/staff/uriel-gad/">Uriel Gad</a></dd></dl><div class="entry-content"><p>` + strings.Repeat("Texte de l'article ici. ", 30) + `</p></div></article>`,
			"Uriel Gad"},
		{"a label alone in its block, the name in the next block",
			``,
			`<article><h1>Title</h1><div class="f--field"><p class="label"><strong>By</strong></p></div><div class="f--field"><p class="full-name">Todd Bat</p></div><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			"Todd Bat"},
		{"a headline opening with a byline's word is no byline",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><div class="box"><div class="title">Von Kopf bis Fuß: Handschuhe für den Winter</div></div></article>`,
			""},
		{"a gallery's count is no byline",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><p class="gallery-copyright"><span class="gallery-count"><span>Bild 1</span> von 4</span> © Ina Duz</p></article>`,
			""},
		{"a login after a byline label is a name",
			``,
			`<article><h1>Title</h1><p class="meta">Posted by rasos</p><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			"rasos"},
		{"categories after a date are no byline",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><p class="post-meta"><span class="published">Mai 21 2019, 14:34</span> | <a href="/category/medien/" rel="tag">Medien</a>, <a href="/category/politik/" rel="tag">Politik</a></p></article>`,
			""},
		{"several names after a date",
			``,
			`<article><small>04.02.2022 | Uta Helk, Jo Baker</small><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Uta Helk, Jo Baker"},
		{"a byline linking to its author's archive outranks a meta author tag",
			`<meta name="author" content="Mia Hall">`,
			`<article><h2>Titel</h2><p class="date">Erstellt von <a href="https://post.example/author/fabian/">Fabian</a> am Dienstag 6. Mai 2014</p><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Fabian"},
		{"a meta author tag stays over a byline linking elsewhere",
			`<meta name="author" content="Mia Hall">`,
			`<article><h2>Titel</h2><p class="date">Erstellt von <a href="https://post.example/fabian/">Fabian</a> am Dienstag 6. Mai 2014</p><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Mia Hall"},
		{"a one-word byline outranks metadata naming the site",
			`<meta property="og:site_name" content="Bunte Kuh"><meta name="author" content="Bunte Kuh">`,
			`<div class="item"><h1>Titel</h1><span class="itemPoster">Geschrieben von <a href="/userinfo.php?uid=6">Rossi</a></span><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div>`,
			"Rossi"},
		{"a capitalised topic is no byline over metadata naming the site",
			`<meta property="og:site_name" content="Bunte Kuh"><meta name="author" content="Bunte Kuh">`,
			`<div class="item"><h1>Titel</h1><span class="author">CSP</span><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div>`,
			"Bunte Kuh"},
		{"author links in a list of other posts are not the article's",
			``,
			`<article><h1>Titel</h1><span class="author vcard"><a href="/author/nora-coll/" rel="author">Nora Coll</a></span><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><ul class="trending-now"><li><a href="/author/rita-berg/" rel="author">Rita Berg</a></li><li><a href="/author/ida-spiek/" rel="author">Ida Spiek</a></li></ul></article>`,
			"Nora Coll"},
		{"a source line credits the story when metadata names only the site",
			`<meta name="author" content="post.example">`,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><p>Quelle: kathpress</p></div></article>`,
			"kathpress"},
		{"a source line in the article's footer, as printed",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><footer><p class="byline">Quelle: NDR Info/bb</p></footer></article>`,
			"NDR Info/bb"},
		{"a byline naming a person stays over a source line",
			``,
			`<article><h1>Titel</h1><p class="byline">Von Jo Kern</p><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><p>Quelle: dpa</p></div></article>`,
			"Jo Kern"},
		{"a wire dateline credits the agency when nothing else names an author",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>Bremen (dpa/lni) – ` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"dpa/lni"},
		{"an agency's credit ending the story, before a note",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `hieß es. (KZ mit AFP)</p><p><em>Ein Hinweis der Redaktion.</em></p></div></article>`,
			"KZ mit AFP"},
		{"a remark in brackets ending the story is no credit",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `(siehe oben)</p></div></article>`,
			""},
		{"a place's district in brackets is no agency",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>Berlin (Mitte) – ` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			""},
		{"a photo's source is no credit",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><figure><img src="/a.jpg" alt=""><figcaption><p>Quelle: Ina Duz</p></figcaption></figure><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			""},
		{"a Chinese label for the editor in charge",
			``,
			`<article><h1>标题</h1><div class="entry-content"><p>` + strings.Repeat("这是文章的正文内容。", 40) + `</p></div><p class="editor">责任编辑： 焦鹏</p></article>`,
			"焦鹏"},
		{"a byline in the page's no-script copy of a script-rendered article",
			``,
			`<div class="post"><h1>Title</h1><div class="post-body"><script type="text/template"><span class="byline-author">Posted by Ada Quill and Ben Rook - Widget team</span><p>Text</p></script>` +
				`<noscript><span class="byline-author">Posted by Ada Quill and Ben Rook - Widget team</span><p>Text</p></noscript><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></div>`,
			"Ada Quill, Ben Rook"},
		{"a label in its own element opening the body, the name in the next",
			``,
			`<article><h1>Title</h1><div class="entry-content"><dl class="post-meta"><dt>Author</dt><dd>` + strings.Repeat(" ", 120) + `<a href="/staff/mira-holt/">Mira Holt</a>` + strings.Repeat(" ", 60) + `</dd><dt>Topic</dt><dd>Rivers</dd></dl><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			"Mira Holt"},
		{"a label and name as an element's own text, after a link it also holds",
			``,
			`<article><h1>Title</h1><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div><div class="tools"><span class="fix"><a href="#report">【纠错】</a> 责任编辑： 林浩 </span></div></article>`,
			"林浩"},
		{"a byline opening the text over the account that posted it",
			`<meta name="author" content="Karl Brenner">`,
			`<article><h1>Titel</h1><div class="entry-content"><p><em>` + strings.Repeat(`<span class="run">Ein Vorspann</span><span class="run"> in vielen Stücken. </span>`, 8) + `</em></p><p><strong>Von Mar&shy;tina Loft</strong></p><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Martina Loft"},
		{"the text's byline naming the meta author keeps it",
			`<meta name="author" content="Karl Brenner">`,
			`<article><h1>Titel</h1><div class="entry-content"><p>Von Karl Brenner</p><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Karl Brenner"},
		{"a login gives way to the byline opening the text",
			``,
			`<div class="node"><h1>Titel</h1><p class="submitted">Gespeichert von <span class="username">editor</span> am 7. Juli 2019</p><div class="field-body"><p>Blog-Beitrag von Rosa Feld</p><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><p>` + strings.Repeat("Noch mehr Text des Artikels. ", 30) + `</p></div></div>`,
			"Rosa Feld"},
		{"an interview's byline names the interviewer",
			`<meta name="author" content="Karl Brenner">`,
			`<article><h1>Titel</h1><div class="entry-content"><p><strong>„Ein Satz des Gesprächs.“</strong></p><p><em>Ein Interview von <strong>Jan Ost</strong> mit <strong>Mara Lind</strong>.</em></p><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Jan Ost"},
		{"a person's byline in the header is not a login",
			``,
			`<article><h1>Titel</h1><div class="byline">Von Ina Loft</div><div class="entry-content"><p>Von Rosa Feld</p><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Ina Loft"},
		{"a paragraph classed author naming those who speak",
			``,
			`<article><h1>Titel</h1><p class="subtitle">Ein Vorspann.</p><p class="author">Jan Ost im Gespräch mit Mara Lind</p><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Jan Ost, Mara Lind"},
		{"a paragraph classed author that tells about them",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div><p class="author">Jan Ost schreibt über Reisen und Mara Lind über Kunst</p></article>`,
			""},
		{"the author a picture's licence names is the picture's",
			``,
			`<article><h1>Titel</h1><div class="post-text"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><div class="image-license-wrapper"><img src="/a.jpg" alt=""><div class="license-info"><span class="author-name"><a href="https://commons.example/File:A.jpg">Tim Sand</a></span></div></div></div></article>`,
			""},
		{"a byline in a header classed caption, which holds the headline",
			``,
			`<header class="article"><div class="image"><img src="/a.jpg" alt=""><div class="copyright">Bildagentur</div></div><div class="caption"><h1>Titel</h1><ul class="author"><li>Nora Quist</li></ul></div></header><article><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Nora Quist"},
		{"metadata naming something other than people gives way to the printed byline",
			`<meta name="author" content="Karl Brenner und Studio designed">`,
			`<article><h1>Titel</h1><span class="author">Nora Quist</span><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article>`,
			"Nora Quist"},
		{"an organisation in metadata gives way to the person signing over an office",
			`<meta name="author" content="VKB">`,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><p>Jo Kern<br>VKB-Vereinsvorsitzender</p></div></article>`,
			"Jo Kern"},
		{"a name over a place signs nothing",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p><p>Jo Kern<br>Neustadt am See</p></div></article>`,
			""},
		{"the writer in a magazine's credits",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article><section class="single-credits"><div class="credits"><div class="credits-item"><div class="credits-label">Interview</div><div class="credits-text">NORA QUIST</div></div><div class="credits-item"><div class="credits-label">Fotograf</div><div class="credits-text">Tim Sand</div></div></div></section>`,
			"NORA QUIST"},
		{"a photographer in the credits is no writer",
			``,
			`<article><h1>Titel</h1><div class="entry-content"><p>` + strings.Repeat("Text des Artikels hier. ", 30) + `</p></div></article><section class="credits"><div><div>Fotos</div><div>Tim Sand</div></div></section>`,
			""},
		{"yoast reading aid",
			`<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Viktoria Tol">`,
			`<article><h1>Title</h1><div class="entry-content"><p>` + strings.Repeat("Text of the article here. ", 30) + `</p></div></article>`,
			"Viktoria Tol"},
	}
	for _, tt := range tests {
		src := `<html><head><title>Titel</title>` + tt.head + `</head><body>` + tt.body + `</body></html>`
		a, err := Extract(folio.Page{URL: "https://www.post.example/2022/02/04/titel/", Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if a.Author != tt.want {
			t.Errorf("%s: author %q, want %q", tt.name, a.Author, tt.want)
		}
	}
}

// TestLoginGivesWayToPrintedName: a byline that is a login of a first and
// a last name gives way to the full name the article prints, never to
// words that only contain the login's.
func TestLoginGivesWayToPrintedName(t *testing.T) {
	story := strings.Repeat("Words of the story go on here. ", 30)
	tests := []struct{ name, meta, article, want string }{
		{"printed with an initial", "christian.stadtfeld",
			`<h1>Title</h1><p>` + story + ` (Christian P. Stadtfeld)</p>`, "Christian P. Stadtfeld"},
		{"printed as is", "jane_doe", `<h1>Title</h1><p>` + story + ` Jane Doe</p>`, "Jane Doe"},
		{"printed in lower case only", "jane.doe", `<h1>Title</h1><p>` + story + ` jane doe</p>`, "jane.doe"},
		{"not printed", "jane.doe", `<h1>Title</h1><p>` + story + `</p>`, "jane.doe"},
		{"one word", "admin", `<h1>Title</h1><p>` + story + ` Admin</p>`, "admin"},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head><title>Title</title><meta name="author" content="` + tt.meta + `"></head><body><article>` + tt.article + `</article></body></html>`
		a, err := Extract(folio.Page{URL: "https://news.example/story", Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if a.Author != tt.want {
			t.Errorf("%s: author %q, want %q", tt.name, a.Author, tt.want)
		}
	}
}

// TestBoldSignature: a body that ends on a full name alone, all of it
// bold, is signed by that name when no byline names anyone; a bold line
// that is no name, or a name in a sentence, signs nothing.
func TestBoldSignature(t *testing.T) {
	story := `<p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p>`
	tests := []struct{ name, end, want string }{
		{"a name in bold", `<p><strong>Marina Mucha</strong></p>`, "Marina Mucha"},
		{"in bold italics", `<p><b><i>Stefan Wasmer</i></b></p>`, "Stefan Wasmer"},
		{"not all bold", `<p><strong>Marina</strong> Mucha</p>`, ""},
		{"one word", `<p><strong>Marina</strong></p>`, ""},
		{"a sentence", `<p><strong>Thanks for reading this story</strong></p>`, ""},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head><title>Title</title></head><body><article><h1>Title</h1>` + story + tt.end + `</article></body></html>`
		a, err := Extract(folio.Page{URL: "https://news.example/story", Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if a.Author != tt.want {
			t.Errorf("%s: author %q, want %q", tt.name, a.Author, tt.want)
		}
	}
}

// TestSiteOwner: a page that names no author on a personal site named
// after its owner is the owner's; elsewhere a name in the title is no
// author.
func TestSiteOwner(t *testing.T) {
	story := `<div class="entry-content"><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`
	tests := []struct{ name, url, head, article, want string }{
		{"the title names the owner the host is named after",
			"https://martalindqvist.example/blog/2020/01/13/journey/",
			`<title>Marta Lindqvist's Notebook | A Journey</title>`, `<h1>A Journey</h1>` + story,
			"Marta Lindqvist"},
		{"the site's name, after a title of the owner's",
			"https://www.jonas-brenner.example/zeit/",
			`<title>Zeit – Dr. Jonas Brenner</title><meta property="og:site_name" content="Dr. Jonas Brenner">`, `<h1>Zeit</h1>` + story,
			"Jonas Brenner"},
		{"a blog host's label",
			"https://alexanderlasch.blogs.example/2019/11/14/christkind/",
			`<title>Christkind | Sprachpunkt</title><meta name="msapplication-tooltip" content="Alexander Lasch">`, `<h1>Christkind</h1>` + story,
			"Alexander Lasch"},
		{"the owner's name ending in s, its possessive after it",
			"https://tobiasrees.example/2020/01/13/journey/",
			`<title>A Journey | Tobias Rees' Notebook</title>`, `<h1>A Journey</h1>` + story,
			"Tobias Rees"},
		{"a name in the title of a site named otherwise",
			"https://www.news.example/2020/01/13/profile/",
			`<title>Anna Berg | News</title>`, `<h1>Anna Berg</h1>` + story,
			""},
		{"a brand the host is named after is no person",
			"https://eatsmarter.example/rezepte/porridge",
			`<title>Porridge | EAT SMARTER</title><meta property="og:site_name" content="EAT SMARTER">`, `<h1>Porridge</h1>` + story,
			""},
		{"a brand with a word in capitals is no person",
			"https://www.eishockeynews.example/halbfinale",
			`<title>Halbfinale | Eishockey NEWS</title>`, `<h1>Halbfinale</h1>` + story,
			""},
		{"a byline wins over the owner",
			"https://www.jo-brenner.example/zeit/",
			`<title>Zeit – Jo Brenner</title>`, `<h1>Zeit</h1><p class="byline">Von Mia Hall</p>` + story,
			"Mia Hall"},
	}
	for _, tt := range tests {
		src := `<html><head>` + tt.head + `</head><body><article>` + tt.article + `</article></body></html>`
		a, err := Extract(folio.Page{URL: tt.url, Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if a.Author != tt.want {
			t.Errorf("%s: author %q, want %q", tt.name, a.Author, tt.want)
		}
	}
}
