"""Read-only API tokens: a random secret shown once, only its SHA-256 stored."""

import hashlib
import secrets

from sqlmodel import Session, select

from consult.accounts.models import ApiToken, User
from consult.accounts.services import CurrentUser, load_current_user, normalise_email

SCOPES = ("commission", "public")
PREFIX = "cst_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user_id: int, name: str = "", scope: str = "commission") -> str:
    """A new token for the user; the returned secret is not stored and cannot be shown again."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user_id, name=name, token_hash=hash_token(token), scope=scope))
    session.flush()
    return token


def create_token_for_email(session: Session, email: str, name: str, scope: str) -> str | None:
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        return None
    return create_token(session, user.id, name, scope)


def user_for_token(session: Session, token: str) -> tuple[CurrentUser, str] | None:
    """The active user holding this token and the token's scope, or None."""
    if not token:
        return None
    row = session.exec(
        select(ApiToken.user_id, ApiToken.scope).where(ApiToken.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    user = load_current_user(session, row[0])
    return (user, row[1]) if user is not None else None
