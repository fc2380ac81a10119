"""Representativeness: the fieldwork monitor (who answered against who lives there) and the
population margins it compares with, at ``/campaigns/<slug>/population``."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from analysis.charts import to_svg
from analysis.i18n import N_
from analysis.representation import representation_chart
from consult.i18n import translator
from consult.web.areas.results import RESULTS, campaign_data
from consult.web.areas.results_files import svg_response
from consult.web.plumbing.access import ALLOWED_ROLES, Access, current_user
from consult.web.plumbing.templating import request_language
from surveys import population as service
from surveys.messages import render
from surveys.models import Campaign
from surveys.results import ResultsData

THRESHOLD = service.DEFAULT_THRESHOLD
EDIT = {"access": Access.DESIGN}


class PopulationController(Controller):
    path = "/campaigns/{slug:str}/population"
    opt = RESULTS

    @get("", sync_to_thread=True)
    def page(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        data = campaign_data(request, db, slug)
        population = service.population_of(db, data.campaign.id)
        text = service.margins_csv(population.margins) if population else ""
        return Template("population/page.html", context=_context(request, data, population, text))

    @post("", sync_to_thread=True, status_code=303, opt=EDIT)
    def save(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        results = campaign_data(request, db, slug)
        typed = str(data.get("margins", ""))
        year = str(data.get("year", "")).strip()
        population = service.Population(
            source=str(data.get("source", "")).strip()[:300],
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            illustrative=bool(data.get("illustrative")),
        )
        lines: service.Lines = {}
        population.margins, problems = service.parse_margins_csv(typed.encode(), lines)
        if not problems:
            _c, _r, problems = service.margin_columns(
                results.frame, results.codebook, population.margins, lines
            )
        if problems:
            lang = request_language(request)
            errors = [render(problem, lang) for problem in problems]
            context = _context(request, results, population, typed, errors=errors)
            return Template("population/page.html", context=context, status_code=400)
        campaign = db.get(Campaign, results.campaign.id)
        targets = service.series_campaign_ids(db, campaign) if data.get("series") else [campaign.id]
        for campaign_id in targets:
            service.save_population(db, campaign_id, population)
        db.commit()
        return Redirect(f"/campaigns/{slug}/population?saved=1", status_code=303)

    @get("/chart.svg", sync_to_thread=True)
    def chart(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        variable: FromQuery[str],
    ) -> Response:
        data = campaign_data(request, db, slug)
        population = service.population_of(db, data.campaign.id)
        if population is None:
            raise NotFoundException()
        views, _channels, _problems = service.monitor_view(
            data.frame, data.codebook, population, THRESHOLD
        )
        view = next((v for v in views if v.name == variable), None)
        if view is None:
            raise NotFoundException()
        rows = service.rows_frame(view)
        svg = to_svg(representation_chart(rows, view.title, request_language(request)))
        return svg_response(svg, f"{data.etag}-{hash(service.margins_csv(population.margins))}")


def _context(
    request: Request,
    data: ResultsData,
    population: service.Population | None,
    text: str,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    user = current_user(request)
    variables, channels, problems = [], None, []
    if population and population.margins and not errors:
        variables, channels, problems = service.monitor_view(
            data.frame, data.codebook, population, THRESHOLD
        )
    lang = request_language(request)
    return {
        "user": user,
        "campaign": data.campaign,
        "population": population,
        "variables": variables,
        "channels": service.channel_table(channels, variables) if channels is not None else None,
        "warnings": [render(p, lang) for p in problems],
        "errors": errors or [],
        "margins_text": text,
        "threshold": THRESHOLD,
        "can_edit": user is not None and user.role in ALLOWED_ROLES[Access.DESIGN],
        "saved": request.query_params.get("saved") == "1",
        "etag": data.etag,
        "channel_labels": _channel_labels(request, data),
    }


CHANNELS = {"web": N_("Public link"), "paper": N_("Paper"), "kiosk": N_("Kiosk")}


def _channel_labels(request: Request, data: ResultsData) -> dict[str, str]:
    """Channels in words: the public link, paper, kiosk, and each partner's own link."""
    gettext = translator(request_language(request)).gettext
    labels = {key: gettext(text) for key, text in CHANNELS.items()}
    for channel in data.frame["channel"].dropna().unique() if "channel" in data.frame else []:
        if str(channel).startswith("partner:"):
            labels[str(channel)] = gettext("Partner link: {code}").format(
                code=str(channel).removeprefix("partner:")
            )
    return labels
