"""create_app(settings) -> Litestar: the only wiring point."""

import gc
import hashlib
from collections.abc import AsyncIterator
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

from consult.db import make_engine, reader
from consult.settings import ROOT, Settings
from consult.web.areas.audit import AuditController
from consult.web.areas.auth import AuthController
from consult.web.areas.campaigns import CampaignsController
from consult.web.areas.choice_images import (
    ChoiceImagesController,
    ImagesExportController,
    MediaController,
)
from consult.web.areas.commissions import CommissionsController
from consult.web.areas.deck import DeckController
from consult.web.areas.designer import DesignerController
from consult.web.areas.designer_preview import DesignerPreviewController
from consult.web.areas.groups import GroupsController
from consult.web.areas.home import HomeController
from consult.web.areas.paper import PaperController
from consult.web.areas.partners import PartnersController
from consult.web.areas.plenaries import PlenariesController
from consult.web.areas.polls import PollsController, VoteController
from consult.web.areas.population import PopulationController
from consult.web.areas.privacy import MineController
from consult.web.areas.public import PublicAdminController, PublicController
from consult.web.areas.questionnaires import QuestionnaireController
from consult.web.areas.respond import KioskController, RespondController
from consult.web.areas.response_import import ResponseImportController
from consult.web.areas.results import CampaignWavesController, ResultsController, WavesController
from consult.web.areas.results_api import ResultsApiController, openapi_config
from consult.web.areas.results_files import ResultsFilesController, WavesFilesController
from consult.web.areas.system import SystemController
from consult.web.plumbing.access import access_guard, access_of, all_guards
from consult.web.plumbing.compression import LazyCompressionMiddleware
from consult.web.plumbing.errors import http_exception_handler, internal_error_handler
from consult.web.plumbing.live import make_broker
from consult.web.plumbing.paths import ids_in_range
from consult.web.plumbing.security import add_security_headers, limit_body_size, strip_nul_bytes
from consult.web.plumbing.sessions import SESSION_STORE, make_store, session_config
from consult.web.plumbing.submit_limit import TooFast, submit_rate_guard, too_fast_handler
from consult.web.plumbing.templating import configure_engine
from consult.web.plumbing.throttle import (
    THROTTLE_STORE,
    CodeThrottle,
    LoginThrottle,
    SubmitThrottle,
)
from surveys import results

TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
# Large enough for an XLSForm or a CSV of partners, small enough to refuse abuse early.
MAX_BODY_BYTES = 10 * 1024 * 1024
CONTROLLERS = [AuthController, HomeController, SystemController]
CONTROLLERS += [PartnersController, CommissionsController, PlenariesController]
CONTROLLERS += [ResultsController, ResultsFilesController, WavesController, WavesFilesController]
CONTROLLERS += [CampaignWavesController, GroupsController]
CONTROLLERS += [ResultsApiController]
CONTROLLERS += [QuestionnaireController, DesignerController, PaperController]
CONTROLLERS += [DesignerPreviewController, ChoiceImagesController, MediaController]
CONTROLLERS += [ImagesExportController]  # easy-read: choice images
CONTROLLERS += [CampaignsController, RespondController, KioskController]
CONTROLLERS += [PollsController, VoteController, PublicController, PublicAdminController]
CONTROLLERS += [DeckController]  # plenary (area E)
CONTROLLERS += [MineController, AuditController]  # privacy
CONTROLLERS += [ResponseImportController]  # interoperability
CONTROLLERS += [PopulationController]  # representativeness


async def provide_db(state: State) -> AsyncIterator[Session]:
    # An async generator: Litestar runs a sync one's clean-up in the thread pool, where it
    # can queue behind handlers waiting for a pooled connection that only that clean-up
    # would give back (every request then failed after the pool's 30 s timeout under load).
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


def make_results_cache(settings: Settings) -> results.ResultsCache:
    """The worker's results cache: the process-wide LRU, or with Redis configured, an LRU in
    front of Redis so that the workers compute each campaign's summaries once, not N times."""
    if not settings.redis_url:
        return results.CACHE
    import redis

    # one Redis may serve several instances (or test databases): the keys name the database
    database = hashlib.sha256(settings.database_url.encode()).hexdigest()[:12]
    shared = results.SharedResults(
        redis.Redis.from_url(settings.redis_url),
        settings.secret_key,
        prefix=f"consult:results:{database}",
    )
    return results.ResultsCache(shared=shared)


def create_app(settings: Settings) -> Litestar:
    engine = make_engine(settings.database_url, settings.sqlite_synchronous)
    throttle_store = make_store(settings, THROTTLE_STORE)
    # registered, both are closed with the app (a Redis store's connections belong to its loop)
    stores = {SESSION_STORE: make_store(settings, SESSION_STORE), THROTTLE_STORE: throttle_store}
    static = create_static_files_router(
        path="/static",
        directories=[Path(STATIC)],
        opt={"access": "public"},
        name="static",
        # An hour: a phone on a poor connection fetches CSS and htmx once per visit.
        cache_control=CacheControlHeader(max_age=3600, public=True),
    )

    broker = make_broker(settings, engine)  # live polls: fan-out across workers
    results_cache = make_results_cache(settings)

    def on_shutdown() -> None:
        engine.dispose()
        if results_cache.shared is not None:
            results_cache.shared.client.close()

    app = Litestar(
        route_handlers=[*CONTROLLERS, static],
        state=State(
            {
                "settings": settings,
                "engine": engine,
                "reader": reader(engine),
                "broker": broker,
                "results_cache": results_cache,
                "login_throttle": LoginThrottle(
                    throttle_store,
                    settings.secret_key,
                    settings.login_attempts,
                    settings.login_window_seconds,
                ),
                "submit_throttle": SubmitThrottle(
                    throttle_store,
                    settings.secret_key,
                    settings.submit_rate,
                    settings.submit_rate_per_address,
                ),
                "code_throttle": CodeThrottle(
                    throttle_store,
                    settings.secret_key,
                    settings.code_attempts,
                    settings.code_window_seconds,
                ),
            }
        ),
        dependencies={"db": Provide(provide_db)},
        guards=[all_guards(access_guard, ids_in_range, submit_rate_guard)],
        stores=stores,
        # The size limit first: no middleware after it reads more than MAX_BODY_BYTES.
        middleware=[
            limit_body_size(MAX_BODY_BYTES),
            strip_nul_bytes,
            session_config(settings).middleware,
        ],
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
        # Level 1: a 20-question page compresses in a third of level 9's time, 300 bytes larger.
        # Images (/media: WebP, already compressed) are sent as they are.
        compression_config=CompressionConfig(
            backend="gzip",
            minimum_size=500,
            gzip_compress_level=1,
            middleware_class=LazyCompressionMiddleware,
            exclude="^/media/",
        ),
        exception_handlers={
            TooFast: too_fast_handler,
            HTTPException: http_exception_handler,
            Exception: internal_error_handler,
        },
        on_shutdown=[broker.stop, on_shutdown],
        openapi_config=openapi_config(),
        # The OpenAPI document is the JSON API's (ResultsApiController opts in), not the pages'.
        include_in_schema=False,
        debug=settings.debug,
    )
    _check_access_rules(app)
    return app


def app_from_env() -> Litestar:
    """Entry point for ``uvicorn --factory`` (each worker builds its own app)."""
    app = create_app(Settings.from_env())
    # What is imported and built by now lives as long as the worker: kept out of the cyclic
    # collector's sight, a full collection no longer walks pandas, matplotlib and the rest
    # (pauses of 100-300 ms, every few seconds under load, were most of the p99).
    gc.freeze()
    return app
