"""Plenaries: calendar, agenda, attendance and minutes; only the coordinator edits them."""

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Response, Template
from sqlmodel import Session

from consult.network.partners import all_partners
from consult.network.plenaries import (
    AgendaInput,
    PlenaryInput,
    agenda_choices,
    plenary_calendar,
    plenary_page,
    save_plenary,
)
from consult.web.areas.network_common import (
    ints,
    one,
    optional_int,
    pdf_response,
    problem_messages,
    strs,
)
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.htmx import page_or_fragment
from surveys.problems import ProblemsError

BLANK_ITEMS = 3


def plenary_input(form: dict[str, Any]) -> PlenaryInput:
    rows = zip(
        strs(form, "item_title"),
        strs(form, "item_campaign"),
        strs(form, "item_project"),
        strs(form, "item_position"),
        strict=False,
    )
    return PlenaryInput(
        held_on=one(form, "held_on"),
        title=one(form, "title"),
        place=one(form, "place"),
        minutes=one(form, "minutes"),
        agenda=[AgendaInput(t, optional_int(c), optional_int(p), n) for t, c, p, n in rows],
        attendee_ids=ints(form, "attendee_ids"),
    )


def form_page(request, db, data: PlenaryInput, plenary_id, exc=None) -> Template:
    campaigns, projects = agenda_choices(db)
    start = len(data.agenda)
    blanks = [AgendaInput(position=str(start + i + 1)) for i in range(BLANK_ITEMS)]
    context = {
        "user": current_user(request),
        "data": data,
        "items": data.agenda + blanks,
        "plenary_id": plenary_id,
        "campaigns": campaigns,
        "projects": projects,
        "partners": all_partners(db),
        "errors": problem_messages(request, exc.problems) if exc else {},
    }
    return Template("plenaries/form.html", context=context, status_code=400 if exc else 200)


def found(db: Session, plenary_id: int):
    page = plenary_page(db, plenary_id)
    if page is None:
        raise NotFoundException()
    return page


class PlenariesController(Controller):
    path = "/plenaries"

    @get("/", opt={"access": Access.USER}, sync_to_thread=True)
    def index(self, request: Request, db: NamedDependency[Session]) -> Template:
        calendar = plenary_calendar(db, date.today())
        context = {"user": current_user(request), "calendar": calendar, "today": date.today()}
        return page_or_fragment(request, "plenaries/index.html", "plenaries/_list.html", context)

    @get("/new", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def new(self, request: Request, db: NamedDependency[Session]) -> Template:
        return form_page(request, db, PlenaryInput(), None)

    @post("/new", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def create(
        self, request: Request, db: NamedDependency[Session], data: URLEncodedBody[dict[str, Any]]
    ) -> Template | Redirect:
        return self._save(request, db, data, None)

    @get("/{plenary_id:int}", opt={"access": Access.USER}, sync_to_thread=True)
    def show(
        self, request: Request, db: NamedDependency[Session], plenary_id: FromPath[int]
    ) -> Template:
        context = {"user": current_user(request), "page": found(db, plenary_id)}
        return page_or_fragment(request, "plenaries/show.html", "plenaries/_body.html", context)

    @get("/{plenary_id:int}/minutes.pdf", opt={"access": Access.USER}, sync_to_thread=True)
    def minutes_pdf(
        self, request: Request, db: NamedDependency[Session], plenary_id: FromPath[int]
    ) -> Response:
        page = found(db, plenary_id)
        name = f"pleniere-{page.plenary.held_on.isoformat()}.pdf"
        return pdf_response(request, "plenaries/print.html", {"page": page}, name)

    @get("/{plenary_id:int}/edit", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def edit(
        self, request: Request, db: NamedDependency[Session], plenary_id: FromPath[int]
    ) -> Template:
        return form_page(request, db, PlenaryInput.of(found(db, plenary_id)), plenary_id)

    @post("/{plenary_id:int}/edit", opt={"access": Access.COORDINATOR}, sync_to_thread=True)
    def update(
        self,
        request: Request,
        db: NamedDependency[Session],
        plenary_id: FromPath[int],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        found(db, plenary_id)
        return self._save(request, db, data, plenary_id)

    def _save(self, request, db, form, plenary_id) -> Template | Redirect:
        values = plenary_input(form)
        try:
            plenary = save_plenary(db, values, plenary_id)
        except ProblemsError as exc:
            return form_page(request, db, values, plenary_id, exc)
        return Redirect(f"/plenaries/{plenary.id}", status_code=303)
