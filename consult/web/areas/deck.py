"""The plenary deck of a campaign: the presentation (``/campaigns/<slug>/deck``), its PDF,
and the editor where facilitators pick and order the slides (plain forms, htmx-enhanced)."""

from typing import Any

import segno
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from sqlmodel import Session

from analysis.filters import describe_filters
from analysis.i18n import N_
from consult.accounts.audit import DECK
from consult.i18n import translator
from consult.plenary import deck as service
from consult.plenary import polls
from consult.plenary.messages import by_field
from consult.web.areas.audit import log_access
from consult.web.areas.hub import hub_context
from consult.web.areas.polls import _one, _values, screen_url
from consult.web.areas.results import (
    MIN_N,
    RESULTS,
    campaign_data,
    query_of,
    suppression_k,
    with_groups,
)
from consult.web.plumbing.access import current_user
from consult.web.plumbing.pdf import html_to_pdf
from consult.web.plumbing.templating import request_language
from surveys import bands, results
from surveys.results import ResultsData

DEFAULT_POLL_QUESTION = N_("Which of these results should the commission act on first?")


def series_of(request: Request, db: Session, data: ResultsData) -> ResultsData | None:
    """The campaign's series when at least two of its waves have ``MIN_N`` respondents or
    more (a wave that has just opened compares nothing); only the waves of the campaign's
    own commission are read with it."""
    waves = results.find_series(db, data.campaign.series, data.campaign.commission_id)
    if len(waves) < 2:
        return None
    lang, cache = request_language(request), request.app.state.results_cache
    series = with_groups(db, results.load_results(db, waves, lang, cache))
    counts = series.frame["campaign"].astype("string").value_counts()
    kept = [w for w in waves if int(counts.get(w.key, 0)) >= MIN_N]
    if len(kept) == len(waves):
        return series
    if len(kept) < 2:
        return None
    return with_groups(db, results.load_results(db, kept, lang, cache))


def deck_context(request: Request, db: Session, slug: str) -> dict[str, Any]:
    data = campaign_data(request, db, slug)
    series = series_of(request, db, data)
    k = suppression_k(request)
    slides = service.build_deck(db, data, series, k)
    joins = {}
    for slide in slides:
        if slide.poll is not None:
            url = screen_url(request, slide.poll)
            qr = segno.make(url, error="m").svg_data_uri(scale=8, border=2)
            joins[slide.poll.code] = {"qr": qr, "short_url": url.split("://", 1)[-1]}
    return {
        "user": current_user(request),
        "campaign": data.campaign,
        "slides": slides,
        "poll_joins": joins,
        "k": k,
    }


def editor_context(
    request: Request, db: Session, slug: str, errors: dict, form: dict, prepare: dict | None = None
) -> dict:
    data = campaign_data(request, db, slug)
    series = series_of(request, db, data)
    labels = dict(service.question_choices(data)) | dict(service.wave_choices(series))
    questions = service.question_choices(data)
    # the filter of the results view the facilitator came from: said, not applied (a deck
    # leaves the commission, so it shows the whole fieldwork through disclosure control)
    applied = results.filter_results(data, results.filter_query(query_of(request)))
    gettext = translator(data.lang).gettext
    if prepare is None:
        # choice, scale and grid questions open a deck best; a number's chart is often
        # withheld from a room (disclosure) and its groups are offered instead
        kinds = {
            c.question: c.kind
            for c in results.question_cards(data, results.filter_results(data, {}))
        }
        plain = [
            name
            for name, _ in questions
            if not bands.is_group(name) and kinds.get(name) != "numeric"
        ]
        chosen = plain[: service.PREPARED_QUESTIONS]
        pairs = service.default_pairs(db, data)
        prepare = {
            "questions": chosen,
            "pairs": pairs + [("", "")] * (service.MAX_PAIRS - len(pairs)),
            "poll_question": gettext(DEFAULT_POLL_QUESTION),
            "poll_choices": "\n".join(
                label[:80] for name, label in questions if name in chosen[:4]
            ),
        }
    return {
        "prepare": prepare,
        "filter_text": describe_filters(results.filter_parts_of(data, applied, gettext), gettext),
        "deck_n": len(results.public_results(data, suppression_k(request)).frame),
        "k": suppression_k(request),
        "prepared": request.query_params.get("prepared") == "1",
        "user": current_user(request),
        "campaign": data.campaign,
        "slides": service.list_slides(db, data.campaign.id),
        "addable": service.ADDABLE,
        "labels": labels,
        "questions": service.question_choices(data),
        "waves": service.wave_choices(series),
        "errors": errors,
        "form": form,
    } | hub_context(db, data.campaign, "deck")


