"""A `$` in a label is a character, not the start of matplotlib's mathtext: a label such as
"5$ ou 10$" or an unbalanced "$\\frac" once made a chart (and its page) fail with a 500."""

from dataclasses import replace

import pytest

from analysis.charts import bar_chart, crosstab_chart, to_png, to_svg
from analysis.codebook import Codebook
from analysis.crosstab import crosstab
from analysis.frames import frame_from_records
from analysis.summaries import summarise
from tests.analysis.survey import CODEBOOK, GENDER, HOBBIES, ROWS

DOLLARS = {"f": r"Moins de 5$ \frac{", "m": "5$ ou 10$"}


@pytest.fixture
def gender():
    return replace(GENDER, category_labels=DOLLARS, label="Budget en $ (\\sqrt$)")


def with_variable(variable) -> Codebook:
    return Codebook(
        tuple(
            CODEBOOK.variables[i] if v.name != variable.name else variable
            for i, v in enumerate(CODEBOOK.variables)
        )
    )


def test_a_crosstab_chart_draws_labels_with_dollars_as_text(gender):
    frame = frame_from_records(ROWS, with_variable(gender))
    chart = crosstab_chart(crosstab(frame, gender, HOBBIES), lang="fr")
    svg = to_svg(chart).decode()
    assert "5$ ou 10$" in svg and r"Moins de 5$ \frac{" in svg
    assert to_png(chart).startswith(b"\x89PNG")


def test_a_bar_chart_title_with_dollars_draws(gender):
    frame = frame_from_records(ROWS, with_variable(gender))
    svg = to_svg(bar_chart(summarise(frame, gender), lang="en")).decode()
    assert "5$ ou 10$" in svg
