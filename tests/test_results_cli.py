"""`consult results ...`: exports read back equal the frame, public exports hide small values,
the PDF report has a cover and a page per section, tokens are printed once."""

import subprocess

import pandas as pd
import pytest
from sqlmodel import Session, select

from consult.cli import main
from consult.db import make_engine
from surveys import results as service


@pytest.fixture
def env(sqlite_demo_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_DATABASE_URL", sqlite_demo_url)
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    return sqlite_demo_url


def frame_of(url):
    engine = make_engine(url)
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        frame = service.load_results(session, [campaign], "fr", None).frame
    engine.dispose()
    return frame


def test_export_csv_and_xlsx_read_back_equal_the_frame(env, tmp_path):
    frame = frame_of(env)
    csv, xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    assert main(["results", "export", "temps-libre-2012", "--separator", ";", "-o", str(csv)]) == 0
    assert main(["results", "export", "temps-libre-2012", "--format", "xlsx", "-o", str(xlsx)]) == 0
    from_csv = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig")
    from_xlsx = pd.read_excel(xlsx, sheet_name=0)
    for read in (from_csv, from_xlsx):
        assert list(read.columns) == list(frame.columns) and len(read) == 300
        assert read["response_id"].tolist() == frame["response_id"].tolist()
        pd.testing.assert_series_equal(
            read["depense_mensuelle"], frame["depense_mensuelle"], check_names=False
        )
        assert (
            read["situation"].fillna("").tolist()
            == frame["situation"].astype(str).replace("nan", "").tolist()
        )


def test_a_public_row_level_export_is_refused(env, tmp_path, capsys):
    out = tmp_path / "public.parquet"
    args = ["results", "export", "temps-libre-2012", "--format", "parquet", "--public"]
    assert main([*args, "-o", str(out)]) == 2
    assert not out.exists() and "summaries" in capsys.readouterr().err


def test_an_unknown_campaign_is_an_error(env, capsys):
    assert main(["results", "export", "nope", "-o", "/dev/null"]) == 2
    assert "nope" in capsys.readouterr().err


def test_the_pdf_report_has_a_cover_and_a_section_per_page_of_the_questionnaire(
    env, tmp_path, artifacts
):
    pdf = tmp_path / "report.pdf"
    assert main(["results", "report", "temps-libre-2012", "-o", str(pdf)]) == 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert 6 <= pages <= 40
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in (
        "RAPPORT DE RÉSULTATS",
        "Ton profil",
        "Tes activités",
        "Ce qui te freine",
        "Ton avis",
        "Tes envies",
        "Tu es…",
        "Petits effectifs",
    ):
        assert heading in text, heading
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf),
            str(artifacts / "results-report"),
        ],
        check=True,
    )
    assert (artifacts / "results-report-01.png").stat().st_size > 10_000


def test_a_token_is_printed_once_and_only_its_hash_is_stored(env, capsys):
    assert main(["results", "token", "jeunesse@consult.demo", "--scope", "public"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("cst_")
    engine = make_engine(env)
    with Session(engine) as session:
        from consult.accounts.models import ApiToken

        stored = session.exec(select(ApiToken)).one()
    assert stored.scope == "public" and token not in stored.token_hash
    assert main(["results", "token", "nobody@example.org"]) == 2


def test_export_sav_read_back_has_the_codebook_labels(env, tmp_path):
    import pyreadstat

    from analysis.exports import program_names

    engine = make_engine(env)
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        data = service.load_results(session, [campaign], "fr", None)
    engine.dispose()
    sav, dta = tmp_path / "r.sav", tmp_path / "r.dta"
    assert main(["results", "export", "temps-libre-2012", "--format", "sav", "-o", str(sav)]) == 0
    assert main(["results", "export", "temps-libre-2012", "--format", "dta", "-o", str(dta)]) == 0
    read, meta = pyreadstat.read_sav(str(sav))
    assert len(read) == len(data.frame) == 300
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    names = program_names(list(data.frame.columns), 64)  # "q/row" is not an SPSS name
    checked = 0
    for variable in data.codebook:
        if variable.kind in ("single", "ordinal"):
            name = names[variable.name]
            assert labels[name] == variable.label
            expected = {i: variable.label_of(c) for i, c in enumerate(variable.categories, 1)}
            assert meta.variable_value_labels[name] == expected
            checked += 1
    assert checked >= 5
    _, stata = pyreadstat.read_dta(str(dta))
    assert stata.variable_value_labels  # Stata keeps value labels too
