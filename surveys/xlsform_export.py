"""XLSForm out: a workbook that pyxform (ODK's reference converter) accepts, so a
questionnaire can go to Kobo or ODK, and that ``surveys.xlsform.import_xlsform`` reads back
to the same document.

What standard XLSForm has no column for travels where pyxform lets it through unchanged: a
``consult`` column on the survey sheet (``min= max= min_picks= max_picks= kind=rating
other=yes``), one on the choices sheet (``exclusive=yes``: « None of these »), and
``consult_title::<lang>`` / ``consult_description::<lang>`` in settings. A cascading list
(``choice_filter``) writes the columns its filter reads beside its choices.
"Other — specify" is written the ODK way too: an ``other`` choice and a ``<name>_other`` text.
"""

import io
from collections.abc import Iterable
from typing import Any

from surveys.document import Choice, Document, Labels, Question
from surveys.types import OTHER, RATING_RANGE, YES_NO_CHOICES
from surveys.xlsform import TRANSLATED, language_name
from surveys.xlsform_media import ALT_PREFIX, image_columns
from surveys.xlsform_settle import alone_constraint

SPECIFY = {"fr": "Précisez", "en": "Please specify"}
_SELECT = {"single_choice": "select_one", "likert": "select_one", "yes_no": "select_one",
           "multiple_choice": "select_multiple", "ranking": "rank"}  # fmt: skip
_PLAIN = {"integer": "integer", "decimal": "decimal", "text": "text", "long_text": "text",
          "date": "date", "note": "note"}  # fmt: skip


def _format_number(value: int | float) -> str:
    return str(int(value)) if isinstance(value, int) else repr(value)


def _and(own: str | None, added: str | None) -> str:
    """The question's constraint, then what ODK needs for « None of these »."""
    return f"({own}) and ({added})" if own and added else own or added or ""


def _pairs(values: dict[str, Any]) -> str:
    return " ".join(
        f"{k}={_format_number(v) if isinstance(v, int | float) else v}"
        for k, v in values.items()
        if v is not None
    )


