"""Responses -> the analysis frame and codebook, following analysis.codebook's contract."""

import time

import pandas as pd

from analysis.frames import check_frame
from surveys.frame import responses_frame
from surveys.library import load_template
from tests.surveys.helpers import doc, q

SURVEY = doc(
    q("age", "integer"),
    q("practises", "yes_no"),
    q("acts", "multiple_choice", relevant="${practises} = 'yes'", choices=["sport", "music", "other"],
      other=True),
    q("sat", "likert", choices=["low", "mid", "high"]),
    q("day", "date"),
    q("wish", "long_text"),
    q("top", "ranking", choices=["a", "b", "c"]),
    q("grid", "matrix", choices=["no", "yes"], rows=["r1", "r2"]),
    q("intro", "note"),
)  # fmt: skip

ROWS = [
    {"response_id": 1, "campaign": "2025", "submitted_at": "2025-05-01T10:00:00", "channel": "link",
     "answers": {"age": 17, "practises": "yes", "acts": ["sport", "other"], "acts_other": "escalade",
                 "sat": "high", "day": "2025-04-30", "top": ["c", "a"], "grid": {"r1": "yes"}}},
    {"response_id": 2, "campaign": "2025", "submitted_at": "2025-05-02T10:00:00", "channel": "paper",
     "answers": {"practises": "no", "wish": "un skatepark"}},
]  # fmt: skip


def test_frame_follows_the_analysis_contract():
    frame, codebook = responses_frame(SURVEY, ROWS)
    assert check_frame(frame, codebook) == []
    assert list(frame.columns[:4]) == ["response_id", "campaign", "submitted_at", "channel"]
    assert len(frame) == 2


def test_variables_by_kind():
    _, codebook = responses_frame(SURVEY, ROWS)
    assert [(v.name, v.kind) for v in codebook] == [
        ("age", "numeric"),
        ("practises", "single"),
        ("acts", "multi"),
        ("acts_other", "text"),
        ("sat", "ordinal"),
        ("day", "date"),
        ("wish", "text"),
        ("top/a", "numeric"),
        ("top/b", "numeric"),
        ("top/c", "numeric"),
        ("grid/r1", "ordinal"),
        ("grid/r2", "ordinal"),
    ]
    assert codebook["sat"].categories == ("low", "mid", "high")
    assert codebook["practises"].category_labels["yes"] == "Oui"
    assert codebook["grid/r1"].question == "grid"


def test_not_asked_is_kept_apart_from_no_answer():
    frame, codebook = responses_frame(SURVEY, ROWS)
    assert codebook["acts"].asked_column == "acts.asked"
    assert frame["acts.asked"].tolist() == [True, False]
    assert frame["acts/sport"].tolist() == [True, pd.NA]
    assert frame["acts/music"].tolist() == [False, pd.NA]
    assert codebook["age"].asked_column is None


def test_values_land_in_their_columns():
    frame, _ = responses_frame(SURVEY, ROWS)
    first = frame.iloc[0]
    assert first["age"] == 17.0 and first["sat"] == "high"
    assert first["top/c"] == 1.0 and first["top/a"] == 2.0 and pd.isna(first["top/b"])
    assert first["grid/r1"] == "yes" and pd.isna(first["grid/r2"])
    assert first["day"] == pd.Timestamp("2025-04-30")
    assert first["acts_other"] == "escalade"
    assert frame["wish"].tolist()[1] == "un skatepark"


def test_library_template_frame_is_valid_and_fast_enough():
    document = load_template("youth_free_time")
    answers = {"age": 17, "genre": "fille", "quartier": "guentrange", "pratique_activite": "yes",
               "activites": ["sport", "musique"], "frequence": "semaine", "freins": ["cout"],
               "opinions": {"securite": "plutot"}, "priorites": ["tarifs"], "note_ville": 6,
               "connait_pij": "yes", "satisfaction_pij": "satisfait", "envies": "Un lieu"}  # fmt: skip
    rows = [
        {"response_id": i, "campaign": "w1", "submitted_at": "2026-01-05T10:00:00",
         "channel": "link", "answers": answers}
        for i in range(20_000)
    ]  # fmt: skip
    started = time.perf_counter()
    frame, codebook = responses_frame(document, rows)
    assert time.perf_counter() - started < 15
    assert check_frame(frame, codebook) == []
    assert frame["satisfaction_pij.asked"].all()
