"""Results pages: campaign overview with question cards and filters, cross-tabs, free text
and quotes, waves of a series. Everything is computed by ``surveys.results``."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template
from sqlmodel import Session

from analysis.filters import FilterPart, describe_filters
from consult.accounts.audit import TEXT_ANSWERS
from consult.accounts.services import CurrentUser
from consult.i18n import translator
from consult.web.areas.audit import log_access
from consult.web.areas.hub import hub_context
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.htmx import page_or_fragment
from consult.web.plumbing.templating import request_language
from surveys import bands
from surveys import results as service
from surveys.campaigns import series_owner
from surveys.messages import SEPARATOR, gettext_for, render
from surveys.population import population_of
from surveys.results import CampaignInfo, Filtered, ResultsData
from surveys.results.weighting import series_weighting_of, weighting_facts, weighting_of

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
    return with_groups(
        db,
        service.load_results(
            db, [campaign], request_language(request), request.app.state.results_cache
        ),
    )


def with_groups(db: Session, data: ResultsData) -> ResultsData:
    """The data with its number and date questions also as groups (surveys.bands)."""
    return bands.banded(db, data, translator(data.lang).gettext)


def series_data(request: Request, db: Session, series: str) -> ResultsData:
    """The waves of a series: only its owning commission's campaigns (404 for an unknown
    series, 403 to those who do not see that commission)."""
    campaigns = service.find_series(db, series, series_owner(db, series))
    check_access(current_user(request), campaigns)
    return service.load_results(
        db, campaigns, request_language(request), request.app.state.results_cache
    )


@dataclass(frozen=True)
class Chip:
    """One value of the active filter, and the query of the same view without it."""

    part: FilterPart
    remove_qs: str


def filter_chips(
    data: ResultsData, applied: Filtered, keep: Mapping[str, str | list[str]]
) -> list[Chip]:
    chips = []
    gettext = translator(data.lang).gettext
    for part in service.filter_parts_of(data, applied, gettext):
        rest = {
            key: [v for v in values if (key, v) != (part.key, part.value)]
            for key, values in applied.query.items()
        }
        query = dict(keep) | {key: values for key, values in rest.items() if values}
        chips.append(Chip(part, urlencode(query, doseq=True)))
    return chips


def base_context(
    request: Request,
    db: Session,
    data: ResultsData,
    active: str,
    keep: Mapping[str, str | list[str]] | None = None,
) -> dict[str, Any]:
    """What every results view shows: the hub's tabs, the filter bar, the filter as chips.
    ``keep`` holds the view's own query (the chosen questions) kept when a chip is removed."""
    applied = service.filter_results(data, service.filter_query(query_of(request)))
    gettext = translator(data.lang).gettext
    parts = service.filter_parts_of(data, applied, gettext)
    kept = {k: v for k, v in (keep or {}).items() if v}
    return {
        "user": current_user(request),
        "campaign": data.campaign,
        "data": data,
        "applied": applied,
        "filters": service.filter_options(data, applied),
        "filter_qs": urlencode(applied.query, doseq=True),
        "filter_chips": filter_chips(data, applied, kept),
        "clear_qs": urlencode(kept, doseq=True),  # the view without any filter
        "filter_text": describe_filters(parts, gettext),
        "problems": applied.problems,
    } | hub_context(db, data.campaign, active)


def weighting_context(request: Request, db: Session, data: ResultsData) -> dict[str, Any]:
    """The "weighted" and "intervals" switches: what was asked, and the weights if any."""
    asked = request.query_params.get("weighted") == "1"
    weighting, problems = weighting_of(db, data) if asked else (None, [])
    return {
        "weighted_asked": asked,
        "weighting": weighting,
        "weighting_problems": [render(p, request_language(request)) for p in problems],
        "weighting_facts": weighting_facts(weighting, request_language(request))
        if weighting
        else None,
        "has_margins": population_of(db, data.campaign.id) is not None,
        "intervals": request.query_params.get("intervals") == "1" or weighting is not None,
        "switch_qs": urlencode(
            [
                (key, value)
                for key, value in request.query_params.multi_items()
                if key not in ("weighted", "intervals")
            ]
        ),
    }


