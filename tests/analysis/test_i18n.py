from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import analysis
from analysis.formats import below_k, format_number, format_points, format_share
from analysis.i18n import catalogue_paths, gettext_for

PACKAGE = Path(analysis.__file__).parent


def used_msgids() -> set[str]:
    found = extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords={"N_": None, "_": None}
    )
    return {message for _file, _line, message, _comments, _context in found}


def test_every_msgid_used_has_a_french_translation():
    translated = set()
    for path in catalogue_paths(PACKAGE, "fr"):
        with path.open("rb") as fh:
            translated |= {m.id for m in read_po(fh) if m.id and m.string}
    used = used_msgids()
    assert len(used) > 30  # the extraction sees the code
    assert sorted(used - translated) == []


def test_english_is_the_message_id_and_french_the_default():
    assert gettext_for("en")("No answer") == "No answer"
    assert gettext_for("fr")("No answer") == "Sans réponse"


def test_french_numbers_have_a_decimal_comma_and_a_non_breaking_space_before_percent():
    assert format_share(0.125, "fr") == "12,5\u00a0%"
    assert format_share(0.125, "en") == "12.5%"
    assert format_number(1234.5, "fr") == "1\u202f234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_points(-3.25, "fr", 2) == "−3,25\u00a0pts"
    assert below_k(5, "fr") == "< 5"
