"""Results as files: chart images, exports (CSV, XLSX, Parquet), the report (HTML, PDF).

Chart URLs carry the data version (``v``), so they are cached by the browser until a response
arrives. Exports and the PDF are built in a worker thread (``sync_to_thread=True``).
"""

from typing import Literal

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from sqlmodel import Session

from consult.accounts.audit import EXPORT, REPORT
from consult.web.audit import log_request
from consult.web.results import (
    RESULTS,
    campaign_data,
    query_of,
    series_data,
    suppression_k,
)
from consult.web.results_report import render_report, report_pdf
from consult.web.templating import request_language
from surveys import results as service
from surveys.results_exports import ExportFormat, export_responses, export_summaries

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
    def chart(self, request: Request, db: NamedDependency[Session], slug: str, q: str) -> Response:
        data = campaign_data(request, db, slug)
        return svg_response(service.chart_svg(data, _applied(request, data), q), data.etag)

    @get("/timeline.svg", sync_to_thread=True)
    def timeline(self, request: Request, db: NamedDependency[Session], slug: str) -> Response:
        data = campaign_data(request, db, slug)
        return svg_response(service.timeline_svg(data), data.etag)

    @get("/crosstab.svg", sync_to_thread=True)
    def crosstab_chart(
        self, request: Request, db: NamedDependency[Session], slug: str, row: str, col: str
    ) -> Response:
        data = campaign_data(request, db, slug)
        if service.check_pair(data, row, col):
            raise NotFoundException()
        applied = _applied(request, data)
        chart = service.crosstab_chart_of(data, applied, row, col)
        svg = service.svg_of(data, ("crosstab", applied.key, row, col), chart)
        return svg_response(svg, data.etag)

    @get("/export", sync_to_thread=True)
    def export(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: str,
        format: ExportFormat = "csv",
        public: bool = False,
        separator: Literal[",", ";"] = ",",
    ) -> Response:
        data = campaign_data(request, db, slug)
        k = suppression_k(request) if public else None
        file = export_responses(data, format, k=k, separator=separator)
        log_request(request, db, EXPORT, data, f"{format}{' public' if public else ''}")
        return attachment(file.content, file.filename, file.media_type)

    @get("/summaries.xlsx", sync_to_thread=True)
    def summaries(
        self, request: Request, db: NamedDependency[Session], slug: str, public: bool = False
    ) -> Response:
        data = campaign_data(request, db, slug)
        k = suppression_k(request) if public else None
        file = export_summaries(data, _applied(request, data), k=k)
        return attachment(file.content, file.filename, file.media_type)

    @get("/report", sync_to_thread=True)
    def report(
        self, request: Request, db: NamedDependency[Session], slug: str, public: bool = False
    ) -> Response:
        data = campaign_data(request, db, slug)
        report = service.campaign_report(data, suppression_k(request), public)
        html = render_report(report, request_language(request))
        log_request(request, db, REPORT, data, f"html{' public' if public else ''}")
        return Response(html, media_type="text/html")

    @get("/report.pdf", sync_to_thread=True)
    def report_pdf(
        self, request: Request, db: NamedDependency[Session], slug: str, public: bool = False
    ) -> Response:
        data = campaign_data(request, db, slug)
        report = service.campaign_report(data, suppression_k(request), public)
        pdf = report_pdf(report, request_language(request))
        log_request(request, db, REPORT, data, f"pdf{' public' if public else ''}")
        return attachment(pdf, f"{slug}-report.pdf", "application/pdf")


class WavesFilesController(Controller):
    path = "/series/{series:str}/waves"
    opt = RESULTS

    @get("/chart.svg", sync_to_thread=True)
    def chart(
        self, request: Request, db: NamedDependency[Session], series: str, q: str
    ) -> Response:
        data = series_data(request, db, series)
        if data.codebook.get(q) is None:
            raise NotFoundException()
        applied = _applied(request, data)
        chart = service.waves_chart_of(data, applied, q)
        return svg_response(service.svg_of(data, ("waves", applied.key, q), chart), data.etag)
