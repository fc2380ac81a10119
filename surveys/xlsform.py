"""XLSForm in, through pyxform (ODK's reference converter).

The workbook is read by ``surveys.workbooks`` (content, not declared size), handed to pyxform
as sheets, and pyxform's normalised JSON is mapped onto our document. pyxform decides what is
an XLSForm: a form it refuses is refused here with its message (``X_PYXFORM``). Anything
pyxform accepts but Consult cannot run is imported without it, with one warning per row.

Our dialect (ignored by ODK tools): a ``consult`` column on the survey sheet with
``min= max= min_picks= max_picks=``, one on the choices sheet with ``exclusive=yes``, and
``consult_title::<lang>`` / ``consult_description::<lang>`` in settings (pyxform refuses
``form_title::<lang>``).
A matrix is a ``table-list`` group of select_one rows sharing one list; a yes/no question is
a select_one whose list is exactly ``yes``, ``no``.
"""

import copy
import html
import re
from dataclasses import replace
from typing import Any, NamedTuple

from surveys.choice_filter import filter_columns
from surveys.document import Choice, Document, Labels, Question, Row, Section
from surveys.problems import Problem, ProblemsError
from surveys.types import OTHER, OTHER_LABELS, YES_NO_CHOICES
from surveys.validation import validate
from surveys.workbooks import Limits, Sheet, read_workbook
from surveys.xlsform_settle import locate, settle, without_alone

LIMITS = Limits(rows=20_000, columns=300, cells=1_000_000)


class ImportResult(NamedTuple):
    document: Document | None
    problems: list[Problem]
    warnings: list[Problem]


LANGUAGE_NAMES = {
    "fr": "French", "en": "English", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "ar": "Arabic", "tr": "Turkish", "nl": "Dutch", "pl": "Polish",
    "ru": "Russian", "uk": "Ukrainian", "ro": "Romanian", "sw": "Swahili", "am": "Amharic",
    "zh": "Chinese",
}  # fmt: skip
_NAME_TO_CODE = {name.lower(): code for code, name in LANGUAGE_NAMES.items()} | {
    "français": "fr", "francais": "fr", "anglais": "en", "allemand": "de", "espagnol": "es",
    "italien": "it", "portugais": "pt", "arabe": "ar", "turc": "tr",
}  # fmt: skip
TRANSLATED = ("label", "hint", "constraint_message", "required_message")
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "start-geopoint", "background-geopoint", "background-audio",
}  # fmt: skip
_SELECTS = {"select one": "single_choice", "select all that apply": "multiple_choice",
            "rank": "ranking"}  # fmt: skip
_ALIASES = {"int": "integer", "string": "text", "trigger": "acknowledge", "select1": "select one"}
_RESERVED = "reserved_name_for_field_list_labels"
_TABLE_LABEL = "generated_table_list_label_"  # pyxform moves a table-list's label here
_GENERATED = (_RESERVED, _TABLE_LABEL)
# survey columns that ODK tools use; anything else is likely a typo worth a warning
_KNOWN_COLUMNS = {
    "type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message",
    "required_message", "appearance", "parameters", "choice_filter", "calculation", "default",
    "read_only", "readonly", "consult", "media", "image", "audio", "video", "big-image",
    "guidance_hint", "trigger", "note", "repeat_count", "jr:count", "jr:constraintmsg",
    "jr:requiredmsg", "list_name", "label_or_hint", "autoplay", "value", "caption", "bind:relevant",
    "bind:constraint", "bind:required", "bind:calculate", "bind:jr:constraintmsg", "body:accuracythreshold",
    "constraint message", "required message", "choice filter", "save_to", "instance", "body",
}  # fmt: skip
_PLAIN = {"integer", "decimal", "text", "date", "note"}
_TRUE = {"yes", "true", "true()", "1", "y"}
_FALSE = {"", "no", "false", "false()", "0", "n"}


