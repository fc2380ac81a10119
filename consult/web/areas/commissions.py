"""Commissions: their page, their management by the pilot or the coordinator, projects and
"you said / we did" findings."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.network.models import Commission
from consult.network.services import (
    CommissionInput,
    FindingInput,
    ProjectInput,
    add_finding,
    can_manage_commission,
    commission_campaigns,
    commission_page,
    current_members,
    delete_finding,
    get_commission,
    get_project,
    list_commissions,
    member_choices,
    project_partner_ids,
    save_project,
    update_commission,
)
from consult.network.themes import PROJECT_STATUSES
from consult.web.areas.network_common import ints, one, optional_int, problem_messages
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.htmx import page_or_fragment
from surveys.problems import ProblemsError

USER = {"access": Access.USER}


def managed(request: Request, db: Session, slug: str) -> Commission:
    """The commission, if the signed-in user may manage it (404 unknown, 403 not allowed)."""
    commission = get_commission(db, slug)
    if commission is None:
        raise NotFoundException()
    if not can_manage_commission(current_user(request), commission):
        raise PermissionDeniedException()
    return commission


def render(request: Request, name: str, status: int = 200, **context: Any) -> Template:
    context = {"user": current_user(request), "statuses": PROJECT_STATUSES, **context}
    return Template(name, context=context, status_code=status)


class CommissionsController(Controller):
    path = "/commissions"

    @get("/", opt=USER, sync_to_thread=True)
    def index(self, request: Request, db: NamedDependency[Session]) -> Template:
        context = {"user": current_user(request), "cards": list_commissions(db)}
        return page_or_fragment(
            request, "commissions/index.html", "commissions/_list.html", context
        )

    @get("/{slug:str}", opt=USER, sync_to_thread=True)
    def show(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        commission = get_commission(db, slug)
        if commission is None:
            raise NotFoundException()
        user = current_user(request)
        context = {
            "user": user,
            "page": commission_page(db, commission, user),
            "manages": can_manage_commission(user, commission),
            "statuses": PROJECT_STATUSES,
        }
        return page_or_fragment(request, "commissions/show.html", "commissions/_body.html", context)

    @get("/{slug:str}/edit", opt=USER, sync_to_thread=True)
    def edit(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        commission = managed(request, db, slug)
        partner_ids, user_ids = current_members(db, commission.id)
        data = CommissionInput(
            commission.description, commission.theme, partner_ids, user_ids, commission.pilot_id
        )
        return self._form(request, db, commission, data)

    @post("/{slug:str}/edit", opt=USER, sync_to_thread=True)
    def update(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        commission = managed(request, db, slug)
        values = CommissionInput(
            description=one(data, "description"),
            theme=one(data, "theme"),
            partner_ids=ints(data, "partner_ids"),
            user_ids=ints(data, "user_ids"),
            pilot_id=optional_int(one(data, "pilot_id")),
        )
        may_change_pilot = current_user(request).is_coordinator
        try:
            update_commission(db, commission, values, may_change_pilot)
        except ProblemsError as exc:
            return self._form(request, db, commission, values, exc)
        return Redirect(f"/commissions/{slug}", status_code=303)

    def _form(self, request, db, commission, data, exc: ProblemsError | None = None) -> Template:
        partners, users = member_choices(db)
        errors = problem_messages(request, exc.problems) if exc else {}
        return render(
            request,
            "commissions/form.html",
            400 if exc else 200,
            commission=commission,
            data=data,
            partners=partners,
            users=users,
            errors=errors,
        )

    @get("/{slug:str}/projects/new", opt=USER, sync_to_thread=True)
    def new_project(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        commission = managed(request, db, slug)
        return self._project_form(request, db, commission, ProjectInput(), None)

    @get("/{slug:str}/projects/{project_id:int}/edit", opt=USER, sync_to_thread=True)
    def edit_project(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        project_id: FromPath[int],
    ) -> Template:
        commission = managed(request, db, slug)
        p = get_project(db, commission.id, project_id)
        if p is None:
            raise NotFoundException()
        partner_ids = project_partner_ids(db, p.id)
        data = ProjectInput(str(p.year), p.title, p.description, p.status, p.outcome, partner_ids)
        return self._project_form(request, db, commission, data, project_id)

    @post("/{slug:str}/projects/new", opt=USER, sync_to_thread=True)
    def create_project(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        return self._save_project(request, db, slug, data, None)

    @post("/{slug:str}/projects/{project_id:int}/edit", opt=USER, sync_to_thread=True)
    def update_project(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        project_id: FromPath[int],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        return self._save_project(request, db, slug, data, project_id)

    def _save_project(self, request, db, slug, form, project_id) -> Template | Redirect:
        commission = managed(request, db, slug)
        if project_id and get_project(db, commission.id, project_id) is None:
            raise NotFoundException()
        values = ProjectInput(
            *(one(form, k) for k in ("year", "title", "description", "status", "outcome")),
            partner_ids=ints(form, "partner_ids"),
        )
        try:
            save_project(db, commission.id, values, project_id)
        except ProblemsError as exc:
            return self._project_form(request, db, commission, values, project_id, exc)
        return Redirect(f"/commissions/{slug}#projects", status_code=303)

    def _project_form(self, request, db, commission, data, project_id, exc=None) -> Template:
        partners, _ = member_choices(db)
        errors = problem_messages(request, exc.problems) if exc else {}
        return render(
            request,
            "commissions/project_form.html",
            400 if exc else 200,
            commission=commission,
            data=data,
            project_id=project_id,
            partners=partners,
            errors=errors,
        )

    @get("/{slug:str}/findings/new", opt=USER, sync_to_thread=True)
    def new_finding(
        self, request: Request, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        commission = managed(request, db, slug)
        return self._finding_form(request, db, commission, FindingInput())

    @post("/{slug:str}/findings/new", opt=USER, sync_to_thread=True)
    def create_finding(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        commission = managed(request, db, slug)
        values = FindingInput(
            campaign_id=optional_int(one(data, "campaign_id")),
            question_name=one(data, "question_name").strip(),
            text=one(data, "text"),
            decision=one(data, "decision"),
            project_ids=ints(data, "project_ids"),
        )
        try:
            add_finding(db, commission.id, values)
        except ProblemsError as exc:
            return self._finding_form(request, db, commission, values, exc)
        return Redirect(f"/commissions/{slug}#findings", status_code=303)

    @post("/{slug:str}/findings/{finding_id:int}/delete", opt=USER, sync_to_thread=True)
    def remove_finding(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        finding_id: FromPath[int],
    ) -> Redirect:
        commission = managed(request, db, slug)
        if not delete_finding(db, commission.id, finding_id):
            raise NotFoundException()
        return Redirect(f"/commissions/{slug}#findings", status_code=303)

    def _finding_form(self, request, db, commission, data, exc=None) -> Template:
        page = commission_page(db, commission, current_user(request))
        projects = [p for _, ps in page.projects_by_year for p in ps]
        return render(
            request,
            "commissions/finding_form.html",
            400 if exc else 200,
            commission=commission,
            data=data,
            campaigns=commission_campaigns(db, commission.id),
            projects=projects,
            errors=problem_messages(request, exc.problems) if exc else {},
        )
