package wpsite

import (
	"fmt"
	"strconv"
	"time"
)

// listing is an archive: the posts of the home page, a category, a tag, an
// author, a year, a month or a day, ten to a page.
type listing struct {
	path      string // page 1; page N is path + "page/N/"
	title     string // for <title>
	heading   string // the page's <h1>, "" for the home page
	bodyClass string
	posts     []int // ranks, newest first
}

func (l listing) pages() int { return max(1, (len(l.posts)+postsPerPage-1)/postsPerPage) }

func (l listing) pagePath(n int) string {
	if n == 1 {
		return l.path
	}
	return l.path + "page/" + strconv.Itoa(n) + "/"
}

func (m *model) home() listing {
	return listing{path: "/", title: SiteName, bodyClass: "home blog", posts: m.newestFirst}
}

func (m *model) categoryListing(i int) listing {
	c := categories[i]
	return listing{
		path:      "/category/" + c.slug + "/",
		title:     c.name,
		heading:   "Catégorie : " + c.name,
		bodyClass: fmt.Sprintf("archive category category-%s category-%d", c.slug, c.id),
		posts:     m.catPosts[i],
	}
}

func (m *model) tagListing(i int) listing {
	t := m.tags[i]
	return listing{
		path:      "/tag/" + t.slug + "/",
		title:     t.name,
		heading:   "Étiquette : " + t.name,
		bodyClass: "archive tag tag-" + t.slug,
		posts:     t.posts,
	}
}

func (m *model) authorListing(i int) listing {
	a := authors[i]
	return listing{
		path:      "/author/" + a.slug + "/",
		title:     a.name,
		heading:   "Auteur : " + a.name,
		bodyClass: fmt.Sprintf("archive author author-%s author-%d", a.slug, a.id),
		posts:     m.authorPosts[i],
	}
}

func (m *model) monthListing(i int) listing {
	mo := m.months[i]
	return listing{
		path:      "/" + monthKey(mo.year, mo.month) + "/",
		title:     monthTitle(mo.year, mo.month),
		heading:   "Mois : " + monthTitle(mo.year, mo.month),
		bodyClass: "archive date",
		posts:     mo.posts,
	}
}

// listings returns every listing the site links to, in the order
// ListingPaths reports them. Year and day archives exist too (WordPress has
// them) but nothing links to them.
func (m *model) listings() []listing {
	out := []listing{m.home()}
	for i := range categories {
		if len(m.catPosts[i]) > 0 {
			out = append(out, m.categoryListing(i))
		}
	}
	for i := range m.tags {
		out = append(out, m.tagListing(i))
	}
	for i := range authors {
		if len(m.authorPosts[i]) > 0 {
			out = append(out, m.authorListing(i))
		}
	}
	for i := range m.months {
		out = append(out, m.monthListing(i))
	}
	return out
}

