"""The respondent's flow, no account needed: intro -> one page per section -> review -> thanks.

Relevance and validation run on the server for every page (surveys.answers); htmx only
refreshes which questions of a page are shown. Every step works with plain POSTs and 303s.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import orjson
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from consult.network.models import Commission
from consult.plenary.public import public_results_url
from consult.web import campaign_lookup, page_cache
from consult.web.access import Access
from consult.web.auth import client_key
from consult.web.group_commit import commit_durably
from consult.web.templating import request_language
from surveys import capture
from surveys.answers import Checked, parse_section, relevance, to_form
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
    commission_id: int | None = None
    campaign_row: tuple = ()

    @property
    def base(self) -> str:
        return f"/r/{self.campaign.slug}"


def _visit(
    request: Request, db: Session | Connection, slug: str, token: str | None = None
) -> Visit:
    conn = db.connection() if isinstance(db, Session) else db
    found = campaign_lookup.find(conn, slug, token or request.cookies.get(DRAFT_COOKIE))
    if found is None:
        raise NotFoundException()
    return Visit(
        campaign=found.campaign,
        document=campaign_lookup.document(conn, found.campaign.version_id),
        lang=request_language(request),
        kiosk=request.cookies.get(KIOSK_COOKIE) == "1",
        draft=found.draft,
        commission_id=found.commission_id,
        campaign_row=found.row,
    )


def visit_of(request: Request, slug: str, token: str | None = None) -> Visit:
    """The visit read on the event loop: the async handlers of the hot path (one short
    indexed query) skip the hop to the thread pool and the ORM session."""
    with request.app.state.engine.connect() as conn:
        return _visit(request, conn, slug, token)


async def save(request: Request, *writes: capture.Write) -> None:
    """Durable once it returns (shared commit with concurrent respondents)."""
    await commit_durably(request.app.state.engine, *writes)


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
    number, total = capture.progress(document, answers, section, state)
    previous = capture.previous_section(document, answers, section, state)
    names = tuple(q.name for q in questions)
    blank = form is None and not problems and not any(answers.get(n) is not None for n in names)
    return {
        # Nothing answered, nothing to point out: the page is the same for every respondent.
        "blank_key": (visit.campaign.version_id, visit.base, section, names) if blank else None,
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


def section_page(request: Request, visit: Visit, context: dict) -> Template | Response:
    """A section page; a blank one is filled into the copy shared by every respondent of the
    version (consult.web.page_cache) rather than rendered again."""
    if context["blank_key"] is not None:
        draft = visit.draft
        key = (
            *context["blank_key"],
            visit.campaign_row,  # whatever of the campaign a template shows
            visit.lang,
            visit.kiosk,
            bool(draft.resume_code),
            context["number"],
            context["total"],
            context["previous"],
            request.scope["path"],
            request.scope["query_string"],
        )

        def marked(markers: dict[str, str]) -> dict:
            code = markers["code"] if draft.resume_code else None
            shown = replace(visit, draft=replace(draft, token=markers["token"], resume_code=code))
            return {"v": shown, "lang": visit.lang, **context}

        values = {"token": draft.token, "code": draft.resume_code or ""}
        filled = page_cache.filled_response(
            request, "respond/section.html", key, marked, values, NO_STORE
        )
        if filled is not None:
            return filled
    return page("section", visit, **context)


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
        state = capture.campaign_state(visit.campaign, visit.now, completes(db, visit))
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
            commission_name=commission_name(db, visit),
        )

    @post("/start")
    async def start(
        self, request: Request, db: NamedDependency[Session], slug: str
    ) -> Template | Redirect:
        form = await request.form()
        visit = visit_of(request, slug)
        if capture.campaign_state(visit.campaign, visit.now, completes(db, visit)) != "open":
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
        draft = await _start_draft(request, visit, token, channel)
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

    @get("/s/{section:str}")
    async def show_section(
        self,
        request: Request,
        slug: FromPath[str],
        section: FromPath[str],
        check: FromQuery[bool] = False,
    ) -> Template | Response | Redirect:
        visit = visit_of(request, slug)
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        if visit.draft.page != section:  # where a resume code brings the respondent back
            await save(request, capture.page_change(visit.draft, section))
        problems = ()
        if check:  # sent back from the review: say what is missing on this page
            form = to_form(visit.document, visit.draft.answers)
            problems = parse_section(visit.document, section, form, visit.draft.answers).problems
        return section_page(request, visit, section_context(visit, section, problems=problems))

    @post("/s/{section:str}")
    async def save_section(
        self, request: Request, slug: FromPath[str], section: str
    ) -> Template | Redirect:
        form = await form_lists(request)
        visit = visit_of(request, slug, (form.get("token") or [None])[0])
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        checked = _merge_page(visit, section, form)
        shown = set(form.get("_shown", []))
        state = relevance(visit.document, visit.draft.answers)
        appeared = [
            q.name
            for q in visit.document.section(section).questions
            if state.questions[q.name] and q.name not in shown
        ]
        problems = tuple(p for p in checked.problems if p.where in shown)
        # New questions to answer, or something to fix: the page again.
        again = bool(appeared or problems) and "back" not in form
        target = None if again else _after(visit, section, form, state)
        draft = visit.draft
        await save(
            request,
            capture.page_update(draft, draft.answers, _page_at(visit, target, section), visit.now),
        )
        if target is None:
            return page(
                "section",
                visit,
                status_code=400 if problems else 200,
                **section_context(visit, section, form, problems, notice=bool(appeared)),
            )
        return Redirect(target, status_code=303)

    @post("/s/{section:str}/refresh")
    async def refresh_section(
        self, request: Request, slug: FromPath[str], section: str
    ) -> Template | Redirect:
        form = await form_lists(request)
        visit = visit_of(request, slug, (form.get("token") or [None])[0])
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        _merge_page(visit, section, form)
        await save(
            request, capture.page_update(visit.draft, visit.draft.answers, section, visit.now)
        )
        return page("_questions", visit, **section_context(visit, section, form))

    @get("/review", sync_to_thread=True)
    def review(
        self, request: Request, db: NamedDependency[Session], slug: str
    ) -> Template | Redirect:
        visit = _visit(request, db, slug)
        if redirect := gone(visit):
            return redirect
        if visit.draft.page != "review":
            capture.set_page(db, visit.draft, "review")
        state = relevance(visit.document, visit.draft.answers)
        sections = capture.visible_sections(visit.document, visit.draft.answers, state)
        return page("review", visit, sections=sections, state=state, answers=state.answers)

    @post("/submit")
    async def submit(self, request: Request, slug: FromPath[str]) -> Redirect:
        form = await request.form()
        visit = visit_of(request, slug, form.get("token"))
        if visit.draft is not None and visit.draft.completed:
            return to_thanks(visit)
        if redirect := gone(visit):
            return redirect
        result, answers = capture.check_submission(visit.document, visit.draft)
        if answers is None:
            return Redirect(f"{visit.base}/s/{result.section}?check=1", status_code=303)
        await save(request, capture.completion_update(visit.draft, answers, visit.now))
        return to_thanks(visit)

    @get("/thanks", sync_to_thread=True)
    def thanks(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        visit = _visit(request, db, slug)
        sent = visit.draft if visit.draft is not None and visit.draft.completed else None
        response = page(
            "thanks",
            visit,
            results_url=public_results_url(db, visit.campaign.id),
            receipt_code=sent.resume_code if sent else None,
        )
        # Shown once: on a shared phone the next person must not find the code.
        response.delete_cookie(DRAFT_COOKIE, path=visit.base)
        return response

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
        throttle, client = request.app.state.code_throttle, client_key(request)
        if await throttle.is_blocked(client):
            return page("resume", visit, status_code=429, code=code, error="throttled")
        draft = capture.find_by_code(db, visit.campaign.id, code)
        if draft is None:
            await throttle.record_failure(client)
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


def completes(db: Session, visit: Visit) -> int:
    """The campaign's complete responses: counted only when a quota needs the number."""
    return 0 if visit.campaign.quota is None else capture.completes_of(db, visit.campaign.id)


