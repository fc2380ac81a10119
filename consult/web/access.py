"""Who may use which route: every handler declares ``opt={"access": Access.X}``.

One global guard enforces it, so a route cannot forget its rule: ``create_app`` refuses to
start when a handler has none, and the authorisation-matrix test calls every route.
"""

import enum

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlmodel import Session

from consult.accounts.models import Role
from consult.accounts.services import CurrentUser, load_current_user

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
        with Session(connection.app.state.engine) as session:
            user = load_current_user(session, int(user_id))
    state["current_user"] = user
    return user


def access_of(handler: BaseRouteHandler) -> Access | None:
    value = handler.opt.get("access")
    return Access(value) if value is not None else None


def access_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
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
