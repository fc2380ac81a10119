"""Who is answering what: the respondent's visit (campaign, questionnaire, draft, language,
kiosk or test link) read in one query, and the cookies that carry it from page to page."""

import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime

from litestar import Request
from litestar.datastructures import Cookie
from litestar.exceptions import NotFoundException
from litestar.response import Redirect
from sqlalchemy.engine import Connection
from sqlmodel import Session

from consult.i18n import LANGUAGES
from consult.network.models import Commission
from consult.web.plumbing import campaign_lookup
from consult.web.plumbing.group_commit import commit_durably
from consult.web.plumbing.templating import LANGUAGE_COOKIE, request_language
from surveys import campaigns, capture
from surveys.document import Document
from surveys.models import Campaign
from surveys.registers import register_for

DRAFT_COOKIE = "consult_draft"
KIOSK_COOKIE = "consult_kiosk"
TEST_COOKIE = "consult_test"
DRAFT_DAYS = 30
DONE_COOKIE = "consult_done"
EASY_COOKIE = "consult_easy"
DONE_DAYS = 400


@dataclass
class Visit:
    """Everything a respondent page needs, loaded in one place."""

    campaign: Campaign
    document: Document
    lang: str
    kiosk: bool
    draft: capture.Draft | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    commission_id: int | None = None
    campaign_row: tuple = ()
    test: bool = False  # a draft campaign answered through its test link (designer's hook)
    register: str = ""  # tu / vous, for built-in French messages
    easy: bool = False  # easy-read wordings (FALC) asked for

    @property
    def base(self) -> str:
        return f"/r/{self.campaign.slug}"


def is_kiosk(request: Request, slug: str) -> bool:
    """Kiosk mode only through the signed kiosk link: its cookie holds the link's key (a
    cookie set by hand, such as ``consult_kiosk=1``, changes nothing)."""
    held = request.cookies.get(KIOSK_COOKIE)
    if not held:  # every respondent but those of a tablet: no signature to compute
        return False
    expected = capture.kiosk_key(request.app.state.settings.secret_key, slug).encode()
    return hmac.compare_digest(held.encode(), expected)


def _visit(
    request: Request, db: Session | Connection, slug: str, token: str | None = None
) -> Visit:
    conn = db.connection() if isinstance(db, Session) else db
    found = campaign_lookup.find(conn, slug, token or request.cookies.get(DRAFT_COOKIE))
    if found is None:
        raise NotFoundException()
    campaign, test = found.campaign, is_test(request, found.campaign)
    if test:  # the test link answers a draft as if it were open (answers tagged "test")
        campaign = campaign.model_copy(update={"draft": False})
    return Visit(
        campaign=campaign,
        test=test,
        document=campaign_lookup.document(conn, found.campaign.version_id),
        lang=request_language(request),
        kiosk=is_kiosk(request, slug),
        draft=found.draft,
        commission_id=found.commission_id,
        campaign_row=found.row,
        register=register_for(found.register, found.campaign.audience),
        easy=request.cookies.get(EASY_COOKIE) == "1",
    )


def is_test(request: Request, campaign: Campaign) -> bool:
    if not campaign.draft:
        return False
    key = campaigns.test_key(request.app.state.settings.secret_key, campaign.slug)
    return key in (request.cookies.get(TEST_COOKIE), request.query_params.get("test"))


def visit_of(request: Request, slug: str, token: str | None = None) -> Visit:
    """The visit read on the event loop: the async handlers of the hot path (one short
    indexed query) skip the hop to the thread pool and the ORM session."""
    with request.app.state.reader.connect() as conn:
        return _visit(request, conn, slug, token)


async def save(request: Request, *writes: capture.Write) -> None:
    """Durable once it returns (shared commit with concurrent respondents)."""
    await commit_durably(request.app.state.engine, *writes)


async def form_lists(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {key: form.getall(key) for key in dict.fromkeys(form)}


def easy_cookie(on: bool) -> Cookie:
    return Cookie(
        key=EASY_COOKIE,
        value="1" if on else "0",
        max_age=365 * 86400,
        samesite="lax",
        httponly=True,
    )


def draft_cookie(visit: Visit, token: str) -> Cookie:
    return Cookie(
        key=DRAFT_COOKIE,
        value=token,
        path=visit.base,
        max_age=None if visit.kiosk else DRAFT_DAYS * 86400,
        httponly=True,
        samesite="lax",
    )


def done_cookie(visit: Visit) -> Cookie:
    """ "You already answered on this device": a cookie that says only that (no fingerprint,
    nothing that identifies the response)."""
    return Cookie(
        key=DONE_COOKIE,
        value="1",
        path=visit.base,
        max_age=DONE_DAYS * 86400,
        httponly=True,
        samesite="lax",
    )


def answered_here(request: Request, visit: Visit) -> bool:
    """This device already sent answers to the campaign (never said on a kiosk)."""
    return not visit.kiosk and request.cookies.get(DONE_COOKIE) == "1"


def to_thanks(visit: Visit) -> Redirect:
    """Off to the thanks page. The draft cookie stays until that page has shown the receipt
    code once; a kiosk draft has no code, so the next person must find nothing at all."""
    response = Redirect(f"{visit.base}/thanks", status_code=303)
    if visit.kiosk:
        response.delete_cookie(DRAFT_COOKIE, path=visit.base)
    return response


def gone(visit: Visit) -> Redirect | None:
    """Where to send a respondent who has no draft, a finished one, or one out of time."""
    if visit.draft is None:
        return Redirect(visit.base, status_code=303)
    if visit.draft.completed:
        return Redirect(f"{visit.base}/thanks", status_code=303)
    if not capture.may_continue(visit.campaign, visit.draft.started_at, visit.now):
        return Redirect(visit.base, status_code=303)
    return None


def switched_language(form: dict[str, list[str]]) -> str | None:
    """The language asked for by the switch of a section page (a button of its form)."""
    lang = (form.get("_lang") or [""])[0]
    return lang if lang in LANGUAGES else None


def language_cookie(lang: str) -> Cookie:
    return Cookie(
        key=LANGUAGE_COOKIE, value=lang, max_age=365 * 86400, samesite="lax", httponly=True
    )


def completes(db: Session, visit: Visit) -> int:
    """The campaign's complete responses: counted only when a quota needs the number."""
    return 0 if visit.campaign.quota is None else capture.completes_of(db, visit.campaign.id)


def commission_name(db: Session, visit: Visit) -> str:
    commission = db.get(Commission, visit.commission_id)
    return commission.name if commission else ""
