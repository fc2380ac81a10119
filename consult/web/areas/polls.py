"""Live polls: the facilitator's pages (create, control, projector screen, SSE stream) and the
phones' voting page ``/v/<code>`` (no account; one answer per phone through a cookie token).

Every change (a vote, a reveal, a close, an approval) is published on the broker
(``consult.web.plumbing.live``); each open screen re-reads the results from the database.
"""

import asyncio
import contextlib
import logging
import threading
from typing import Any

import anyio
import segno
from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import (
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
)
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, ServerSentEvent, Template
from litestar.response.sse import ServerSentEventMessage
from sqlmodel import Session

from consult.accounts.services import visible_commissions
from consult.i18n import translator
from consult.plenary import polls as service
from consult.plenary.messages import by_field
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.htmx import page_or_fragment
from consult.web.plumbing.templating import request_language
from consult.web.plumbing.throttle import client_key
from surveys.models import LivePoll

log = logging.getLogger(__name__)
RESULTS = {"access": Access.RESULTS}
PUBLIC = {"access": Access.PUBLIC}
VOTER_COOKIE = "consult_vote_{code}"
KEEP_ALIVE_SECONDS = 10  # a stream re-reads at least this often, whatever the broker says
NO_STORE = {"Cache-Control": "no-store"}
# Open results streams per client address and worker: a projector, a laptop and a few tabs.
# Each stream holds a connection and re-reads the results; past this, 429.
MAX_STREAMS_PER_CLIENT = 8


class StreamSlots:
    """Open streams by client, in this process; safe from any thread."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open: dict[str, int] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> bool:
        with self._lock:
            if self.open.get(client, 0) >= self.limit:
                return False
            self.open[client] = self.open.get(client, 0) + 1
            return True

    def give_back(self, client: str) -> None:
        with self._lock:
            left = self.open.get(client, 0) - 1
            if left > 0:
                self.open[client] = left
            else:
                self.open.pop(client, None)


_slots_lock = threading.Lock()


def stream_slots(request: Request) -> StreamSlots:
    """This app's stream slots, made on first use."""
    state = request.app.state
    with _slots_lock:
        if "stream_slots" not in state:
            state["stream_slots"] = StreamSlots(MAX_STREAMS_PER_CLIENT)
        return state["stream_slots"]


