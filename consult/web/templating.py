"""Jinja2 set-up: gettext in the request's language, and the language chosen per request."""

from jinja2 import pass_context
from litestar.connection import ASGIConnection
from litestar.plugins.jinja import JinjaTemplateEngine as Engine

from consult.i18n import LANGUAGES, best_language, translator

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
    return translator(_lang(context)).gettext(message)


@pass_context
def _ngettext(context, singular: str, plural: str, n: int) -> str:
    return translator(_lang(context)).ngettext(singular, plural, n)


@pass_context
def _current_lang(context) -> str:
    return _lang(context)


def configure_engine(engine: Engine) -> None:
    env = engine.engine
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.globals["current_lang"] = _current_lang
    env.globals["languages"] = LANGUAGES
    env.trim_blocks = True
    env.lstrip_blocks = True
