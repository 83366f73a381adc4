package wpsite

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

var slugPath = regexp.MustCompile(`^/(\d{4})/(\d{2})/(\d{2})/[a-z0-9]+(-[a-z0-9]+)*/$`)

// foldTest strips accents and case with a table of its own, for checks
// that must not rely on the package's folding.
var foldTest = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "ç", "c", "î", "i",
	"ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "œ", "oe", "É", "e", "À", "a", "\u00a0", " ")

func TestContent(t *testing.T) {
	for _, n := range []int{60, 500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			site := New(Options{Articles: n})
			const base = "http://site.test"
			all := site.Expected(base)
			if len(all) != n {
				t.Fatalf("%d articles, want %d", len(all), n)
			}
			titles, urls := map[string]bool{}, map[string]bool{}
			years := map[int]bool{}
			koreaRussia, withRelated, withTags, withComments := 0, 0, 0, 0
			var folded []string
			for i, a := range all {
				folded = append(folded, strings.ToLower(foldTest.Replace(squash(a.Body))))
				if titles[a.Title] || urls[a.URL] {
					t.Errorf("%s: title or URL used twice", a.URL)
				}
				titles[a.Title], urls[a.URL] = true, true
				path := strings.TrimPrefix(a.URL, base)
				m := slugPath.FindStringSubmatch(path)
				if m == nil {
					t.Errorf("%s: not a /YYYY/MM/DD/<slug>/ URL", a.URL)
				} else if want := a.Published.Format("2006 01 02"); m[1]+" "+m[2]+" "+m[3] != want {
					t.Errorf("%s: URL date differs from published %s", a.URL, a.Published)
				}
				if h, mi, s := a.Published.Clock(); h+mi+s != 0 || a.Published.Location().String() != "Europe/Paris" {
					t.Errorf("%s: published %s, want midnight in Europe/Paris", a.URL, a.Published)
				}
				if i > 0 && !a.Published.Before(all[i-1].Published) {
					t.Errorf("%s: not older than the article before it", a.URL)
				}
				years[a.Published.Year()] = true
				paras := strings.Split(a.Body, "\n\n")
				if len(paras) < 3 || len(paras) > 12 {
					t.Errorf("%s: %d paragraphs, want 3 to 12", a.URL, len(paras))
				}
				if paras[0] != a.Summary {
					t.Errorf("%s: the summary is not the first paragraph", a.URL)
				}
				for _, p := range paras {
					if strings.TrimSpace(p) == "" || strings.ContainsAny(p, "{}") {
						t.Errorf("%s: bad paragraph %q", a.URL, p)
					}
					for _, bad := range []string{" :", " ;", " ?", " !", "« ", " »", " de le ", " de les ", " à le ", " à les ", "  "} {
						if strings.Contains(p, bad) {
							t.Errorf("%s: %q in %q", a.URL, bad, p)
						}
					}
				}
				if a.Language != "fr" || a.Author == "" || a.Category == "" || a.Category != a.Categories[0] || a.SourceURL == "" {
					t.Errorf("%s: incomplete record %+v", a.URL, a)
				}
				if strings.HasPrefix(a.SourceURL, base) {
					t.Errorf("%s: source %s is on the site itself", a.URL, a.SourceURL)
				}
				if (a.Previous == nil) != (i == len(all)-1) {
					t.Errorf("%s: previous %v", a.URL, a.Previous)
				} else if a.Previous != nil && (a.Previous.URL != all[i+1].URL || !strings.HasSuffix(a.Previous.Excerpt, " […]")) {
					t.Errorf("%s: previous %+v, want %s with an excerpt ending in […]", a.URL, a.Previous, all[i+1].URL)
				}
				for _, r := range a.Related {
					if !urls[r.URL] && !strings.HasPrefix(r.URL, base) {
						t.Errorf("%s: related %s is not on the site", a.URL, r.URL)
					}
				}
				if strings.Contains(a.Body, "Corée du Nord") && strings.Contains(a.Body, "Russie") {
					koreaRussia++
				}
				if len(a.Related) > 0 {
					withRelated++
				}
				if len(a.Tags) > 0 {
					withTags++
				}
				if a.CommentCount > 0 {
					withComments++
				}
			}
			if len(years) < 4 {
				t.Errorf("articles span %d years, want at least 4", len(years))
			}
			if koreaRussia < n/10 {
				t.Errorf("%d articles mention both Corée du Nord and Russie, want at least %d", koreaRussia, n/10)
			}
			for name, c := range map[string]int{"related": withRelated, "tags": withTags, "comments": withComments} {
				if c < n/4 || c == n {
					t.Errorf("%d articles have %s, want some but not all", c, name)
				}
			}
			// Every phrase is six words of its own body, found in no other
			// body, and holds a word few articles use.
			words := func(s string) []string {
				var out []string
				for _, w := range strings.Fields(strings.ToLower(foldTest.Replace(s))) {
					if w = strings.Trim(w, ",.;:!?«»"); w != "" {
						out = append(out, w)
					}
				}
				return out
			}
			docFreq := map[string]int{}
			holders := map[string][]int{} // six words → the articles whose body has them
			for i, a := range all {
				ws := words(a.Body)
				seen := map[string]bool{}
				for j, w := range ws {
					if !seen[w] {
						seen[w] = true
						docFreq[w]++
					}
					if j+6 <= len(ws) {
						k := strings.Join(ws[j:j+6], " ")
						if h := holders[k]; len(h) == 0 || h[len(h)-1] != i {
							holders[k] = append(h, i)
						}
					}
				}
			}
			for i, a := range all {
				pw := words(a.Phrase)
				if len(strings.Fields(a.Phrase)) != 6 || len(pw) != 6 {
					t.Errorf("%s: phrase %q is not six words", a.URL, a.Phrase)
					continue
				}
				if h := holders[strings.Join(pw, " ")]; len(h) != 1 || h[0] != i {
					t.Errorf("%s: phrase %q is in articles %v, want only #%d", a.URL, a.Phrase, h, i)
				}
				rarest := n
				for _, w := range pw {
					rarest = min(rarest, docFreq[w])
				}
				if rarest > max(3, n/50) {
					t.Errorf("%s: every word of phrase %q is in more than %d articles", a.URL, a.Phrase, max(3, n/50))
				}
			}
		})
	}
}

// TestSpreadOverYears checks the dates of a large site: one article a day at
// most, within 2020–2023 until there are more articles than days.
func TestSpreadOverYears(t *testing.T) {
	tests := []struct {
		articles    int
		first, last string
	}{
		{3, "2022-11-05", "2022-11-07"},
		{60, "2020-01-01", "2023-12-31"},
		{1461, "2020-01-01", "2023-12-31"},
		{2000, "2018-07-11", "2023-12-31"},
	}
	for _, tt := range tests {
		// TestContent checks that an article's URL carries its publication
		// day; the URLs are enough here, and much cheaper than Expected.
		all := New(Options{Articles: tt.articles}).ArticlePaths()
		days := map[string]bool{}
		for _, path := range all {
			d := strings.ReplaceAll(path[1:11], "/", "-")
			if days[d] {
				t.Errorf("%d articles: two on %s", tt.articles, d)
			}
			days[d] = true
			if d < tt.first || d > tt.last {
				t.Errorf("%d articles: %s is outside %s – %s", tt.articles, path, tt.first, tt.last)
			}
		}
		if len(all) != tt.articles {
			t.Errorf("%d articles asked, %d made", tt.articles, len(all))
		}
	}
}
