package index_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"folio"
	"folio/index"
)

func Example() {
	dir, err := os.MkdirTemp("", "folio-index")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ix, err := index.Open(filepath.Join(dir, "index.bleve"), index.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	ctx := context.Background()
	url := "https://blog.example.fr/2022/11/07/coree-troupes/"
	published := time.Date(2022, 11, 7, 9, 30, 0, 0, time.UTC)
	err = ix.Index(ctx, []folio.Article{{
		ID:        folio.ArticleID(url),
		URL:       url,
		Language:  "fr",
		Title:     "La Corée du Nord envoie des troupes en Russie",
		Published: &published,
		Category:  "Monde",
		Body:      "Selon Séoul, la Corée du Nord a envoyé des soldats en Russie.",
	}})
	if err != nil {
		log.Fatal(err)
	}

	// Accents are optional, and every word must match.
	res, err := ix.Search(ctx, index.Query{Text: "coree russie"})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.Title, "|", h.Published.Format("2006-01-02"), "|", h.Category)
		fmt.Println(index.Mark(h.Snippets[0], "[", "]"))
	}

	_, err = ix.Search(ctx, index.Query{Text: `"coree russie`})
	fmt.Println(err)
	// Output:
	// La Corée du Nord envoie des troupes en Russie | 2022-11-07 | Monde
	// Selon Séoul, la [Corée] du Nord a envoyé des soldats en [Russie].
	// bad query "\"coree russie": unterminated quote at column 1
}
