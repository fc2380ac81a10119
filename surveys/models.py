"""Persistence of questionnaires, campaigns and responses (SQLModel tables).

The commission is referenced by table name only: surveys/ never imports consult/.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Questionnaire(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True)
    title: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow)


class QuestionnaireVersion(SQLModel, table=True):
    """A version's document is frozen once published; answers point at the version."""

    __table_args__ = (UniqueConstraint("questionnaire_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: int = Field(foreign_key="questionnaire.id", index=True, ondelete="CASCADE")
    number: int = Field(default=1)
    document: dict[str, Any] = Field(sa_column=Column(JSONDocument, nullable=False))
    published_at: datetime | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


class Campaign(SQLModel, table=True):
    """One run of a published version for a public and a period; waves share a series."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=300)
    series: str = Field(default="", max_length=120, index=True)
    wave: str = Field(default="", max_length=60)
    version_id: int = Field(foreign_key="questionnaireversion.id", index=True)
    opens_at: datetime | None = Field(default=None)
    closes_at: datetime | None = Field(default=None)
    quota: int | None = Field(default=None)
    audience: str = Field(default="", max_length=200)
    consent_text: str = Field(default="")
    anonymous: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class Response(SQLModel, table=True):
    """One person's answers; drafts are saved page by page, completed once.

    ``token`` makes submission idempotent. No IP address or user agent is ever stored.
    """

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    version_id: int = Field(foreign_key="questionnaireversion.id")
    token: str = Field(max_length=64, unique=True)
    channel: str = Field(default="web", max_length=60)
    answers: dict[str, Any] = Field(sa_column=Column(JSONDocument, nullable=False))
    completed: bool = Field(default=False, index=True)
    started_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = Field(default=None, index=True)


# --- campaigns, channels and respondents (new tables of that area go below) ---


# --- results: quotes and other results tables (new tables of that area go below) ---


# --- plenary: decks, live polls (new tables of that area go below) ---