async def _start_draft(request: Request, visit: Visit, token: str, channel: str) -> capture.Draft:
    """capture.start_response, its insert committed with the concurrent ones: the draft of
    ``token``, made now or by a double tap on "start" that got there first."""
    for _attempt in range(5):
        existing = visit_of(request, visit.campaign.slug, token).draft
        if existing is not None:
            return existing
        code = None if visit.kiosk else capture.new_code()
        try:
            await save(
                request, capture.draft_insert(visit.campaign, token, channel, visit.now, code)
            )
        except IntegrityError:  # the other tap won the race, or the code is taken: try again
            continue
    draft = visit_of(request, visit.campaign.slug, token).draft
    if draft is None:
        raise RuntimeError("could not create a draft")
    return draft


def commission_name(db: Session, visit: Visit) -> str:
    commission = db.get(Commission, visit.commission_id)
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


def _merge_page(visit: Visit, section: str, form: dict[str, list[str]]) -> Checked:
    """Read a posted page into the visit's draft (saved by the caller)."""
    checked, answers = capture.merge_page(visit.document, visit.draft, section, form)
    # Through JSON, as the database gives them back on the next request.
    visit.draft = replace(visit.draft, answers=orjson.loads(orjson.dumps(answers)))
    return checked


def _page_at(visit: Visit, target: str | None, section: str) -> str:
    """Where a resume code brings the respondent back: the page they are sent to, saved with
    the answers so that its GET writes nothing."""
    if target is None:
        return section
    if target == f"{visit.base}/review":
        return "review"
    prefix = f"{visit.base}/s/"
    return target.removeprefix(prefix) if target.startswith(prefix) else section


def _known_section(visit: Visit, section: FromPath[str]) -> None:
    if not any(s.name == section for s in visit.document.sections):
        raise NotFoundException()


def _after(visit: Visit, section: FromPath[str], form: dict[str, list[str]], state=None) -> str:
    if "back" in form:
        previous = capture.previous_section(visit.document, visit.draft.answers, section, state)
        return f"{visit.base}/s/{previous}" if previous else visit.base
    following = capture.next_section(visit.document, visit.draft.answers, section, state)
    return f"{visit.base}/s/{following}" if following else f"{visit.base}/review"
