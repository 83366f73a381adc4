<?php
// content.php is the fixture site's editorial content: who writes, in which
// sections, which posts, and the sentences their bodies and comments are
// made of. site.php turns it into WordPress posts; nothing here is random
// at run time (the choices use PHP's seeded Mersenne Twister, which gives
// the same numbers on every PHP since 7.1).
//
// Text is written in French typography already (’ « » …), so that
// WordPress's wptexturize leaves it as it is and the expected records can be
// the text written here.

const FOLIO_SEED = 1789;

// Authors: two with a biographical note (Twenty Twenty-One then shows an
// author box instead of its "Par X" byline) and two without.
function folio_authors(): array {
	return [
		['login' => 'cmartin', 'first' => 'Claire', 'last' => 'Martin', 'display' => 'Claire Martin',
			'bio' => 'Journaliste au service politique depuis 2015, Claire Martin suit l’Assemblée nationale, les campagnes électorales et les débats sur les institutions.'],
		['login' => 'jmoreau', 'first' => 'Julien', 'last' => 'Moreau', 'display' => 'Julien Moreau', 'bio' => ''],
		['login' => 'slefevre', 'first' => 'Sophie', 'last' => 'Lefèvre', 'display' => 'Sophie Lefèvre',
			'bio' => 'Sophie Lefèvre a été correspondante à Bruxelles et à Varsovie ; elle écrit sur l’Europe centrale, l’énergie et les questions de défense.'],
		['login' => 'edurand', 'first' => 'Étienne', 'last' => 'Durand', 'display' => 'Étienne Durand', 'bio' => ''],
	];
}

// Categories, by slug.
function folio_categories(): array {
	return [
		'politique' => 'Politique',
		'economie' => 'Économie',
		'europe' => 'L’Europe',
		'monde' => 'Monde',
		'culture' => 'Culture',
		'sciences' => 'Sciences',
		'sport' => 'Sport',
		'societe' => 'Société',
	];
}

