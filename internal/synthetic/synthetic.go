package synthetic

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"folio"
)

// The common vocabulary of French news, with its accents, elisions and
// typographic apostrophes, in three groups that real articles use
// differently.
var (
	// functionWords are in every article, most frequent first.
	functionWords = strings.Fields(`
le la les un une des du de d’ l’ à au aux et ou mais donc car ni que qui quoi dont où ce cette ces son sa ses leur leurs
a été est sont était étaient sera seront avait avaient ont fait faire dit selon après avant pendant depuis contre
plus moins très trop peu beaucoup encore déjà toujours jamais aujourd’hui hier demain semaine mois année`)
	// generalWords are in many articles, whatever their subject.
	generalWords = strings.Fields(`
nouveau nouvelle grand grande petit petite premier première dernier dernière important importante
français française françaises européens mondial internationale nationale régional local public publique
décision annonce projet plan mesure mesures loi décret vote débat crise risque rapport étude chiffres`)
	// topicalWords are the words of a subject: each story uses a dozen of
	// them, and other articles seldom do.
	topicalWords = strings.Fields(`
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
naïf naïve cœur sœur œil maïs Israël Haïti île forêt hôtel fête tête côte août`)
)

// Categories and Authors of the articles, chosen evenly.
var (
	Categories = []string{"Monde", "L’Europe", "Société", "Économie", "Culture", "Climat", "Sport", "Politique"}
	Authors    = []string{
		"Claire Martin", "Paul Durand", "Léa Bernard", "Hugo Petit", "Inès Moreau", "Théo Lefèvre", "Chloé Girard",
		"Noé Rousseau", "Zoé Fournier", "Jules Mercier", "Anaïs Blanc", "Louis Guérin", "Maëlle Faure", "Raphaël Roux",
		"Océane Lambert", "Gaël Bonnet", "Camille Dupont", "Élise Morel", "Mathis François", "Léonie Chevalier",
	}
)

// syllables build the pseudo-words of the long tail and of the stories.
var syllables = strings.Fields("ba bé ca ché co dé di fa fé ga gi la lé li lo ma mé mi mo na né ni no pa pé pi po ra ré ri ro sa sé si so ta té ti to va vé vi vo tion ment eur ique ance ète oï")

const (
	lexiconSize     = 200000
	articlesByStory = 30
	storyWords      = 40
	storyNames      = 3
	storyTopics     = 12 // topical words of a story
	bodyBytes       = 3000
	// Shares of the words of a text, in percent, in this order: function
	// words, general words, the story's topical words, other topical
	// words, the story's own words and names; the rest is the long tail.
	shareFunction = 35
	shareGeneral  = 5
	shareTopics   = 12
	shareTopical  = 1
	shareStory    = 32
)

// Corpus is a deterministic set of synthetic articles. Building one is
// cheap; each article is generated when asked for, so a corpus of any size
// costs no memory until its articles are used.
type Corpus struct {
	n       int
	seed    uint64
	lexicon []string
	stories []story
	start   time.Time
}

type story struct {
	words  []string // the story's vocabulary
	names  []string // its people and places, capitalised
	topics []string // the topical words of its subject
}

// New returns a corpus of n articles; the same n and seed give the same
// articles.
func New(n int, seed uint64) *Corpus {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	c := &Corpus{n: n, seed: seed, start: time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)}
	seen := map[string]bool{}
	for _, list := range [][]string{functionWords, generalWords, topicalWords} {
		for _, w := range list {
			seen[strings.ToLower(w)] = true
		}
	}
	for len(c.lexicon) < lexiconSize {
		w := pseudoWord(rng)
		if !seen[w] {
			seen[w] = true
			c.lexicon = append(c.lexicon, w)
		}
	}
	c.stories = make([]story, max(1, n/articlesByStory))
	for i := range c.stories {
		s := &c.stories[i]
		// Story words come from beyond the head of the long tail: the
		// words the tail's Zipf draws all the time are not a story's own.
		for range storyWords {
			s.words = append(s.words, c.lexicon[2000+rng.IntN(lexiconSize-2000)])
		}
		for range storyNames {
			s.names = append(s.names, capitalise(pseudoWord(rng)))
		}
		for range storyTopics {
			s.topics = append(s.topics, topicalWords[rng.IntN(len(topicalWords))])
		}
	}
	return c
}

// Len returns the number of articles.
func (c *Corpus) Len() int { return c.n }

// Articles returns the articles from index from (included) to to (excluded).
func (c *Corpus) Articles(from, to int) []folio.Article {
	out := make([]folio.Article, 0, max(0, to-from))
	for i := from; i < to; i++ {
		out = append(out, c.Article(i))
	}
	return out
}

