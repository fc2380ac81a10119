"""Responses collected elsewhere, brought into a campaign: a Kobo/ODK or LimeSurvey export,
or a spreadsheet of paper questionnaires (CSV or XLSX).

Columns are matched to questions by name (Kobo's ``group/name`` too) or by label; choices by
value or by label; a multiple choice is one space-separated column or one indicator column per
choice (``q/value``, ``q[value]``, ``q.value``, ``q_value``). A mapping (column -> question
name, or ``""`` to ignore it) fixes what did not match. Every row is checked like a web
submission; any coded problem and nothing is stored. Rows are stored in one transaction, with
the channel ``import``; a source id column (``_uuid``, ``meta/instanceID``, ``id``...) makes
a second import of the same file store nothing twice.
"""

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from surveys.answers import check_answers
from surveys.document import Document, Question
from surveys.models import Campaign, Response
from surveys.problems import Problem, ProblemsError
from surveys.types import REGISTRY, effective_choices
from surveys.workbooks import Sheet, read_table

IMPORT = "import"
SOURCE_ID_COLUMNS = ("_uuid", "meta/instanceid", "instanceid", "key", "_id", "id", "source_id",
                     "numéro", "numero", "n°", "identifiant")  # fmt: skip
SUBMITTED_COLUMNS = ("_submission_time", "submitdate", "submitted_at", "end", "date")
_TRUE = {"1", "true", "vrai", "yes", "oui", "y", "x", "o"}
_FALSE = {"0", "false", "faux", "no", "non", "n", ""}
_INDICATOR = re.compile(r"^(?P<q>.+?)(?:/|\.|\[|_)(?P<v>[^/\[\].]+?)\]?$")


