"""Synthetic answers to the youth free-time study, with plausible relations between answers.

A respondent is drawn as a small profile (age, gender, quarter, situation) plus two latent
traits — how engaged they are and how satisfied they are with the local offer — and every
answer is drawn from those, so that cross-tabs and wave comparisons show real structure
(cost weighs on job seekers, transport on the outer quarters, the 2013 wave is a bit happier).
"""

import random
from datetime import UTC, date, datetime, timedelta

OUTER_QUARTERS = {"veymerange", "volkrange", "elange", "oeutrange", "garche", "koeking"}
QUARTER_WEIGHTS = {
    "centre_ville": 16,
    "cote_des_roses": 14,
    "guentrange": 8,
    "veymerange": 7,
    "garche": 8,
    "koeking": 6,
    "oeutrange": 5,
    "elange": 5,
    "beauregard": 12,
    "volkrange": 6,
    "hors_thionville": 6,
}
OTHER_ACTIVITIES = ["escalade", "théâtre", "scoutisme", "cuisine", "skate", "échecs", "couture"]
OTHER_SITUATIONS = ["service civique", "en formation", "au foyer"]
WISHED_ACTIVITIES = [
    "du foot en salle le soir",
    "un atelier de musique",
    "de la boxe",
    "du théâtre",
    "de la danse hip-hop",
    "un club de jeux vidéo",
    "de la natation",
    "du dessin",
]
WISHES = [
    "Un lieu pour se retrouver entre jeunes le soir, sans devoir consommer.",
    "Des bus plus tard le week-end pour rentrer des quartiers.",
    "Plus de concerts gratuits en été au bord de la Moselle.",
    "Des tarifs réduits pour les activités sportives quand on est étudiant.",
    "Être mieux informés : on ne sait jamais ce qui se passe en ville.",
    "Un skatepark couvert pour l'hiver.",
    "Des activités ouvertes le dimanche.",
    "Plus de soirées organisées par et pour les jeunes.",
    "Une salle de répétition pour les groupes de musique.",
    "Des sorties à Metz ou au Luxembourg organisées pas cher.",
    "Un espace numérique avec des ordinateurs et une imprimante.",
    "Que les clubs acceptent les débutants à notre âge.",
]
PROJECT_IDEAS = [
    "Organiser un festival des jeunes talents thionvillois.",
    "Créer un café associatif géré par des jeunes.",
    "Un tournoi de foot inter-quartiers chaque été.",
    "Une appli qui liste toutes les activités gratuites.",
]


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _situation(rng: random.Random, age: int) -> str:
    if age <= 15:
        return _weighted(rng, {"collegien": 8, "lyceen": 2})
    if age <= 18:
        return _weighted(rng, {"lyceen": 8, "apprenti": 2, "recherche_emploi": 0.5})
    return _weighted(
        rng,
        {
            "etudiant": 5,
            "apprenti": 2,
            "emploi": 3 + (age - 19),
            "recherche_emploi": 2.5,
            "other": 0.6,
        },
    )


def _scale(rng: random.Random, values: list[str], position: float, spread: float = 0.9) -> str:
    """A point of an ordered scale around a latent position in [0, 1]."""
    index = round(_clip(rng.gauss(position * (len(values) - 1), spread), 0, len(values) - 1))
    return values[index]


def _profile(rng: random.Random, wave: int) -> dict:
    age = int(_clip(round(rng.triangular(14, 25, 17)), 14, 25))
    situation = _situation(rng, age)
    quarter = _weighted(rng, QUARTER_WEIGHTS)
    engagement = _clip(
        rng.gauss(0.55, 0.2) - (0.15 if situation == "recherche_emploi" else 0), 0, 1
    )
    satisfaction = _clip(
        rng.gauss(0.45 + (0.08 if wave >= 2013 else 0), 0.2)
        - (0.1 if quarter in OUTER_QUARTERS else 0),
        0,
        1,
    )
    return {
        "age": age,
        "genre": _weighted(rng, {"fille": 48, "garcon": 47, "autre_genre": 2, "nsp": 3}),
        "quartier": quarter,
        "situation": situation,
        "engagement": engagement,
        "satisfaction": satisfaction,
    }


