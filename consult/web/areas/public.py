"""The public results page ``/p/<slug>`` (no account) and its management page for the
commission's staff (``/campaigns/<slug>/public``: which questions, published or not)."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.i18n import translator
from consult.plenary import public as service
from consult.plenary.messages import by_field
from consult.web.areas.hub import hub_context
from consult.web.areas.polls import _values
from consult.web.areas.results import RESULTS, campaign_data, suppression_k, with_groups
from consult.web.areas.results_files import svg_response
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.templating import request_language
from surveys import results
from surveys.results import ResultsData

PUBLIC_CACHE = {"Cache-Control": "public, max-age=60", "Vary": "Accept-Language, Cookie"}


def published_data(request: Request, db: Session, slug: str) -> ResultsData:
    """The campaign's results, only while its public page is published (404 otherwise)."""
    campaign = results.find_campaign(db, slug)
    if campaign is None or not service.is_published(db, campaign.id):
        raise NotFoundException()
    return with_groups(
        db,
        results.load_results(
            db, [campaign], request_language(request), request.app.state.results_cache
        ),
    )


class PublicController(Controller):
    path = "/p/{slug:str}"
    opt = {"access": Access.PUBLIC}

    @get("", sync_to_thread=True)
    def page(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        data = published_data(request, db, slug)
        view = service.public_view(db, data, suppression_k(request))
        share = f"{str(request.base_url).rstrip('/')}/p/{slug}"
        context = {"user": current_user(request), "view": view, "share_url": share}
        return Template("plenary/public.html", context=context, headers=PUBLIC_CACHE)

    @get("/chart.svg", sync_to_thread=True)
    def chart(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str], q: FromQuery[str]
    ) -> Response:
        data = published_data(request, db, slug)
        svg = service.public_chart(data, db, q, suppression_k(request))
        return svg_response(svg, data.etag)


class PublicAdminController(Controller):
    path = "/campaigns/{slug:str}/public"
    opt = RESULTS

    @get("", sync_to_thread=True)
    def edit(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        data = campaign_data(request, db, slug)
        return Template("plenary/public_edit.html", context=admin_context(request, db, data, {}))

    @post("", sync_to_thread=True, status_code=303)
    def save(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        results_data = campaign_data(request, db, slug)
        published = bool(_values(data, "published") and _values(data, "published")[0])
        problems = service.save_public_page(db, results_data, _values(data, "q"), published)
        if not problems:
            return Redirect(f"/campaigns/{slug}/public?saved=1", status_code=303)
        errors = by_field(problems, translator(request_language(request)).gettext)
        context = admin_context(request, db, results_data, errors)
        return Template("plenary/public_edit.html", context=context, status_code=400)


def admin_context(request: Request, db: Session, data: ResultsData, errors: dict) -> dict:
    campaign_id = data.campaign.id
    chosen = service.chosen_questions(db, campaign_id)
    return {
        "user": current_user(request),
        "campaign": data.campaign,
        "questions": service.choosable(data, chosen),
        "published": service.is_published(db, campaign_id),
        "public_url": f"{str(request.base_url).rstrip('/')}/p/{data.campaign.slug}",
        "saved": request.query_params.get("saved") == "1",
        "errors": errors,
    } | hub_context(db, data.campaign, "public")
