"""HTML to PDF with WeasyPrint, for the paper questionnaire and, later, the results report.

Stylesheets and images under ``/static/`` are read from the project's own folder; nothing else
is fetched, so rendering a page never reaches the network (nor the server rendering it).
"""

import mimetypes
import sys
import threading
from types import ModuleType
from urllib.parse import urlsplit

from consult.settings import ROOT
from consult.web.plumbing.pdf_svg_text import install as install_svg_text

STATIC = (ROOT / "static").resolve()
_IMPORTING = threading.Lock()
_loaded: ModuleType | None = None  # set once the import and the SVG text patch are done


def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported on first use (it loads Pango, which takes a moment).

    Its import opens Pango, HarfBuzz and fontconfig by trying several names for each; for
    every name that is not a file, cffi asks ``ctypes.util.find_library``, which on Linux
    runs ldconfig, gcc and ld: some fifty processes and ~0.7 s of CPU before the first PDF.
    Each list of names holds the library's own file name (``libpango-1.0.so.0``, its
    ``.dylib``, its ``.dll``), which the dynamic loader finds by itself, so the search is
    skipped during the import; should that leave a library out, the import is run again
    with the search. Its SVG text is then drawn a run at a time (:mod:`.pdf_svg_text`).

    Not ``sys.modules``: a module is there from the start of its import, half-made for the
    other threads, which must wait for the one importing it."""
    global _loaded
    if _loaded is not None:
        return _loaded
    import ctypes.util

    with _IMPORTING:
        if _loaded is not None:
            return _loaded
        search = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint
        except OSError:
            ctypes.util.find_library = search
            for name in [m for m in sys.modules if m.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
            import weasyprint
        finally:
            ctypes.util.find_library = search
        install_svg_text(weasyprint)
        _loaded = weasyprint
    return weasyprint


def _static_fetcher():
    load_weasyprint()
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
    html_class = load_weasyprint().HTML
    return html_class(string=html, base_url=base_url, url_fetcher=_static_fetcher()).write_pdf()
