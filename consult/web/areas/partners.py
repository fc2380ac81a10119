"""The directory of partners: search, records, printing, CSV import and export."""

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Response, Template
from sqlmodel import Session

from consult.network.partners import (
    CONTACT_FIELDS,
    PartnerInput,
    export_partners_csv,
    get_partner,
    import_partners_csv,
    list_partners,
    partner_page,
    save_partner,
)
from consult.network.themes import KINDS, PROJECT_STATUSES, THEMES
from consult.web.areas.network_common import one, pdf_response, problem_messages, strs
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.htmx import page_or_fragment
from surveys.problems import ProblemsError

NAMES = {"themes": THEMES, "kinds": KINDS, "statuses": PROJECT_STATUSES}
BLANK_CONTACTS = 2


def partner_input(form: dict[str, Any]) -> PartnerInput:
    columns = [strs(form, f"contact_{k}") for k in CONTACT_FIELDS]
    return PartnerInput(
        name=one(form, "name"),
        slug=one(form, "slug").strip(),
        kind=one(form, "kind"),
        charter_signed=bool(one(form, "charter_signed")),
        charter_date=one(form, "charter_date").strip(),
        themes=strs(form, "themes"),
        contacts=[
            dict(zip(CONTACT_FIELDS, row, strict=True)) for row in zip(*columns, strict=False)
        ],
        **{k: one(form, k) for k in ("objectives", "public", "access_conditions", "place")},
        hours=one(form, "hours"),
    )


def form_page(request: Request, data: PartnerInput, slug: str | None, errors=None) -> Template:
    contacts = data.contacts + [dict.fromkeys(CONTACT_FIELDS, "")] * BLANK_CONTACTS
    return Template(
        "partners/form.html",
        context={
            "user": current_user(request),
            "data": data,
            "contacts": contacts,
            "slug": slug,
            "errors": errors or {},
            **NAMES,
        },
        status_code=400 if errors else 200,
    )


def directory_context(request: Request, db: Session, q: str, theme: str, kind: str) -> dict:
    return {
        "user": current_user(request),
        "partners": list_partners(db, q, theme, kind),
        "filters": {"q": q, "theme": theme, "kind": kind},
        "today": date.today(),
        **NAMES,
    }


class PartnersController(Controller):
    path = "/partners"

    @get("/", opt={"access": Access.USER}, sync_to_thread=True)
    def directory(
        self,
        request: Request,
        db: NamedDependency[Session],
        q: FromQuery[str] = "",
        theme: FromQuery[str] = "",
        kind: FromQuery[str] = "",
        imported: FromQuery[str] = "",
    ) -> Template:
        context = directory_context(request, db, q, theme, kind) | {"imported": imported}
        return page_or_fragment(request, "partners/index.html", "partners/_results.html", context)

    @get("/print", opt={"access": Access.USER}, sync_to_thread=True)
    def printable(
        self,
        request: Request,
        db: NamedDependency[Session],
        q: FromQuery[str] = "",
        theme: FromQuery[str] = "",
        kind: FromQuery[str] = "",
    ) -> Template:
        context = directory_context(request, db, q, theme, kind)
        return Template("partners/print.html", context=context)

    @get("/directory.pdf", opt={"access": Access.USER}, sync_to_thread=True)
    def directory_pdf(
        self,
        request: Request,
        db: NamedDependency[Session],
        q: FromQuery[str] = "",
        theme: FromQuery[str] = "",
        kind: FromQuery[str] = "",
    ) -> Response:
        context = directory_context(request, db, q, theme, kind)
        return pdf_response(request, "partners/print.html", context, "repertoire.pdf")

    @get("/export.csv", opt={"access": Access.USER}, sync_to_thread=True)
    def export_csv(self, db: NamedDependency[Session]) -> Response:
        return Response(
            export_partners_csv(db).encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="partenaires.csv"'},
        )

    @get("/import", opt={"access": Access.COORDINATOR}, sync_to_thread=False)
    def import_form(self, request: Request) -> Template:
        return Template("partners/import.html", context={"user": current_user(request)})

    @post("/import", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def import_csv(
        self,
        request: Request,
        db: NamedDependency[Session],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template | Redirect:
        upload = data.get("file")
        content = upload.file.read() if isinstance(upload, UploadFile) else b""
        try:
            report = import_partners_csv(db, content)
        except ProblemsError as exc:
            errors = [m for ms in problem_messages(request, exc.problems).values() for m in ms]
            context = {"user": current_user(request), "errors": errors}
            return Template("partners/import.html", context=context, status_code=400)
        return Redirect(f"/partners?imported={report.created}-{report.updated}", status_code=303)

    @get("/new", opt={"access": Access.COORDINATOR}, sync_to_thread=False)
    def new(self, request: Request) -> Template:
        return form_page(request, PartnerInput(), None)

    @post("/new", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def create(
        self,
        request: Request,
        db: NamedDependency[Session],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        values = partner_input(data)
        try:
            partner = save_partner(db, values)
        except ProblemsError as exc:
            return form_page(request, values, None, problem_messages(request, exc.problems))
        return Redirect(f"/partners/{partner.slug}", status_code=303)

    @get("/{slug:str}", opt={"access": Access.USER}, sync_to_thread=True)
    def show(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        page = partner_page(db, slug)
        if page is None:
            raise NotFoundException()
        context = {"user": current_user(request), "page": page, **NAMES}
        return page_or_fragment(request, "partners/show.html", "partners/_record.html", context)

    @get("/{slug:str}/edit", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def edit(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        entry = get_partner(db, slug)
        if entry is None:
            raise NotFoundException()
        return form_page(request, PartnerInput.of(entry.partner, list(entry.themes)), slug)

    @post("/{slug:str}/edit", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def update(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        if get_partner(db, slug) is None:
            raise NotFoundException()
        values = partner_input(data)
        try:
            partner = save_partner(db, values, slug)
        except ProblemsError as exc:
            return form_page(request, values, slug, problem_messages(request, exc.problems))
        return Redirect(f"/partners/{partner.slug}", status_code=303)
