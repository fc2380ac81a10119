"""Demo data of the network of Thionville: partners, commission pilots and members, two
plenaries, projects from 2009 to 2014 and "you said / we did" links on the youth study."""

from datetime import date

from sqlmodel import Session, select

from consult.accounts.models import User
from consult.network.models import (
    AgendaItem,
    Attendance,
    Commission,
    CommissionPartner,
    Finding,
    FindingProject,
    Partner,
    PartnerTheme,
    Plenary,
    Project,
    ProjectPartner,
)
from surveys.models import Campaign

A, INST = "association", "institution"
PLACE = "57100 Thionville"

# slug, name, kind, charter date (None: not a signatory), themes, objectives, public, place
PARTNERS = [
    (
        "ccas-thionville",
        "CCAS de Thionville",
        INST,
        date(2008, 10, 2),
        ["accueil_suivi_social", "aides_ponctuelles", "logement"],
        "Action sociale municipale, coordination du réseau de développement social.",
        "Habitants de Thionville",
        "1 place Marie-Louise",
    ),
    (
        "mission-locale-nord-mosellan",
        "Mission locale du Nord Mosellan",
        INST,
        date(2008, 10, 2),
        ["emploi", "formation", "jeunesse"],
        "Accompagner les 16–25 ans vers l'emploi, la formation et l'autonomie.",
        "Jeunes de 16 à 25 ans sortis du système scolaire",
        "8 rue de la Paix",
    ),
    (
        "mjc-le-lierre",
        "MJC Centre social Le Lierre",
        A,
        date(2008, 10, 2),
        ["animation_lien_social", "jeunesse", "loisirs", "educatif"],
        "Loisirs, accompagnement scolaire et projets de jeunes.",
        "Enfants, jeunes et familles du quartier",
        "Rue du Lierre",
    ),
    (
        "maison-de-la-solidarite",
        "Maison de la solidarité",
        INST,
        date(2009, 3, 12),
        ["accueil_suivi_social", "accueil_enfant", "sante"],
        "Service social départemental : accompagnement social, PMI, insertion.",
        "Tout public",
        "Boulevard Foch",
    ),
    (
        "pole-emploi-thionville",
        "Pôle emploi Thionville",
        INST,
        None,
        ["emploi", "formation"],
        "Inscription, indemnisation et accompagnement des demandeurs d'emploi.",
        "Demandeurs d'emploi",
        "Route de Metz",
    ),
    (
        "caf-moselle",
        "CAF de la Moselle — antenne de Thionville",
        INST,
        date(2010, 1, 20),
        ["aides_ponctuelles", "logement", "accueil_enfant"],
        "Prestations familiales, aides au logement, action sociale familiale.",
        "Familles et allocataires",
        "Avenue Clemenceau",
    ),
    (
        "epicerie-solidaire-le-panier",
        "Épicerie solidaire Le Panier",
        A,
        date(2009, 3, 12),
        ["aides_ponctuelles", "animation_lien_social"],
        "Produits à petit prix et ateliers cuisine pour les foyers aux revenus modestes.",
        "Foyers orientés par un travailleur social",
        "Rue de Verdun",
    ),
    (
        "restos-du-coeur-thionville",
        "Restos du cœur de Thionville",
        A,
        None,
        ["aides_ponctuelles"],
        "Aide alimentaire et accompagnement.",
        "Personnes en difficulté",
        "Rue des Artisans",
    ),
    (
        "secours-populaire-thionville",
        "Secours populaire — comité de Thionville",
        A,
        date(2011, 6, 9),
        ["aides_ponctuelles", "loisirs"],
        "Solidarité matérielle, vacances et accès à la culture.",
        "Tout public",
        "Rue de la Tour",
    ),
    (
        "as-thionville-football",
        "AS Thionville Football",
        A,
        None,
        ["loisirs", "jeunesse"],
        "Football pour tous dès 6 ans, section féminine.",
        "Enfants et jeunes",
        "Stade Guy-Hoquet",
    ),
    (
        "judo-club-thionvillois",
        "Judo club thionvillois",
        A,
        None,
        ["loisirs", "jeunesse"],
        "Judo et self-défense, tarifs solidaires.",
        "Dès 5 ans",
        "Gymnase de la Milliaire",
    ),
    (
        "thionville-basket",
        "Thionville Basket Club",
        A,
        date(2012, 2, 1),
        ["loisirs", "jeunesse"],
        "Basket loisir et compétition ; animations de quartier l'été.",
        "Dès 7 ans",
        "Salle Jean-Burger",
    ),
    (
        "foyer-jeunes-travailleurs",
        "Foyer de jeunes travailleurs Le Colibri",
        A,
        date(2009, 3, 12),
        ["logement", "jeunesse"],
        "Logement temporaire et accompagnement des jeunes actifs.",
        "Jeunes de 16 à 30 ans en emploi ou formation",
        "Rue de Longwy",
    ),
    (
        "adil-moselle",
        "ADIL de la Moselle",
        A,
        None,
        ["logement"],
        "Conseil juridique et financier gratuit sur le logement.",
        "Locataires et propriétaires",
        "Permanence au CCAS",
    ),
    (
        "bailleur-batigere",
        "Batigère — agence de Thionville",
        INST,
        None,
        ["logement"],
        "Logement social.",
        "Demandeurs de logement social",
        "Rue de Paris",
    ),
    (
        "cmp-thionville",
        "Centre médico-psychologique de Thionville",
        INST,
        None,
        ["sante"],
        "Consultations et soins en santé mentale.",
        "Adultes",
        "Rue Castelnau",
    ),
    (
        "point-ecoute-jeunes",
        "Point écoute jeunes",
        A,
        date(2011, 6, 9),
        ["sante", "jeunesse", "accueil_suivi_social"],
        "Écoute anonyme et gratuite, orientation ; né d'une enquête de 2009.",
        "Jeunes de 12 à 25 ans et leurs parents",
        "MJC Le Lierre",
    ),
    (
        "planning-familial-57",
        "Planning familial 57",
        A,
        None,
        ["sante", "educatif"],
        "Information sur la contraception, la vie affective et sexuelle.",
        "Tout public",
        "Permanence au Point écoute jeunes",
    ),
    (
        "cpam-moselle",
        "CPAM de Moselle",
        INST,
        None,
        ["sante"],
        "Droits à l'assurance maladie, CMU-C et ACS.",
        "Assurés",
        "Rue du Manège",
    ),
    (
        "ecole-deuxieme-chance",
        "École de la deuxième chance",
        A,
        date(2012, 2, 1),
        ["formation", "emploi", "jeunesse"],
        "Parcours de formation individualisé pour les 18–25 ans sans diplôme.",
        "Jeunes de 18 à 25 ans sans qualification",
        "Zone Europort",
    ),
    (
        "greta-lorraine-nord",
        "GRETA Lorraine Nord",
        INST,
        None,
        ["formation"],
        "Formation continue des adultes.",
        "Adultes",
        "Lycée Colbert",
    ),
    (
        "chantier-insertion-les-jardins",
        "Chantier d'insertion Les Jardins de Cocagne",
        A,
        date(2010, 1, 20),
        ["emploi", "animation_lien_social"],
        "Maraîchage biologique en insertion.",
        "Personnes éloignées de l'emploi",
        "Route de Manom",
    ),
    (
        "creche-les-p-tits-loups",
        "Multi-accueil Les P'tits Loups",
        A,
        None,
        ["accueil_enfant"],
        "Accueil des enfants de 10 semaines à 4 ans, places d'urgence.",
        "Familles",
        "Quartier de la Côte des Roses",
    ),
    (
        "bibliotheque-municipale",
        "Médiathèque Puzzle",
        INST,
        None,
        ["loisirs", "educatif"],
        "Lecture publique, numérique, ateliers.",
        "Tout public",
        "Place Malraux",
    ),
    (
        "conservatoire-thionville",
        "Conservatoire de musique et de danse",
        INST,
        None,
        ["loisirs", "educatif"],
        "Enseignement artistique, tarifs selon quotient familial.",
        "Dès 4 ans",
        "Rue de l'Ancien Hôpital",
    ),
    (
        "amis-de-la-cote-des-roses",
        "Les Amis de la Côte des Roses",
        A,
        date(2013, 5, 16),
        ["animation_lien_social"],
        "Fêtes de quartier, jardins partagés.",
        "Habitants du quartier",
        "Maison de quartier",
    ),
]

