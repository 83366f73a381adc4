package wpsite

// The site always carries the source blog's article (the page of
// extract/testdata/source-blog.html) with the two posts its page links to,
// at their dates, so that its page on this site yields the same record as
// the reference page.

type anchorText struct {
	title      string
	category   int
	year       int
	month      int
	day        int
	tags       []string
	image      string // path of the picture, without the host
	source     string // the "Lire la suite" and "La source" link
	paragraphs []string
	// spacer is true when the editor left an empty paragraph after the lead,
	// as the source site's "Méditerranée" post has (it shows in its excerpt).
	spacer bool
	// relatedTitle names the anchor the "À lire aussi" line links to.
	relatedTitle string
}

const (
	sourceTitle     = "Entre la Corée du Nord et la Russie, un rapprochement symbolique mais intéressé"
	migrantsTitle   = "Méditerranée: trier les migrants comme le fait l’Italie, c’est une violation du droit selon Amnesty"
	seoulTokyoTitle = "Comment la menace nord-coréenne accélère le rapprochement entre Séoul et Tokyo"
)

var anchors = []anchorText{
	{
		title:    seoulTokyoTitle,
		category: catAsia,
		year:     2022, month: 11, day: 5,
		tags:   []string{tagNorthKorea, "Japon"},
		image:  "/wp-content/uploads/2022/11/seoul-tokyo.jpg",
		source: "https://www.rfi.fr/fr/asie-pacifique/20221105-comment-la-menace-nord-cor%C3%A9enne-acc%C3%A9l%C3%A8re-le-rapprochement-entre-s%C3%A9oul-et-tokyo",
		paragraphs: []string{
			"Face à la multiplication des tirs de missiles nord-coréens, la Corée du Sud et le Japon resserrent les rangs. Les deux voisins, longtemps brouillés par les contentieux hérités de l’histoire, multiplient les signes de rapprochement, encouragés par Washington.",
			"Jamais la Corée du Nord n’avait procédé à autant de tirs en si peu de temps. Plusieurs missiles sont tombés ces derniers jours en mer, non loin des eaux territoriales sud-coréennes, et l’un d’eux a survolé l’archipel japonais, déclenchant des alertes dans le nord du pays.",
			"À Séoul comme à Tokyo, les dirigeants ont compris qu’ils ne pouvaient plus laisser leurs querelles mémorielles paralyser leur coopération militaire. Les échanges de renseignements sur les activités de Pyongyang, un temps suspendus, ont repris, et des exercices conjoints avec la marine américaine sont désormais organisés régulièrement.",
			"Le rapprochement reste fragile. La question des travailleurs forcés coréens pendant la colonisation japonaise empoisonne toujours les relations entre les deux pays, et une partie de l’opinion sud-coréenne reste méfiante. Mais pour les deux gouvernements, la menace nord-coréenne l’emporte désormais sur les rancœurs du passé.",
			"À Pyongyang, on dénonce une « alliance hostile ». Le régime de Kim Jong-un peut, lui, compter sur le soutien diplomatique de la Russie, qui bloque avec la Chine toute nouvelle sanction au Conseil de sécurité des Nations unies.",
		},
	},
	{
		title:    migrantsTitle,
		category: catEurope,
		year:     2022, month: 11, day: 6,
		tags:   []string{"Italie", "Migrations"},
		image:  "/wp-content/uploads/2022/11/humanity-1-catane.jpg",
		source: "https://www.rfi.fr/fr/europe/20221106-m%C3%A9diterran%C3%A9e-trier-les-migrants-comme-le-fait-l-italie-c-est-une-violation-du-droit-selon-amnesty",
		spacer: true,
		paragraphs: []string{
			"Après plus de dix jours d'impasse, l'Italie a autorisé finalement un navire de l'ONG SOS Humanity, battant pavillon allemand à accoster dans le port sicilien de Catane. Mais les autorités italiennes veulent choisir à bord du bateau les migrants qu'elles accueilleront. C'est une violation du droit international, nous explique Jean-Claude Samouiller, président d'Amnesty International France.",
			"Le bateau humanitaire Humanity 1 transporte 179 migrants secourus en Méditerranée, dont 104 mineurs non accompagnés. Après l’inspection sanitaire menée à bord, les autorités italiennes n’ont autorisé que les femmes, les enfants et les personnes jugées vulnérables à débarquer. Les autres passagers ont reçu l’ordre de rester sur le navire.",
			"« Trier les personnes secourues en mer selon leur état de santé apparent, c’est contraire au droit international », estime Jean-Claude Samouiller. Pour le président d’Amnesty International France, toute personne sauvée d’un naufrage doit pouvoir débarquer dans un port sûr, sans distinction, et voir sa demande d’asile examinée individuellement.",
			"Le capitaine du Humanity 1 a refusé de quitter le port tant que tous les rescapés n’auraient pas été débarqués. L’ONG SOS Humanity a annoncé saisir la justice italienne, tandis que d’autres navires humanitaires attendent toujours, au large de la Sicile, l’autorisation d’accoster.",
		},
	},
	{
		title:    sourceTitle,
		category: catEurope,
		year:     2022, month: 11, day: 7,
		image:  "/wp-content/uploads/2022/11/train-coree-russie.jpg",
		source: "https://www.rfi.fr/fr/europe/20221107-entre-la-cor%C3%A9e-du-nord-et-la-russie-un-rapprochement-symbolique-mais-int%C3%A9ress%C3%A9",
		paragraphs: []string{
			"La Corée du Nord et la Russie annoncent reprendre leurs liaisons ferroviaires, arrêtées depuis le début de la pandémie de coronavirus. Un symbole de leur rapprochement, mais pas seulement ; la Russie a grand besoin de faciliter la logistique avec son voisin totalitaire.",
			"On l’oublie parfois, mais la Russie dispose d’une frontière terrestre avec la Corée du Nord : 19 kilomètres à peine, tout près de la ville de Vladivostok, et un seul pont ferroviaire. Fermé depuis le début de la pandémie de Covid-19 en 2019, il vient de reprendre du service. Les deux pays annoncent le rétablissement de leurs liaisons par train depuis ce samedi 05 novembre.",
			"L’annonce tombe à peine deux jours après que les services de renseignement américains ont à nouveau accusé Pyongyang de livrer en secret des obus et des missiles à la Russie pour la soutenir dans sa guerre contre l’Ukraine. Officiellement, il n’est pas question de telles livraisons. La Russie n’admet pas manquer de matériel au point d’être obligé de se fournir auprès de son allié nord-coréen, pas plus qu’elle n’admet acheter des drones à l’Iran.",
			"En revanche, expliquait récemment l’ambassade russe à Pyongyang à l’agence de presse RIA Novosti, la Russie serait intéressée pour importer des vêtements et des chaussures fabriquées en Corée du Nord. Depuis le début de la guerre, les importations russes de marques occidentales s’effondrent en effet. La Russie ne disposant pratiquement d’aucune industrie textile, elle est forcée de se retourner vers l’un de ses derniers alliés, qui va donc désormais lui fournir ses vêtements. En plus de ses obus ?",
		},
		relatedTitle: seoulTokyoTitle,
	},
}
