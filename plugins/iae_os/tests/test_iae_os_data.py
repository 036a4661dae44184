"""The grid as shipped, checked against the seed (004_78aefdf40b35e0f6.txt): axes, actions, every
practice's exact wording, the structure-type variants and the reconciliation with the RECAP."""

from __future__ import annotations

import pytest

from audit_bench.plugins.manager import load_plugins
from audit_bench.referential import ReferentialTree, content_hash, load_referential

import audit_bench_iae_os

# Axes: (id, title as listed in the seed's presentation, lines 13-21; RECAP "Objectifs" first words)
SEED_AXES = [
    ("1", "Accueil et intégration", "S'assurer que les personnes, qu'elles soient orientées"),
    ("2", "Accompagnement socioprofessionnel", "Veiller à la mise en œuvre et au bon déroulement"),
    ("3", "Compétences et formation", "maintien de la productivité dans le poste occupé"),
    ("4", "Développement économique, territorial et utilité sociale",
     "Concilier la viabilité économique de la structure"),
    ("5", "Pilotage du projet d'insertion", "Définir la stratégie et les orientations"),
]

# Obvious typos of the extraction corrected in the data (each noted in the YAML): id -> (seed, shipped)
CORRECTIONS = {
    "1.2.6": ("Informersuffisamment", "Informer suffisamment"),
    "1.3.4": ("soical", "social"),
    "1.3.5": ("de la structures", "de la structure"),
    "1.3.6": ("Informersalarié", "Informer le salarié"),
    "1.3.8": ("informations communiqués", "informations communiquées"),
    "3.3.1": ("Informers", "Informer"),
    "3.3.2": ("Informers", "Informer"),
    "3.3.3": ("Informers", "Informer"),
    "3.8.3": ("Informier", "Informer"),
    "4.5.7": ("des ses", "de ses"),
    "4.5.8": ("des ses", "de ses"),
}

# The RECAP's axis 1 objective (seed 004, line 389) jumps from « correspondent » to « à son projet … »;
# line 466 holds the missing layer of the text box, overlapping on « (cor)respondent ».
RECAP_LINE_389 = ("S'assurer que les personnes, qu'elles soient orientées par les différents prescripteurs ou "
                  "qu'elles se présentent spontanément, correspondent à son projet social ou d'entreprise, et de "
                  "la capacité de la structure à répondre aux spécificités du parcours vers l'emploi ;")
RECAP_LINE_466 = "respondent aux publics que la structure entend recruter, compte tenu de"

# Acronyms a seed expands: term -> (practice quoting it, seed 004 line, the seed's words, definition)
SEED_EXPANSIONS = {
    "TRE": ("2.6.2", 154, "techniques de recherche d'emploi (TRE)", "Techniques de recherche d'emploi."),
    "GPEC-T": ("4.3.6", 302, "GPEC-T (Gestion prévisionnelle des emplois du territoire)",
               "Gestion prévisionnelle des emplois du territoire."),
    "QVT": ("4.6.5", 332, "qualité de vie au travail (QVT)", "Qualité de vie au travail."),
}
OWN_DEFINITION = "(définition du module, absente des sources) "
NUMERIQUE = "Utiliser et faire évoluer les outils numériques en lien avec les besoins"

# Where the shipped practice count differs from the RECAP's Note maxi / 3: id -> (RECAP, shipped)
RECAP_EXCEPTIONS = {"1.1": (8, 7), "1.2": (11, 10), "2.6": (11, 12), "2.7": (6, 5), "4.3": (9, 10)}

