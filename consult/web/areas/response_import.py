"""Responses from a file into a campaign: upload, a mapping screen with a preview, store.

The upload is kept under the var directory (per campaign, a random name) between the steps;
the mapping travels in the query string of the preview (a GET form) and in the store form.
Storing is all or nothing (``surveys.response_import``); a stored file is deleted.
"""

import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.web.areas.campaigns import visible_campaign
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.templating import request_language
from surveys import capture
from surveys.messages import render_import
from surveys.response_import import import_responses, plan_columns
from surveys.workbooks import read_table

RESULTS = {"access": Access.RESULTS}
UPLOAD = re.compile(r"[0-9a-f]{32}\.(csv|xlsx|xls)")
KEEP_SECONDS = 6 * 3600
IGNORE = "-"


@dataclass
class ImportUpload:
    file: UploadFile | None = None


@dataclass
class StoreForm:
    upload: str = ""
    map: list[str] = field(default_factory=list)
    _csrf_token: str = ""


def _folder(request: Request, campaign_id: int) -> Path:
    folder = Path(request.app.state.settings.var_dir) / "imports" / str(campaign_id)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():  # uploads nobody came back for
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def _upload_path(request: Request, campaign_id: int, upload: str) -> Path | None:
    """The uploaded file, or None when the name is not ours or the file has expired."""
    if not UPLOAD.fullmatch(upload):
        return None
    path = _folder(request, campaign_id) / upload
    return path if path.exists() else None


def _mapping(header: list[str], chosen: list[str] | None) -> dict[str, str] | None:
    if not chosen:
        return None
    return {c: ("" if v == IGNORE else v) for c, v in zip(header, chosen, strict=False) if v}


def _page(request, db, campaign, upload="", chosen=None, outcome=None, status=200) -> Template:
    lang = request_language(request)
    document = capture.document_of(db, campaign.version_id)
    path = _upload_path(request, campaign.id, upload) if upload else None
    upload = upload if path else ""
    context = {"campaign": campaign, "upload": upload, "document": document, "lang": lang}
    context["user"] = current_user(request)  # the header shows who is signed in
    if path:
        data = path.read_bytes()
        if outcome is None:
            outcome = import_responses(
                db, campaign, document, data, path.name, mapping=_mapping(_header(data, path), chosen),
                dry_run=True,
            )  # fmt: skip
        header = _header(data, path)
        plan = outcome.plan or plan_columns(document, header, None)
        context |= {
            "columns": [(c, _target(plan, c)) for c in header],
            "questions": [q for q in document.questions() if q.type != "note"],
            "outcome": outcome,
            "problems": [render_import(p, lang) for p in outcome.problems[:200]],
            "warnings": [render_import(w, lang) for w in outcome.warnings],
        }
    return Template("campaigns/import.html", context=context, status_code=status)


def _header(data: bytes, path: Path) -> list[str]:
    try:
        return read_table(data, path.name).header
    except Exception:  # reported by import_responses as a coded problem
        return []


def _target(plan, column: str) -> str:
    if column in (plan.source_id, plan.submitted):
        return "@source_id" if column == plan.source_id else "@submitted_at"
    if column in plan.targets:
        name, part = plan.targets[column]
        return name if part in (None, "@other") else f"{name}/{part}"
    return IGNORE


class ResponseImportController(Controller):
    path = "/campaigns/{slug:str}/import"

    @get("/", opt=RESULTS, sync_to_thread=True)
    def page(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        upload: FromQuery[str] = "",
        map: FromQuery[list[str] | None] = None,
        stored: FromQuery[int] = -1,
        skipped: FromQuery[int] = 0,
    ) -> Template:
        campaign = visible_campaign(request, db, slug)
        page = _page(request, db, campaign, upload, map)
        page.context |= {"stored": stored, "skipped": skipped}
        return page

    @post("/", opt=RESULTS, sync_to_thread=True)
    def receive(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: Annotated[ImportUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Redirect:
        campaign = visible_campaign(request, db, slug)
        name = (data.file.filename or "").lower() if data.file else ""
        suffix = next((s for s in ("xlsx", "xls", "csv") if name.endswith(f".{s}")), "csv")
        upload = f"{secrets.token_hex(16)}.{suffix}"
        content = data.file.file.read() if data.file else b""
        (_folder(request, campaign.id) / upload).write_bytes(content)
        return Redirect(f"/campaigns/{slug}/import?upload={upload}", status_code=303)

    @post("/store", opt=RESULTS, sync_to_thread=True)
    def store(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: Annotated[StoreForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        campaign = visible_campaign(request, db, slug)
        path = _upload_path(request, campaign.id, data.upload)
        if path is None:  # expired or never uploaded: start again
            return Redirect(f"/campaigns/{slug}/import", status_code=303)
        content = path.read_bytes()
        document = capture.document_of(db, campaign.version_id)
        mapping = _mapping(_header(content, path), data.map)
        outcome = import_responses(db, campaign, document, content, path.name, mapping=mapping)
        if outcome.problems:
            return _page(request, db, campaign, data.upload, data.map, outcome, status=400)
        path.unlink(missing_ok=True)
        return Redirect(
            f"/campaigns/{slug}/import?stored={outcome.stored}&skipped={outcome.skipped}",
            status_code=303,
        )
