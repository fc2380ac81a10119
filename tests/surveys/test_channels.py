"""Channel codes said in words, in the reader's language (issue 14: « web / paper / kiosk »
were shown as stored)."""

import pytest

from surveys.channels import channel_name
from surveys.results import gettext_for


@pytest.mark.parametrize(
    ("code", "french", "english"),
    [
        ("web", "En ligne", "Online"),
        ("paper", "Papier", "Paper"),
        ("kiosk", "Borne", "Kiosk"),
        ("import", "Import", "File import"),
        (
            "partner:mjc-thionville",
            "Lien partenaire : mjc-thionville",
            "Partner link: mjc-thionville",
        ),
        ("carrier-pigeon", "carrier-pigeon", "carrier-pigeon"),
    ],
)
def test_every_channel_has_a_name_in_french_and_english(code, french, english):
    assert channel_name(code, gettext_for("fr")) == french
    assert channel_name(code, gettext_for("en")) == english
