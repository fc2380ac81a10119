"""HTML to PDF with WeasyPrint, for the paper questionnaire and, later, the results report.

Stylesheets and images under ``/static/`` are read from the project's own folder; nothing else
is fetched, so rendering a page never reaches the network (nor the server rendering it).
"""

import mimetypes
from urllib.parse import urlsplit

from consult.settings import ROOT

STATIC = (ROOT / "static").resolve()


def _static_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):  # embedded images (charts as PNG data URIs): no network
                return super().fetch(url, headers)
            path = urlsplit(url).path
            if not path.startswith("/static/"):
                raise ValueError(f"only /static/ files are read: {url}")
            target = (STATIC / path.removeprefix("/static/")).resolve()
            if not target.is_relative_to(STATIC) or not target.is_file():
                raise ValueError(f"no such static file: {url}")
            media_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": media_type})

    return StaticFetcher()


def html_to_pdf(html: str, base_url: str) -> bytes:
    """The PDF of a page; ``base_url`` resolves its relative links (``/static/...``)."""
    from weasyprint import HTML  # imported on use: it loads Pango, which takes a moment

    return HTML(string=html, base_url=base_url, url_fetcher=_static_fetcher()).write_pdf()
