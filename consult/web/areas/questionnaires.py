"""Questionnaires: the list, creating one (blank, from a model, from a file, as a copy),
publishing, the version history and downloads. The editor itself is ``designer.py``.

A member sees and changes only their commissions' questionnaires (403 otherwise).
"""

import asyncio
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Response, Template
from sqlmodel import Session

from consult.accounts.services import CurrentUser, visible_commissions
from consult.web.plumbing import offload
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.htmx import page_or_fragment
from consult.web.plumbing.templating import request_language
from surveys import questionnaires as service
from surveys.document import to_json
from surveys.library import list_templates
from surveys.messages import render
from surveys.models import Questionnaire
from surveys.problems import Problem, ProblemsError
from surveys.reading import read_upload
from surveys.xlsform_export import export_xlsform

DESIGN = {"access": Access.DESIGN}
FLASH_KEY = "designer_flash"


@dataclass
class CreateForm:
    commission_id: int
    title: str = ""
    template: str = ""


@dataclass
class UploadForm:
    commission_id: int = 0
    file: UploadFile | None = None


def load_questionnaire(db: Session, request: Request, questionnaire_id: int) -> Questionnaire:
    """The questionnaire if this user may see it: 404 when there is none, 403 when not theirs."""
    questionnaire = service.get_questionnaire(db, questionnaire_id)
    if questionnaire is None:
        raise NotFoundException()
    if not current_user(request).sees_commission(questionnaire.commission_id):
        raise PermissionDeniedException()
    return questionnaire


def check_commission(user: CurrentUser, commission_id: int) -> None:
    if not user.sees_commission(commission_id):
        raise PermissionDeniedException()


def max_questions(request: Request) -> int:
    """Questions one questionnaire may hold (CONSULT_MAX_QUESTIONS)."""
    return request.app.state.settings.max_questions


def rendered(problems: list[Problem], lang: str) -> list[str]:
    return [render(p, lang) for p in problems]


def flash_warnings(request: Request, questionnaire_id: int, warnings: list[Problem]) -> None:
    """Warnings of an import, shown once on the editor after the redirect."""
    stored = [[w.code, w.where, w.params] for w in warnings]
    request.set_session(
        {**request.session, FLASH_KEY: {"questionnaire": questionnaire_id, "warnings": stored}}
    )


def take_flash(request: Request, questionnaire_id: int) -> list[Problem]:
    flash = request.session.get(FLASH_KEY) if request.session else None
    if not flash or flash.get("questionnaire") != questionnaire_id:
        return []
    request.set_session({k: v for k, v in request.session.items() if k != FLASH_KEY})
    return [Problem(code, where, **params) for code, where, params in flash["warnings"]]


def list_context(db: Session, request: Request, **extra: Any) -> dict[str, Any]:
    user = current_user(request)
    commissions = visible_commissions(db, user)
    summaries = service.list_questionnaires(
        db, None if user.is_coordinator else list(user.commission_ids)
    )
    return {
        "user": user,
        "commissions": commissions,
        "by_commission": {
            c.id: [s for s in summaries if s.commission_id == c.id] for c in commissions
        },
        "templates": list_templates(),
        "lang": request_language(request),
        **extra,
    }