# commission slug: (pilot e-mail, description, partner slugs)
COMMISSIONS = {
    "jeunesse": (
        "jeunesse@consult.demo",
        "Loisirs, engagement et information des 14–25 ans. La commission a mené l'enquête "
        "« Bien vivre son temps libre à Thionville » en 2012 puis 2013.",
        [
            "mission-locale-nord-mosellan",
            "mjc-le-lierre",
            "point-ecoute-jeunes",
            "as-thionville-football",
            "thionville-basket",
            "foyer-jeunes-travailleurs",
            "bibliotheque-municipale",
            "ccas-thionville",
        ],
    ),
    "emploi-formation": (
        "emploi@consult.demo",
        "Insertion professionnelle des jeunes et des adultes, accès à la formation.",
        [
            "mission-locale-nord-mosellan",
            "pole-emploi-thionville",
            "ecole-deuxieme-chance",
            "greta-lorraine-nord",
            "chantier-insertion-les-jardins",
        ],
    ),
    "sante": (
        None,
        "Accès aux droits et aux soins, prévention, santé mentale.",
        [
            "maison-de-la-solidarite",
            "cmp-thionville",
            "cpam-moselle",
            "planning-familial-57",
            "point-ecoute-jeunes",
        ],
    ),
    "logement": (
        None,
        "Accès au logement, hébergement d'urgence, habitat indigne.",
        [
            "ccas-thionville",
            "adil-moselle",
            "bailleur-batigere",
            "foyer-jeunes-travailleurs",
            "caf-moselle",
        ],
    ),
}

