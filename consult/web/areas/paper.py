"""The printable paper version of a questionnaire, as a page and as a PDF."""

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template
from sqlmodel import Session

from consult.web.areas.questionnaires import load_questionnaire
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.pdf import html_to_pdf
from consult.web.plumbing.templating import request_language
from surveys import paper
from surveys import questionnaires as service
from surveys.document import text
from surveys.types import REGISTRY, effective_choices

DESIGN = {"access": Access.DESIGN}
PAGE = "questionnaires/paper.html"


def paper_context(db: Session, request: Request, questionnaire_id: int) -> dict[str, Any]:
    questionnaire = load_questionnaire(db, request, questionnaire_id)
    version = service.latest_version(db, questionnaire_id)
    document = service.document_of(version)
    lang = request_language(request)
    lang = lang if lang in document.languages else document.default_language
    numbering = paper.numbers(document)

    def described(items) -> dict:
        return {i.name: paper.describe(document, i.relevant, numbering, lang) for i in items}

    return {
        "request": request,
        "user": current_user(request),
        "questionnaire": questionnaire,
        "version": version,
        "document": document,
        "doc_lang": lang,
        "numbers": numbering,
        "conditions": described(document.questions()),
        "section_conditions": described(document.sections),
        "layout": paper.layout,
        "writing_lines": paper.writing_lines,
        "registry": REGISTRY,
        "choices_of": effective_choices,
        "t": lambda labels: text(labels, lang, document.default_language),
    }


class PaperController(Controller):
    path = "/questionnaires/{questionnaire_id:int}"

    @get("/paper", opt=DESIGN, sync_to_thread=True)
    def paper_page(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Template:
        return Template(PAGE, context=paper_context(db, request, questionnaire_id))

    @get("/paper.pdf", opt=DESIGN, sync_to_thread=True)
    def paper_pdf(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Response:
        context = {**paper_context(db, request, questionnaire_id), "for_pdf": True}
        html = request.app.template_engine.get_template(PAGE).render(**context)
        pdf = html_to_pdf(html, str(request.base_url))
        name = f"questionnaire-{questionnaire_id}-papier.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"'},
        )