def _activities(rng: random.Random, p: dict) -> list[str]:
    girl, boy = p["genre"] == "fille", p["genre"] == "garcon"
    odds = {
        "sport": 0.55 + (0.15 if boy else 0) - 0.01 * (p["age"] - 14),
        "musique": 0.3,
        "danse": 0.25 if girl else 0.05,
        "arts": 0.15 + (0.08 if girl else 0),
        "jeux_video": 0.35 + (0.2 if boy else 0) - 0.015 * (p["age"] - 14),
        "lecture": 0.15 + (0.1 if girl else 0),
        "benevolat": 0.05 + 0.015 * (p["age"] - 14),
        "sorties": 0.3 + 0.03 * (p["age"] - 14),
        "other": 0.06,
    }
    picked = [
        k
        for k, odd in odds.items()
        if rng.random() < _clip(odd + p["engagement"] - 0.5, 0.02, 0.95)
    ]
    if not picked or picked == ["other"]:
        picked = [max(odds, key=lambda k: odds[k] + rng.random() * 0.3)]
    return [k for k in odds if k in picked][:5]


def _obstacles(rng: random.Random, p: dict) -> list[str]:
    odds = {
        "cout": 0.35 + (0.3 if p["situation"] in {"recherche_emploi", "etudiant"} else 0),
        "transport": 0.15
        + (0.4 if p["quartier"] in OUTER_QUARTERS or p["quartier"] == "hors_thionville" else 0),
        "information": 0.35,
        "horaires": 0.2 + (0.15 if p["situation"] in {"emploi", "apprenti"} else 0),
        "personne": 0.15,
        "temps": 0.15 + (0.15 if p["situation"] in {"lyceen", "emploi"} else 0),
        "offre": 0.25 + (0.2 * (1 - p["satisfaction"])),
    }
    picked = [k for k, odd in odds.items() if rng.random() < odd]
    if not picked:
        return ["aucun"]
    rng.shuffle(picked)
    return [k for k in odds if k in picked[:3]]


def _transport(rng: random.Random, p: dict) -> str:
    if p["age"] >= 19 and p["situation"] == "emploi" and rng.random() < 0.6:
        return "voiture"
    if p["quartier"] in OUTER_QUARTERS:
        return _weighted(rng, {"bus": 5, "accompagne": 3, "velo": 1, "a_pied": 1})
    return _weighted(rng, {"a_pied": 5, "velo": 2, "bus": 3, "accompagne": 1, "train": 0.3})


def _ranking(rng: random.Random, obstacles: list[str], values: list[str]) -> list[str]:
    boost = {
        "tarifs": "cout",
        "transports_soir": "transport",
        "information": "information",
        "horaires": "horaires",
    }

    def weight(v: str) -> float:
        return rng.random() + (1.0 if boost.get(v) in obstacles else 0)

    return sorted(values, key=weight, reverse=True)


