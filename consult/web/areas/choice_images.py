"""Images of a question's choices (easy-read): the designer's upload page and the files.

A commission member gives each choice of a single or multiple choice an image and its
description per language (alternative text, required). The upload is decoded and re-encoded
in a child process with a deadline (``consult.web.plumbing.offload``, ``surveys.images``), kept
in the database by its SHA-256 (``surveys.image_store``) and served from ``/media/<sha>.webp``:
to staff only until a published version uses it, then to anyone, cached for a year (the
address changes with the picture). A refused form keeps everything typed, the image included:
a picture that was read but lacks its description waits as ``pending`` in the form.
"""

import asyncio
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath
from litestar.response import Redirect, Response, Template
from sqlmodel import Session

from consult.web.areas.questionnaires import load_questionnaire
from consult.web.plumbing import offload
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.templating import request_language
from surveys import image_store, images, xlsform_media
from surveys import questionnaires as service
from surveys.document import IMAGE_KEY, Question, text
from surveys.messages import render
from surveys.problems import Problem
from surveys.xlsform_export import export_xlsform

DESIGN = {"access": Access.DESIGN}
PUBLIC = {"access": Access.PUBLIC}
IMAGE_TYPES = ("single_choice", "multiple_choice")
SECONDS = 10.0  # decoding a 36-megapixel PNG takes about 1 s
YEAR = 365 * 24 * 3600
Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def _question(db: Session, request: Request, questionnaire_id: int, name: str):
    """The questionnaire (403 outside the user's commissions), its latest document and the
    question, when it is one whose choices may carry images (404 otherwise)."""
    questionnaire = load_questionnaire(db, request, questionnaire_id)
    document = service.document_of(service.latest_version(db, questionnaire_id))
    if not document.has_question(name) or document.question(name).type not in IMAGE_TYPES:
        raise NotFoundException()
    return questionnaire, document, document.question(name)


def images_url(questionnaire_id: int, name: str) -> str:
    return f"/questionnaires/{questionnaire_id}/questions/{name}/images"


def _page(
    request: Request, db: Session, questionnaire_id: int, name: str,
    kept: dict[str, dict] | None = None, status_code: int = 200,
) -> Template:  # fmt: skip
    questionnaire, document, question = _question(db, request, questionnaire_id, name)
    lang = request_language(request)
    doc_lang = lang if lang in document.languages else document.default_language
    kept = kept or {}
    summary = [
        (field_id, text(c.label, doc_lang, document.default_language) or c.value, message)
        for c in question.choices
        for field_id, message in kept.get(c.value, {}).get("summary", [])
    ]
    context = {
        "user": current_user(request),
        "questionnaire": questionnaire,
        "document": document,
        "question": question,
        "doc_lang": doc_lang,
        "t": lambda labels: text(labels, doc_lang, document.default_language),
        "base": images_url(questionnaire_id, name),
        "kept": kept,
        "summary": summary,
        "max_mb": images.MAX_BYTES // (1024 * 1024),
    }
    return Template("questionnaires/choice_images.html", context=context, status_code=status_code)


def _choice_index(question: Question, value: str) -> int:
    for index, choice in enumerate(question.choices, start=1):
        if choice.value == value:
            return index
    raise NotFoundException()


