package wpsite

// Sentence templates of the generated articles. Placeholders in braces are
// filled from the article's facts (see facts.fill); a placeholder whose name
// starts with a capital letter gets its value capitalised. Templates use plain
// spaces around French punctuation and full noun phrases ("de le coût"):
// typeset turns them into French typography afterwards.

var titleTemplates = []string{
	"À {city}, {P} défend {project} malgré les critiques",
	"{countryName} : {P} promet {amount} pour {stake}",
	"{city} : le pari {deP} sur {stake}",
	"« {slogan} » : à {city}, {P} lance {project}",
	"Pourquoi {project} porté par {P} divise {city}",
	"{Stake} : {P} veut accélérer à {city}",
	"{In}, {P} face à la colère de {critics}",
}

var leadTemplates = []string{
	"À {city}, {role}, {P}, a présenté ce {day} {project}, censé {aim}. Doté de {amount}, il suscite déjà de vives réserves parmi {critics}.",
	"{Project} voulu par {P} franchit une étape décisive {in}. À {city}, {public} attendent des résultats concrets, tandis que {critics} dénoncent {grievance}.",
	"Après des mois de négociations, {P} a obtenu le feu vert pour {project} à {city}. L’objectif affiché : {aim} d’ici à {year}.",
	"{Stake} s’impose au cœur du débat à {city}, où {role}, {P}, défend {project}. Un chantier évalué à {amount}, que {critics} jugent mal calibré.",
	"Faut-il {aim} à tout prix ? À {city}, {P} en est convaincu{e} et lance {project}, malgré les doutes exprimés par {critics}.",
}

