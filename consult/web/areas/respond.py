"""The respondent's flow, no account needed: intro -> one page per section -> review -> thanks.

Relevance and validation run on the server for every page (surveys.answers); htmx only
refreshes which questions of a page are shown. Every step works with plain POSTs and 303s.
The visit and its cookies are in respond_visit, the rendering in respond_pages, the kiosk
link in kiosk.
"""

from dataclasses import replace

import orjson
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from consult.plenary.public import public_results_url
from consult.web.areas.kiosk import KioskController
from consult.web.areas.respond_pages import (
    NO_STORE,
    errors_by_question,
    page,
    section_context,
    section_page,
    texts_of,
    to_show_again,
)
from consult.web.areas.respond_visit import (
    DONE_COOKIE,
    DRAFT_COOKIE,
    KIOSK_COOKIE,
    TEST_COOKIE,
    Visit,
    _visit,
    answered_here,
    commission_name,
    completes,
    done_cookie,
    draft_cookie,
    easy_cookie,
    form_lists,
    gone,
    language_cookie,
    save,
    switched_language,
    to_thanks,
    visit_of,
)
from consult.web.plumbing.access import Access
from consult.web.plumbing.throttle import client_key
from surveys import campaigns, capture
from surveys.answers import Checked, parse_section, relevance, to_form

