package wpsite

// The word lists the generated articles are made of. Changing any of them
// changes every page of the site, which is fine: tests read the ground truth
// from Expected, never from copies of these lists.

// SiteName is the site's name, as its <title> suffix and logo show it.
const SiteName = "Radio Exemple"

const siteTagline = "L’actualité internationale en continu"

type category struct {
	name    string // as displayed: "L'Europe"
	slug    string // /category/<slug>/
	section string // the source site's section for "La source" links
	id      int
	money   string // the currency amounts are counted in
}

// categories holds the site's categories in menu order. Articles are spread
// over them evenly.
var categories = []category{
	{name: "L'Europe", slug: "leurope", section: "europe", id: 2, money: "millions d’euros"},
	{name: "Afrique", slug: "afrique", section: "afrique", id: 3, money: "millions de dollars"},
	{name: "Amériques", slug: "ameriques", section: "ameriques", id: 4, money: "millions de dollars"},
	{name: "Asie-Pacifique", slug: "asie-pacifique", section: "asie-pacifique", id: 5, money: "millions de dollars"},
	{name: "France", slug: "france", section: "france", id: 6, money: "millions d’euros"},
	{name: "Moyen-Orient", slug: "moyen-orient", section: "moyen-orient", id: 7, money: "millions de dollars"},
}

const (
	catEurope = 0
	catAsia   = 3
	catFrance = 4
)

type author struct {
	name string // as displayed in "Written by:"
	slug string // /author/<slug>/
	id   int
}

var authors = []author{
	{name: "admin", slug: "admin", id: 1},
	{name: "Claire Vasseur", slug: "claire-vasseur", id: 2},
	{name: "Marc Lefort", slug: "marc-lefort", id: 3},
	{name: "Nadia Benali", slug: "nadia-benali", id: 4},
	{name: "Thomas Girard", slug: "thomas-girard", id: 5},
}

type place struct {
	city    string // "Porto"
	country string // the country as a noun phrase with its article: "le Portugal"
	name    string // the country's bare name, for titles and tags: "Portugal"
	in      string // "au Portugal"
}

