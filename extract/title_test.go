package extract

import (
	"strings"
	"testing"
	"time"

	"folio"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestHeadlineStated(t *testing.T) {
	tests := []struct {
		heading, title, site string
		want                 bool
	}{
		{"Lotte Tobisch ist tot", "Chronik: Lotte Tobisch ist tot", "", true},
		{"Faire Lieferketten", "Faire Lieferketten - Evangelisches Jugendwerk in Württemberg (ejw) - EJW", "", true},
		{"Weitere Digitalisierung der Schweizer Kinos", "Time 4 talks » Blog Archiv » Weitere Digitalisierung der Schweizer Kinos", "", true},
		{"VW-Chef warnt vor Tesla", "VW-Chef warnt vor Tesla | Site", "Site", true},
		{"China", `VW-Chef warnt vor "Golf aus China"`, "", false},
		{"News", "News from the council about the night buses", "", false},
		{"Coronavirus: New York ramps up", "New York ramps up", "", false},
	}
	for _, tt := range tests {
		if got := headlineStated(tt.heading, tt.title, tt.site); got != tt.want {
			t.Errorf("headlineStated(%q, %q) = %v, want %v", tt.heading, tt.title, got, tt.want)
		}
	}
}

func TestKickedTitle(t *testing.T) {
	tests := []struct {
		heading string
		titles  []string
		want    string
	}{
		{"Immobilienkrise Rene Benko-Firma Signa in Sorge", []string{"Rene Benko-Firma Signa in Sorge"}, "Rene Benko-Firma Signa in Sorge"},
		{"1. Februar 2022 Bundesministerin Raab: Mit Ländern gestalten", []string{"Bundesministerin Raab: Mit Ländern gestalten - Bundeskanzleramt"}, "Bundesministerin Raab: Mit Ländern gestalten"},
		{"EU-Taxonomie: Atomkraft ist nicht nachhaltig | Umweltbundesamt", []string{"EU-Taxonomie: Atomkraft ist nicht nachhaltig"}, "EU-Taxonomie: Atomkraft ist nicht nachhaltig"},
		// A subtitle run on without a separator stays: the heading says more.
		{"Dezuka Suisan: Fish Cakes, Hot and Fresh Welcome to the Capital", []string{"Dezuka Suisan: Fish Cakes, Hot and Fresh"}, ""},
		// The first half of a sentence that the metadata title leaves out
		// is no kicker: it runs on into the title with a common word.
		{"Eignet sich eine Wärmepumpe im Altbau?", []string{"Wärmepumpe im Altbau"}, ""},
		{"How to choose the Heat Pump for an Old House", []string{"Heat Pump for an Old House"}, ""},
		// A title much shorter than the heading is no headline of it.
		{"Eignet sich eine Wärmepumpe im Altbau für Familien mit Kindern?", []string{"Wärmepumpe im Altbau - Wann es sich lohnt"}, ""},
	}
	for _, tt := range tests {
		if got := kickedTitle(tt.heading, tt.titles, ""); got != tt.want {
			t.Errorf("kickedTitle(%q, %q) = %q, want %q", tt.heading, tt.titles, got, tt.want)
		}
	}
}

func TestTitleKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{`VW-Chef warnt vor "Golf aus China"`, "vw chef warnt vor golf aus china"},
		{"Mes\u00adsen\u00adger\u00addiens\u00adte", "messengerdienste"},
		{"  Élan — vital ", "elan vital"},
	}
	for _, tt := range tests {
		if got := titleKey(tt.in); got != tt.want {
			t.Errorf("titleKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTitleFromHeadings runs whole pages: the visible heading against the
// metadata titles.
func TestTitleFromHeadings(t *testing.T) {
	const body = `<p>` + loremProse + `</p>`
	tests := []struct {
		name, head, body, want string
	}{
		{"kicker in og:title", `<title>Chronik: Lotte Tobisch ist tot - wien.ORF.at</title><meta property="og:title" content="Chronik: Lotte Tobisch ist tot">`,
			`<div class="story"><h1 class="story-lead-headline">Lotte Tobisch ist tot</h1>` + body + `</div>`, "Lotte Tobisch ist tot"},
		{"one h1 the metadata rewords", `<title>Brexit: Nervenkrieg geht in nächste Runde</title><meta property="og:title" content="Brexit: Nervenkrieg geht in nächste Runde">`,
			`<div><h1 class="title">Der Nervenkrieg um den Brexit geht in die nächste Runde</h1>` + body + `</div>`, "Der Nervenkrieg um den Brexit geht in die nächste Runde"},
		{"banner h1 linking home", `<title>Disfunctions.de » Blog Archiv » Podcasts in Plex einbinden</title>`,
			`<div id="header"><h1><a href="https://blog.example/">Disfunctions.de</a></h1></div><div class="post"><h2>Podcasts in Plex einbinden</h2>` + body + `</div>`, "Podcasts in Plex einbinden"},
		{"logo h1", `<title>Muffin Grundrezept : Muffin Rezepte</title>`,
			`<h1 class="logo">Muffin Rezepte</h1><div><h2>Muffin Grundrezept</h2>` + body + `</div>`, "Muffin Grundrezept"},
		{"h1 sharing no word with any title", `<title>Base URL test</title>`,
			`<div><h1>Lorem</h1>` + body + `</div>`, "Base URL test"},
		{"og:title cut at an unescaped quote", `<title>Senador califica a Biden de "incapacitado" | Diario</title><meta property="og:title" content="Senador califica a Biden de "incapacitado"">`,
			`<div>` + body + `</div>`, `Senador califica a Biden de "incapacitado"`},
		{"an og:title that a longer title only extends", `<title>Senador califica a Biden de incapacitado</title><meta property="og:title" content="Senador califica a Biden">`,
			`<div>` + body + `</div>`, "Senador califica a Biden"},
		{"an ornament before the heading", `<title>Jens Weber - Mediaarchitektur</title>`,
			`<div><h2><span>[&gt;</span> Jens Weber</h2>` + body + `</div>`, "Jens Weber"},
		{"guillemets that quote the headline stay", `<title>»Gute Löhne« reichen nicht</title>`,
			`<div><h1>»Gute Löhne« reichen nicht</h1>` + body + `</div>`, "»Gute Löhne« reichen nicht"},
		{"a bracket closed in the headline stays", `<title>[Update] Neue Version</title>`,
			`<div><h1>[Update] Neue Version</h1>` + body + `</div>`, "[Update] Neue Version"},
		{"a hashtag stays", `<title>#MeToo: ein Jahr danach</title>`,
			`<div><h1>#MeToo: ein Jahr danach</h1>` + body + `</div>`, "#MeToo: ein Jahr danach"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := folio.Page{URL: "https://blog.example/2020/01/02/post/", Status: 200, FetchedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
				Body: []byte(`<!doctype html><html lang="de"><head>` + tt.head + `</head><body>` + tt.body + `</body></html>`)}
			a, err := Extract(page, DefaultRules())
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tt.want {
				t.Errorf("title %q, want %q", a.Title, tt.want)
			}
		})
	}
}

// loremProse is enough text for a page to be an article.
const loremProse = `Der Stadtrat hat am Dienstag beschlossen, die drei Nachtbuslinien für ein weiteres Jahr zu behalten, nachdem Fahrgäste und Beschäftigte der Spätschicht sich in großer Zahl gemeldet hatten. ` +
	`Die Verwaltung hatte vorgeschlagen, zwei der Linien zu streichen, um Kosten zu sparen, doch die Zahlen zeigten, dass die Busse nachts gut besetzt sind und viele Menschen keine andere Möglichkeit haben. ` +
	`Eine neue Zählung soll im Herbst zeigen, wie sich die Nachfrage entwickelt, und der Rat will im Frühjahr erneut beraten, ob weitere Haltestellen in den äußeren Vierteln hinzukommen.`

func TestHeadingText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<h1><span class="article-heading__kicker">Klimaschutz</span><span class="visually-hidden">: </span><span class="article-heading__title">Bohren, bis es heiß wird</span></h1>`, "Bohren, bis es heiß wird"},
		{`<h1><span class="subtitle">Olympische Spiele in Paris</span> Getränke per Schiff ins Stadtzentrum</h1>`, "Getränke per Schiff ins Stadtzentrum"},
		{`<h1><span class="dachzeile">Nach Corona-Lockerungen</span> <span class="headline">Autohäuser rechnen mit langsamem Anlaufen</span></h1>`, "Autohäuser rechnen mit langsamem Anlaufen"},
		{`<h1><span class="titleheader">Zoonosen</span><span aria-hidden="true"> – </span><span>Wie Umweltzerstörung Epidemien begünstigt</span></h1>`, "Wie Umweltzerstörung Epidemien begünstigt"},
		{`<h1>Zuschauer kehren zurück<br><small><span class="icon"></span> 02.02.2022 • Presse, Allgemein</small></h1>`, "Zuschauer kehren zurück"},
		{`<h1>Fish Cakes, Hot and Fresh <small class="subtitle">Welcome to the North</small></h1>`, "Fish Cakes, Hot and Fresh"},
		{`<h1>Leslie Clio<br /> <span style="font-style:italic">Brave New Woman</span></h1>`, "Leslie Clio"},
		{`<h1><span class="h1small">Initiative Energie</span> Kostenloser Stromcheck für Haushalte</h1>`, "Kostenloser Stromcheck für Haushalte"},
		// A line break inside the headline's own text keeps both lines, and
		// so does one between two elements.
		{`<h1><span class="big">Krach vor der Versammlung:</span><br/><span class="blue">Es knirscht im Rat</span></h1>`, "Krach vor der Versammlung: Es knirscht im Rat"},
		{`<h1>Der Rat behält<br>die Nachtbusse</h1>`, "Der Rat behält die Nachtbusse"},
		// No kicker, or nothing but the kicker: the whole text.
		{`<h1>Covid-19: Lässt sich die Ausbreitung kontrollieren?</h1>`, "Covid-19: Lässt sich die Ausbreitung kontrollieren?"},
		{`<h1><span class="kicker">Solo</span></h1>`, "Solo"},
		{`<h1>Words first <span class="kicker">then a span</span></h1>`, "Words first then a span"},
	}
	for _, tt := range tests {
		doc, err := html.Parse(strings.NewReader(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if got := headingText(findElement(doc, atom.H1)); got != tt.want {
			t.Errorf("headingText(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithoutHostName(t *testing.T) {
	tests := []struct{ url, in, want string }{
		{"https://www.homify.de/ideen/1", "Wie man eine Tischdecke herstellt | homify", "Wie man eine Tischdecke herstellt"},
		{"https://www.lastampa.it/a", "Perturbazione polare al Centro - La Stampa", "Perturbazione polare al Centro"},
		{"https://www.sheego.de/magazin/x", "Magic Cleaning │ sheego ♥ Magazin", "Magic Cleaning"},
		{"https://news.example/a", "Peace talks resume - Reuters", "Peace talks resume - Reuters"},
		{"https://www.homify.de/a", "homify", "homify"},
	}
	for _, tt := range tests {
		x := testExtraction(tt.url, "")
		if got := x.withoutHostName(tt.in); got != tt.want {
			t.Errorf("withoutHostName(%q) on %s = %q, want %q", tt.in, tt.url, got, tt.want)
		}
	}
}

func TestTitleIsNotTheSiteName(t *testing.T) {
	body := `<div class="entry-content"><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`
	tests := []struct{ name, url, head, page, want string }{
		{"og:site_name as the only title: the heading above the body",
			"https://blog.example/post", `<meta property="og:site_name" content="Example Blog"><meta property="og:title" content="Example Blog">`,
			`<h1>Example Blog</h1><h2>Want to see more? So do we.</h2>` + body + `<h2>More from Example Blog</h2>`,
			"Want to see more? So do we."},
		{"the host's name as the title",
			"https://www.time4talks.example/kinos", `<title>Time 4 talks</title>`,
			`<div id="header"><h1>Time 4 talks</h1></div><h2>Weitere Digitalisierung der Kinos</h2>` + body,
			"Weitere Digitalisierung der Kinos"},
		{"a title element that misses its headline: the heading above the body",
			"https://www.rail.example/disruptions", `<title>National Rail Enquiries -</title>`,
			`<h1><img src="/logo.png" alt=""></h1><h2>Rail Replacement Services Travel Advice</h2>` + body + `<h2>Train times</h2>`,
			"Rail Replacement Services Travel Advice"},
		{"the part of the title element that the description repeats",
			"https://club.example/modules/news/article.php?storyid=504", `<title>Fan Club Regensburg - Eintracht Frankfurt stellt Weichen für die Zukunft - Eintracht Presse - News</title><meta name="description" content="Eintracht Frankfurt stellt Weichen für die Zukunft">`,
			`<div>` + body + `</div>`,
			"Eintracht Frankfurt stellt Weichen für die Zukunft"},
		{"a description that says more leaves the title element",
			"https://club.example/modules/news/article.php?storyid=505", `<title>Eintracht Frankfurt stellt Weichen - Eintracht Presse</title><meta name="description" content="Eintracht Frankfurt stellt Weichen für die Zukunft und trifft langfristige Personalentscheidungen">`,
			`<div>` + body + `</div>`,
			"Eintracht Frankfurt stellt Weichen"},
		{"a title that ends with an ornament keeps its headline",
			"https://photos.example/walk", `<title>Morning walk in the hills :: Photo Portal ::</title>`,
			`<div>` + body + `</div>`,
			"Morning walk in the hills"},
		{"a headline stays",
			"https://news.example/a", `<meta property="og:site_name" content="News">`,
			`<article><h1>Peace talks resume</h1>` + body + `</article><h2>More from News</h2>`,
			"Peace talks resume"},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head>` + tt.head + `</head><body>` + tt.page + `</body></html>`
		a, err := Extract(folio.Page{URL: tt.url, Status: 200, Body: []byte(src)}, DefaultRules())
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if a.Title != tt.want {
			t.Errorf("%s: title %q, want %q", tt.name, a.Title, tt.want)
		}
	}
}
