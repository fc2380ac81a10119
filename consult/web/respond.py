"""The respondent's flow, no account needed: intro -> one page per section -> review -> thanks.

Relevance and validation run on the server for every page (surveys.answers); htmx only
refreshes which questions of a page are shown. Every step works with plain POSTs and 303s.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.network.models import Commission
from consult.plenary.public import public_results_url
from consult.web.access import Access
from consult.web.templating import request_language
from surveys import capture
from surveys.answers import parse_section, relevance, to_form
from surveys.document import Document
from surveys.messages import render
from surveys.models import Campaign
from surveys.problems import Problem

DRAFT_COOKIE = "consult_draft"
KIOSK_COOKIE = "consult_kiosk"
DRAFT_DAYS = 30
NO_STORE = {"Cache-Control": "no-store", "Vary": "HX-Request"}


@dataclass
class Visit:
    """Everything a respondent page needs, loaded in one place."""

    campaign: Campaign
    document: Document
    lang: str
    kiosk: bool
    draft: capture.Draft | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def base(self) -> str:
        return f"/r/{self.campaign.slug}"


def _visit(request: Request, db: Session, slug: str, token: str | None = None) -> Visit:
    campaign = capture.find_campaign(db, slug)
    if campaign is None:
        raise NotFoundException()
    visit = Visit(
        campaign=campaign,
        document=capture.document_of(db, campaign.version_id),
        lang=request_language(request),
        kiosk=request.cookies.get(KIOSK_COOKIE) == "1",
    )
    visit.draft = capture.load_draft(db, campaign.id, token or request.cookies.get(DRAFT_COOKIE))
    return visit


async def form_lists(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {key: form.getall(key) for key in dict.fromkeys(form)}


def page(name: str, visit: Visit, status_code: int = 200, **context: Any) -> Template:
    return Template(
        f"respond/{name}.html",
        context={"v": visit, "lang": visit.lang, **context},
        status_code=status_code,
        headers=NO_STORE,
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


def forget_draft(visit: Visit, response: Redirect) -> Redirect:
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


def errors_by_question(problems: tuple[Problem, ...], lang: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.where, []).append(render(problem, lang, with_location=False))
    return errors


def section_context(
    visit: Visit, section: FromPath[str], form=None, problems=(), notice=False
) -> dict:
    document, draft = visit.document, visit.draft
    answers = draft.answers  # the page just posted is already saved into it
    state = relevance(document, answers)
    questions = [q for q in document.section(section).questions if state.questions[q.name]]
    number, total = capture.progress(document, answers, section)
    previous = capture.previous_section(document, answers, section)
    return {
        "section": document.section(section),
        "questions": questions,
        "answers": draft.answers,
        "form": form,
        "errors": errors_by_question(tuple(problems), visit.lang),
        "notice": notice,
        "drivers": capture.drivers(document, section),
        "number": number,
        "total": total,
        "previous": f"{visit.base}/s/{previous}" if previous else visit.base,
    }


class RespondController(Controller):
    path = "/r/{slug:str}"
    opt = {"access": Access.PUBLIC}

    @get("", sync_to_thread=True)
    def intro(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        via: FromQuery[str] = "",
    ) -> Template:
        visit = _visit(request, db, slug)
        state = capture.campaign_state(
            visit.campaign, visit.now, capture.completes_of(db, visit.campaign.id)
        )
        in_progress = visit.draft is not None and not visit.draft.completed
        if state != "open" and not (
            in_progress and capture.may_continue(visit.campaign, visit.draft.started_at, visit.now)
        ):
            return page("unavailable", visit, state=state)
        return page(
            "intro",
            visit,
            token=capture.new_token(),
            via=via,
            in_progress=in_progress,
            minutes=capture.minutes_needed(visit.document),
            problems={},
            commission_name=commission_name(db, visit.campaign),
        )

    @post("/start")
    async def start(
        self, request: Request, db: NamedDependency[Session], slug: str
    ) -> Template | Redirect:
        form = await request.form()
        visit = _visit(request, db, slug)
        if (
            capture.campaign_state(
                visit.campaign, visit.now, capture.completes_of(db, visit.campaign.id)
            )
            != "open"
        ):
            return Redirect(visit.base, status_code=303)
        problems = intro_problems(visit, form)
        token = form.get("token", "")
        if problems or not capture.is_token(token):
            return page(
                "intro",
                visit,
                status_code=400,
                token=capture.new_token(),
                via=form.get("via", ""),
                in_progress=False,
                minutes=capture.minutes_needed(visit.document),
                problems=problems,
                form=form,
            )
        channel = (
            capture.KIOSK
            if visit.kiosk
            else capture.channel_tag(db, visit.campaign.id, form.get("via"))
        )
        draft = capture.start_response(
            db, visit.campaign, token, channel, visit.now, with_code=not visit.kiosk
        )
        first = capture.resume_page(visit.document, draft)
        target = (
            f"{visit.base}/young"
            if form.get("age_group") == "under15"
            else f"{visit.base}/s/{first}"
        )
        response = Redirect(target, status_code=303)
        response.set_cookie(draft_cookie(visit, draft.token))
        return response

    @get("/young", sync_to_thread=True)
    def young(
        self, request: Request, db: NamedDependency[Session], slug: str
    ) -> Template | Redirect:
        visit = _visit(request, db, slug)
        if redirect := gone(visit):
            return redirect
        return page("young", visit, first=capture.resume_page(visit.document, visit.draft))

    @get("/s/{section:str}", sync_to_thread=True)
    def show_section(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        section: FromPath[str],
        check: FromQuery[bool] = False,
    ) -> Template | Redirect:
        visit = _visit(request, db, slug)
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        if visit.draft.page != section:  # where a resume code brings the respondent back
            capture.set_page(db, visit.draft, section)
        problems = ()
        if check:  # sent back from the review: say what is missing on this page
            form = to_form(visit.document, visit.draft.answers)
            problems = parse_section(visit.document, section, form, visit.draft.answers).problems
        return page("section", visit, **section_context(visit, section, problems=problems))

    @post("/s/{section:str}")
    async def save_section(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str], section: str
    ) -> Template | Redirect:
        form = await form_lists(request)
        visit = _visit(request, db, slug, (form.get("token") or [None])[0])
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        checked = capture.save_page(db, visit.document, visit.draft, section, form, visit.now)
        shown = set(form.get("_shown", []))
        visit.draft = capture.load_draft(db, visit.campaign.id, visit.draft.token)
        state = relevance(visit.document, visit.draft.answers)
        appeared = [
            q.name
            for q in visit.document.section(section).questions
            if state.questions[q.name] and q.name not in shown
        ]
        problems = tuple(p for p in checked.problems if p.where in shown)
        if (
            appeared or problems
        ) and "back" not in form:  # new questions to answer, or something to fix
            status = 400 if problems else 200
            return page(
                "section",
                visit,
                status_code=status,
                **section_context(visit, section, form, problems, notice=bool(appeared)),
            )
        return Redirect(_after(visit, section, form), status_code=303)

    @post("/s/{section:str}/refresh")
    async def refresh_section(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str], section: str
    ) -> Template | Redirect:
        form = await form_lists(request)
        visit = _visit(request, db, slug, (form.get("token") or [None])[0])
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        capture.save_page(db, visit.document, visit.draft, section, form, visit.now)
        visit.draft = capture.load_draft(db, visit.campaign.id, visit.draft.token)
        return page("_questions", visit, **section_context(visit, section, form))

    @get("/review", sync_to_thread=True)
    def review(
        self, request: Request, db: NamedDependency[Session], slug: str
    ) -> Template | Redirect:
        visit = _visit(request, db, slug)
        if redirect := gone(visit):
            return redirect
        capture.set_page(db, visit.draft, "review")
        sections = capture.visible_sections(visit.document, visit.draft.answers)
        state = relevance(visit.document, visit.draft.answers)
        return page("review", visit, sections=sections, state=state, answers=state.answers)

    @post("/submit")
    async def submit(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Redirect:
        form = await request.form()
        visit = _visit(request, db, slug, form.get("token"))
        if visit.draft is not None and visit.draft.completed:
            return forget_draft(visit, Redirect(f"{visit.base}/thanks", status_code=303))
        if redirect := gone(visit):
            return redirect
        result = capture.submit(db, visit.document, visit.draft, visit.now)
        if not result.done:
            return Redirect(f"{visit.base}/s/{result.section}?check=1", status_code=303)
        return forget_draft(visit, Redirect(f"{visit.base}/thanks", status_code=303))

    @get("/thanks", sync_to_thread=True)
    def thanks(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        visit = _visit(request, db, slug)
        return page("thanks", visit, results_url=public_results_url(db, visit.campaign.id))

    @get("/resume", sync_to_thread=True)
    def show_resume(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        return page("resume", _visit(request, db, slug), code="", error=False)

    @post("/resume")
    async def resume(
        self, request: Request, db: NamedDependency[Session], slug: str
    ) -> Template | Redirect:
        code = (await request.form()).get("code", "")
        visit = _visit(request, db, slug)
        draft = capture.find_by_code(db, visit.campaign.id, code)
        if (
            draft is None
            or draft.completed
            or not capture.may_continue(visit.campaign, draft.started_at, visit.now)
        ):
            return page("resume", visit, status_code=400, code=code, error=True)
        response = Redirect(
            f"{visit.base}/s/{capture.resume_page(visit.document, draft)}"
            if draft.page != "review"
            else f"{visit.base}/review",
            status_code=303,
        )
        response.set_cookie(draft_cookie(visit, draft.token))
        return response


class KioskController(Controller):
    """A shared tablet: staff open the kiosk link once; respondents then follow one another."""

    @get("/k/{slug:str}/{key:str}", opt={"access": Access.PUBLIC}, sync_to_thread=True)
    def kiosk(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str], key: str
    ) -> Redirect:
        campaign = capture.find_campaign(db, slug)
        secret = request.app.state.settings.secret_key
        if campaign is None or key != capture.kiosk_key(secret, slug):
            raise NotFoundException()
        response = Redirect(f"/r/{slug}", status_code=303)
        response.set_cookie(KIOSK_COOKIE, "1", path=f"/r/{slug}", httponly=True, samesite="lax")
        response.delete_cookie(DRAFT_COOKIE, path=f"/r/{slug}")
        return response


def commission_name(db: Session, campaign: Campaign) -> str:
    commission = db.get(Commission, capture.commission_id_of(db, campaign.version_id))
    return commission.name if commission else ""


INTRO_CONSENT = "R_CONSENT"
INTRO_AGE = "R_AGE"


def intro_problems(visit: Visit, form) -> dict[str, str]:
    problems = {}
    if form.get("age_group") not in {"15plus", "under15"}:
        problems["age_group"] = INTRO_AGE
    if visit.campaign.consent_text and form.get("consent") != "yes":
        problems["consent"] = INTRO_CONSENT
    return problems


def _known_section(visit: Visit, section: FromPath[str]) -> None:
    if not any(s.name == section for s in visit.document.sections):
        raise NotFoundException()


def _after(visit: Visit, section: FromPath[str], form: dict[str, list[str]]) -> str:
    if "back" in form:
        previous = capture.previous_section(visit.document, visit.draft.answers, section)
        return f"{visit.base}/s/{previous}" if previous else visit.base
    following = capture.next_section(visit.document, visit.draft.answers, section)
    return f"{visit.base}/s/{following}" if following else f"{visit.base}/review"