// places lists, per category (same order as categories), the cities the
// articles of that category are set in.
var places = [][]place{
	{ // L'Europe
		{"Porto", "le Portugal", "Portugal", "au Portugal"},
		{"Gdańsk", "la Pologne", "Pologne", "en Pologne"},
		{"Cluj-Napoca", "la Roumanie", "Roumanie", "en Roumanie"},
		{"Gand", "la Belgique", "Belgique", "en Belgique"},
		{"Tartu", "l’Estonie", "Estonie", "en Estonie"},
		{"Bologne", "l’Italie", "Italie", "en Italie"},
		{"Séville", "l’Espagne", "Espagne", "en Espagne"},
		{"Brno", "la Tchéquie", "Tchéquie", "en Tchéquie"},
		{"Thessalonique", "la Grèce", "Grèce", "en Grèce"},
		{"Kaunas", "la Lituanie", "Lituanie", "en Lituanie"},
		{"Graz", "l’Autriche", "Autriche", "en Autriche"},
		{"Malmö", "la Suède", "Suède", "en Suède"},
	},
	{ // Afrique
		{"Dakar", "le Sénégal", "Sénégal", "au Sénégal"},
		{"Abidjan", "la Côte d’Ivoire", "Côte d’Ivoire", "en Côte d’Ivoire"},
		{"Kinshasa", "la RDC", "RDC", "en RDC"},
		{"Bamako", "le Mali", "Mali", "au Mali"},
		{"Douala", "le Cameroun", "Cameroun", "au Cameroun"},
		{"Antananarivo", "Madagascar", "Madagascar", "à Madagascar"},
		{"Cotonou", "le Bénin", "Bénin", "au Bénin"},
		{"Lomé", "le Togo", "Togo", "au Togo"},
		{"Niamey", "le Niger", "Niger", "au Niger"},
		{"Nairobi", "le Kenya", "Kenya", "au Kenya"},
	},
	{ // Amériques
		{"Montréal", "le Canada", "Canada", "au Canada"},
		{"Bogota", "la Colombie", "Colombie", "en Colombie"},
		{"Lima", "le Pérou", "Pérou", "au Pérou"},
		{"Valparaíso", "le Chili", "Chili", "au Chili"},
		{"Porto Alegre", "le Brésil", "Brésil", "au Brésil"},
		{"Monterrey", "le Mexique", "Mexique", "au Mexique"},
		{"Port-au-Prince", "Haïti", "Haïti", "en Haïti"},
		{"La Paz", "la Bolivie", "Bolivie", "en Bolivie"},
		{"Québec", "le Canada", "Canada", "au Canada"},
		{"Guayaquil", "l’Équateur", "Équateur", "en Équateur"},
	},
	{ // Asie-Pacifique
		{"Séoul", "la Corée du Sud", "Corée du Sud", "en Corée du Sud"},
		{"Osaka", "le Japon", "Japon", "au Japon"},
		{"Hanoï", "le Viêt Nam", "Viêt Nam", "au Viêt Nam"},
		{"Manille", "les Philippines", "Philippines", "aux Philippines"},
		{"Jakarta", "l’Indonésie", "Indonésie", "en Indonésie"},
		{"Nouméa", "la Nouvelle-Calédonie", "Nouvelle-Calédonie", "en Nouvelle-Calédonie"},
		{"Dacca", "le Bangladesh", "Bangladesh", "au Bangladesh"},
		{"Oulan-Bator", "la Mongolie", "Mongolie", "en Mongolie"},
		{"Busan", "la Corée du Sud", "Corée du Sud", "en Corée du Sud"},
		{"Phnom Penh", "le Cambodge", "Cambodge", "au Cambodge"},
	},
	{ // France
		{"Lille", "la France", "France", "en France"},
		{"Rennes", "la France", "France", "en France"},
		{"Clermont-Ferrand", "la France", "France", "en France"},
		{"Besançon", "la France", "France", "en France"},
		{"Perpignan", "la France", "France", "en France"},
		{"Brest", "la France", "France", "en France"},
		{"Metz", "la France", "France", "en France"},
		{"Poitiers", "la France", "France", "en France"},
		{"Grenoble", "la France", "France", "en France"},
		{"Nantes", "la France", "France", "en France"},
		{"Amiens", "la France", "France", "en France"},
		{"Limoges", "la France", "France", "en France"},
	},
	{ // Moyen-Orient
		{"Beyrouth", "le Liban", "Liban", "au Liban"},
		{"Amman", "la Jordanie", "Jordanie", "en Jordanie"},
		{"Erbil", "l’Irak", "Irak", "en Irak"},
		{"Mascate", "Oman", "Oman", "à Oman"},
		{"Doha", "le Qatar", "Qatar", "au Qatar"},
		{"Bassora", "l’Irak", "Irak", "en Irak"},
		{"Tripoli", "le Liban", "Liban", "au Liban"},
		{"Ispahan", "l’Iran", "Iran", "en Iran"},
		{"Aqaba", "la Jordanie", "Jordanie", "en Jordanie"},
		{"Mossoul", "l’Irak", "Irak", "en Irak"},
	},
}

type firstName struct {
	name     string
	feminine bool
}

type namePool struct {
	first []firstName // 16 names
	last  []string    // 16 names
}

func m(n string) firstName { return firstName{name: n} }
func f(n string) firstName { return firstName{name: n, feminine: true} }

