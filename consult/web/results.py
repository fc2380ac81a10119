"""Results pages: campaign overview with question cards and filters, cross-tabs, free text
and quotes, waves of a series. Everything is computed by ``surveys.results``."""

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import Body
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.accounts.audit import TEXT_ANSWERS
from consult.accounts.services import CurrentUser
from consult.web.access import Access, current_user
from consult.web.audit import log_access
from consult.web.htmx import page_or_fragment
from consult.web.templating import request_language
from surveys import results as service
from surveys.results import CampaignInfo, ResultsData

RESULTS = {"access": Access.RESULTS}


def suppression_k(request: Request) -> int:
    """The smallest group shown outside the commission (CONSULT_SUPPRESSION_K)."""
    return request.app.state.settings.suppression_k


def query_of(request: Request) -> dict[str, list[str]]:
    params = request.query_params
    return {key: params.getall(key) for key in params}


def check_access(user: CurrentUser | None, campaigns: list[CampaignInfo]) -> None:
    if not campaigns:
        raise NotFoundException()
    if user is None or not all(user.sees_commission(c.commission_id) for c in campaigns):
        raise PermissionDeniedException()


def campaign_data(request: Request, db: Session, slug: str) -> ResultsData:
    """The campaign's results data, 404 for an unknown slug, 403 for another commission's."""
    campaign = service.find_campaign(db, slug)
    check_access(current_user(request), [campaign] if campaign else [])
    return service.load_results(db, [campaign], request_language(request))


def series_data(request: Request, db: Session, series: str) -> ResultsData:
    campaigns = service.find_series(db, series)
    check_access(current_user(request), campaigns)
    return service.load_results(db, campaigns, request_language(request))


def base_context(request: Request, data: ResultsData) -> dict[str, Any]:
    applied = service.filter_results(data, service.filter_query(query_of(request)))
    return {
        "user": current_user(request),
        "campaign": data.campaign,
        "data": data,
        "applied": applied,
        "filters": service.filter_options(data, applied),
        "filter_qs": urlencode(applied.query, doseq=True),
        "problems": applied.problems,
    }


class ResultsController(Controller):
    path = "/campaigns/{slug:str}/results"
    opt = RESULTS

    @get("/", sync_to_thread=True)
    def overview(self, request: HTMXRequest, db: NamedDependency[Session], slug: str) -> Template:
        data = campaign_data(request, db, slug)
        context = base_context(request, data)
        context |= {
            "overview": service.overview(data),
            "cards": service.question_cards(data, context["applied"]),
        }
        return page_or_fragment(request, "results/page.html", "results/_cards.html", context)

    @get("/crosstab", sync_to_thread=True)
    def crosstab(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: str,
        row: str = "",
        col: str = "",
    ) -> Template:
        data = campaign_data(request, db, slug)
        context = base_context(request, data) | {"row": row, "col": col, "view": None}
        context["choices"] = service.choosable(data)
        if row and col:
            context["pair_problems"] = service.check_pair(data, row, col)
            if not context["pair_problems"]:
                context["view"] = service.crosstab_view(data, context["applied"], row, col)
        return page_or_fragment(request, "results/crosstab.html", "results/_crosstab.html", context)

    @get("/text", sync_to_thread=True)
    def text(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: str,
        q: str = "",
        search: str = "",
    ) -> Template:
        data = campaign_data(request, db, slug)
        context = base_context(request, data)
        questions = service.text_questions(data)
        chosen = q if q in dict(questions) else (questions[0][0] if questions else "")
        answers, total = (
            service.text_answers(db, data, context["applied"], chosen, search)
            if chosen
            else ([], 0)
        )
        if chosen:
            log_access(db, current_user(request), TEXT_ANSWERS, data.campaigns, chosen)
        context |= {"questions": questions, "q": chosen, "search": search}
        context |= {"answers": answers, "total": total}
        return page_or_fragment(request, "results/text.html", "results/_answers.html", context)

    @post("/quotes", sync_to_thread=True, status_code=303)
    def mark(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: str,
        data: dict[str, str] = Body(media_type=RequestEncodingType.URL_ENCODED),  # noqa: B008
    ) -> Template | Redirect:
        results = campaign_data(request, db, slug)
        ids = [c.id for c in results.campaigns]
        question = data.get("question", "")
        response_id = int(data["response_id"]) if data.get("response_id", "").isdigit() else 0
        quote = service.mark_quote(db, ids, response_id, question, current_user(request).id)
        return _after_quote(request, slug, question, data.get("search", ""), response_id, quote)

    @post("/quotes/{quote_id:int}/delete", sync_to_thread=True, status_code=303)
    def unmark(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: str,
        quote_id: int,
        data: dict[str, str] = Body(media_type=RequestEncodingType.URL_ENCODED),  # noqa: B008
    ) -> Template | Redirect:
        results = campaign_data(request, db, slug)
        service.unmark_quote(db, [c.id for c in results.campaigns], quote_id)
        response_id = int(data["response_id"]) if data.get("response_id", "").isdigit() else 0
        question, search = data.get("question", ""), data.get("search", "")
        return _after_quote(request, slug, question, search, response_id, None)


def _after_quote(request, slug, question, search, response_id, quote) -> Template | Redirect:
    """htmx gets the answer's new button; a plain form goes back to the reader (PRG)."""
    if request.htmx:
        context = {"slug": slug, "q": question, "search": search, "response_id": response_id}
        return Template(
            "results/_quote_button.html", context=context | {"quote": quote}, status_code=200
        )
    query = urlencode({"q": question, "search": search})
    return Redirect(f"/campaigns/{slug}/results/text?{query}#answer-{response_id}", status_code=303)


class WavesController(Controller):
    path = "/series/{series:str}"
    opt = RESULTS

    @get("/waves", sync_to_thread=True)
    def waves(
        self, request: HTMXRequest, db: NamedDependency[Session], series: str, q: str = ""
    ) -> Template:
        data = series_data(request, db, series)
        context = base_context(request, data) | {"series": series, "choices": []}
        context["choices"] = service.comparable(data)
        names = dict(context["choices"])
        chosen = q if q in names else (context["choices"][0][0] if context["choices"] else "")
        context |= {"q": chosen, "unknown": bool(q) and q not in names}
        context["view"] = service.waves_view(data, context["applied"], chosen) if chosen else None
        return page_or_fragment(request, "results/waves.html", "results/_waves.html", context)
