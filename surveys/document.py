"""The questionnaire as a document: plain frozen data, JSON in and out.

The JSON form is compact (fields at their default are left out) and canonical, so that
JSON -> document -> JSON gives back the same text; it is what the database stores and what
the library files hold.
"""

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property
from typing import Any

from surveys.choices import Choice, Labels, effective_choices
from surveys.limits import MAX_JSON_DEPTH, json_depth
from surveys.problems import Problem, ProblemsError

SCHEMA = 1
IMAGE_KEY = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Row:
    """One line of a matrix; its answers share the question's choices."""

    name: str
    label: Labels = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    name: str
    type: str
    label: Labels = field(default_factory=dict)
    hint: Labels = field(default_factory=dict)
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: Labels = field(default_factory=dict)
    choices: tuple[Choice, ...] = ()
    other: bool = False
    rows: tuple[Row, ...] = ()
    min_picks: int | None = None
    max_picks: int | None = None
    min: int | float | None = None
    max: int | float | None = None
    appearance: str | None = None
    choice_filter: str | None = None
    # of a date: the earliest and latest accepted, "YYYY-MM-DD" or "today"
    min_date: str | None = None
    max_date: str | None = None
    # the question in easy-read wording (FALC), per language, for respondents who ask
    easy: Labels = field(default_factory=dict)
    required_message: Labels = field(default_factory=dict)

    @property
    def other_name(self) -> str:
        """Key of the "other — specify" text, beside the question's own answer."""
        return f"{self.name}_other"

    def choice_values(self) -> list[str]:
        return [c.value for c in effective_choices(self)]

    @cached_property
    def has_images(self) -> bool:
        """Whether its choices show as picture tiles (any choice has an image)."""
        return any(c.image for c in self.choices)


@dataclass(frozen=True)
class Section:
    name: str
    title: Labels = field(default_factory=dict)
    description: Labels = field(default_factory=dict)
    relevant: str | None = None
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Document:
    title: Labels
    languages: tuple[str, ...]
    sections: tuple[Section, ...]
    name: str = ""
    version: str = ""
    description: Labels = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else "fr"

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    @cached_property
    def _index(self) -> dict[str, tuple[int, Section, Question]]:
        index: dict[str, tuple[int, Section, Question]] = {}
        position = 0
        for section in self.sections:
            for question in section.questions:
                index.setdefault(question.name, (position, section, question))
                position += 1
        return index

    def question(self, name: str) -> Question:
        return self._index[name][2]

    def has_question(self, name: str) -> bool:
        return name in self._index

    def section_of(self, name: str) -> Section:
        return self._index[name][1]

    def position(self, name: str) -> int:
        return self._index[name][0]

    def section(self, name: str) -> Section:
        for section in self.sections:
            if section.name == name:
                return section
        raise KeyError(name)


def text(labels: Mapping[str, str], lang: str, fallback: str = "") -> str:
    """A label in the wanted language, else in any language it has, never a KeyError."""
    if lang in labels:
        return labels[lang]
    if fallback in labels:
        return labels[fallback]
    return next(iter(labels.values()), "")


# --- to and from plain data -----------------------------------------------------------


