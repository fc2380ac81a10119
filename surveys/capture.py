"""Answering a campaign: drafts saved page by page, resumed by cookie or code, submitted once.

Framework-free: functions of (session, plain values). The hot path (saving a page, submitting)
reads and writes with SQLAlchemy Core, one statement each, and the parsed questionnaire is
cached per published version (a published version never changes).
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Executable, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from surveys.answers import (
    Checked,
    Relevance,
    check_answers,
    compiled,
    derived,
    parse_question,
    parse_section,
    relevance,
    to_form,
)
from surveys.choice_filter import filter_questions
from surveys.conditions import references
from surveys.document import Document, Question, Section, from_dict
from surveys.models import Campaign, CampaignChannel, QuestionnaireVersion, Response
from surveys.problems import Problem
from surveys.types import FormData

# A draft started before the close may be finished within this time after it.
GRACE = timedelta(hours=24)
# Characters a person can read out and type: no 0/O, 1/I/L (31 symbols, 4.95 bits each).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Against guessing under the code throttle (README, "Privacy"): a resume code holds
# 10 × log2(31) = 49.5 bits, a receipt code 12 × log2(31) = 59.4 bits.
CODE_LENGTH = 10
RECEIPT_CODE_LENGTH = 12
# Codes handed out before these lengths (8 characters) are still read.
LEGACY_CODE_LENGTH = 8
WEB, KIOSK, PAPER = "web", "kiosk", "paper"
SECONDS_PER_QUESTION = 20
# In a draft's answers: what was typed on a page but does not read as an answer yet
# ({question: {form key: [raw values]}}); never a question name (not an identifier), and
# dropped when the response is completed.
TYPED = "#typed"


# --- the questionnaire of a campaign ----------------------------------------------------


_DOCUMENTS: dict[int, Document] = {}


def document_of(session: Session, version_id: int) -> Document:
    """The parsed document of a version, read and parsed once per process."""
    document = _DOCUMENTS.get(version_id)
    if document is None:
        raw = session.exec(
            select(QuestionnaireVersion.document).where(QuestionnaireVersion.id == version_id)
        ).scalar_one()
        document = from_dict(raw)
        if len(_DOCUMENTS) > 512:
            _DOCUMENTS.clear()
        _DOCUMENTS[version_id] = document
    return document


def cached_document(version_id: int) -> Document | None:
    """The document of a version if this process has already parsed it (no query)."""
    return _DOCUMENTS.get(version_id)


def minutes_needed(document: Document) -> int:
    count = sum(1 for q in document.questions() if q.type != "note")
    return max(1, round(count * SECONDS_PER_QUESTION / 60))


def drivers(document: Document, section_name: str) -> frozenset[str]:
    """Questions of a page whose answer decides whether another question of it is shown
    (found once per version and page): conditions, and cascading lists on the same page."""
    memo, key = derived(document), ("drivers", section_name)
    if key not in memo:
        section = document.section(section_name)
        names = {q.name for q in section.questions}
        found: set[str] = set()
        for question in section.questions:
            if question.relevant:
                found |= references(compiled(question.relevant)) & names
            if question.choice_filter:
                found |= filter_questions(question.choice_filter) & names
        memo[key] = frozenset(found)
    return memo[key]


# --- campaign state -----------------------------------------------------------------------


def find_campaign(session: Session, slug: str) -> Campaign | None:
    return session.exec(select(Campaign).where(Campaign.slug == slug)).scalars().first()


def commission_id_of(session: Session, version_id: int) -> int:
    from surveys.models import Questionnaire

    query = (
        select(Questionnaire.commission_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .where(QuestionnaireVersion.id == version_id)
    )
    return session.exec(query).scalar_one()


def completes_of(session: Session, campaign_id: int) -> int:
    query = select(func.count()).where(Response.campaign_id == campaign_id, Response.completed)
    return session.exec(query).scalar_one()


def campaign_state(campaign: Campaign, now: datetime, completes: int = 0) -> str:
    """scheduled | open | closed | full, for a new respondent (a draft is not open yet)."""
    if campaign.draft or (campaign.opens_at is not None and now < campaign.opens_at):
        return "scheduled"
    if campaign.closes_at is not None and now >= campaign.closes_at:
        return "closed"
    if campaign.quota is not None and completes >= campaign.quota:
        return "full"
    return "open"


def may_continue(campaign: Campaign, started_at: datetime, now: datetime) -> bool:
    """A draft goes on while the campaign is open, or within the grace period after the
    close when it was started before it. A quota reached meanwhile does not stop it."""
    if campaign.draft or (campaign.opens_at is not None and now < campaign.opens_at):
        return False
    if campaign.closes_at is None or now < campaign.closes_at:
        return True
    return started_at < campaign.closes_at and now < campaign.closes_at + GRACE


def channel_tag(session: Session, campaign_id: int, via: str | None) -> str:
    """``partner:<slug>`` for a partner's link of this campaign, else the public web link."""
    if not via:
        return WEB
    query = select(CampaignChannel.code).where(
        CampaignChannel.campaign_id == campaign_id, CampaignChannel.code == via
    )
    return f"partner:{via}" if session.exec(query).first() else WEB