def after_edit(request: HTMXRequest, db: Session, slug: str, errors=None, form=None):
    context = editor_context(request, db, slug, errors or {}, form or {})
    status = 400 if errors else 200
    if request.htmx:
        # the slide list, and the add form afresh (out of band): empty after a slide was
        # added, as typed with its messages when refused
        return Template("plenary/_deck_changed.html", context=context, status_code=status)
    if errors:
        return Template("plenary/deck_edit.html", context=context, status_code=status)
    return Redirect(f"/campaigns/{slug}/deck/edit", status_code=303)


class DeckController(Controller):
    path = "/campaigns/{slug:str}/deck"
    opt = RESULTS

    @get("", sync_to_thread=True)
    def show(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        context = deck_context(request, db, slug)
        log_access(db, current_user(request), DECK, [context["campaign"]], "html")
        return Template("plenary/deck.html", context=context)

    @get("/pdf", sync_to_thread=True)
    def pdf(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Response:
        template = request.app.template_engine.get_template("plenary/deck_print.html")
        context = deck_context(request, db, slug)
        html = template.render(**context, request=request)
        log_access(db, current_user(request), DECK, [context["campaign"]], "pdf")
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
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        results_data = campaign_data(request, db, slug)
        form = {key: _one(data, key) for key in ("kind", "question", "takeaway")}
        problems = service.add_slide(db, results_data, series_of(request, db, results_data), **form)
        errors = by_field(problems, translator(request_language(request)).gettext)
        return after_edit(request, db, slug, errors, form if errors else {})

    @post("/prepare", sync_to_thread=True, status_code=303)
    def prepare(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        """ "Prepare the plenary": the deck rebuilt from the results (and a live poll)."""
        results_data = campaign_data(request, db, slug)
        series = series_of(request, db, results_data)
        questions, saids, dids = (
            _values(data, "questions"),
            _values(data, "said"),
            _values(data, "did"),
        )
        poll_question, poll_choices = _one(data, "poll_question"), _one(data, "poll_choices")
        problems = service.check_prepare(results_data, questions, saids, dids)
        poll_input = polls.PollInput(
            commission_id=results_data.campaign.commission_id,
            kind="single",
            question=poll_question,
            choices_text=poll_choices,
            hidden=False,
        )
        if poll_question.strip():
            user = current_user(request)
            problems += [
                p.relocated(f"poll_{p.where}") for p in polls.check_poll(db, poll_input, user)
            ]
        if not problems:
            code = ""
            if poll_question.strip():
                code = polls.create_poll(db, poll_input, current_user(request)).poll.code
            problems = service.prepare_deck(
                db,
                results_data,
                series,
                questions=questions,
                saids=saids,
                dids=dids,
                poll_code=code,
                margins=_one(data, "margins") == "1",
            )
        if not problems:
            return Redirect(f"/campaigns/{slug}/deck/edit?prepared=1", status_code=303)
        errors = by_field(problems, translator(request_language(request)).gettext)
        typed = {
            "questions": questions,
            "pairs": list(zip(saids, dids, strict=False)),
            "poll_question": poll_question,
            "poll_choices": poll_choices,
            "margins": _one(data, "margins") == "1",
        }
        context = editor_context(request, db, slug, {}, {}, typed) | {"prepare_errors": errors}
        return Template("plenary/deck_edit.html", context=context, status_code=400)

    @post("/slides/{slide_id:int}", sync_to_thread=True, status_code=303)
    def change(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: FromPath[str],
        slide_id: FromPath[int],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        campaign_id = campaign_data(request, db, slug).campaign.id
        action, problems = _one(data, "action"), []
        if action in ("up", "down"):
            service.move_slide(db, campaign_id, slide_id, -1 if action == "up" else 1)
        elif action == "delete":
            service.remove_slide(db, campaign_id, slide_id)
        elif action == "takeaway":
            problems = service.set_takeaway(db, campaign_id, slide_id, _one(data, "takeaway"))
        elif action in ("margins-on", "margins-off"):
            problems = service.set_margins(db, campaign_id, slide_id, action == "margins-on")
        elif action == "pairs":
            problems = service.set_pairs(
                db, campaign_id, slide_id, _values(data, "said"), _values(data, "did")
            )
        else:
            raise NotFoundException()
        errors = by_field(problems, translator(request_language(request)).gettext)
        return after_edit(request, db, slug, errors)
