"""Persistence of questionnaires, campaigns and responses (SQLModel tables).

The commission is referenced by table name only: surveys/ never imports consult/.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Integer, UniqueConstraint, event, false, inspect, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Questionnaire(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    commission_id: int = Field(foreign_key="commission.id", index=True)
    title: str = Field(max_length=300)
    # the register of built-in French messages to respondents: "tu", "vous", or "" (tu
    # for a youth audience, surveys.registers.register_for)
    formality: str = Field(default="", max_length=8, sa_column_kwargs={"server_default": ""})
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


class FrozenVersionError(RuntimeError):
    """A published version's document (or its publication) cannot change any more."""


@event.listens_for(QuestionnaireVersion, "before_update")
def _refuse_changes_to_published_versions(mapper, connection, target) -> None:
    """Last line of defence behind surveys.questionnaires: whatever code path tries it,
    a published document is never rewritten."""
    state = inspect(target)
    was_published = state.attrs.published_at.history.deleted or (
        state.attrs.published_at.history.unchanged
    )
    if any(value is not None for value in was_published or ()) and (
        state.attrs.document.history.has_changes() or state.attrs.published_at.history.added
    ):
        raise FrozenVersionError(f"version {target.id} is published and cannot change")


class QuestionnaireEdit(SQLModel, table=True):
    """When a version's document was last saved (one row per version; "last change")."""

    version_id: int = Field(
        foreign_key="questionnaireversion.id", primary_key=True, ondelete="CASCADE"
    )
    changed_at: datetime = Field(default_factory=utcnow)


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
    # bumped by the listener below whenever consent_text changes; 0 = never had a text
    consent_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The respondent's texts in other languages: {lang: {"consent_text", "audience",
    # "introduction"}}; ``consent_text`` and ``audience`` above are the French (default) ones.
    texts: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSONDocument, nullable=False, server_default=text("'{}'")),
    )
    anonymous: bool = Field(default=True)
    # a shared device (kiosk, a partner's workshop): "you already answered on this device"
    # still offers to answer again
    several_per_device: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # retention, applied by `consult retention`: unfinished drafts after this many days of
    # inactivity, sent responses this many years after submission (None: kept)
    draft_retention_days: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    # no column default: it would replace an explicit None ("kept") by 5 at insert
    response_retention_years: int | None = Field(
        default=5, sa_column=Column(Integer, nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow)
    # created from the web as a draft: only its test link answers until "Open the campaign"
    # has checked the launch list (consent, introduction, closing date, retention)
    draft: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    pitch: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}
    )  # poster


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
    # what a respondent types to resume on another device (8 unambiguous characters)
    resume_code: str | None = Field(default=None, max_length=12, unique=True)
    # what a respondent types to see or erase sent answers: another code, given once sent
    # (the resume code is then dropped, so a glimpse of it shows nothing afterwards)
    receipt_code: str | None = Field(default=None, max_length=16, unique=True, index=True)
    page: str = Field(default="", max_length=80)  # the section to come back to
    updated_at: datetime | None = Field(default=None)
    consented_at: datetime | None = Field(default=None)
    # the CampaignConsent version this respondent agreed to (paper: the one of the form)
    consent_version: int | None = Field(default=None)


# --- campaigns, channels and respondents (new tables of that area go below) ---


class CampaignConsent(SQLModel, table=True):
    """Every consent text a campaign ever showed, so that a response's ``consent_version``
    always says exactly what was agreed to."""

    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True, ondelete="CASCADE")
    version: int = Field(primary_key=True)
    text: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow)


@event.listens_for(Campaign, "before_insert")
@event.listens_for(Campaign, "before_update")
def _bump_consent_version(mapper, connection, target) -> None:
    history = inspect(target).attrs.consent_text.history
    changed = history.has_changes() and (history.added or [""])[0] != (history.deleted or [""])[0]
    if changed:
        target.consent_version = (target.consent_version or 0) + 1
        target.__dict__["_consent_changed"] = True