# (practice id, line in seed 004, text exactly as extracted there)
SEED_PRACTICES = [
    ('1.1.1', 58, 'Travailler avec les partenaires prescripteurs du territoire'),
    ('1.1.2', 59, 'Entretenir, développer les relations de travail avec les prescripteurs'),
    ('1.1.3', 60, 'Etablir des moyens de communication efficace avec les prescripteurs'),
    ('1.1.4', 61, "Faire connaitre systématiquement mon offre d'emploi auprès de mes partenaires"),
    ('1.1.5', 62, 'Faire des retours systématiques aux prescripteurs, pour un bon suivi des parcours des personnes'),
    ('1.1.6', 63, "Réorienter les personnes se présentant spontanément, vers un prescripteur susceptible d'accorder un agrément IAE (Quand il est obligatoire)."),
    ('1.1.7', 64, 'Utiliser la plateforme inclusion pour le recrutement et la réorientation'),
    ('1.2.1', 66, 'Inscrire la "lutte contre la discrimination" dans mes pratiques de recrutement'),
    ('1.2.2', 67, "Définir mes besoins de recrutement en prenant en compte dans l'arbitrage, à la fois de : mon projet social ou d'entreprise (Nb BRSA, Cohésion équipe, mixité...) des demandes des prescripteurs mes besoins de production"),
    ('1.2.3', 68, 'Définir clairement les critères de recrutement et le profil de poste'),
    ('1.2.4', 69, 'Utiliser une grille de recrutement si plusieurs recruteurs sont concernés (ex: commission de recrutement, ou ASP+ETI, ou Direction+ASP...)'),
    ('1.2.5', 70, 'Assurer la rencontre avec les candidats avec éthique et sans jugement'),
    ('1.2.6', 71, "Informersuffisamment les candidats sur ce qu'est une SIAE et sur mon projet social et d'entreprise, mon offre de services auprès des salariés en parcours d'insertion, mes activités."),
    ('1.2.7', 72, 'Choisir le ou la candidate selon les critères de recrutement définis'),
    ('1.2.8', 73, "Formaliser le recrutement par la signature d'un contrat de travail et s'assurer de l'adhésion du candidat à mon projet social ou d'entreprise."),
    ('1.2.9', 74, 'Faire un retour systématique aux candidats non retenus'),
    ('1.2.10', 75, 'Procéder aux déclarations du personnel en temps et en heure'),
    ('1.3.1', 77, "Réaliser un bilan de santé préalable à l'embauche définitive, une visite médicale d'embauche."),
    ('1.3.2', 78, "Donner les informations sur les spécificités du contrat de travail (CDDI, CDD d'usage, contrat intérimaire, contrat de mise à disposition, ...)"),
    ('1.3.3', 79, "Présenter de façon formalisée, aux personnes accueillies, le projet social ou d'entreprise de ma structure (temps dédiés formels de présentation, des supports de communication...)"),
    ('1.3.4', 80, "Remettre des documents de présentation de ma structure, le règlement intérieur, le livret d'accueil, le projet soical ou d'entreprise, par exemple"),
    ('1.3.5', 81, 'Présenter les salariés de la structures et leurs fonctions'),
    ('1.3.6', 82, 'Informersalarié du fonctionnement de la structure, de son organisation et des conditions de travail.'),
    ('1.3.7', 83, 'Présenter la structure en organisant une visite du lieu de travail.'),
    ('1.3.8', 84, "Veiller à la compréhension et l'appropriation des informations communiqués"),
    ('1.3.9', 85, 'Utiliser et faire évoluer les outils numériques en lien avec les besoins'),
    ('2.1.1', 98, "S'assurer des compétences des personnes en charge du suivi des salariés en insertion en lien avec le référent de parcours extérieur à la structure"),
    ('2.1.2', 99, 'Etablir un diagnostic de la situation sociale : santé, logement, mobilité, prévention, justice, sécurité, illettrisme, accès au numérique.'),
    ('2.1.3', 100, 'Etablir un diagnostic de la situation professionnelle : formation initiale, formation continue, expérience professionnelle, diagnostic des acquis, des potentiels et des motivations.'),
    ('2.1.4', 101, 'Formaliser la situation familiale, prof. et sociale de la personne (papier ou numérique...)'),
    ('2.1.5', 102, 'Identifier et formaliser les atouts et les difficultés de la personne'),
    ('2.1.6', 103, 'Identifier le projet personnel et professionnel de la personne ainsi que les échéances'),
    ('2.1.7', 104, 'Utiliser et faire évoluer les outils numériques en lien avec les besoins'),
    ('2.2.1', 106, 'Définir ensemble les étapes du parcours, au regard de son projet'),
    ('2.2.2', 107, 'Définir ensemble des objectifs réalistes concertés avec la personne au regard de son projet'),
    ('2.2.3', 108, 'Définir ensemble des actions, ou des réponses possibles'),
    ('2.2.4', 109, "Se mettre d'accord sur les temps d'accompagnement socioprofessionnel et sur les modalités de travail et les échéances"),
    ('2.2.5', 110, "S'engager mutuellement sur les moyens pour atteindre les objectifs d'insertion"),
    ('2.2.6', 111, 'Faire des points et bilans réguliers'),
    ('2.2.7', 112, 'Activer les partenariats et experts selon les besoins et attentes de la personnes'),
    ('2.2.8', 113, "Faire preuve d'écoute et d'empathie tout au long du parcours"),
    ('2.2.9', 114, 'Utiliser et faire évoluer les outils numériques en lien avec les besoins'),
    ('2.3.1', 116, 'Présenter le contexte de travail, et expliquer les tâches à réaliser (quoi, qd, où avec qd comment...)'),
    ('2.3.2', 117, 'Donner les consignes de travail'),
    ('2.3.3', 118, 'Vérifier le matériel disponible pour la mission de travail - AI et ETTI, ou fournir les outils et matériels nécessaires - ACI et EI'),
    ('2.3.4', 119, "S'assurer de la qualité des conditions de travail (durant la mission en AI et ETTI et sur les chantiers en EI et ACI)"),
    ('2.3.5', 120, 'Veiller à la prise en main du matériel et des outils'),
    ('2.3.6', 121, "Faire respecter les règles d'hygiène et de sécurité"),
    ('2.3.7', 122, 'Faire appliquer le règlement intérieur et le Code du Travail, donner les informations relatives au cadre légal des missions en AI et ETTI'),
    ('2.3.8', 123, "S'assurer de la bonne compréhension des informations communiquées"),
    ('2.3.9', 124, 'Utiliser et faire évoluer les outils numériques en lien avec les besoins'),
    ('2.4.1', 126, "Elaborer avec la personne des objectifs d'insertion tenant compte des évolutions constatées (redynamisation, motivation, estime de soi, découverte de métiers, de l'entreprise, acquisition de compétences,...)"),
    ('2.4.2', 128, 'Définir des moyens, les actions à mettre en place (orientation, missions ou poste de travail adaptés, formation, ...)'),
    ('2.4.3', 129, 'Aider à la (re)définition, à la validation du projet professionnel'),
    ('2.4.4', 130, 'Conseiller et accompagner dans les différentes démarches personnelles (santé, administratives, budget, famille, hébergement, mobilité, ...)'),
    ('2.4.5', 131, 'Etre en lien régulier avec les partenaires sociaux et construire des solutions avec des partenaires extérieurs'),
    ('2.4.6', 132, 'Mettre en place des actions collectives, des ateliers selon les besoins des publics'),
    ('2.4.7', 133, 'Proposer aux salariés en parcours des actions mutualisées sur le territoire'),
    ('2.4.8', 134, 'Participer aux comités de suivi et CTA'),
    ('2.4.9', 135, 'Assurer le suivi des missions en entreprise, chez les particuliers (AI)'),
    ('2.4.10', 136, "Mobiliser des mesures spécifiques d'évaluation externe (PMSMP et autres prestations)"),
    ('2.4.11', 137, 'Assurer une régulation régulière avec les salariés pour des réajustements aux postes'),
    ('2.4.12', 138, "Travailler en interne, collectivement et de façon partagée à la gestion des parcours d'insertion (temps de régulation et d'échanges entre tous les permanents)"),
    ('2.4.13', 139, 'Faire régulièrement des évaluations et des bilans de parcours'),
    ('2.4.14', 140, 'Utiliser et faire évoluer les outils numériques en lien avec les besoins'),
    ('2.5.1', 142, "Positionner les salariés sur un poste de travail, une mission dans le respect des objectifs d'insertion fixés"),
    ('2.5.2', 143, "Veiller au respect des objectifs d'insertion fixés avec la personne sur la durée du parcours"),
    ('2.5.3', 144, 'Assurer le suivi des missions en entreprise, et chez les particuliers (pour les MAD)'),
    ('2.5.4', 145, 'Observer les comportements au travail et savoir-être'),
    ('2.5.5', 146, 'Evaluer les compétences et acquisitions techniques (savoir-faire, savoir-être)'),
    ('2.5.6', 147, "Utiliser le principe d'auto-évaluation des compétences et du parcours avec le salarié en parcours"),
    ('2.5.7', 148, 'Organiser le travail, la mission, les postes de travail dans le respect de la diversité, de la mixité des publics et des caractéristiques personnelles et professionnelles de chacun'),
    ('2.5.8', 149, 'Repérer, identifier les incapacités et inaptitudes physiques'),
    ('2.5.9', 150, 'Négocier une ré-orientation des tâches confiées'),
    ('2.5.10', 151, 'Utiliser et faire évoluer les outils numériques en lien avec les besoins'),
    ('2.6.1', 153, "Proposer des offres d'emploi, autant que possible et selon les objectifs définis avec la personne"),
    ('2.6.2', 154, 'Organiser et mettre en place des actions de techniques de recherche d\'emploi (TRE) (réaliser l\'aide à la rédaction de CV, de lettre de motivation, réaliser des sessions de TRE individualisée "à la demande")'),
    ('2.6.3', 155, 'S\'appuyer sur un réseau "emploi-formation" (Pôle Emploi, ML, PLIE, OF, ...)'),
    ('2.6.4', 156, "Etablir et tenir à jour un fichier d'entreprises partenaires, impliquées"),
    ('2.6.5', 157, "Développer le réseau d'entreprises partenaires solidaires"),
    ('2.6.6', 158, 'Mettre en relation des entreprises qui recrutent et des salariés, aux compétences correspondantes'),
    ('2.6.7', 159, 'Utiliser des mesures de mise en situation de travail en entreprise (PMSMP, MRS ...)'),
    ('2.6.8', 160, "Accompagner les démarches administratives d'embauche (salarié et entreprise)"),
    ('2.6.9', 161, 'Négocier des embauches auprès des entreprises clientes ou partenaires'),
    ('2.6.10', 162, "Veiller à l'appropriation des compétences et à leur valorisation par les personnes (techniques et transférables)"),
    ('2.6.11', 163, 'Orienter vers une autre SIAE, vers le milieu protégé, vers la formation'),
    ('2.6.12', 164, 'Utiliser et faire évoluer les outils numériques en lien avec les besoins'),
    ('2.7.1', 167, 'Réaliser des bilans intermédiaires de suivi à mi- parcours (contrat en cours) et articuler le travail avec les partenaires extérieurs'),
    ('2.7.2', 168, 'Réaliser un bilan de fin de contrat ou de mission, de façon partagé en interne'),
    ('2.7.3', 169, 'Proposer un renouvellement de contrat ou formaliser la non reconduction du contrat'),
    ('2.7.4', 170, 'Assurer un suivi post-action, après le départ du salarié de la structure, (pendant 3 mois, pendant 6 mois, pendant plus de 6 mois)'),
    ('2.7.5', 171, "Remettre au salarié son livret de validation et d'acquisition de compétences (ainsi que les modalités d'utilisation qu'il va pouvoir en faire) - Cf. 3.8"),
    ('3.1.1', 176, "Prendre en compte l'environnement et le contexte de sa structure dans la définition de sa politique formation et de sa mise en œuvre"),
    ('3.1.2', 177, 'Inscrire la Formation des salariés en parcours dans la stratégie de la SIAE'),
    ('3.1.3', 178, "Formaliser les axes opérationnels de la formation dans le projet d'entreprise ou associatif"),
    ('3.1.4', 179, 'Développer un partenariat et mobiliser les acteurs de la formation (OPCO, organismes de formation, acteurs territoriaux de la Région...)'),
    ('3.1.5', 180, 'Réaliser une veille sur la formation professionnelle'),
    ('3.2.1', 182, 'Définir des objectifs annuels ou pluriannuels de développement des compétences'),
    ('3.2.2', 183, 'Formaliser un plan de développement des compétences de la SIAE'),
    ('3.2.3', 184, 'Evaluer le plan de développement des compétences de la SIAE'),
    ('3.2.4', 185, 'Identifier un référent formation au sein de la SIAE'),
    ('3.2.5', 186, 'Collaborer avec les acteurs du territoire (dont SIAE) pour mutualiser les formations'),
    ('3.3.1', 188, 'Informers les salariés sur leurs droits à la formation'),
    ('3.3.2', 189, 'Informers les salariés sur la démarche de formation proposée au sein de la SIAE'),
    ('3.3.3', 190, "Informers les salariés sur l'offre de formation mobilisable"),
    ('3.3.4', 191, 'Promouvoir et valoriser la formation auprès des salariés les parcours'),
    ('3.4.1', 193, 'Repérer et formaliser les freins à la formation'),
    ('3.4.2', 194, "Identifier et formaliser les leviers et points d'appui favorisant la formation"),
    ('3.4.3', 195, 'Impulser la motivation pour la formation (posture, communication, actions..)'),
    ('3.5.1', 197, "Repérer les compétences acquises et développées par les salariés (à l'entrée, lors des évaluations, à la suite de formations)"),
    ('3.5.2', 198, "Tracer les compétences acquises et développées par les salariés (à l'entrée, lors des évaluations, à la suite de formations)"),
    ('3.5.3', 199, 'Repérer les compétences requises (poste occupé et/ou projet professionnel)'),
    ('3.5.4', 200, 'Identifier à un instant T, les besoins en formation (écart entre compétences acquises et requises)'),
    ('3.5.5', 201, 'Rechercher les autres contributions possibles pour répondre aux besoins identifiés'),
    ('3.5.6', 202, "Définir et formaliser des parcours pédagogiques avec chaque salarié permettant d'atteindre un objectif professionnel"),
    ('3.6.1', 205, "Rechercher l'offre de formation existante accessible aux salariés en parcours (auprès des organismes de formation, via RAFAEL: offre régionale, OPCO...)"),
    ('3.6.2', 206, "Prescrire des salariés sur l'offre existante"),
    ('3.7.1', 208, 'Associer les acteurs concernés internes (au sein de la ou des SIAE) et externes (employeurs, branches)'),
    ('3.7.2', 209, 'Définir des objectifs de formation'),
    ('3.7.3', 210, "Définir les modalités d'action (réalisées en interne/externe, tout ou partie à distance, en situation de travail...)"),
    ('3.7.4', 211, "Identifier les contraintes organisationnelles (lieu, planning, durée...) et modalités de suivi et d'évaluation de l'action"),
    ('3.7.5', 212, "Rédiger un cahier des charges de formation et afficher les critères de sélection de l'offre"),
    ('3.7.6', 213, 'Identifier des organismes de formation et diffuser le cahier des charges de formation'),
    ('3.7.7', 214, 'Sélectionner une offre de formation et négocier avec les organismes de formation'),
    ('3.8.1', 216, 'Rechercher des financements pour les projets de formation'),
    ('3.8.2', 217, 'Monter les dossiers de formation'),
    ('3.8.3', 218, "Informier et veiller à l'appropriation de l'offre de formation par les acteurs de la SIAE (salariés permanents et en parcours)"),
    ('3.8.4', 219, "Planifier l'offre et les parcours de formation"),
    ('3.8.5', 220, 'Constituer les groupes de formation'),
    ('3.8.6', 221, "Mutualiser l'action de formation avec des partenaires (SIAE, entreprises, prescripteurs...)"),
    ('3.8.7', 222, 'Organiser la logistique des parcours de formation'),
    ('3.9.1', 224, 'Accompagner et soutenir le salarié dans son parcours de formation'),
    ('3.9.2', 225, 'Suivre le bon déroulement de la formation'),
    ('3.9.3', 226, 'Veiller à la mise en application des compétences développées'),
    ('3.9.4', 227, "Assurer un suivi pédagogique en lien avec le formateur et l'organisme de formation"),
    ('3.10.1', 229, "Inscrire la Fest dans la stratégie de formation de la SIAE, et formaliser la démarche dans le projet d'entreprise ou associatif"),
    ('3.10.2', 230, 'Définir des objectifs pédagogiques'),
    ('3.10.3', 231, 'Définir les moyens dédiés à la mise en place de la FEST (humain, financier, temps dédié, organisation, outils et méthodes...)'),
    ('3.10.4', 232, 'Repérer les situations de travail formatives (situations de travail reproductibles ou pérennes)'),
    ('3.10.5', 233, 'Créer des contenus et supports pédagogiques'),
    ('3.10.6', 234, 'Concevoir des actions pour le développement des compétences transférables'),
    ('3.10.7', 235, 'Proposer une action de Formation en situation de travail en lien avec le parcours des personnes et/ou en lien avec les objectifs de production'),
    ('3.11.1', 238, 'Animer et remédier des temps de formation'),
    ('3.11.2', 239, 'Accompagner le salarié dans ses phases de réflexivité (formalisation des process de travail)'),
    ('3.11.3', 240, "Définir les phases d'évaluation et les évaluateurs (ETI, OF externe, professionnel du secteur)"),
    ('3.11.4', 241, 'Evaluer les compétences acquises (savoir-faire et savoir-être professionnels)'),
    ('3.12.1', 243, 'Evaluer les acquis et compétences tout au long du parcours avec le salarié concerné'),
    ('3.12.2', 244, 'Capitaliser et analyser les évolutions des acquis tout au long du parcours avec le salarié concerné'),
    ('3.12.3', 245, 'Proposer les formations selon les besoins (3.4)'),
    ('3.13.1', 247, "Veiller à l'appropriation par le salarié de ses acquis et compétences et de ses évolutions dans son parcours"),
    ('3.13.2', 248, 'Permettre la reconnaissance des acquis et des compétences des salariés en parcours (RAE, Différent et Compétent, Open Badge, jury de professionnels...)'),
    ('3.13.3', 249, "Remettre au salarié son livret de validation et d'acquisition de compétences (ainsi que les modalités)"),
    ('3.13.4', 250, 'Orienter les salariés vers la formation diplômante, qualifiante et/ou certifiante'),
    ('3.14.1', 252, "Définir ses indicateurs d'impact (taux de satisfaction, taux de retour à l'emploi, ...)"),
    ('3.14.2', 253, 'Recueillir et capitaliser les données quantitatives et qualitatives de bilan'),
    ('3.14.3', 254, 'Analyser les données quantitatives et qualitatives de bilan'),
    ('3.14.4', 255, 'Valoriser les et rendre compte auprès des financeurs et parties prenantes concernées'),
    ('4.1.1', 270, 'Développer une stratégie commerciale avec la promotion des produits/des prestations auprès des clients potentiels'),
    ('4.1.2', 271, 'Avoir un plan de développement commercial en lien avec sa stratégie'),
    ('4.1.3', 272, 'Avoir une stratégie tarifaire formalisée et un positionnement territorial clair'),
    ('4.1.4', 273, "Faire la promotion de son projet d'entreprise et/ou associatif"),
    ('4.1.5', 274, 'Utiliser des outils de communication adaptés (prospectus, flyers, outils numériques)'),
    ('4.1.6', 275, 'Connaître ses coûts, ses clients'),
    ('4.1.7', 276, 'Calculer un coût de revient'),
    ('4.1.8', 277, "Chercher des niches d'activité nouvelles"),
    ('4.1.9', 278, "Se doter des compétences nécessaires pour répondre aux appels d'offre publics (veille, et outils)"),
    ('4.1.10', 279, 'Utiliser des tableaux de bords pour faire son "suivi clients"'),
    ('4.1.11', 280, 'Evaluer régulièrement sa "relation clients" et ses clients potentiels'),
    ('4.1.12', 281, 'Mettre en place les moyens pour fidéliser ses clients'),
    ('4.1.13', 282, 'Prendre en compte sa capacité de production dans sa démarche de prospection'),
    ('4.1.14', 283, 'Contribuer au développement de sa filière'),
    ('4.2.1', 285, 'Cultiver sa particularité de SIAE et maintenir sa différenciation, par rapport aux entreprises classiques'),
    ('4.2.2', 286, 'Avoir et mettre à jour un diagnostic économique et social de territoire'),
    ('4.2.3', 287, 'Avoir ou définir un plan de développement de son activité économique et sociale'),
    ('4.2.4', 288, 'Développer des activités répondant à des besoins non satisfaits du territoire (économiques et sociaux)'),
    ('4.2.5', 289, "Réaliser les étapes nécessaires d'un plan de développement économique et social"),
    ('4.2.6', 290, 'Créer du lien et des partenariats avec les acteurs économiques et sociaux du territoire pour développer son activité'),
    ('4.2.7', 291, 'Utiliser des outils de suivi du plan développement économique et social'),
    ('4.2.8', 292, 'Assurer la veille économique et sociale de son territoire'),
    ('4.2.9', 293, "Mutualiser avec d'autres SIAE (et/ou autres) ses ressources humaines : accompagnement des parcours, direction, développement, liens entreprises, ..."),
    ('4.2.10', 294, "Mutualiser avec d'autres SIAE (et/ou autres) pour développer ses missions : achat matériel, réponses appels d'offre groupées, achat et ingénierie de formation..."),
    ('4.3.1', 297, "Avoir et mettre à jour un fichier d'entreprises partenaires"),
    ('4.3.2', 298, 'Analyser avec les entreprises les besoins en activités, emplois et compétences'),
    ('4.3.3', 299, 'Participer à des dispositifs de rapprochement avec les entreprises (Ex: VITA AIR, SEVE, IOD, Parcours gardien...)'),
    ('4.3.4', 300, 'Etre en veille sur les besoins en emploi et compétences du territoire (BMO, services éco des collectivités, branches professionnelles, ...)'),
    ('4.3.5', 301, 'Accompagner le transfert des compétences des salariés vers les entreprises "classiques"'),
    ('4.3.6', 302, 'Formaliser sa GPEC-T (Gestion prévisionnelle des emplois du territoire)'),
    ('4.3.7', 303, 'Utiliser en interne des outils de gestions des compétences'),
    ('4.3.8', 304, "Faire la promotion des valeurs de l'ESS et de la lutte contre les discriminations."),
    ('4.3.9', 305, "Aider les entreprises à développer leurs procédures de recrutement, d'accueil et d'encadrement"),
    ('4.3.10', 306, 'Développer son rôle de partenaire RH au service des entreprises du territoire'),
    ('4.4.1', 308, 'Tenir à jour un listing des acteurs (parties prenantes externes) de son territoire'),
    ('4.4.2', 309, "Assurer la veille de l'évolution économique et social de son territoire"),
    ('4.4.3', 310, "S'impliquer au titre de sa SIAE dans des instances locales et réunion de travail pour le développement de son territoire"),
    ('4.4.4', 311, 'Engager sa SIAE dans des actions locales pour le développement de son territoire'),
    ('4.4.5', 312, 'Gouverner sa SIAE avec des acteurs locaux et des membres bénévoles de son territoire'),
    ('4.4.6', 313, "Participer à la gouvernance d'autres entreprises et associations locales"),
    ('4.4.7', 314, 'Evaluer régulièrement la pertinence des relations avec les acteurs (parties prenantes externes) de son territoire et réajuster son implication'),
    ('4.5.1', 316, 'Rechercher et diversifier des partenariats financiers privés (dons et mécénats)'),
    ('4.5.2', 317, 'Etre en lien régulièrement avec ses financeurs publics (collectivités, départements, région...)'),
    ('4.5.3', 318, "Assurer la veille et répondre à des appels à projet du secteur privé (entreprises, fondations, réseaux de l'IAE)"),
    ('4.5.4', 319, 'Assurer la veille et répondre à des appels à projet du secteur public'),
    ('4.5.5', 320, 'Mener une lecture analytique des comptes de sa SIAE'),
    ('4.5.6', 321, 'Utiliser des tableaux de bord de suivi économique et financier'),
    ('4.5.7', 322, 'Revoir régulièrement la pertinence des ses indicateurs de suivi et les faire évoluer si besoin'),
    ('4.5.8', 323, 'Assurer un suivi régulier des ses activités avec son instance dirigeante (CA et autres)'),
    ('4.5.9', 324, "Formaliser annuellement ses résultats économiques et financiers (rapport d'activité, bilan...)"),
    ('4.5.10', 325, 'Assurer régulièrement des comités de pilotage ou de suivi avec ses financeurs et ses partenaires'),
    ('4.6.1', 328, 'Instaurer une gouvernance participative'),
    ('4.6.2', 329, 'Impliquer les salariés dans la vie de sa SIAE'),
    ('4.6.3', 330, 'Veiller au renouvellement des bénévoles au sein des instances dirigeantes'),
    ('4.6.4', 331, "S'engager dans des instances territoriales"),
    ('4.6.5', 332, 'Veiller au bien-être au travail et à la qualité de vie au travail (QVT)'),
    ('4.6.6', 333, 'Instaurer un dialogue social au-delà des obligations légales'),
    ('4.6.7', 334, 'Développer ses achats responsables'),
    ('4.6.8', 335, "Mettre en place des pratiques responsables dans le respect de l'environnement (tri selectif, économie d'énergie, économie circulaire, ...)"),
    ('4.6.9', 336, 'Partager et échanger ses pratiques responsables avec les autres SIAE et acteurs du territoire'),
    ('4.7.1', 338, 'Définir les enjeux économiques, sociaux et sociétaux de ses actions sur son territoire'),
    ('4.7.2', 339, 'Identifier et formaliser ses parties prenantes internes et externes'),
    ('4.7.3', 340, "Définir mes indicateurs d'impact sociaux/sociétaux"),
    ('4.7.4', 341, "Définir mes indicateurs d'impact environnementaux"),
    ('4.7.5', 342, "Evaluer son impact social et sociétal sur mon territoire, et sur les personnes en parcours d'insertion"),
    ('4.7.6', 343, "Suivre les indicateurs d'impact de son activité sur l'environnement pour s'améliorer"),
    ('4.7.7', 344, "S'inscrire dans une démarche d'employeur responsable (RSE) et le faire savoir"),
    ('4.7.8', 345, "Mettre en place une démarche d'amélioration continue et/ou certifiante en lien avec les réseaux de l'IAE pour valoriser sa mission insertion"),
    ('5.1.1', 358, "Avoir un document formel présentant le projet d'insertion en spécifiant la stratégie et les actions"),
    ('5.1.2', 359, "Faire connaître le projet d'insertion auprès de l'ensemble des salariés et de tous ses partenaires et clients (parties prenantes internes et externes)"),
    ('5.1.3', 360, "Faire participer les salariés à la définition du projet d'insertion et aussi au projet associatif ou d'entreprise"),
    ('5.1.4', 361, "Prendre en compte les attentes et besoins de l'ensemble des parties prenantes dans le projet d'insertion"),
    ('5.1.5', 362, 'Considérer ses impacts sur le territoire (économique, sociaux, environnementaux) dans la définition de son projet et ses évolutions'),
    ('5.2.1', 364, 'Définir les objectifs d\'insertion au delà des objectifs emploi ou des "sorties"'),
    ('5.2.2', 365, "Définir des indicateurs de mesure des objectifs (ex: nb ou taux de personnes présentes aux actions mobilité, volume d'heures de formation...)"),
    ('5.2.3', 366, 'Utiliser des outils de pilotage ou des tableaux de bord pour suivre les actions'),
    ('5.2.4', 367, 'Prévoir des temps de pilotage et de revue des objectifs régulièrement'),
    ('5.2.5', 368, "Revisiter régulièrement le projet d'insertion et le faire évoluer"),
    ('5.3.1', 370, "S'assurer des compétences professionnelles des permanents et les faire évoluer selon les besoins"),
    ('5.3.2', 371, 'Veiller aux conditions de travail, à la santé et à la sécurité des salariés'),
    ('5.3.3', 372, 'Veiller à la qualité de vie au travail des équipes'),
    ('5.3.4', 373, 'Avoir des outils de gestion et des indicateurs de mesure et évaluer les activités économiques et sociales'),
    ('5.3.5', 374, 'Instaurer un management participatif et impliquer ainsi les salariés dans la vie de leur entreprise'),
    ('5.3.6', 375, "Avoir des moyens de communication interne efficace pour la bonne circulation de l'information"),
    ('5.3.7', 376, "Instaurer des temps de régulation et de réunions d'informations internes, en lien avec le projet d'insertion"),
    ('5.3.8', 377, 'Avoir un plan de communication externe pour valoriser la mission'),
    ('5.3.9', 378, 'Assister aux rencontres institutionnelles et partenariales sur les territoires et au delà'),
    ('5.3.10', 379, "S'interroger sur la gouvernance et ses modalités pour les faire évoluer si besoin"),
    ('5.3.11', 380, "Assurer le renouvellement des bénévoles et accompagner leur implication dans le projet d'insertion"),
    ('5.3.12', 381, 'Veiller au respect des instances statutaires et les faire évoluer selon les besoins'),
]

