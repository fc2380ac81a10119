"""Who may use which route: every handler declares ``opt={"access": Access.X}``.

One global guard enforces it, so a route cannot forget its rule: ``create_app`` refuses to
start when a handler has none, and the authorisation-matrix test calls every route.
"""

import enum

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from consult.accounts.models import Membership, Role, User
from consult.accounts.services import CurrentUser

SESSION_USER_KEY = "uid"


class Access(enum.StrEnum):
    PUBLIC = "public"  # anyone, signed in or not (respondents, login page, health)
    USER = "user"  # any signed-in user
    RESULTS = "results"  # coordinator, commission member, facilitator
    DESIGN = "design"  # coordinator, commission member
    COORDINATOR = "coordinator"


ALLOWED_ROLES: dict[Access, frozenset[Role]] = {
    Access.USER: frozenset(Role),
    Access.RESULTS: frozenset({Role.COORDINATOR, Role.MEMBER, Role.FACILITATOR}),
    Access.DESIGN: frozenset({Role.COORDINATOR, Role.MEMBER}),
    Access.COORDINATOR: frozenset({Role.COORDINATOR}),
}


def current_user(connection: ASGIConnection) -> CurrentUser | None:
    """The signed-in user, loaded once per request (a deactivated account is signed out)."""
    state = connection.scope.setdefault("state", {})
    if "current_user" in state:
        return state["current_user"]
    user = None
    session_data = connection.scope.get("session")
    user_id = session_data.get(SESSION_USER_KEY) if isinstance(session_data, dict) else None
    if user_id:
        with connection.app.state.reader.connect() as conn:
            user = _load_user(conn, int(user_id))
    state["current_user"] = user
    return user


_user = User.__table__
_membership = Membership.__table__
# The account and its commissions in one indexed query: this runs on every staff request.
_USER_QUERY = (
    select(_user.c.email, _user.c.name, _user.c.role, _user.c.is_active)
    .add_columns(_membership.c.commission_id)
    .select_from(_user.outerjoin(_membership, _membership.c.user_id == _user.c.id))
    .where(_user.c.id == bindparam("user_id"))
)


def _load_user(conn: Connection, user_id: int) -> CurrentUser | None:
    rows = conn.execute(_USER_QUERY, {"user_id": user_id}).all()
    if not rows or not rows[0].is_active:
        return None
    email, name, role = rows[0].email, rows[0].name, rows[0].role
    commissions = frozenset(r.commission_id for r in rows if r.commission_id is not None)
    return CurrentUser(
        id=user_id, email=email, name=name, role=Role(role), commission_ids=commissions
    )


def access_of(handler: BaseRouteHandler) -> Access | None:
    value = handler.opt.get("access")
    return Access(value) if value is not None else None


async def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    access = access_of(handler)
    if access is None:
        raise PermissionDeniedException("route declares no access rule")
    if access is Access.PUBLIC:
        return
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException()
    if user.role not in ALLOWED_ROLES[access]:
        raise PermissionDeniedException()


def all_guards(*guards: Guard) -> Guard:
    """The app's guards as one: Litestar runs each guard on a fresh copy of the route handler,
    and three copies per request were a tenth of a respondent page's time."""

    async def guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        for each in guards:
            await each(connection, handler)

    return guard