# --- drafts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    id: int
    campaign_id: int
    token: str
    resume_code: str | None
    receipt_code: str | None
    answers: dict[str, Any]
    completed: bool
    page: str
    channel: str
    started_at: datetime


_DRAFT_COLUMNS = (
    Response.id,
    Response.campaign_id,
    Response.token,
    Response.resume_code,
    Response.receipt_code,
    Response.answers,
    Response.completed,
    Response.page,
    Response.channel,
    Response.started_at,
)


# The hot writes are a constant statement and its parameters (a Write): compiled once, with
# nothing built per request; the web layer commits them with its concurrent neighbours.
Write = tuple[Executable, dict[str, Any]]
_responses = Response.__table__
_INSERT = _responses.insert()
_UPDATE_ANY_DRAFT = _responses.update().where(_responses.c.id == bindparam("draft_id"))
_UPDATE_DRAFT = _UPDATE_ANY_DRAFT.where(_responses.c.completed.is_(False))


def _execute(session: Session, write: Write) -> None:
    statement, params = write
    session.exec(statement, params=params)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_receipt_code() -> str:
    return new_code(RECEIPT_CODE_LENGTH)


def show_code(code: str) -> str:
    """A code in groups of at most five, easier to read out and copy (typed back, the dashes
    and spaces are ignored)."""
    return "-".join(code[i : i + 5] for i in range(0, len(code), 5))


def normalise_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def is_token(value: str | None) -> bool:
    return (
        bool(value) and 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()
    )


def load_draft(session: Session, campaign_id: int, token: str | None) -> Draft | None:
    if not is_token(token):
        return None
    query = select(*_DRAFT_COLUMNS).where(
        Response.token == token, Response.campaign_id == campaign_id
    )
    row = session.exec(query).first()
    return Draft(*row) if row else None


def row_by_code(
    session: Session, campaign_id: int, code: str, columns: tuple, receipt: bool = False
):
    """The given columns of the campaign's response holding this resume code (or this
    receipt code), or None."""
    code = normalise_code(code)
    length = RECEIPT_CODE_LENGTH if receipt else CODE_LENGTH
    if len(code) not in (length, LEGACY_CODE_LENGTH):
        return None
    column = Response.receipt_code if receipt else Response.resume_code
    query = select(*columns).where(column == code, Response.campaign_id == campaign_id)
    return session.exec(query).first()


def find_by_code(session: Session, campaign_id: int, code: str) -> Draft | None:
    row = row_by_code(session, campaign_id, code, _DRAFT_COLUMNS)
    return Draft(*row) if row else None


def start_response(
    session: Session,
    campaign: Campaign,
    token: str,
    channel: str,
    now: datetime,
    with_code: bool = True,
) -> Draft:
    """Create the draft for ``token`` (the intro form's own token), or return the one that a
    double tap on "start" already created. Kiosk drafts get no resume code."""
    existing = load_draft(session, campaign.id, token)
    if existing is not None:
        return existing
    for _attempt in range(5):
        code = new_code() if with_code else None
        try:
            _execute(session, draft_insert(campaign, token, channel, now, code))
            session.commit()
            break
        except IntegrityError:
            session.rollback()
            existing = load_draft(session, campaign.id, token)
            if existing is not None:  # the other tap won the race
                return existing
    draft = load_draft(session, campaign.id, token)
    if draft is None:
        raise RuntimeError("could not create a draft")
    return draft


def draft_insert(
    campaign: Campaign, token: str, channel: str, now: datetime, code: str | None
) -> Write:
    """A new, empty draft; fails on a token or resume code already taken."""
    return _INSERT, dict(
        campaign_id=campaign.id,
        version_id=campaign.version_id,
        token=token,
        channel=channel,
        answers={},
        completed=False,
        started_at=now,
        updated_at=now,
        consented_at=now,
        consent_version=campaign.consent_version,
        resume_code=code,
        page="",
    )


def save_page(
    session: Session, document: Document, draft: Draft, section: str, form: FormData, now: datetime
) -> Checked:
    """Read one posted page and save what is well-formed into the draft, even when other
    answers of the page have problems: nothing typed correctly is lost."""
    checked, answers = merge_page(document, draft, section, form)
    if not draft.completed:
        _execute(session, page_update(draft, answers, section, now))
        session.commit()
    return checked