// Article returns article i, 0 ≤ i < Len().
func (c *Corpus) Article(i int) folio.Article {
	rng := rand.New(rand.NewPCG(c.seed, uint64(i)+1))
	st := &c.stories[rng.IntN(len(c.stories))]
	g := textGen{c: c, rng: rng, st: st,
		function: rand.NewZipf(rng, 1.1, 4, uint64(len(functionWords)-1)),
		tail:     rand.NewZipf(rng, 1.05, 10, uint64(lexiconSize-1)),
	}

	var body strings.Builder
	body.Grow(bodyBytes + 300)
	for body.Len() < bodyBytes {
		g.sentence(&body, 8+rng.IntN(14))
		if rng.IntN(5) == 0 {
			body.WriteString("\n\n")
		} else {
			body.WriteByte(' ')
		}
	}
	var title strings.Builder
	title.WriteString(st.names[rng.IntN(len(st.names))])
	title.WriteByte(' ')
	g.titleWords(&title, 5+rng.IntN(6))
	var summary strings.Builder
	g.sentence(&summary, 20+rng.IntN(10))

	// Ten years of articles, at hours of the day in Paris's offsets.
	day := c.start.Add(time.Duration(rng.IntN(10*365)) * 24 * time.Hour)
	offset := 3600
	if m := day.Month(); m >= time.April && m <= time.October {
		offset = 7200
	}
	published := time.Date(day.Year(), day.Month(), day.Day(), 6+rng.IntN(16), rng.IntN(60), 0, 0, time.FixedZone("", offset))
	url := fmt.Sprintf("https://journal.example.fr/%s/article-%d/", published.Format("2006/01/02"), i)
	return folio.Article{
		ID: folio.ArticleID(url), URL: url, Site: "journal.example.fr", Language: "fr",
		Title:     title.String(),
		Summary:   summary.String(),
		Body:      strings.TrimSpace(body.String()),
		Category:  Categories[i%len(Categories)],
		Author:    Authors[rng.IntN(len(Authors))],
		Tags:      []string{st.names[0], st.words[rng.IntN(len(st.words))]},
		Published: &published,
	}
}

// Queries returns k searches of one or two words (two in half of them), as
// people type them into a news archive: mostly the names and words of one
// story, sometimes the words of its subject, such as "gouvernement" or
// "Corée".
func (c *Corpus) Queries(k int, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 0x9e7))
	out := make([]string, k)
	for i := range out {
		st := &c.stories[rng.IntN(len(c.stories))]
		word := func() string {
			switch r := rng.IntN(10); {
			case r < 2:
				return st.topics[rng.IntN(len(st.topics))]
			case r < 5:
				return st.names[rng.IntN(len(st.names))]
			default:
				return st.words[rng.IntN(len(st.words))]
			}
		}
		out[i] = word()
		if rng.IntN(2) == 0 {
			out[i] += " " + word()
		}
	}
	return out
}

type textGen struct {
	c              *Corpus
	rng            *rand.Rand
	st             *story
	function, tail *rand.Zipf
	scratch        strings.Builder
}

// sentence writes n words, capitalised and ended by a full stop.
func (g *textGen) sentence(b *strings.Builder, n int) {
	g.scratch.Reset()
	for j := range n {
		if j > 0 {
			g.scratch.WriteByte(' ')
		}
		g.word(&g.scratch)
	}
	s := g.scratch.String()
	r, size := utf8.DecodeRuneInString(s)
	b.WriteRune(unicode.ToUpper(r))
	b.WriteString(s[size:])
	b.WriteByte('.')
}

// titleWords writes n words of a headline: the story's words and topics,
// and a few function words.
func (g *textGen) titleWords(b *strings.Builder, n int) {
	for j := range n {
		if j > 0 {
			b.WriteByte(' ')
		}
		switch r := g.rng.IntN(10); {
		case r < 3:
			b.WriteString(functionWords[g.function.Uint64()])
		case r < 5:
			b.WriteString(g.st.topics[g.rng.IntN(len(g.st.topics))])
		default:
			b.WriteString(g.st.words[g.rng.IntN(len(g.st.words))])
		}
	}
}

// word writes one word of running text, drawn by the shares above.
func (g *textGen) word(b *strings.Builder) {
	r := g.rng.IntN(100)
	switch {
	case r < shareFunction:
		w := functionWords[g.function.Uint64()]
		b.WriteString(w)
		if strings.HasSuffix(w, "’") {
			// An elided article glues to the next word.
			b.WriteString(g.c.lexicon[g.tail.Uint64()])
		}
		return
	case r < shareFunction+shareGeneral:
		b.WriteString(generalWords[g.rng.IntN(len(generalWords))])
		return
	case r < shareFunction+shareGeneral+shareTopics:
		b.WriteString(g.st.topics[g.rng.IntN(len(g.st.topics))])
		return
	case r < shareFunction+shareGeneral+shareTopics+shareTopical:
		b.WriteString(topicalWords[g.rng.IntN(len(topicalWords))])
		return
	case r < shareFunction+shareGeneral+shareTopics+shareTopical+shareStory:
		if g.rng.IntN(6) == 0 {
			b.WriteString(g.st.names[g.rng.IntN(len(g.st.names))])
		} else {
			b.WriteString(g.st.words[g.rng.IntN(len(g.st.words))])
		}
		return
	}
	b.WriteString(g.c.lexicon[g.tail.Uint64()])
}

func pseudoWord(rng *rand.Rand) string {
	var w strings.Builder
	for range 2 + rng.IntN(3) {
		w.WriteString(syllables[rng.IntN(len(syllables))])
	}
	return w.String()
}

func capitalise(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[size:]
}
