"""Questionnaires and their versions in the database: create, list, edit drafts, publish.

Functions of ``(session, plain values)``; no web framework. The rules:

- a questionnaire has numbered versions; the latest one is either a draft or published;
- a draft is saved whatever it holds (nothing typed is lost) and its problems are returned;
- publishing needs zero problems and freezes the version for good (``published_at``);
  ``surveys.models`` refuses any later change to it, whatever the code path;
- changing a published questionnaire starts a new draft, number + 1, copied from the last;
- campaigns and responses point at a version id, so answers keep the version they answered.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from surveys import image_store
from surveys.document import Document, from_dict, text, to_dict
from surveys.editing import blank_document
from surveys.library import load_template
from surveys.limits import MAX_JSON_DEPTH, MAX_QUESTIONS, question_count, size_problems
from surveys.models import (
    FrozenVersionError,
    Questionnaire,
    QuestionnaireEdit,
    QuestionnaireVersion,
    utcnow,
)
from surveys.problems import Problem, ProblemsError
from surveys.reading import read_upload
from surveys.validation import validate
from surveys.versions import VersionDiff, diff

__all__ = ["MAX_JSON_DEPTH", "MAX_QUESTIONS", "FrozenVersionError"]

TITLE_MAX = 300
COPY_SUFFIX = {"fr": "copie", "en": "copy"}
XLSFORM_SUFFIXES = (".xlsx", ".xls")


@dataclass(frozen=True)
class Created:
    """The outcome of an import: a questionnaire, or the problems (and nothing created)."""

    questionnaire: Questionnaire | None
    problems: list[Problem]
    warnings: list[Problem]


@dataclass(frozen=True)
class Published:
    version: QuestionnaireVersion | None
    problems: list[Problem]


@dataclass(frozen=True)
class QuestionnaireSummary:
    id: int
    commission_id: int
    title: str
    versions: int
    latest_number: int
    published: bool  # the latest version is published (no draft under way)
    changed_at: datetime


@dataclass(frozen=True)
class VersionEntry:
    version: QuestionnaireVersion
    changes: VersionDiff | None  # against the previous version; None for the first


LABEL_FIELDS = frozenset({"title", "description", "label", "hint", "constraint_message"})


def _in_language_order(data, languages: list[str]):
    """PostgreSQL's JSONB reorders keys; labels come back in the document's language order,
    so that an export is the same text on both databases."""
    if isinstance(data, list):
        return [_in_language_order(item, languages) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key in LABEL_FIELDS and isinstance(value, dict):
            rank = {lang: i for i, lang in enumerate(languages)}
            value = dict(sorted(value.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))
        out[key] = _in_language_order(value, languages)
    return out


def document_of(version: QuestionnaireVersion) -> Document:
    data = version.document
    languages = data.get("languages") if isinstance(data, dict) else None
    if isinstance(languages, list):
        data = _in_language_order(data, languages)
    return from_dict(data)


def _title(document: Document) -> str:
    return text(document.title, document.default_language).strip()[:TITLE_MAX] or "—"


def _touch(session: Session, version_id: int) -> None:
    edit = session.get(QuestionnaireEdit, version_id)
    if edit is None:
        session.add(QuestionnaireEdit(version_id=version_id))
    else:
        edit.changed_at = utcnow()
        session.add(edit)


# --- creating -------------------------------------------------------------------------


def create_questionnaire(
    session: Session,
    commission_id: int,
    document: Document,
    max_questions: int | None = MAX_QUESTIONS,
) -> Questionnaire:
    """A questionnaire whose version 1 is a draft holding ``document``; ProblemsError
    (Q_TOO_MANY_QUESTIONS) when it holds more than ``max_questions``."""
    if too_many := size_problems(document, max_questions):
        raise ProblemsError(too_many)
    questionnaire = Questionnaire(commission_id=commission_id, title=_title(document))
    session.add(questionnaire)
    session.flush()
    version = QuestionnaireVersion(
        questionnaire_id=questionnaire.id, number=1, document=to_dict(document)
    )
    session.add(version)
    session.flush()
    _touch(session, version.id)
    session.commit()
    return questionnaire


def create_blank(
    session: Session, commission_id: int, title: str, languages: tuple[str, ...] = ("fr",)
) -> Questionnaire:
    return create_questionnaire(session, commission_id, blank_document(title.strip(), languages))


def create_from_template(session: Session, commission_id: int, key: str) -> Questionnaire:
    """KeyError for an unknown template key."""
    return create_questionnaire(session, commission_id, load_template(key))


def import_questionnaire(
    session: Session,
    commission_id: int,
    data: bytes,
    filename: str,
    default_language: str = "fr",
    max_questions: int | None = MAX_QUESTIONS,
) -> Created:
    """A questionnaire from a file (JSON, XLSForm, LimeSurvey, an XLSForm and its pictures
    in a .zip), or the problems that refuse it."""
    read = read_upload(data, filename, default_language, max_questions)
    return create_from_read(session, commission_id, read, max_questions)


def create_from_read(
    session: Session, commission_id: int, read: tuple, max_questions: int | None = MAX_QUESTIONS
) -> Created:
    """The questionnaire of a file read by :func:`surveys.reading.read_upload` (its choices'
    pictures stored first), or its problems; nothing is stored when there are any."""
    document, problems, warnings, images = read
    if document is None:
        return Created(None, problems, warnings)
    for image in images:
        image_store.store(session, image)
    questionnaire = create_questionnaire(session, commission_id, document, max_questions)
    return Created(questionnaire, [], warnings)


def duplicate_questionnaire(
    session: Session,
    questionnaire_id: int,
    commission_id: int | None = None,
    max_questions: int | None = MAX_QUESTIONS,
) -> Questionnaire:
    """A new questionnaire (version 1, draft) from the latest version of another one;
    ProblemsError (Q_TOO_MANY_QUESTIONS) when it holds more than ``max_questions``."""
    source = session.get(Questionnaire, questionnaire_id)
    document = document_of(latest_version(session, questionnaire_id))
    title = {
        lang: f"{label} ({COPY_SUFFIX.get(lang, COPY_SUFFIX['en'])})"
        for lang, label in document.title.items()
    }
    return create_questionnaire(
        session,
        commission_id if commission_id is not None else source.commission_id,
        replace(document, title=title),
        max_questions,
    )


# --- reading --------------------------------------------------------------------------


def get_questionnaire(session: Session, questionnaire_id: int) -> Questionnaire | None:
    return session.get(Questionnaire, questionnaire_id)


def list_versions(session: Session, questionnaire_id: int) -> list[QuestionnaireVersion]:
    query = (
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .order_by(QuestionnaireVersion.number)
    )
    return list(session.exec(query).all())


def latest_version(session: Session, questionnaire_id: int) -> QuestionnaireVersion:
    query = (
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .order_by(QuestionnaireVersion.number.desc())
    )
    return session.exec(query).first()


def get_version(
    session: Session, questionnaire_id: int, number: int
) -> QuestionnaireVersion | None:
    query = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id,
        QuestionnaireVersion.number == number,
    )
    return session.exec(query).first()


def current_draft(session: Session, questionnaire_id: int) -> QuestionnaireVersion | None:
    latest = latest_version(session, questionnaire_id)
    return latest if latest is not None and latest.published_at is None else None


def list_questionnaires(
    session: Session, commission_ids: list[int] | None
) -> list[QuestionnaireSummary]:
    """Questionnaires of the given commissions (all when None), newest change first."""
    query = select(Questionnaire)
    if commission_ids is not None:
        query = query.where(Questionnaire.commission_id.in_(commission_ids))
    questionnaires = list(session.exec(query).all())
    if not questionnaires:
        return []
    ids = [q.id for q in questionnaires]
    rows = session.exec(
        select(
            QuestionnaireVersion.questionnaire_id,
            QuestionnaireVersion.number,
            QuestionnaireVersion.published_at,
            QuestionnaireVersion.created_at,
            func.coalesce(QuestionnaireEdit.changed_at, QuestionnaireVersion.created_at),
        )
        .join(
            QuestionnaireEdit,
            QuestionnaireEdit.version_id == QuestionnaireVersion.id,
            isouter=True,
        )
        .where(QuestionnaireVersion.questionnaire_id.in_(ids))
    ).all()
    latest: dict[int, tuple] = {}
    counts: dict[int, int] = {}
    for qid, number, published_at, created_at, changed_at in rows:
        counts[qid] = counts.get(qid, 0) + 1
        if qid not in latest or number > latest[qid][0]:
            moments = [m for m in (changed_at, published_at, created_at) if m is not None]
            latest[qid] = (number, published_at is not None, max(map(_aware, moments)))
    summaries = [
        QuestionnaireSummary(
            id=q.id,
            commission_id=q.commission_id,
            title=q.title,
            versions=counts.get(q.id, 0),
            latest_number=latest.get(q.id, (0, False, None))[0],
            published=latest.get(q.id, (0, False, None))[1],
            changed_at=latest.get(q.id, (0, False, _aware(q.created_at)))[2],
        )
        for q in questionnaires
    ]
    return sorted(summaries, key=lambda s: s.changed_at, reverse=True)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def version_history(session: Session, questionnaire_id: int) -> list[VersionEntry]:
    """Every version, newest first, each with what changed since the one before."""
    versions = list_versions(session, questionnaire_id)
    entries = []
    previous: Document | None = None
    for version in versions:
        document = document_of(version)
        entries.append(VersionEntry(version, diff(previous, document) if previous else None))
        previous = document
    return list(reversed(entries))


# --- editing and publishing -----------------------------------------------------------


def draft_for_editing(session: Session, questionnaire_id: int) -> QuestionnaireVersion:
    """The draft under way, or a new one (number + 1) copied from the published latest."""
    latest = latest_version(session, questionnaire_id)
    if latest.published_at is None:
        return latest
    draft = QuestionnaireVersion(
        questionnaire_id=questionnaire_id, number=latest.number + 1, document=dict(latest.document)
    )
    session.add(draft)
    session.flush()
    _touch(session, draft.id)
    return draft


def save_document(
    session: Session, version: QuestionnaireVersion, document: Document
) -> list[Problem]:
    """Store a draft's document, whatever its problems, and return them.

    Raises FrozenVersionError for a published version: its document never changes."""
    if version.published_at is not None:
        raise FrozenVersionError(f"version {version.id} is published and cannot change")
    version.document = to_dict(document)  # a new dict: JSON columns miss in-place changes
    session.add(version)
    questionnaire = session.get(Questionnaire, version.questionnaire_id)
    questionnaire.title = _title(document)
    session.add(questionnaire)
    _touch(session, version.id)
    session.commit()
    return validate(document)


def edit_questionnaire(
    session: Session,
    questionnaire_id: int,
    change: Callable[[Document], Document],
    max_questions: int | None = MAX_QUESTIONS,
) -> tuple[QuestionnaireVersion, list[Problem]]:
    """Apply one designer action to the draft (started if need be) and save it.

    A change that adds questions past ``max_questions`` is refused before anything is saved
    (ProblemsError, Q_TOO_MANY_QUESTIONS); one that removes or keeps them always passes."""
    version = draft_for_editing(session, questionnaire_id)
    before = document_of(version)
    after = change(before)
    grew = question_count(after) > question_count(before)
    if grew and (too_many := size_problems(after, max_questions)):
        session.rollback()
        raise ProblemsError(too_many)
    return version, save_document(session, version, after)


def publish(session: Session, questionnaire_id: int) -> Published:
    """Freeze the draft; refused, with the problems, unless it has none."""
    version = current_draft(session, questionnaire_id)
    if version is None:
        return Published(latest_version(session, questionnaire_id), [])
    document = document_of(version)
    problems = validate(document)
    if problems:
        return Published(None, problems)
    version.published_at = utcnow()
    session.add(version)
    image_store.mark_published(session, document)
    session.commit()
    return Published(version, [])


def last_change(session: Session, version: QuestionnaireVersion) -> datetime:
    edit = session.get(QuestionnaireEdit, version.id)
    return _aware(edit.changed_at if edit else version.created_at)
