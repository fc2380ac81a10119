"""Openly licensed forms and surveys that nobody at Consult wrote (pyxform's example forms,
LimeSurvey exports shipped with citric) are not committed: ``make fixtures`` (a step of
``make install-test``, tests/fixtures/fetch.py) takes them from the sdists of those packages,
pinned and checked, into the untracked ``.fixtures/<kind>/`` of the checkout. The list,
sources and licences are in tests/fixtures/*/README.md.

A test that needs one skips, naming the file, when it is absent; ``make test`` sets
CONSULT_REQUIRE_FIXTURES=1, and then an absent fixture fails the test instead."""

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / ".fixtures"


def fixture(kind: str, name: str) -> Path:
    path = FIXTURES / kind / name
    if not path.is_file():
        reason = f"third-party fixture {kind}/{name} is not in {FIXTURES} (run `make fixtures`)"
        if os.environ.get("CONSULT_REQUIRE_FIXTURES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path