// middleKinds are the kinds of paragraph an article's body is made of, in
// the order they appear; each kind has alternatives. An article uses some of
// the kinds, then ends with an outlook paragraph.
var middleKinds = [][]string{
	{ // context
		"Le dossier n’est pas nouveau. Depuis {since}, {public} {deCity} réclament des mesures pour {stake}, sans jamais obtenir de réponse claire. Les précédents plans, annoncés en grande pompe, ont tous été abandonnés faute de financement.",
		"Pour comprendre l’enjeu, il faut revenir en {since}. Cette année-là, un rapport officiel pointait déjà les retards accumulés {in} sur {stake}, et recommandait d’agir « sans attendre ». Rien, ou presque, n’a bougé depuis.",
		"{city} n’est pas une ville comme les autres. Avec sa croissance rapide et ses quartiers construits à la hâte, elle concentre toutes les difficultés liées à {stake}, explique-t-on dans l’entourage {deP}.",
		"Selon les chiffres officiels, le territoire compte aujourd’hui {nb} {unit}, un niveau jugé très insuffisant par {critics}. L’écart avec les villes voisines ne cesse de se creuser.",
	},
	{ // announcement
		"Concrètement, {project} prévoit la création de {nb2} {unit} supplémentaires d’ici à {year}. Le financement sera assuré pour moitié par l’État, le reste devant provenir de partenaires privés et de bailleurs internationaux.",
		"Le calendrier est serré. Les premiers appels d’offres doivent être lancés dès {month}, pour une mise en service progressive à partir de {year}. Un comité de suivi, présidé par {P}, rendra compte chaque trimestre de l’avancement des travaux.",
		"Sur le papier, l’enveloppe de {amount} doit permettre de {aim}. Mais le détail des dépenses reste flou, et plusieurs élus réclament la publication d’un budget ligne par ligne.",
		"{P} a détaillé les grandes lignes du texte ce {day} devant la presse. {Il} a promis que {public} seraient associés à chaque étape, et qu’aucune décision ne serait prise « dans le dos des habitants ».",
	},
	{ // the protagonist's words
		"« Nous avons trop longtemps attendu. Aujourd’hui, nous avons les moyens d’agir et nous allons le faire », a assuré {P}, en rappelant que {stake} figurait parmi ses promesses de campagne.",
		"« Ce n’est pas un projet de plus, c’est un changement de méthode », insiste {Plast}. {Il} dit vouloir rompre avec « les annonces sans lendemain » qui ont, selon {lui}, découragé {public}.",
		"Interrogé{e} sur {grievance}, {P} reconnaît des « difficultés » mais refuse de parler d’échec. « Les critiques sont légitimes, nous les entendons, mais l’immobilisme coûterait bien plus cher », affirme-t-{il}.",
		"« Si nous ne faisons rien, dans dix ans il sera trop tard », prévient {P}. {Il} cite l’exemple d’autres villes de la région qui ont, selon {lui}, pris de l’avance sur {stake}.",
	},
	{ // figures
		"Les chiffres donnent la mesure du défi. Selon une étude publiée en {since2}, {pct} % des habitants {deCity} se disent directement touchés par {grievance}, un taux en hausse de {pts} points en cinq ans.",
		"Le coût total est estimé à {amount}, soit près de {pct} % du budget annuel de la collectivité. Un effort considérable, que {P} juge pourtant « raisonnable au regard de ce qui est en jeu ».",
		"D’après les services {deP}, {nb3} personnes devraient bénéficier directement du dispositif dès la première année. Un chiffre contesté par {critics}, qui l’estiment largement surévalué.",
	},
	{ // the critics
		"Du côté de {critics}, le ton est nettement moins enthousiaste : on y dénonce {grievance} et l’absence de concertation en amont. Une pétition a déjà recueilli {nb3} signatures.",
		"L’opposition, elle, parle d’un « coup de communication ». « On nous promet des merveilles à chaque élection, et rien ne change », raille un élu {deCity} qui a requis l’anonymat.",
		"Pour {critics}, le problème est ailleurs : {grievance} reste, à leurs yeux, le véritable point noir, et aucune des mesures annoncées n’y répond vraiment.",
		"Plusieurs rassemblements ont eu lieu ces dernières semaines devant la mairie {deCity}. Les manifestants réclament un moratoire tant que la question de {grievance} n’aura pas été tranchée.",
	},
	{ // the expert
		"Pour {X}, {xrole}, le projet illustre une tendance plus large. « Partout dans la région, les pouvoirs publics redécouvrent l’importance de {stake}, mais les moyens ne suivent pas toujours », observe-t-{xil}.",
		"{X}, {xrole}, invite à la prudence. « Les annonces de ce type se multiplient, mais leur mise en œuvre se heurte souvent à la faiblesse des administrations locales », souligne {Xlast}.",
		"Interrogé{xe} par notre rédaction, {X}, {xrole}, juge la démarche « intéressante mais tardive ». Selon {xlui}, tout dépendra de la capacité {deP} à convaincre {critics}.",
	},
	{ // a passer-by
		"Dans les rues {deCity}, l’annonce laisse sceptique. « On en entend parler depuis des années », soupire {V}, {vage} ans, {vjob}. « Je veux bien y croire, mais j’attends de voir les premiers résultats. »",
		"{V}, {vjob} de {vage} ans, fait partie de {public} qui suivent le dossier de près. « Pour nous, c’est une question de survie. Chaque mois de retard se paie cher », confie-t-{vil}.",
		"Au marché central {deCity}, les avis sont partagés. Certains saluent une initiative attendue, d’autres redoutent {grievance}. « On verra bien », résume {V}, {vjob}, avant de retourner à ses affaires.",
	},
	{ // abroad
		"La démarche n’est pas isolée. D’autres pays de la région ont lancé des programmes comparables ces dernières années, avec des résultats inégaux, rappelle un rapport de la Banque mondiale publié en {since2}.",
		"Les bailleurs internationaux suivent le dossier avec attention. Une délégation doit se rendre à {city} en {month} pour évaluer les besoins et, éventuellement, débloquer une aide complémentaire.",
		"Le sujet dépasse largement les frontières de {country}. Lors du dernier sommet régional, plusieurs délégations avaient insisté sur {stake}, sans parvenir à s’entendre sur un calendrier commun.",
	},
	{ // history
		"Ce n’est pas la première fois que {city} tente l’expérience. Un premier projet, lancé en {since}, avait été suspendu au bout de deux ans, victime de dépassements de coûts et de querelles politiques.",
		"{Career}, {P} a fait de {stake} l’un des axes de son action depuis son arrivée en {since}. Ses adversaires lui reprochent toutefois d’avoir longtemps tardé à passer aux actes.",
		"Le précédent gouvernement avait promis, en {since}, un plan d’urgence pour {stake}. Faute de suivi, la plupart des mesures sont restées lettre morte, rappelle {X}.",
	},
}

// geoTemplates bring Russia and North Korea into articles flagged as such,
// so that a search for "corée russie" has several answers.
var geoTemplates = []string{
	"Le contexte international pèse aussi sur le dossier. À {city}, on observe avec inquiétude le rapprochement entre la Russie et la Corée du Nord, qui bouscule les équilibres régionaux et complique la recherche de financements, estime {X}.",
	"{X} rappelle que la guerre menée par la Russie en Ukraine, et les obus que lui livrerait la Corée du Nord, ont fait flamber le prix de nombreuses matières premières. « Aucun chantier n’échappe à ce choc », souligne {Xlast}.",
	"Plusieurs diplomates en poste {in} s’inquiètent des nouvelles alliances nouées par la Russie, de la Corée du Nord à l’Iran. Selon {X}, ces tensions pourraient retarder {project} de plusieurs mois.",
}

var outlookTemplates = []string{
	"Prochaine étape : un vote du conseil, prévu en {month}. D’ici là, {P} compte multiplier les réunions publiques pour convaincre les indécis.",
	"Les premiers résultats sont attendus en {year}. D’ici là, {public} devront encore faire preuve de patience, et {critics} promettent de rester vigilants.",
	"Reste à savoir si le calendrier sera tenu. « Nous serons jugés sur les actes », reconnaît {P}, qui a donné rendez-vous à la presse dans six mois pour un premier bilan.",
	"Le débat est loin d’être clos. Une consultation publique doit s’ouvrir en {month} à la mairie {deCity}, et {critics} comptent bien s’y faire entendre.",
}