# (action id, RECAP line in seed 004, title, objectif opérationnel as carried to the action, Note maxi)
SEED_RECAP = [
    ('1.1', 392, 'Recrutement et relations prescripteurs', 'Travailler avec les prescripteurs du territoire et en lien avec les besoins du territoire', 24),
    ('1.2', 393, 'Recrutement mis en œuvre au sein de sa SIAE', "Prendre en compte dans le recrutement, du projet social ou d'entreprise, selon les valeurs de l'IAE, de l'ESS, dans le respect des personnes.", 33),
    ('1.3', 394, 'Intégration dans la structure', "Permettre aux personnes nouvellement recrutées ou inscrites, d'appréhender leur environnement et les conditions de travail pour bien s'y insérer", 27),
    ('2.1', 401, 'Diagnostic de la situation sociale et professionnelle', "Adapter le parcours et les modalités d'accompagnement avec le salarié", 21),
    ('2.2', 402, "Mise en œuvre du parcours d'insertion (ou accompagner le projet d'insertion)", "Adapter le parcours et les modalités d'accompagnement avec le salarié", 27),
    ('2.3', 403, 'Accompagnement à la prise de poste (EI et ACI) ou de mission (AI et ETTI)', 'Permettre une bonne prise en main de son poste de travail', 27),
    ('2.4', 404, "Suivi des parcours d'insertion", "Proposer des actions d'insertion adaptées et valoriser les évolutions de la personne dans son parcours d'insertion", 42),
    ('2.5', 405, 'Suivi au poste du travail (Cf. 3.5 et 3.6)', "Proposer des actions d'insertion adaptées et valoriser les évolutions de la personne dans son parcours d'insertion", 30),
    ('2.6', 406, "Accompagnement vers l'emploi durable", 'Préparer les personnes à occuper un emploi durable', 33),
    ('2.7', 407, 'Bilan de parcours et suivi post-action', 'Formaliser la valorisation du parcours et les acquis de la personne', 18),
    ('3.1', 418, 'Définition de la politique formation', 'Piloter la politique de formation', 15),
    ('3.2', 419, 'Mise en œuvre de la politique formation au sein de sa SIAE et du territoire', 'Piloter la politique de formation', 15),
    ('3.3', 420, 'Communication auprès des salariés en parcours, sur la formation', "Développer l'accès à la formation", 12),
    ('3.4', 421, 'Analyse des freins et leviers à la formation (Cf. 2.1)', "Développer l'accès à la formation", 9),
    ('3.5', 422, 'Analyse des besoins en compétences', 'Analyser la demande de formation', 18),
    ('3.6', 423, "Recherche d'une offre de formation existante", 'Proposer une offre de formation adaptée', 6),
    ('3.7', 424, "Conception d'une offre de formation", 'Proposer une offre de formation adaptée', 21),
    ('3.8', 425, "Réalisation d'action de formation", 'Mettre en œuvre les formations', 21),
    ('3.9', 426, "Suivi et évaluation l'action de formation", 'Mettre en œuvre les formations', 12),
    ('3.10', 427, 'Conception pédagogique des actions de formation (interne ou en situation de travail - Cf FEST*)', 'Animer des actions de formation', 21),
    ('3.11', 428, 'Animation et évaluation des actions de formation', 'Animer des actions de formation', 12),
    ('3.12', 429, 'Evaluation des acquis et compétences (cf. 2.5)', "Valoriser les compétences des salariés en parcours et l'offre de formation", 9),
    ('3.13', 430, 'Valorisation des acquis et des compétences', "Valoriser les compétences des salariés en parcours et l'offre de formation", 12),
    ('3.14', 431, "Mesure de l'impact des formations", "Valoriser les compétences des salariés en parcours et l'offre de formation", 12),
    ('4.1', 442, 'Maintien et développement de la relation client, tarification et communication', "Sécuriser l'activité économique des structures en tant que support pour l'insertion", 42),
    ('4.2', 443, "Développement économique au service de l'insertion et de l'emploi", "Sécuriser l'activité économique des structures en tant que support pour l'insertion", 30),
    ('4.3', 444, 'Développement du "partenariat entreprises" au service des parcours d\'insertion du territoire', "Assurer l'ancrage territorial de sa SIAE, en lien avec les besoins du territoire", 27),
    ('4.4', 445, 'Coopération et développement des liens avec les acteurs du territoire', "Assurer l'ancrage territorial de sa SIAE, en lien avec les besoins du territoire", 21),
    ('4.5', 446, 'Développement des financements de la SIAE', 'Sécuriser le modèle économique et financier en réponse aux besoins des territoires', 30),
    ('4.6', 447, 'Evolution du modèle social et organisationnel de sa SIAE', "S'inscrire dans une démarche d'employeur responsable sur son territoire (développement durable)", 27),
    ('4.7', 448, "Mesure de l'impact de ses activités sur son territoire", "S'inscrire dans une démarche d'employeur responsable sur son territoire (développement durable)", 24),
    ('5.1', 459, "Formalisation du projet d'insertion", "Définir les objectifs du projet d'insertion", 15),
    ('5.2', 460, "Evaluation des actions d'insertion", "Evaluer l'atteinte des objectifs et rendre lisible son projet d'insertion (au sein de son projet associatif ou d'entreprise)", 15),
    ('5.3', 461, "Suivi des fonctions supports au projet d'insertion", "S'assurer que les fonctions supports de la structure sont en adéquation avec le projet d'insertion", 36),
]


