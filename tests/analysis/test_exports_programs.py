"""Files researchers open: SPSS, Stata, Parquet typed for programs, CSV for French Excel."""

import io

import pandas as pd
import pyreadstat
import pytest

from analysis.exports import (
    for_programs,
    responses_to_csv,
    responses_to_dta,
    responses_to_parquet,
    responses_to_sav,
    with_labels,
)
from analysis.frames import frame_from_records
from tests.analysis.survey import CODEBOOK, ROWS


def frame():
    return frame_from_records(ROWS, CODEBOOK)


def read_back(content: bytes, suffix: str, tmp_path):
    path = tmp_path / f"file{suffix}"
    path.write_bytes(content)
    reader = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
    return reader(str(path))


@pytest.mark.parametrize(
    ("write", "suffix"), [(responses_to_sav, ".sav"), (responses_to_dta, ".dta")]
)
def test_spss_and_stata_files_carry_the_codebook_labels(write, suffix, tmp_path):
    data, meta = read_back(write(frame(), CODEBOOK, "Temps libre"), suffix, tmp_path)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["gender"] == "Gender" and labels["age"] == "Age"
    assert labels["hobbies_sport"] == "Hobbies: Sport"
    assert meta.variable_value_labels["gender"] == {1: "Woman", 2: "Man"}
    assert meta.variable_value_labels["satisfaction"] == {1: "1", 2: "2", 3: "3", 4: "4"}
    assert meta.variable_value_labels["hobbies_sport"] == {0: "Non", 1: "Oui"}
    assert list(data["gender"].iloc[:4]) == [1, 1, 2, 2] and pd.isna(data["gender"].iloc[5])
    assert list(data["hobbies_music"].iloc[:4]) == [1, 1, 1, 0]
    assert data["age"].iloc[0] == 15


def test_spss_knows_ordinal_from_nominal(tmp_path):
    _, meta = read_back(responses_to_sav(frame(), CODEBOOK), ".sav", tmp_path)
    assert meta.variable_measure["satisfaction"] == "ordinal"
    assert meta.variable_measure["gender"] == "nominal"
    assert meta.variable_measure["age"] == "scale"


def test_parquet_has_ordered_ordinals_and_integers():
    back = pd.read_parquet(io.BytesIO(responses_to_parquet(frame(), CODEBOOK)))
    assert back["satisfaction"].cat.ordered
    assert list(back["satisfaction"].cat.categories) == ["1", "2", "3", "4"]
    assert not back["gender"].cat.ordered
    assert str(back["age"].dtype) == "Int64"
    assert back["age"].iloc[0] == 15


def test_decimals_stay_decimals_for_programs():
    typed = for_programs(frame().assign(age=[1.5, 2, 3, 4, None, 6]), CODEBOOK)
    assert typed["age"].dtype == "float64"


def test_labels_instead_of_codes():
    labelled = with_labels(frame(), CODEBOOK)
    assert list(labelled["gender"].iloc[:4]) == ["Woman", "Woman", "Man", "Man"]
    assert list(labelled["gender"].cat.categories) == ["Woman", "Man"]


def test_csv_for_french_excel_has_vrai_faux_and_local_times():
    rows = frame()
    rows["submitted_at"] = pd.to_datetime(["2013-01-07T10:00:00Z"] * 6, utc=True)
    text = responses_to_csv(rows, separator=";").decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    cells = dict(zip(header.split(";"), first.split(";"), strict=True))
    assert cells["submitted_at"] == "07/01/2013 11:00:00"  # Paris, winter time
    assert cells["hobbies/sport"] == "VRAI" and cells["hobbies/reading"] == "FAUX"
