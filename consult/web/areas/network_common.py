"""Helpers shared by the network's controllers: form values, messages, printing."""

from typing import Any

from litestar import Request
from litestar.response import Response

from consult.i18n import translator
from consult.network.messages import render
from consult.web.plumbing.pdf import html_to_pdf
from consult.web.plumbing.templating import request_language
from surveys.problems import Problem


def strs(form: dict[str, Any], name: str) -> list[str]:
    """A form value that may be repeated (checkboxes, table rows), always as a list."""
    value = form.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def one(form: dict[str, Any], name: str) -> str:
    values = strs(form, name)
    return values[0] if values else ""


def ints(form: dict[str, Any], name: str) -> list[int]:
    return [int(v) for v in strs(form, name) if v.strip().isdigit()]


def optional_int(value: str) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def problem_messages(request: Request, problems: tuple[Problem, ...]) -> dict[str, list[str]]:
    """Messages in the visitor's language, grouped by field name."""
    gettext = translator(request_language(request)).gettext
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        grouped.setdefault(problem.where, []).append(render(problem, gettext))
    return grouped


def render_template(request: Request, name: str, context: dict[str, Any]) -> str:
    template = request.app.template_engine.get_template(name)
    return template.render(request=request, **context)


def pdf_response(request: Request, name: str, context: dict[str, Any], filename: str) -> Response:
    html = render_template(request, name, context)
    return Response(
        html_to_pdf(html, str(request.base_url)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
