"""The submission rate limit on the respondents' and voters' POSTs (see throttle.SubmitThrottle).

A guard, so the handlers stay as they are: over the limit, nothing is saved and a 429 page
in the visitor's language says how long to wait and carries everything that was posted, to
send again with one button (htmx requests get a bare 429, which htmx leaves unswapped).
"""

import time

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.exceptions import TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Template

from consult.web.auth import client_key
from consult.web.throttle import LIMITED_HANDLERS, RESPONDENT_COOKIES

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


def respondent_of(form, cookies: dict[str, str]) -> str:
    token = form.get("token")
    if isinstance(token, str) and token:
        return token
    for name, value in sorted(cookies.items()):
        if name.startswith(RESPONDENT_COOKIES) and value:
            return f"{name}={value}"
    return ""


async def submit_rate_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if connection.scope.get("method") != "POST" or not is_limited(handler):
        return
    form = await connection.form()  # type: ignore[attr-defined]  # parsed once, kept in scope
    throttle = connection.app.state.submit_throttle
    wait = await throttle.wait_seconds(
        respondent_of(form, connection.cookies), client_key(connection), clock()
    )
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