# commission, year, title, status, outcome, partners
PROJECTS = [
    (
        "jeunesse",
        2009,
        "Questionnaire aux 16–30 ans (266 réponses)",
        "done",
        "266 jeunes interrogés",
        ["mission-locale-nord-mosellan", "mjc-le-lierre"],
    ),
    (
        "jeunesse",
        2010,
        "Un point écoute jeunes",
        "done",
        "180 jeunes reçus la première année",
        ["point-ecoute-jeunes", "mjc-le-lierre"],
    ),
    (
        "jeunesse",
        2012,
        "Pass loisirs jeunes à 10 €",
        "done",
        "412 pass délivrés en 2013",
        ["ccas-thionville", "as-thionville-football", "thionville-basket"],
    ),
    (
        "jeunesse",
        2013,
        "Agenda des sorties sur les réseaux sociaux",
        "in_progress",
        "",
        ["mjc-le-lierre", "bibliotheque-municipale"],
    ),
    ("jeunesse", 2014, "Navette du samedi soir vers les équipements", "idea", "", []),
    (
        "emploi-formation",
        2011,
        "Forum de l'alternance",
        "done",
        "35 contrats signés",
        ["mission-locale-nord-mosellan", "pole-emploi-thionville"],
    ),
    (
        "emploi-formation",
        2013,
        "Parrainage vers l'emploi",
        "in_progress",
        "22 filleuls",
        ["ecole-deuxieme-chance"],
    ),
    (
        "sante",
        2012,
        "Bilan de santé gratuit pour les 16–25 ans",
        "done",
        "140 bilans",
        ["cpam-moselle", "point-ecoute-jeunes"],
    ),
    (
        "logement",
        2010,
        "Guide de l'accès au logement",
        "done",
        "2 000 exemplaires",
        ["adil-moselle", "ccas-thionville"],
    ),
    (
        "logement",
        2013,
        "Colocation solidaire étudiants–seniors",
        "abandoned",
        "Trop peu de logements proposés",
        ["foyer-jeunes-travailleurs"],
    ),
]


def load_network(session: Session) -> None:
    partners = _load_partners(session)
    commissions = {c.slug: c for c in session.exec(select(Commission)).all()}
    users = {u.email: u for u in session.exec(select(User)).all()}
    for slug, (pilot, description, members) in COMMISSIONS.items():
        commission = commissions[slug]
        commission.description = description
        commission.pilot_id = users[pilot].id if pilot else None
        session.add(commission)
        session.add_all(
            CommissionPartner(commission_id=commission.id, partner_id=partners[p].id)
            for p in members
        )
    projects = {}
    for slug, year, title, status, outcome, members in PROJECTS:
        project = Project(
            commission_id=commissions[slug].id,
            year=year,
            title=title,
            status=status,
            outcome=outcome,
        )
        session.add(project)
        session.flush()
        projects[title] = project
        session.add_all(
            ProjectPartner(project_id=project.id, partner_id=partners[p].id) for p in members
        )
    campaigns = {c.slug: c for c in session.exec(select(Campaign)).all()}
    _load_plenaries(session, partners, projects, campaigns)
    _load_findings(session, commissions["jeunesse"].id, projects, campaigns)
    session.flush()


