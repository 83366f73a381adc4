package extract

import (
	"errors"
	"os"
	"strings"
	"testing"

	"folio"

	"golang.org/x/net/html"
)

func readGoldenPage(t *testing.T, name, pageURL string) folio.Page {
	t.Helper()
	body, err := os.ReadFile("testdata/" + name + ".html")
	if err != nil {
		t.Fatal(err)
	}
	return folio.Page{URL: pageURL, Status: 200, Body: body, FetchedAt: goldenFetchedAt}
}

// TestExtractExplained checks that the explanation names the layer and rule
// each field came from, as read from the pages.
func TestExtractExplained(t *testing.T) {
	tests := []struct {
		page, url string
		want      map[string]Origin // field → origin
	}{
		{"source-blog", sourceBlogURL, map[string]Origin{
			"title":     {"title", "rules", "h1"},
			"published": {"published", "heuristics", "first date in the article header"},
			"category":  {"category", "rules", "a[rel~=category]"},
			"body":      {"body", "rules", ".entry-content"},
			"language":  {"language", "metadata", "html[lang]"},
			"url":       {"url", "metadata", "link[rel=canonical]"},
		}},
		{"jsonld-only", "https://quotidien.example/economie/inflation-prix-alimentaires-ralentissent", map[string]Origin{
			"published": {"published", "metadata", "json-ld datePublished"},
			"author":    {"author", "metadata", "json-ld author"},
		}},
		{"microdata-es", "https://diariodelpuerto.example/ciudad/2022/11/07/el-ultimo-tranvia/", map[string]Origin{
			"published": {"published", "metadata", "microdata datePublished"},
			"category":  {"category", "metadata", "microdata articleSection"},
			"language":  {"language", "metadata", "microdata inLanguage"},
		}},
		{"dublin-core-de", "https://archiv.musterstadt.example/geschichte/bruecke-1871.html", map[string]Origin{
			"title":     {"title", "rules", "h1"},
			"published": {"published", "metadata", "meta dc:date"},
			"author":    {"author", "metadata", "meta dc:creator"},
			"tags":      {"tags", "metadata", "meta dc:subject"},
			"language":  {"language", "metadata", "meta dc:language"},
			"body":      {"body", "readability", "readability"},
		}},
		{"no-metadata-it", "https://cronache.lago.example/storie/il-ponte-di-pietra/", map[string]Origin{
			"language":  {"language", "heuristics", "text stop words"},
			"published": {"published", "heuristics", "date after a publication label"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			_, expl, err := ExtractExplained(readGoldenPage(t, tt.page, tt.url), DefaultRules())
			if err != nil {
				t.Fatal(err)
			}
			if expl.NotArticle != "" {
				t.Errorf("NotArticle = %q for an article", expl.NotArticle)
			}
			for field, want := range tt.want {
				got, ok := expl.Origin(field)
				if !ok {
					t.Errorf("no origin for %s in %+v", field, expl.Fields)
					continue
				}
				if got != want {
					t.Errorf("origin of %s = %+v, want %+v", field, got, want)
				}
			}
		})
	}
}

func TestExtractExplainedNotArticle(t *testing.T) {
	tests := []struct {
		name string
		page folio.Page
		want string
	}{
		{"listing", readGoldenPage(t, "category-listing", "https://radio.example/category/europe/"), "archive page"},
		{"404", readGoldenPage(t, "not-found", "https://ledger.example/local/no-such-story"), "404 page"},
		{"status", folio.Page{URL: "https://x.example/a", Status: 410, Body: []byte("<p>gone")}, "http status 410"},
		{"empty", folio.Page{URL: "https://x.example/a", Status: 200, Body: []byte("  ")}, "empty page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, expl, err := ExtractExplained(tt.page, DefaultRules())
			if !errors.Is(err, ErrNotArticle) {
				t.Fatalf("err = %v, want ErrNotArticle", err)
			}
			if !strings.Contains(expl.NotArticle, tt.want) || !strings.Contains(err.Error(), expl.NotArticle) {
				t.Errorf("NotArticle = %q (err %q), want %q in both", expl.NotArticle, err, tt.want)
			}
			if a.Title != "" {
				t.Errorf("record titled %q for a page that is not an article", a.Title)
			}
		})
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Le gouvernement a annoncé mardi que les prix de l'énergie seront gelés pour les ménages et pour les petites entreprises jusqu'à la fin de l'année.", "fr"},
		{"The government said on Tuesday that energy prices would be frozen for households and for small businesses until the end of the year.", "en"},
		{"Die Regierung hat am Dienstag angekündigt, dass die Energiepreise für die Haushalte und für kleine Unternehmen bis zum Jahresende eingefroren werden.", "de"},
		{"El gobierno anunció el martes que los precios de la energía se congelarán para los hogares y para las pequeñas empresas hasta el final del año.", "es"},
		{"Il governo ha annunciato martedì che i prezzi dell'energia saranno congelati per le famiglie e per le piccole imprese fino alla fine dell'anno, come previsto.", "it"},
		{"O governo anunciou na terça-feira que os preços da energia serão congelados para as famílias e para as pequenas empresas até o final do ano, como se esperava.", "pt"},
		{"De regering heeft dinsdag aangekondigd dat de energieprijzen voor de huishoudens en voor kleine bedrijven tot het einde van het jaar worden bevroren, zoals verwacht.", "nl"},
		{"政府は火曜日、家庭と中小企業向けのエネルギー価格を年末まで凍結すると発表した。これは予想通りの決定である。", "ja"},
		{"政府周二宣布，将冻结家庭和小企业的能源价格，直至年底。这一决定符合预期，市场反应平稳。", "zh"},
		{"Правительство во вторник объявило, что цены на энергию для домохозяйств и малого бизнеса будут заморожены до конца года.", "ru"},
		{"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.", ""},
		{"Paris 2024", ""},
	}
	for _, tt := range tests {
		doc, err := html.Parse(strings.NewReader("<body><nav>Home News Sport</nav><p>" + tt.text))
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := detectLanguage(doc); got != tt.want {
			t.Errorf("detectLanguage(%.40q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSplitAuthors(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Jo Baker and Ann Cook", []string{"Jo Baker", "Ann Cook"}},
		{"Jeanne Dupont et Paul Martin", []string{"Jeanne Dupont", "Paul Martin"}},
		{"Jo Baker, Ann Cook & Li Wei", []string{"Jo Baker", "Ann Cook", "Li Wei"}},
		{"Nell Porter", []string{"Nell Porter"}},
		{"The staff of the paper and the readers who wrote in", []string{"The staff of the paper and the readers who wrote in"}},
	}
	for _, tt := range tests {
		got := splitAuthors(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitAuthors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