def _key(text: str) -> str:
    """Loose comparison of names and labels: case, accents, punctuation and spaces ignored."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", text.lower())


@dataclass
class Plan:
    """What each column means: a question (``q``), one choice of it (``q`` + value), its
    "other" text, the source id, the submission time, or nothing (ignored)."""

    targets: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    source_id: str | None = None
    submitted: str | None = None
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    stored: int
    skipped: int  # already imported (same source id)
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    plan: Plan | None = None


def plan_columns(document: Document, header: list[str], mapping: dict[str, str] | None) -> Plan:
    plan = Plan()
    mapping = mapping or {}
    questions = {q.name: q for q in document.questions() if REGISTRY[q.type].answerable}
    by_key: dict[str, str] = {}
    for q in questions.values():
        for label in q.label.values():
            by_key.setdefault(_key(label), q.name)
        by_key.setdefault(_key(q.name), q.name)
    # named in the mapping ("@source_id": column, or column: "@source_id"), else guessed
    # from the columns the mapping does not give to a question
    special = {v: c for c, v in mapping.items() if v in ("@source_id", "@submitted_at")}
    lower = {h.lower(): h for h in header if h not in mapping or h in special.values()}
    plan.source_id = (mapping.get("@source_id") or special.get("@source_id")
                      or next((lower[c] for c in SOURCE_ID_COLUMNS if c in lower), None))  # fmt: skip
    plan.submitted = (mapping.get("@submitted_at") or special.get("@submitted_at")
                      or next((lower[c] for c in SUBMITTED_COLUMNS if c in lower), None))  # fmt: skip
    for column in header:
        if not column or column in (plan.source_id, plan.submitted):
            continue
        if column in mapping:
            target = mapping[column]
            name, _, value = target.partition("/")
            if target and name in questions:
                plan.targets[column] = (name, value or None)
            else:
                plan.ignored.append(column)
            continue
        found = _match(column, questions, by_key)
        if found:
            plan.targets[column] = found
        else:
            plan.ignored.append(column)
    return plan


def _match(column: str, questions: dict[str, Question], by_key: dict[str, str]):
    last = column.rsplit("/", 1)[-1] if "/" in column else column
    for candidate in (column, last):
        if candidate in questions:
            return candidate, None
        owner = questions.get(candidate.removesuffix("_other"))
        if candidate.endswith("_other") and owner is not None and owner.other:
            return owner.name, "@other"
    m = _INDICATOR.match(column)
    if m:
        owner = m["q"].rsplit("/", 1)[-1]
        q = questions.get(owner)
        if q is not None and q.type in ("multiple_choice", "matrix", "ranking"):
            values = [r.name for r in q.rows] if q.type == "matrix" else q.choice_values()
            if m["v"] in values:
                return owner, m["v"]
    name = by_key.get(_key(column)) or by_key.get(_key(last))
    return (name, None) if name else None


def _choice(question: Question, text: str) -> str | None:
    choices = effective_choices(question)
    if question.type == "yes_no" and text.lower() in (_TRUE | _FALSE) - {""}:
        return "yes" if text.lower() in _TRUE else "no"  # LimeSurvey's Y/N, 1/0, oui/non
    for choice in choices:
        if choice.value == text:
            return choice.value
    wanted = _key(text)
    for choice in choices:
        if _key(choice.value) == wanted or any(_key(v) == wanted for v in choice.label.values()):
            return choice.value
    return None


def _number(text: str) -> Any:
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return text  # check_answers reports it
    return int(value) if value.is_integer() else value


def _date(text: str) -> str:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    return text[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text) else text


def _answers(document: Document, plan: Plan, values: dict[str, str], row: int):
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    picks: dict[str, list[str]] = {}
    for column, (name, part) in plan.targets.items():
        text = values.get(column, "").strip()
        q = document.question(name)
        if part == "@other":
            if text:
                answers[q.other_name] = text
            continue
        if part is not None:  # one indicator column of a multiple choice, or a matrix row
            if q.type == "matrix":
                if text:
                    value = _choice(q, text)
                    answers.setdefault(name, {})[part] = value or text
                continue
            if part == "other" and q.other and text.lower() not in _TRUE | _FALSE:
                answers[q.other_name] = text  # LimeSurvey's Q[other]: the text itself
                picks.setdefault(name, []).append(part)
            elif text.lower() not in _TRUE | _FALSE:
                problems.append(Problem("I_NOT_A_TICK", column, row=row, column=column, value=text))
            elif text.lower() in _TRUE:
                picks.setdefault(name, []).append(part)
            else:
                picks.setdefault(name, [])
            continue
        if not text:
            continue
        if q.type in ("multiple_choice", "ranking"):
            whole = _choice(q, text)
            items = [whole] if whole else [_choice(q, t) or t for t in re.split(r"[\s;,|]+", text)]
            picked = [i for i in items if i]
            if q.type == "ranking":
                answers[name] = picked
            else:
                picks.setdefault(name, []).extend(picked)
        elif REGISTRY[q.type].value_kind == "choice":
            answers[name] = _choice(q, text) or text
        elif REGISTRY[q.type].value_kind == "number":
            answers[name] = _number(text)
        elif q.type == "date":
            answers[name] = _date(text)
        else:
            answers[name] = text
    for name, picked in picks.items():
        if picked or name not in answers:
            answers[name] = sorted(set(picked), key=document.question(name).choice_values().index)
            if not picked:
                del answers[name]
    checked = check_answers(document, answers)
    wrong = {p.params.get("question") for p in checked.problems if p.code != "A_REQUIRED"}
    for p in checked.problems:
        if p.code == "A_REQUIRED" and p.params.get("question") in wrong:
            continue  # the value was there, but wrong: said once
        problems.append(Problem(p.code, f"row {row}", row=row, **p.params))
    return checked.answers, problems


def _token(campaign_id: int, source: str) -> str:
    return "import-" + hashlib.sha256(f"{campaign_id}:{source}".encode()).hexdigest()[:40]


def _moment(text: str, now: dt.datetime) -> dt.datetime:
    text = text.strip().replace("Z", "+00:00")
    for parse in (dt.datetime.fromisoformat, lambda t: dt.datetime.strptime(t, "%d/%m/%Y %H:%M")):
        try:
            moment = parse(text)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return now


def import_responses(
    session: Session,
    campaign: Campaign,
    document: Document,
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> Outcome:
    """Check every row, then store them all in one transaction (or none, on any problem)."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        sheet: Sheet = read_table(data, filename)
    except ProblemsError as exc:
        return Outcome(0, 0, exc.problems, ())
    header = sheet.header
    plan = plan_columns(document, header, mapping)
    warnings = tuple(Problem("I_COLUMN_IGNORED", c, column=c) for c in plan.ignored)
    if not plan.targets:
        return Outcome(0, 0, (Problem("I_NO_COLUMN_MATCHED", "file"),), warnings, plan)
    existing = set(
        session.exec(
            select(Response.token).where(
                Response.campaign_id == campaign.id, Response.channel == IMPORT
            )
        ).all()
    )
    rows, problems, skipped, seen = [], [], 0, set()
    for number, values in sheet.records():
        source = values.get(plan.source_id, "") if plan.source_id else ""
        token = _token(campaign.id, source) if source else None
        if token and (token in existing or token in seen):
            skipped += 1
            continue
        answers, found = _answers(document, plan, values, number)
        problems.extend(found)
        if not answers:
            continue
        if token:
            seen.add(token)
        submitted = _moment(values[plan.submitted], now) if values.get(plan.submitted) else now
        rows.append(dict(
            campaign_id=campaign.id, version_id=campaign.version_id,
            token=token or _token(campaign.id, f"{now.isoformat()}:{number}"), channel=IMPORT,
            answers=answers, consent_version=None, completed=True, started_at=submitted,
            submitted_at=submitted, updated_at=now, page="",
        ))  # fmt: skip
    if problems:
        return Outcome(0, skipped, tuple(problems), warnings, plan)
    if rows and not dry_run:
        session.exec(Response.__table__.insert(), params=rows)
        session.commit()
    return Outcome(len(rows), skipped, (), warnings, plan)
