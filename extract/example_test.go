package extract_test

import (
	"errors"
	"fmt"
	"time"

	"folio"
	"folio/extract"
)

func ExampleExtract() {
	page := folio.Page{
		URL:       "https://radio.example/2022/11/07/le-train-de-nuit-revient/",
		Status:    200,
		FetchedAt: time.Date(2022, 11, 8, 9, 0, 0, 0, time.UTC),
		Body: []byte(`<!DOCTYPE html><html lang="fr-FR"><head>
<title>Le train de nuit revient &#8211; Radio Exemple</title></head>
<body class="single single-post postid-7">
<article class="post">
  <a href="/category/france/" rel="category tag">France</a>
  <h1 class="entry-title">Le train de nuit revient</h1>
  <span class="meta"><i class="material-icons">today</i>novembre 7, 2022</span>
  <div class="entry-content">
    <p>La ligne Paris–Nice roule de nouveau la nuit, après trois ans d’arrêt.</p>
    <p><a href="https://source.example/train">La source</a></p>
  </div>
  <p>Written by: <a href="/author/admin/" rel="author">admin</a></p>
</article></body></html>`),
	}
	a, err := extract.Extract(page, extract.DefaultRules())
	if errors.Is(err, extract.ErrNotArticle) {
		fmt.Println("skipped:", err)
		return
	} else if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Title)
	fmt.Println(a.Published.Format(time.RFC3339), a.Category, a.Author, a.Language)
	fmt.Println(a.Body)
	fmt.Println(a.SourceURL)
	// Output:
	// Le train de nuit revient
	// 2022-11-07T00:00:00+01:00 France admin fr
	// La ligne Paris–Nice roule de nouveau la nuit, après trois ans d’arrêt.
	// https://source.example/train
}
