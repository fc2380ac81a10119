"""The weighted report (issue 18): a method box says how the weights were made, and the
shares are weighted with their 95 % intervals; the web page, its PDF and the command line."""

import subprocess

import pytest
from sqlmodel import Session, select

from consult.cli import main
from consult.db import make_engine
from surveys.models import PopulationMargins
from tests.web.conftest import html, login

REPORT = "/campaigns/temps-libre-2013/results/report"


def row_of(page, label: str) -> list[str]:
    for tr in page.select("article.question tbody tr"):
        cells = [td.get_text(strip=True) for td in tr.find_all("td")]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row {label}")


def pdf_text(content: bytes, tmp_path) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_weighted_report_says_how_the_weights_were_made(client):
    login(client, "facilitator")
    plain = html(client.get(REPORT))
    assert plain.select_one("#report-weighting") is None  # unweighted stays the default
    assert "3,2\u00a0%" in row_of(plain, "Élange")
    page = html(client.get(REPORT, params={"weighted": "1"}))
    box = page.select_one("#report-weighting").get_text(" ", strip=True)
    for expected in (
        "age",
        "quartier",
        "situation",
        "Chiffres illustratifs",
        "2021",
        "Chiffres illustratifs, non officiels.",
        "ratissage",
        "entre 0,2 et 5 fois le poids moyen",
        "Atteinte après",
        "Effet de plan",
        "n effectif",
        "Wilson",
    ):
        assert expected in box, expected
    elange = row_of(page, "Élange")
    assert "10,0\u00a0%" in elange  # its share of the population, weighted
    assert elange[-1].count("%") == 2  # the 95 % interval: « 6,8 % – 14,5 % »
    headers = [th.get_text(strip=True) for th in page.select("article.question thead th")]
    assert "Intervalle à 95 %" in headers
    assert "n effectif" in page.select_one("article.question p.counts").get_text()


def test_the_weighted_pdf_report_carries_its_method_box(client, tmp_path):
    login(client, "facilitator")
    response = client.get(REPORT + ".pdf", params={"weighted": "1"})
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "Comment les résultats ont été pondérés" in text and "Effet de plan" in text


def test_a_public_report_is_never_weighted(client):
    login(client, "facilitator")
    response = client.get(REPORT, params={"weighted": "1", "public": "true"})
    assert response.status_code == 400
    assert "jamais pondéré" in response.text


@pytest.fixture
def env(sqlite_demo_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_DATABASE_URL", sqlite_demo_url)
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    return sqlite_demo_url


def test_cli_weighted_report(env, tmp_path, capsys):
    out = tmp_path / "weighted.pdf"
    assert main(["results", "report", "temps-libre-2013", "--weighted", "-o", str(out)]) == 0
    text = pdf_text(out.read_bytes(), tmp_path)
    assert "Comment les résultats ont été pondérés" in text and "Intervalle à 95" in text
    refused = tmp_path / "refused.pdf"
    args = ["results", "report", "temps-libre-2013", "--weighted", "--public", "-o", str(refused)]
    assert main(args) == 2
    assert "never weighted" in capsys.readouterr().err and not refused.exists()
    engine = make_engine(env)
    with Session(engine) as session:
        for row in session.exec(select(PopulationMargins)).all():
            session.delete(row)
        session.commit()
    engine.dispose()
    assert main(["results", "report", "temps-libre-2013", "--weighted", "-o", str(refused)]) == 2
    assert "pas encore de marges" in capsys.readouterr().err and not refused.exists()
