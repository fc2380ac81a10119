"""Where choice images live: one row per picture, its bytes under its SHA-256.

In the database rather than files under the var directory: ``consult backup`` and a
PostgreSQL dump then hold them with the questionnaires that point at them, every worker (and
every host behind a load balancer) sees the same pictures, and no path is ever built from user
input. The pictures are small (re-encoded to ~60 KB at most, ``surveys.images``) and few (a
handful per questionnaire), and served with a year's cache, so the database reads each rarely.

A picture is shown to staff only until a published version points at it; ``publish`` of
``surveys.questionnaires`` marks it public then (a published version never changes again).
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Column, LargeBinary, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from surveys.choices import IMAGE_FIELDS, Choice
from surveys.document import Document
from surveys.editing import replace_question
from surveys.images import Prepared


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ChoiceImage(SQLModel, table=True):
    digest: str = Field(primary_key=True, max_length=64)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    width: int
    height: int
    # shown to anyone once a published version uses it; to staff only before
    published: bool = Field(default=False)
    created_at: datetime = Field(default_factory=_utcnow)


def store(session: Session, prepared: Prepared) -> str:
    """Keep a re-encoded picture (once, however often it is uploaded); its digest."""
    if session.get(ChoiceImage, prepared.digest) is None:
        session.add(
            ChoiceImage(
                digest=prepared.digest,
                data=prepared.data,
                width=prepared.width,
                height=prepared.height,
            )
        )
        try:
            session.commit()
        except IntegrityError:  # the same picture, uploaded at the same moment elsewhere
            session.rollback()
    return prepared.digest


def find(session: Session, digest: str) -> ChoiceImage | None:
    return session.get(ChoiceImage, digest)


def size_of(session: Session, digest: str) -> tuple[int, int] | None:
    row = session.exec(
        select(ChoiceImage.width, ChoiceImage.height).where(ChoiceImage.digest == digest)
    ).first()
    return (row[0], row[1]) if row else None


def used_by(document: Document) -> set[str]:
    return {c.image for q in document.questions() for c in q.choices if c.image}


def pictures_of(session: Session, document: Document) -> dict[str, bytes]:
    """The stored bytes of the pictures a document shows, by digest."""
    return {
        digest: row.data
        for digest in sorted(used_by(document))
        if (row := find(session, digest)) is not None
    }


def mark_published(session: Session, document: Document) -> None:
    """The pictures of a version being published become public (the caller commits)."""
    digests = used_by(document)
    if digests:
        session.execute(
            update(ChoiceImage).where(ChoiceImage.digest.in_(digests)).values(published=True)
        )


# --- a choice's image in the document ------------------------------------------------------


def set_choice_image(
    document: Document, name: str, value: str, image: str, size: tuple[int, int],
    alt: Mapping[str, str],
) -> Document:  # fmt: skip
    """The choice ``value`` of question ``name`` shows the picture ``image`` (its digest),
    described by ``alt`` per language; KeyError for a question or choice that is not there."""
    question = document.question(name)
    if value not in {c.value for c in question.choices}:
        raise KeyError(value)
    described = {lang: text.strip() for lang, text in alt.items() if text.strip()}
    choices = tuple(
        replace(c, image=image, image_width=size[0], image_height=size[1], image_alt=described)
        if c.value == value
        else c
        for c in question.choices
    )
    return replace_question(document, name, replace(question, choices=choices))


def remove_choice_image(document: Document, name: str, value: str) -> Document:
    question = document.question(name)
    if value not in {c.value for c in question.choices}:
        raise KeyError(value)
    bare = Choice("")
    choices = tuple(
        replace(c, **{f: getattr(bare, f) for f in IMAGE_FIELDS}) if c.value == value else c
        for c in question.choices
    )
    return replace_question(document, name, replace(question, choices=choices))