// people lists, per category, the names the articles' protagonists and
// passers-by get. Each article's protagonist is a distinct first+last
// combination within its category (see person), which is what makes every
// article's text its own.
var people = []namePool{
	{ // L'Europe
		first: []firstName{m("Tomasz"), f("Agnieszka"), m("Luca"), f("Giulia"), m("Jonas"), f("Ingrid"), m("Mihai"), f("Ioana"),
			m("Pieter"), f("Marta"), m("Andrius"), f("Elena"), m("Nikos"), f("Katarina"), m("Javier"), f("Lucía")},
		last: []string{"Kowalski", "Bianchi", "Lindqvist", "Popescu", "Janssens", "Petrauskas", "Papadakis", "Moreno",
			"Novák", "Schneider", "Ferreira", "Horvath", "Tamm", "Nowak", "Rossi", "De Smet"},
	},
	{ // Afrique
		first: []firstName{m("Mamadou"), f("Aminata"), m("Kouassi"), f("Fatou"), m("Ousmane"), f("Mariam"), m("Jean-Baptiste"), f("Adjoa"),
			m("Idrissa"), f("Awa"), m("Koffi"), f("Nadège"), m("Patrice"), f("Rokia"), m("Abdoulaye"), f("Clarisse")},
		last: []string{"Diallo", "Traoré", "Koné", "Mensah", "Ndiaye", "Kaboré", "Mbemba", "Sow",
			"Coulibaly", "Rakoto", "Agbodjan", "Fofana", "Kamara", "Ouédraogo", "Boateng", "Mutombo"},
	},
	{ // Amériques
		first: []firstName{m("Diego"), f("Camila"), m("Mateo"), f("Valentina"), m("Jean-Philippe"), f("Isabelle"), m("Andrés"), f("Luciana"),
			m("Rafael"), f("Fernanda"), m("Tomás"), f("Daniela"), m("Wesley"), f("Marie-Ève"), m("Joaquín"), f("Paola")},
		last: []string{"Gutiérrez", "Tremblay", "Rojas", "Silva", "Morales", "Gagnon", "Pereira", "Castillo",
			"Herrera", "Pierre-Louis", "Quispe", "Santos", "Vargas", "Côté", "Mendoza", "Lavoie"},
	},
	{ // Asie-Pacifique
		first: []firstName{m("Min-jun"), f("Ji-woo"), m("Hiroshi"), f("Yuki"), m("Minh"), f("Lan"), m("Arief"), f("Siti"),
			m("Bayar"), f("Maria"), m("Kenji"), f("Ayaka"), m("Tuan"), f("Oyuna"), m("Rizal"), f("Mei")},
		last: []string{"Kim", "Park", "Tanaka", "Nguyen", "Santoso", "Reyes", "Sato", "Tran",
			"Lee", "Watanabe", "Pham", "Wijaya", "Cruz", "Batbayar", "Choi", "Yamamoto"},
	},
	{ // France
		first: []firstName{m("Julien"), f("Claire"), m("Thomas"), f("Sophie"), m("Nicolas"), f("Élodie"), m("Mathieu"), f("Nathalie"),
			m("Olivier"), f("Camille"), m("Antoine"), f("Hélène"), m("Bruno"), f("Juliette"), m("Hugo"), f("Manon")},
		last: []string{"Lefèvre", "Moreau", "Girard", "Fournier", "Mercier", "Chevalier", "Lambert", "Bonnet",
			"Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Perrin", "Marchand", "Garnier"},
	},
	{ // Moyen-Orient
		first: []firstName{m("Karim"), f("Leila"), m("Omar"), f("Nour"), m("Samir"), f("Rania"), m("Youssef"), f("Yasmine"),
			m("Rami"), f("Dalia"), m("Hassan"), f("Salma"), m("Ali"), f("Hiba"), m("Fadi"), f("Maya")},
		last: []string{"Haddad", "Khoury", "Mansour", "Nasser", "Saleh", "Aziz", "Farah", "Hamdan",
			"Karam", "Sabbagh", "Darwish", "Jaber", "Rahimi", "Tabet", "Awad", "Nassar"},
	},
}

