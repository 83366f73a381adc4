package index

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"folio"
)

// The test corpus: a few records written by hand so that every expected
// result below can be checked by reading them.
func day(s string) *time.Time {
	t, err := time.Parse("2006-01-02 15:04 -07:00", s+" 09:30 +01:00")
	if err != nil {
		panic(err)
	}
	return &t
}

var corpus = []folio.Article{
	{
		ID: "coree-russie", URL: "https://blog.example.fr/2022/11/07/coree-troupes/", Site: "blog.example.fr",
		Title: "La Corée du Nord envoie des troupes en Russie", Published: day("2022-11-07"),
		Category: "Monde", Author: "Claire Martin", Tags: []string{"Corée", "Russie"}, Language: "fr",
		Summary: "Pyongyang aurait dépêché des soldats vers le front.",
		Body: "Selon Séoul, la Corée du Nord a envoyé plusieurs milliers de soldats en Russie.\n\n" +
			"Le Kremlin n’a pas démenti. Les analystes s’interrogent sur la contrepartie obtenue par Pyongyang.",
	},
	{
		ID: "seoul", URL: "https://blog.example.fr/2023/01/15/seoul/", Site: "blog.example.fr",
		Title: "Séoul s’inquiète des essais de missiles", Published: day("2023-01-15"),
		Category: "Monde", Author: "Paul Durand", Tags: []string{"Corée"}, Language: "fr",
		Summary: "Nouvelle série d’essais au large de la péninsule.",
		Body:    "La Corée du Sud a convoqué son conseil de sécurité après trois tirs de missiles balistiques.",
	},
	{
		ID: "moscou", URL: "https://blog.example.fr/2021/03/02/moscou/", Site: "blog.example.fr",
		Title: "Moscou durcit le ton face à Kiev", Published: day("2021-03-02"),
		Category: "Monde", Author: "Paul Durand", Tags: []string{"Russie", "Ukraine"}, Language: "fr",
		Summary: "Le ministère russe des affaires étrangères hausse le ton.",
		Body:    "La Russie masse des troupes à la frontière, affirment les services de renseignement occidentaux.",
	},
	{
		ID: "europe-migrants", URL: "https://blog.example.fr/2022/06/20/europe-migrants/", Site: "blog.example.fr",
		Title: "L’Europe face aux migrants", Published: day("2022-06-20"),
		Category: "L’Europe", Author: "Claire Martin", Tags: []string{"Migrations"}, Language: "fr",
		Summary: "Les Vingt-Sept peinent à s’accorder.",
		Body:    "Le pacte sur la migration divise l’Union. Les migrants arrivés en Italie attendent une réponse commune.",
	},
	{
		ID: "migrant-recit", URL: "https://blog.example.fr/2020/12/01/recit/", Site: "blog.example.fr",
		Title: "Un migrant raconte sa traversée", Published: day("2020-12-01"),
		Category: "Société", Author: "Léa Bernard", Tags: []string{"Migrations", "Témoignage"}, Language: "fr",
		Summary: "Récit d’un voyage de trois ans.",
		Body:    "Ahmed, migrant soudanais, a traversé la Libye avant d’atteindre Lampedusa.",
	},
	{
		ID: "ete-chaud", URL: "https://blog.example.fr/2022/08/15/ete/", Site: "blog.example.fr",
		Title: "L’été le plus chaud jamais mesuré", Published: day("2022-08-15"),
		Category: "Climat", Author: "Léa Bernard", Language: "fr",
		Summary: "Canicule record.",
		Body:    "Cet été caniculaire a battu tous les records à Paris comme à Lyon.",
	},
	{
		ID: "oeuvre-noel", URL: "https://blog.example.fr/2019/12/24/noel/", Site: "blog.example.fr",
		Title: "Une œuvre pour Noël", Published: day("2019-12-24"),
		Category: "Culture", Author: "Claire Martin", Language: "fr",
		Summary: "Un conte naïf et tendre.",
		Body:    "Le peintre expose une œuvre naïve où l’on devine un sapin de Noël.",
	},
	{
		ID: "channel", URL: "https://news.example.com/2023/05/05/channel/", Site: "news.example.com",
		Title: "Migrants cross the Channel in record numbers", Published: day("2023-05-05"),
		Category: "World", Author: "John Smith", Language: "en-GB",
		Summary: "A new record for small boat crossings.",
		Body:    "More migrants crossed the Channel this week than in any week before.",
	},
	{
		ID: "geneve-phrase", URL: "https://blog.example.fr/2023/02/10/geneve/", Site: "blog.example.fr",
		Title: "Le sommet reporté", Published: day("2023-02-10"),
		Category: "Climat", Author: "Paul Durand", Language: "fr",
		Summary: "Report d’un sommet.",
		Body:    "Les diplomates l’ont confirmé hier : les négociations sur le climat reprendront à Genève en mars.",
	},
	{
		ID: "geneve-mots", URL: "https://blog.example.fr/2023/03/01/geneve-bis/", Site: "blog.example.fr",
		Title: "Négociations : Genève, climat, reprise", Published: day("2023-03-01"),
		Category: "Climat", Author: "Paul Durand", Language: "fr",
		Summary: "Négociations, climat et Genève.",
		Body: "Genève accueille les négociations. Le climat des négociations reste tendu. " +
			"Elles reprendront sans doute. Genève, encore Genève : le climat, toujours le climat.",
	},
	{
		ID: "economie", URL: "https://blog.example.fr/2024/01/09/economie/", Site: "blog.example.fr",
		Title: "ÉCONOMIE : la croissance ralentit", Published: day("2024-01-09"),
		Category: "Économie", Author: "Léa Bernard", Language: "", // no language: the default, French
		Summary: "L’Insee revoit sa prévision.",
		Body:    "L’économie française ralentit au quatrième trimestre.",
	},
}

// newCorpusIndex returns a writable index in a temporary directory holding
// the corpus.
func newCorpusIndex(t testing.TB) *Index {
	t.Helper()
	return newIndexOf(t, corpus)
}

// newIndexOf returns a writable index in a temporary directory holding
// records, closed when the test ends.
func newIndexOf(t testing.TB, records []folio.Article) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "index.bleve"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Index(context.Background(), records); err != nil {
		t.Fatal(err)
	}
	return ix
}

func hitIDs(r Result) []string {
	ids := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids
}
