"""The world of tests/security: one app on a copy of the demo, six signed-in actors
(tests/security/world.py), built once per test module."""

import pytest

from consult.web.areas import deck, results_files
from surveys import results
from tests.conftest import _template
from tests.security.world import build_world
from tests.web.conftest import any_db_client  # noqa: F401  (the same app on both databases)


@pytest.fixture(scope="module")
def world(templates, tmp_path_factory, request):
    source = _template("sqlite", True, templates, tmp_path_factory, request)
    with pytest.MonkeyPatch.context() as patch:
        # The matrix checks who gets through, not the files (tests/web and test_injection
        # do): the report's charts and the PDFs cost seconds per call.
        patch.setattr(results, "campaign_report", lambda *args, **kwargs: None)
        patch.setattr(results_files, "render_report", lambda *args: "<p>report</p>")
        patch.setattr(results_files, "report_pdf", lambda *args: b"%PDF-1.7")
        patch.setattr(deck, "html_to_pdf", lambda *args: b"%PDF-1.7")
        world = build_world(source, tmp_path_factory.mktemp("matrix"))
        yield world
        world.client.__exit__(None, None, None)
