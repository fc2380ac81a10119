"""Every route of the real app, called by six actors, admits exactly those of its entry in
tests/security/access_table.py; every POST is refused without the CSRF token."""

import pytest
from sqlmodel import Session, select

from consult.network.models import Commission
from surveys import questionnaires
from surveys.models import Campaign, LivePoll
from tests.security.access_table import MATRIX, NOT_FOUND_BY_DESIGN
from tests.security.calls import call_for, prepare
from tests.security.world import ACTORS, COORDINATOR, OPEN_SLUG, STAFF

SAFE = ("GET", "HEAD")
ROUTES = sorted(MATRIX, key=lambda key: (key[1], key[0]))
POSTS = [key for key in ROUTES if key[0] not in SAFE]


def app_routes(app) -> set[tuple[str, str]]:
    """(method, path template) of every handler; OPTIONS answers are Litestar's own."""
    return {
        (method, route.path)
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        for method in handler.http_methods
        if method != "OPTIONS"
    }


def verdict(response, method: str, template: str, actor: str) -> str:
    status = response.status_code
    location = response.headers.get("location", "")
    if actor in STAFF:
        if status == 403:
            return "denied"
    elif (status in (302, 303) and location.startswith("/login?next=")) or status == 401:
        return "denied"
    if status < 300 or (status < 400 and not location.startswith("/login")):
        return "allowed"
    if method == "POST" and status in (400, 422):  # the guard let it through to validation
        return "allowed"
    if (method, template) in NOT_FOUND_BY_DESIGN and status == 404:
        return "allowed"
    return f"answered {status} {location}".strip()


def test_every_route_has_an_entry_and_every_entry_a_route(world):
    routes = app_routes(world.client.app)
    missing = sorted(routes - MATRIX.keys(), key=lambda key: key[::-1])
    stale = sorted(MATRIX.keys() - routes, key=lambda key: key[::-1])
    assert not missing, f"routes without an entry in tests/security/access_table.py: {missing}"
    assert not stale, f"entries of tests/security/access_table.py for no route: {stale}"


@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {t}" for m, t in ROUTES])
def test_route_admits_exactly_its_actors(world, method, template):
    wrong = []
    for actor in ACTORS:
        expected = "allowed" if actor in MATRIX[(method, template)] else "denied"
        prepare(world, actor, template)
        call = call_for(world, actor, method, template)
        response = world.request(actor, method, call.path, call.data, call.files, api=call.api)
        got = verdict(response, method, template, actor)
        if got != expected:
            wrong.append(f"{actor}: expected {expected}, {got}")
        if expected == "denied" and method == "GET":  # htmx asks for a fragment: same answer
            fragment = world.request(actor, method, call.path, api=call.api, headers=HTMX)
            if verdict(fragment, method, template, actor) != "denied":
                wrong.append(f"{actor} (htmx): expected denied, {fragment.status_code}")
    assert not wrong, f"{method} {template}: " + "; ".join(wrong)


HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(("method", "template"), POSTS, ids=[f"{m} {t}" for m, t in POSTS])
def test_state_changing_route_refuses_a_request_without_csrf_token(world, method, template):
    """The coordinator may use every route: a 403 here is the missing token's doing."""
    call = call_for(world, COORDINATOR, method, template)
    response = world.request(
        COORDINATOR, method, call.path, call.data, call.files, csrf=False, api=call.api
    )
    assert response.status_code == 403, f"{method} {template} answered {response.status_code}"


def _published_version_of(world, commission_slug: str) -> int:
    with Session(world.client.app.state.engine) as db:
        commission = db.exec(select(Commission).where(Commission.slug == commission_slug)).one()
        questionnaire = questionnaires.create_from_template(db, commission.id, "event_satisfaction")
        assert not questionnaires.publish(db, questionnaire.id).problems
        return questionnaires.latest_version(db, questionnaire.id).id


def test_a_campaign_cannot_be_moved_to_another_commissions_questionnaire(world):
    foreign = _published_version_of(world, "emploi-formation")
    form = {"name": "Détournée", "version_id": str(foreign), "anonymous": "yes"}
    edited = world.request("member", "POST", f"/campaigns/{OPEN_SLUG}/edit", form)
    created = world.request("member", "POST", "/campaigns", form | {"slug": "detournee"})
    assert (edited.status_code, created.status_code) == (403, 403)
    with Session(world.client.app.state.engine) as db:
        campaign = db.exec(select(Campaign).where(Campaign.slug == OPEN_SLUG)).one()
        assert campaign.version_id != foreign
        assert db.exec(select(Campaign).where(Campaign.slug == "detournee")).first() is None


def test_a_poll_cannot_be_created_for_another_commission(world):
    form = {"commission_id": str(world.values["commission_id"]), "kind": "text"}
    response = world.request("other_member", "POST", "/polls", form | {"question": "Intrus ?"})
    assert response.status_code == 403
    with Session(world.client.app.state.engine) as db:
        assert db.exec(select(LivePoll).where(LivePoll.question == "Intrus ?")).first() is None