def _compact(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.default_factory is not MISSING:
            if value == f.default_factory():
                continue
        elif f.default is not MISSING and value == f.default:
            continue
        if isinstance(value, tuple):
            value = [_compact(v) if hasattr(v, "__dataclass_fields__") else v for v in value]
        elif isinstance(value, dict):
            value = dict(value)
        out[f.name] = value
    return out


def to_dict(document: Document) -> dict[str, Any]:
    data = {"schema": SCHEMA}
    data.update(_compact(document))
    # keep a readable key order: identity first, then the body
    order = ["schema", "name", "version", "title", "description", "languages", "sections"]
    return {k: data[k] for k in order if k in data}


def to_json(document: Document) -> str:
    return json.dumps(to_dict(document), ensure_ascii=False, indent=2) + "\n"


class _Reader:
    """Checks the shape of untrusted plain data while building the document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, code: str, path: str, **params: Any) -> None:
        self.problems.append(Problem(code, path, path=path, **params))

    def mapping(self, data: Any, path: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail("J_WRONG_TYPE", path, expected="object")
            return {}
        return data

    def known(self, data: dict[str, Any], path: str, allowed: set[str]) -> None:
        for key in data:
            if key not in allowed:
                self.fail("J_UNKNOWN_FIELD", f"{path}.{key}" if path else key, field=key)

    def get(self, data: dict, key: str, path: str, kind: type | tuple, default: Any) -> Any:
        where = f"{path}.{key}" if path else key
        if key not in data:
            if default is _REQUIRED:
                self.fail("J_MISSING_FIELD", where, field=key)
                return None
            return default
        value = data[key]
        if value is None and default is None:
            return None
        # bool is an int in Python; a JSON true is never a number here
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            self.fail("J_WRONG_TYPE", where, expected=_kind_name(kind))
            return default if default is not _REQUIRED else None
        return value

    def labels(self, data: dict, key: str, path: str, required: bool = False) -> Labels:
        raw = self.get(data, key, path, dict, _REQUIRED if required else {})
        if raw is None:
            return {}
        where = f"{path}.{key}" if path else key
        for lang, value in raw.items():
            if not isinstance(value, str):
                self.fail("J_WRONG_TYPE", f"{where}.{lang}", expected="string")
        return {k: v for k, v in raw.items() if isinstance(v, str)}


_REQUIRED = object()


def _tuple(kind: type | tuple) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple) -> str:
    names = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object"}
    names[list] = "array"
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def _field_names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def _choices(r: _Reader, items: list, path: str, cls: type, key: str) -> tuple:
    out = []
    for i, raw in enumerate(items):
        where = f"{path}[{i}]"
        item = r.mapping(raw, where)
        r.known(item, where, _field_names(cls))
        value = r.get(item, key, where, str, _REQUIRED)
        extra = {}
        if cls is Choice and r.get(item, "exclusive", where, bool, False):
            extra["exclusive"] = True
        if cls is Choice and "image" in item:
            extra |= _image(r, item, where)
        if cls is Choice and (columns := _columns(r, item, where)):
            extra["columns"] = columns
        out.append(cls(value or "", r.labels(item, "label", where), **extra))
    return tuple(out)


def _image(r: _Reader, item: dict, where: str) -> dict[str, Any]:
    """A choice's image: the key of its file (64 hexadecimal digits), size and text."""
    key = r.get(item, "image", where, str, "")
    if key and not IMAGE_KEY.fullmatch(key):
        r.fail("J_WRONG_TYPE", f"{where}.image", expected="image key")
        return {}
    return {
        "image": key,
        "image_width": r.get(item, "image_width", where, int, 0),
        "image_height": r.get(item, "image_height", where, int, 0),
        "image_alt": r.labels(item, "image_alt", where),
    }


def _columns(r: _Reader, item: dict, where: str) -> tuple[dict[str, str], ...]:
    rows = r.get(item, "columns", where, list, [])
    good = tuple(dict(row) for row in rows if isinstance(row, dict)
                 and all(isinstance(v, str) for v in row.values()))  # fmt: skip
    if len(good) != len(rows):
        r.fail("J_WRONG_TYPE", f"{where}.columns", expected="array of objects of strings")
    return good


def _question(r: _Reader, raw: Any, path: str) -> Question:
    data = r.mapping(raw, path)
    r.known(data, path, _field_names(Question))
    number = (int, float)
    return Question(
        name=r.get(data, "name", path, str, _REQUIRED) or "",
        type=r.get(data, "type", path, str, _REQUIRED) or "",
        label=r.labels(data, "label", path),
        hint=r.labels(data, "hint", path),
        required=r.get(data, "required", path, bool, False),
        relevant=r.get(data, "relevant", path, str, None),
        constraint=r.get(data, "constraint", path, str, None),
        constraint_message=r.labels(data, "constraint_message", path),
        choices=_choices(
            r, r.get(data, "choices", path, list, []), f"{path}.choices", Choice, "value"
        ),
        other=r.get(data, "other", path, bool, False),
        rows=_choices(r, r.get(data, "rows", path, list, []), f"{path}.rows", Row, "name"),
        min_picks=r.get(data, "min_picks", path, int, None),
        max_picks=r.get(data, "max_picks", path, int, None),
        min=r.get(data, "min", path, number, None),
        max=r.get(data, "max", path, number, None),
        appearance=r.get(data, "appearance", path, str, None),
        choice_filter=r.get(data, "choice_filter", path, str, None),
        min_date=r.get(data, "min_date", path, str, None),
        max_date=r.get(data, "max_date", path, str, None),
        easy=r.labels(data, "easy", path),
        required_message=r.labels(data, "required_message", path),
    )


def _section(r: _Reader, raw: Any, path: str) -> Section:
    data = r.mapping(raw, path)
    r.known(data, path, _field_names(Section))
    questions = r.get(data, "questions", path, list, [])
    return Section(
        name=r.get(data, "name", path, str, _REQUIRED) or "",
        title=r.labels(data, "title", path),
        description=r.labels(data, "description", path),
        relevant=r.get(data, "relevant", path, str, None),
        questions=tuple(_question(r, q, f"{path}.questions[{i}]") for i, q in enumerate(questions)),
    )


def from_dict(data: Any) -> Document:
    """Build a document from plain data; raise ProblemsError (J_* codes) if its shape is wrong.

    Only the shape is checked here; ``surveys.validation.validate`` checks the meaning.
    """
    r = _Reader()
    data = r.mapping(data, "")
    r.known(data, "", _field_names(Document) | {"schema"})
    schema = r.get(data, "schema", "", int, SCHEMA)
    if schema != SCHEMA:
        r.fail("J_SCHEMA", "schema", schema=schema, supported=SCHEMA)
    languages = r.get(data, "languages", "", list, _REQUIRED) or []
    if not all(isinstance(lang, str) for lang in languages):
        r.fail("J_WRONG_TYPE", "languages", expected="array of strings")
    sections = r.get(data, "sections", "", list, _REQUIRED) or []
    document = Document(
        name=r.get(data, "name", "", str, ""),
        version=r.get(data, "version", "", str, ""),
        title=r.labels(data, "title", "", required=True),
        description=r.labels(data, "description", ""),
        languages=tuple(lang for lang in languages if isinstance(lang, str)),
        sections=tuple(_section(r, s, f"sections[{i}]") for i, s in enumerate(sections)),
    )
    if r.problems:
        raise ProblemsError(r.problems)
    return document


def from_json(text_: str | bytes) -> Document:
    try:
        data = json.loads(text_)
    except json.JSONDecodeError as exc:
        raise ProblemsError(
            [Problem("J_NOT_JSON", f"line {exc.lineno}", line=exc.lineno, column=exc.colno)]
        ) from None
    except UnicodeDecodeError as exc:  # an uploaded file in another encoding than UTF-8
        line = text_[: exc.start].count(b"\n") + 1
        column = exc.start - text_.rfind(b"\n", 0, exc.start)
        raise ProblemsError(
            [Problem("J_NOT_JSON", f"line {line}", line=line, column=column)]
        ) from None
    except RecursionError:  # nested beyond anything a questionnaire needs
        raise ProblemsError([Problem("J_TOO_DEEP", "", max=MAX_JSON_DEPTH)]) from None
    if json_depth(text_) > MAX_JSON_DEPTH:
        raise ProblemsError([Problem("J_TOO_DEEP", "", max=MAX_JSON_DEPTH)])
    return from_dict(data)