def _values(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _one(data: dict[str, Any], key: str) -> str:
    values = _values(data, key)
    return values[0] if values else ""


def _int_or_none(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def staff_poll(request: Request, db: Session, code: FromPath[str]) -> LivePoll:
    """The poll for its commission's staff: 404 unknown, 403 another commission's."""
    poll = service.find_poll(db, code)
    if poll is None:
        raise NotFoundException()
    user = current_user(request)
    if user is None or not user.sees_commission(poll.commission_id):
        raise PermissionDeniedException()
    return poll


def notify(request: Request, poll_id: int) -> None:
    """Tell every screen; a broker failure never undoes what was saved (screens re-read on
    their keep-alive anyway)."""
    try:
        request.app.state.broker.publish(poll_id)
    except Exception:
        log.exception("could not publish a change of poll %s", poll_id)


def screen_url(request: Request, poll: LivePoll) -> str:
    return f"{str(request.base_url).rstrip('/')}/v/{poll.code}"


def poll_context(request: Request, db: Session, poll: LivePoll) -> dict[str, Any]:
    return {
        "user": current_user(request),
        "poll": poll,
        "results": service.poll_results(db, poll, request.app.state.settings.suppression_k),
        "vote_url": screen_url(request, poll),
    }


def form_context(request: Request, db: Session, form: dict, errors: dict) -> dict[str, Any]:
    return {
        "user": current_user(request),
        "commissions": visible_commissions(db, current_user(request)),
        "plenaries": service.plenary_choices(db),
        "form": form,
        "errors": errors,
    }


class PollsController(Controller):
    path = "/polls"
    opt = RESULTS

    @get("", sync_to_thread=True)
    def index(
        self, request: Request, db: NamedDependency[Session], plenary: FromQuery[str] = ""
    ) -> Template:
        polls = service.list_polls(db, current_user(request), _int_or_none(plenary))
        context = form_context(request, db, {"hidden": True, "scale": "1-5"}, {})
        return Template("plenary/polls.html", context=context | {"polls": polls})

    @post("", sync_to_thread=True, status_code=303)
    def create(
        self, request: Request, db: NamedDependency[Session], data: URLEncodedBody[dict[str, Any]]
    ) -> Template | Redirect:
        form = {key: _one(data, key) for key in ("commission_id", "plenary_id", "kind")}
        form |= {key: _one(data, key) for key in ("question", "choices", "scale", "hidden")}
        commission_id = _int_or_none(form["commission_id"])
        if commission_id is not None and not current_user(request).sees_commission(commission_id):
            raise PermissionDeniedException()  # the form offers only the user's commissions
        poll_input = service.PollInput(
            commission_id=commission_id,
            plenary_id=_int_or_none(form["plenary_id"]),
            kind=form["kind"],
            question=form["question"],
            choices_text=form["choices"],
            scale=form["scale"] or "1-5",
            hidden=bool(form["hidden"]),
        )
        created = service.create_poll(db, poll_input, current_user(request))
        if created.poll is not None:
            return Redirect(f"/polls/{created.poll.code}", status_code=303)
        errors = by_field(created.problems, translator(request_language(request)).gettext)
        context = form_context(request, db, form, errors) | {"polls": []}
        return Template("plenary/polls.html", context=context, status_code=400)

    @get("/{code:str}", sync_to_thread=True)
    def control(
        self, request: Request, db: NamedDependency[Session], code: FromPath[str]
    ) -> Template:
        poll = staff_poll(request, db, code)
        context = poll_context(request, db, poll)
        context["answers"] = service.pending_answers(db, poll) if poll.kind == "text" else []
        return Template("plenary/poll.html", context=context, headers=NO_STORE)

    @post("/{code:str}/{action:str}", sync_to_thread=True, status_code=303)
    def act(
        self,
        request: Request,
        db: NamedDependency[Session],
        code: FromPath[str],
        action: FromPath[str],
    ) -> Redirect:
        poll = staff_poll(request, db, code)
        if action == "reveal" or action == "hide":
            service.set_revealed(db, poll, action == "reveal")
        elif action == "close":
            service.close_poll(db, poll)
        else:
            raise NotFoundException()
        notify(request, poll.id)
        return Redirect(f"/polls/{poll.code}", status_code=303)

    @post("/{code:str}/answers/{vote_id:int}", sync_to_thread=True, status_code=303)
    def moderate(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        code: FromPath[str],
        vote_id: FromPath[int],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        poll = staff_poll(request, db, code)
        if service.moderate(db, poll, vote_id, _one(data, "decision") == "approve"):
            notify(request, poll.id)
        if not request.htmx:
            return Redirect(f"/polls/{poll.code}", status_code=303)
        context = poll_context(request, db, poll) | {"answers": service.pending_answers(db, poll)}
        return Template("plenary/_moderation.html", context=context, status_code=200)

    @get("/{code:str}/screen", sync_to_thread=True)
    def screen(
        self, request: Request, db: NamedDependency[Session], code: FromPath[str]
    ) -> Template:
        poll = staff_poll(request, db, code)
        context = poll_context(request, db, poll)
        qr = segno.make(context["vote_url"], error="m")
        context["qr"] = qr.svg_data_uri(scale=8, border=2, dark="#000", light="#fff")
        context["short_url"] = context["vote_url"].split("://", 1)[-1]
        return Template("plenary/screen.html", context=context, headers=NO_STORE)

    @get("/{code:str}/results", sync_to_thread=True)
    def results(
        self, request: HTMXRequest, db: NamedDependency[Session], code: FromPath[str]
    ) -> Template:
        poll = staff_poll(request, db, code)
        context = poll_context(request, db, poll)
        response = page_or_fragment(
            request, "plenary/poll_results.html", "plenary/_poll_results.html", context
        )
        response.headers.update(NO_STORE)
        return response

    @get("/{code:str}/stream", sync_to_thread=True)
    def stream(
        self, request: Request, db: NamedDependency[Session], code: FromPath[str]
    ) -> ServerSentEvent:
        poll = staff_poll(request, db, code)
        slots, client = stream_slots(request), client_key(request)
        if not slots.take(client):
            raise TooManyRequestsException(headers={"Retry-After": str(KEEP_ALIVE_SECONDS)})
        return ServerSentEvent(results_events(request, poll.id, slots, client), headers=NO_STORE)


def render_results(request: Request, poll_id: int) -> str:
    """The results fragment, read afresh from the database (runs in a worker thread)."""
    with Session(request.app.state.engine, expire_on_commit=False) as db:
        poll = db.get(LivePoll, poll_id)
        context = poll_context(request, db, poll)
    template = request.app.template_engine.get_template("plenary/_poll_results.html")
    return template.render(**context, request=request)


async def results_events(request: Request, poll_id: int, slots: StreamSlots, client: str):
    """Send the results fragment now and after every change (never twice the same); the
    client's stream slot is given back when the stream ends."""
    try:
        async for message in _results_events(request, poll_id):
            yield message
    finally:
        slots.give_back(client)


async def _results_events(request: Request, poll_id: int):
    broker = request.app.state.broker
    last = None
    async with broker.subscribe(poll_id) as changes:
        while True:
            html = await anyio.to_thread.run_sync(render_results, request, poll_id)
            if html != last:
                last = html
                yield ServerSentEventMessage(data=html, event="results", retry=1000)
            else:
                yield ServerSentEventMessage(comment="keep-alive")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changes.get(), timeout=KEEP_ALIVE_SECONDS)
            while not changes.empty():  # a burst of votes costs one re-read
                changes.get_nowait()


# --- the phones ---------------------------------------------------------------------------


def voter_cookie(poll: LivePoll, token: str) -> Cookie:
    return Cookie(
        key=VOTER_COOKIE.format(code=poll.code),
        value=token,
        path=f"/v/{poll.code}",
        max_age=2 * 86400,
        httponly=True,
        samesite="lax",
    )


def public_poll(db: Session, code: FromPath[str]) -> LivePoll:
    poll = service.find_poll(db, code)
    if poll is None:
        raise NotFoundException()
    return poll


def vote_page(request: Request, db: Session, poll: LivePoll, token: str, **extra) -> Template:
    context = {
        "poll": poll,
        "options": service.options_of(poll),
        "voted": service.has_voted(db, poll.id, token),
        "errors": {},
        "chosen": [],
        "text": "",
        "max_text": service.MAX_TEXT,
    }
    response = Template(
        "plenary/vote.html",
        context=context | extra,
        headers=NO_STORE,
        status_code=400 if extra.get("errors") else 200,
    )
    response.cookies.append(voter_cookie(poll, token))
    return response


class VoteController(Controller):
    path = "/v"
    opt = PUBLIC

    @get("", sync_to_thread=True)
    def enter(
        self, request: Request, db: NamedDependency[Session], code: FromQuery[str] = ""
    ) -> Template | Redirect:
        poll = service.find_poll(db, code) if code.strip() else None
        if poll is not None:
            return Redirect(f"/v/{poll.code}", status_code=303)
        context = {"code": code, "unknown": bool(code.strip())}
        return Template("plenary/enter.html", context=context, status_code=404 if code else 200)

    @get("/{code:str}", sync_to_thread=True)
    def form(
        self, request: Request, db: NamedDependency[Session], code: FromPath[str]
    ) -> Template | Redirect:
        poll = public_poll(db, code)
        if poll.code != code:
            return Redirect(f"/v/{poll.code}", status_code=303)
        token = request.cookies.get(VOTER_COOKIE.format(code=poll.code)) or ""
        return vote_page(request, db, poll, token or service.new_voter_token())

    @post("/{code:str}", sync_to_thread=True, status_code=303)
    def vote(
        self,
        request: Request,
        db: NamedDependency[Session],
        code: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        poll = public_poll(db, code)
        token = request.cookies.get(VOTER_COOKIE.format(code=poll.code))
        token = token or service.new_voter_token()
        chosen, text = _values(data, "answer"), _one(data, "text")
        problems = service.record_vote(db, poll, token, chosen, text)
        if problems:
            errors = by_field(problems, translator(request_language(request)).gettext)
            return vote_page(request, db, poll, token, errors=errors, chosen=chosen, text=text)
        notify(request, poll.id)
        response = Redirect(f"/v/{poll.code}", status_code=303)
        response.cookies.append(voter_cookie(poll, token))
        return response