class ResultsController(Controller):
    path = "/campaigns/{slug:str}/results"
    opt = RESULTS

    @get("/", sync_to_thread=True)
    def overview(
        self, request: HTMXRequest, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        data = campaign_data(request, db, slug)
        context = base_context(request, db, data, "results")
        context |= weighting_context(request, db, data)
        weights = context["weighting"].weights if context["weighting"] else None
        context |= {
            "overview": service.overview(data),
            # a number's groups are a view of its card, not a card of their own
            "cards": [
                card
                for card in service.question_cards(
                    data, context["applied"], weights=weights, intervals=context["intervals"]
                )
                if not bands.is_group(card.question)
            ],
        }
        return page_or_fragment(request, "results/page.html", "results/_cards.html", context)

    @get("/exports", sync_to_thread=True)
    def exports(
        self, request: HTMXRequest, db: NamedDependency[Session], slug: FromPath[str]
    ) -> Template:
        data = campaign_data(request, db, slug)
        labels = request.query_params.get("labels") == "true"  # CSV and Excel: labels or codes
        keep = {"labels": "true" if labels else ""}
        context = base_context(request, db, data, "exports", keep) | {"labels": labels}
        return Template("results/exports.html", context=context)

    @get("/crosstab", sync_to_thread=True)
    def crosstab(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: FromPath[str],
        row: FromQuery[str] = "",
        col: FromQuery[str] = "",
    ) -> Template:
        data = campaign_data(request, db, slug)
        keep = {"row": row, "col": col}
        context = base_context(request, db, data, "crosstab", keep) | {"row": row, "col": col}
        context["view"] = None
        context |= weighting_context(request, db, data)
        weights = context["weighting"].weights if context["weighting"] else None
        context["choices"] = service.choosable(data)
        if row and col:
            context["pair_problems"] = service.check_pair(data, row, col)
            if not context["pair_problems"]:
                context["view"] = service.crosstab_view(
                    data, context["applied"], row, col, weights=weights
                )
        return page_or_fragment(request, "results/crosstab.html", "results/_crosstab.html", context)

    @get("/text", sync_to_thread=True)
    def text(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: FromPath[str],
        q: FromQuery[str] = "",
        search: FromQuery[str] = "",
    ) -> Template:
        data = campaign_data(request, db, slug)
        questions = service.text_questions(data)
        chosen = q if q in dict(questions) else (questions[0][0] if questions else "")
        context = base_context(request, db, data, "text", {"q": chosen, "search": search})
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
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, str]],
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
        slug: FromPath[str],
        quote_id: FromPath[int],
        data: URLEncodedBody[dict[str, str]],
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


MIN_N = service.MIN_WAVE_N  # respondents a wave needs, by default, before it is compared


@dataclass(frozen=True)
class WaveChoice:
    key: str
    name: str
    n: int
    chosen: bool


def wave_selection(
    request: Request, db: Session, campaigns: list[CampaignInfo]
) -> tuple[ResultsData | None, list[WaveChoice], int]:
    """The waves to compare: those ticked (``waves``), else every wave with at least ``min_n``
    respondents under the active filter; the data of the chosen waves (None when fewer
    than two)."""
    params = request.query_params
    raw_min = params.get("min_n", "")
    min_n = int(raw_min) if raw_min.isdigit() and 0 < int(raw_min) < 100_000 else MIN_N
    lang = request_language(request)
    cache = request.app.state.results_cache
    everything = with_groups(db, service.load_results(db, campaigns, lang, cache))
    applied = service.filter_results(everything, service.filter_query(query_of(request)))
    counts = applied.frame["campaign"].astype("string").value_counts()
    picked = set(params.getall("waves", []))
    choices = [
        WaveChoice(
            c.key,
            c.name,
            n := int(counts.get(c.key, 0)),
            c.key in picked if picked else n >= min_n,
        )
        for c in campaigns
    ]
    kept = [c for c, choice in zip(campaigns, choices, strict=True) if choice.chosen]
    if len(kept) == len(campaigns):
        return everything, choices, min_n
    data = with_groups(db, service.load_results(db, kept, lang, cache)) if len(kept) > 1 else None
    return data, choices, min_n


