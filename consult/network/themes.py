"""The fixed list of themes of the directory of social skills: code -> label (gettext id)."""

from analysis.i18n import N_

THEMES: dict[str, str] = {
    "accueil_enfant": N_("Childcare"),
    "accueil_suivi_social": N_("Social reception and follow-up"),
    "aides_ponctuelles": N_("One-off assistance"),
    "animation_lien_social": N_("Community activities and social ties"),
    "educatif": N_("Education"),
    "emploi": N_("Employment"),
    "formation": N_("Training"),
    "logement": N_("Housing"),
    "sante": N_("Health"),
    "jeunesse": N_("Youth"),
    "loisirs": N_("Leisure, sport and culture"),
}

KINDS: dict[str, str] = {
    "association": N_("Association"),
    "institution": N_("Institution"),
}

PROJECT_STATUSES: dict[str, str] = {
    "idea": N_("Idea"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "abandoned": N_("Abandoned"),
}