// Posts, oldest first: title, category slug, tags (from a small set, as
// sites reuse theirs; some posts have none), subject (the noun phrase
// the body's sentences are about), and a place.
function folio_posts(): array {
	return [
		['Réforme des retraites : le gouvernement dévoile son calendrier', 'politique', ['Gouvernement'], 'la réforme des retraites', 'Paris'],
		['À Bruxelles, les Vingt-Sept cherchent un prix plafond pour le gaz', 'europe', ['Énergie', 'Union européenne'], 'le plafonnement du prix du gaz', 'Bruxelles'],
		['L’inflation ralentit légèrement en septembre', 'economie', ['Pouvoir d’achat'], 'la hausse des prix à la consommation', 'Montreuil'],
		['Au Brésil, une campagne présidentielle sous haute tension', 'monde', ['Élections'], 'le second tour de la présidentielle brésilienne', 'São Paulo'],
		['Le Festival d’automne ouvre avec une création très attendue', 'culture', [], 'la création du Festival d’automne', 'Paris'],
		['Budget 2023 : l’Assemblée entame un marathon budgétaire', 'politique', ['Budget', 'Assemblée nationale'], 'le projet de loi de finances', 'Paris'],
		['Des chercheurs cartographient les fonds marins de l’Atlantique Nord', 'sciences', ['Climat'], 'la cartographie des fonds marins', 'Brest'],
		['Coupe du monde de rugby : les Bleues rêvent d’un exploit', 'sport', [], 'la Coupe du monde féminine de rugby', 'Auckland'],
		['Logement : les loyers étudiants atteignent des sommets', 'societe', ['Pouvoir d’achat'], 'la crise du logement étudiant', 'Lyon'],
		['Pénurie de carburant : les files s’allongent devant les stations', 'economie', ['Énergie', 'Grèves'], 'la pénurie de carburant', 'Rouen'],
		['Motion de censure : l’opposition échoue à renverser le gouvernement', 'politique', ['Assemblée nationale', 'Gouvernement'], 'la motion de censure', 'Paris'],
		['Pologne : Varsovie réclame des réparations à Berlin', 'europe', ['Allemagne'], 'la demande de réparations polonaise', 'Varsovie'],
		['Prix Nobel de physique : l’intrication quantique récompensée', 'sciences', [], 'l’intrication quantique', 'Stockholm'],
		['Au Parlement, le débat sur l’énergie nucléaire s’envenime', 'politique', ['Énergie', 'Assemblée nationale'], 'la relance du nucléaire', 'Paris'],
		['Chine : un congrès du Parti sous le signe de la continuité', 'monde', [], 'le congrès du Parti communiste chinois', 'Pékin'],
		['Les musées face à la facture d’électricité', 'culture', ['Énergie'], 'la facture énergétique des musées', 'Lille'],
		['Ligue des champions : une soirée européenne riche en buts', 'sport', ['Football'], 'la soirée de Ligue des champions', 'Marseille'],
		['Hôpital : les urgences pédiatriques au bord de la saturation', 'societe', ['Santé'], 'la saturation des urgences pédiatriques', 'Nantes'],
		['Le Sénat adopte le texte sur les énergies renouvelables', 'politique', ['Énergie', 'Sénat'], 'le projet de loi sur les énergies renouvelables', 'Paris'],
		['Royaume-Uni : une nouvelle Première ministre en quelques semaines', 'europe', [], 'la succession à Downing Street', 'Londres'],
		['Les entreprises françaises face à la hausse des taux', 'economie', ['Pouvoir d’achat'], 'la hausse des taux directeurs', 'Francfort'],
		['Élections de mi-mandat : l’Amérique retient son souffle', 'monde', ['Élections'], 'les élections de mi-mandat américaines', 'Washington'],
		['Le Goncourt couronne un roman sur la mémoire', 'culture', [], 'le prix Goncourt', 'Paris'],
		['Décentralisation : les maires demandent plus de moyens', 'politique', ['Institutions'], 'le congrès des maires', 'Paris'],
		['La COP27 s’ouvre à Charm el-Cheikh', 'sciences', ['Climat'], 'la conférence sur le climat', 'Charm el-Cheikh'],
		['Tour de France 2023 : un parcours taillé pour les grimpeurs', 'sport', [], 'le parcours du Tour de France', 'Paris'],
		['Santé mentale des jeunes : un rapport alarmant', 'societe', ['Santé'], 'la santé mentale des jeunes', 'Bordeaux'],
		['Union européenne : un accord sur la fin des moteurs thermiques', 'europe', ['Climat', 'Union européenne'], 'la fin des moteurs thermiques', 'Bruxelles'],
		['Immigration : le gouvernement présente les grandes lignes de son projet', 'politique', ['Gouvernement'], 'le projet de loi sur l’immigration', 'Paris'],
		['Les prix de l’énergie pèsent sur l’industrie chimique', 'economie', ['Énergie'], 'l’industrie chimique', 'Lyon'],
		['G20 à Bali : un sommet dominé par la guerre en Ukraine', 'monde', [], 'le sommet du G20', 'Bali'],
		['Opéra : une mise en scène audacieuse de « Carmen »', 'culture', [], 'la nouvelle production de « Carmen »', 'Aix-en-Provence'],
		['Assemblée nationale : la proposition de loi sur les mégabassines divise', 'politique', ['Climat', 'Assemblée nationale'], 'les retenues d’eau agricoles', 'Niort'],
		['Le télescope James-Webb observe des galaxies très lointaines', 'sciences', [], 'les premières galaxies', 'Baltimore'],
		['Coupe du monde de football : les Bleus entrent en lice', 'sport', ['Football'], 'l’entrée en lice des Bleus', 'Doha'],
		['Précarité : les associations d’aide alimentaire débordées', 'societe', ['Pouvoir d’achat'], 'l’aide alimentaire', 'Marseille'],
		['Sénat : le débat sur la constitutionnalisation de l’IVG', 'politique', ['Institutions', 'Sénat'], 'l’inscription de l’IVG dans la Constitution', 'Paris'],
		['Allemagne : Berlin défend son plan d’aide face à ses partenaires', 'europe', ['Allemagne', 'Énergie'], 'le bouclier énergétique allemand', 'Berlin'],
		['Conseil constitutionnel : une décision très attendue sur le budget', 'politique', ['Budget', 'Institutions'], 'la décision du Conseil constitutionnel', 'Paris'],
		['Grève dans les transports : les usagers s’organisent', 'politique', ['Grèves'], 'la grève des transports', 'Paris'],
	];
}