def waves_weighting(request: Request, db: Session, data: ResultsData | None, campaigns):
    """The waves' "weighted" switch: each wave raked to its own margins, when asked."""
    asked = request.query_params.get("weighted") == "1"
    weighting, problems = series_weighting_of(db, data) if asked and data else (None, [])
    lang = request_language(request)
    return {
        "weighted_asked": asked,
        "series_weighting": weighting,
        "weighting_problems": [
            gettext_for(lang)(SEPARATOR).format(location=wave, message=render(p, lang))
            if wave
            else render(p, lang)
            for wave, p in problems
        ],
        "wave_facts": {
            w.key: weighting_facts(w.weighting, lang)
            for w in (weighting.waves if weighting else ())
        },
        "has_margins": any(population_of(db, c.id) is not None for c in campaigns),
        "switch_qs": urlencode(
            [(k, v) for k, v in request.query_params.multi_items() if k != "weighted"]
        ),
    }


def waves_page(request: HTMXRequest, db: Session, campaigns: list[CampaignInfo], campaign, q: str):
    check_access(current_user(request), campaigns)
    data, waves, min_n = wave_selection(request, db, campaigns)
    series = campaigns[0].series
    if data is None:
        cache = request.app.state.results_cache
        lang = request_language(request)
        data_all = with_groups(db, service.load_results(db, campaigns, lang, cache))
    shown = data or data_all
    picked = request.query_params.getall("waves", [])
    weighted = request.query_params.get("weighted", "")
    keep = {"q": q, "min_n": str(min_n), "waves": picked, "weighted": weighted}
    context = base_context(request, db, shown, "waves", keep)
    context |= hub_context(db, campaign, "waves") | {"campaign": campaign}
    # the waves are chosen above: the filter bar does not offer them again
    context["filters"] = [f for f in context["filters"] if f.name != "campaign"]
    choices = service.comparable(shown)
    names = dict(choices)
    chosen = q if q in names else (choices[0][0] if choices else "")
    waves_qs = urlencode({"waves": [w.key for w in waves if w.chosen], "min_n": min_n}, doseq=True)
    context |= {"series": series, "choices": choices, "q": chosen, "waves": waves}
    context |= {"min_n": min_n, "waves_qs": waves_qs, "unknown": bool(q) and q not in names}
    context |= waves_weighting(request, db, data, campaigns)
    weights = context["series_weighting"].weights if context["series_weighting"] else None
    context["view"] = (
        service.waves_view(data, context["applied"], chosen, min_n=min_n, weights=weights)
        if chosen and data
        else None
    )
    return page_or_fragment(request, "results/waves.html", "results/_waves.html", context)


class CampaignWavesController(Controller):
    path = "/campaigns/{slug:str}/results"
    opt = RESULTS

    @get("/waves", sync_to_thread=True)
    def waves(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        slug: FromPath[str],
        q: FromQuery[str] = "",
    ) -> Template:
        campaign = service.find_campaign(db, slug)
        check_access(current_user(request), [campaign] if campaign else [])
        own = service.find_series(db, campaign.series, campaign.commission_id)
        campaigns = own or [campaign]
        return waves_page(request, db, campaigns, campaign, q)


class WavesController(Controller):
    path = "/series/{series:str}"
    opt = RESULTS

    @get("/waves", sync_to_thread=True)
    def waves(
        self,
        request: HTMXRequest,
        db: NamedDependency[Session],
        series: FromPath[str],
        q: FromQuery[str] = "",
    ) -> Template:
        campaigns = service.find_series(db, series, series_owner(db, series))
        check_access(current_user(request), campaigns)
        return waves_page(request, db, campaigns, campaigns[-1], q)
