"""Read-only JSON API over the results, documented at /api/schema (OpenAPI).

Authenticated by a per-user token (``Authorization: Bearer <token>``, created with
``consult results token``), not by the session: the routes are ``Access.PUBLIC`` to the
session guard and the ``api_user`` dependency refuses a missing or bad token with 401 JSON.
The public scope (a public token, or ``?scope=public``) suppresses cells below k.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Controller, MediaType, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import SecurityScheme
from litestar.params import FromPath, FromQuery
from sqlmodel import Session

from consult.accounts.audit import API
from consult.accounts.services import CurrentUser
from consult.accounts.tokens import user_for_token
from consult.web.areas.audit import log_access
from consult.web.areas.results import check_access, suppression_k
from consult.web.plumbing.access import Access
from consult.web.plumbing.templating import request_language
from surveys import results as service
from surveys.results_api import campaign_summary_json, crosstab_json, question_json

BEARER = {"BearerToken": []}
SECURITY_SCHEMES = {
    "BearerToken": SecurityScheme(type="http", scheme="bearer", description="consult results token")
}


@dataclass(frozen=True)
class ApiError:
    status: int
    detail: str


# Documented so that clients (and the schemathesis test) know every answer they can get.
ERRORS = {
    400: ResponseSpec(ApiError, description="a question pair that cannot be crossed"),
    401: ResponseSpec(ApiError, description="no token, or one that is not valid"),
    403: ResponseSpec(ApiError, description="a campaign of another commission"),
    404: ResponseSpec(ApiError, description="no such campaign or question"),
}


@dataclass(frozen=True)
class ApiUser:
    user: CurrentUser
    public: bool


def api_user(request: Request, db: NamedDependency[Session]) -> ApiUser:
    """The token's user; ``?scope=public`` (or a public token) asks for the public view."""
    scope = request.query_params.get("scope", "commission")
    header = request.headers.get("authorization", "")
    kind, _, token = header.partition(" ")
    found = user_for_token(db, token.strip()) if kind.lower() == "bearer" else None
    if found is None:
        raise NotAuthorizedException(
            "a valid token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    user, token_scope = found
    return ApiUser(user, public=token_scope == "public" or scope == "public")


def api_error(request: Request, exc: HTTPException) -> Response:
    return Response(
        {"status": exc.status_code, "detail": exc.detail},
        status_code=exc.status_code,
        media_type=MediaType.JSON,
        headers=exc.headers or {},
    )


def _data(request: Request, db: Session, who: NamedDependency[ApiUser], slug: str):
    """The campaign's data, the k of the public scope (None for the commission's) and the
    rows to read: the public scope gets the whole fieldwork in steps of k responses."""
    campaign = service.find_campaign(db, slug)
    check_access(who.user, [campaign] if campaign else [])
    data = service.load_results(
        db, [campaign], request_language(request), request.app.state.results_cache
    )
    log_access(db, who.user, API, data.campaigns, request.url.path)
    k = suppression_k(request) if who.public else None
    applied = service.public_results(data, k) if k else service.filter_results(data, {})
    return data, k, applied


class ResultsApiController(Controller):
    path = "/api/campaigns/{slug:str}"
    opt = {"access": Access.PUBLIC}  # the bearer token is checked by api_user
    tags = ["results"]
    security = [BEARER]
    include_in_schema = True  # the app leaves its HTML pages out of /api/schema
    dependencies = {"who": Provide(api_user, sync_to_thread=True)}
    exception_handlers = {HTTPException: api_error}

    @get(
        "/summary",
        sync_to_thread=True,
        responses=ERRORS,
        summary="Every question of a campaign, summarised",
    )
    def summary(
        self,
        request: Request,
        db: NamedDependency[Session],
        who: NamedDependency[ApiUser],
        slug: FromPath[str],
    ) -> dict[str, Any]:
        data, k, applied = _data(request, db, who, slug)
        return campaign_summary_json(data, applied, k)

    @get(
        "/questions/{name:str}",
        sync_to_thread=True,
        responses=ERRORS,
        summary="One question's summary",
    )
    def question(
        self,
        request: Request,
        db: NamedDependency[Session],
        who: NamedDependency[ApiUser],
        slug: FromPath[str],
        name: FromPath[str],
    ) -> dict[str, Any]:
        data, k, applied = _data(request, db, who, slug)
        if not data.codebook.of_question(name):
            raise NotFoundException(f"no question {name!r}")
        return question_json(data, applied, name, k)

    @get(
        "/crosstab",
        sync_to_thread=True,
        responses=ERRORS,
        summary="A cross-tabulation of two questions",
    )
    def crosstab(
        self,
        request: Request,
        db: NamedDependency[Session],
        who: NamedDependency[ApiUser],
        slug: FromPath[str],
        row: FromQuery[str],
        col: FromQuery[str],
    ) -> dict[str, Any]:
        data, k, applied = _data(request, db, who, slug)
        problems = service.check_pair(data, row, col)
        if problems:
            raise HTTPException(status_code=400, detail=", ".join(p.code for p in problems))
        return crosstab_json(data, applied, row, col, k)


def openapi_config():
    """OpenAPI served at /api/schema (JSON at /api/schema/openapi.json), public to read."""
    from litestar import Router
    from litestar.openapi import OpenAPIConfig
    from litestar.openapi.plugins import JsonRenderPlugin
    from litestar.openapi.spec import Components

    return OpenAPIConfig(
        title="Consult API",
        version="1.0",
        description="Read-only results of campaigns; Authorization: Bearer <token>.",
        render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"])],
        openapi_router=Router(path="/api/schema", route_handlers=[], opt={"access": Access.PUBLIC}),
        components=Components(security_schemes=SECURITY_SCHEMES),
        create_examples=False,
    )
