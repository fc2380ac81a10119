"""One URL, one page: htmx gets the fragment, everyone else (boosted requests too) the page."""

from typing import Any

from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template


def page_or_fragment(
    request: HTMXRequest, page: str, fragment: str, context: dict[str, Any]
) -> Template:
    wants_fragment = bool(request.htmx) and not request.htmx.boosted
    return Template(
        template_name=fragment if wants_fragment else page,
        context=context,
        headers={"Vary": "HX-Request"},
    )