def language_code(text: str) -> tuple[str, bool]:
    """`French (fr)` -> fr, `fr` -> fr, `French` -> fr; second value: was it a guess."""
    text = text.strip()
    m = re.search(r"\(([A-Za-z]{2,3}(-[A-Za-z0-9]+)*)\)\s*$", text)
    if m:
        return m.group(1).lower(), False
    if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", text):
        return text, False
    if text.lower() in _NAME_TO_CODE:
        return _NAME_TO_CODE[text.lower()], False
    return (re.sub(r"[^a-z]", "", text.lower())[:3] or "xx"), True


def language_name(code: str) -> str:
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


# pyxform straightens typographic quotes everywhere; in texts (not expressions) we keep them
_QUOTES = "\u2018\u2019\u201c\u201d"
_KEEP_QUOTES = str.maketrans(_QUOTES, "\ue018\ue019\ue01c\ue01d")
_PUT_BACK_QUOTES = str.maketrans("\ue018\ue019\ue01c\ue01d", _QUOTES)
_TEXT_COLUMNS = {"label", "hint", "constraint_message", "required_message", "form_title",
                 "consult_title", "consult_description", "jr:constraintmsg", "jr:requiredmsg"}  # fmt: skip


def clean_text(text: str) -> str:
    """A label without HTML: line breaks kept, tags dropped (Markdown is kept as written)."""
    text = text.translate(_PUT_BACK_QUOTES)
    text = re.sub(r"(?i)<br\s*/?>|</p>\s*<p[^>]*>", "\n", text)
    text = re.sub(r"<[^>]*>", "", text)
    return html.unescape(text).strip()


def _parameters(text: str) -> dict[str, str]:
    pairs = (part.partition("=") for part in re.split(r"[\s,;]+", text.strip()) if part)
    return {key.strip().lower(): value.strip() for key, sep, value in pairs if sep}


def _number(text: Any) -> int | float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return int(value) if value.is_integer() else value


def _both(outer: str | None, inner: str | None) -> str | None:
    if outer and inner:
        return f"({outer}) and ({inner})"
    return outer or inner


# --- sheets to pyxform ----------------------------------------------------------------


def _records(sheet: Sheet) -> tuple[list[dict[str, str]], list[dict[str, None]]]:
    header = [re.sub(r" +", " ", h.strip()) for h in sheet.header]
    seen: set[str] = set()
    for h in header:
        if h and h in seen:
            raise ProblemsError([_pyxform_problem(f"Duplicate column header: {h}", sheet.name)])
        seen.add(h)
    texts = {h for h in header if re.sub(r"[\s_]+", "_", h.partition("::")[0].strip().lower())
             in _TEXT_COLUMNS}  # fmt: skip
    rows = [{h: v.translate(_KEEP_QUOTES) if h in texts else v
             for h, v in zip(header, cells, strict=False) if h and v}
            for cells in sheet.rows[1:]]  # fmt: skip
    return rows, [dict.fromkeys(h for h in header if h)]


def _pyxform_problem(message: str, survey: Sheet | str | None = None) -> Problem:
    """pyxform's refusal, pinned to its row (given, or found from a quoted type or name)."""
    sheet = survey.name if isinstance(survey, Sheet) else survey or "survey"
    m = re.search(r"\[row\s*:\s*(\d+)\]", message)
    text = re.sub(r"\s*\[row\s*:\s*\d+\]\s*", " ", message).strip()
    row = int(m[1]) if m else None
    if row is None and isinstance(survey, Sheet):
        quoted = re.findall(r"'([^']+)'", message)
        for number, cells in enumerate(survey.rows[1:], start=2):
            if any(q in cells for q in quoted):
                row = number
                break
    if row is not None:
        return Problem("X_PYXFORM", f"{sheet} row {row}", sheet=sheet, row=row, message=text)
    return Problem("X_PYXFORM", sheet, sheet=sheet, message=text)


