"""One app on one copy of the demo database, six actors, and the objects every route needs.

Built once per test module (the authorisation matrix sends several hundred requests). Each
request starts from the actor's own cookies, so that no route can leave an actor in a state
that changes the answer of the next one; objects that a route deletes exist once per actor.
"""

import asyncio
import io
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from litestar.testing import TestClient
from PIL import Image
from sqlmodel import Session, select

from consult.accounts.models import User
from consult.accounts.services import load_current_user
from consult.accounts.tokens import create_token
from consult.app import create_app
from consult.network.models import Commission, Partner, Plenary, Project
from consult.network.services import FindingInput, add_finding, current_members
from consult.plenary import polls
from consult.settings import Settings
from surveys import capture, editing, image_store, images
from surveys import questionnaires as questionnaire_service
from surveys.document import Choice
from surveys.models import Campaign, LiveVote, Quote, Response
from tests.web.conftest import DEMO

ANONYMOUS, RESPONDENT = "anonymous", "respondent"
OTHER_MEMBER, MEMBER, FACILITATOR, COORDINATOR = DEMO_ACTORS = (
    "other_member",
    "member",
    "facilitator",
    "coordinator",
)
ACTORS = (ANONYMOUS, RESPONDENT, *DEMO_ACTORS)
STAFF = frozenset(DEMO_ACTORS)