// Sentences of a body, about {S} (the subject) in {L} (the place). A
// paragraph is two to four of them.
function folio_sentences(): array {
	return [
		'Depuis plusieurs semaines, {S} occupe une place centrale dans le débat public.',
		'À {L}, les responsables interrogés reconnaissent que le dossier est plus complexe qu’annoncé.',
		'Les premiers chiffres, publiés mardi, montrent une évolution plus lente que prévu.',
		'Pour les experts, {S} révèle surtout des fragilités anciennes, longtemps ignorées.',
		'Plusieurs élus ont déjà fait savoir qu’ils ne voteraient pas le texte en l’état.',
		'Du côté des syndicats, on dénonce une méthode jugée précipitée et peu concertée.',
		'Le calendrier, lui, reste incertain : rien ne devrait être tranché avant la fin de l’année.',
		'À {L}, beaucoup s’inquiètent des conséquences concrètes pour les ménages les plus modestes.',
		'Une économiste résume la situation d’une formule : « il n’y a pas de solution simple ».',
		'Les comparaisons avec les pays voisins montrent des écarts parfois considérables.',
		'Le ministère promet des annonces « dans les prochains jours », sans plus de précisions.',
		'Sur le terrain, les acteurs décrivent une situation tendue mais encore maîtrisée.',
		'Ce n’est pas la première fois que {S} suscite de telles réactions.',
		'Les observateurs notent toutefois un changement de ton depuis l’été.',
		'Une étude récente estime que près d’un tiers des personnes concernées ignorent leurs droits.',
		'Dans les couloirs, certains évoquent déjà un possible report.',
		'Les associations, elles, réclament davantage de transparence sur les critères retenus.',
		'Le débat dépasse largement les frontières de {L} et intéresse toute l’Europe.',
		'Reste à savoir si les engagements pris seront tenus dans la durée.',
		'À court terme, les effets devraient rester limités, selon la plupart des prévisions.',
		'Les opposants dénoncent un texte « déséquilibré » et promettent de le combattre.',
		'En coulisses, les négociations se poursuivent tard dans la nuit.',
		'La question des financements demeure, elle, entière.',
		'Pour beaucoup, {S} sera l’un des marqueurs de l’année.',
		'Les chiffres définitifs ne seront connus qu’au printemps prochain.',
		'Un rapport parlementaire avait pourtant alerté sur ces risques dès l’an dernier.',
		'Les entreprises concernées disent attendre des règles claires et stables.',
		'Certains spécialistes appellent à ne pas tirer de conclusions trop hâtives.',
		'Le sujet devrait revenir sur la table lors du prochain conseil des ministres.',
		'Dans l’opinion, les sondages montrent une majorité encore hésitante.',
	];
}

// Sub-headings for the longer posts.
function folio_headings(): array {
	return [
		'Un calendrier serré',
		'Des réactions contrastées',
		'Ce qui pourrait changer',
		'Les prochaines étapes',
		'Un débat qui dure',
	];
}

// Comment texts: none of their sentences is a sentence of a body, so that a
// body holding a comment is caught.
function folio_comment_texts(): array {
	return [
		'Merci pour cet article très clair, on comprend enfin les enjeux.',
		'Je ne partage pas du tout cette analyse : les chiffres cités datent déjà un peu.',
		'Excellent résumé. Avez-vous prévu un suivi dans quelques mois ?',
		'Il manque à mon avis le point de vue des premiers concernés.',
		'Très bon papier, comme d’habitude. Je le partage autour de moi.',
		'Quelqu’un sait où trouver le rapport dont il est question ?',
		'On nous promet la même chose chaque année, je reste sceptique.',
		'Article intéressant, mais le titre me semble un peu alarmiste.',
		'Chez nous, en Bretagne, la situation est encore différente.',
		'Bravo pour la précision des informations, c’est devenu rare.',
		'La comparaison avec nos voisins est éclairante, merci.',
		'J’aurais aimé davantage de détails sur le financement.',
	];
}

// Replies to a comment.
function folio_reply_texts(): array {
	return [
		'Tout à fait d’accord avec vous, c’est exactement ce que j’observe.',
		'Le rapport est en ligne sur le site de l’Assemblée, rubrique documents.',
		'Je ne suis pas sûre que ce soit aussi simple, mais l’idée se défend.',
		'Merci pour votre lecture attentive ; un suivi est bien prévu.',
		'Bonne remarque, nous corrigerons ce point dans la mise à jour.',
	];
}

// Commenters: names with and without initials, with accents.
function folio_commenters(): array {
	return [
		['Hélène R.', 'helene@lecteurs.example'],
		['Marc D.', 'marc@lecteurs.example'],
		['Amélie', 'amelie@lecteurs.example'],
		['Jérôme B.', 'jerome@lecteurs.example'],
		['Nadia K.', 'nadia@lecteurs.example'],
		['François', 'francois@lecteurs.example'],
	];
}

// Static pages: slug, title, paragraphs.
function folio_pages(): array {
	return [
		['a-propos', 'À propos', [
			'Le Fil de l’actu est un site d’information indépendant fondé par une équipe de journalistes.',
			'Nous publions chaque jour des articles sur la politique, l’économie, l’Europe et le monde.',
		]],
		['mentions-legales', 'Mentions légales', [
			'Directrice de la publication : Claire Martin.',
			'Hébergement : le site est hébergé par un prestataire établi dans l’Union européenne.',
			'Toute reproduction, même partielle, des contenus est soumise à autorisation.',
		]],
		['contact', 'Contact', [
			'Pour joindre la rédaction, écrivez-nous à l’adresse redaction@fil-actu.example.',
			'Nous lisons tous les messages, mais ne pouvons pas répondre à chacun.',
		]],
	];
}