// experts are the French-speaking specialists the articles quote.
var experts = namePool{
	first: []firstName{f("Anne"), m("Pierre"), f("Sylvie"), m("François"), f("Isabelle"), m("Laurent"), f("Cécile"), m("Vincent"),
		f("Pauline"), m("Jérôme"), f("Agathe"), m("Benoît"), f("Delphine"), m("Xavier"), f("Laure"), m("Gilles")},
	last: []string{"Dupuis", "Renaud", "Leclerc", "Marchal", "Vidal", "Roussel", "Barbier", "Aubert",
		"Carpentier", "Dumont", "Hubert", "Lemaire", "Picard", "Royer", "Schmitt", "Tessier"},
}

type gendered struct{ masculine, feminine string }

func (g gendered) pick(feminine bool) string {
	if feminine {
		return g.feminine
	}
	return g.masculine
}

// roles are the protagonist's office.
var roles = []gendered{
	{"le maire de la ville", "la maire de la ville"},
	{"le président du conseil régional", "la présidente du conseil régional"},
	{"le ministre chargé du dossier", "la ministre chargée du dossier"},
	{"le député de la circonscription", "la députée de la circonscription"},
	{"le directeur de l’agence publique de développement", "la directrice de l’agence publique de développement"},
	{"le porte-parole du gouvernement", "la porte-parole du gouvernement"},
	{"le secrétaire d’État chargé du dossier", "la secrétaire d’État chargée du dossier"},
}

// careers are the protagonist's former trade.
var careers = []gendered{
	{"ancien avocat", "ancienne avocate"},
	{"ancien ingénieur", "ancienne ingénieure"},
	{"ancien professeur de lycée", "ancienne professeure de lycée"},
	{"ancien médecin", "ancienne médecin"},
	{"ancien syndicaliste", "ancienne syndicaliste"},
	{"ancien journaliste", "ancienne journaliste"},
	{"ancien chef d’entreprise", "ancienne cheffe d’entreprise"},
}

var expertTitles = []gendered{
	{"chercheur", "chercheuse"},
	{"économiste", "économiste"},
	{"géographe", "géographe"},
	{"politologue", "politologue"},
	{"professeur", "professeure"},
}

var institutions = []string{
	"le CNRS",
	"l’Institut de relations internationales et stratégiques",
	"l’université de Genève",
	"l’université Laval",
	"Sciences Po",
	"l’Institut de recherche pour le développement",
	"l’Inalco",
	"l’université libre de Bruxelles",
	"la Fondation pour la recherche stratégique",
}

// trades are the passers-by's jobs.
var trades = []gendered{
	{"commerçant", "commerçante"},
	{"chauffeur de taxi", "chauffeuse de taxi"},
	{"enseignant", "enseignante"},
	{"infirmier", "infirmière"},
	{"étudiant", "étudiante"},
	{"retraité", "retraitée"},
	{"agriculteur", "agricultrice"},
	{"artisan", "artisane"},
	{"employé de banque", "employée de banque"},
	{"pêcheur", "pêcheuse"},
}

type theme struct {
	key       string // file-name stem of the article's picture
	tag       string // the post tag for the theme
	project   string // a masculine noun phrase with its article
	aim       string // what the project is for, an infinitive clause
	stake     string // the issue at stake, a noun phrase with its article
	public    string // who benefits, a plural noun phrase
	critics   string // who objects, a plural noun phrase
	grievance string // what the critics object to, a noun phrase
	unit      string // what is counted, a plural noun
}

