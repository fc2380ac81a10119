"""Number groups: a number or date question cut into groups becomes an ordinal variable of
the analysis frame and codebook (issue 14, "Numbers as groups")."""

from datetime import date

import pandas as pd

from analysis.codebook import Codebook, Variable
from analysis.crosstab import crosstab
from surveys.bands import (
    band_codes,
    default_bands,
    group_name,
    is_group,
    question_range,
    with_bands,
)
from surveys.document import from_dict


def question(**fields):
    document = {
        "schema": 1,
        "name": "q",
        "version": "1",
        "title": {"fr": "Q"},
        "languages": ["fr"],
        "sections": [{"name": "s", "title": {"fr": "S"}, "questions": [fields]}],
    }
    return next(from_dict(document).questions())


AGE = question(
    name="age", type="integer", label={"fr": "Quel âge as-tu ?"}, constraint=". >= 14 and . <= 25"
)


def test_a_short_range_is_cut_in_three_groups():
    bands = default_bands(AGE, pd.Series([16.0]), "fr")
    assert bands.lows == (14, 18, 22)
    assert bands.labels == ("14–17", "18–21", "22–25")
    assert bands.values == ("14", "18", "22")


def test_the_range_comes_from_min_max_or_the_constraint():
    assert question_range(AGE) == (14, 25)
    rating = question(name="note", type="rating", label={"fr": "Note"}, min=0, max=10)
    assert question_range(rating) == (0, 10)
    assert default_bands(rating, pd.Series([], dtype=float), "fr").labels == ("0–3", "4–7", "8–10")


def test_a_long_range_is_cut_at_the_quartiles_of_the_answers():
    hours = question(
        name="h", type="integer", label={"fr": "Heures"}, constraint=". >= 0 and . <= 100"
    )
    bands = default_bands(hours, pd.Series([1.0, 2, 3, 4, 10, 11, 12, 13, 40, 41, 42, 43]), "fr")
    assert bands.lows[0] == 1 and len(bands.lows) == 4
    assert list(bands.lows) == sorted(bands.lows)


def test_dates_are_cut_at_their_quartiles():
    when = question(name="d", type="date", label={"fr": "Quand"})
    answers = pd.Series(pd.to_datetime(["2013-01-01", "2013-02-01", "2013-03-01", "2013-05-01"]))
    bands = default_bands(when, answers, "fr")
    assert bands.lows[0] == date(2013, 1, 1)
    assert bands.labels[0].startswith("01/01/2013")


def test_no_answers_and_no_range_make_no_groups():
    free = question(name="x", type="decimal", label={"fr": "X"})
    assert default_bands(free, pd.Series([], dtype=float), "fr") is None


def test_each_group_runs_to_the_next_bound_and_values_below_the_first_have_none():
    codes = band_codes(pd.Series([13, 14, 17, 18, 21.5, 22, 25, 99, None]), (14, 18, 22))
    assert codes.tolist() == [-1, 0, 0, 1, 1, 2, 2, 2, -1]


def test_groups_become_an_ordinal_variable_that_analysis_crosses_like_any_other():
    frame = pd.DataFrame(
        {
            "age": [14.0, 15, 19, 23, None],
            "genre": pd.Categorical(["f", "g", "f", "g", "f"], categories=["f", "g"]),
        }
    )
    codebook = Codebook.of(
        [
            Variable("age", "numeric", label="Quel âge as-tu ?"),
            Variable("genre", "single", label="Tu es…", categories=("f", "g")),
        ]
    )
    bands = default_bands(AGE, frame["age"], "fr")
    new, book = with_bands(frame, codebook, [bands], "fr", lambda s: s)
    name = group_name("age")
    assert is_group(name) and book.names == ("age", name, "genre")
    variable = book[name]
    assert variable.kind == "ordinal" and variable.categories == ("14", "18", "22")
    assert variable.label_of("18") == "18–21"
    assert new[name].astype("string").tolist()[:4] == ["14", "14", "18", "22"]
    assert pd.isna(new[name].iloc[4])
    table = crosstab(new, variable, book["genre"])
    assert int(table.n) == 4
    assert "age" in frame.columns and name not in frame.columns  # the input is untouched
