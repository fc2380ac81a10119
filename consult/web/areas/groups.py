"""Number groups of a campaign's questionnaire (``/campaigns/<slug>/results/groups``): staff
see the groups of every number and date question (defaults from the range or quartiles) and
change them; the groups then serve as filters, cross-tabs, waves and public outputs."""

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from consult.i18n import translator
from consult.web.areas.hub import hub_context
from consult.web.areas.polls import _one, _values
from consult.web.areas.results import RESULTS, campaign_data
from consult.web.plumbing.access import current_user
from consult.web.plumbing.templating import request_language
from surveys import bands

EMPTY_ROWS = 2


@dataclass(frozen=True)
class GroupForm:
    question: str
    label: str
    kind: str  # number | date
    rows: tuple[tuple[str, str], ...]  # (lower bound, name) as typed or stored
    stored: bool
    counts: tuple[int, ...]


def group_forms(db: Session, data, typed: dict[str, Any] | None = None) -> list[GroupForm]:
    version_id = max(c.version_id for c in data.campaigns)
    stored = bands.stored_bands(db, version_id)
    current = {b.question: b for b in bands.bands_of(data.document, data.frame, stored, data.lang)}
    forms = []
    for question in bands.bandable(data.document):
        band = current.get(question.name)
        if typed and typed.get("question") == question.name:
            rows = tuple(zip(typed["low"], typed["label"], strict=False))
        else:
            rows = tuple(zip(band.values, band.labels, strict=True)) if band else ()
        counts = ()
        if band is not None and bands.group_name(question.name) in data.frame.columns:
            column = data.frame[bands.group_name(question.name)]
            counts = tuple(int(n) for n in column.value_counts(sort=False).tolist())
        forms.append(
            GroupForm(
                question.name,
                bands.question_label(question, data.lang),
                "date" if question.type == "date" else "number",
                rows + (("", ""),) * EMPTY_ROWS,
                question.name in stored,
                counts,
            )
        )
    return forms


def groups_page(request: Request, db: Session, data, errors=None, typed=None, status=200):
    context = {
        "user": current_user(request),
        "campaign": data.campaign,
        "forms": group_forms(db, data, typed),
        "errors": errors or {},
        "typed_question": (typed or {}).get("question", ""),
        "saved": request.query_params.get("saved", ""),
    } | hub_context(db, data.campaign, "bands")
    return Template("results/groups.html", context=context, status_code=status)


class GroupsController(Controller):
    path = "/campaigns/{slug:str}/results/groups"
    opt = RESULTS

    @get("", sync_to_thread=True)
    def show(self, request: Request, db: NamedDependency[Session], slug: FromPath[str]) -> Template:
        return groups_page(request, db, campaign_data(request, db, slug))

    @post("", sync_to_thread=True, status_code=303)
    def save(
        self,
        request: Request,
        db: NamedDependency[Session],
        slug: FromPath[str],
        data: URLEncodedBody[dict[str, Any]],
    ) -> Template | Redirect:
        results = campaign_data(request, db, slug)
        version_id = max(c.version_id for c in results.campaigns)
        question = _one(data, "question")
        if _one(data, "action") == "reset":
            bands.reset_bands(db, version_id, question)
            return Redirect(f"/campaigns/{slug}/results/groups?saved={question}", status_code=303)
        lows, labels = _values(data, "low"), _values(data, "label")
        lang = request_language(request)
        problems = bands.save_bands(db, version_id, results.document, question, lows, labels, lang)
        if not problems:
            return Redirect(f"/campaigns/{slug}/results/groups?saved={question}", status_code=303)
        gettext = translator(lang).gettext
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.where, []).append(
                gettext(bands.BAND_MESSAGES[p.code]).format(**p.params)
            )
        typed = {"question": question, "low": lows, "label": labels}
        return groups_page(request, db, results, errors, typed, status=400)
