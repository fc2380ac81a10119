"""Responses -> the analysis frame and codebook, following analysis.codebook's contract."""

import time

import orjson
import pandas as pd

from analysis.frames import check_frame
from surveys.answers import relevance
from surveys.frame import FrameBuilder, meta_frame, responses_frame
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


# --- stored JSON, read in chunks (what results do with whole campaigns) -------------------


def meta_of(rows):
    return meta_frame(
        [r["response_id"] for r in rows],
        [r["campaign"] for r in rows],
        pd.to_datetime([r["submitted_at"] for r in rows], format="ISO8601"),
        [r["channel"] for r in rows],
    )


def from_json(document, rows, chunk=1000):
    builder = FrameBuilder(document)
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        builder.add_json(meta_of(part), [orjson.dumps(r["answers"]) for r in part])
    return builder.result()


def varied_rows(n):
    """Answers that vary on every question, some skipped, so that chunks differ."""
    rows = []
    for i in range(n):
        answers = {
            "age": 14 + i % 12,
            "practises": ("yes", "no")[i % 2],
            "day": f"2025-04-{1 + i % 28:02d}",
        }
        if i % 2 == 0:
            answers["acts"] = [["sport"], ["music", "other"], []][i % 3]
            if "other" in answers["acts"]:
                answers["acts_other"] = f"escalade {i}"
        if i % 5:
            answers |= {"sat": ("low", "mid", "high")[i % 3], "top": ["c", "a", "b"][: i % 4]}
            answers["grid"] = {"r1": ("no", "yes")[i % 2]} if i % 3 else {"r2": "yes"}
        if i % 7 == 0:
            answers["wish"] = f"un skatepark n°{i}"
        rows.append({"response_id": i, "campaign": "2025", "submitted_at": "2025-05-01T10:00:00",
                     "channel": ("link", "paper")[i % 2], "answers": answers})  # fmt: skip
    return rows


def test_stored_json_read_in_chunks_gives_the_frame_of_the_parsed_answers():
    rows = varied_rows(300)
    expected, codebook = responses_frame(SURVEY, rows)
    for chunk in (300, 7):
        frame, same_codebook = from_json(SURVEY, rows, chunk)
        assert same_codebook == codebook
        pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert check_frame(expected, codebook) == []
    assert expected["acts.asked"].sum() == 150
    assert expected["acts/music"].sum() == 50 and expected["acts/music"].isna().sum() == 150


def test_answers_of_an_unexpected_type_count_as_missing_and_keep_the_rest():
    rows = varied_rows(20)
    rows[3]["answers"] |= {"age": "17", "sat": 3, "acts": "sport", "top": ["b", 1, "b"],
                           "grid": {"r1": 2, "r2": "no", "r9": "yes"}, "wish": ["x"], "day": "hier"}  # fmt: skip
    frame, _ = from_json(SURVEY, rows)
    pd.testing.assert_frame_equal(frame, responses_frame(SURVEY, rows)[0], check_exact=True)
    dirty = frame.iloc[3]
    assert pd.isna(dirty["age"]) and pd.isna(dirty["sat"]) and pd.isna(dirty["acts/sport"])
    assert pd.isna(dirty["wish"]) and pd.isna(dirty["day"]) and pd.isna(dirty["grid/r1"])
    assert dirty["grid/r2"] == "no" and dirty["top/b"] == 3.0 and pd.isna(dirty["top/a"])
    assert frame.iloc[4]["age"] == 18.0  # the rest of the chunk is read as usual


def test_each_response_is_asked_what_its_own_answers_make_relevant():
    survey = doc(
        q("genre", "single_choice", choices=["fille", "garcon"]),
        q("acts", "multiple_choice", choices=["sport", "music"]),
        q("club", "text", relevant="selected(${acts}, 'sport') and ${genre} = 'fille'"),
    )
    picks = [None, [], ["sport"], ["music"], ["sport", "music"]]
    rows = [
        {"response_id": i, "campaign": "w", "submitted_at": "2025-05-01T10:00:00", "channel": "link",
         "answers": {k: v for k, v in {"genre": (None, "fille", "garcon")[i % 3], "acts": picks[i % 5]}.items() if v is not None}}
        for i in range(60)
    ]  # fmt: skip
    frame, _ = from_json(survey, rows, chunk=16)
    expected = [relevance(survey, r["answers"]).questions["club"] for r in rows]
    assert frame["club.asked"].tolist() == expected
    assert 0 < sum(expected) < len(rows)
