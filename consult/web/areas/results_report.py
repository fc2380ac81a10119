"""The campaign report as a standalone HTML document (printable) and as PDF (WeasyPrint).

Rendered outside Litestar's template engine so that the command line produces the very same
document as the web page.
"""

from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape

from consult.i18n import translator
from consult.settings import ROOT
from consult.web.plumbing.pdf import _static_fetcher, load_weasyprint
from surveys.results import Report
from surveys.results.weighting import weighting_facts

STYLESHEET = "/static/css/results-report.css"
BASE_URL = "http://consult.local/"  # only resolves /static/ links; nothing is fetched


@cache
def _environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(ROOT / "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translator(lang), newstyle=True)
    return env


def render_report(report: Report, lang: str) -> str:
    template = _environment(lang).get_template("results/report.html")
    return template.render(
        report=report,
        lang=lang,
        stylesheet=STYLESHEET,
        weighting=weighting_facts(report.weighting, lang) if report.weighting else None,
    )


def _report_fetcher():
    """/static/ files through the shared PDF fetcher, plus the charts embedded as data: URIs
    (SVG: vector, and cheaper to make and to lay out than a PNG at print resolution)."""
    from weasyprint.urls import URLFetcher

    static = _static_fetcher()

    class ReportFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(("data:image/png;base64,", "data:image/svg+xml;base64,")):
                return super().fetch(url, headers)
            return static.fetch(url, headers)

    return ReportFetcher()


def report_pdf(report: Report, lang: str) -> bytes:
    """The report as PDF (consult.web.plumbing.pdf's fetcher reads only /static/, so the charts'
    data: URIs need this fetcher)."""
    html = render_report(report, lang)
    return (
        load_weasyprint()
        .HTML(string=html, base_url=BASE_URL, url_fetcher=_report_fetcher())
        .write_pdf()
    )
