import enum
from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    MEMBER = "member"
    FACILITATOR = "facilitator"


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200)
    role: str = Field(default=Role.MEMBER.value, max_length=20)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow)


class Membership(SQLModel, table=True):
    """A user's commissions: members and facilitators see only these."""

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    commission_id: int = Field(foreign_key="commission.id", primary_key=True, ondelete="CASCADE")


class ApiToken(SQLModel, table=True):
    """A read-only API token; only the SHA-256 of the secret is stored.

    ``scope`` is ``commission`` (what its user sees) or ``public`` (small cells suppressed).
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=120)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    scope: str = Field(default="commission", max_length=20)
    created_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who exported or read raw answers, and when; never any answer content.

    ``actor`` keeps the e-mail address (or ``command line``) so the log outlives the account;
    ``campaign_slug`` likewise outlives the campaign.
    """

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    actor: str = Field(max_length=254)
    action: str = Field(max_length=40)
    campaign_id: int | None = Field(
        default=None, foreign_key="campaign.id", index=True, ondelete="SET NULL"
    )
    campaign_slug: str = Field(default="", max_length=80)
    detail: str = Field(default="", max_length=300)