# Imported from here by other areas, the app and the tests (this module was the whole flow).
__all__ = [
    "DONE_COOKIE",
    "DRAFT_COOKIE",
    "KIOSK_COOKIE",
    "NO_STORE",
    "KioskController",
    "RespondController",
    "Visit",
    "_visit",
    "errors_by_question",
    "form_lists",
    "section_context",
    "texts_of",
    "to_show_again",
]


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
        response = page(
            "intro",
            visit,
            token=capture.new_token(),
            via=via,
            in_progress=in_progress,
            minutes=capture.minutes_needed(visit.document),
            problems={},
            commission_name=commission_name(db, visit),
            answered=answered_here(request, visit) and not in_progress,
        )
        if visit.test:  # the test link is remembered for the pages that follow
            key = request.query_params.get("test") or request.cookies.get(TEST_COOKIE)
            response.set_cookie(TEST_COOKIE, key, path=visit.base, httponly=True, samesite="lax")
        return response

    @post("/start")
    async def start(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template | Redirect:
        form = await request.form()
        visit = visit_of(request, slug)
        if capture.campaign_state(visit.campaign, visit.now, completes(db, visit)) != "open":
            return Redirect(visit.base, status_code=303)
        if answered_here(request, visit) and not visit.campaign.several_per_device:
            return Redirect(visit.base, status_code=303)  # says "you already answered"
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
                commission_name=commission_name(db, visit),
                answered=answered_here(request, visit),
            )
        channel = (
            capture.KIOSK
            if visit.kiosk
            else capture.channel_tag(db, visit.campaign.id, form.get("via"))
        )
        channel = campaigns.TEST_CHANNEL if visit.test else channel
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
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
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
        if check:  # sent back from the review: say what is missing on this page
            form = to_form(visit.document, visit.draft.answers)
            checked = parse_section(visit.document, section, form, visit.draft.answers)
            context = section_context(visit, section, None, checked.problems, state=checked.state)
            return section_page(request, visit, context)
        return section_page(request, visit, section_context(visit, section))

    @post("/s/{section:str}")
    async def save_section(
        self, request: Request, slug: FromPath[str], section: FromPath[str]
    ) -> Template | Redirect:
        form = await form_lists(request)
        visit = visit_of(request, slug, (form.get("token") or [None])[0])
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        checked = _merge_page(visit, section, form)
        state = checked.state  # of the answers just merged: computed once for the request
        draft, here = visit.draft, f"{visit.base}/s/{section}"
        lang = switched_language(form)
        easy = (form.get("_easy") or [""])[0]
        if lang or easy in ("0", "1") or "later" in form:
            # The language switch and "continue later" leave the page: everything typed is
            # saved as typed (what does not read yet is shown flagged when coming back).
            await save(request, capture.page_update(draft, draft.answers, section, visit.now))
            later = f"{visit.base}/later"
            response = Redirect(later if "later" in form else here, status_code=303)
            if lang:
                response.set_cookie(language_cookie(lang))
            if easy in ("0", "1"):
                response.set_cookie(easy_cookie(easy == "1"))
            return response
        appeared, problems = to_show_again(visit, section, form, checked, state)
        # New questions to answer, or something to fix: the page again. "Previous" goes
        # back with everything saved as typed.
        again = bool(appeared or problems) and "back" not in form
        target = None if again else _after(visit, section, form, state)
        await save(
            request,
            capture.page_update(draft, draft.answers, _page_at(visit, target, section), visit.now),
        )
        if target is None:
            return page(
                "section",
                visit,
                status_code=400 if problems else 200,
                **section_context(visit, section, form, problems, notice=appeared, state=state),
            )
        return Redirect(target, status_code=303)

    @post("/s/{section:str}/refresh")
    async def refresh_section(
        self, request: Request, slug: FromPath[str], section: FromPath[str]
    ) -> Template | Redirect:
        form = await form_lists(request)
        visit = visit_of(request, slug, (form.get("token") or [None])[0])
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        checked = _merge_page(visit, section, form)
        await save(
            request, capture.page_update(visit.draft, visit.draft.answers, section, visit.now)
        )
        return page(
            "_questions", visit, **section_context(visit, section, form, state=checked.state)
        )

    @post("/s/{section:str}/draft")
    async def save_draft(
        self, request: Request, slug: FromPath[str], section: FromPath[str]
    ) -> Response | Redirect:
        """What a page holds, saved as typed while the respondent types (JavaScript: on
        change, debounced, and on leaving the page with a beacon). Nothing is checked aloud."""
        form = await form_lists(request)
        visit = visit_of(request, slug, (form.get("token") or [None])[0])
        if redirect := gone(visit):
            return redirect
        _known_section(visit, section)
        _merge_page(visit, section, form)
        await save(
            request, capture.page_update(visit.draft, visit.draft.answers, section, visit.now)
        )
        return Response(None, status_code=204, headers=NO_STORE)

    @post("/easy")
    async def switch_easy(self, request: Request, slug: FromPath[str]) -> Redirect:
        """« Lecture facile » chosen (or left) once, for every page that has it."""
        form = await request.form()
        visit = visit_of(request, slug)
        target = form.get("next", "")
        if not target.startswith(f"{visit.base}"):
            target = visit.base
        response = Redirect(target, status_code=303)
        response.set_cookie(easy_cookie(form.get("_easy") == "1"))
        return response

    @get("/later", sync_to_thread=True)
    def later(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template | Redirect:
        """The resume code, shown when asked for ("continue later"), never on every page."""
        visit = _visit(request, db, slug)
        if redirect := gone(visit):
            return redirect
        back = f"{visit.base}/s/{capture.resume_page(visit.document, visit.draft)}"
        code = capture.show_code(visit.draft.resume_code) if visit.draft.resume_code else ""
        return page("later", visit, back=back, code=code)

    @get("/review", sync_to_thread=True)
    def review(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
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
        for _attempt in range(5):
            # a receipt code, not for a kiosk draft (which has no resume code either)
            code = capture.new_receipt_code() if visit.draft.resume_code else None
            try:
                await save(
                    request, capture.completion_update(visit.draft, answers, visit.now, code)
                )
                break
            except IntegrityError:  # a receipt code already taken (~1 in 10^17): another one
                continue
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
            receipt_code=capture.show_code(sent.receipt_code)
            if sent and sent.receipt_code
            else None,
        )
        # Shown once: on a shared phone the next person must not find the code.
        response.delete_cookie(DRAFT_COOKIE, path=visit.base)
        if sent is not None and not visit.kiosk:
            response.set_cookie(done_cookie(visit))
        return response

    @get("/resume", sync_to_thread=True)
    def show_resume(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        return page("resume", _visit(request, db, slug), code="", error=False)

    @post("/resume")
    async def resume(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
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
