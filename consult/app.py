"""create_app(settings) -> Litestar: the only wiring point."""

from collections.abc import Iterator
from pathlib import Path

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.plugins.htmx import HTMXPlugin, HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from sqlmodel import Session

from consult.db import make_engine
from consult.settings import ROOT, Settings
from consult.web.access import access_guard, access_of
from consult.web.auth import AuthController
from consult.web.campaigns import CampaignsController
from consult.web.commissions import CommissionsController
from consult.web.deck import DeckController
from consult.web.designer import DesignerController
from consult.web.errors import http_exception_handler, internal_error_handler
from consult.web.home import HomeController
from consult.web.live import make_broker
from consult.web.paper import PaperController
from consult.web.partners import PartnersController
from consult.web.plenaries import PlenariesController
from consult.web.polls import PollsController, VoteController
from consult.web.public import PublicAdminController, PublicController
from consult.web.questionnaires import QuestionnaireController
from consult.web.respond import KioskController, RespondController
from consult.web.results import ResultsController, WavesController
from consult.web.results_api import ResultsApiController, openapi_config
from consult.web.results_files import ResultsFilesController, WavesFilesController
from consult.web.security import add_security_headers
from consult.web.sessions import SESSION_STORE, make_store, session_config
from consult.web.system import SystemController
from consult.web.templating import configure_engine
from consult.web.throttle import THROTTLE_STORE, LoginThrottle

TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
# Large enough for an XLSForm or a CSV of partners, small enough to refuse abuse early.
MAX_BODY_BYTES = 10 * 1024 * 1024
CONTROLLERS = [AuthController, HomeController, SystemController]
CONTROLLERS += [PartnersController, CommissionsController, PlenariesController]
CONTROLLERS += [ResultsController, ResultsFilesController, WavesController, WavesFilesController]
CONTROLLERS += [ResultsApiController]
CONTROLLERS += [QuestionnaireController, DesignerController, PaperController]
CONTROLLERS += [CampaignsController, RespondController, KioskController]
CONTROLLERS += [PollsController, VoteController, PublicController, PublicAdminController]
CONTROLLERS += [DeckController]  # plenary (area E)


def provide_db(state: State) -> Iterator[Session]:
    with Session(state.engine, expire_on_commit=False) as session:
        yield session


def _check_access_rules(app: Litestar) -> None:
    missing = [
        route.path
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if access_of(handler) is None and handler.http_methods != {"OPTIONS"}
    ]
    if missing:
        raise RuntimeError(f"routes without an access rule: {sorted(set(missing))}")


def create_app(settings: Settings) -> Litestar:
    engine = make_engine(settings.database_url, settings.sqlite_synchronous)
    stores = {SESSION_STORE: make_store(settings, SESSION_STORE)}
    throttle_store = make_store(settings, THROTTLE_STORE)
    static = create_static_files_router(
        path="/static",
        directories=[Path(STATIC)],
        opt={"access": "public"},
        name="static",
        # An hour: a phone on a poor connection fetches CSS and htmx once per visit.
        cache_control=CacheControlHeader(max_age=3600, public=True),
    )

    broker = make_broker(settings, engine)  # live polls: fan-out across workers

    def on_shutdown() -> None:
        engine.dispose()

    app = Litestar(
        route_handlers=[*CONTROLLERS, static],
        state=State(
            {
                "settings": settings,
                "engine": engine,
                "broker": broker,
                "login_throttle": LoginThrottle(
                    throttle_store,
                    settings.secret_key,
                    settings.login_attempts,
                    settings.login_window_seconds,
                ),
            }
        ),
        dependencies={"db": Provide(provide_db)},
        guards=[access_guard],
        stores=stores,
        middleware=[session_config(settings).middleware],
        before_send=[add_security_headers],
        request_max_body_size=MAX_BODY_BYTES,
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="consult_csrf",
            cookie_httponly=True,
            cookie_secure=settings.secure_cookies,
            header_name="x-csrftoken",
        ),
        template_config=TemplateConfig(
            directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=configure_engine
        ),
        plugins=[HTMXPlugin()],
        request_class=HTMXRequest,
        compression_config=CompressionConfig(backend="gzip", minimum_size=500),
        exception_handlers={
            HTTPException: http_exception_handler,
            Exception: internal_error_handler,
        },
        on_shutdown=[broker.stop, on_shutdown],
        openapi_config=openapi_config(),
        debug=settings.debug,
    )
    _check_access_rules(app)
    return app


def app_from_env() -> Litestar:
    """Entry point for ``uvicorn --factory`` (each worker builds its own app)."""
    return create_app(Settings.from_env())