def merge_page(
    document: Document, draft: Draft, section: str, form: FormData
) -> tuple[Checked, dict[str, Any]]:
    """A posted page read, and the draft's answers with the page's well-formed ones; what
    was typed but does not read as an answer is kept as typed under ``TYPED`` (shown again,
    flagged, until it is corrected). ``checked.state`` is the relevance of those answers."""
    checked = parse_section(document, section, form, draft.answers)
    questions = document.section(section).questions
    own = {k for q in questions for k in (q.name, q.other_name)}
    answers = {k: v for k, v in draft.answers.items() if k not in own and k != TYPED}
    answers.update(checked.answers)
    typed = {k: v for k, v in (draft.answers.get(TYPED) or {}).items() if k not in own}
    typed.update(typed_values(questions, form, checked))
    if typed:
        answers[TYPED] = typed
    return checked, answers


def _form_keys(question: Question, form: FormData) -> dict[str, list[str]]:
    """The raw values a form holds for one question (its name, its "other" text, its rows
    or items), blanks left out."""
    found: dict[str, list[str]] = {}
    for key in form:
        if key in (question.name, question.other_name) or key.startswith(f"{question.name}/"):
            raw = form[key]
            values = [raw] if isinstance(raw, str) else [v for v in raw if isinstance(v, str)]
            values = [v for v in values if v.strip()]
            if values:
                found[key] = values
    return found


def typed_values(
    questions: tuple[Question, ...], form: FormData, checked: Checked
) -> dict[str, dict[str, list[str]]]:
    """What was typed for the questions of a page whose input did not give an answer."""
    flagged = {p.where for p in checked.problems}
    kept = {}
    for question in questions:
        if question.name in flagged and question.name not in checked.answers:
            raw = _form_keys(question, form)
            if raw:
                kept[question.name] = raw
    return kept


def typed_form(
    document: Document, section: str, answers: dict[str, Any]
) -> tuple[dict[str, list[str]] | None, tuple[Problem, ...]]:
    """The page's inputs as they were left, with what was typed and not yet accepted, and
    the problems of those values; (None, ()) when everything typed was accepted."""
    typed = answers.get(TYPED) or {}
    questions = [q for q in document.section(section).questions if q.name in typed]
    if not questions:
        return None, ()
    form = to_form(document, answers)
    problems: list[Problem] = []
    for question in questions:
        raw = typed[question.name]
        form.update(raw)
        problems.extend(parse_question(question, raw).problems)
    return form, tuple(problems)


def without_typed(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if k != TYPED} if TYPED in answers else answers


def page_update(draft: Draft, answers: dict[str, Any], page: str, now: datetime) -> Write:
    """Save a draft's answers and the page to come back to (never over a completed one)."""
    return _UPDATE_DRAFT, {
        "draft_id": draft.id,
        "answers": answers,
        "page": page,
        "updated_at": now,
    }


def set_page(session: Session, draft: Draft, page: str) -> None:
    _execute(session, page_change(draft, page))
    session.commit()


def page_change(draft: Draft, page: str) -> Write:
    return _UPDATE_ANY_DRAFT, {"draft_id": draft.id, "page": page}


# --- moving through the pages ---------------------------------------------------------------


# Each takes the Relevance of the answers when the caller already has it (it walks the
# whole questionnaire).


def visible_sections(
    document: Document, answers: dict[str, Any], state: Relevance | None = None
) -> list[Section]:
    state = state or relevance(document, answers)
    return [
        s
        for s in document.sections
        if state.sections[s.name] and any(state.questions[q.name] for q in s.questions)
    ]


def next_section(
    document: Document, answers: dict[str, Any], after: str, state: Relevance | None = None
) -> str | None:
    names = [s.name for s in document.sections]
    shown = {s.name for s in visible_sections(document, answers, state)}
    for name in names[names.index(after) + 1 :]:
        if name in shown:
            return name
    return None


def previous_section(
    document: Document, answers: dict[str, Any], before: str, state: Relevance | None = None
) -> str | None:
    names = [s.name for s in document.sections]
    shown = {s.name for s in visible_sections(document, answers, state)}
    for name in reversed(names[: names.index(before)]):
        if name in shown:
            return name
    return None


def progress(
    document: Document, answers: dict[str, Any], section: str, state: Relevance | None = None
) -> tuple[int, int]:
    """(page number, number of pages) among the pages this respondent will see."""
    names = [s.name for s in visible_sections(document, answers, state)]
    if section not in names:
        names = [s.name for s in document.sections]
    return names.index(section) + 1, len(names)


def resume_page(document: Document, draft: Draft) -> str:
    if draft.page and any(s.name == draft.page for s in document.sections):
        return draft.page
    return document.sections[0].name


# --- submitting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    done: bool
    problems: tuple[Problem, ...] = ()
    section: str | None = None  # where to send the respondent to fix the first problem


