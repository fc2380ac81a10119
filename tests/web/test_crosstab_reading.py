"""The cross-tab's test sentence reads as two sentences (it was « V de Cramér = 0,11.Pas de
lien… », glued by the template's whitespace control)."""

import re

from tests.web.conftest import html, login


def test_the_test_result_and_its_reading_are_two_sentences(client):
    assert login(client, "facilitator").status_code == 303
    page = html(
        client.get(
            "/campaigns/temps-libre-2013/results/crosstab?row=quartier&col=satisfaction_offre"
        )
    )
    text = page.select_one("#crosstab p.test").get_text()
    assert "V de Cramér" in text
    assert not re.search(r"\.[A-ZÀ-Ý]", text), text
