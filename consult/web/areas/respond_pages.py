"""How a respondent page is rendered: the template and its context, and the blank section
page filled into the copy shared by every respondent of a version."""

from dataclasses import replace
from typing import Any

from litestar import Request, Response
from litestar.params import FromPath
from litestar.response import Template

from consult.web.areas.respond_visit import Visit
from consult.web.plumbing import page_cache
from surveys import capture
from surveys.answers import Checked, Relevance, relevance
from surveys.choice_filter import narrowed
from surveys.messages import render
from surveys.problems import Problem

NO_STORE = {"Cache-Control": "no-store", "Vary": "HX-Request"}


def texts_of(visit: Visit) -> dict[str, Any]:
    """How the built-in texts and the questions read for this respondent."""
    return {"register": visit.register, "easy": visit.easy}


def page(name: str, visit: Visit, status_code: int = 200, **context: Any) -> Template:
    return Template(
        f"respond/{name}.html",
        context={"v": visit, "lang": visit.lang, **texts_of(visit), **context},
        status_code=status_code,
        headers=NO_STORE,
    )


def errors_by_question(
    problems: tuple[Problem, ...], lang: str, register: str = ""
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in problems:
        message = render(problem, lang, with_location=False, register=register)
        errors.setdefault(problem.where, []).append(message)
    return errors


def to_show_again(
    visit: Visit, section: str, form: dict, checked: Checked, state: Relevance
) -> tuple[tuple[str, ...], tuple[Problem, ...]]:
    """Why a posted page comes back: the questions its answers opened that the respondent has
    not seen yet (the page lists what it showed in ``_shown``), and the problems of the
    questions it showed."""
    shown = set(form.get("_shown", []))
    appeared = tuple(
        q.name
        for q in visit.document.section(section).questions
        if state.questions[q.name] and q.name not in shown
    )
    return appeared, tuple(p for p in checked.problems if p.where in shown)


def section_context(
    visit: Visit,
    section: FromPath[str],
    form=None,
    problems=(),
    notice: tuple[str, ...] = (),
    state: Relevance | None = None,
) -> dict:
    """What a section page shows. ``notice``: the questions that appeared since the page was
    shown. ``state``: the relevance of the draft's answers when the caller already has it (it
    walks the whole questionnaire: once per request)."""
    document, draft = visit.document, visit.draft
    answers = draft.answers  # the page just posted is already saved into it
    state = state or relevance(document, answers)
    if form is None:  # typed earlier and not accepted yet: shown as typed, flagged
        form, typed_problems = capture.typed_form(document, section, answers)
        typed = {p.where for p in typed_problems}
        problems = (*(p for p in problems if p.where not in typed), *typed_problems)
    shown = [q for q in document.section(section).questions if state.questions[q.name]]
    questions = narrowed(shown, state.answers)  # cascading lists follow earlier answers
    number, total = capture.progress(document, answers, section, state)
    previous = capture.previous_section(document, answers, section, state)
    names = tuple(q.name for q in questions)
    blank = form is None and not problems and not any(answers.get(n) is not None for n in names)
    # the page's questions, and the choices that earlier answers offer on it
    shape = (names, tuple(tuple(q.choice_values()) for q in questions if q.choice_filter))
    return {
        # Nothing answered, nothing to point out: the page is the same for every respondent.
        "blank_key": (visit.campaign.version_id, visit.base, section, shape) if blank else None,
        "section": document.section(section),
        "questions": questions,
        "answers": draft.answers,
        "form": form,
        "errors": errors_by_question(tuple(problems), visit.lang, visit.register),
        "notice": notice,
        "drivers": capture.drivers(document, section),
        "number": number,
        "total": total,
        "previous": f"{visit.base}/s/{previous}" if previous else visit.base,
    }


def section_page(request: Request, visit: Visit, context: dict) -> Template | Response:
    """A section page; a blank one is filled into the copy shared by every respondent of the
    version (consult.web.plumbing.page_cache) rather than rendered again."""
    if context["blank_key"] is not None:
        draft = visit.draft
        key = (
            *context["blank_key"],
            visit.campaign_row,  # whatever of the campaign a template shows
            visit.lang,
            visit.register,
            visit.easy,
            visit.kiosk,
            context["number"],
            context["total"],
            context["previous"],
            request.scope["path"],
            request.scope["query_string"],
        )

        def marked(markers: dict[str, str]) -> dict:
            shown = replace(visit, draft=replace(draft, token=markers["token"]))
            return {"v": shown, "lang": visit.lang, **texts_of(visit), **context}

        filled = page_cache.filled_response(
            request, "respond/section.html", key, marked, {"token": draft.token}, NO_STORE
        )
        if filled is not None:
            return filled
    return page("section", visit, **context)
