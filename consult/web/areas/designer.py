"""The questionnaire editor: one page, every action a plain form that htmx enhances.

The phone preview's routes are in ``designer_preview``, the condition builder's rows in
``designer_logic``.

Each action loads the questionnaire (403 outside the user's commissions), applies one pure
change from ``surveys.editing`` to the draft through ``surveys.questionnaires`` and answers
with the editor fragment (htmx) or a 303 back to the editor (no JavaScript).
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlmodel import Session

from analysis.i18n import N_
from consult.i18n import LANGUAGES, translator
from consult.web.areas import designer_logic
from consult.web.areas.questionnaires import load_questionnaire, max_questions, rendered, take_flash
from consult.web.plumbing.access import Access, current_user
from consult.web.plumbing.templating import request_language
from surveys import editing, logic
from surveys import questionnaires as service
from surveys.document import Document, text
from surveys.messages import render
from surveys.paper import numbers
from surveys.problems import Problem, ProblemsError
from surveys.types import REGISTRY, effective_choices
from surveys.validation import validate

DESIGN = {"access": Access.DESIGN}
UNDO_KEY = "designer_undo"
Form = URLEncodedBody[dict[str, Any]]

TYPE_LABELS = {
    "single_choice": N_("Single choice"),
    "multiple_choice": N_("Multiple choice"),
    "likert": N_("Likert scale"),
    "rating": N_("Rating from 0 to 10"),
    "integer": N_("Whole number"),
    "decimal": N_("Decimal number"),
    "text": N_("Short text"),
    "long_text": N_("Long text"),
    "date": N_("Date"),
    "yes_no": N_("Yes / no"),
    "ranking": N_("Ranking"),
    "matrix": N_("Matrix (rows sharing one scale)"),
    "note": N_("Note (display only)"),
}


PRESET_LABELS = {
    "agreement_4": N_("Agreement, 4 points"),
    "agreement_5": N_("Agreement, 5 points"),
    "satisfaction": N_("Satisfaction, 4 points"),
    "frequency": N_("Frequency, never to always"),
    "yes_no_dont_know": N_("Yes / no / don’t know"),
    "zero_to_ten": N_("From 0 to 10"),
}


def _in_languages(message: str, languages: tuple[str, ...]) -> dict[str, str]:
    return {lang: translator(lang).gettext(message) for lang in languages}


def _flat(form: dict[str, Any]) -> dict[str, str]:
    """One value per field (the last one typed when a name was repeated)."""
    return {k: (v[-1] if isinstance(v, list) else str(v)) for k, v in form.items()}


def editor_context(
    db: Session, request: Request, questionnaire, focus: str | None = None, **extra: Any
) -> dict[str, Any]:
    version = service.latest_version(db, questionnaire.id)
    document = service.document_of(version)
    lang = request_language(request)
    by_question: dict[str, list[str]] = defaultdict(list)
    by_section: dict[str, list[str]] = defaultdict(list)
    general: list[str] = []
    for problem in validate(document):
        message = render(problem, lang, with_location=False)
        params = problem.params
        if "question" in params:
            by_question[params["question"]].append(message)
        elif "section" in params:
            by_section[params["section"]].append(message)
        else:
            general.append(message)
    undo = request.session.get(UNDO_KEY) if request.session else None
    doc_lang = lang if lang in document.languages else document.default_language
    return {
        "user": current_user(request),
        "questionnaire": questionnaire,
        "version": version,
        "document": document,
        "doc_lang": doc_lang,
        "t": lambda labels: text(labels, doc_lang, document.default_language),
        "choices_of": effective_choices,
        "say": lambda expression: logic.say(document, expression, doc_lang),
        "ordinary": editing.ordinary_choices,
        "choices_text": editing.choices_as_text,
        "rows_text": editing.rows_as_text,
        "presets": PRESET_LABELS,
        "exclusive_types": editing.EXCLUSIVE_TYPES,
        "numbers": numbers(document),
        "registry": REGISTRY,
        "type_labels": TYPE_LABELS,
        "all_languages": tuple(dict.fromkeys((*document.languages, *LANGUAGES))),
        "question_problems": by_question,
        "section_problems": by_section,
        "general_problems": general,
        "problem_count": len(general)
        + sum(map(len, by_question.values()))
        + sum(map(len, by_section.values())),
        "builder": None,
        "insert_after": None,
        "focus": focus,
        "undo": undo if undo and undo.get("questionnaire") == questionnaire.id else None,
        "changed_at": service.last_change(db, version),
        **extra,
    }


def _editor(request: Request, db: Session, questionnaire, focus: str | None = None, **extra):
    wants_fragment = bool(request.htmx) and not request.htmx.boosted
    if not wants_fragment:
        anchor = f"?focus={focus}#q-{focus}" if focus else ""
        return Redirect(f"/questionnaires/{questionnaire.id}{anchor}", status_code=303)
    context = editor_context(db, request, questionnaire, focus, **extra)
    return Template("questionnaires/_editor.html", context=context, headers={"Vary": "HX-Request"})


def refused_edit(request: Request, db: Session, questionnaire, problems: tuple[Problem, ...]):
    """The editor again, saying why the action changed nothing (a limit, for instance)."""
    refused = rendered(list(problems), request_language(request))
    context = editor_context(db, request, questionnaire, edit_problems=refused)
    if bool(request.htmx) and not request.htmx.boosted:  # htmx swaps 2xx only
        return Template("questionnaires/_editor.html", context=context)
    return Template("questionnaires/edit.html", context=context, status_code=400)


def _change(
    request: Request,
    db: Session,
    questionnaire_id: int,
    change: Callable[[Document], Document],
    focus: str | None = None,
):
    questionnaire = load_questionnaire(db, request, questionnaire_id)
    try:
        service.edit_questionnaire(db, questionnaire_id, change, max_questions(request))
    except ProblemsError as refused:
        return refused_edit(request, db, questionnaire, refused.problems)
    except KeyError:
        raise NotFoundException() from None
    return _editor(request, db, questionnaire, focus)


# --- the condition builder (one condition at a time, see designer_logic) -------------------


def builder_url(questionnaire_id: int, target: str, name: str) -> str:
    where = "sections" if target == "section" else "questions"
    what = "constraint" if target == "constraint" else "condition"
    return f"/questionnaires/{questionnaire_id}/{where}/{name}/{what}"


def _target_exists(document: Document, target: str, name: str) -> bool:
    if target == "section":
        return any(s.name == name for s in document.sections)
    return document.has_question(name)


def _builder_page(
    request: Request, db: Session, questionnaire_id: int, target: str, name: str,
    form: dict[str, str] | None = None, problems: list | None = None,
) -> Template:  # fmt: skip
    """The builder alone: a page without JavaScript, a fragment for htmx (which, after a
    refused POST, is told to swap it in place of the builder rather than the editor)."""
    questionnaire = load_questionnaire(db, request, questionnaire_id)
    document = service.document_of(service.latest_version(db, questionnaire_id))
    if not _target_exists(document, target, name):
        raise NotFoundException()
    lang = request_language(request)
    doc_lang = lang if lang in document.languages else document.default_language
    if form is None:
        form = {
            k: v for k, v in request.query_params.items() if k.startswith(("clause_", "joiner"))
        }
    built = designer_logic.builder(
        document, target, name, builder_url(questionnaire_id, target, name), doc_lang, form,
        designer_logic.messages(problems or [], lang),
    )  # fmt: skip
    context = {
        "user": current_user(request),
        "questionnaire": questionnaire,
        "document": document,
        "b": built,
        "t": lambda labels: text(labels, doc_lang, document.default_language),
        "numbers": numbers(document),
        "operator_words": designer_logic.OPERATOR_WORDS,
        "joiner_words": designer_logic.JOINER_WORDS,
    }
    status = 400 if problems else 200
    if bool(request.htmx) and not request.htmx.boosted:
        headers = {"Vary": "HX-Request"}
        if problems:  # the refused form was aimed at the editor: put it back in its place
            headers |= {"HX-Retarget": f"#{built.id}", "HX-Reswap": "outerHTML"}
        return Template("questionnaires/_builder.html", context=context, headers=headers)
    return Template("questionnaires/builder.html", context=context, status_code=status)


LEGACY_FIELDS = {
    "question": "clause_0_question",
    "operator": "clause_0_op",
    "value": "clause_0_value",
}


def _apply_builder(
    request: Request, db: Session, questionnaire_id: int, target: str, name: str,
    form: dict[str, str],
) -> Template | Redirect:  # fmt: skip
    questionnaire = load_questionnaire(db, request, questionnaire_id)
    document = service.document_of(service.latest_version(db, questionnaire_id))
    if not _target_exists(document, target, name):
        raise NotFoundException()
    form = {LEGACY_FIELDS.get(k, k): v for k, v in form.items()}  # one-clause form of before
    action = form.get("action", "apply")
    if action == "remove":
        expression = None
    elif action == "expression":  # the "advanced" part: the XLSForm expression as typed
        expression = form.get("expression", "")
    else:
        lang = request_language(request)
        doc_lang = lang if lang in document.languages else document.default_language
        expression, problems = designer_logic.build(document, target, name, form, doc_lang)
        if problems:
            return _builder_page(request, db, questionnaire_id, target, name, form, problems)
    service.edit_questionnaire(
        db, questionnaire_id, lambda d: editing.set_condition(d, target, name, expression)
    )
    focus = name if target != "section" else None
    return _editor(request, db, questionnaire, focus)


class DesignerController(Controller):
    path = "/questionnaires/{questionnaire_id:int}"

    @get("/", opt=DESIGN, sync_to_thread=True)
    def edit(
        self,
        request: Request,
        db: NamedDependency[Session],
        questionnaire_id: FromPath[int],
        focus: FromQuery[str | None] = None,
        after: FromQuery[str | None] = None,
    ) -> Template:
        questionnaire = load_questionnaire(db, request, questionnaire_id)
        warnings = rendered(take_flash(request, questionnaire_id), request_language(request))
        context = editor_context(
            db, request, questionnaire, focus, import_warnings=warnings, insert_after=after
        )
        return Template("questionnaires/edit.html", context=context, headers={"Vary": "HX-Request"})

    @post("/settings", opt=DESIGN, sync_to_thread=True)
    def settings(
        self,
        request: Request,
        db: NamedDependency[Session],
        questionnaire_id: FromPath[int],
        data: Form,
    ) -> Template | Redirect:
        form = _flat(data)
        languages = tuple(lang for lang in form.get("languages", "").split() if lang) or tuple(
            lang for lang in LANGUAGES if form.get(f"lang_{lang}")
        )
        title = {lang: form.get(f"title_{lang}", "").strip() for lang in languages}
        introduction = None
        if any(k.startswith("description_") for k in form):
            introduction = {lang: form.get(f"description_{lang}", "").strip() for lang in languages}
        return _change(
            request, db, questionnaire_id,
            lambda d: editing.update_settings(
                d, {k: v for k, v in title.items() if v}, languages,
                None if introduction is None else {k: v for k, v in introduction.items() if v},
            ),
        )  # fmt: skip

    @post("/questions", opt=DESIGN, sync_to_thread=True)
    def add_question(
        self,
        request: Request,
        db: NamedDependency[Session],
        questionnaire_id: FromPath[int],
        data: Form,
    ) -> Template | Redirect:
        form = _flat(data)
        added: list[str] = []

        def change(document: Document) -> Document:
            label = _in_languages(N_("New question"), document.languages)
            section = form.get("section") or document.sections[-1].name
            after = form.get("after") or None
            document, name = editing.add_question(
                document, section, form.get("type", ""), label, after
            )
            added.append(name)
            # the add form may already hold the text, choices, rows, ticks and bounds
            typed = {k: v for k, v in form.items() if k not in ("section", "type", "after")}
            if not any(v.strip() for k, v in typed.items() if k.startswith("label_")):
                typed = {k: v for k, v in typed.items() if not k.startswith("label_")}
            question = editing.question_from_form(document, name, typed)
            return editing.replace_question(document, name, question)

        questionnaire = load_questionnaire(db, request, questionnaire_id)
        try:
            service.edit_questionnaire(db, questionnaire_id, change, max_questions(request))
        except ProblemsError as refused:
            return refused_edit(request, db, questionnaire, refused.problems)
        except (KeyError, IndexError):
            raise NotFoundException() from None
        return _editor(request, db, questionnaire, added[0])

    @post("/questions/{name:str}", opt=DESIGN, sync_to_thread=True)
    def update_question(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str], data: Form,
    ) -> Template | Redirect:  # fmt: skip
        form = _flat(data)
        new_name = (form.get("name") or name).strip()

        def change(document: Document) -> Document:
            return editing.replace_question(
                document, name, editing.question_from_form(document, name, form)
            )

        return _change(request, db, questionnaire_id, change, focus=new_name)

    @post("/questions/{name:str}/move", opt=DESIGN, sync_to_thread=True)
    def move_question(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str], data: Form,
    ) -> Template | Redirect:  # fmt: skip
        form = _flat(data)
        if form.get("section") and form.get("index", "").isdigit():  # dropped (drag and drop)
            index = int(form["index"])
            return _change(
                request, db, questionnaire_id,
                lambda d: editing.place_question(d, name, form["section"], index), name,
            )  # fmt: skip
        step = -1 if form.get("direction") == "up" else 1
        return _change(
            request, db, questionnaire_id, lambda d: editing.move_question(d, name, step), name
        )

    @post("/questions/{name:str}/duplicate", opt=DESIGN, sync_to_thread=True)
    def duplicate_question(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str],
    ) -> Template | Redirect:  # fmt: skip
        copies: list[str] = []

        def change(document: Document) -> Document:
            document, copy = editing.duplicate_question(document, name)
            copies.append(copy)
            return document

        questionnaire = load_questionnaire(db, request, questionnaire_id)
        try:
            service.edit_questionnaire(db, questionnaire_id, change)
        except KeyError:
            raise NotFoundException() from None
        return _editor(request, db, questionnaire, copies[0])

    @post("/questions/{name:str}/delete", opt=DESIGN, sync_to_thread=True)
    def delete_question(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str],
    ) -> Template | Redirect:  # fmt: skip
        deleted: list[dict] = []

        def change(document: Document) -> Document:
            document, info = editing.delete_question(document, name)
            deleted.append(info)
            return document

        response = _change(request, db, questionnaire_id, change)
        undo = {"questionnaire": questionnaire_id, "deleted": deleted[0], "name": name}
        request.set_session({**(request.session or {}), UNDO_KEY: undo})
        if isinstance(response, Template):  # the fragment is built before the session changes
            response.context["undo"] = undo
        return response

    @post("/undo", opt=DESIGN, sync_to_thread=True)
    def undo(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        load_questionnaire(db, request, questionnaire_id)  # 403 before saying what is undoable
        undo = (request.session or {}).get(UNDO_KEY)
        if not undo or undo.get("questionnaire") != questionnaire_id:
            raise NotFoundException()
        request.set_session({k: v for k, v in request.session.items() if k != UNDO_KEY})
        return _change(
            request, db, questionnaire_id,
            lambda d: editing.restore_question(d, undo["deleted"]), undo["name"],
        )  # fmt: skip

    @get("/questions/{name:str}/condition", opt=DESIGN, sync_to_thread=True)
    def condition_builder(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str],
    ) -> Template:  # fmt: skip
        return _builder_page(request, db, questionnaire_id, "question", name)

    @post("/questions/{name:str}/condition", opt=DESIGN, sync_to_thread=True)
    def condition(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str], data: Form,
    ) -> Template | Redirect:  # fmt: skip
        return _apply_builder(request, db, questionnaire_id, "question", name, _flat(data))

    @get("/questions/{name:str}/constraint", opt=DESIGN, sync_to_thread=True)
    def constraint_builder(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str],
    ) -> Template:  # fmt: skip
        return _builder_page(request, db, questionnaire_id, "constraint", name)

    @post("/questions/{name:str}/constraint", opt=DESIGN, sync_to_thread=True)
    def constraint(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str], data: Form,
    ) -> Template | Redirect:  # fmt: skip
        return _apply_builder(request, db, questionnaire_id, "constraint", name, _flat(data))

    @get("/sections/{name:str}/condition", opt=DESIGN, sync_to_thread=True)
    def section_builder(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str],
    ) -> Template:  # fmt: skip
        return _builder_page(request, db, questionnaire_id, "section", name)

    @post("/sections/{name:str}/condition", opt=DESIGN, sync_to_thread=True)
    def section_condition(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str], data: Form,
    ) -> Template | Redirect:  # fmt: skip
        return _apply_builder(request, db, questionnaire_id, "section", name, _flat(data))

    @post("/sections", opt=DESIGN, sync_to_thread=True)
    def add_section(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        return _change(
            request, db, questionnaire_id,
            lambda d: editing.add_section(d, _in_languages(N_("New page"), d.languages))[0],
        )  # fmt: skip

    @post("/sections/{name:str}", opt=DESIGN, sync_to_thread=True)
    def update_section(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str], data: Form,
    ) -> Template | Redirect:  # fmt: skip
        form = _flat(data)
        return _change(
            request, db, questionnaire_id,
            lambda d: editing.update_section(
                d, name, {lang: form[f"title_{lang}"].strip() for lang in d.languages
                          if form.get(f"title_{lang}", "").strip()}
            ),
        )  # fmt: skip

    @post("/sections/{name:str}/move", opt=DESIGN, sync_to_thread=True)
    def move_section(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str], data: Form,
    ) -> Template | Redirect:  # fmt: skip
        step = -1 if _flat(data).get("direction") == "up" else 1
        return _change(request, db, questionnaire_id, lambda d: editing.move_section(d, name, step))

    @post("/sections/{name:str}/delete", opt=DESIGN, sync_to_thread=True)
    def delete_section(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int],
        name: FromPath[str],
    ) -> Template | Redirect:  # fmt: skip
        try:
            return _change(request, db, questionnaire_id, lambda d: editing.delete_section(d, name))
        except ValueError:  # the page still holds questions: nothing is deleted
            return _editor(request, db, load_questionnaire(db, request, questionnaire_id))

    @post("/publish", opt=DESIGN, sync_to_thread=True)
    def publish(
        self, request: Request, db: NamedDependency[Session], questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        questionnaire = load_questionnaire(db, request, questionnaire_id)
        outcome = service.publish(db, questionnaire_id)
        if not outcome.problems:
            return _editor(request, db, questionnaire, published=True)
        lang = request_language(request)
        refused = rendered(outcome.problems, lang)
        context = editor_context(db, request, questionnaire, publish_problems=refused)
        wants_fragment = bool(request.htmx) and not request.htmx.boosted
        if wants_fragment:  # htmx swaps 2xx only: the refusal is the new editor
            return Template("questionnaires/_editor.html", context=context)
        return Template("questionnaires/edit.html", context=context, status_code=400)