var themes = []theme{
	{"tramway", "Transports", "le projet de tramway", "relier les quartiers périphériques au centre en moins de vingt minutes",
		"la desserte des quartiers périphériques", "les usagers des transports", "les commerçants du centre", "la durée des travaux", "kilomètres de voies"},
	{"solaire", "Énergie", "le projet de parc solaire", "couvrir une partie des besoins en électricité de la région",
		"la facture énergétique des ménages", "les foyers les plus modestes", "les agriculteurs voisins", "l’emprise sur les terres agricoles", "hectares de panneaux"},
	{"eau", "Eau", "le plan de gestion de l’eau", "limiter les coupures pendant la saison sèche",
		"l’accès à l’eau potable", "les habitants des quartiers populaires", "les irrigants", "le partage de la ressource", "forages"},
	{"depistage", "Santé", "le programme de dépistage", "détecter plus tôt les maladies chroniques",
		"l’accès aux soins", "les patients", "les syndicats de soignants", "le manque de personnel", "centres de santé"},
	{"ecoles", "Éducation", "le plan de rénovation des écoles", "accueillir les élèves dans des bâtiments mieux isolés",
		"la réussite scolaire", "les familles", "les enseignants", "la suppression de classes", "établissements"},
	{"scrutin", "Élections", "le projet de réforme électorale", "redécouper les circonscriptions avant le prochain scrutin",
		"la participation des jeunes électeurs", "les électeurs", "les partis d’opposition", "le calendrier du scrutin", "bureaux de vote"},
	{"eleveurs", "Agriculture", "le plan de soutien aux éleveurs", "compenser la hausse du prix des engrais",
		"la souveraineté alimentaire", "les petits exploitants", "les coopératives", "le montant des aides", "exploitations"},
	{"accueil", "Migrations", "le dispositif d’accueil des réfugiés", "offrir un hébergement aux familles dès leur arrivée",
		"l’intégration des nouveaux arrivants", "les demandeurs d’asile", "les élus de l’opposition", "le manque de places", "places d’hébergement"},
	{"festival", "Culture", "le projet de festival international", "attirer de nouveaux visiteurs hors de la haute saison",
		"la place de la culture dans la ville", "les artistes locaux", "les riverains", "le bruit des concerts", "spectacles"},
	{"logements", "Logement", "le programme de logements sociaux", "loger les familles inscrites sur liste d’attente",
		"la crise du logement", "les jeunes ménages", "les promoteurs privés", "la hausse des loyers", "logements"},
	{"port", "Économie", "le plan de relance du port", "attirer de nouvelles compagnies maritimes",
		"l’emploi des dockers", "les salariés du port", "les syndicats de dockers", "l’automatisation des quais", "emplois"},
	{"digues", "Climat", "le plan d’adaptation au climat", "protéger les quartiers exposés aux inondations",
		"la montée des eaux", "les riverains du fleuve", "les assureurs", "le coût des digues", "kilomètres de digues"},
	{"numerique", "Numérique", "le programme de couverture numérique", "raccorder les villages isolés à l’internet à haut débit",
		"la fracture numérique", "les habitants des zones rurales", "les opérateurs privés", "le prix des abonnements", "antennes relais"},
}

var weekdays = []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

var slogans = []string{
	"Nous n’avons plus le choix",
	"Il est temps d’agir",
	"Pas question de reculer",
	"Nous serons jugés sur les actes",
	"Chaque mois compte",
	"Ce n’est qu’un début",
}

// Tags the geopolitical paragraph brings with it.
const (
	tagNorthKorea = "Corée du Nord"
	tagRussia     = "Russie"
)

// commenters and commentTexts fill the comment threads.
var commenters = []string{"Jean-Pierre", "Sylvie M.", "Karim B.", "Anne-Laure", "Patrick D.", "Fatou", "Luc", "Mireille T."}

var commentTexts = []string{
	"Merci pour cet article très complet. On aimerait en lire davantage sur le sujet !",
	"Je ne suis pas d’accord avec l’analyse : les chiffres cités me semblent très optimistes.",
	"Enfin un reportage qui donne la parole aux habitants. Bravo à la rédaction.",
	"Est-ce que vous pourriez publier le texte complet du projet ?",
	"On nous a déjà promis la même chose il y a dix ans… Je reste sceptique.",
	"Article intéressant, mais il manque le point de vue des syndicats.",
	"Très bon résumé de la situation. À suivre de près dans les prochains mois.",
	"Quelqu’un sait-il quand aura lieu la prochaine réunion publique ?",
}