class QuestionnaireController(Controller):
    path = "/questionnaires"

    @get("/", opt=DESIGN, sync_to_thread=True)
    def index(self, request: Request, db: NamedDependency[Session]) -> Template:
        return page_or_fragment(
            request,
            "questionnaires/index.html",
            "questionnaires/_list.html",
            list_context(db, request),
        )

    @post("/", opt=DESIGN, sync_to_thread=True)
    def create(
        self, request: Request, db: NamedDependency[Session], data: URLEncodedBody[CreateForm]
    ) -> Template | Redirect:
        check_commission(current_user(request), data.commission_id)
        if not data.title.strip():
            context = list_context(
                db, request, create_error="title", create_commission=data.commission_id
            )
            return Template("questionnaires/index.html", context=context, status_code=400)
        questionnaire = service.create_blank(db, data.commission_id, data.title)
        return Redirect(f"/questionnaires/{questionnaire.id}", status_code=303)

    @post("/from-template", opt=DESIGN, sync_to_thread=True)
    def from_template(
        self, request: Request, db: NamedDependency[Session], data: URLEncodedBody[CreateForm]
    ) -> Redirect:
        check_commission(current_user(request), data.commission_id)
        try:
            questionnaire = service.create_from_template(db, data.commission_id, data.template)
        except KeyError:
            raise NotFoundException() from None
        return Redirect(f"/questionnaires/{questionnaire.id}", status_code=303)

    @post("/import", opt=DESIGN)
    async def upload(
        self,
        request: Request,
        data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        # Async: the file is parsed in a child process with a deadline (consult.web.plumbing.offload),
        # awaited without holding a thread; only the database work below takes one.
        check_commission(current_user(request), data.commission_id)
        lang = request_language(request)
        if data.file is None or not data.file.filename:
            read = None, [Problem("X_NOT_A_WORKBOOK", "file")], [], []
        else:
            read = await parse_upload(request, await data.file.read(), data.file.filename, lang)
        return await asyncio.to_thread(_save_upload, request, data.commission_id, read, lang)

    @post("/{questionnaire_id:int}/duplicate", opt=DESIGN, sync_to_thread=True)
    def duplicate(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Redirect:
        questionnaire = load_questionnaire(db, request, questionnaire_id)
        try:
            copy = service.duplicate_questionnaire(
                db, questionnaire_id, max_questions=max_questions(request)
            )
        except ProblemsError as refused:
            from consult.web.areas.designer import refused_edit  # the editor imports this module

            return refused_edit(request, db, questionnaire, refused.problems)
        return Redirect(f"/questionnaires/{copy.id}", status_code=303)

    @get("/{questionnaire_id:int}/versions", opt=DESIGN, sync_to_thread=True)
    def versions(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Template:
        questionnaire = load_questionnaire(db, request, questionnaire_id)
        context = {
            "user": current_user(request),
            "questionnaire": questionnaire,
            "history": service.version_history(db, questionnaire_id),
        }
        return page_or_fragment(
            request, "questionnaires/versions.html", "questionnaires/_versions.html", context
        )

    @get("/{questionnaire_id:int}/export.json", opt=DESIGN, sync_to_thread=True)
    def export_json(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Response:
        load_questionnaire(db, request, questionnaire_id)
        document = service.document_of(service.latest_version(db, questionnaire_id))
        return _download(to_json(document).encode(), "application/json", questionnaire_id, "json")

    @get("/{questionnaire_id:int}/export.xlsx", opt=DESIGN, sync_to_thread=True)
    def export_xlsx(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Response:
        load_questionnaire(db, request, questionnaire_id)
        document = service.document_of(service.latest_version(db, questionnaire_id))
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(export_xlsform(document), media, questionnaire_id, "xlsx")


async def parse_upload(request: Request, content: bytes, filename: str, lang: str) -> tuple:
    """(document or None, problems, warnings, images) of an uploaded file, read in a child
    process that is killed past its deadline or memory ceiling (coded problems then)."""
    limit = max_questions(request)
    try:
        return await offload.run_limited(
            read_upload, content, filename, lang, limit, seconds=offload.SECONDS
        )
    except offload.TooLong:
        return None, [Problem("U_TOO_LONG", "file", seconds=int(offload.SECONDS))], [], []
    except offload.TooBig:
        return None, [Problem("U_TOO_BIG", "file")], [], []


def _save_upload(request: Request, commission_id: int, read: tuple, lang: str):
    with Session(request.app.state.engine) as db:
        created = service.create_from_read(db, commission_id, read, max_questions(request))
        if created.questionnaire is not None:
            flash_warnings(request, created.questionnaire.id, created.warnings)
            return Redirect(f"/questionnaires/{created.questionnaire.id}", status_code=303)
        context = list_context(
            db,
            request,
            import_problems=rendered(created.problems, lang),
            import_commission=commission_id,
        )
        return Template("questionnaires/index.html", context=context, status_code=400)


def _download(content: bytes, media_type: str, questionnaire_id: int, suffix: str) -> Response:
    name = f"questionnaire-{questionnaire_id}.{suffix}"
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
