"""How to call each route: concrete path values, query strings and form bodies.

A body is sent where an empty one would tell nothing (a commission chosen in the form) or
would undo what other actors rely on (the youth commission's members, its public page).
"""

import re
from dataclasses import dataclass
from typing import Any

from tests.security.world import OPEN_SLUG, TINY_PNG, World

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    data: dict | None = None
    files: dict | None = None
    api: bool = False


QUERIES = {
    "/partners/directory.pdf": "q=aucun-partenaire-ne-porte-ce-nom",
    "/campaigns/{slug:str}/results/chart.svg": "q=genre",
    "/campaigns/{slug:str}/population/chart.svg": "variable=genre",
    "/campaigns/{slug:str}/results/crosstab": "row=genre&col=quartier",
    "/campaigns/{slug:str}/results/crosstab.svg": "row=genre&col=quartier",
    "/campaigns/{slug:str}/results/crosstab/export": "row=genre&col=quartier",
    "/api/campaigns/{slug:str}/crosstab": "row=genre&col=quartier",
    "/p/{slug:str}/chart.svg": "q=genre",
    "/series/{series:str}/waves/chart.svg": "q=genre",
}


def _bodies(world: World, actor: str) -> dict[str, dict]:
    youth = world.values["commission_id"]
    members = world.values["youth_members"]
    return {
        "/language": {"lang": "fr", "next": "/"},
        "/questionnaires": {"commission_id": youth, "title": "Matrice"},
        "/questionnaires/from-template": {
            "commission_id": youth,
            "template": "event_satisfaction",
        },
        "/questionnaires/{questionnaire_id:int}/questions": {"type": "text"},
        "/questionnaires/{questionnaire_id:int}/questions/{name:str}/condition": {
            "action": "remove"
        },
        "/questionnaires/{questionnaire_id:int}/questions/{name:str}/move": {"direction": "down"},
        "/questionnaires/{questionnaire_id:int}/sections/{name:str}/move": {"direction": "down"},
        "/campaigns": {"version_id": world.values["version_id"]},
        "/campaigns/{slug:str}/public": {"q": "genre", "published": "1"},
        "/campaigns/{slug:str}/population": {
            "margins": "variable,category,share\ngenre,fille,0.5\ngenre,garcon,0.5\n"
        },
        "/campaigns/{slug:str}/deck/slides/{slide_id:int}": {"action": "up"},
        "/commissions/{slug:str}/edit": {
            "description": world.values["youth_description"],
            "theme": world.values["youth_theme"],
            "partner_ids": [str(i) for i in members["partner_ids"]],
            "user_ids": [str(i) for i in members["user_ids"]],
            "pilot_id": str(world.values["youth_pilot"]),
        },
        "/polls": {"commission_id": youth},
        "/polls/{code:str}/answers/{vote_id:int}": {"decision": "approve"},
        "/r/{slug:str}/resume": {"code": "NOPE-NOPE"},
    }


UPLOADS = {
    "/questionnaires/import": ("not-a-questionnaire.json", b"{}"),
    "/partners/import": ("partenaires.csv", b""),
    # no description: refused (400) for those who may, after the 403 for those who may not
    "/questionnaires/{questionnaire_id:int}/questions/{name:str}/images/{value:str}": (
        "tile.png",
        TINY_PNG,
    ),
}


def _path_value(world: World, actor: str, template: str, name: str) -> Any:
    if name == "slug":
        if template.startswith(("/r/", "/k/")):
            return OPEN_SLUG
        if template.startswith("/commissions/"):
            return world.values["commission"]
        if template.startswith("/partners/"):
            return world.values["partner"]
        return world.values["slug"]
    if name == "name":
        if template.startswith("/api/"):
            return "genre"
        if template.endswith("/questions/{name:str}/delete"):
            return world.value(actor, "deleted_question")
        if template.endswith("/sections/{name:str}/delete"):
            return world.value(actor, "empty_section")
        if template.endswith(("/images", "/images/{value:str}")):
            return world.value(actor, "choice_question")
        kind = "section" if "/sections/" in template else "question"
        return world.value(actor, kind)
    if name == "section" and template.startswith("/questionnaires/"):  # the designer's preview
        return world.value(actor, "section")
    fixed = {
        "value": "oui",
        "file_name": world.values["image_file"],
        "key": world.values["kiosk_key"],
        "section": "profil",
        "action": "reveal",
        "file_path": "css/consult.css",
        "path": "no-such-file.yaml",
    }
    return fixed[name] if name in fixed else world.value(actor, name)


def call_for(world: World, actor: str, method: str, template: str) -> Call:
    def fill(match: re.Match) -> str:
        return str(_path_value(world, actor, template, match[1]))

    path = PARAM.sub(fill, template)
    if template in QUERIES:
        path += "?" + QUERIES[template]
    data = files = None
    if method == "POST":
        data = _bodies(world, actor).get(template, {})
        if template in UPLOADS:
            files = {"file": UPLOADS[template]}
            data = {"commission_id": str(world.values["commission_id"])}
    return Call(method, path, data, files, api=template.startswith("/api/"))


def prepare(world: World, actor: str, template: str) -> None:
    """Undo needs something to undo: delete a question first (refused for those who may not)."""
    if template.endswith("/undo"):
        questionnaire = world.value(actor, "questionnaire_id")
        name = world.value(actor, "undone_question")
        world.request(actor, "POST", f"/questionnaires/{questionnaire}/questions/{name}/delete")