def _load_partners(session: Session) -> dict[str, Partner]:
    partners = {}
    for slug, name, kind, charter, themes, objectives, public, street in PARTNERS:
        partner = Partner(
            slug=slug,
            name=name,
            kind=kind,
            charter_signed=charter is not None,
            charter_date=charter,
            objectives=objectives,
            public=public,
            access_conditions="Sur rendez-vous ou aux permanences"
            if kind == INST
            else "Adhésion annuelle, tarifs selon quotient familial",
            place=f"{street}, {PLACE}",
            hours="Du lundi au vendredi, 9 h – 12 h et 14 h – 17 h",
            contacts=[
                {
                    "name": "Accueil",
                    "role": "Secrétariat",
                    "phone": "03 82 00 00 00",
                    "email": f"contact@{slug}.example",
                }
            ],
        )
        session.add(partner)
        session.flush()
        session.add_all(PartnerTheme(partner_id=partner.id, theme=t) for t in themes)
        partners[slug] = partner
    return partners


def _load_plenaries(session, partners, projects, campaigns) -> None:
    past = Plenary(
        held_on=date(2013, 11, 21),
        title="Plénière d'automne 2013",
        place="Salle du Manège, Thionville",
        minutes=(
            "Trente-deux participants. La commission jeunesse a présenté les résultats des deux "
            "vagues de l'enquête « temps libre » : le coût reste le premier frein. Le pass "
            "loisirs sera prolongé en 2014 ; un groupe de travail étudiera une navette du samedi "
            "soir. La commission emploi a présenté le parrainage vers l'emploi."
        ),
    )
    upcoming = Plenary(
        held_on=date(2031, 5, 22),
        title="Plénière de printemps",
        place="CCAS de Thionville, salle du conseil",
    )
    session.add_all([past, upcoming])
    session.flush()
    agenda = [
        (past, "Accueil et tour de table", None, None),
        (past, "Résultats de l'enquête temps libre 2013", campaigns.get("temps-libre-2013"), None),
        (past, "Bilan du pass loisirs jeunes", None, projects["Pass loisirs jeunes à 10 €"]),
        (past, "Parrainage vers l'emploi", None, projects["Parrainage vers l'emploi"]),
        (
            upcoming,
            "Suites données à l'enquête temps libre",
            campaigns.get("temps-libre-2012"),
            None,
        ),
        (
            upcoming,
            "Projet de navette du samedi soir",
            None,
            projects["Navette du samedi soir vers les équipements"],
        ),
    ]
    for position, (plenary, title, campaign, project) in enumerate(agenda, start=1):
        session.add(
            AgendaItem(
                plenary_id=plenary.id,
                position=position,
                title=title,
                campaign_id=campaign.id if campaign else None,
                project_id=project.id if project else None,
            )
        )
    came = [
        "ccas-thionville",
        "mission-locale-nord-mosellan",
        "mjc-le-lierre",
        "maison-de-la-solidarite",
        "point-ecoute-jeunes",
        "epicerie-solidaire-le-panier",
        "ecole-deuxieme-chance",
        "caf-moselle",
        "thionville-basket",
    ]
    session.add_all(Attendance(plenary_id=past.id, partner_id=partners[p].id) for p in came)


def _load_findings(session, commission_id, projects, campaigns) -> None:
    campaign = campaigns.get("temps-libre-2012")
    if campaign is None:
        return
    findings = [
        (
            "freins",
            "62 % des jeunes citent le coût comme premier frein à leurs loisirs.",
            "Créer un pass loisirs à 10 € avec les clubs partenaires.",
            ["Pass loisirs jeunes à 10 €"],
        ),
        (
            "connait_pij",
            "Les jeunes disent ne pas savoir ce qui se passe en ville.",
            "Publier l'agenda des sorties là où les jeunes s'informent.",
            ["Agenda des sorties sur les réseaux sociaux"],
        ),
    ]
    for question, text, decision, linked in findings:
        finding = Finding(
            commission_id=commission_id,
            campaign_id=campaign.id,
            question_name=question,
            text=text,
            decision=decision,
        )
        session.add(finding)
        session.flush()
        session.add_all(
            FindingProject(finding_id=finding.id, project_id=projects[t].id) for t in linked
        )
