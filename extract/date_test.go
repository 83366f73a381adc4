package extract

import (
	"strings"
	"testing"
	"time"

	"folio"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func TestParseDate(t *testing.T) {
	fetched := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in, lang, want string // want "" means no date
	}{
		{"novembre 7, 2022", "fr", "2022-11-07T00:00:00+01:00"},
		{"todaynovembre 7, 2022", "fr", "2022-11-07T00:00:00+01:00"},
		{"today novembre 6, 2022", "fr", "2022-11-06T00:00:00+01:00"},
		{"novembre 7, 2022 1", "fr", "2022-11-07T00:00:00+01:00"},
		{"7 novembre 2022", "fr", "2022-11-07T00:00:00+01:00"},
		{"août 1, 2020", "fr", "2020-08-01T00:00:00+02:00"},
		{"1er août 2020", "fr", "2020-08-01T00:00:00+02:00"},
		{"mardi 7 novembre 2023", "fr", "2023-11-07T00:00:00+01:00"},
		{"le 7 novembre 2022 à 10h30", "fr", "2022-11-07T10:30:00+01:00"},
		{"7 nov. 2022", "fr", "2022-11-07T00:00:00+01:00"},
		{"07/11/2022", "fr", "2022-11-07T00:00:00+01:00"},
		{"Nov 7, 2022", "en", "2022-11-07T00:00:00+01:00"},
		{"15 августа 2016, 13:43", "ru", "2016-08-15T13:43:00+02:00"},
		{"01.02.2022", "en", "2022-02-01T00:00:00+01:00"},
		{"26 | 01 | 2022", "de", "2022-01-26T00:00:00+01:00"},
		{"12 | 340 | 2022", "de", ""},
		{"3 | 5 | 17", "de", ""},
		{"3 мая 2021", "ru", "2021-05-03T00:00:00+02:00"},
		{"12 січня 2020", "uk", "2020-01-12T00:00:00+01:00"},
		{"الأربعاء، 07 أكتوبر 2020 12:19 م", "ar", "2020-10-07T12:19:00+02:00"},
		{"3 March 2021", "en", "2021-03-03T00:00:00+01:00"},
		{"2022-11-07", "fr", "2022-11-07T00:00:00+01:00"},
		{"2022-11-07T10:15:00+01:00", "fr", "2022-11-07T10:15:00+01:00"},
		{"2022-11-07T09:15:00Z", "fr", "2022-11-07T09:15:00Z"},
		{"2022-01-10T22:06:08:684Z", "de", "2022-01-10T22:06:08Z"},
		{"2020-12-05T23:15:0Z", "it", "2020-12-05T23:15:00Z"},
		{"2022-06-07T10:15:00", "", "2022-06-07T10:15:00+02:00"},
		{"2022-11-07 10:15:00", "fr", "2022-11-07T10:15:00+01:00"},
		{"Mon, 07 Nov 2022 10:15:00 +0100", "en", "2022-11-07T10:15:00+01:00"},
		{"7. November 2022", "de", "2022-11-07T00:00:00+01:00"},
		{"7 de noviembre de 2022", "es", "2022-11-07T00:00:00+01:00"},
		{"novembre 7, 2022", "", "2022-11-07T00:00:00+01:00"},
		{"Publié le mar. 8 nov. 2022", "fr", "2022-11-08T00:00:00+01:00"},
		{"décembre 31, 2021", "fr", "2021-12-31T00:00:00+01:00"},
		{"2 février 2021 à 10h", "fr", "2021-02-02T10:00:00+01:00"},
		{"7 novembre 2022 à 10:30 +02:00", "fr", "2022-11-07T10:30:00+02:00"},
		{"November 7th, 2022 at 3:05 pm", "en", "2022-11-07T15:05:00+01:00"},
		{"November 7, 2022 12:30 am UTC", "en", "2022-11-07T00:30:00Z"},
		{"10/30/2022", "en", "2022-10-30T00:00:00+02:00"}, // midnight before the clocks go back,
		{"11/07/2022", "en", "2022-11-07T00:00:00+01:00"},
		{"30/10/2022", "en", "2022-10-30T00:00:00+02:00"},
		{"07.11.22", "de", "2022-11-07T00:00:00+01:00"},
		{"2022/11/07", "fr", "2022-11-07T00:00:00+01:00"},
		{"7 de noviembre de 2022", "es", "2022-11-07T00:00:00+01:00"},
		{"7 novembre 2022", "it", "2022-11-07T00:00:00+01:00"},
		{"7 de março de 2022", "pt", "2022-03-07T00:00:00+01:00"},
		{"7. März 2022", "de", "2022-03-07T00:00:00+01:00"},
		{"il y a 3 jours", "fr", "2024-03-07T00:00:00+01:00"},
		{"2 hours ago", "en", "2024-03-10T11:00:00+01:00"},
		{"3 days ago", "en", "2024-03-07T00:00:00+01:00"},
		{"il y a 2 heures", "fr", "2024-03-10T11:00:00+01:00"},
		{"Publié il y a 2 semaines", "fr", "2024-02-25T00:00:00+01:00"},
		{"il y a 1 mois", "fr", "2024-02-10T00:00:00+01:00"},
		{"il y a 2 ans", "fr", "2022-03-10T00:00:00+01:00"},
		{"vor 3 Tagen", "de", "2024-03-07T00:00:00+01:00"},
		{"vor 45 Minuten", "de", "2024-03-10T12:15:00+01:00"},
		{"hace 2 horas", "es", "2024-03-10T11:00:00+01:00"},
		{"hace 3 días", "es", "2024-03-07T00:00:00+01:00"},
		{"3 giorni fa", "it", "2024-03-07T00:00:00+01:00"},
		{"2 ore fa", "it", "2024-03-10T11:00:00+01:00"},
		{"há 3 dias", "pt", "2024-03-07T00:00:00+01:00"},
		{"3 dias atrás", "pt", "2024-03-07T00:00:00+01:00"},
		{"5 months ago", "en", "2023-10-10T00:00:00+02:00"},
		{"3 jours", "fr", ""},
		{"2 heures de route", "fr", ""},
		{"Il a 3 ans", "fr", ""},
		{"7 de noviembre 2022", "es", "2022-11-07T00:00:00+01:00"},
		{"7 novembre 2022 alle ore 10:30", "it", "2022-11-07T10:30:00+01:00"},
		{"7 de novembro de 2022 às 10h30", "pt", "2022-11-07T10:30:00+01:00"},
		{"7. November 2022 um 10:30 Uhr", "de", "2022-11-07T10:30:00+01:00"},
		{"07.11.2022, 10:30", "de", "2022-11-07T10:30:00+01:00"},
		{"7 Νοεμβρίου 2022", "el", ""},
		{"Nov. 7, 2022, 10:30 a.m. ET", "en", "2022-11-07T10:30:00+01:00"},
		{"février 30, 2022", "fr", ""},
		{"31/02/2022", "fr", ""},
		{"2022-02-30", "fr", ""},
		{"19 kilomètres à peine", "fr", ""},
		{"Covid-19 : 2 000 morts en 2022", "fr", ""},
		{"le 5 novembre", "fr", ""},
		{"12:30", "fr", ""},
		{"today", "fr", ""},
		{"visibility 1", "fr", ""},
		{"Post comments (0)", "en", ""},
		{"1", "fr", ""},
		{"novembre 2022", "fr", ""},
		{"L'Europe", "fr", ""},
		{"0001-01-01", "fr", ""},
		{"9999-12-31", "fr", ""},
	}
	for _, tt := range tests {
		p := dateParser{loc: mustLoad(t, "Europe/Paris"), language: tt.lang, now: fetched}
		got, err := p.parse(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("parse(%q, %s) = %s, want no date", tt.in, tt.lang, got.Format(time.RFC3339))
		case tt.want != "" && err != nil:
			t.Errorf("parse(%q, %s): %v, want %s", tt.in, tt.lang, err, tt.want)
		case tt.want != "" && got.Format(time.RFC3339) != tt.want:
			t.Errorf("parse(%q, %s) = %s, want %s", tt.in, tt.lang, got.Format(time.RFC3339), tt.want)
		}
	}
}