@pytest.fixture(scope="module")
def tree() -> ReferentialTree:
    referential = load_referential(audit_bench_iae_os.DATA_FILE)
    return ReferentialTree(referential, content_hash(referential))


def test_the_plugin_is_registered_through_its_entry_point():
    registry = load_plugins()
    assert not [e for e in registry.errors if e.plugin == "iae_os"], registry.errors
    loaded = registry.referentials["iae_os"]
    assert loaded.plugin == "iae_os"
    assert len(loaded.tree.ratable) == 247


def test_header_scale_and_dating(tree):
    ref = tree.referential
    assert ref.id == "iae_os"
    assert ref.date_required is True
    assert [t.id for t in ref.siae_types] == ["AI", "ETTI", "ACI", "EI"]
    assert [(l.value, l.label, l.score) for l in ref.scale] == [
        ("0", "Pas mis en place", 0),
        ("1", "Pas mis en place mais en prévision", 1),
        ("2", "Mis en place et à améliorer", 2),
        ("3", "Mis en place et la pratique est revue régulièrement", 3),
    ]
    assert set(tree.rating_keys) == {"0", "1", "2", "3"}
    assert "na" not in tree.scale_by_value
    bands = [(b.min_percent, b.label) for b in ref.score_bands]
    assert bands == [(0, "À engager"), (25, "En démarrage"), (50, "À consolider"), (75, "Maîtrisé")]
    assert tree.band_for(24.9).label == "À engager"
    assert tree.band_for(50).label == "À consolider"
    assert tree.band_for(100).label == "Maîtrisé"


