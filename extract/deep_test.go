package extract

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"folio"
)

// TestExtractDeepNesting: a page whose article sits 600 elements deep,
// more than the HTML parser's 512, still yields its record, title and
// text.
func TestExtractDeepNesting(t *testing.T) {
	for _, depth := range []int{100, 600, 5000} {
		body := `<!DOCTYPE html><html lang="fr-FR"><head><title>Le train de nuit revient – Radio Exemple</title></head>
<body class="single single-post"><article class="post"><h1 class="entry-title">Le train de nuit revient</h1>
<span class="meta">novembre 7, 2022</span><div class="entry-content">` +
			strings.Repeat("<div><span>", depth/2) +
			`<p>La ligne Paris–Nice roule de nouveau la nuit, après trois ans d’arrêt.</p>
<p>Les voyageurs retrouvent les couchettes, et la compagnie promet d’autres lignes dès l’an prochain.</p>` +
			strings.Repeat("</span></div>", depth/2) + `</div></article></body></html>`
		if depth > 512 {
			if _, err := html.Parse(strings.NewReader(body)); err == nil {
				t.Fatalf("depth %d: the parser took it: the test needs a deeper page", depth)
			}
		}
		a, err := Extract(folio.Page{
			URL: "https://radio.example/2022/11/07/le-train-de-nuit-revient/", Status: 200,
			FetchedAt: time.Date(2022, 11, 8, 9, 0, 0, 0, time.UTC), Body: []byte(body),
		}, DefaultRules())
		if err != nil {
			t.Fatalf("depth %d: %v", depth, err)
		}
		if a.Title != "Le train de nuit revient" || !strings.Contains(a.Body, "Paris–Nice") || !strings.Contains(a.Body, "l’an prochain") {
			t.Errorf("depth %d: title %q, body %q", depth, a.Title, a.Body)
		}
	}
}
