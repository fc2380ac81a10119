"""Ready-made questionnaires to start from: JSON documents beside this module."""

from dataclasses import dataclass
from pathlib import Path

from surveys.document import Document, Labels, from_json

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Template:
    key: str
    title: Labels
    description: Labels
    question_count: int


def template_keys() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.json"))


def load_template(key: str) -> Document:
    """The document of a template; KeyError for an unknown key (never a path from outside)."""
    if key not in template_keys():
        raise KeyError(key)
    return from_json((HERE / f"{key}.json").read_text(encoding="utf-8"))


def list_templates() -> list[Template]:
    templates = []
    for key in template_keys():
        document = load_template(key)
        count = sum(1 for q in document.questions() if q.type != "note")
        templates.append(Template(key, document.title, document.description, count))
    return templates
