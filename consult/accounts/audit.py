"""The audit log of raw-answer access: who exported or read individual answers, and when.

Framework-free; the web handlers and commands call ``record`` once they have checked access.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from consult.accounts.models import AuditEvent, User

COMMAND_LINE = "command line"
# What each action means is shown in the audit page; these are the stored codes.
EXPORT, REPORT, API, TEXT_ANSWERS = "export", "report", "api", "text_answers"
DECK = "deck"
ACTIONS = (EXPORT, REPORT, API, TEXT_ANSWERS, DECK)
PAGE_SIZE = 200


def record(
    session: Session,
    action: str,
    actor: str,
    user_id: int | None = None,
    campaign_id: int | None = None,
    campaign_slug: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> None:
    session.exec(
        AuditEvent.__table__.insert().values(
            at=at or datetime.now(UTC),
            user_id=user_id,
            actor=actor[:254],
            action=action,
            campaign_id=campaign_id,
            campaign_slug=campaign_slug[:80],
            detail=detail[:300],
        )
    )
    session.commit()


@dataclass(frozen=True)
class AuditFilter:
    user_id: int | None = None
    campaign_slug: str = ""
    action: str = ""


def list_events(
    session: Session, chosen: AuditFilter = AuditFilter(), limit: int = PAGE_SIZE
) -> list[AuditEvent]:
    """The most recent events first."""
    query = select(AuditEvent).order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    if chosen.user_id is not None:
        query = query.where(AuditEvent.user_id == chosen.user_id)
    if chosen.campaign_slug:
        query = query.where(AuditEvent.campaign_slug == chosen.campaign_slug)
    if chosen.action:
        query = query.where(AuditEvent.action == chosen.action)
    return list(session.exec(query.limit(limit)).all())


def actors(session: Session) -> list[tuple[int, str]]:
    """(user id, e-mail) of the accounts that appear in the log, for the filter."""
    query = (
        select(User.id, User.email)
        .where(col(User.id).in_(select(AuditEvent.user_id).distinct()))
        .order_by(User.email)
    )
    return [tuple(row) for row in session.exec(query).all()]


def campaign_slugs(session: Session) -> list[str]:
    query = select(AuditEvent.campaign_slug).distinct().order_by(AuditEvent.campaign_slug)
    return [slug for slug in session.exec(query).all() if slug]
