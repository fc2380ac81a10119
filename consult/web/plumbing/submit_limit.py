"""The submission rate limit on the respondents' and voters' POSTs (see throttle.SubmitThrottle).

A guard, so the handlers stay as they are: over the limit, nothing is saved and a 429 page
in the visitor's language says how long to wait and carries everything that was posted, to
send again with one button (htmx requests get a bare 429, which htmx leaves unswapped).
"""

import time
from collections import OrderedDict
from collections.abc import Callable

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Template
from sqlalchemy import Engine, select

from consult.web.plumbing.throttle import LIMITED_HANDLERS, RESPONDENT_COOKIES, client_key
from surveys import capture
from surveys.models import Response as Answers

DRAFT_COOKIE, VOTER_COOKIE = RESPONDENT_COOKIES

NO_STORE = {"Cache-Control": "no-store"}
clock = time.time  # the tests hold it still, so that no minute ends in the middle of one


class TooFast(TooManyRequestsException):
    def __init__(self, wait: int, fields: list[tuple[str, str]]) -> None:
        super().__init__(headers={"Retry-After": str(wait)})
        self.wait = wait
        self.fields = fields


def handler_name(handler: BaseRouteHandler) -> str:
    fn = getattr(handler.fn, "func", handler.fn)  # a sync handler is wrapped for the thread pool
    return getattr(fn, "__qualname__", "")


def is_limited(handler: BaseRouteHandler) -> bool:
    return handler_name(handler) in LIMITED_HANDLERS


STARTING = "RespondController.start"


def respondent_of(
    form, cookies: dict[str, str], is_draft: Callable[[str], bool], starting: bool = False
) -> str:
    """Whom the per-respondent limit counts: a draft the server holds, never a token the
    client made up. A form token or draft cookie counts only when it names an existing draft
    (rotating made-up tokens once gave a fresh allowance each time; now such requests
    count on the client address alone); on "start", the token names the draft about to be
    made. Voters are counted by their voter cookie."""
    token = form.get("token")
    token = token if isinstance(token, str) and capture.is_token(token) else ""
    if token and starting:
        remember_draft(token)  # the draft about to be made from it
        return token
    if token and is_draft(token):
        return token
    draft = cookies.get(DRAFT_COOKIE, "")
    if draft and draft != token and capture.is_token(draft) and is_draft(draft):
        return draft
    for name, value in sorted(cookies.items()):
        if name.startswith(VOTER_COOKIE) and value:
            return f"{name}={value}"
    return ""


# Drafts this worker started or already found: a respondent's page saves then cost no extra
# query (the hot path is one read and one write). Bounded; other workers look up once.
KNOWN_DRAFTS: "OrderedDict[str, None]" = OrderedDict()
KNOWN_DRAFTS_SIZE = 20_000


def remember_draft(token: str) -> None:
    KNOWN_DRAFTS[token] = None
    KNOWN_DRAFTS.move_to_end(token)
    while len(KNOWN_DRAFTS) > KNOWN_DRAFTS_SIZE:
        KNOWN_DRAFTS.popitem(last=False)


def draft_exists(engine: Engine, token: str) -> bool:
    """A draft this worker knows, else one lookup on the unique index of the tokens."""
    if token in KNOWN_DRAFTS:
        return True
    with engine.connect() as conn:
        found = conn.execute(select(Answers.id).where(Answers.token == token)).first()
    if found is not None:
        remember_draft(token)
    return found is not None


async def submit_rate_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if connection.scope.get("method") != "POST" or not is_limited(handler):
        return
    form = await connection.form()  # type: ignore[attr-defined]  # parsed once, kept in scope
    throttle = connection.app.state.submit_throttle
    engine = connection.app.state.engine
    respondent = respondent_of(
        form,
        connection.cookies,
        lambda token: draft_exists(engine, token),
        starting=handler_name(handler) == STARTING,
    )
    wait = await throttle.wait_seconds(respondent, client_key(connection), clock())
    if wait:
        raise TooFast(wait, [(k, v) for k, v in form.multi_items() if isinstance(v, str)])


def too_fast_handler(request: Request, exc: TooFast) -> Response:
    if request.headers.get("hx-request"):
        return Response("", status_code=429, headers={**NO_STORE, **(exc.headers or {})})
    return Template(
        "errors/too_fast.html",
        context={"wait": exc.wait, "fields": exc.fields, "action": request.url.path},
        status_code=429,
        headers={**NO_STORE, **(exc.headers or {})},
    )