// FuzzParseDate holds the date parser to two promises whatever the text:
// it does not panic, and a date it returns lies within sane years, in the
// site's time zone.
func FuzzParseDate(f *testing.F) {
	for _, seed := range []string{
		"novembre 7, 2022", "todaynovembre 7, 2022", "todaynovembre 6, 2022", "7 novembre 2022",
		"2022-11-07T00:00:00+01:00", "07/11/2022", "Nov 7, 2022", "le 7 novembre 2022 à 10h30",
		"visibility 1", "Post comments (0)", "Mon, 07 Nov 2022 10:15:00 +0100", "1er août 2020",
		"9999-99-99", "2022-02-30", "31/02/2022", "il y a 3 jours",
	} {
		f.Add(seed, "fr")
	}
	f.Add("3 March 2021", "en")
	f.Add("7. November 2022", "de")
	loc := mustLoad(f, "Europe/Paris")
	fetched := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s, lang string) {
		p := dateParser{loc: loc, language: normaliseLanguage(lang), now: fetched}
		got, err := p.parse(s)
		if err != nil {
			return
		}
		if y := got.Year(); y < minYear || y >= maxYear {
			t.Errorf("parse(%q, %q) = %s: year out of range", s, lang, got)
		}
		if got.Location() != loc {
			t.Errorf("parse(%q, %q) = %s: not in %s", s, lang, got, loc)
		}
	})
}