// listingFor returns the listing at the path segments segs (page suffix
// removed), if there is one with posts.
func (m *model) listingFor(segs []string) (listing, bool) {
	switch {
	case len(segs) == 0:
		return m.home(), true
	case len(segs) == 2 && segs[0] == "category":
		for i, c := range categories {
			if c.slug == segs[1] && len(m.catPosts[i]) > 0 {
				return m.categoryListing(i), true
			}
		}
	case len(segs) == 2 && segs[0] == "tag":
		if i, ok := m.tagBySlug[segs[1]]; ok {
			return m.tagListing(i), true
		}
	case len(segs) == 2 && segs[0] == "author":
		for i, a := range authors {
			if a.slug == segs[1] && len(m.authorPosts[i]) > 0 {
				return m.authorListing(i), true
			}
		}
	case len(segs) == 1 && isDigits(segs[0], 4):
		year, _ := strconv.Atoi(segs[0])
		if posts := m.years[year]; len(posts) > 0 {
			return listing{path: "/" + segs[0] + "/", title: segs[0], heading: "Année : " + segs[0],
				bodyClass: "archive date", posts: posts}, true
		}
	case len(segs) == 2 && isDigits(segs[0], 4) && isDigits(segs[1], 2):
		if i, ok := m.monthByKey[segs[0]+"/"+segs[1]]; ok {
			return m.monthListing(i), true
		}
	case len(segs) == 3 && isDigits(segs[0], 4) && isDigits(segs[1], 2) && isDigits(segs[2], 2):
		key := segs[0] + "/" + segs[1] + "/" + segs[2]
		if posts := m.days[key]; len(posts) > 0 {
			d := m.posts[posts[0]].day
			return listing{path: "/" + key + "/", title: themeDate(d), heading: "Jour : " + themeDate(d),
				bodyClass: "archive date", posts: posts}, true
		}
	}
	return listing{}, false
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// staticPageInfo is a WordPress "page": not a post, not an article.
type staticPageInfo struct {
	id         int
	path       string
	title      string
	paragraphs []string
	links      []Link // paths, not URLs
	// Kinds of page beyond a title and paragraphs (at most one is set):
	sections    bool // a section's index: a card for each category, its name a link
	contactForm bool // a contact form (Contact Form 7's markup)
	// calendar: a month (?mois=YYYY-MM, the newest post's by default) as a
	// grid of days, its canonical address the month's. Linked with the
	// newest month in its address and kept out of the sitemap, as SEO
	// plugins keep calendars.
	calendar bool
}

// calendarLink is where the site links its calendar: the newest post's
// month.
func (m *model) calendarLink() string {
	mo := m.months[0]
	return fmt.Sprintf("%s?mois=%04d-%02d", calendarPagePath, mo.year, mo.month)
}

var publicPages = []staticPageInfo{
	{
		id: 2, path: legalPath, title: "Mentions légales",
		paragraphs: []string{
			"Le site " + SiteName + " est édité par l’association Radio Exemple, dont le siège est situé 12, rue des Ondes, 75011 Paris.",
			"Directrice de la publication : Claire Vasseur. Hébergement : Exemple Hébergement SAS, 2, avenue du Réseau, 69000 Lyon.",
			"Les articles repris d’autres médias sont cités avec un lien vers leur source. Pour toute demande, écrivez à la rédaction.",
		},
		links: []Link{{URL: membersPath, Title: "Accéder à l’espace membres"}},
	},
	{
		id: 3, path: podcastsPath, title: "Podcasts",
		paragraphs: []string{
			"Retrouvez toutes nos émissions en podcast : le journal du matin, les grands entretiens et les reportages de la rédaction.",
			"Les épisodes sont disponibles sur toutes les plateformes d’écoute. Cliquez sur « Écouter » pour suivre le direct.",
		},
	},
	{
		// Long enough to pass for an article by its length alone: its
		// title says what it is.
		id: 9, path: aboutPath, title: "À propos",
		paragraphs: []string{
			SiteName + " est une radio associative née en 2015 à Paris, d’abord diffusée sur internet, puis en DAB+ dans toute l’Île-de-France. Elle est animée par une rédaction de huit journalistes et par une cinquantaine de bénévoles, qui préparent chaque semaine plus de quarante heures de programmes.",
			"Notre ambition est simple : raconter l’actualité internationale autrement, en prenant le temps d’écouter celles et ceux qui la vivent. Nos correspondants en Europe, en Afrique, en Asie et dans les Amériques nous envoient chaque jour leurs reportages, que la rédaction complète par des entretiens avec des chercheurs, des diplomates et des acteurs de terrain.",
			"La radio est financée par les cotisations de ses membres, par des dons et par une subvention du Fonds de soutien à l’expression radiophonique. Elle ne diffuse aucune publicité commerciale et ne dépend d’aucun groupe de presse.",
			"Vous souhaitez nous rejoindre, proposer une émission ou nous signaler une erreur ? Écrivez-nous depuis la page de contact : toutes les demandes reçoivent une réponse dans la semaine.",
		},
		links: []Link{{URL: contactPath, Title: "Nous contacter"}},
	},
	{
		id: 10, path: contactPath, title: "Contact",
		paragraphs: []string{
			"Une question, une remarque sur une émission, une proposition de sujet ? Remplissez le formulaire ci-dessous, la rédaction vous répondra rapidement.",
		},
		contactForm: true,
	},
	{
		// A section's index: an introduction, then a card for each
		// category whose name links to it, each with a description, more
		// words in all than a short article's.
		id: 11, path: sectionsPath, title: "Émissions",
		paragraphs: []string{
			"Toutes les émissions de la rédaction, classées par région du monde.",
		},
		sections: true,
	},
	{
		id: 12, path: calendarPagePath, title: "Calendrier des émissions",
		paragraphs: []string{"Les émissions du mois, jour par jour."},
		calendar:   true,
	},
}

// sectionBlurb describes a category on the section index page.
func sectionBlurb(name string) string {
	return "Chaque jour, nos correspondants suivent l’actualité de la région " + name +
		" : reportages, entretiens et analyses, à écouter en direct à l’antenne ou à réécouter en podcast."
}

// privatePages is the members' section robots.txt disallows.
var privatePages = []staticPageInfo{
	{
		id: 4, path: membersPath, title: "Espace membres",
		paragraphs: []string{"Cet espace est réservé aux membres de l’association. Connectez-vous pour accéder aux archives sonores."},
		links: []Link{
			{URL: DisallowedPrefix + "archives-sonores/", Title: "Archives sonores"},
			{URL: DisallowedPrefix + "mon-compte/", Title: "Mon compte"},
		},
	},
	{
		id: 5, path: DisallowedPrefix + "archives-sonores/", title: "Archives sonores",
		paragraphs: []string{"Toutes les émissions depuis 2015, réservées aux membres."},
		links:      []Link{{URL: membersPath, Title: "Retour à l’espace membres"}},
	},
	{
		id: 6, path: DisallowedPrefix + "mon-compte/", title: "Mon compte",
		paragraphs: []string{"Gérez votre adhésion et vos préférences."},
		links:      []Link{{URL: membersPath, Title: "Retour à l’espace membres"}},
	},
}

// rfc1123 formats t in GMT the way WordPress feeds do.
func rfc1123(t time.Time) string { return t.UTC().Format("Mon, 02 Jan 2006 15:04:05 +0000") }