def test_five_axes_with_their_recap_objectives(tree):
    nodes = tree.referential.nodes
    assert [(n.id, n.title, n.kind) for n in nodes] == [(a, t, "axe") for a, t, _ in SEED_AXES]
    for node, (_, _, start) in zip(nodes, SEED_AXES):
        assert node.intent.startswith(start)
        assert not node.ratable
    # the truncated RECAP boxes completed from their fragments (lines 390 + 467, 398 + 473)
    assert nodes[0].intent.endswith("par une SIAE, en particulier les droits et obligations liés au contrat de travail.")
    assert ("(intégration initiale au sein de la structure, fourniture d'un cadre de travail, préparation de la "
            "sortie) dans le respect du droit du travail") in nodes[1].intent
    assert nodes[1].intent.endswith("dans le cadre d'un réseau de partenariats.")


def test_axis_1_objective_is_completed_by_the_fragment_of_line_466(tree):
    head, tail = RECAP_LINE_389.split(" correspondent à ")
    completed = f"{head} cor{RECAP_LINE_466} {tail}"
    first_objective = tree.node("1").intent.split("\n")[0]
    assert first_objective == completed
    assert "correspondent aux publics que la structure entend recruter, compte tenu de son projet social" in completed


def test_thirty_four_actions_with_titles_and_operational_objectives(tree):
    actions = [(a.id, a.title, a.intent, a.kind) for axis in tree.referential.nodes for a in axis.children]
    assert len(actions) == 34
    assert actions == [(aid, title, objectif, "action") for aid, _, title, objectif, _ in SEED_RECAP]
    assert [aid for aid, *_ in actions][:3] == ["1.1", "1.2", "1.3"]
    assert actions[-1][0] == "5.3"


