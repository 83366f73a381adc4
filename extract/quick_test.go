package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRequiredWords(t *testing.T) {
	tests := []struct {
		expr string
		want []string // nil: no list
	}{
		{`(?i)date|datum|fecha`, []string{"dat", "fecha"}},
		{`(?i)bread[-_]?crumb|crumbs`, []string{"bread", "crumbs"}},
		{`(?i)^(?:published|ver[öo]ffentlicht)`, []string{"ffentlicht", "published"}},
		{`\((\d{1,6})\)`, []string{"("}},
		{`(?i)nav|menu`, []string{"menu", "nav"}},
		{`(?i)kelvin|\x{212A}`, []string{"k"}},
		{`^\d{4}$`, nil},
		{`(?i)posts?|x*`, nil},
	}
	for _, tt := range tests {
		q := mustQuick(tt.expr)
		var got []string
		for _, w := range q.need {
			got = append(got, string(w))
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("mustQuick(%q) needs %q, want %q", tt.expr, got, tt.want)
		}
	}
}

// TestQuickRegexpsAgree checks that each expression of the package answers
// the same with its quick test as without, on the attribute values, texts
// and label keys of every test page.
func TestQuickRegexpsAgree(t *testing.T) {
	t.Parallel()
	all := map[string]*quickRegexp{
		"authorBoxClass": authorBoxClass, "authorHeadClass": authorHeadClass, "slideshowClass": slideshowClass,
		"leadClass": leadClass, "captionClass": captionClass, "creditLine": creditLine, "creditEnd": creditEnd,
		"callToAction": callToAction, "editorsNote": editorsNote, "noteStart": noteStart, "blockedEmbed": blockedEmbed,
		"fileSize": fileSize, "readingTime": readingTime, "metaLabel": metaLabel, "datedLabel": datedLabel,
		"tailNote": tailNote, "breadcrumbClass": breadcrumbClass, "crumbSeparators": crumbSeparators,
		"bylineLead": bylineLead, "bylineMidLabel": bylineMidLabel, "gluedDate": gluedDate, "domainName": domainName,
		"bylineClass": bylineClass, "quoteClass": quoteClass, "dateClass": dateClass, "publishedClass": publishedClass,
		"updatedClass": updatedClass, "teaserClass": teaserClass, "dateLabel": dateLabel, "publishedLabel": publishedLabel,
		"updateLabel": updateLabel, "countInBrackets": countInBrackets, "countFirst": countFirst,
		"commentWords": commentWords, "noComments": noComments, "pagedPath": pagedPath, "datePath": datePath,
		"monthQuery": monthQuery, "wpMonth": wpMonth, "postPath": postPath, "categoryClass": categoryClass,
		"categoryWord": categoryWord, "currentClass": currentClass, "navClass": navClass, "copyrightLine": copyrightLine,
		"bannerClass": bannerClass, "hiddenClass": hiddenClass, "kickerClass": kickerClass,
	}
	for i, q := range authorLinkTexts {
		all["authorLinkTexts"+string(rune('0'+i))] = q
	}
	samples := []string{"", "Kelvin \u212a", "Date", "DATE-line", "ſtamp", "published: 3", "Ver\u00f6ffentlicht am",
		"post_date", "(12)", "2024-05", "/2024/05/slug/", "© 2024 by X", "FOLLOW US ON TWITTER", "share on x"}
	pages, _ := filepath.Glob("testdata/*.html")
	pages = append(pages, "testdata/bench/heise.html", "testdata/bench/lemonde-1.html", "testdata/bench/la-nacion.html")
	for _, p := range pages {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode {
				samples = append(samples, n.Data, cleanSpace(n.Data), labelKey(n.Data))
			}
			for _, a := range n.Attr {
				samples = append(samples, a.Val)
			}
			if n.Type == html.ElementNode && (n.FirstChild == nil || n.FirstChild.NextSibling == nil) {
				samples = append(samples, textOf(n), labelKey(textOf(n)))
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
	}
	// Long texts cost the expressions time and add little: their starts
	// are kept.
	for i, s := range samples {
		if len(s) > 200 {
			samples[i] = strings.ToValidUTF8(s[:200], "")
		}
	}
	slices.Sort(samples)
	samples = slices.Compact(samples)
	// Where the quick test lets a string through, the expression itself
	// answers; so each expression's answers agree with its own exactly
	// when no string its quick test turns away holds a match.
	for name, q := range all {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, s := range samples {
				if !q.mayMatch(s) && q.Regexp.MatchString(s) {
					t.Errorf("%s turns away %q, which the expression matches", name, s)
				}
			}
		})
	}
}
