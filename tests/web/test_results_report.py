"""The campaign report is compact and complete: questions flow several to a page, every
label is in the reader's language, the timeline counts every response, charts are vector."""

import subprocess

from tests.web.conftest import html, login

REPORT = "/campaigns/temps-libre-2013/results/report"


def numbers(cells):
    return [int(c.get_text(strip=True).replace("\u202f", "")) for c in cells]


def test_the_report_timeline_table_counts_every_response(client):
    login(client, "facilitator")
    page = html(client.get(REPORT))
    completes = int(page.select_one(".method dd").get_text(strip=True))
    table = page.select_one("table.timeline-table")
    assert table is not None
    counts = numbers(table.select("tbody tr td:nth-of-type(2)"))
    assert sum(counts) == completes == 250
    # Nine weeks of fieldwork: a row per week, not 63 rows of days.
    assert 5 <= len(counts) <= 16


def test_the_report_names_channels_in_the_readers_language(client):
    login(client, "facilitator")
    method = html(client.get(REPORT)).select_one(".method").get_text(" ", strip=True)
    assert "En ligne" in method and "Papier" in method and "Borne" in method
    for code in ("web :", "paper :", "kiosk :"):
        assert code not in method


def test_report_charts_are_vector_and_beside_their_tables(client):
    login(client, "facilitator")
    page = html(client.get(REPORT))
    charts = page.select("img.chart")
    assert charts and all(i["src"].startswith("data:image/svg+xml;base64,") for i in charts)
    assert page.select("article.question.side-by-side .tables table")


def test_the_pdf_report_puts_several_questions_on_a_page(client, tmp_path, artifacts):
    login(client, "facilitator")
    response = client.get(REPORT + ".pdf")
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(next(ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages")))
    questions = len(html(client.get(REPORT)).select("article.question"))
    print(f"report: {questions} questions on {pages} pages")
    assert pages <= 1 + questions / 1.5  # the cover, then at least three questions to 2 pages
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "4", pdf, artifacts / "report-page"],
        check=True,
    )
