"""Error pages in the visitor's language; never a stack trace."""

import logging
from http import HTTPStatus
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_401_UNAUTHORIZED, HTTP_500_INTERNAL_SERVER_ERROR

from consult.web.plumbing.paths import is_safe_next

log = logging.getLogger("consult")


def _wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):  # even a URL that matches no API route
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, status_code: int) -> Response:
    if _wants_json(request):
        body = {"status": status_code, "detail": HTTPStatus(status_code).phrase}
        return Response(body, status_code=status_code, media_type=MediaType.JSON)
    return Template("errors/error.html", context={"status": status_code}, status_code=status_code)


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == HTTP_401_UNAUTHORIZED and not _wants_json(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if not is_safe_next(target):  # too long to carry along: back to the dashboard
            return Redirect("/login", status_code=303)
        return Redirect(f"/login?next={quote(target)}", status_code=303)
    response = error_response(request, exc.status_code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, HTTP_500_INTERNAL_SERVER_ERROR)
