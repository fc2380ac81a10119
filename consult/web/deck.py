"""The plenary deck of a campaign: the presentation (``/campaigns/<slug>/deck``), its PDF,
and the editor where facilitators pick and order the slides (plain forms, htmx-enhanced)."""

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.i18n import translator
from consult.plenary import deck as service
from consult.plenary.messages import by_field
from consult.web.access import current_user
from consult.web.pdf import html_to_pdf
from consult.web.polls import FORM, _one
from consult.web.results import RESULTS, campaign_data, suppression_k
from consult.web.templating import request_language
from surveys import results
from surveys.results import ResultsData


def series_of(request: Request, db: Session, data: ResultsData) -> ResultsData | None:
    """The campaign's series (all its waves) when it has more than one wave."""
    waves = results.find_series(db, data.campaign.series)
    if len(waves) < 2:
        return None
    series = results.load_results(db, waves, request_language(request))
    answered = set(series.frame["campaign"].dropna().astype(str))
    kept = [w for w in waves if w.key in answered]  # a wave without answers compares nothing
    if len(kept) == len(waves):
        return series
    return results.load_results(db, kept, request_language(request)) if len(kept) > 1 else None


def deck_context(request: Request, db: Session, slug: str) -> dict[str, Any]:
    data = campaign_data(request, db, slug)
    series = series_of(request, db, data)
    slides = service.build_deck(db, data, series, suppression_k(request))
    return {"user": current_user(request), "campaign": data.campaign, "slides": slides}


def editor_context(request: Request, db: Session, slug: str, errors: dict, form: dict) -> dict:
    data = campaign_data(request, db, slug)
    series = series_of(request, db, data)
    labels = dict(service.question_choices(data)) | dict(service.wave_choices(series))
    return {
        "user": current_user(request),
        "campaign": data.campaign,
        "slides": service.list_slides(db, data.campaign.id),
        "labels": labels,
        "questions": service.question_choices(data),
        "waves": service.wave_choices(series),
        "errors": errors,
        "form": form,
    }


def after_edit(request: HTMXRequest, db: Session, slug: str, errors=None, form=None):
    context = editor_context(request, db, slug, errors or {}, form or {})
    status = 400 if errors else 200
    if request.htmx:
        return Template("plenary/_deck_slides.html", context=context, status_code=status)
    if errors:
        return Template("plenary/deck_edit.html", context=context, status_code=status)
    return Redirect(f"/campaigns/{slug}/deck/edit", status_code=303)


class DeckController(Controller):
    path = "/campaigns/{slug:str}/deck"
    opt = RESULTS

    @get("", sync_to_thread=True)
    def show(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        return Template("plenary/deck.html", context=deck_context(request, db, slug))

    @get("/pdf", sync_to_thread=True)
    def pdf(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Response:
        template = request.app.template_engine.get_template("plenary/deck_print.html")
        html = template.render(**deck_context(request, db, slug), request=request)
        disposition = f'inline; filename="{slug}-deck.pdf"'
        return Response(
            html_to_pdf(html, str(request.base_url)),
            media_type="application/pdf",
            headers={"Content-Disposition": disposition},
        )

    @get("/edit", sync_to_thread=True)
    def edit(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        return Template("plenary/deck_edit.html", context=editor_context(request, db, slug, {}, {}))

    @post("/slides", sync_to_thread=True, status_code=303)
    def add(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: dict[str, Any] = FORM,
    ) -> Template | Redirect:
        results_data = campaign_data(request, db, slug)
        form = {key: _one(data, key) for key in ("kind", "question", "takeaway")}
        problems = service.add_slide(db, results_data, series_of(request, db, results_data), **form)
        errors = by_field(problems, translator(request_language(request)).gettext)
        return after_edit(request, db, slug, errors, form if errors else {})

    @post("/slides/{slide_id:int}", sync_to_thread=True, status_code=303)
    def change(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: FromPath[str],
        slide_id: FromPath[int],
        data: dict[str, Any] = FORM,
    ) -> Template | Redirect:
        campaign_id = campaign_data(request, db, slug).campaign.id
        action, problems = _one(data, "action"), []
        if action in ("up", "down"):
            service.move_slide(db, campaign_id, slide_id, -1 if action == "up" else 1)
        elif action == "delete":
            service.remove_slide(db, campaign_id, slide_id)
        elif action == "takeaway":
            problems = service.set_takeaway(db, campaign_id, slide_id, _one(data, "takeaway"))
        else:
            raise NotFoundException()
        errors = by_field(problems, translator(request_language(request)).gettext)
        return after_edit(request, db, slug, errors)
