"""Standing invariants: templates named in code exist, every string has French, every route
declares who may use it."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from litestar import get

from analysis.i18n import catalogue_paths
from consult.app import create_app
from consult.i18n import translator
from consult.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_NAME = re.compile(r"""["']([\w/]+\.html)["']""")


def test_every_template_named_in_the_code_exists():
    named = {
        name
        for path in (ROOT / "consult").rglob("*.py")
        for name in TEMPLATE_NAME.findall(path.read_text())
    }
    included = {
        name
        for path in (ROOT / "templates").rglob("*.html")
        for name in re.findall(
            r"""{%\s*(?:extends|include|import|from)\s+["']([^"']+)["']""", path.read_text()
        )
    }
    assert named, "no template names found: the pattern is broken"
    missing = sorted(n for n in named | included if not (ROOT / "templates" / n).exists())
    assert missing == []


def _messages(directory: Path, method_map) -> set:
    options = {"**.html": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        directory,
        method_map=method_map,
        options_map=options,
        keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
    ):
        found.add(message)
    return found


def _french_catalogue_ids() -> set[str]:
    ids = set()
    for package in ("consult", "surveys", "analysis"):
        for path in catalogue_paths(ROOT / package, "fr"):
            with path.open("rb") as fh:
                for message in read_po(fh):
                    strings = (
                        message.string if isinstance(message.string, tuple) else (message.string,)
                    )
                    if message.id and all(strings):
                        ids.add(message.id[0] if isinstance(message.id, tuple) else message.id)
    return ids


def test_every_user_facing_string_has_a_french_translation():
    messages = _messages(ROOT / "templates", [("**.html", "jinja2")])
    for package in ("consult", "surveys", "analysis"):
        messages |= _messages(ROOT / package, [("**.py", "python")])
    assert len(messages) > 30
    ids = {m[0] if isinstance(m, tuple) else m for m in messages}
    assert sorted(ids - _french_catalogue_ids()) == []
    assert translator("fr").gettext("Sign in") == "Se connecter"


def test_english_needs_no_catalogue():
    assert translator("en").gettext("Sign in") == "Sign in"


def test_an_app_refuses_to_start_with_a_route_that_declares_no_access_rule(tmp_path):
    @get("/forgotten", sync_to_thread=False)
    def forgotten() -> str:
        return "?"

    import consult.app as app_module

    original = list(app_module.CONTROLLERS)
    app_module.CONTROLLERS.append(forgotten)
    try:
        with pytest.raises(RuntimeError, match="/forgotten"):
            create_app(Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db"))
    finally:
        app_module.CONTROLLERS[:] = original


def test_every_route_of_the_app_declares_an_access_rule(tmp_path):
    app = create_app(Settings(var_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/x.db"))
    for route in app.routes:
        for handler in route.route_handlers:
            if handler.http_methods != {"OPTIONS"}:
                assert "access" in handler.opt, route.path
