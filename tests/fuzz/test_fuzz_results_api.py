"""Schemathesis over the app's OpenAPI: the results JSON API gives no server error and answers
as documented, with a coordinator's, a public, a wrong and no token; every other GET page
gives no server error, to a visitor and to a signed-in coordinator."""

import re
import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.handlers import HTTPRouteHandler
from litestar.testing import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session, select

from consult.accounts.tokens import create_token_for_email
from consult.app import create_app
from consult.db import make_engine
from consult.demo.campaigns import OPEN_SLUG
from consult.settings import Settings
from surveys.capture import document_of
from surveys.models import Campaign
from tests.conftest import _template
from tests.web.conftest import login

API = "/api/campaigns/"
API_PATHS = {
    "/api/campaigns/{slug}/summary",
    "/api/campaigns/{slug}/questions/{name}",
    "/api/campaigns/{slug}/crosstab",
}
# PDF renders and exports cost seconds each and streams never end; the tests of their areas
# cover them.
SLOW = re.compile(r"pdf|report|export|xlsx|stream|poster|/minutes|/print")
API_EXAMPLES = 25
PAGE_EXAMPLES = 3
API_CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    status_code_conformance,
]


@pytest.fixture(scope="module")
def api(templates, tmp_path_factory, request):
    var_dir = tmp_path_factory.mktemp("fuzz-api")
    shutil.copyfile(
        _template("sqlite", True, templates, tmp_path_factory, request), var_dir / "c.db"
    )
    url = f"sqlite:///{var_dir / 'c.db'}"
    engine = make_engine(url)
    with Session(engine) as db:
        tokens = {
            scope: create_token_for_email(db, "coordination@consult.demo", "fuzz", scope)
            for scope in ("commission", "public")
        }
        slugs = list(db.exec(select(Campaign.slug)))
        open_campaign = db.exec(select(Campaign).where(Campaign.slug == OPEN_SLUG)).one()
        document = document_of(db, open_campaign.version_id)
        db.commit()
    engine.dispose()
    app = create_app(Settings(var_dir=var_dir, database_url=url))
    with TestClient(app) as client:
        summary = client.get(
            f"/api/campaigns/{OPEN_SLUG}/summary",
            headers={"Authorization": f"Bearer {tokens['commission']}"},
        ).json()
        login(client, "coordinator")
        cookie = f"consult_session={client.cookies.get('consult_session')}"
    names = [variable["name"] for variable in summary["variables"]]
    names += [question.name for question in document.questions()]
    schema = schemathesis.openapi.from_asgi("/api/schema/openapi.json", app)
    yield schema, pages_schema(var_dir, url, app), tokens, slugs, names, cookie


def pages_schema(var_dir, url, app):
    """The published document lists the JSON API only: the pages are fuzzed from the schema of
    a second app whose handlers are all included, sent to the real one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(HTTPRouteHandler, "resolve_include_in_schema", lambda self: True)
        every_route = create_app(Settings(var_dir=var_dir, database_url=url))
        raw = every_route.openapi_schema.to_schema()
    every_route.state.engine.dispose()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = app
    return schema


def _operations(schema, api: bool):
    operations = [result.ok() for result in schema.get_all_operations()]
    if api:
        return [op for op in operations if op.path.startswith(API)]
    return [
        op
        for op in operations
        if op.method.upper() == "GET" and not op.path.startswith(API) and not SLOW.search(op.path)
    ]


def _fuzz(operation, real, headers, checks, examples):
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def check(case, data):
        # Random strings alone would only ever reach 404: mix in names that exist.
        for location in (case.path_parameters, case.query):
            for key in list(location or {}):
                if key in real and data.draw(st.booleans()):
                    location[key] = data.draw(st.sampled_from(real[key]))
        case.call_and_validate(headers=headers, checks=checks)

    check()


@pytest.mark.parametrize("auth", ["commission", "public", "none", "garbage"])
def test_the_results_api_never_fails_and_answers_as_documented(api, auth):
    schema, _, tokens, slugs, names, _ = api
    header = {
        "commission": f"Bearer {tokens['commission']}",
        "public": f"Bearer {tokens['public']}",
        "none": None,
        "garbage": "Bearer cst_not-a-token",
    }[auth]
    operations = _operations(schema, api=True)
    assert {op.path for op in operations} == API_PATHS
    real = {"slug": slugs, "name": names, "row": names, "col": names}
    examples = API_EXAMPLES if auth in ("commission", "public") else 5
    for operation in operations:
        headers = {"Authorization": header} if header else {}
        _fuzz(operation, real, headers, API_CHECKS, examples)


@pytest.mark.parametrize("signed_in", [False, True])
def test_no_page_gives_a_server_error(api, signed_in):
    _, schema, _, slugs, names, cookie = api
    operations = _operations(schema, api=False)
    assert len(operations) > 40
    real = {"slug": slugs, "name": names, "id": [1, 2], "questionnaire_id": [1, 2]}
    headers = {"Cookie": cookie} if signed_in else {}
    for operation in operations:
        _fuzz(operation, real, headers, [not_a_server_error], PAGE_EXAMPLES)
