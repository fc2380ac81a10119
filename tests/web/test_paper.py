"""The paper questionnaire as a PDF: pages and text checked with poppler's tools."""

import re
import subprocess

from tests.web.conftest import login
from tests.web.test_questionnaires import demo_questionnaire_id


def test_the_paper_pdf_of_the_demo_questionnaire(client, tmp_path, artifacts):
    login(client, "member")
    qid = demo_questionnaire_id(client)
    response = client.get(f"/questionnaires/{qid}/paper.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.count("\f")
    assert 3 <= pages <= 12
    assert "Bien vivre son temps libre" in text
    assert "Si vous avez répondu" in text
    assert re.search(rf"\b{pages}\s*/\s*{pages}\b", text)  # "n / N" in the footer
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "2",
            str(pdf),
            str(artifacts / "paper-page"),
        ],
        check=True,
    )
    assert (artifacts / "paper-page-01.png").exists() or (artifacts / "paper-page-1.png").exists()