async def _read_upload(upload: Any) -> tuple[images.Prepared | None, Problem | None]:
    """The re-encoded image of the form's file (None, None when no file was chosen)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None, None
    content = await upload.read()
    if len(content) > images.MAX_BYTES:  # refused before anything decodes it
        return None, Problem("M_TOO_BIG", "file", max_mb=images.MAX_BYTES // (1024 * 1024))
    try:
        return await offload.run_limited(images.prepare, content, seconds=SECONDS)
    except offload.TooLong:
        return None, Problem("M_TOO_LONG", "file", seconds=int(SECONDS))
    except offload.TooBig:
        return None, Problem("M_TOO_MANY_PIXELS", "file", max=images.MAX_PIXELS // 1_000_000)


def _save(
    request: Request, questionnaire_id: int, name: str, value: str, form: dict[str, Any],
    prepared: images.Prepared | None, problems: list[Problem],
) -> Template | Redirect:  # fmt: skip
    """In a server thread: keep the image read, attach it with its descriptions, or say what
    is missing with everything typed kept."""
    with Session(request.app.state.engine, expire_on_commit=False) as db:
        _, document, question = _question(db, request, questionnaire_id, name)
        choice = question.choices[_choice_index(question, value) - 1]
        alt = {lang: str(form.get(f"alt_{lang}", "")).strip() for lang in document.languages}
        pending = str(form.get("pending", ""))
        image, size = "", None
        if prepared is not None:  # kept at once: a missing description loses no upload
            image, size = image_store.store(db, prepared), (prepared.width, prepared.height)
        elif IMAGE_KEY.fullmatch(pending) and (size := image_store.size_of(db, pending)):
            image = pending
        elif choice.image and not problems:
            image, size = choice.image, (choice.image_width, choice.image_height)
        if not image and not problems:
            problems.append(Problem("M_NO_FILE", "file"))
        problems += [
            Problem("M_MISSING_ALT", f"alt_{lang}", lang=lang.upper())
            for lang in document.languages
            if not alt[lang]
        ]
        if problems:
            kept = _kept(request, question, value, alt, image, size, choice, problems)
            return _page(request, db, questionnaire_id, name, kept, status_code=400)
        service.edit_questionnaire(
            db, questionnaire_id,
            lambda d: image_store.set_choice_image(d, name, value, image, size, alt),
        )  # fmt: skip
    return Redirect(f"{images_url(questionnaire_id, name)}#choice-{value}", status_code=303)


def _kept(request, question, value, alt, image, size, choice, problems) -> dict[str, dict]:
    """What the refused form showed and held, and its messages by field."""
    lang = request_language(request)
    index = _choice_index(question, value)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.where, []).append(render(problem, lang, with_location=False))
    field_ids = {"file": f"choice-{index}-file"} | {
        f"alt_{code}": f"choice-{index}-alt-{code}" for code in alt
    }
    pending = image if image and image != choice.image else ""
    return {
        value: {
            "alt": alt,
            "pending": pending,
            "size": size,
            "errors": errors,
            "summary": [(field_ids[where], m) for where, ms in errors.items() for m in ms],
        }
    }


def _remove(request: Request, questionnaire_id: int, name: str, value: str) -> Redirect:
    with Session(request.app.state.engine, expire_on_commit=False) as db:
        _, _, question = _question(db, request, questionnaire_id, name)
        _choice_index(question, value)
        service.edit_questionnaire(
            db, questionnaire_id, lambda d: image_store.remove_choice_image(d, name, value)
        )
    return Redirect(f"{images_url(questionnaire_id, name)}#choice-{value}", status_code=303)


def _check(request: Request, questionnaire_id: int, name: str, value: str) -> None:
    """403 / 404 before an upload is read: no file is decoded for someone who may not."""
    with Session(request.app.state.engine) as db:
        _, _, question = _question(db, request, questionnaire_id, name)
        _choice_index(question, value)


class ChoiceImagesController(Controller):
    path = "/questionnaires/{questionnaire_id:int}/questions/{name:str}/images"

    @get("/", opt=DESIGN, sync_to_thread=True)
    def page(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str],
    ) -> Template:  # fmt: skip
        return _page(request, db, questionnaire_id, name)

    @post("/{value:str}", opt=DESIGN)
    async def save(
        self, request: Request, questionnaire_id: FromPath[int], name: FromPath[str],
        value: FromPath[str], data: Multipart,
    ) -> Template | Redirect:  # fmt: skip
        # Async: the image is decoded in a child process, awaited without holding a thread.
        await asyncio.to_thread(_check, request, questionnaire_id, name, value)
        if data.get("action") == "remove":
            return await asyncio.to_thread(_remove, request, questionnaire_id, name, value)
        prepared, problem = await _read_upload(data.get("file"))
        problems = [problem] if problem else []
        return await asyncio.to_thread(
            _save, request, questionnaire_id, name, value, data, prepared, problems
        )


class MediaController(Controller):
    """The images' files, by the SHA-256 of their content."""

    path = "/media"

    @get("/{file_name:str}", opt=PUBLIC, sync_to_thread=True)
    def image(
        self, request: Request, db: NamedDependency[Session], file_name: FromPath[str]
    ) -> Response:
        digest = images.digest_of(file_name)
        row = image_store.find(db, digest) if digest else None
        # before publication, staff only; a 404 rather than a 403 says nothing of its existence
        if row is None or (not row.published and current_user(request) is None):
            raise NotFoundException()
        scope = "public" if row.published else "private"
        headers = {"Cache-Control": f"{scope}, max-age={YEAR}, immutable", "ETag": f'"{digest}"'}
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(b"", status_code=304, headers=headers)
        return Response(row.data, media_type=images.MEDIA_TYPE, headers=headers)


class ImagesExportController(Controller):
    """The XLSForm with its choices' images, in a .zip (``surveys.xlsform_media``)."""

    path = "/questionnaires/{questionnaire_id:int}"

    @get("/export.zip", opt=DESIGN, sync_to_thread=True)
    def export_bundle(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Response:
        load_questionnaire(db, request, questionnaire_id)
        document = service.document_of(service.latest_version(db, questionnaire_id))
        stem = f"questionnaire-{questionnaire_id}"
        files = image_store.pictures_of(db, document)
        return Response(
            xlsform_media.bundle(export_xlsform(document), stem, files),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{stem}.zip"'},
        )