def generate_answers(rng: random.Random, document: dict, wave: int, day: date) -> dict:
    """One complete, consistent answer set for the youth study document."""
    p = _profile(rng, wave)
    questions = {q["name"]: q for s in document["sections"] for q in s["questions"]}
    choices = {name: [c["value"] for c in q.get("choices", [])] for name, q in questions.items()}
    a: dict = {k: p[k] for k in ("age", "genre", "quartier", "situation")}
    if p["situation"] == "other":
        a["situation_other"] = rng.choice(OTHER_SITUATIONS)

    practises = rng.random() < 0.45 + 0.5 * p["engagement"]
    a["pratique_activite"] = "yes" if practises else "no"
    if practises:
        activities = _activities(rng, p)
        a["activites"] = activities
        if "other" in activities:
            a["activites_other"] = rng.choice(OTHER_ACTIVITIES)
        a["frequence"] = _scale(
            rng, choices["frequence"], p["engagement"] * 0.7 + len(activities) * 0.08
        )
        places = [v for v in choices["lieux"] if rng.random() < 0.3 + 0.2 * p["engagement"]]
        a["lieux"] = places or [rng.choice(choices["lieux"])]
        if rng.random() < 0.8:
            spend = rng.lognormvariate(3.0 + (0.6 if p["situation"] == "emploi" else 0), 0.7)
            a["depense_mensuelle"] = round(min(spend, 500), 2)
    elif rng.random() < 0.6:
        a["activite_souhaitee"] = rng.choice(WISHED_ACTIVITIES)
    if rng.random() < 0.85:
        a["derniere_sortie"] = (day - timedelta(days=int(rng.expovariate(1 / 9)))).isoformat()

    obstacles = _obstacles(rng, p)
    a["freins"] = obstacles
    if rng.random() < 0.95:
        a["transport"] = _transport(rng, p)
    if rng.random() < 0.9:
        scale = choices["opinions"]
        row_names = [r["name"] for r in questions["opinions"]["rows"]]
        a["opinions"] = {
            row: _scale(rng, scale, p["satisfaction"], 1.0)
            for row in row_names
            if rng.random() < 0.95
        }
    if rng.random() < 0.75:
        a["priorites"] = _ranking(rng, obstacles, choices["priorites"])

    a["satisfaction_offre"] = _scale(rng, choices["satisfaction_offre"], p["satisfaction"])
    if rng.random() < 0.93:
        a["note_ville"] = int(_clip(round(rng.gauss(3 + 6 * p["satisfaction"], 1.5)), 0, 10))
    if rng.random() < 0.85:
        a["heures_libres"] = int(
            _clip(round(rng.gauss(18 - (6 if p["situation"] == "emploi" else 0), 7)), 0, 100)
        )
    knows = rng.random() < 0.25 + 0.3 * p["engagement"]
    a["connait_pij"] = "yes" if knows else "no"
    if knows and rng.random() < 0.9:
        a["satisfaction_pij"] = _scale(
            rng, choices["satisfaction_pij"], 0.55 + 0.3 * p["satisfaction"]
        )
    if rng.random() < 0.38:
        a["envies"] = rng.choice(WISHES)
    if rng.random() < 0.12:
        a["idee_projet"] = rng.choice(PROJECT_IDEAS)
    if rng.random() < 0.8:
        a["participer_commission"] = "yes" if rng.random() < 0.1 + 0.3 * p["engagement"] else "no"
    if "reseaux_sociaux" in questions:
        networks = [v for v in choices["reseaux_sociaux"] if v != "aucun" and rng.random() < 0.5]
        a["reseaux_sociaux"] = networks or ["aucun"]
    return a


def partial(answers: dict, document: dict, rng: random.Random) -> dict:
    """What a respondent who gave up after one or two pages leaves behind."""
    pages = rng.randint(1, 2)
    kept = {q["name"] for s in document["sections"][:pages] for q in s["questions"]}
    return {k: v for k, v in answers.items() if k.removesuffix("_other") in kept}


def submission_time(rng: random.Random, opens: date, days: int) -> datetime:
    """Most answers come in the first weeks, after school hours, more on Wednesdays."""
    offset = min(int(rng.expovariate(1 / (days / 3))), days - 1)
    if rng.random() < 0.15:
        offset = min(offset + (2 - (opens + timedelta(days=offset)).weekday()) % 7, days - 1)
    day = opens + timedelta(days=offset)
    hour = rng.choices(range(8, 23), weights=[1, 1, 1, 2, 3, 2, 2, 3, 6, 8, 8, 6, 5, 4, 2])[0]
    return datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), tzinfo=UTC)
