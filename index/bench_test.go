package index

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"folio"

	"github.com/blevesearch/bleve/v2"
)

// The benchmarks compare folio's indexing and search with raw bleve (the
// default mapping, batches of 1,000, a match query plus the default
// highlighter) on the same synthetic French documents, in the same run:
//
//	go test ./index -run '^$' -bench . -benchtime 1x -bench.docs 20000
var (
	benchDocs  = flag.Int("bench.docs", 5000, "synthetic documents indexed by the benchmarks")
	benchBatch = flag.Int("bench.batch", BatchSize, "batch size of folio's indexing in the benchmarks")
)

const rawBatch = 1000

// vocabulary of the synthetic articles: common words of French news, with
// their accents, elisions and typographic apostrophes.
var vocabulary = strings.Fields(`
le la les un une des du de d’ l’ à au aux et ou mais donc car ni que qui quoi dont où ce cette ces son sa ses leur leurs
gouvernement président ministre Assemblée Sénat élection élections réforme retraites budget économie croissance inflation
prix énergie électricité pétrole gaz climat été hiver canicule sécheresse pluie orages agriculteurs récolte blé
Europe l’Europe Union européenne Commission Bruxelles Allemagne Italie Espagne Pologne Ukraine Russie Corée Chine Japon
États-Unis Washington Moscou Kiev Pékin Séoul Paris Lyon Marseille Toulouse Lille Bordeaux Nantes Strasbourg Genève
guerre paix négociations accord traité sommet diplomatie armée troupes soldats frontière missiles sanctions embargo
migrants migration réfugiés asile frontières Méditerranée Lampedusa naufrage sauvetage
école élèves enseignants université étudiants santé hôpital médecins infirmières vaccin épidémie
justice tribunal procès juge avocat enquête police gendarmerie sécurité manifestation grève syndicats
entreprise entreprises salariés emploi chômage industrie usine automobile numérique intelligence artificielle
culture théâtre cinéma musique festival livre œuvre peintre musée exposition patrimoine Noël
sport football rugby cyclisme Tour championnat victoire défaite équipe joueur entraîneur
a été est sont était étaient sera seront avait avaient ont fait faire dit selon après avant pendant depuis contre
plus moins très trop peu beaucoup encore déjà toujours jamais aujourd’hui hier demain semaine mois année
nouveau nouvelle grand grande petit petite premier première dernier dernière important importante
français française françaises européens mondial internationale nationale régional local public publique
décision annonce projet plan mesure mesures loi décret vote débat crise risque rapport étude chiffres
naïf naïve cœur sœur œil Noël maïs Israël Haïti île forêt hôtel fête tête côte août
`)

// syllables make up the rarer words of the synthetic articles, so that
// their vocabulary is as large as real news has (tens of thousands of
// terms), rather than a few hundred words that every article contains.
var syllables = strings.Fields("ba bé ca ché co dé di fa fé ga gi la lé li lo ma mé mi mo na né ni no pa pé pi po ra ré ri ro sa sé si so ta té ti to va vé vi vo tion ment eur ique ance")

// lexicon is vocabulary followed by generatedWords pseudo-words, most
// frequent first.
var lexicon = func() []string {
	const generatedWords = 30000
	rng := rand.New(rand.NewPCG(5, 6))
	out := slices.Clone(vocabulary)
	seen := map[string]bool{}
	for len(out) < len(vocabulary)+generatedWords {
		var w strings.Builder
		for range 2 + rng.IntN(3) {
			w.WriteString(syllables[rng.IntN(len(syllables))])
		}
		if !seen[w.String()] {
			seen[w.String()] = true
			out = append(out, w.String())
		}
	}
	return out
}()

// syntheticArticles returns n French articles of about 3 KB of body each,
// the same for the same n. Words follow Zipf's law over the lexicon.
func syntheticArticles(n int) []folio.Article {
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.05, 8, uint64(len(lexicon)-1))
	words := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = lexicon[zipf.Uint64()]
		}
		return strings.Join(w, " ")
	}
	categories := []string{"Monde", "L’Europe", "Société", "Économie", "Culture", "Climat", "Sport", "Politique"}
	authors := []string{"Claire Martin", "Paul Durand", "Léa Bernard", "Hugo Petit", "Inès Moreau"}
	start := time.Date(2015, 1, 1, 8, 0, 0, 0, time.UTC)
	out := make([]folio.Article, n)
	for i := range out {
		var body strings.Builder
		for body.Len() < 3000 {
			sentence := words(8 + rng.IntN(14))
			body.WriteString(strings.ToUpper(sentence[:1]) + sentence[1:] + ". ")
			if rng.IntN(5) == 0 {
				body.WriteString("\n\n")
			}
		}
		url := fmt.Sprintf("https://blog.example.fr/%d/article-%d/", 2015+i%10, i)
		published := start.Add(time.Duration(rng.IntN(10*365*24)) * time.Hour)
		out[i] = folio.Article{
			ID: folio.ArticleID(url), URL: url, Site: "blog.example.fr", Language: "fr",
			Title:     words(6 + rng.IntN(6)),
			Summary:   words(20 + rng.IntN(10)),
			Body:      body.String(),
			Category:  categories[rng.IntN(len(categories))],
			Author:    authors[rng.IntN(len(authors))],
			Tags:      []string{lexicon[zipf.Uint64()], lexicon[zipf.Uint64()]},
			Published: &published,
		}
	}
	return out
}