def small_png(size: tuple[int, int] = (8, 8), colour: tuple = (200, 80, 40)) -> bytes:
    """A plain PNG made on the spot, for the routes of choice images."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


TINY_PNG = small_png()
OPEN_SLUG = "temps-libre-2026"  # open now: the respondent's draft is for it
RESULTS_SLUG = "temps-libre-2013"  # closed, with answers, waves and the published public page
SERIES = "temps-libre"


@dataclass
class Actor:
    name: str
    cookies: dict[str, str] = field(default_factory=dict)
    token: str | None = None  # the results API's bearer token


@dataclass
class World:
    client: TestClient
    settings: Settings
    actors: dict[str, Actor]
    values: dict[str, Any]  # path and form values shared by every actor
    per_actor: dict[str, dict[str, Any]]  # values of objects a route may delete

    def value(self, actor: str, name: str) -> Any:
        return self.per_actor[actor].get(name, self.values.get(name))

    def request(
        self,
        actor: str,
        method: str,
        path: str,
        data: dict | None = None,
        files: dict | None = None,
        csrf: bool = True,
        api: bool = False,
        headers: dict | None = None,
    ):
        who = self.actors[actor]
        self.client.cookies.clear()
        for name, value in who.cookies.items():
            self.client.cookies.set(name, value)
        headers = dict(headers or {})
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers["x-csrftoken"] = who.cookies["consult_csrf"]
        if api and who.token:
            headers["Authorization"] = f"Bearer {who.token}"
        if method == "GET" and path.endswith("/stream"):
            return first_event(self.client, path, headers, self.client.cookies)
        response = self.client.request(
            method, path, data=data, files=files, headers=headers, follow_redirects=False
        )
        if method == "POST" and path == "/logout" and actor in STAFF:
            self.actors[actor] = sign_in(self.client, actor, who.token)
        return response


@dataclass
class Streamed:
    """The start of an endless response (Server-Sent Events): status, headers, first chunk."""

    status_code: int
    headers: dict[str, str]
    text: str


def first_event(client: TestClient, path: str, headers: dict, cookies) -> Streamed:
    """Run the app until the first body chunk, then disconnect (TestClient would wait for
    the end of a stream that never ends)."""
    cookie = "; ".join(f"{c.name}={c.value}" for c in cookies.jar)
    raw = [(b"host", b"testserver.local"), (b"cookie", cookie.encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": raw,
        "client": ("testclient", 50000),
        "server": ("testserver.local", 80),
        "extensions": {},
    }
    started: dict[str, Any] = {}
    body = bytearray()

    async def run() -> None:
        done = asyncio.Event()
        sent_request = False

        async def receive():
            nonlocal sent_request
            if not sent_request:
                sent_request = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.start":
                started["status"] = message["status"]
                started["headers"] = {k.decode(): v.decode() for k, v in message.get("headers", [])}
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if body or not message.get("more_body", False):
                    done.set()

        app_task = asyncio.ensure_future(client.app(scope, receive, send))
        await asyncio.wait_for(done.wait(), timeout=10)
        try:
            await asyncio.wait_for(app_task, timeout=5)
        except TimeoutError:
            app_task.cancel()

    with client.portal() as portal:
        portal.call(run)
    return Streamed(started["status"], started.get("headers", {}), body.decode())


def sign_in(client: TestClient, actor: str, token: str | None) -> Actor:
    client.cookies.clear()
    client.get("/login")
    csrf = client.cookies.get("consult_csrf")
    if actor in STAFF:
        email, password = DEMO[actor]
        response = client.post(
            "/login",
            data={"email": email, "password": password, "_csrf_token": csrf},
            follow_redirects=False,
        )
        assert response.status_code == 303, f"{actor} could not sign in"
    elif actor == RESPONDENT:
        response = client.post(
            f"/r/{OPEN_SLUG}/start",
            data={
                "_csrf_token": csrf,
                "token": capture.new_token(),
                "age_group": "15plus",
                "consent": "yes",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, "the respondent could not start a draft"
        assert client.cookies.get("consult_draft")
    return Actor(actor, dict(client.cookies.items()), token)


def build_world(template_db: str, var_dir: Path) -> World:
    var_dir.mkdir(parents=True, exist_ok=True)
    database = var_dir / "consult.db"
    shutil.copyfile(template_db, database)
    # The matrix fails logins and codes on purpose: the throttles must not interfere.
    settings = Settings(
        var_dir=var_dir,
        database_url=f"sqlite:///{database}",
        login_attempts=10_000,
        code_attempts=10_000,
    )
    client = TestClient(create_app(settings), base_url="http://testserver.local")
    client.__enter__()
    engine = client.app.state.engine
    with Session(engine, expire_on_commit=False) as db:
        values, per_actor, tokens = _objects(db, settings)
    actors = {name: sign_in(client, name, tokens.get(name)) for name in ACTORS}
    world = World(client, settings, actors, values, per_actor)
    _through_the_app(world)
    return world


def _objects(db: Session, settings: Settings) -> tuple[dict, dict, dict]:
    commissions = {c.slug: c for c in db.exec(select(Commission)).all()}
    youth = commissions["jeunesse"]
    users = {u.email: u for u in db.exec(select(User)).all()}
    user_ids = {actor: users[DEMO[actor][0]].id for actor in DEMO_ACTORS}
    campaigns = {c.slug: c for c in db.exec(select(Campaign)).all()}
    results_campaign = campaigns[RESULTS_SLUG]
    coordinator = load_current_user(db, user_ids[COORDINATOR])

    poll = polls.create_poll(
        db,
        polls.PollInput(commission_id=youth.id, kind="text", question="Matrix?", hidden=False),
        coordinator,
    ).poll
    assert not polls.record_vote(db, poll, "matrix-voter", [], "une idée")
    vote = db.exec(select(LiveVote).where(LiveVote.poll_id == poll.id)).one()

    answered = next(
        r
        for r in db.exec(
            select(Response).where(
                Response.campaign_id == results_campaign.id, Response.completed.is_(True)
            )
        )
        if (r.answers or {}).get("envies")
    )
    quote = Quote(
        campaign_id=results_campaign.id,
        response_id=answered.id,
        question="envies",
        text=answered.answers["envies"],
        marked_by=user_ids[COORDINATOR],
    )
    db.add(quote)
    db.commit()

    per_actor: dict[str, dict[str, Any]] = {}
    for actor in (ANONYMOUS, RESPONDENT, *DEMO_ACTORS):
        per_actor[actor] = _scratch_questionnaire(db, youth.id, actor)
        finding = add_finding(
            db, youth.id, FindingInput(campaign_id=results_campaign.id, text=f"Vu par {actor}")
        )
        per_actor[actor]["finding_id"] = finding.id

    partner_ids, member_ids = current_members(db, youth.id)
    project = db.exec(select(Project).where(Project.commission_id == youth.id)).first()
    values = {
        "slug": RESULTS_SLUG,
        "series": SERIES,
        "commission": youth.slug,
        "commission_id": youth.id,
        "code": poll.code,
        "vote_id": vote.id,
        "quote_id": quote.id,
        "project_id": project.id,
        "plenary_id": db.exec(select(Plenary)).first().id,
        "partner": db.exec(select(Partner)).first().slug,
        "version_id": campaigns[OPEN_SLUG].version_id,
        "kiosk_key": capture.kiosk_key(settings.secret_key, OPEN_SLUG),
        "youth_members": {"partner_ids": partner_ids, "user_ids": member_ids},
        "youth_description": youth.description,
        "youth_theme": youth.theme,
        "youth_pilot": youth.pilot_id,
    }
    # a published choice image: served to anyone (one not yet published is staff-only)
    prepared, _ = images.prepare(TINY_PNG)
    image_store.store(db, prepared)
    image_store.find(db, prepared.digest).published = True
    values["image_file"] = prepared.name
    tokens = {actor: create_token(db, user_ids[actor], "matrix") for actor in DEMO_ACTORS}
    db.commit()
    return values, per_actor, tokens


def _scratch_questionnaire(db: Session, commission_id: int, actor: str) -> dict[str, Any]:
    """A draft of the youth commission whose questions and pages the designer routes may
    change, move or delete: one set per actor."""
    questionnaire = questionnaire_service.create_blank(db, commission_id, f"Matrice {actor}")
    names: dict[str, Any] = {"questionnaire_id": questionnaire.id}

    def change(document):
        for role in ("question", "deleted_question", "undone_question"):
            document, names[role] = editing.add_question(
                document, "section_1", "text", {"fr": role}
            )
        document, names["choice_question"] = editing.add_question(
            document, "section_1", "single_choice", {"fr": "Images"}
        )
        question = document.question(names["choice_question"])
        choices = (Choice("oui", {"fr": "Oui"}), Choice("non", {"fr": "Non"}))
        document = editing.replace_question(
            document, question.name, replace(question, choices=choices)
        )
        document, names["empty_section"] = editing.add_section(document, {"fr": "vide"})
        return document

    questionnaire_service.edit_questionnaire(db, questionnaire.id, change)
    names["section"] = "section_1"
    return names


def _through_the_app(world: World) -> None:
    """Objects most easily made the way users make them: a slide and the public page."""
    slug = RESULTS_SLUG
    response = world.request(
        COORDINATOR, "POST", f"/campaigns/{slug}/deck/slides", {"kind": "figures"}
    )
    assert response.status_code == 303, response.text
    page = world.request(COORDINATOR, "GET", f"/campaigns/{slug}/deck/edit").text
    world.values["slide_id"] = int(re.search(rf"/campaigns/{slug}/deck/slides/(\d+)", page)[1])
    response = world.request(
        COORDINATOR, "POST", f"/campaigns/{slug}/public", {"q": "genre", "published": "1"}
    )
    assert response.status_code == 303, response.text
