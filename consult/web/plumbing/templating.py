"""Jinja2 set-up: gettext in the request's language, and the language chosen per request."""

import threading
import weakref

from jinja2 import pass_context
from litestar.connection import ASGIConnection
from litestar.plugins.jinja import JinjaTemplateEngine as Engine
from markupsafe import Markup

from consult.i18n import LANGUAGES, best_language, translator
from surveys.presentation import TEMPLATE_GLOBALS

LANGUAGE_COOKIE = "consult_lang"


def request_language(connection: ASGIConnection) -> str:
    """Cookie set by the language switch, then the browser's preference, then the default."""
    state = connection.scope.setdefault("state", {})
    if "lang" not in state:
        chosen = connection.cookies.get(LANGUAGE_COOKIE)
        default = connection.app.state.settings.default_language
        if chosen not in LANGUAGES:
            chosen = best_language(connection.headers.get("accept-language"), default)
        state["lang"] = chosen
    return state["lang"]


def _lang(context) -> str:
    request = context.get("request")
    return request_language(request) if request is not None else "fr"


# Jinja's new-style gettext wrapper does the %-formatting and escaping around these.
@pass_context
def _gettext(context, message: str) -> str:
    return translator(_lang(context), context.get("register", "")).gettext(message)


@pass_context
def _ngettext(context, singular: str, plural: str, n: int) -> str:
    translations = translator(_lang(context), context.get("register", ""))
    return translations.ngettext(singular, plural, n)


@pass_context
def _current_lang(context) -> str:
    return _lang(context)


QUESTION_TEMPLATE = "questions/_question.html"
# A blank question (no value, no error) renders the same for every respondent of a version:
# keep its HTML. Keyed by the Question object itself (documents are cached per version), held
# weakly so that a version dropped from the document cache takes its HTML with it.
_blank_questions: dict[int, tuple[weakref.ref, dict[tuple, Markup]]] = {}
_blank_lock = threading.Lock()


@pass_context
def _question_block(context, q, value=None, form=None, errors=(), preview=False) -> Markup:
    blank = value is None and not form and not errors
    key = (_lang(context), context.get("register", ""), bool(context.get("easy")), bool(preview))
    if blank:  # looked up before anything else: a 20-question page is 20 of these
        entry = _blank_questions.get(id(q))
        if entry is not None and entry[0]() is q and key in entry[1]:
            return entry[1][key]
    variables = {**context.get_all(), "q": q, "value": value, "form": form, "errors": errors}
    variables["preview"] = preview
    html = Markup(context.environment.get_template(QUESTION_TEMPLATE).render(variables))
    if blank:
        with _blank_lock:
            entry = _blank_questions.get(id(q))
            if entry is None or entry[0]() is not q:
                entry = (
                    weakref.ref(q, lambda _ref, ident=id(q): _blank_questions.pop(ident, None)),
                    {},
                )
                _blank_questions[id(q)] = entry
            entry[1][key] = html
    return html


def configure_engine(engine: Engine) -> None:
    env = engine.engine
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.globals["current_lang"] = _current_lang
    env.globals["languages"] = LANGUAGES
    env.globals["question_block"] = _question_block
    env.globals.update(TEMPLATE_GLOBALS)  # question templates (templates/questions/)
    env.trim_blocks = True
    env.lstrip_blocks = True
