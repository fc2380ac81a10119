"""Language switch and health probe."""

from dataclasses import dataclass

from litestar import Controller, Request, Response, get, post
from litestar.params import URLEncodedBody
from litestar.response import Redirect

from consult.db import check_database
from consult.i18n import LANGUAGES
from consult.web.plumbing.access import Access
from consult.web.plumbing.paths import safe_next
from consult.web.plumbing.templating import LANGUAGE_COOKIE

ONE_YEAR = 365 * 24 * 3600


@dataclass
class LanguageForm:
    lang: str = ""
    next: str = "/"


class SystemController(Controller):
    @post("/language", opt={"access": Access.PUBLIC}, sync_to_thread=False)
    def switch_language(self, request: Request, data: URLEncodedBody[LanguageForm]) -> Redirect:
        target = safe_next(data.next) if data.next else "/"
        response = Redirect(target, status_code=303)
        if data.lang in LANGUAGES:
            response.set_cookie(
                LANGUAGE_COOKIE, data.lang, max_age=ONE_YEAR, samesite="lax", httponly=True
            )
        return response

    @get("/healthz", opt={"access": Access.PUBLIC}, sync_to_thread=True, cache=False)
    def health(self, request: Request) -> Response:
        problem = check_database(request.app.state.engine)
        if problem:
            return Response({"status": "error", "database": problem}, status_code=503)
        return Response({"status": "ok", "database": "ok"})