def _pyxform_json(sheets: list[Sheet]) -> tuple[dict[str, Any], dict[str, Sheet]]:
    from pyxform.builder import create_survey_element_from_dict
    from pyxform.errors import PyXFormError
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import DefinitionData

    found: dict[str, Sheet] = {}
    for sheet in sheets:
        found.setdefault(sheet.name.strip().lower(), sheet)
    if len(sheets) == 1 and "survey" not in found:
        found["survey"] = sheets[0]
    settings = found.get("settings")
    if settings and settings.rows:  # Consult's exports before pyxform checked them
        settings.rows[0] = [re.sub(r"^(form_title|description)::", r"consult_\1::", h)
                            .replace("consult_form_title::", "consult_title::")
                            for h in settings.rows[0]]  # fmt: skip
    data: dict[str, Any] = {"sheet_names": [s.name for s in sheets]}
    for key in ("survey", "choices", "settings", "external_choices", "entities", "osm"):
        if key in found:
            data[key], data[f"{key}_header"] = _records(found[key])
    try:
        form = workbook_to_json(DefinitionData(**data), form_name="data", warnings=[])
        # the XForm is built too: pyxform refuses some forms only there (unknown types...)
        create_survey_element_from_dict(copy.deepcopy(form)).to_xml(validate=False)
    except PyXFormError as exc:
        raise ProblemsError([_pyxform_problem(str(exc), found.get("survey"))]) from None
    except (RecursionError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ProblemsError([_pyxform_problem(f"{type(exc).__name__}: {exc}")]) from None
    return form, found


# --- pyxform's JSON to our document -----------------------------------------------------


class _Mapper:
    def __init__(self, form: dict[str, Any], sheets: dict[str, Sheet], default: str) -> None:
        self.form = form
        self.warnings: list[Problem] = []
        self.survey = sheets["survey"]
        self.header = {h.strip().lower(): h for h in self.survey.header}
        self.rows: dict[str, int] = {}
        self.raw_types: dict[str, str] = {}
        type_h, name_h = self.header.get("type", "type"), self.header.get("name", "name")
        for number, values in self.survey.records():
            name = values.get(name_h, "")
            if name and name not in self.rows:
                self.rows[name] = number
                self.raw_types[name] = values.get(type_h, "")
        self.lists: dict[str, list[str]] = {}
        choices = sheets.get("choices")
        if choices:
            lower = {h.strip().lower(): h for h in choices.header}
            for _, values in choices.records():
                list_name = values.get(lower.get("list_name", "list_name"), "")
                self.lists.setdefault(list_name, []).append(
                    values.get(lower.get("name", "name"), "")
                )
        self.language_of: dict[str, str] = {}
        self.languages = self._languages(default)
        self.missing: dict[str, int] = {}
        self.fallbacks: dict[str, dict[str, None]] = {}
        self.calculations: dict[str, str] = {}
        self.renamed: dict[str, str] = {}
        self.other_texts: set[str] = set()
        from pyxform.aliases import survey_header  # the columns pyxform itself reads

        columns = _KNOWN_COLUMNS | {k.lower() for k in survey_header}
        # as pyxform: "label:English" is "label::English" in a sheet that never uses "::"
        delimiter = "::" if any("::" in h for h in self.survey.header) else ":"
        for header in self.survey.header:
            whole = re.sub(r"[\s_]+", "_", header.strip().lower())
            base = re.sub(r"[\s_]+", "_", header.partition(delimiter)[0].strip().lower())
            known = whole in columns or base in columns
            if header and not known and not header.startswith(("$", "_")):
                sheet = self.survey.name
                self.warnings.append(Problem("W_UNKNOWN_COLUMN", sheet, sheet=sheet, column=header))

    # where things are -------------------------------------------------------------------
    def warn(self, code: str, name: str = "", column: str = "type", **params: Any) -> None:
        row = self.rows.get(name)
        sheet = self.survey.name
        header = self.header.get(column, column)
        where = f"{sheet} row {row}, column {header}" if row else sheet
        extra = {"row": row, "column": header} if row else {}
        self.warnings.append(Problem(code, where, sheet=sheet, name=name, **extra, **params))

    # languages and texts ------------------------------------------------------------------
    def _languages(self, default: str) -> list[str]:
        keys: list[str] = []

        def collect(node: Any) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("label", "hint", "jr:constraintMsg", "jr:requiredMsg",
                               "consult_title") and isinstance(value, dict):  # fmt: skip
                        keys.extend(k for k in value if k not in keys)
                    collect(value)
            elif isinstance(node, list):
                for item in node:
                    collect(item)

        collect(self.form)
        declared = self.form.get("default_language", "default")
        coded: list[str] = []
        for key in keys:
            if key == "default":
                code = default
            else:
                code, guessed = language_code(key)
                if guessed and code not in coded:
                    self.warn("W_LANGUAGE_GUESSED", guess=code, language=key)
            self.language_of[key] = code
            if code not in coded:
                coded.append(code)
        first = default if declared == "default" else language_code(declared)[0]
        if declared == "default" and "default" not in keys and coded:
            first = coded[0]
        self.language_of.setdefault("default", first)
        return [first] + [c for c in coded if c != first]

    def labels(self, value: Any) -> Labels:
        if not value:
            return {}
        if isinstance(value, str):
            value = {"default": value}
        out: dict[str, str] = {}
        for key, text in value.items():
            text = clean_text(str(text))
            if text:
                out.setdefault(self.language_of.get(key, language_code(key)[0]), text)
        if not out:
            return {}
        used = self.languages[0] if self.languages[0] in out else next(iter(out))
        for lang in self.languages:
            if lang not in out:
                self.missing[lang] = self.missing.get(lang, 0) + 1
                self.fallbacks.setdefault(lang, {})[used] = None  # said in the warning
        return {lang: out.get(lang, out[used]) for lang in self.languages}

    # the tree -------------------------------------------------------------------------------
    def sections(self) -> list[Section]:
        sections: list[Section] = []
        loose: list[Question] = []
        taken = {c.get("name") for c in self.form.get("children", [])} | {
            _parameters(c.get("consult", "")).get("section") for c in self.form.get("children", [])
        }

        def flush() -> None:
            number = len(sections) + 1
            while f"section_{number}" in taken:
                number += 1
            taken.add(f"section_{number}")
            sections.append(Section(name=f"section_{number}", questions=tuple(loose)))
            loose.clear()

        for child in self.form.get("children", []):
            kind = child.get("type")
            if child.get("name") == "meta" and kind == "group":
                continue
            if kind != "group":
                loose.extend(self.items(child, None))
                continue
            if loose:
                flush()
            matrix = self.matrix(child)
            questions = (matrix,) if matrix else tuple(self.items_of(child, None))
            if not questions:
                continue
            name = _parameters(child.get("consult", "")).get("section") or child["name"]
            title = self.labels(child.get("label"))
            sections.append(Section(
                name=name, title=title, description=self.labels(child.get("hint")),
                relevant=None if matrix else self.relevant(child), questions=questions,
            ))  # fmt: skip
        if loose:
            flush()
        return sections

    def items_of(self, group: dict[str, Any], relevant: str | None) -> list[Question]:
        out: list[Question] = []
        for child in group.get("children", []):
            out.extend(self.items(child, relevant))
        return out

    def items(self, child: dict[str, Any], relevant: str | None) -> list[Question]:
        kind, name = child.get("type", ""), child.get("name", "")
        if kind == "repeat":
            count = sum(1 for _ in _leaves(child))
            self.warn("W_REPEAT_SKIPPED", name, count=count)
            return []
        if kind == "group":
            matrix = self.matrix(child)
            if matrix:
                return [replace(matrix, relevant=_both(relevant, matrix.relevant))]
            self.warn("W_NESTED_GROUP", name)
            return self.items_of(child, _both(relevant, self.relevant(child)))
        question = self.question(child)
        if question is None:
            return []
        return [replace(question, relevant=_both(relevant, question.relevant))]

    def relevant(self, node: dict[str, Any]) -> str | None:
        return (node.get("bind") or {}).get("relevant") or node.get("bind:relevant") or None

    def question(self, child: dict[str, Any]) -> Question | None:
        kind, name = child.get("type", ""), child.get("name", "")
        kind = _ALIASES.get(kind, kind)
        bind = child.get("bind") or {}
        if name.startswith(_GENERATED):  # pyxform's header rows of a table-list group
            return None
        if kind == "calculate":
            if bind.get("calculate"):
                self.calculations[name] = bind["calculate"]
                self.warn("W_CALCULATE_INLINED", name)
            return None
        if name in self.other_texts:
            return None  # pyxform's own "specify other" text: our `other` holds it
        if kind in METADATA or kind.startswith("uri:"):
            self.warn("W_METADATA_SKIPPED", name, names=name)
            return None
        raw_type = self.raw_types.get(name, kind)
        parameters = child.get("parameters") or {}
        if isinstance(parameters, str):
            parameters = _parameters(parameters)
        parameters = {k: str(v) for k, v in parameters.items()}
        extra = _parameters(child.get("consult", ""))
        fields: dict[str, Any] = {}
        appearance = str((child.get("control") or {}).get("appearance", "")).split()
        constraint = bind.get("constraint") or None
        if extra.get("kind") == "rating" and kind == "range":
            qtype = "rating"
            fields = {"min": _number(extra.get("min")), "max": _number(extra.get("max"))}
        elif kind in _SELECTS:
            list_name = child.get("list_name") or child.get("itemset") or ""
            if list_name not in self.form.get("choices", {}):
                self.warn("W_UNSUPPORTED_TYPE", name, type=raw_type)
                return None
            qtype, fields = self.select(child, kind, list_name, raw_type, appearance)
            constraint = without_alone(constraint, fields["choices"])
            if kind != "select one":
                fields["min_picks"] = _number(extra.get("min_picks"))
                fields["max_picks"] = _number(extra.get("max_picks"))
        elif kind == "range":
            start, end = _number(parameters.get("start", 1)), _number(parameters.get("end", 10))
            step = _number(parameters.get("step", 1))
            integral = all(isinstance(v, int) for v in (start, end, step))
            qtype = "rating" if integral and step == 1 and start is not None else (
                "integer" if integral else "decimal")  # fmt: skip
            fields = {"min": start, "max": end}
            if step not in (None, 1) and start is not None:
                steps = f"(. - {start}) mod {step} = 0"
                constraint = _both(constraint, steps)
                self.warn("W_RANGE_STEP", name, step=step, min=start, max=end)
        elif kind in ("acknowledge", "trigger"):
            qtype = "yes_no"
            self.warn("W_ACKNOWLEDGE", name)
        elif kind == "text" and "multiline" in appearance:
            qtype = "long_text"
            appearance.remove("multiline")
        elif kind == "phone number":  # pyxform's own type: a text of digits
            qtype = "text"
            constraint = _both(constraint, "regex(., '^[0-9]*$')")
        elif kind in _PLAIN:
            qtype = kind
        else:
            self.warn("W_UNSUPPORTED_TYPE", name, type=raw_type)
            return None
        if qtype in ("integer", "decimal") and kind != "range":
            fields["min"], fields["max"] = _number(extra.get("min")), _number(extra.get("max"))
        required = str(bind.get("required", "")).strip().lower()
        if required not in _TRUE and required not in _FALSE:
            self.warn("W_REQUIRED_EXPRESSION", name, "required", value=bind["required"])
        label = self.labels(child.get("label"))
        if not label:  # media only, or a label pyxform lets a type go without
            label = dict.fromkeys(self.languages, name)
            self.warn("W_LABEL_FROM_NAME", name, "label")
        return Question(
            name=name,
            type=qtype,
            label=label,
            hint=self.labels(child.get("hint")),
            required=required in _TRUE and qtype != "note",
            relevant=self.relevant(child),
            constraint=None if qtype == "note" else constraint,
            constraint_message=self.labels(bind.get("jr:constraintMsg")),
            required_message=self.labels(bind.get("jr:requiredMsg")) if qtype != "note" else {},
            appearance=" ".join(appearance) or None,
            **fields,
        )

    def select(self, child: dict, kind: str, list_name: str, raw_type: str, appearance: list):
        name = child["name"]
        pyxform_list = self.form.get("choices", {}).get(list_name, [])
        own = self.lists.get(list_name) or [str(item.get("name")) for item in pyxform_list]
        other = bool(re.search(r"\bor(_| specify )other\b", raw_type.lower()))
        if _parameters(child.get("consult", "")).get("other") == "yes":
            self.other_texts.add(f"{name}_other")
            other = kind != "rank"
        expression = child.get("choice_filter") or None
        reads = sorted(filter_columns(expression)) if expression else []
        for column in reads:  # ODK would offer nothing; we offer everything and say so
            if not any(column in item for item in pyxform_list):
                self.warn("W_CHOICE_FILTER", name, "choice_filter", choices_column=column)
                expression, reads = None, []
        choices: list[Choice] = []
        seen: dict[str, int] = {}
        for item in pyxform_list:
            if str(item.get("name")) in own:
                value = str(item["name"])
                label = self.labels(item.get("label")) or dict.fromkeys(self.languages, value)
                row = {c: str(item[c]) for c in reads if item.get(c) not in (None, "")}
                if value in seen:  # a cascading list may repeat a value under two parents
                    first = choices[seen[value]]
                    if expression and first.label == label:
                        choices[seen[value]] = replace(first, columns=(*first.columns, row))
                    else:
                        self.warn("W_DUPLICATE_CHOICE", name, value=value)
                    continue
                seen[value] = len(choices)
                extra = _parameters(str(item.get("consult", "")))
                if re.search(r"\s", value):
                    self.warn("W_CHOICE_VALUE_CHANGED", name, value=value)
                    value = re.sub(r"\s+", "_", value)
                choices.append(Choice(value, label, exclusive=extra.get("exclusive") == "yes",
                                      columns=(row,) if expression else ()))  # fmt: skip
        if other:
            self.other_texts.add(f"{name}_other")
            if kind == "rank":  # nothing to rank in a text typed by the respondent
                self.warn("W_OTHER_IGNORED", name)
                other = False
            elif OTHER not in [c.value for c in choices]:
                default = {lang: OTHER_LABELS.get(lang, OTHER_LABELS["en"])
                           for lang in self.languages}  # fmt: skip
                choices.append(Choice(OTHER, default))
        fields: dict[str, Any] = {"choices": tuple(choices), "other": other}
        if expression:
            fields["choice_filter"] = expression
        values = [c.value for c in choices]
        if kind == "select one" and "likert" in appearance:
            appearance.remove("likert")
            return "likert", fields
        if kind == "select one" and values == ["yes", "no"] and not other:
            defaults = tuple(
                Choice(c.value, {lang: c.label.get(lang, c.label["en"]) for lang in self.languages})
                for c in YES_NO_CHOICES
            )
            fields["choices"] = () if tuple(choices) == defaults else tuple(choices)
            return "yes_no", fields
        return _SELECTS[kind], fields

    def matrix(self, group: dict[str, Any]) -> Question | None:
        """A table-list group of select_one rows on one list (ODK's way to draw a grid)."""
        appearance = str((group.get("control") or {}).get("appearance", "")).split()
        children = group.get("children", [])
        caption = [c for c in children if c.get("name", "").startswith(_TABLE_LABEL)]
        children = [c for c in children if not c.get("name", "").startswith(_GENERATED)]
        if not children or any(c.get("type") != "select one" for c in children):
            return None
        before = len(self.warnings)
        items = [(c, self.question(c)) for c in children]
        del self.warnings[before:]  # said again if the rows are read as questions after all
        if any(q is None or q.type not in ("single_choice", "likert", "yes_no") for _, q in items):
            return None
        header = [q for c, q in items if "label" in (q.appearance or "").split()]
        rows = [q for _, q in items if q not in header]
        lists = {c.get("list_name") for c, _ in items}
        grid = "table-list" in appearance or ("field-list" in appearance and rows and all(
            "list-nolabel" in (q.appearance or "").split() for q in rows))  # fmt: skip
        if not grid or len(lists) != 1 or not rows or any(q.other for q in rows):
            return None
        appearance = [a for a in appearance if a not in ("table-list", "field-list")]
        prefix = f"{group['name']}_"
        return Question(
            name=group["name"], type="matrix",
            label=self.labels(group.get("label") or (caption and caption[0].get("label"))),
            hint=self.labels(group.get("hint")),
            required=all(q.required for q in rows), relevant=self.relevant(group),
            choices=rows[0].choices or YES_NO_CHOICES,
            rows=tuple(Row(q.name.removeprefix(prefix), q.label) for q in rows),
            appearance=" ".join(appearance) or None,
        )  # fmt: skip


def _leaves(node: dict[str, Any]):
    for child in node.get("children", []):
        if child.get("type") in ("group", "repeat"):
            yield from _leaves(child)
        elif child.get("type") != "calculate":
            yield child


def import_xlsform(data: bytes, *, default_language: str = "fr") -> ImportResult:
    """Read an XLSForm workbook; ``default_language`` names an untranslated ``label`` column."""
    try:
        sheets = read_workbook(data, LIMITS)
        form, found = _pyxform_json(sheets)
    except ProblemsError as exc:
        return ImportResult(None, list(exc.problems), [])
    mapper = _Mapper(form, found, default_language)
    settings = form
    missing, fallbacks = dict(mapper.missing), copy.deepcopy(mapper.fallbacks)
    title = mapper.labels(settings.get("consult_title"))
    if not title and settings.get("title") not in (None, "", "data"):
        title = dict.fromkeys(mapper.languages, clean_text(str(settings["title"])))
    description = mapper.labels(settings.get("consult_description"))
    mapper.missing, mapper.fallbacks = missing, fallbacks  # a title in one language is fine
    sections = mapper.sections()
    document = Document(
        name="" if settings.get("id_string") == "data" else str(settings.get("id_string") or ""),
        version=str(settings.get("version") or ""),
        title=title or dict.fromkeys(mapper.languages, "Questionnaire"),
        description=description,
        languages=tuple(mapper.languages),
        sections=tuple(sections),
    )
    if not any(q.type != "note" for q in document.questions()):
        skipped = sum(w.params.get("count", 0) for w in mapper.warnings)
        code = "X_NO_QUESTIONS" if skipped else "X_NOTHING_TO_ASK"  # the warnings say why
        problem = Problem(code, mapper.survey.name, sheet=mapper.survey.name, skipped=skipped)
        return ImportResult(None, [problem], mapper.warnings)
    document = settle(document, mapper)
    for lang, count in mapper.missing.items():
        mapper.warnings.append(Problem("W_MISSING_TRANSLATION", mapper.survey.name,
                               sheet=mapper.survey.name, count=count, lang=lang,
                               fallback=", ".join(mapper.fallbacks[lang])))  # fmt: skip
    problems = [locate(p, mapper) for p in validate(document)]
    if problems:
        return ImportResult(None, problems, mapper.warnings)
    return ImportResult(document, [], mapper.warnings)
