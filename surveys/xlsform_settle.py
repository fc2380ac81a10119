"""After the mapping of an XLSForm: names our conditions refuse are renamed, calculations
are computed in place, texts that show answers we did not import say so, and each condition
Consult cannot check or run is dropped with a row warning (``surveys.xlsform``). Also the
constraint that tells ODK what « None of these » means, which our export adds and our
import takes off again."""

import re
from dataclasses import replace
from typing import Any

from surveys.choices import Choice
from surveys.document import Document, Labels
from surveys.problems import Problem
from surveys.validation import validate

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PATH = re.compile(r"(?<![\w$./])(?:\.\./)+([A-Za-z_][\w.-]*)")  # ../name: XPath for ${name}
_REF = re.compile(r"\$\{\s*([^}\s]+)\s*\}")


# --- « None of these » for ODK ------------------------------------------------------


def alone_constraint(values: list[str]) -> str | None:
    """What makes ODK refuse a « None of these » ticked with another choice (our export
    writes it after the question's own constraint; our import takes it off again)."""
    tests = [f"not(selected(., '{v}') and count-selected(.) > 1)" for v in values if "'" not in v]
    return " and ".join(tests) or None


def without_alone(constraint: str | None, choices: tuple[Choice, ...]) -> str | None:
    added = alone_constraint([c.value for c in choices if c.exclusive])
    if not constraint or not added:
        return constraint
    if constraint == added:
        return None
    own = constraint.removesuffix(f") and ({added})")
    return own[1:] if own != constraint and own.startswith("(") else constraint


# --- conditions: renamed questions, inlined calculations, what cannot run --------------


def _rewrite(expression: str | None, names: dict[str, str], calcs: dict[str, str]) -> str | None:
    if not expression:
        return expression

    def sub(match: re.Match, depth: int) -> str:
        name = match[1]
        if name in calcs and depth < 8:
            inner = _REF.sub(lambda m: sub(m, depth + 1), calcs[name])
            return f"({inner})"
        return "${" + names.get(name, name) + "}"

    expression = _PATH.sub(lambda m: "${" + m[1] + "}", expression)
    return _REF.sub(lambda m: sub(m, 0), expression)


def _renames(document: Document) -> dict[str, str]:
    taken = {q.name for q in document.questions()}
    out: dict[str, str] = {}
    for question in document.questions():
        if not _NAME.fullmatch(question.name):
            new = re.sub(r"\W", "_", question.name)
            new = new if re.match(r"[A-Za-z_]", new) else f"q_{new}"
            while new in taken:
                new += "_"
            taken.add(new)
            out[question.name] = new
    return out


def _map_questions(document: Document, change) -> Document:
    return replace(document, sections=tuple(
        replace(change(None, s), questions=tuple(change(q, s) for q in s.questions))
        for s in document.sections
    ))  # fmt: skip


_CONDITION_FIELDS = ("relevant", "constraint", "choice_filter")


def settle(document: Document, mapper: Any) -> Document:
    """Rename what our names refuse, inline calculations, then drop (with a warning) each
    condition that Consult cannot check or run."""
    names = _renames(document)
    for old, new in names.items():
        mapper.warn("W_NAME_CHANGED", old, "name", new=new)
        mapper.rows.setdefault(new, mapper.rows.get(old, 0))
    calcs = mapper.calculations

    def rename(q, s):
        target = q if q is not None else s
        changed = {f: _rewrite(getattr(target, f), names, calcs) for f in _CONDITION_FIELDS
                   if hasattr(target, f)}  # fmt: skip
        if q is not None:
            changed["name"] = names.get(q.name, q.name)
        return replace(target, **changed)

    document = _map_questions(document, rename)
    known = {q.name for q in document.questions()}

    warned: set[tuple[str, str]] = set()

    def outside(labels: Labels, owner: str) -> Labels:
        """``${x}`` in a text shows an answer; one to a question we did not import cannot
        (said once per row, whatever the number of languages)."""
        out = {}
        for lang, text in labels.items():
            for ref in sorted(
                set(_REF.findall(text)) - known - {r for o, r in warned if o == owner}
            ):
                warned.add((owner, ref))
                mapper.warn("W_LABEL_REFERENCE", owner, "label", reference=ref)
            out[lang] = _REF.sub(lambda m: m[0] if m[1] in known else f"[{m[1]}]", text)
        return out

    def texts(q, s):
        if q is None:
            return replace(s, title=outside(s.title, s.name))
        return replace(q, label=outside(q.label, q.name), hint=outside(q.hint, q.name))

    document = _map_questions(document, texts)
    for _ in range(20):
        broken: dict[tuple[str, str], Problem] = {}
        for problem in validate(document):
            params = problem.params
            field = params.get("field", "")
            if problem.code.startswith("C_") and field in _CONDITION_FIELDS:
                owner = params.get("question") or f"section:{params.get('section')}"
                broken.setdefault((owner, field), problem)
        if not broken:
            return document
        for (owner, field), problem in broken.items():
            mapper.warn("W_CONDITION_DROPPED", owner.removeprefix("section:"), field,
                        reason=problem.code, expression=problem.params.get("expression", ""))  # fmt: skip

        def drop(q, s, broken=broken):
            key = q.name if q is not None else f"section:{s.name}"
            target = q if q is not None else s
            gone: dict[str, Any] = {f: None for f in _CONDITION_FIELDS if (key, f) in broken}
            if "choice_filter" in gone:  # every choice offered: the rows it read go too
                gone["choices"] = tuple(replace(c, columns=()) for c in target.choices)
            return replace(target, **gone)

        document = _map_questions(document, drop)
    return document


def locate(problem: Problem, mapper: Any) -> Problem:
    params = problem.params
    name = params.get("question") or params.get("section") or ""
    row = mapper.rows.get(name)
    if row is None:
        return problem.relocated(mapper.survey.name, sheet=mapper.survey.name)
    places = {"title": "label", "description": "hint", "choice_filter": "choice_filter"}
    column = places.get(params.get("field", ""), "name")
    header = mapper.header.get(column, column)
    return problem.relocated(f"{mapper.survey.name} row {row}, column {header}",
                             sheet=mapper.survey.name, row=row, column=header)  # fmt: skip