def test_every_practice_has_the_seed_wording(tree):
    shipped = [(p.id, p.text, p.kind) for p in tree.ratable]
    expected = []
    for pid, _line, text in SEED_PRACTICES:
        if pid in CORRECTIONS:
            old, new = CORRECTIONS[pid]
            assert old in text
            text = text.replace(old, new)
        expected.append((pid, text, "pratique"))
    assert shipped == expected
    assert len(shipped) == 247
    # every practice sits under the action its id names
    for practice in tree.ratable:
        assert tree.parents(practice.id)[-1].id == practice.id.rsplit(".", 1)[0]


@pytest.mark.parametrize("pid, text", [
    ("1.1.1", "Travailler avec les partenaires prescripteurs du territoire"),          # line 58
    ("1.3.9", "Utiliser et faire évoluer les outils numériques en lien avec les besoins"),  # line 85, moved
    ("2.4.2", "Définir des moyens, les actions à mettre en place (orientation, missions ou poste de travail "
              "adaptés, formation, ...)"),                                              # line 128
    ("2.6.12", "Utiliser et faire évoluer les outils numériques en lien avec les besoins"),  # line 164
    ("2.7.1", "Réaliser des bilans intermédiaires de suivi à mi- parcours (contrat en cours) et articuler le "
              "travail avec les partenaires extérieurs"),                               # line 167
    ("3.10.7", "Proposer une action de Formation en situation de travail en lien avec le parcours des personnes "
               "et/ou en lien avec les objectifs de production"),                       # line 235
    ("4.7.8", "Mettre en place une démarche d'amélioration continue et/ou certifiante en lien avec les réseaux "
              "de l'IAE pour valoriser sa mission insertion"),                          # line 345
    ("5.3.12", "Veiller au respect des instances statutaires et les faire évoluer selon les besoins"),  # line 381
])
def test_spot_checks(tree, pid, text):
    assert tree.node(pid).text == text