def submit(session: Session, document: Document, draft: Draft, now: datetime) -> Submission:
    """Complete a draft once. A second call (double tap, back button, retry after a lost
    connection) finds it completed and succeeds without writing anything."""
    if draft.completed:
        return Submission(True)
    result, answers = check_submission(document, draft)
    if answers is not None:
        code = new_receipt_code() if draft.resume_code else None
        _execute(session, completion_update(draft, answers, now, code))
        session.commit()
    return result


def check_submission(document: Document, draft: Draft) -> tuple[Submission, dict[str, Any] | None]:
    """Whether a draft may be completed, and with which answers (None when it may not)."""
    checked = check_answers(document, without_typed(draft.answers))
    typed = draft.answers.get(TYPED) or {}
    pending = [  # typed on a page that is still shown, and never accepted
        problem
        for name, raw in typed.items()
        if document.has_question(name) and checked.state.questions[name]
        for problem in parse_question(document.question(name), raw).problems
    ]
    if pending:
        checked = Checked(checked.answers, (*pending, *checked.problems), checked.state)
    if not checked.ok:
        first = checked.problems[0]
        section = (
            document.section_of(first.where).name if document.has_question(first.where) else None
        )
        return Submission(False, checked.problems, section), None
    return Submission(True), checked.answers


def completion_update(
    draft: Draft, answers: dict[str, Any], now: datetime, receipt_code: str | None = None
) -> Write:
    """Complete a draft; matches no row when it is already completed (a retry). The resume
    code goes: from now on only the receipt code (given once, on the thanks page) finds it."""
    values = {"answers": answers, "completed": True, "submitted_at": now, "updated_at": now}
    codes = {"resume_code": None, "receipt_code": receipt_code}
    return _UPDATE_DRAFT, {"draft_id": draft.id, **values, **codes}


def record_paper(
    session: Session, campaign: Campaign, document: Document, form: FormData, now: datetime
) -> Checked:
    """A paper questionnaire typed in on one page: every section read in order, then the
    whole checked; stored complete with the channel "paper" only when nothing is wrong."""
    checked = check_paper(document, form)
    if checked.problems:
        return checked
    _execute(session, paper_insert(campaign, checked.answers, now))
    session.commit()
    return checked


def check_paper(document: Document, form: FormData) -> Checked:
    """A paper questionnaire typed in on one page: every section read in order, then the
    whole checked."""
    answers: dict[str, Any] = {}
    problems: list[Problem] = []
    for section in document.sections:
        checked = parse_section(document, section, form, answers)
        answers.update(checked.answers)
        problems.extend(checked.problems)
    if not problems:
        whole = check_answers(document, answers)
        answers, problems = whole.answers, list(whole.problems)
    return Checked(answers, tuple(problems))


def paper_insert(campaign: Campaign, answers: dict[str, Any], now: datetime) -> Write:
    """A checked paper questionnaire, stored complete with the channel "paper"."""
    return _INSERT, dict(
        campaign_id=campaign.id,
        version_id=campaign.version_id,
        token=new_token(),
        channel=PAPER,
        answers=answers,
        consent_version=campaign.consent_version,  # the consent printed on the form
        completed=True,
        started_at=now,
        submitted_at=now,
        updated_at=now,
        page="",
    )


# --- counts for the staff pages ---------------------------------------------------------------


@dataclass(frozen=True)
class CampaignCounts:
    completes: int
    partials: int
    by_channel: list[tuple[str, int, int]]  # channel, completes, partials
    by_day: list[tuple[date, int]]  # day of submission, completes


def count_responses(session: Session, campaign_id: int) -> CampaignCounts:
    from sqlalchemy import case

    done = func.count(case((Response.completed, 1)))
    partial = func.count(case((Response.completed.is_(False), 1)))
    rows = session.exec(
        select(Response.channel, done, partial)
        .where(Response.campaign_id == campaign_id)
        .group_by(Response.channel)
        .order_by(Response.channel)
    ).all()
    days: dict[date, int] = {}
    for (submitted,) in session.exec(
        select(Response.submitted_at).where(Response.campaign_id == campaign_id, Response.completed)
    ).all():
        if submitted is not None:
            days[submitted.date()] = days.get(submitted.date(), 0) + 1
    return CampaignCounts(
        completes=sum(r[1] for r in rows),
        partials=sum(r[2] for r in rows),
        by_channel=[tuple(r) for r in rows],
        by_day=sorted(days.items()),
    )


def kiosk_key(secret: str, slug: str) -> str:
    """The secret part of a campaign's kiosk link, so that only staff can open kiosk mode."""
    import hashlib
    import hmac

    return hmac.new(secret.encode(), f"kiosk:{slug}".encode(), hashlib.sha256).hexdigest()[:12]