func TestPublishedDayFromEvidence(t *testing.T) {
	body := `<div class="entry-content"><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`
	tests := []struct{ name, head, article, want, url string }{
		{"a UTC instant on the eve of the printed day, in the site's zone",
			`<meta property="article:published_time" content="2022-11-06T23:00:00Z">`,
			`<h1>Title</h1><p class="meta">7. November 2022</p>` + body,
			"2022-11-07T00:00:00+01:00", ""},
		{"a UTC instant a day off the printed day in any zone: the printed day",
			`<meta property="article:published_time" content="2020-02-18T02:18:11Z">`,
			`<h1>Title</h1><span>February 17, 2020</span>` + body,
			"2020-02-17T00:00:00+01:00", ""},
		{"a UTC instant at midnight in the site's zone is that day, printed or not",
			`<meta property="article:published_time" content="2022-11-06T23:00:00Z">`,
			`<h1>Title</h1>` + body,
			"2022-11-07T00:00:00+01:00", ""},
		{"a UTC instant on the printed day stays as stated",
			`<meta property="article:published_time" content="2022-11-07T09:15:00Z">`,
			`<h1>Title</h1><span>7 November 2022</span>` + body,
			"2022-11-07T09:15:00Z", ""},
		{"a stated offset stays",
			`<meta property="article:published_time" content="2022-11-07T23:30:00-05:00">`,
			`<h1>Title</h1><span>7 November 2022</span>` + body,
			"2022-11-07T23:30:00-05:00", ""},
		{"a stated offset a day off the printed day: the same instant in the site's zone, on the printed day",
			`<meta property="article:published_time" content="2022-11-06T23:30:00-05:00">`,
			`<h1>Title</h1><span>7 November 2022</span>` + body,
			"2022-11-07T05:30:00+01:00", ""},
		{"a piece the page dates for the next day's edition: the printed day",
			`<meta property="article:published_time" content="2019-12-09T19:00:49+01:00"><meta property="article:modified_time" content="2019-12-09T17:14:32+01:00">`,
			`<h1>Title</h1><a class="date" href="/2019/12/10/">10.12.19</a>` + body,
			"2019-12-10T00:00:00+01:00", ""},
		{"an embedded post's date is not the day the page prints",
			`<meta property="article:published_time" content="2021-11-01T10:52:50+01:00">`,
			`<h1>Title</h1><blockquote class="twitter-tweet"><p>What a match.</p>— A Fan (@fan) <a href="https://twitter.com/fan/status/1">October 31, 2021</a></blockquote>` + body,
			"2021-11-01T10:52:50+01:00", ""},
		{"a sidebar's date is not the page's",
			``,
			`<h1>Title</h1><aside class="right_column"><p><span class="newsDate">27.02.2020</span> Hubert Stehr verabschiedet</p>` + strings.Repeat(`<p>`+strings.Repeat("Other news of the region told here. ", 8)+`</p>`, 3) + `</aside>` + body,
			"", ""},
		{"a block classed as a sidebar dates what it holds, not the page",
			``,
			`<h1>Title</h1><div class="campaigninfo col-md-12 sidebar"><p>Start 27/02/2022 Ende 27/03/2022</p>` + strings.Repeat(`<p>`+strings.Repeat("How the campaign works is told here. ", 8)+`</p>`, 3) + `</div>` + body,
			"", ""},
		{"a comment's date is not the page's",
			``,
			`<h1>Title</h1><div><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div><div id="comments"><div class="comment"><span>KnackigeKälte</span> <span>28.02.2018</span>` + strings.Repeat(`<p>`+strings.Repeat("Thank you for these tips, they helped. ", 8)+`</p>`, 3) + `</div></div>`,
			"", ""},
		{"the day a cited source was retrieved is not the page's",
			``,
			`<h1>Title</h1><div><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div><ul class="literature"><li>Journal für Psychologie. Abgerufen am 09.11.2022: https://journal.example/a</li></ul>`,
			"", ""},
		{"another story's card is not the page's date",
			``,
			`<article class="elementor-post"><h3><a href="https://news.example/other-story">Other story</a></h3><span class="elementor-post-date">22. Juni 2022</span></article><h1>Title</h1><div><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"", ""},
		{"a range of days is not the page's date",
			``,
			`<h1>Title</h1><div><p>Ausstellung vom 9. bis 23. Februar 2017 im Innenhof</p><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"", ""},
		{"a printed day two days off the stated one leaves it",
			`<meta property="article:published_time" content="2019-12-09T19:00:49+01:00">`,
			`<h1>Title</h1><span>11.12.2019</span>` + body,
			"2019-12-09T19:00:49+01:00", ""},
		{"a UTC instant on the eve of a dated permalink's day, in the site's zone",
			`<meta property="article:published_time" content="2018-12-31T23:11:59Z">`,
			`<h1>Title</h1>` + body,
			"2019-01-01T00:11:59+01:00", "https://news.example/2019/01/01/story/"},
		{"a date line opening the body",
			``,
			`<h1>Title</h1><div class="entry-content"><p>January 18, 2020</p><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"2020-01-18T00:00:00+01:00", ""},
		{"a dateline opening a paragraph",
			``,
			`<h1>Title</h1><div><p>29.11.2022 – ` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"2022-11-29T00:00:00+01:00", ""},
		{"a path segment that is a whole date",
			``,
			`<h1>Title</h1><div><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"2021-10-29T00:00:00+02:00", "https://news.example/meldungen/29-10-2021"},
		{"a permalink's date long before the metadata's is the first publication, the metadata a move's",
			`<script type="application/ld+json">{"@type":"BlogPosting","headline":"Title","datePublished":"2019-06-17T18:28:00+02:00"}</script>`,
			`<h1>Title</h1>` + body,
			"2017-07-12T00:00:00+02:00", "https://blog.example/home/2017/7/12/title"},
		{"a permalink's date some days before the metadata's is a draft's",
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Title","datePublished":"2022-05-08T10:00:00-05:00"}</script>`,
			`<h1>Title</h1>` + body,
			"2022-05-08T10:00:00-05:00", "https://news.example/2022/05/02/title/"},
		{"a <time> in the header months before the metadata's publication is the first publication",
			`<meta property="article:published_time" content="2022-11-17T10:33:13Z"><meta property="article:modified_time" content="2022-11-17T10:32:18Z">`,
			`<h1>Title</h1><ul class="meta"><li><time datetime="2022-03-09">09.03.2022</time></li></ul>` + body,
			"2022-03-09T00:00:00+01:00", ""},
		{"a <time> in the header dates the page over metadata stating another day alone",
			`<meta name="og:article:published_time" content="2022-01-15">`,
			`<h1>Title</h1><ul class="meta"><li><time datetime="2022-01-25">25.01.2022</time></li></ul>` + body,
			"2022-01-25T00:00:00+01:00", ""},
		{"a <time> in the header some days off metadata stating a time of day leaves it",
			`<meta property="article:published_time" content="2022-01-15T09:30:00+01:00">`,
			`<h1>Title</h1><ul class="meta"><li><time datetime="2022-01-25">25.01.2022</time></li></ul>` + body,
			"2022-01-15T09:30:00+01:00", ""},
		{"a date printed as text months before the metadata's publication leaves it",
			`<meta property="article:published_time" content="2022-11-17T10:33:13Z">`,
			`<h1>Title</h1><p class="meta">09.03.2022</p>` + body,
			"2022-11-17T10:33:13Z", ""},
		{"a path segment that only looks like one",
			``,
			`<h1>Title</h1><div><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"", "https://news.example/parts/12-34-5678"},
		{"a date line set in the headline's <small>",
			``,
			`<h1>Title<br><small>02.02.2022 • News</small></h1><div><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"2022-02-02T00:00:00+01:00", ""},
		{"a trackback RDF block in a comment",
			``,
			`<h1>Title</h1>` + body + `<!--
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/">
<rdf:Description rdf:about="https://news.example/story" dc:title="Title" dc:date="2020-07-12T22:00:00+09:00" />
</rdf:RDF>
-->`,
			"2020-07-12T22:00:00+09:00", ""},
		{"a publication date only in a script's data",
			``,
			`<h1>Title</h1>` + body + `<script type="application/json">{"review":{"publishedDate":"2016-11-04T20:37:27Z","updatedDate":"2016-11-05T20:39:47Z"}}</script>`,
			"2016-11-04T20:37:27Z", ""},
		{"a UTC instant on the eve of the day a script's data states for the page",
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Title","datePublished":"2020-08-25T00:23:33.312Z"}</script>`,
			`<h1>Title</h1>` + body + `<script>dataLayer.push({"Theme":"societe","DateCreation":"2020-08-24"});</script>`,
			"2020-08-24T00:00:00+02:00", ""},
		{"a creation date only in a script's data",
			``,
			`<h1>Title</h1>` + body + `<script>dataLayer.push({"DateCreation":"2020-08-24"});</script>`,
			"2020-08-24T00:00:00+02:00", ""},
		{"a script listing several publication dates dates other pages, not this one",
			``,
			`<h1>Title</h1>` + body + `<script>window.refs = [{"site":"A","publishDate":"2012-06-24"},{"site":"B","publishDate":"2016-06-25"}];</script>`,
			"", ""},
		{"a script stating the same publication date twice",
			``,
			`<h1>Title</h1>` + body + `<script>window.page = {"publishDate":"2016-06-25","og":{"publishDate":"2016-06-25"}};</script>`,
			"2016-06-25T00:00:00+02:00", ""},
		{"a JavaScript object's publication date",
			``,
			`<h1>Title</h1>` + body + `<script>var product = {title: 'Kaffee', published_at: '2019-03-02T06:22:28+01:00'};</script>`,
			"2019-03-02T06:22:28+01:00", ""},
		{"JSON-LD of no article type dates no publication",
			`<script type="application/ld+json">{"@type":"WebPage","datePublished":"2019-12-02T17:15:20Z"}</script>`,
			`<h1>Title</h1>` + body,
			"", ""},
		{"the printed day of the last change wins over the first publication",
			`<meta property="article:published_time" content="2022-01-25T14:45:00+01:00"><meta property="article:modified_time" content="2022-01-26T14:30:00+01:00">`,
			`<h1>Title</h1><p class="stand">Stand: <span>26.01.2022, 14:30 Uhr</span></p>` + body,
			"2022-01-26T14:30:00+01:00", ""},
		{"a forum thread's printed day of its last reply leaves its first post's",
			`<script type="application/ld+json">{"@type":"DiscussionForumPosting","headline":"Title","datePublished":"2020-09-18","dateModified":"2020-10-06"}</script>`,
			`<h1>Title</h1><p class="meta"><time datetime="2020-10-06">06.10.2020</time></p>` + body,
			"2020-09-18T00:00:00+02:00", ""},
		{"a printed day that is not the last change's leaves the publication",
			`<meta property="article:published_time" content="2022-01-25T14:45:00+01:00"><meta property="article:modified_time" content="2022-01-27T14:30:00+01:00">`,
			`<h1>Title</h1><p class="stand">Stand: <span>26.01.2022, 14:30 Uhr</span></p>` + body,
			"2022-01-25T14:45:00+01:00", ""},
		{"a printed day labelled as an update leaves the publication",
			`<meta property="article:published_time" content="2017-12-15T08:50:02-05:00"><meta property="article:modified_time" content="2018-07-24T14:15:58-04:00">`,
			`<h1>Title</h1><p class="byline"><span>Updated <time>Jul 24, 2018, 2:15pm</time></span></p>` + body,
			"2017-12-15T08:50:02-05:00", ""},
		{"the date line under the headline wins over a day printed above it",
			``,
			`<span>Tuesday, 08 Dec 2020</span><h1>Title</h1><p>13 Oct 2020 18:29</p>` + body,
			"2020-10-13T18:29:00+02:00", ""},
		{"the last change the article states, when it states no other date",
			``,
			`<h1>Title</h1>` + body + `<p class="info">Aktualisiert: 30.12.2016</p>`,
			"2016-12-30T00:00:00+01:00", ""},
		{"a printed date without its year, its instant in a data attribute",
			``,
			`<h1>Title</h1><small class="time"><a href="/status/1"><span class="timestamp" data-time="1594448702" data-time-ms="1594448702000">Jul 10</span></a></small>` + body,
			"2020-07-11T06:25:02Z", ""},
		{"a printed date in the reader's zone, its instant in milliseconds",
			``,
			`<h1>Title</h1><p class="meta"><span data-utime="1594448702000">10 Jul 2020, 11:25 PM</span></p>` + body,
			"2020-07-11T06:25:02Z", ""},
		{"a number in a data attribute far from the printed date is not its instant",
			``,
			`<h1>Title</h1><p class="meta"><span data-timestamp="1262304000">10.07.2020</span></p>` + body,
			"2020-07-10T00:00:00+02:00", ""},
		{"a copyright notice stating a whole day, the page's only date",
			``,
			`<h1>Title</h1>` + body + `<footer><p>Copyright © 19.12.2019 - 12:14 h by Example GmbH, Langenfeld.</p></footer>`,
			"2019-12-19T00:00:00+01:00", ""},
		{"a copyright notice stating a year dates nothing",
			``,
			`<h1>Title</h1>` + body + `<footer><p>© 2019 Example GmbH</p></footer>`,
			"", ""},
		{"an element classed updated, dated in its title",
			``,
			`<h1>Title</h1><span class="updated" title="2013-04-04T18:52:11+00:00"></span>` + body,
			"2013-04-04T18:52:11Z", ""},
		{"a wiki's last edit",
			``,
			`<h1>Title</h1>` + body + `<p id="pageinfo">Title (last edited 2019-11-10 13:28:18 by <a href="/JoBaker">JoBaker</a>)</p>`,
			"2019-11-10T13:28:18+01:00", ""},
		{"a dateline that a quotation follows",
			``,
			`<h1>Title</h1><div><h3>A subtitle</h3><p><strong>01.02.2022 „Der Markt ist gut gestartet“, sagte sie.</strong> ` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"2022-02-01T00:00:00+01:00", ""},
		{"a forum member's joining day is not the post's",
			``,
			`<h1>Title</h1><dl><dt><a href="/member/5">r23</a></dt><dd class="profile-joined"><strong>Registriert:</strong> 18.09.2008, 05:56</dd><dd>Joined 03.03.2007</dd></dl><p class="author">r23 &raquo; 21.01.2009, 05:42</p>` + body,
			"2009-01-21T05:42:00+01:00", ""},
		{"a comment's time, in a block classed as a kind of comment, is not the post's",
			``,
			`<h1>Title</h1><p>von Jo Kern am 20.09.2020</p>` + body + `<div class="kb-recipe-comment"><div class="kb-recipe-comment-box-middle"><time datetime="2020-09-23T18:19:06+02:00">23.09.20 | 18:19</time> Toll!</div></div>`,
			"2020-09-20T00:00:00+02:00", ""},
		{"a numeric date in British English, day first",
			`<meta property="og:locale" content="en_GB">`,
			`<h1>Title</h1><span class="time">02/10/2020</span>` + body,
			"2020-10-02T00:00:00+02:00", ""},
		{"a numeric date in American English, month first",
			`<meta property="og:locale" content="en_US">`,
			`<h1>Title</h1><span class="time">02/10/2020</span>` + body,
			"2020-02-10T00:00:00+01:00", ""},
		{"the sentence about the post that opens with a link to it, in a sidebar",
			``,
			`<h1>Title</h1>` + body + `</article><aside id="sidebar"><h2>About this post</h2><p><a href="https://news.example/story" rel="bookmark">Title</a> was posted on <span>May 19, 2010</span> at <span>11:03 pm</span> and filed under <a href="/category/x/">X</a>.</p></aside><article>`,
			"2010-05-19T00:00:00+02:00", ""},
		{"not a link to another post",
			``,
			`<h1>Title</h1>` + body + `</article><aside id="sidebar"><p><a href="https://news.example/other" rel="bookmark">Other</a> was posted on <span>May 19, 2010</span></p></aside><article>`,
			"", ""},
		{"a script that writes the date where it stands",
			``,
			`<h1>Title</h1><div class="info"><script>showDate("2021/03/09 10:20:00")</script> 7 views</div>` + body,
			"2021-03-09T10:20:00+01:00", ""},
		{"a page presenting a video, undated but for the video's upload",
			`<script type="application/ld+json">{"@context":"https://schema.org","@type":"VideoObject","name":"Clip","uploadDate":"2020-04-04T20:57:00.000+02:00"}</script>`,
			`<h1>Title</h1>` + body,
			"2020-04-04T20:57:00+02:00", ""},
		{"not the first date of a range",
			``,
			`<h1>Title</h1><div><p>23.10.2015 - 25.10.2015, ` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`,
			"", ""},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head><title>Title</title>` + tt.head + `</head><body><article>` + tt.article + `</article></body></html>`
		u := tt.url
		if u == "" {
			u = "https://news.example/story"
		}
		checkPublished(t, tt.name, folio.Page{URL: u, Status: 200, Body: []byte(src)}, tt.want)
	}
}

// TestPublishedOutsideArticle covers pages whose date lies outside the
// element holding the article: in a header above it, in a meta tag of a
// less common name. Dates of teasers, comments, updates and footers are
// not the page's.
func TestPublishedOutsideArticle(t *testing.T) {
	body := `<div class="entry-content"><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`
	tests := []struct{ name, head, page, want string }{
		{"a meta publishdate",
			`<meta name="publishdate" content="2020-01-02">`,
			`<article><h1>Title</h1>` + body + `</article>`,
			"2020-01-02T00:00:00+01:00"},
		{"a date header above the post",
			``,
			`<h2 class="date-header"><span>Samstag, 5. Oktober 2013</span></h2><article><h1>Title</h1>` + body + `</article>`,
			"2013-10-05T00:00:00+02:00"},
		{"a date header in a column classed as a widget, which holds the article",
			``,
			`<div class="widget Blog"><div class="date-outer"><h2 class="date-header"><span>Dienstag, 28. April 2020</span></h2><article><h1>Title</h1>` + body + `</article></div></div>`,
			"2020-04-28T00:00:00+02:00"},
		{"a date in a header that the drop rules remove",
			``,
			`<article><header class="has-sharing"><h1>Title</h1><span class="meta meta__date">06.12.2022</span></header>` + body + `</article>`,
			"2022-12-06T00:00:00+01:00"},
		{"an itemprop datePublished outside the article",
			``,
			`<div class="hl" itemprop="datePublished" datetime="2022-02-04">04. Februar 2022</div><article><h1>Title</h1>` + body + `</article>`,
			"2022-02-04T00:00:00+01:00"},
		{"the publication wins over a plain date",
			``,
			`<div class="meta"><span class="date">27.01.2022</span></div><p class="post-published">26.01.2022</p><article><h1>Title</h1>` + body + `</article>`,
			"2022-01-26T00:00:00+01:00"},
		{"a date line under a headline set above the article element",
			``,
			`<div class="preview_title"><h1 class="blogpost_title">Title</h1><div class="listing_meta"><span>Paddy</span> <span>&middot;</span> <span>April 19, 2019</span></div></div><article>` + body + `</article>`,
			"2019-04-19T00:00:00+02:00"},
		{"no date line under the headline: the next heading ends the search",
			``,
			`<div><h1>Title</h1><h2>Other story</h2><span>April 19, 2019</span></div><article>` + body + `</article>`,
			""},
		{"a date line above the article a day off the stated offset: the printed day",
			`<meta property="article:published_time" content="2022-05-05T21:00:00-05:00">`,
			`<div class="ArticleHeader"><div class="Datetime ArticleHeader-Date">6 May 2022 - 2:00 a. m.</div><h1>Title</h1></div><article>` + body + `</article>`,
			"2022-05-06T04:00:00+02:00"},
		{"a date after a label",
			``,
			`<ul class="info"><li><span>Datum:</span>26. Januar 2022</li><li><span>Jahr:</span>2022</li></ul><article><h1>Title</h1>` + body + `</article>`,
			"2022-01-26T00:00:00+01:00"},
		{"a date the page shows wins over a bare meta date",
			`<meta name="date" content="2020-04-30">`,
			`<ul><li class="Date"><time>29.04.2020, 12:01 Uhr</time></li></ul><article><h1>Title</h1>` + body + `</article>`,
			"2020-04-29T12:01:00+02:00"},
		{"a bare meta date stands when the page shows the same day",
			`<meta name="date" content="2020-04-29T10:00:00+02:00">`,
			`<ul><li class="Date"><time>29.04.2020</time></li></ul><article><h1>Title</h1>` + body + `</article>`,
			"2020-04-29T10:00:00+02:00"},
		{"the day beside the site's logo is today's, not the page's",
			`<meta name="date" content="2017-05-01T17:05:00+0200">`,
			`<header><h1><a class="logo" href="/">Site</a></h1><span class="dlf-date">Mittwoch, 26.02.2020</span></header><article><h2>Title</h2>` + body + `</article>`,
			"2017-05-01T17:05:00+02:00"},
		{"an element naming the post's date wins over the first date in the header",
			``,
			`<article><h1>Title</h1><p>Seminar 19.01.2023, 10:00 - 11:30</p><div class="field--name-node-post-date">20.12.2022</div>` + body + `</article>`,
			"2022-12-20T00:00:00+01:00"},
		{"a date after an update label is not the publication",
			``,
			`<article><h1>Title</h1><p>Letzte Änderung: 31.10.2023</p><p>Erschienen am: 01.11.2023</p>` + body + `</article>`,
			"2023-11-01T00:00:00+01:00"},
		{"a date beside a headline link to another page is that page's",
			``,
			`<article><h1>Title</h1>` + body + `</article><div><span class="date">03.02.2022</span> <a href="/other">Another story that is told here</a></div>`,
			""},
		{"a wiki's last edit, printed beside the text",
			``,
			`<div id="content"><h1>Title</h1>` + body + `</div><p id="pageinfo" class="info">Title (last edited 2021-03-04 09:10:11 by <a href="/wiki/JoBaker">JoBaker</a>)</p><div id="footer">Powered by a wiki</div>`,
			"2021-03-04T09:10:11+01:00"},
		{"a wiki's last edit, over the dates its text tells",
			`<meta name="generator" content="MediaWiki 1.35.0">`,
			`<div id="content"><h1>Title</h1><p>Nächstes Treffen: 12.05.2021</p>` + body + `</div><div id="footer"><ul><li id="footer-info-lastmod">Diese Seite wurde zuletzt am 3. April 2021 um 10:15 Uhr bearbeitet.</li></ul></div>`,
			"2021-04-03T10:15:00+02:00"},
		{"a wiki's last edit as JSON-LD states it, over the page's creation",
			`<meta name="generator" content="MediaWiki 1.31.1"><script type="application/ld+json">{"@context":"https://schema.org","@type":"Article","name":"Title","datePublished":"2006-02-01T10:00:00Z","dateModified":"2021-04-03T08:15:00Z"}</script>`,
			`<div id="content"><h1>Title</h1>` + body + `</div>`,
			"2021-04-03T08:15:00Z"},
		{"a date the text tells is no wiki's last edit without the wiki",
			``,
			`<div id="content"><h1>Title</h1><p>Nächstes Treffen: 12.05.2021</p>` + body + `</div><div id="footer"><ul><li id="footer-info-lastmod">Diese Seite wurde zuletzt am 3. April 2021 um 10:15 Uhr bearbeitet.</li></ul></div>`,
			"2021-05-12T00:00:00+02:00"},
		{"an update, a footer and a comment give no date",
			``,
			`<article><h1>Title</h1>` + body + `</article><p class="date-updated">03.02.2022</p><footer><span class="date">04.02.2022</span></footer>` +
				`<div class="comment"><span class="date">05.02.2022</span></div>`,
			""},
	}
	for _, tt := range tests {
		src := `<html lang="de"><head><title>Title</title>` + tt.head + `</head><body>` + tt.page + `</body></html>`
		checkPublished(t, tt.name, folio.Page{URL: "https://news.example/story", Status: 200, Body: []byte(src)}, tt.want)
	}
}

// TestBannerOfTheFetchDay covers a site's banner that prints today's
// date: fetched the day after the publication, the page prints a day the
// metadata does not give, and the metadata stands; fetched later, the
// banner's day is no longer the fetch's, and a printed day a day off the
// metadata's wins as on any page.
func TestBannerOfTheFetchDay(t *testing.T) {
	body := `<div class="entry-content"><p>` + strings.Repeat("Words of the story go on here. ", 30) + `</p></div>`
	tests := []struct{ name, published, banner, fetched, want string }{
		{"a stated offset, fetched the next day",
			"2022-11-06T20:00:00+01:00", "Monday, 7 November 2022", "2022-11-07T08:00:00Z", "2022-11-06T20:00:00+01:00"},
		{"a UTC instant, fetched the next day",
			"2020-01-17T21:08:00Z", "Saturday, January 18, 2020", "2020-01-18T10:00:00Z", "2020-01-17T21:08:00Z"},
		{"a stated offset, fetched weeks later",
			"2022-11-06T20:00:00+01:00", "Monday, 7 November 2022", "2022-11-28T08:00:00Z", "2022-11-07T00:00:00+01:00"},
	}
	for _, tt := range tests {
		src := `<html lang="en"><head><title>Title</title><meta property="article:published_time" content="` + tt.published + `"></head><body>` +
			`<div class="td_data_time"><div>` + tt.banner + `</div></div><article><h1>Title</h1>` + body + `</article></body></html>`
		fetched, err := time.Parse(time.RFC3339, tt.fetched)
		if err != nil {
			t.Fatal(err)
		}
		checkPublished(t, tt.name, folio.Page{URL: "https://news.example/story", Status: 200, Body: []byte(src), FetchedAt: fetched}, tt.want)
	}
}

// checkPublished extracts page with the default rules and reports a
// publication other than want (RFC 3339, "" for none).
func checkPublished(t *testing.T, name string, page folio.Page, want string) {
	t.Helper()
	a, err := Extract(page, DefaultRules())
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	got := ""
	if a.Published != nil {
		got = a.Published.Format(time.RFC3339)
	}
	if got != want {
		t.Errorf("%s: published %q, want %q", name, got, want)
	}
}
