"""Results as files: chart images, exports (CSV, XLSX, Parquet), the report (HTML, PDF).

Chart URLs carry the data version (``v``), so they are cached by the browser until a response
arrives. Exports and the PDF are built in a worker thread (``sync_to_thread=True``).
"""

from typing import Literal

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlmodel import Session

from consult.accounts.audit import EXPORT, REPORT
from consult.web.areas.audit import log_request
from consult.web.areas.results import (
    RESULTS,
    campaign_data,
    check_access,
    query_of,
    suppression_k,
    wave_selection,
)
from consult.web.areas.results_report import render_report, report_pdf
from consult.web.plumbing.access import current_user
from consult.web.plumbing.templating import request_language
from surveys import results as service
from surveys.campaigns import series_owner
from surveys.messages import render
from surveys.problems import Problem
from surveys.results.weighting import series_weighting_of, weighting_of, weights_key
from surveys.results_exports import (
    ExportFormat,
    export_crosstab,
    export_responses,
    export_summaries,
)

CHART_CACHE = "private, max-age=86400"
SVG = "image/svg+xml"


def svg_response(content: bytes | None, etag: str) -> Response:
    if content is None:
        raise NotFoundException()
    return Response(
        content,
        media_type=SVG,
        headers={"Cache-Control": CHART_CACHE, "ETag": f'"{etag}"'},
    )


