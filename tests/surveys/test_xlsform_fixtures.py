"""Real, openly licensed XLSForms (tests/fixtures/xlsform/README.md): each imports with its
expected question count and warnings, and what we export from it converts with pyxform."""

import io
from collections import Counter

import pytest
from pyxform.xls2xform import convert

from surveys.problems import codes
from surveys.validation import validate
from surveys.xlsform import import_xlsform
from surveys.xlsform_export import export_xlsform
from tests.third_party import fixture

EXPECTED = [
    ("cascading_select_test_equivalent.xls", 7, {"W_CALCULATE_INLINED": 2}),
    ("choice_filter_test.xlsx", 3, {}),  # cascading lists, applied
    ("group.xls", 3, {}),  # "phone number": a text of digits
    ("or_other.xlsx", 2, {"W_CHOICE_FILTER": 1}),  # `pastel=yes`: no column "yes"
    ("specify_other.xls", 1, {}),  # "label:English", the old single-colon syntax
    ("table-list.xls", 4, {"W_UNKNOWN_COLUMN": 1}),  # constraint-msg: pyxform ignores it too
    ("widgets.xls", 21, {"W_ACKNOWLEDGE": 1, "W_UNSUPPORTED_TYPE": 8}),
    ("xlsform_spec_test.xlsx", 25, {"W_UNKNOWN_COLUMN": 1, "W_LABEL_FROM_NAME": 1,
     "W_CALCULATE_INLINED": 2, "W_REPEAT_SKIPPED": 1, "W_ACKNOWLEDGE": 1,
     "W_UNSUPPORTED_TYPE": 7, "W_METADATA_SKIPPED": 6, "W_LABEL_REFERENCE": 7,
     "W_MISSING_TRANSLATION": 3}),
    ("yes_or_no_question.xls", 1, {}),
]  # fmt: skip
# nothing left that Consult can ask: refused, the warnings saying why
REFUSED = [
    ("tutorial.xls", "X_NO_QUESTIONS", "W_REPEAT_SKIPPED"),  # every question in a repeat
    ("another_loop.xls", "X_NOTHING_TO_ASK", "W_UNSUPPORTED_TYPE"),  # begin loop over a list
    ("gps.xls", "X_NOTHING_TO_ASK", "W_UNSUPPORTED_TYPE"),
    ("calculate.xls", "X_NOTHING_TO_ASK", "W_CALCULATE_INLINED"),  # and notes showing them
]


@pytest.mark.parametrize(("name", "count", "warnings"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_a_real_form_imports_with_its_questions_and_warnings(name, count, warnings):
    document, problems, found = import_xlsform(fixture("xlsform", name).read_bytes())
    assert problems == []
    assert len(list(document.questions())) == count
    assert dict(Counter(codes(found))) == warnings
    assert validate(document) == []
    # and it can go back to ODK/Kobo, then come back unchanged
    data = export_xlsform(document)
    assert "<h:html" in convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx").xform
    again, problems, found = import_xlsform(data)
    assert problems == [] and found == []
    assert again == document


@pytest.mark.parametrize(("name", "code", "why"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_form_with_nothing_consult_can_ask_is_refused_with_the_reason(name, code, why):
    document, problems, warnings = import_xlsform(fixture("xlsform", name).read_bytes())
    assert document is None
    assert codes(problems) == [code]
    assert why in codes(warnings)


def test_the_or_other_of_a_real_form_keeps_its_specify_text_beside_the_answer():
    document, _, _ = import_xlsform(fixture("xlsform", "specify_other.xls").read_bytes())
    sex = next(document.questions())
    assert sex.other and sex.choice_values() == ["male", "female", "other"]
    assert sex.label == {"en": "What sex are you?"}


def test_a_missing_translation_names_the_language_shown_instead():
    """xlsform_spec_test: labels in English and Chinese, hints and choice labels in the
    untranslated columns (read as the import's default language, French here)."""
    _, _, warnings = import_xlsform(fixture("xlsform", "xlsform_spec_test.xlsx").read_bytes())
    missing = {w.params["lang"]: w.params["fallback"] for w in warnings
               if w.code == "W_MISSING_TRANSLATION"}  # fmt: skip
    assert set(missing) == {"fr", "en", "zh"}
    assert all(lang not in fallback.split(", ") for lang, fallback in missing.items())
