"""A respondent's own answers, found with their code: see them, then erase them.

No account: the code (the resume code, kept as a receipt once the answers are sent) is
exchanged for a short-lived cookie holding the response's token, so the code never appears
in a URL. Wrong codes are throttled per client (consult.web.plumbing.throttle.CodeThrottle).
"""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.web.areas.respond import DRAFT_COOKIE, NO_STORE, Visit, _visit, texts_of
from consult.web.plumbing.access import Access
from consult.web.plumbing.throttle import client_key
from surveys import capture, privacy
from surveys.answers import relevance
from surveys.capture import visible_sections

MINE_COOKIE = "consult_mine"
# Long enough to read one's answers and decide, short enough for a shared phone.
MINE_SECONDS = 15 * 60


def mine_page(
    request: Request, name: str, visit: Visit, status_code: int = 200, **context: Any
) -> Template:
    """The page, or only its ``#mine`` block for htmx (boosted requests get the page)."""
    fragment = bool(request.htmx) and not request.htmx.boosted
    return Template(
        f"privacy/{'_' if fragment else ''}{name}.html",
        context={"v": visit, "lang": visit.lang, **texts_of(visit), **context},
        status_code=status_code,
        headers=NO_STORE,
    )


def mine_base(visit: Visit) -> str:
    return f"{visit.base}/mine"


def receipt_of(request: Request, db: Session, visit: Visit) -> privacy.Receipt | None:
    return privacy.find_by_token(db, visit.campaign.id, request.cookies.get(MINE_COOKIE))


def answers_context(db: Session, visit: Visit, receipt: privacy.Receipt) -> dict[str, Any]:
    state = relevance(visit.document, receipt.answers)
    return {
        "receipt": receipt,
        "sections": visible_sections(visit.document, receipt.answers),
        "state": state,
        "answers": state.answers,
        "consent": privacy.consent_text(db, visit.campaign.id, receipt.consent_version),
    }


class MineController(Controller):
    path = "/r/{slug:str}/mine"
    opt = {"access": Access.PUBLIC}

    @get("", sync_to_thread=True)
    def show_code_form(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        expired = request.query_params.get("expired") == "1"
        return mine_page(
            request, "code", _visit(request, db, slug), code="", error=None, expired=expired
        )

    @post("")
    async def check_code(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template | Redirect:
        code = (await request.form()).get("code", "")
        visit = _visit(request, db, slug)
        throttle = request.app.state.code_throttle
        client = client_key(request)
        if await throttle.is_blocked(client):
            return mine_page(request, "code", visit, 429, code=code, error="throttled")
        receipt = privacy.find_by_code(db, visit.campaign.id, code)
        if receipt is None:
            await throttle.record_failure(client)
            # a resume code typed here by mistake: say where it works (still a failure)
            unsent = capture.find_by_code(db, visit.campaign.id, code) is not None
            return mine_page(
                request, "code", visit, 400, code=code, error="unsent" if unsent else "unknown"
            )
        if not receipt.completed:
            return mine_page(request, "code", visit, 400, code=code, error="unsent")
        response = Redirect(f"{mine_base(visit)}/answers", status_code=303)
        response.set_cookie(
            Cookie(
                key=MINE_COOKIE,
                value=receipt.token,
                path=mine_base(visit),
                max_age=MINE_SECONDS,
                httponly=True,
                secure=request.app.state.settings.secure_cookies,
                samesite="strict",
            )
        )
        return response

    @get("/answers", sync_to_thread=True)
    def show_answers(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template | Redirect:
        visit = _visit(request, db, slug)
        receipt = receipt_of(request, db, visit)
        if receipt is None:
            return Redirect(f"{mine_base(visit)}?expired=1", status_code=303)
        return mine_page(request, "answers", visit, **answers_context(db, visit, receipt))

    @get("/erase", sync_to_thread=True)
    def confirm_erase(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template | Redirect:
        visit = _visit(request, db, slug)
        if receipt_of(request, db, visit) is None:
            return Redirect(f"{mine_base(visit)}?expired=1", status_code=303)
        return mine_page(request, "erase", visit)

    @post("/erase", sync_to_thread=True)
    def erase(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Redirect:
        visit = _visit(request, db, slug)
        token = request.cookies.get(MINE_COOKIE)
        if not token:
            return Redirect(f"{mine_base(visit)}?expired=1", status_code=303)
        # A second press (or a retry after a lost connection) finds nothing and says the same.
        privacy.erase(db, visit.campaign.id, token)
        response = Redirect(f"{mine_base(visit)}/erased", status_code=303)
        response.delete_cookie(MINE_COOKIE, path=mine_base(visit))
        if request.cookies.get(DRAFT_COOKIE) == token:
            response.delete_cookie(DRAFT_COOKIE, path=visit.base)
        return response

    @get("/erased", sync_to_thread=True)
    def erased(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        return mine_page(request, "erased", _visit(request, db, slug))