class _Writer:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.languages = list(document.languages)
        names = [language_name(lang) for lang in self.languages]
        self.survey_header = ["type", "name"]
        for base in TRANSLATED:
            self.survey_header += [f"{base}::{n}" for n in names]
        self.survey_header += ["required", "relevant", "constraint", "appearance", "parameters"]
        self.survey_header += ["choice_filter", "consult"]
        self.choices_header = ["list_name", "name"] + [f"label::{n}" for n in names]
        if any(c.image for q in document.questions() for c in q.choices):  # surveys.xlsform_media
            self.choices_header += ["image"] + [f"{ALT_PREFIX}{lang}" for lang in self.languages]
        self.survey: list[dict[str, Any]] = []
        self.choices: list[dict[str, Any]] = []
        self.choice_extra: dict[str, None] = {}  # columns a choice_filter reads, "consult"
        self.duplicates = False

    def translated(self, base: str, labels: Labels) -> dict[str, str]:
        return {f"{base}::{language_name(lang)}": text for lang, text in labels.items()}

    def add_list(self, name: str, choices: Iterable[Choice]) -> None:
        for choice in choices:
            own = {
                "list_name": name,
                "name": choice.value,
                **self.translated("label", choice.label),
            } | image_columns(choice)
            if choice.exclusive:  # « None of these »: Consult's own column, ODK ignores it
                own["consult"] = "exclusive=yes"
                self.choice_extra.setdefault("consult")
            # a cascading list: one row per parent the value is offered under
            for columns in choice.columns or ({},):
                self.choice_extra.update(dict.fromkeys(columns))
                self.choices.append({**columns, **own})
            self.duplicates = self.duplicates or len(choice.columns) > 1

    def question(self, q: Question) -> None:
        if q.type == "matrix":
            self.matrix(q)
            return
        appearance = [q.appearance] if q.appearance else []
        exclusive = [c.value for c in q.choices if c.exclusive]
        parameters: dict[str, Any] = {}
        consult: dict[str, Any] = {}
        if q.type in _SELECT:
            xls_type = f"{_SELECT[q.type]} {q.name}"
            if q.type == "likert":
                appearance.insert(0, "likert")
            if q.type in ("multiple_choice", "ranking"):
                consult = {"min_picks": q.min_picks, "max_picks": q.max_picks}
            if q.other:
                consult["other"] = "yes"
        elif q.type == "rating":
            xls_type = "range"
            low = RATING_RANGE[0] if q.min is None else q.min
            high = RATING_RANGE[1] if q.max is None else q.max
            parameters = {"start": low, "end": high, "step": 1}
            consult = {"kind": "rating", "min": q.min, "max": q.max}
        else:
            xls_type = _PLAIN[q.type]
            if q.type == "long_text":
                appearance.insert(0, "multiline")
            if q.type in ("integer", "decimal"):
                consult = {"min": q.min, "max": q.max}
        self.survey.append({
            "type": xls_type,
            "name": q.name,
            **self.translated("label", q.label),
            **self.translated("hint", q.hint),
            **self.translated("constraint_message", q.constraint_message),
            **self.translated("required_message", q.required_message),
            "required": "yes" if q.required else "",
            "relevant": q.relevant or "",
            "constraint": _and(q.constraint, alone_constraint(exclusive)),
            "appearance": " ".join(appearance),
            "parameters": _pairs(parameters),
            "choice_filter": q.choice_filter or "",
            "consult": _pairs(consult),
        })  # fmt: skip
        if q.type == "yes_no":  # the default labels, in every language (English beyond ours)
            self.add_list(q.name, q.choices or tuple(
                Choice(c.value, {lang: c.label.get(lang, c.label["en"]) for lang in self.languages})
                for c in YES_NO_CHOICES))  # fmt: skip
        elif q.choices:
            self.add_list(q.name, q.choices)
        if q.other and q.type in ("single_choice", "multiple_choice"):
            self.survey.append({
                "type": "text",
                "name": q.other_name,
                **self.translated("label", {lang: SPECIFY.get(lang, SPECIFY["en"])
                                            for lang in self.languages}),
                "relevant": f"selected(${{{q.name}}}, '{OTHER}')",
            })  # fmt: skip

    def matrix(self, q: Question) -> None:
        self.survey.append({
            "type": "begin_group",
            "name": q.name,
            **self.translated("label", q.label),
            **self.translated("hint", q.hint),
            "relevant": q.relevant or "",
            "appearance": " ".join(["table-list"] + ([q.appearance] if q.appearance else [])),
        })  # fmt: skip
        for row in q.rows:
            self.survey.append({
                "type": f"select_one {q.name}",
                "name": f"{q.name}_{row.name}",
                **self.translated("label", row.label),
                "required": "yes" if q.required else "",
            })  # fmt: skip
        self.survey.append({"type": "end_group", "name": q.name})
        self.add_list(q.name, q.choices)

    def workbook(self) -> bytes:
        import openpyxl

        document = self.document
        names = (
            {q.name for q in document.questions()}
            | {f"{q.name}_{r.name}" for q in document.questions() for r in q.rows}
            | {q.other_name for q in document.questions() if q.other}
        )
        for section in document.sections:
            # pyxform wants every name unique: a section named like a question is renamed
            group = section.name
            while group in names:
                group += "_section"
            self.survey.append({
                "type": "begin_group",
                "name": group,
                "consult": f"section={section.name}" if group != section.name else "",
                **self.translated("label", section.title),
                **self.translated("hint", section.description),
                "relevant": section.relevant or "",
                "appearance": "field-list",
            })  # fmt: skip
            for question in section.questions:
                self.question(question)
            self.survey.append({"type": "end_group", "name": group})
        book = openpyxl.Workbook()
        _fill(book.active, "survey", self.survey_header, self.survey)
        extra = [c for c in self.choice_extra if c not in self.choices_header]
        _fill(book.create_sheet(), "choices", self.choices_header + extra, self.choices)
        settings = {
            "form_title": document.title.get(document.default_language, ""),
            "form_id": document.name,
            "version": document.version,
            "default_language": language_name(document.default_language),
            **self.translated("consult_title", document.title),
            **self.translated("consult_description", document.description),
        }
        if self.duplicates:  # pyxform refuses a value twice in a list without it
            settings["allow_choice_duplicates"] = "yes"
        _fill(book.create_sheet(), "settings", list(settings), [settings])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _fill(ws: Any, title: str, header: list[str], rows: list[dict[str, Any]]) -> None:
    ws.title = title
    ws.append(header)
    for row in rows:
        ws.append([row.get(column) or None for column in header])
    # openpyxl turns text starting with "=" into a formula; an XLSForm holds only text.
    for cells in ws.iter_rows():
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"


def export_xlsform(document: Document) -> bytes:
    """An .xlsx XLSForm of the document; pyxform converts it, ``import_xlsform`` reads it back."""
    return _Writer(document).workbook()
