"""XLSForm in and out: the spreadsheet format of ODK and KoboToolbox.

Import reads ``.xlsx`` (openpyxl) and ``.xls`` (xlrd), maps XLSForm rows onto our document,
skips what we cannot represent with one warning each, and reports what is broken as coded
problems pinned to a sheet, row and column — in which case there is no document at all.
Export writes a workbook that imports back to the same document.

Our dialect, beyond standard XLSForm (standard tools ignore or warn about it):
``parameters`` ``min=``/``max=`` on integer and decimal, ``min_picks=``/``max_picks=`` on
select_multiple and rank; ``form_title::<lang>`` and ``description::<lang>`` in settings.
A matrix is a ``table-list`` group of select_one rows sharing one list; a yes/no question is a
select_one whose list is exactly ``yes``, ``no``.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from surveys.document import Choice, Document, Labels, Question, Row, Section
from surveys.problems import Problem
from surveys.types import OTHER, OTHER_LABELS, YES_NO_CHOICES
from surveys.validation import validate


class ImportResult(NamedTuple):
    document: Document | None
    problems: list[Problem]
    warnings: list[Problem]


LANGUAGE_NAMES = {
    "fr": "French",
    "en": "English",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "ar": "Arabic",
    "tr": "Turkish",
    "nl": "Dutch",
    "pl": "Polish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "ro": "Romanian",
    "sw": "Swahili",
}
_NAME_TO_CODE = {name.lower(): code for code, name in LANGUAGE_NAMES.items()} | {
    "français": "fr",
    "francais": "fr",
    "anglais": "en",
    "allemand": "de",
    "espagnol": "es",
    "italien": "it",
    "portugais": "pt",
    "arabe": "ar",
    "turc": "tr",
}

TRANSLATED = ("label", "hint", "constraint_message")
SURVEY_COLUMNS = {
    "type",
    "name",
    "required",
    "relevant",
    "constraint",
    "appearance",
    "parameters",
    "choice_filter",
    *TRANSLATED,
}
CHOICES_COLUMNS = {"list_name", "name", "label"}
SETTINGS_COLUMNS = {"form_title", "form_id", "version", "default_language", "description"}
_COLUMN_ALIASES = {
    "list name": "list_name",
    "value": "name",
    "constraint message": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "choice filter": "choice_filter",
    "caption": "label",
}

_TYPE_ALIASES = {
    "int": "integer",
    "string": "text",
    "trigger": "acknowledge",
    "select1": "select_one",
}
QUESTION_TYPES = {"integer", "decimal", "text", "date", "note", "range", "acknowledge"}
LIST_TYPES = {"select_one", "select_multiple", "rank"}
STRUCTURE = {"begin_group", "end_group", "begin_repeat", "end_repeat"}
UNSUPPORTED = {
    "geopoint",
    "geotrace",
    "geoshape",
    "start-geopoint",
    "image",
    "photo",
    "audio",
    "background-audio",
    "video",
    "file",
    "barcode",
    "calculate",
    "hidden",
    "time",
    "datetime",
    "select_one_from_file",
    "select_multiple_from_file",
    "select_one_external",
    "xml-external",
    "csv-external",
    "osm",
    "background-geopoint",
}
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
}
_TRUE = {"yes", "true", "true()", "1", "y"}
_FALSE = {"", "no", "false", "false()", "0", "n"}


# --- reading workbooks ----------------------------------------------------------------


@dataclass
class _Sheet:
    name: str
    headers: dict[str, str]  # normalised key -> header as written
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, {key: text})


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _header_key(header: str) -> str:
    base, sep, lang = header.partition("::")
    base = re.sub(r"\s+", " ", base.strip().lower())
    base = _COLUMN_ALIASES.get(base, base).replace(" ", "_")
    return f"{base}::{lang.strip()}" if sep else base


def _sheet(name: str, grid: Iterable[Iterable[Any]]) -> _Sheet:
    rows_iter = iter(grid)
    header_cells = [_cell_text(v) for v in next(rows_iter, [])]
    keys = [_header_key(h) if h else "" for h in header_cells]
    headers = {k: h for k, h in zip(keys, header_cells, strict=True) if k}
    rows = []
    for number, cells in enumerate(rows_iter, start=2):
        values = {}
        for key, value in zip(keys, cells, strict=False):
            text = _cell_text(value)
            if key and text and key not in values:
                values[key] = text
        if values:
            rows.append((number, values))
    return _Sheet(name, headers, rows)


def _read_workbook(data: bytes) -> dict[str, _Sheet] | None:
    if data[:2] == b"PK":
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # a damaged archive raises whatever zipfile/lxml raise
            return None
        sheets = {ws.title: _sheet(ws.title, ws.iter_rows(values_only=True)) for ws in book}
        book.close()
        return sheets
    if data[:4] == b"\xd0\xcf\x11\xe0":
        import xlrd

        try:
            book = xlrd.open_workbook(file_contents=data)
        except Exception:
            return None
        return {
            sh.name: _sheet(sh.name, (sh.row_values(i) for i in range(sh.nrows)))
            for sh in book.sheets()
        }
    return None


# --- interpreting cells ---------------------------------------------------------------


def _language_code(text: str) -> tuple[str, bool]:
    """`French (fr)` -> fr, `fr` -> fr, `French` -> fr; second value: was it a guess."""
    text = text.strip()
    m = re.search(r"\(([A-Za-z]{2,3}(-[A-Za-z0-9]+)*)\)\s*$", text)
    if m:
        return m.group(1).lower(), False
    if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", text):
        return text, False
    if text.lower() in _NAME_TO_CODE:
        return _NAME_TO_CODE[text.lower()], False
    letters = re.sub(r"[^a-z]", "", text.lower())[:3] or "xx"
    return letters, True


def _language_name(code: str) -> str:
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


def _read_type(raw: str) -> tuple[str, list[str]]:
    text = re.sub(r"\s+", " ", raw.strip().lower())
    text = re.sub(r"^(select|begin|end) (one|multiple|group|repeat)\b", r"\1_\2", text)
    words = text.split(" ")
    kind = _TYPE_ALIASES.get(words[0], words[0])
    if kind == "select_one" and len(words) > 1 and words[1] == "from_file":
        kind = "select_one_from_file"
    return kind, words[1:]


def _parameters(raw: str) -> dict[str, str] | None:
    out = {}
    for part in re.split(r"[\s,;]+", raw.strip()):
        if not part:
            continue
        key, sep, value = part.partition("=")
        if not sep or not key or not value:
            return None
        out[key.strip().lower()] = value.strip()
    return out


def _number(text: str | None) -> int | float | None:
    if text is None:
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


# --- import ---------------------------------------------------------------------------


@dataclass
class _Group:
    name: str
    row: int
    values: dict[str, str]
    items: list[Any] = field(default_factory=list)  # _Item | _Group


@dataclass
class _Item:
    question: Question
    row: int
    list_name: str | None = None


class _Importer:
    def __init__(self, sheets: dict[str, _Sheet], default_language: str) -> None:
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        found = {name.strip().lower(): sheet for name, sheet in sheets.items()}
        self.survey = found.get("survey")
        self.choices_sheet = found.get("choices")
        self.settings_sheet = found.get("settings")
        for name in sheets:
            if name.strip().lower() not in ("survey", "choices", "settings"):
                self.warn("W_EXTRA_SHEET", name)
        self.settings = (
            self.settings_sheet.rows[0][1]
            if self.settings_sheet and self.settings_sheet.rows
            else {}
        )
        self.languages = self._languages(default_language)
        self.rows_of: dict[str, list[int]] = {}
        self.section_rows: dict[str, int] = {}
        self.list_of: dict[str, str] = {}
        self.choice_rows: dict[tuple[str, str], int] = {}
        self.missing_translations: dict[str, int] = {}

    # problems and warnings carry the sheet, row and column they are about
    def _at(
        self, code: str, sheet: str, row: int | None, column: str | None, **params: Any
    ) -> Problem:
        where = sheet if row is None else f"{sheet} row {row}"
        if column:
            where += f", column {column}"
        extra = {"row": row} if row is not None else {}
        return Problem(code, where, sheet=sheet, **extra, column=column or "", **params)

    def fail(
        self,
        code: str,
        sheet: str,
        row: int | None = None,
        column: str | None = None,
        **params: Any,
    ) -> None:
        self.problems.append(self._at(code, sheet, row, column, **params))

    def warn(
        self,
        code: str,
        sheet: str,
        row: int | None = None,
        column: str | None = None,
        **params: Any,
    ) -> None:
        self.warnings.append(self._at(code, sheet, row, column, **params))

    def header(self, sheet: _Sheet, key: str) -> str:
        return sheet.headers.get(key, key)

    # languages ---------------------------------------------------------------------
    def _languages(self, default_language: str) -> list[str]:
        self.column_language: dict[str, str] = {}
        coded: list[str] = []
        plain = False
        for sheet in (self.survey, self.choices_sheet, self.settings_sheet):
            if sheet is None:
                continue
            for key, header in sheet.headers.items():
                base, sep, lang = key.partition("::")
                if base not in (*TRANSLATED, "form_title", "description"):
                    continue
                if not sep:
                    plain = True
                    continue
                code, guessed = _language_code(header.partition("::")[2])
                if guessed and code not in coded:
                    self.warn(
                        "W_LANGUAGE_GUESSED", sheet.name, column=header, name=lang, guess=code
                    )
                self.column_language[key] = code
                if code not in coded:
                    coded.append(code)
        default = self.settings.get("default_language")
        if default:
            default = _language_code(default)[0]
        elif plain or not coded:
            default = default_language
        else:
            default = coded[0]
        return [default] + [c for c in coded if c != default]

    def labels(self, values: dict[str, str], base: str) -> Labels:
        out: dict[str, str] = {}
        for key, text in values.items():
            if key.partition("::")[0] != base:
                continue
            lang = self.column_language.get(key, self.languages[0])
            if "::" in key or lang not in out:
                out[lang] = text
        if not out:
            return {}
        fallback = out.get(self.languages[0]) or next(iter(out.values()))
        for lang in self.languages:
            if lang not in out:
                self.missing_translations[lang] = self.missing_translations.get(lang, 0) + 1
                out[lang] = fallback
        return {lang: out[lang] for lang in self.languages if lang in out} | {
            k: v for k, v in out.items() if k not in self.languages
        }

    # columns -----------------------------------------------------------------------
    def unknown_columns(self, sheet: _Sheet | None, known: set[str]) -> None:
        if sheet is None:
            return
        for key, header in sheet.headers.items():
            if key.partition("::")[0] not in known:
                self.warn("W_UNKNOWN_COLUMN", sheet.name, column=header)

    # choices -----------------------------------------------------------------------
    def read_choices(self) -> dict[str, list[Choice]]:
        lists: dict[str, list[Choice]] = {}
        sheet = self.choices_sheet
        if sheet is None:
            return lists
        self.unknown_columns(sheet, CHOICES_COLUMNS)
        for row, values in sheet.rows:
            list_name, value = values.get("list_name", ""), values.get("name", "")
            if not list_name and not value:
                continue
            if not value:
                self.fail("X_MISSING_NAME", sheet.name, row, self.header(sheet, "name"))
                continue
            self.choice_rows.setdefault((list_name, value), row)
            lists.setdefault(list_name, []).append(Choice(value, self.labels(values, "label")))
        return lists

    # survey ------------------------------------------------------------------------
    def read_survey(self) -> _Group:
        sheet = self.survey
        root = _Group("", 0, {})
        stack = [root]
        skipping: tuple[int, str, int, int] | None = None  # depth, name, row, count
        metadata: list[str] = []
        type_column = self.header(sheet, "type")
        for row, values in sheet.rows:
            raw_type, name = values.get("type", ""), values.get("name", "")
            if not raw_type:
                if name:
                    self.fail("X_MISSING_TYPE", sheet.name, row, type_column)
                else:  # a stray label or comment: say so rather than drop it unseen
                    self.warn("W_EMPTY_TYPE", sheet.name, row, type_column)
                continue
            kind, args = _read_type(raw_type)
            if skipping is not None:
                depth, rname, rrow, count = skipping
                if kind in ("begin_group", "begin_repeat"):
                    depth += 1
                elif kind in ("end_group", "end_repeat"):
                    depth -= 1
                else:
                    count += 1
                skipping = (depth, rname, rrow, count) if depth else None
                if skipping is None:
                    self.warn(
                        "W_REPEAT_SKIPPED", sheet.name, rrow, type_column, name=rname, count=count
                    )
                continue
            if kind == "begin_repeat":
                skipping = (1, name, row, 0)
            elif kind == "begin_group":
                if not name:
                    self.fail("X_MISSING_NAME", sheet.name, row, self.header(sheet, "name"))
                group = _Group(name, row, values)
                stack[-1].items.append(group)
                stack.append(group)
            elif kind in ("end_group", "end_repeat"):
                if len(stack) == 1:
                    self.fail("X_UNMATCHED_END", sheet.name, row, type_column)
                else:
                    stack.pop()
            elif kind in METADATA:
                metadata.append(name or kind)
            elif kind in UNSUPPORTED:
                self.warn(
                    "W_UNSUPPORTED_TYPE", sheet.name, row, type_column, name=name, type=raw_type
                )
            elif kind in QUESTION_TYPES or kind in LIST_TYPES:
                if not name:
                    self.fail("X_MISSING_NAME", sheet.name, row, self.header(sheet, "name"))
                    continue
                item = self.question(row, values, kind, args, raw_type)
                if item is not None:
                    stack[-1].items.append(item)
            else:
                self.fail("X_UNKNOWN_TYPE", sheet.name, row, type_column, type=raw_type)
        if skipping is not None:
            self.fail("X_UNCLOSED_GROUP", sheet.name, skipping[2], type_column, group=skipping[1])
        for group in stack[1:]:
            self.fail("X_UNCLOSED_GROUP", sheet.name, group.row, type_column, group=group.name)
        if metadata:
            self.warn("W_METADATA_SKIPPED", sheet.name, names=", ".join(metadata))
        return root

    def question(
        self, row: int, values: dict[str, str], kind: str, args: list[str], raw_type: str
    ) -> _Item | None:
        sheet = self.survey
        name = values["name"]
        type_column = self.header(sheet, "type")
        appearance = values.get("appearance", "").split()
        parameters = _parameters(values.get("parameters", ""))
        if parameters is None:
            self.fail("X_BAD_PARAMETERS", sheet.name, row, self.header(sheet, "parameters"),
                      parameters=values.get("parameters", ""))  # fmt: skip
            parameters = {}
        fields: dict[str, Any] = {}
        list_name = None
        try:
            if kind in LIST_TYPES:
                if not args:
                    self.fail("X_MISSING_LIST_NAME", sheet.name, row, type_column, type=raw_type)
                    return None
                list_name = args[0]
                choices = self.lists.get(list_name)
                if choices is None:
                    self.fail("X_MISSING_LIST", sheet.name, row, type_column, list=list_name)
                    return None
                choices = list(choices)
                other = "or_other" in args[1:]
                if other and OTHER not in [c.value for c in choices]:
                    choices.append(Choice(OTHER, self.other_labels()))
                fields["choices"] = tuple(choices)
                fields["other"] = other
                values_ = [c.value for c in choices]
                if kind == "select_one" and "likert" in appearance:
                    qtype = "likert"
                    appearance.remove("likert")
                elif kind == "select_one" and values_ == ["yes", "no"] and not other:
                    qtype = "yes_no"
                    defaults = tuple(
                        Choice(c.value, self.default_labels(c)) for c in YES_NO_CHOICES
                    )
                    fields["choices"] = () if tuple(choices) == defaults else tuple(choices)
                else:
                    qtype = {
                        "select_one": "single_choice",
                        "select_multiple": "multiple_choice",
                        "rank": "ranking",
                    }[kind]
                if kind != "select_one":
                    fields["min_picks"] = _number(parameters.pop("min_picks", None))
                    fields["max_picks"] = _number(parameters.pop("max_picks", None))
                if values.get("choice_filter"):
                    fields["choice_filter"] = values["choice_filter"]
                    self.warn(
                        "W_CHOICE_FILTER",
                        sheet.name,
                        row,
                        self.header(sheet, "choice_filter"),
                        name=name,
                    )
            elif kind == "range":
                start = _number(parameters.pop("start", None))
                end = _number(parameters.pop("end", None))
                step = _number(parameters.pop("step", None))
                integral = all(v is None or isinstance(v, int) for v in (start, end))
                if step in (None, 1) and integral:
                    qtype = "rating"
                else:
                    qtype = "decimal"
                    self.warn(
                        "W_RANGE_AS_DECIMAL",
                        sheet.name,
                        row,
                        type_column,
                        name=name,
                        min=start,
                        max=end,
                    )
                fields["min"], fields["max"] = start, end
            elif kind == "acknowledge":
                qtype = "yes_no"
                self.warn("W_ACKNOWLEDGE", sheet.name, row, type_column, name=name)
            elif kind == "text" and "multiline" in appearance:
                qtype = "long_text"
                appearance.remove("multiline")
            else:
                qtype = kind
            if kind in ("integer", "decimal"):
                fields["min"] = _number(parameters.pop("min", None))
                fields["max"] = _number(parameters.pop("max", None))
        except ValueError:
            self.fail("X_BAD_PARAMETERS", sheet.name, row, self.header(sheet, "parameters"),
                      parameters=values.get("parameters", ""))  # fmt: skip
            return None
        for key in parameters:
            self.warn(
                "W_PARAMETER_IGNORED",
                sheet.name,
                row,
                self.header(sheet, "parameters"),
                parameter=key,
            )
        required = values.get("required", "").lower()
        if required not in _TRUE and required not in _FALSE:
            self.warn(
                "W_REQUIRED_EXPRESSION",
                sheet.name,
                row,
                self.header(sheet, "required"),
                value=values["required"],
            )
        question = Question(
            name=name,
            type=qtype,
            label=self.labels(values, "label"),
            hint=self.labels(values, "hint"),
            required=required in _TRUE and qtype != "note",
            relevant=values.get("relevant") or None,
            constraint=values.get("constraint") or None,
            constraint_message=self.labels(values, "constraint_message"),
            appearance=" ".join(appearance) or None,
            **fields,
        )
        self.rows_of.setdefault(name, []).append(row)
        if list_name:
            self.list_of[name] = list_name
        return _Item(question, row, list_name)

    def other_labels(self) -> Labels:
        return {lang: OTHER_LABELS.get(lang, OTHER_LABELS["en"]) for lang in self.languages}

    def default_labels(self, choice: Choice) -> Labels:
        return {lang: choice.label.get(lang, choice.label["en"]) for lang in self.languages}

    # sections ----------------------------------------------------------------------
    def sections(self, root: _Group) -> list[Section]:
        sections: list[Section] = []
        loose: list[_Item] = []
        taken = {g.name for g in root.items if isinstance(g, _Group)}

        def flush() -> None:
            if not loose:
                return
            number = len(sections) + 1
            name = f"section_{number}"
            while name in taken:
                number += 1
                name = f"section_{number}"
            taken.add(name)
            sections.append(Section(name=name, questions=tuple(i.question for i in loose)))
            loose.clear()

        for item in root.items:
            if isinstance(item, _Item):
                loose.append(item)
                continue
            flush()
            matrix = self.matrix(item)
            questions = (matrix,) if matrix else tuple(self.flatten(item.items, None))
            if matrix:
                self.rows_of.setdefault(matrix.name, []).append(item.row)
            self.section_rows[item.name] = item.row
            sections.append(
                Section(
                    name=item.name,
                    title=self.labels(item.values, "label"),
                    description=self.labels(item.values, "hint"),
                    relevant=None if matrix else item.values.get("relevant") or None,
                    questions=questions,
                )
            )
        flush()
        return sections

    def flatten(self, items: list[Any], relevant: str | None) -> Iterable[Question]:
        for item in items:
            if isinstance(item, _Item):
                q = item.question
                yield replace(q, relevant=_both(relevant, q.relevant))
                continue
            matrix = self.matrix(item)
            if matrix:
                self.rows_of.setdefault(matrix.name, []).append(item.row)
                yield replace(matrix, relevant=_both(relevant, matrix.relevant))
                continue
            self.warn(
                "W_NESTED_GROUP",
                self.survey.name,
                item.row,
                self.header(self.survey, "type"),
                name=item.name,
            )
            yield from self.flatten(item.items, _both(relevant, item.values.get("relevant")))

    def matrix(self, group: _Group) -> Question | None:
        """A table-list group of select_one rows on one list (ODK's way to draw a grid)."""
        appearance = group.values.get("appearance", "").split()
        items = group.items
        if not items or not all(
            isinstance(i, _Item) and i.question.type in ("single_choice", "likert", "yes_no")
            for i in items
        ):
            return None
        header = [i for i in items if "label" in (i.question.appearance or "").split()]
        rows = [i for i in items if i not in header]
        lists = {i.list_name for i in items}
        grid = "table-list" in appearance or (
            "field-list" in appearance
            and rows
            and all("list-nolabel" in (i.question.appearance or "").split() for i in rows)
        )
        if not grid or len(lists) != 1 or not rows or any(i.question.other for i in rows):
            return None
        for token in ("table-list", "field-list"):
            if token in appearance:
                appearance.remove(token)
        prefix = f"{group.name}_"
        first = rows[0].question
        self.list_of[group.name] = rows[0].list_name or ""
        return Question(
            name=group.name,
            type="matrix",
            label=self.labels(group.values, "label"),
            hint=self.labels(group.values, "hint"),
            required=all(i.question.required for i in rows),
            relevant=group.values.get("relevant") or None,
            choices=first.choices if first.choices else YES_NO_CHOICES,
            rows=tuple(
                Row(
                    i.question.name.removeprefix(prefix)
                    if i.question.name.startswith(prefix)
                    else i.question.name,
                    i.question.label,
                )
                for i in rows
            ),
            appearance=" ".join(appearance) or None,
        )

    # the document ------------------------------------------------------------------
    def document(self) -> Document | None:
        if self.survey is None:
            self.fail("X_NO_SURVEY_SHEET", "survey")
            return None
        for column in ("type", "name"):
            if column not in self.survey.headers:
                self.fail("X_MISSING_COLUMN", self.survey.name, 1, column, column=column)
        if self.problems:
            return None
        self.unknown_columns(self.survey, SURVEY_COLUMNS)
        self.unknown_columns(self.settings_sheet, SETTINGS_COLUMNS | {"form_title"})
        self.lists = self.read_choices()
        root = self.read_survey()
        sections = self.sections(root)
        settings = self.settings
        fallback_title = settings.get("form_id") or "Questionnaire"
        title = self.labels(settings, "form_title") or dict.fromkeys(self.languages, fallback_title)
        document = Document(
            name=settings.get("form_id", ""),
            version=settings.get("version", ""),
            title=title,
            description=self.labels(settings, "description"),
            languages=tuple(self.languages),
            sections=tuple(sections),
        )
        for lang, count in self.missing_translations.items():
            self.warn(
                "W_MISSING_TRANSLATION",
                self.survey.name,
                count=count,
                lang=lang,
                fallback=self.languages[0],
            )
        return document

    # validation problems, pinned to cells --------------------------------------------
    def locate(self, problem: Problem) -> Problem:
        params = problem.params
        sheet = self.survey
        field_ = params.get("field", "")
        lang = params.get("lang")
        question = params.get("question")
        if question is not None and question in self.rows_of:
            rows = self.rows_of[question]
            row = rows[-1] if problem.code == "Q_DUPLICATE_NAME" else rows[0]
            if (
                field_ == "choices"
                and "value" in params
                and question in self.list_of
                and self.choices_sheet
            ):
                key = (self.list_of[question], params["value"])
                if key in self.choice_rows:
                    column = "label" if lang else "name"
                    return self._relocate(
                        problem, self.choices_sheet, self.choice_rows[key], column, lang
                    )
            return self._relocate(
                problem, sheet, row, _COLUMN_OF.get(field_, field_ or "name"), lang
            )
        section = params.get("section")
        if section is not None and section in self.section_rows:
            column = {"title": "label", "description": "hint"}.get(field_, field_ or "name")
            return self._relocate(problem, sheet, self.section_rows[section], column, lang)
        if self.settings_sheet is not None and field_ in ("title", "languages"):
            column = "form_title" if field_ == "title" else "default_language"
            return self._relocate(problem, self.settings_sheet, 2, column, lang)
        return self._relocate(problem, sheet, None, None, None)

    def _relocate(
        self, problem: Problem, sheet: _Sheet, row: int | None, column: str | None, lang: str | None
    ) -> Problem:
        header = None
        if column:
            header = self.header(sheet, column)
            if lang:
                for key, code in self.column_language.items():
                    if key.partition("::")[0] == column and code == lang and key in sheet.headers:
                        header = sheet.headers[key]
        located = self._at(problem.code, sheet.name, row, header, **problem.params)
        return located


_COLUMN_OF = {
    "other": "type",
    "rows": "type",
    "min_picks": "parameters",
    "max_picks": "parameters",
    "min": "parameters",
    "max": "parameters",
}


def _both(outer: str | None, inner: str | None) -> str | None:
    if outer and inner:
        return f"({outer}) and ({inner})"
    return outer or inner


def import_xlsform(data: bytes, *, default_language: str = "fr") -> ImportResult:
    """Read an XLSForm workbook; ``default_language`` names an untranslated ``label`` column."""
    sheets = _read_workbook(data)
    if sheets is None:
        return ImportResult(None, [Problem("X_NOT_A_WORKBOOK", "file")], [])
    importer = _Importer(sheets, default_language)
    document = importer.document()
    if document is not None and not importer.problems:
        importer.problems.extend(importer.locate(p) for p in validate(document))
    if importer.problems:
        return ImportResult(None, importer.problems, importer.warnings)
    return ImportResult(document, [], importer.warnings)


# --- export ---------------------------------------------------------------------------


def _list_type(kind: str) -> Any:
    def write(question: Question) -> tuple[str, list[str], dict[str, Any]]:
        suffix = " or_other" if question.other else ""
        return f"{kind} {question.name}{suffix}", [], {}

    return write


def _picks(question: Question) -> dict[str, Any]:
    return {"min_picks": question.min_picks, "max_picks": question.max_picks}


def _bounds(question: Question) -> dict[str, Any]:
    return {"min": question.min, "max": question.max}


# type -> (XLSForm type, appearance added, parameters); a new type adds one line here
_EXPORT = {
    "single_choice": lambda q: (_list_type("select_one")(q)[0], [], {}),
    "multiple_choice": lambda q: (_list_type("select_multiple")(q)[0], [], _picks(q)),
    "likert": lambda q: (f"select_one {q.name}", ["likert"], {}),
    "yes_no": lambda q: (f"select_one {q.name}", [], {}),
    "ranking": lambda q: (f"rank {q.name}", [], _picks(q)),
    "rating": lambda q: ("range", [], {"start": q.min, "end": q.max}),
    "integer": lambda q: ("integer", [], _bounds(q)),
    "decimal": lambda q: ("decimal", [], _bounds(q)),
    "text": lambda q: ("text", [], {}),
    "long_text": lambda q: ("text", ["multiline"], {}),
    "date": lambda q: ("date", [], {}),
    "note": lambda q: ("note", [], {}),
}


def _format_number(value: int | float) -> str:
    return str(int(value)) if isinstance(value, int) else repr(value)


class _Writer:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.languages = list(document.languages)
        names = [_language_name(lang) for lang in self.languages]
        self.survey_header = ["type", "name"]
        for base in TRANSLATED:
            self.survey_header += [f"{base}::{n}" for n in names]
        self.survey_header += [
            "required",
            "relevant",
            "constraint",
            "appearance",
            "parameters",
            "choice_filter",
        ]
        self.choices_header = ["list_name", "name"] + [f"label::{n}" for n in names]
        self.survey: list[dict[str, Any]] = []
        self.choices: list[dict[str, Any]] = []

    def translated(self, base: str, labels: Labels) -> dict[str, str]:
        return {f"{base}::{_language_name(lang)}": text for lang, text in labels.items()}

    def add_list(self, name: str, choices: Iterable[Choice]) -> None:
        for choice in choices:
            self.choices.append(
                {"list_name": name, "name": choice.value, **self.translated("label", choice.label)}
            )

    def question(self, q: Question) -> None:
        if q.type == "matrix":
            self.matrix(q)
            return
        xls_type, appearance, parameters = _EXPORT[q.type](q)
        row = {
            "type": xls_type,
            "name": q.name,
            **self.translated("label", q.label),
            **self.translated("hint", q.hint),
            **self.translated("constraint_message", q.constraint_message),
            "required": "yes" if q.required else "",
            "relevant": q.relevant or "",
            "constraint": q.constraint or "",
            "appearance": " ".join(appearance + ([q.appearance] if q.appearance else [])),
            "parameters": " ".join(
                f"{k}={_format_number(v)}" for k, v in parameters.items() if v is not None
            ),
            "choice_filter": q.choice_filter or "",
        }
        self.survey.append(row)
        if q.type == "yes_no":
            self.add_list(q.name, q.choices or YES_NO_CHOICES)
        elif q.choices:
            choices = list(q.choices)
            default_other = {
                lang: OTHER_LABELS.get(lang, OTHER_LABELS["en"]) for lang in self.languages
            }
            if q.other and choices[-1].value == OTHER and choices[-1].label == default_other:
                choices.pop()  # or_other puts it back on import
            self.add_list(q.name, choices)

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
        for section in document.sections:
            self.survey.append({
                "type": "begin_group",
                "name": section.name,
                **self.translated("label", section.title),
                **self.translated("hint", section.description),
                "relevant": section.relevant or "",
                "appearance": "field-list",
            })  # fmt: skip
            for question in section.questions:
                self.question(question)
            self.survey.append({"type": "end_group", "name": section.name})
        book = openpyxl.Workbook()
        _fill(book.active, "survey", self.survey_header, self.survey)
        _fill(book.create_sheet(), "choices", self.choices_header, self.choices)
        settings = {
            "form_title": document.title.get(document.default_language, ""),
            **self.translated("form_title", document.title),
            **self.translated("description", document.description),
            "form_id": document.name,
            "version": document.version,
            "default_language": _language_name(document.default_language),
        }
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
    """An .xlsx XLSForm of the document; ``import_xlsform`` reads it back unchanged."""
    return _Writer(document).workbook()