def attachment(content: bytes, filename: str, media_type: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _applied(request: Request, data):
    return service.filter_results(data, service.filter_query(query_of(request)))


class ResultsFilesController(Controller):
    path = "/campaigns/{slug:str}/results"
    opt = RESULTS

    @get("/chart.svg", sync_to_thread=True)
    def chart(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str], q: FromQuery[str]
    ) -> Response:
        data = campaign_data(request, db, slug)
        weighting = None
        if request.query_params.get("weighted") == "1":
            weighting, _problems = weighting_of(db, data)
        weights = weighting.weights if weighting else None
        svg = service.chart_svg(data, _applied(request, data), q, weights=weights)
        return svg_response(svg, data.etag + weights_key(weights))

    @get("/timeline.svg", sync_to_thread=True)
    def timeline(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Response:
        data = campaign_data(request, db, slug)
        return svg_response(service.timeline_svg(data), data.etag)

    @get("/crosstab.svg", sync_to_thread=True)
    def crosstab_chart(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        row: FromQuery[str],
        col: FromQuery[str],
    ) -> Response:
        data = campaign_data(request, db, slug)
        if service.check_pair(data, row, col):
            raise NotFoundException()
        applied = _applied(request, data)
        weighting = None
        if request.query_params.get("weighted") == "1":
            weighting, _problems = weighting_of(db, data)
        weights = weighting.weights if weighting else None
        chart = service.crosstab_chart_of(data, applied, row, col, weights=weights)
        key = ("crosstab", applied.key, row, col, weights_key(weights))
        svg = service.svg_of(data, key, chart)
        return svg_response(svg, data.etag + weights_key(weights))

    @get("/crosstab/export", sync_to_thread=True)
    def crosstab_export(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        row: FromQuery[str],
        col: FromQuery[str],
        format: FromQuery[Literal["csv", "xlsx"]] = "csv",
        separator: FromQuery[Literal[",", ";"]] = ",",
    ) -> Response:
        """The cross-tab of the view as CSV or Excel, naming the filter it was built with."""
        data = campaign_data(request, db, slug)
        if service.check_pair(data, row, col):
            raise NotFoundException()
        file = export_crosstab(data, _applied(request, data), row, col, format, separator=separator)
        log_request(request, db, EXPORT, data, f"crosstab {format}")
        return attachment(file.content, file.filename, file.media_type)

    @get("/export", sync_to_thread=True)
    def export(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        format: FromQuery[ExportFormat] = "csv",
        public: FromQuery[bool] = False,
        separator: FromQuery[Literal[",", ";"]] = ",",
        labels: FromQuery[bool] = False,
    ) -> Response | Template:
        data = campaign_data(request, db, slug)
        if public:
            # Row-level data never leaves the commission: point to the public summaries.
            context = {"user": current_user(request), "slug": slug}
            return Template("results/no_public_rows.html", context=context, status_code=410)
        applied = _applied(request, data)
        file = export_responses(data, format, separator=separator, labels=labels, applied=applied)
        log_request(request, db, EXPORT, data, format)
        return attachment(file.content, file.filename, file.media_type)

    @get("/summaries.xlsx", sync_to_thread=True)
    def summaries(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        public: FromQuery[bool] = False,
    ) -> Response:
        data = campaign_data(request, db, slug)
        k = suppression_k(request) if public else None
        file = export_summaries(data, _applied(request, data), k=k)
        log_request(request, db, EXPORT, data, f"summaries{' public' if public else ''}")
        return attachment(file.content, file.filename, file.media_type)

    @get("/report", sync_to_thread=True)
    def report(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        public: FromQuery[bool] = False,
    ) -> Response:
        made = _report(request, db, slug, public, "html")
        if isinstance(made, Response):
            return made
        return Response(render_report(made, request_language(request)), media_type="text/html")

    @get("/report.pdf", sync_to_thread=True)
    def report_pdf(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        public: FromQuery[bool] = False,
    ) -> Response:
        made = _report(request, db, slug, public, "pdf")
        if isinstance(made, Response):
            return made
        pdf = report_pdf(made, request_language(request))
        return attachment(pdf, f"{slug}-report.pdf", "application/pdf")


def _report(request: Request, db: Session, slug: str, public: bool, kind: str):
    """The report of the view (its filter, its weights), logged as read; or the refusal."""
    data = campaign_data(request, db, slug)
    applied = _applied(request, data)
    weighting = _report_weighting(request, db, data, public)
    if isinstance(weighting, Response):
        return weighting
    report = service.campaign_report(data, suppression_k(request), public, applied, weighting)
    log_request(request, db, REPORT, data, f"{kind}{_report_kind(public, weighting)}")
    return report


def _report_weighting(request: Request, db: Session, data, public: bool):
    """The weights a report asked for with ``weighted=1``, None when not asked, or a 400
    answer saying why there are none (a public report is never weighted)."""
    if request.query_params.get("weighted") != "1":
        return None
    lang = request_language(request)
    problems = [Problem("P_PUBLIC_NOT_WEIGHTED")] if public else []
    weighting = None
    if not public:
        weighting, problems = weighting_of(db, data)
    if weighting is None:
        text = "\n".join(render(p, lang) for p in problems)
        return Response(text, media_type="text/plain; charset=utf-8", status_code=400)
    return weighting


def _report_kind(public: bool, weighting) -> str:
    return " public" if public else (" weighted" if weighting is not None else "")


class WavesFilesController(Controller):
    path = "/series/{series:str}/waves"
    opt = RESULTS

    @get("/chart.svg", sync_to_thread=True)
    def chart(
        self,
        request: Request,
        db: NamedDependency[Session],
        series: FromPath[str],
        q: FromQuery[str],
    ) -> Response:
        campaigns = service.find_series(db, series, series_owner(db, series))
        check_access(current_user(request), campaigns)
        data = wave_selection(request, db, campaigns)[0]
        if data is None or data.codebook.get(q) is None:
            raise NotFoundException()
        applied = _applied(request, data)
        weighting = None
        if request.query_params.get("weighted") == "1":
            weighting, _problems = series_weighting_of(db, data)
        weights = weighting.weights if weighting else None
        chart = service.waves_chart_of(data, applied, q, weights=weights)
        key = ("waves", applied.key, q, weights_key(weights))
        return svg_response(service.svg_of(data, key, chart), data.etag + weights_key(weights))