@event.listens_for(Campaign, "after_insert")
@event.listens_for(Campaign, "after_update")
def _keep_consent_text(mapper, connection, target) -> None:
    # Mapper events may not use the session, but may write through its connection; ORM
    # saves of a campaign (web form, CLI, demo) all pass here.
    if target.__dict__.pop("_consent_changed", False):
        connection.execute(
            CampaignConsent.__table__.insert().values(
                campaign_id=target.id,
                version=target.consent_version,
                text=target.consent_text or "",
                created_at=utcnow(),
            )
        )


class CampaignChannel(SQLModel, table=True):
    """A partner's own link to a campaign: its responses carry ``tag`` (``partner:<slug>``)."""

    __table_args__ = (UniqueConstraint("campaign_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    code: str = Field(max_length=80)  # the partner's slug, in the link: /r/<campaign>?via=<code>
    label: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def tag(self) -> str:
        return f"partner:{self.code}"


# --- results: quotes and other results tables (new tables of that area go below) ---


class Quote(SQLModel, table=True):
    """A free-text answer a facilitator chose to show at the plenary (one per answer)."""

    __table_args__ = (UniqueConstraint("response_id", "question"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    response_id: int = Field(foreign_key="response.id", ondelete="CASCADE")
    question: str = Field(max_length=120)
    text: str
    marked_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


# --- plenary: decks, live polls (new tables of that area go below) ---


class LivePoll(SQLModel, table=True):
    """A question put to the room during a plenary, answered on phones at ``/v/<code>``.

    ``plenary_id`` keeps the poll (and its frozen results) with the plenary it was asked at;
    ``commission_id`` says who may run it. Answers are never shown until ``revealed``.
    """

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True, index=True)
    commission_id: int = Field(foreign_key="commission.id", index=True, ondelete="CASCADE")
    plenary_id: int | None = Field(
        default=None, foreign_key="plenary.id", index=True, ondelete="SET NULL"
    )
    kind: str = Field(max_length=20)  # single | multiple | scale | text
    question: str = Field(max_length=300)
    choices: list[str] = Field(default_factory=list, sa_column=Column(JSONDocument, nullable=False))
    scale_min: int = Field(default=1)
    scale_max: int = Field(default=5)
    revealed: bool = Field(default=False)
    closed_at: datetime | None = Field(default=None)
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class LiveVote(SQLModel, table=True):
    """One phone's answer to a live poll. ``voter`` is a random token from a cookie of that
    poll (no account, no IP address); the unique constraint makes a second answer impossible.
    Free-text answers wait for the facilitator's approval (``approved`` None = pending)."""

    __table_args__ = (UniqueConstraint("poll_id", "voter"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="livepoll.id", index=True, ondelete="CASCADE")
    voter: str = Field(max_length=64)
    choices: list[str] = Field(default_factory=list, sa_column=Column(JSONDocument, nullable=False))
    text: str = Field(default="", max_length=200)
    approved: bool | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow)


class PublicPage(SQLModel, table=True):
    """A campaign's public results page ``/p/<slug>``: shown only while published."""

    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True, ondelete="CASCADE")
    published_at: datetime | None = Field(default=None)


class PublicQuestion(SQLModel, table=True):
    """A question the commission chose to show on the public page (free-text questions show
    only their marked quotes)."""

    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True, ondelete="CASCADE")
    question: str = Field(max_length=120, primary_key=True)
    position: int = Field(default=0)


class DeckSlide(SQLModel, table=True):
    """One slide of a campaign's plenary deck, in ``position`` order (the title slide is
    always first and is not stored)."""

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaign.id", index=True, ondelete="CASCADE")
    position: int = Field(default=0)
    kind: str = Field(max_length=20)  # figures | question | quotes | waves
    question: str = Field(default="", max_length=120)
    takeaway: str = Field(default="", max_length=400)
    # what the slide needs beyond a question: the filter it was built with ({"filters":
    # {name: [values]}}), a poll's code, the "you said / we did" pair
    extra: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONDocument, nullable=False, server_default="{}")
    )


# --- representativeness: population margins (new tables of that area go below) ---


class PopulationMargins(SQLModel, table=True):
    """A campaign's population margins: ``{variable: {category: share}}`` over questions that
    describe people (crossed as ``age*genre``), with their source and year."""

    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True, ondelete="CASCADE")
    margins: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONDocument, nullable=False)
    )
    source: str = Field(default="", max_length=300)
    year: int | None = Field(default=None)
    illustrative: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utcnow)
