"""The partners directory on a phone: search by theme, open a partner, print to PDF."""

import subprocess

import pytest

pytestmark = pytest.mark.browser


def sign_in(phone, live_server, email="jeunesse@consult.demo", password="demo-jeunesse"):
    phone.goto(f"{live_server}/login?next=/partners")
    phone.get_by_label("Adresse e-mail").fill(email)
    phone.get_by_label("Mot de passe").fill(password)
    phone.get_by_role("button", name="Se connecter").click()
    phone.wait_for_url(f"{live_server}/partners")


def pdf_pages(pdf_path, artifacts, prefix) -> list:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf_path), str(artifacts / prefix)], check=True
    )
    return sorted(artifacts.glob(f"{prefix}-*.png"))


def test_search_the_directory_by_theme_open_a_partner_and_print(live_server, phone, artifacts):
    sign_in(phone, live_server)
    assert phone.get_by_role("heading", level=1).inner_text() == "Répertoire des partenaires"
    phone.get_by_label("Thème", exact=True).select_option("sante")
    # htmx refreshes the list and puts the filter in the address.
    phone.wait_for_url("**/partners?*theme=sante*")
    names = phone.locator("ul.partner-list h2 a").all_inner_texts()
    assert "Point écoute jeunes" in names and "Pôle emploi Thionville" not in names
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "partners-health-phone.png", full_page=True)

    phone.get_by_role("link", name="Point écoute jeunes").click()
    phone.wait_for_url(f"{live_server}/partners/point-ecoute-jeunes")
    assert phone.get_by_role("heading", level=1).inner_text() == "Point écoute jeunes"
    assert phone.get_by_role("link", name="Jeunesse").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "partner-phone.png", full_page=True)

    # The printable directory, printed by the browser itself (A4).
    phone.goto(f"{live_server}/partners/print?theme=sante")
    browser_pdf = artifacts / "partners-print-chromium.pdf"
    browser_pdf.write_bytes(phone.pdf(format="A4"))
    # The PDF made by the server (WeasyPrint) for those who want a file.
    response = phone.request.get(f"{live_server}/partners/directory.pdf")
    assert response.headers["content-type"] == "application/pdf"
    server_pdf = artifacts / "partners-directory.pdf"
    server_pdf.write_bytes(response.body())
    info = subprocess.run(["pdfinfo", str(server_pdf)], capture_output=True, text=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert 3 <= pages <= 12
    text = subprocess.run(
        ["pdftotext", "-layout", str(server_pdf), "-"], capture_output=True, text=True
    ).stdout
    assert "Répertoire des compétences sociales" in text
    assert "Mission locale du Nord Mosellan" in text and "CCAS de Thionville" in text
    assert f"{pages}/{pages}" in text.replace(" ", "")
    for old in artifacts.glob("partners-directory-*.png"):
        old.unlink()
    assert len(pdf_pages(server_pdf, artifacts, "partners-directory")) == pages
    assert pdf_pages(browser_pdf, artifacts, "partners-print-chromium")


@pytest.mark.parametrize(
    "path", ["/partners", "/partners/mjc-le-lierre", "/commissions/jeunesse", "/plenaries/1"]
)
def test_network_pages_have_no_accessibility_violations(live_server, phone, path):
    from axe_playwright_python.sync_playwright import Axe

    sign_in(phone, live_server)
    phone.goto(f"{live_server}{path}")
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()
