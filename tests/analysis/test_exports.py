import io

import openpyxl
import pandas as pd

from analysis.codebook import Codebook, Variable
from analysis.exports import (
    neutralise,
    responses_to_csv,
    responses_to_parquet,
    responses_to_xlsx,
    summaries_to_xlsx,
)
from analysis.frames import frame_from_records
from analysis.summaries import summarise_all
from tests.analysis.survey import response

NOTE = Variable("note", "text", "Note")
SCORE = Variable("score", "numeric", "Score")
CHOICE = Variable("choice", "single", "Choice", ("a", "b"))
CODEBOOK = Codebook((CHOICE, SCORE, NOTE))
ROWS = [
    response(1, choice="a", score=-2.5, note="=1+1"),
    response(2, choice="b", score=3.0, note="-- bof"),
    response(3, choice=None, score=None, note="très bien, « merci »"),
]


def frame():
    return frame_from_records(ROWS, CODEBOOK)


def expected_text(frame):
    """What comes back: the frame as plain values, formula-like text prefixed with '."""
    plain = frame.astype(
        {"choice": "object", "note": "object", "campaign": "object", "channel": "object"}
    )
    plain["note"] = ["'=1+1", "'-- bof", "très bien, « merci »"]
    return plain


def test_neutralise_prefixes_formula_starts_only_in_text():
    assert [neutralise(v) for v in ["=1+1", "+33 6", "@x", "-a", "\tx", "ok", -3.5]] == [
        "'=1+1",
        "'+33 6",
        "'@x",
        "'-a",
        "'\tx",
        "ok",
        -3.5,
    ]


def test_csv_has_a_bom_and_reads_back_equal():
    data = responses_to_csv(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", parse_dates=["submitted_at"])
    back["submitted_at"] = back["submitted_at"].astype("datetime64[us]")
    expected = expected_text(frame())
    assert list(back.columns) == list(expected.columns)
    assert back["score"].tolist()[:2] == [-2.5, 3.0]  # negative numbers stay numbers
    assert back["note"].tolist() == expected["note"].tolist()
    assert back["choice"].tolist()[:2] == ["a", "b"]
    assert (back["submitted_at"] == expected["submitted_at"]).all()


def test_french_excel_csv_uses_semicolons_and_decimal_commas():
    text = responses_to_csv(frame(), separator=";").decode("utf-8-sig")
    assert text.splitlines()[0] == "response_id;campaign;submitted_at;channel;choice;score;note"
    assert ";-2,5;'=1+1" in text.splitlines()[1]
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert back["score"].tolist()[:2] == [-2.5, 3.0]


def test_xlsx_has_responses_codebook_and_summaries_sheets():
    data = responses_to_xlsx(frame(), CODEBOOK, summarise_all(frame(), CODEBOOK), lang="en")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Responses", "Codebook", "Summaries"]
    sheet = workbook["Responses"]
    assert sheet["G2"].value == "'=1+1"
    assert sheet["G2"].data_type == "s"
    assert sheet["F2"].value == -2.5 and sheet["F2"].data_type == "n"


def test_xlsx_reads_back_equal_modulo_neutralisation():
    data = responses_to_xlsx(frame(), CODEBOOK)
    back = pd.read_excel(io.BytesIO(data), sheet_name=0)
    expected = expected_text(frame())
    assert list(back.columns) == list(expected.columns)
    assert back["note"].tolist() == expected["note"].tolist()
    assert back["score"].tolist()[:2] == [-2.5, 3.0]
    assert back["choice"].tolist()[:2] == ["a", "b"]
    assert back["submitted_at"].tolist() == expected["submitted_at"].tolist()


def test_xlsx_sheet_names_are_translated():
    data = responses_to_xlsx(frame(), CODEBOOK, summarise_all(frame(), CODEBOOK))
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert names == ["Réponses", "Dictionnaire des variables", "Synthèses"]


def test_codebook_sheet_holds_labels_of_each_category():
    data = responses_to_xlsx(frame(), CODEBOOK, lang="en")
    codebook = pd.read_excel(io.BytesIO(data), sheet_name="Codebook")
    assert codebook[["variable", "value", "label"]].head(2).to_dict("list") == {
        "variable": ["choice", "choice"],
        "value": ["a", "b"],
        "label": ["Choice", "Choice"],
    }


def test_summaries_workbook_has_one_block_per_variable():
    data = summaries_to_xlsx(summarise_all(frame(), CODEBOOK), lang="en")
    cells = [row[0] for row in openpyxl.load_workbook(io.BytesIO(data)).active.values]
    assert cells[:5] == ["Choice", "Answer", "a", "b", "Total"]


def test_parquet_round_trip_keeps_every_dtype():
    back = pd.read_parquet(io.BytesIO(responses_to_parquet(frame())))
    pd.testing.assert_frame_equal(back, frame())