// rawDocument is an article as a plain bleve user would index it.
func rawDocument(a folio.Article) map[string]interface{} {
	return map[string]interface{}{
		"url": a.URL, "site": a.Site, "title": a.Title, "summary": a.Summary, "body": a.Body,
		"category": a.Category, "author": a.Author, "tags": a.Tags, "published": *a.Published,
	}
}

func indexFolio(b *testing.B, dir string, docs []folio.Article, batch int) *Index {
	ix, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < len(docs); start += batch {
		if err := ix.Index(context.Background(), docs[start:min(start+batch, len(docs))]); err != nil {
			b.Fatal(err)
		}
	}
	return ix
}

func indexRaw(b *testing.B, dir string, docs []folio.Article) bleve.Index {
	bi, err := bleve.New(dir, bleve.NewIndexMapping())
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < len(docs); start += rawBatch {
		batch := bi.NewBatch()
		for _, a := range docs[start:min(start+rawBatch, len(docs))] {
			if err := batch.Index(a.ID, rawDocument(a)); err != nil {
				b.Fatal(err)
			}
		}
		if err := bi.Batch(batch); err != nil {
			b.Fatal(err)
		}
	}
	return bi
}

// BenchmarkIndex indexes the synthetic articles through Index and through
// raw bleve, reporting documents per second, disk per document, and the
// peak live heap during the run.
func BenchmarkIndex(b *testing.B) {
	docs := syntheticArticles(*benchDocs)
	for _, c := range []struct {
		name string
		run  func(dir string) func() error
	}{
		{"folio", func(dir string) func() error { return indexFolio(b, dir, docs, *benchBatch).Close }},
		{"raw_bleve", func(dir string) func() error { return indexRaw(b, dir, docs).Close }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var elapsed time.Duration
			var diskBytes int64
			peak := watchHeap()
			for b.Loop() {
				dir := filepath.Join(b.TempDir(), "index.bleve")
				start := time.Now()
				// Closing waits for what bleve still has to persist.
				if err := c.run(dir)(); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				diskBytes = dirSize(b, dir)
			}
			b.ReportMetric(float64(len(docs)*b.N)/elapsed.Seconds(), "docs/s")
			b.ReportMetric(float64(diskBytes)/float64(len(docs)), "disk-B/doc")
			b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
		})
	}
}

// BenchmarkSearch runs 1–2 word queries, half typed without accents and
// half with a category or date filter, with snippets, against folio's
// index; and bleve match queries with its default highlighter against the
// raw index of the same articles. It reports p50 and p99 latencies.
func BenchmarkSearch(b *testing.B) {
	docs := syntheticArticles(*benchDocs)
	ix := indexFolio(b, filepath.Join(b.TempDir(), "folio.bleve"), docs, *benchBatch)
	defer ix.Close()
	raw := indexRaw(b, filepath.Join(b.TempDir(), "raw.bleve"), docs)
	defer raw.Close()

	rng := rand.New(rand.NewPCG(3, 4))
	// Query words: the content words of the vocabulary, and as many
	// pseudo-words of middling frequency.
	content := slices.DeleteFunc(slices.Clone(vocabulary), func(w string) bool {
		return len([]rune(w)) < 5 || strings.ContainsRune(w, '’')
	})
	content = append(content, lexicon[len(vocabulary)+100:len(vocabulary)+100+len(content)]...)
	type pair struct {
		folio Query
		raw   string
	}
	queries := make([]pair, 1000)
	for i := range queries {
		text := content[rng.IntN(len(content))]
		if rng.IntN(2) == 0 {
			text += " " + content[rng.IntN(len(content))]
		}
		q := Query{Text: text}
		if i%2 == 0 {
			q.Text = string(fold([]byte(strings.ToLower(text))))
		}
		switch i % 4 {
		case 1:
			q.Category = "Économie"
		case 3:
			q.Since = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		queries[i] = pair{folio: q, raw: text}
	}

	b.Run("folio", func(b *testing.B) {
		var lat []time.Duration
		i := 0
		for b.Loop() {
			q := queries[i%len(queries)]
			i++
			start := time.Now()
			if _, err := ix.Search(context.Background(), q.folio); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		reportLatency(b, lat)
	})
	b.Run("raw_bleve", func(b *testing.B) {
		var lat []time.Duration
		i := 0
		for b.Loop() {
			q := queries[i%len(queries)]
			i++
			req := bleve.NewSearchRequest(bleve.NewMatchQuery(q.raw))
			req.Highlight = bleve.NewHighlight()
			req.Fields = []string{"url", "title", "published", "category"}
			start := time.Now()
			if _, err := raw.Search(req); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
		reportLatency(b, lat)
	})
}

// BenchmarkOpenSearch measures what a fresh "folio search" pays besides
// starting: opening the index read-only, one search with snippets, closing.
func BenchmarkOpenSearch(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "index.bleve")
	if err := indexFolio(b, dir, syntheticArticles(*benchDocs), *benchBatch).Close(); err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Search(context.Background(), Query{Text: "gouvernement europe"}); err != nil {
			b.Fatal(err)
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportLatency(b, lat)
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	at := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// watchHeap samples the live heap every 20 ms until the returned function
// is called, which gives the peak.
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak.Load()
	}
}

func dirSize(b *testing.B, dir string) int64 {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}