def test_practice_counts_match_the_recap_maxima_except_the_recorded_exceptions(tree):
    assert sum(maxi for *_, maxi in SEED_RECAP) == 744
    for aid, line, _title, _obj, maxi in SEED_RECAP:
        count = len([c for c in tree.node(aid).children if c.ratable])
        recap_count = maxi // 3
        if aid in RECAP_EXCEPTIONS:
            assert (recap_count, count) == RECAP_EXCEPTIONS[aid], aid
        else:
            assert count == recap_count, f"{aid} (RECAP line {line})"
    per_axis = {}
    for practice in tree.ratable:
        per_axis[practice.id.split(".")[0]] = per_axis.get(practice.id.split(".")[0], 0) + 1
    # RECAP axis totals (lines 395, 408, 432, 449, 462): 84, 198, 195, 201, 66
    assert {k: 3 * v for k, v in per_axis.items()} == {"1": 84 - 6, "2": 198, "3": 195, "4": 201 + 3, "5": 66}


def test_the_recurring_practice_closes_2_6_as_it_closes_the_other_actions(tree):
    """Line 164 ends 2.6 in the grid, as the same practice ends 1.3 and 2.1-2.5: the spreadsheet's
    formula range is off (RECAP 33 and 18), not the grid; both maxima are recorded exceptions."""
    last_by_action = {}
    for pid, line, text in SEED_PRACTICES:
        last_by_action[pid.rsplit(".", 1)[0]] = (pid, line, text)
    closed = sorted(a for a, (_, _, text) in last_by_action.items() if text == NUMERIQUE)
    assert closed == ["1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert last_by_action["2.6"][:2] == ("2.6.12", 164)
    assert [c.text for c in tree.node("2.6").children][-1] == NUMERIQUE
    assert "36" in tree.node("2.6").guidance and "15" in tree.node("2.7").guidance
    notes = {e.title: " ".join(e.items) for a in tree.referential.annexes if a.id == "reconciliation"
             for e in a.entries}
    assert any(title.startswith("2.6 / 2.7") and "2.6 garde 12 pratiques" in text for title, text in notes.items())


def test_glossary_words_seed_expansions_as_the_seed_and_marks_the_plugins_own(tree):
    practices = {pid: (line, text) for pid, line, text in SEED_PRACTICES}
    glossary = {g.term: g.definition for g in tree.referential.glossary}
    assert len(glossary) == 13
    for term, (pid, line, words, definition) in SEED_EXPANSIONS.items():
        assert practices[pid][0] == line and words in practices[pid][1], term
        assert glossary[term] == definition, term
    own = {term: d for term, d in glossary.items() if term not in SEED_EXPANSIONS}
    assert len(own) == 10
    for term, definition in own.items():
        assert definition.startswith(OWN_DEFINITION) and len(definition) > len(OWN_DEFINITION), term


def test_version_names_the_edition_of_the_data(tree):
    # the source states no version: "1.0" is the plugin's label, "+audit-bench.5" the data edition
    assert tree.version == "1.0+audit-bench.5"


def test_structure_type_variants(tree):
    counts = {t: len(tree.applicable_ratable(t)) for t in ("AI", "ETTI", "ACI", "EI")}
    assert counts == {"AI": 247, "ETTI": 247, "ACI": 245, "EI": 245}
    # line 135: « (AI) » qualifies « chez les particuliers »; missions in companies are ETTI work too
    missions = tree.node("2.4.9")
    assert [t for t in ("AI", "ETTI", "ACI", "EI") if tree.applicable(missions, t)] == ["AI", "ETTI"]
    assert "particuliers" in tree.variant(missions, "ETTI").guidance
    mad = tree.node("2.5.3")              # line 144 « (pour les MAD) »
    assert [t for t in ("AI", "ETTI", "ACI", "EI") if tree.applicable(mad, t)] == ["AI", "ETTI"]
    material = tree.node("2.3.3")         # line 118
    assert tree.text_for(material, "AI") == "Vérifier le matériel disponible pour la mission de travail"
    assert tree.text_for(material, "EI") == "Fournir les outils et matériels nécessaires"
    assert tree.text_for(material, None) == material.text
    legal = tree.node("2.3.7")            # line 122
    assert tree.text_for(legal, "ACI") == "Faire appliquer le règlement intérieur et le Code du Travail"
    assert tree.text_for(legal, "ETTI").endswith("cadre légal des missions en AI et ETTI")
    conditions = tree.node("2.3.4")       # line 119
    assert tree.text_for(conditions, "ETTI").endswith("durant la mission")
    assert tree.text_for(conditions, "ACI").endswith("sur les chantiers")
    # no other practice carries a type restriction
    restricted = [p.id for p in tree.ratable if any(not v.applicable for v in p.variants.values())]
    assert restricted == ["2.4.9", "2.5.3"]


def test_the_cycle_is_one_autodiagnostic_whose_frequency_the_structure_sets(tree):
    cycle = tree.referential.cycle
    assert cycle.audits == [] and tree.referential.metadata.validity_years is None  # no certification
    [obligation] = cycle.obligations
    assert (obligation.met_by, obligation.every_months) == ("self-assessment", None)  # the seeds are silent
    assert tree.referential.metadata.short_name == "IAE OS"
