"""Users, passwords and who may see which commission. No web framework here."""

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from consult.accounts.models import Membership, Role, User
from consult.network.models import Commission

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a wrong address costs the same time
    as a wrong password and timing does not reveal which accounts exist. Made on first use
    rather than at import: hashing costs ~0.1 s, which every `consult` command paid."""
    return _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    name: str
    role: Role
    commission_ids: frozenset[int]

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    def sees_commission(self, commission_id: int) -> bool:
        return self.is_coordinator or commission_id in self.commission_ids


class UnknownCommission(LookupError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no commission has the slug {slug!r}")
        self.slug = slug


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session,
    email: str,
    name: str,
    password: str,
    role: Role = Role.MEMBER,
    commission_slugs: tuple[str, ...] = (),
) -> User:
    user = User(
        email=normalise_email(email), name=name, password_hash=hash_password(password), role=role
    )
    session.add(user)
    session.flush()
    for slug in commission_slugs:
        commission = session.exec(select(Commission).where(Commission.slug == slug)).first()
        if commission is None:
            raise UnknownCommission(slug)
        session.add(Membership(user_id=user.id, commission_id=commission.id))
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    dummy = _dummy_hash()  # made before the lookup: the first sign-in of either kind pays it
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    try:
        _hasher.verify(user.password_hash if user else dummy, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
        session.commit()
    return user


def load_current_user(session: Session, user_id: int) -> CurrentUser | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    ids = session.exec(select(Membership.commission_id).where(Membership.user_id == user_id)).all()
    return CurrentUser(
        id=user.id,
        email=user.email,
        name=user.name,
        role=Role(user.role),
        commission_ids=frozenset(ids),
    )


def visible_commissions(session: Session, user: CurrentUser) -> list[Commission]:
    query = select(Commission).order_by(Commission.name)
    if not user.is_coordinator:
        query = query.where(Commission.id.in_(user.commission_ids))
    return list(session.exec(query).all())


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.name)).all())
