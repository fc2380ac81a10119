"""Relevance walks a plan made once per questionnaire version (issue 19: it ran on every
respondent page, re-reading each question's condition and keys every time); a page's
drivers are found once too."""

import gc

import surveys.answers
import surveys.capture
from bench.data import bench_document
from surveys.answers import relevance
from surveys.document import from_dict


def test_the_conditions_are_looked_up_once_per_document(monkeypatch):
    document = from_dict(bench_document(20, 10))
    lookups: list[str] = []
    real = surveys.answers.compiled
    monkeypatch.setattr(surveys.answers, "compiled", lambda e: lookups.append(e) or real(e))
    first = relevance(document, {"s0": "c4", "l0": "neutre"})
    assert first.questions["l0"] is False and "l0" not in first.answers
    made = len(lookups)
    again = relevance(document, {"s0": "c1", "l0": "neutre"})
    assert again.questions["l0"] is True and again.answers["l0"] == "neutre"
    assert len(lookups) == made
    # another document (a new version) gets its own plan
    other = from_dict(bench_document(12, 6))
    assert relevance(other, {"s0": "c4"}).questions["l0"] is False
    assert len(lookups) > made


def test_a_dropped_document_takes_its_plan_along():
    document = from_dict(bench_document(20, 10))
    relevance(document, {})
    key = id(document)
    surveys.capture.drivers(document, "page0")
    assert surveys.capture.drivers(document, "page0") == frozenset()
    assert key in surveys.answers._DERIVED
    del document
    gc.collect()
    assert key not in surveys.answers._DERIVED


def test_a_page_drivers_are_the_questions_its_conditions_read():
    document = from_dict(bench_document(20, 20))  # l0 is asked unless s0 is c4
    assert surveys.capture.drivers(document, "page0") == frozenset({"s0"})
    assert surveys.capture.drivers(document, "page0") is surveys.capture.drivers(document, "page0")
