"""Importing responses from a spreadsheet in a real browser: upload, mapping, store."""

import pytest

from tests.browser.test_results import sign_in

pytestmark = pytest.mark.browser

SLUG = "temps-libre-2026"


def test_a_member_imports_a_spreadsheet_of_paper_questionnaires(
    live_server, browser, artifacts, tmp_path
):
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="fr-FR")
    sign_in(page, live_server, "jeunesse@consult.demo", "demo-jeunesse")
    page.goto(f"{live_server}/campaigns/{SLUG}/import")
    sheet = tmp_path / "papier.csv"
    sheet.write_text(
        "Numéro;Quel âge as-tu ?;Colonne inconnue\np-1;17;x\np-2;19;y\n", encoding="utf-8"
    )
    page.set_input_files("#import-file", str(sheet))
    page.get_by_role("button", name="Lire le fichier").click()
    page.wait_for_selector("#import-mapping")
    page.screenshot(path=artifacts / "response-import-mapping-laptop.png", full_page=True)
    assert page.locator("#import-mapping select").count() == 3
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.close()


def test_the_mapping_page_fits_a_phone(live_server, phone, artifacts, tmp_path):
    sign_in(phone, live_server, "jeunesse@consult.demo", "demo-jeunesse")
    phone.goto(f"{live_server}/campaigns/{SLUG}/import")
    sheet = tmp_path / "kobo.csv"
    sheet.write_text(
        "_uuid,age,genre,Une colonne au nom très long qui ne correspond à rien\nu1,17,fille,x\n"
    )
    phone.set_input_files("#import-file", str(sheet))
    phone.get_by_role("button", name="Lire le fichier").click()
    phone.wait_for_selector("#import-mapping")
    phone.screenshot(path=artifacts / "response-import-mapping-phone.png", full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
