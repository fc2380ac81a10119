"""The phone preview is the respondent's own pages in test mode.

The designer's preview walks the latest version (draft or published) with the respondent's
templates and the respondent's logic (``surveys.capture``: pages, conditions, validation),
so conditions are live and every question is answered as on a phone. Nothing is stored in
the database: the answers live in the designer's session until "Start again".
``DesignerPreviewController`` serves these pages under the editor's path.
"""

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.web.areas import respond
from consult.web.areas.questionnaires import load_questionnaire
from consult.web.areas.respond import Visit
from consult.web.plumbing.access import Access
from consult.web.plumbing.templating import request_language
from surveys import capture
from surveys import questionnaires as service
from surveys.answers import relevance
from surveys.document import Document, text
from surveys.models import Campaign, QuestionnaireVersion

PREVIEW_KEY = "designer_preview"
DESIGN = {"access": Access.DESIGN}


@dataclass
class PreviewVisit(Visit):
    """A visit whose pages live under the designer's preview instead of /r/<slug>."""

    preview_base: str = ""

    @property
    def base(self) -> str:
        return self.preview_base


def stored_answers(request: Request, questionnaire_id: int, version_id: int) -> dict:
    kept = (request.session or {}).get(PREVIEW_KEY) or {}
    if kept.get("questionnaire") != questionnaire_id or kept.get("version") != version_id:
        return {}
    return dict(kept.get("answers") or {})


def store_answers(request: Request, questionnaire_id: int, version_id: int, answers: dict) -> None:
    kept = {"questionnaire": questionnaire_id, "version": version_id, "answers": answers}
    request.set_session({**(request.session or {}), PREVIEW_KEY: kept})


def reset(request: Request) -> None:
    request.set_session({k: v for k, v in (request.session or {}).items() if k != PREVIEW_KEY})


def preview_visit(
    request: Request, questionnaire_id: int, version: QuestionnaireVersion, document: Document
) -> PreviewVisit:
    now = datetime.now(UTC)
    lang = request_language(request)
    campaign = Campaign(
        id=0, slug="preview", version_id=version.id, anonymous=True,
        name=text(document.title, lang, document.default_language),
    )  # fmt: skip
    answers = stored_answers(request, questionnaire_id, version.id)
    draft = capture.Draft(
        **{f.name: None for f in fields(capture.Draft)}  # fields added later stay empty
        | {"id": 0, "campaign_id": 0, "token": "preview", "answers": answers, "completed": False}
        | {"page": "", "channel": "test", "started_at": now}
    )
    return PreviewVisit(
        campaign=campaign, document=document, lang=lang, kiosk=False, draft=draft, now=now,
        test=True, preview_base=f"/questionnaires/{questionnaire_id}/preview",
    )  # fmt: skip


# --- the preview's pages --------------------------------------------------------------


def _preview(request: Request, db: Session, questionnaire_id: int, section: str | None = None):
    questionnaire = load_questionnaire(db, request, questionnaire_id)
    version = service.latest_version(db, questionnaire_id)
    document = service.document_of(version)
    if not document.sections or (section and not any(s.name == section for s in document.sections)):
        raise NotFoundException()
    return questionnaire, preview_visit(request, questionnaire_id, version, document)


def _lists(data: dict[str, Any]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [str(v)] for k, v in data.items()}


def _preview_page(name: str, questionnaire, visit, status_code: int = 200, **context) -> Template:
    template = (
        f"respond/{name}.html" if name == "_questions" else f"questionnaires/preview_{name}.html"
    )
    context = {"v": visit, "lang": visit.lang, "questionnaire": questionnaire, **context}
    return Template(template, context=context, status_code=status_code, headers=respond.NO_STORE)


class DesignerPreviewController(Controller):
    """The preview's routes, under the editor's own path."""

    path = "/questionnaires/{questionnaire_id:int}"

    @get("/preview", opt=DESIGN, sync_to_thread=True)
    def preview(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Redirect:
        """The phone preview: the respondent's first page, in test mode."""
        _, visit = _preview(request, db, questionnaire_id)
        visible = capture.visible_sections(visit.document, visit.draft.answers)
        first = visible[0].name if visible else visit.document.sections[0].name
        return Redirect(f"{visit.base}/s/{first}", status_code=303)

    @get("/preview/s/{section:str}", opt=DESIGN, sync_to_thread=True)
    def preview_section(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        section: FromPath[str],
    ) -> Template:  # fmt: skip
        questionnaire, visit = _preview(request, db, questionnaire_id, section)
        context = respond.section_context(visit, section)
        return _preview_page("section", questionnaire, visit, **context)

    @post("/preview/s/{section:str}", opt=DESIGN, sync_to_thread=True)
    def preview_save(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        section: FromPath[str], data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:  # fmt: skip
        questionnaire, visit = _preview(request, db, questionnaire_id, section)
        form = _lists(data)
        checked = respond._merge_page(visit, section, form)
        store_answers(request, questionnaire_id, visit.campaign.version_id, visit.draft.answers)
        state = relevance(visit.document, visit.draft.answers)
        appeared, problems = respond.to_show_again(visit, section, form, checked, state)
        if (appeared or problems) and "back" not in form:
            context = respond.section_context(visit, section, form, problems, appeared)
            return _preview_page(
                "section", questionnaire, visit, 400 if problems else 200, **context
            )
        return Redirect(respond._after(visit, section, form, state), status_code=303)

    @post("/preview/s/{section:str}/refresh", opt=DESIGN, sync_to_thread=True)
    def preview_refresh(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        section: FromPath[str], data: URLEncodedBody[dict[str, Any]],
    ) -> Template:  # fmt: skip
        questionnaire, visit = _preview(request, db, questionnaire_id, section)
        form = _lists(data)
        respond._merge_page(visit, section, form)
        store_answers(request, questionnaire_id, visit.campaign.version_id, visit.draft.answers)
        context = respond.section_context(visit, section, form)
        return _preview_page("_questions", questionnaire, visit, **context)

    @get("/preview/review", opt=DESIGN, sync_to_thread=True)
    def preview_review(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Template:
        questionnaire, visit = _preview(request, db, questionnaire_id)
        state = relevance(visit.document, visit.draft.answers)
        sections = capture.visible_sections(visit.document, visit.draft.answers, state)
        return _preview_page(
            "review", questionnaire, visit, sections=sections, state=state, answers=state.answers
        )

    @post("/preview/submit", opt=DESIGN, sync_to_thread=True)
    def preview_submit(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        questionnaire, visit = _preview(request, db, questionnaire_id)
        result, answers = capture.check_submission(visit.document, visit.draft)
        if answers is None:
            return Redirect(f"{visit.base}/s/{result.section}", status_code=303)
        return _preview_page("done", questionnaire, visit)

    @post("/preview/reset", opt=DESIGN, sync_to_thread=True)
    def preview_reset(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Redirect:
        load_questionnaire(db, request, questionnaire_id)
        reset(request)
        return Redirect(f"/questionnaires/{questionnaire_id}/preview", status_code=303)
