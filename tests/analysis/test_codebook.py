import pandas as pd
import pytest

from analysis.codebook import Codebook, Variable, describe_codebook
from analysis.frames import check_frame, frame_from_records
from tests.analysis.survey import CODEBOOK, GENDER, HOBBIES, ROWS


def test_variables_are_looked_up_by_name_in_codebook_order():
    assert CODEBOOK["gender"] is GENDER
    assert "hobbies" in CODEBOOK and "colour" not in CODEBOOK
    assert CODEBOOK.get("colour") is None
    assert [v.name for v in CODEBOOK.categorical()] == ["gender", "hobbies", "satisfaction"]
    with pytest.raises(KeyError):
        CODEBOOK["colour"]


def test_a_multi_variable_occupies_one_indicator_column_per_choice():
    assert HOBBIES.columns == ("hobbies/sport", "hobbies/music", "hobbies/reading")
    assert GENDER.columns == ("gender",)


def test_variables_are_frozen_and_hashable():
    with pytest.raises(AttributeError):
        GENDER.label = "x"
    with pytest.raises(TypeError):
        GENDER.category_labels["f"] = "x"
    assert len({GENDER, HOBBIES}) == 2


def test_matrix_rows_are_found_by_their_question():
    rows = Codebook(
        (
            Variable("q/a", "ordinal", categories=("1", "2"), question="q"),
            Variable("q/b", "ordinal", categories=("1", "2"), question="q"),
            Variable("other", "numeric"),
        )
    )
    assert [v.name for v in rows.of_question("q")] == ["q/a", "q/b"]


def test_duplicate_names_and_unknown_kinds_are_refused():
    with pytest.raises(ValueError):
        Codebook((GENDER, GENDER))
    with pytest.raises(ValueError):
        Variable("x", "colour")


def test_a_frame_built_from_records_meets_the_contract():
    frame = frame_from_records(ROWS, CODEBOOK)
    assert check_frame(frame, CODEBOOK) == []
    assert list(frame["gender"].cat.categories) == ["f", "m"]
    assert str(frame["hobbies/sport"].dtype) == "boolean"
    assert frame["hobbies.asked"].tolist() == [True] * 5 + [False]


def test_contract_problems_are_coded():
    frame = frame_from_records(ROWS, CODEBOOK).drop(columns=["hobbies/music"])
    frame["gender"] = frame["gender"].astype("string")
    problems = check_frame(frame, CODEBOOK)
    assert [(p.code, p.where) for p in problems] == [
        ("FRAME_NOT_CATEGORICAL", "gender"),
        ("FRAME_MISSING_COLUMN", "hobbies"),
    ]


def test_codebook_table_has_a_row_per_category():
    table = describe_codebook(CODEBOOK)
    hobbies = table[table["variable"] == "hobbies"]
    assert hobbies[["column", "value_label"]].to_dict("list") == {
        "column": ["hobbies/sport", "hobbies/music", "hobbies/reading"],
        "value_label": ["Sport", "Music", "Reading"],
    }
    assert isinstance(table, pd.DataFrame)
