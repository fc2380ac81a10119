import pytest

pytestmark = pytest.mark.browser


def test_member_signs_in_on_a_phone_and_reaches_the_dashboard(live_server, phone, artifacts):
    phone.goto(f"{live_server}/")
    phone.get_by_role("link", name="Se connecter").first.click()
    phone.get_by_label("Adresse e-mail").fill("jeunesse@consult.demo")
    phone.get_by_label("Mot de passe").fill("demo-jeunesse")
    phone.screenshot(path=artifacts / "login-phone.png", full_page=True)
    phone.get_by_role("button", name="Se connecter").click()
    phone.wait_for_url(f"{live_server}/dashboard")
    assert phone.get_by_role("heading", level=1).inner_text() == "Tableau de bord"
    assert phone.get_by_role("heading", name="Jeunesse").is_visible()
    assert "300 réponses complètes" in phone.locator("section.card").inner_text()
    # Nothing wider than a phone screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "dashboard-phone.png", full_page=True)


def test_wrong_password_shows_the_message_beside_the_form(live_server, phone, artifacts):
    phone.goto(f"{live_server}/login")
    phone.get_by_label("Adresse e-mail").fill("jeunesse@consult.demo")
    phone.get_by_label("Mot de passe").fill("not-the-password")
    phone.get_by_role("button", name="Se connecter").click()
    alert = phone.get_by_role("alert")
    assert alert.inner_text().strip() == "Adresse e-mail ou mot de passe incorrect."
    assert phone.get_by_label("Adresse e-mail").input_value() == "jeunesse@consult.demo"
    phone.screenshot(path=artifacts / "login-error-phone.png", full_page=True)


@pytest.mark.parametrize("path", ["/", "/login", "/no-such-page"])
def test_public_pages_have_no_accessibility_violations(live_server, phone, path):
    from axe_playwright_python.sync_playwright import Axe

    phone.goto(f"{live_server}{path}")
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()


def test_dashboard_has_no_accessibility_violations(live_server, phone):
    from axe_playwright_python.sync_playwright import Axe

    phone.goto(f"{live_server}/login?next=/dashboard")
    phone.get_by_label("Adresse e-mail").fill("coordination@consult.demo")
    phone.get_by_label("Mot de passe").fill("demo-coordination")
    phone.get_by_role("button", name="Se connecter").click()
    phone.wait_for_url(f"{live_server}/dashboard")
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()


def test_the_accessibility_check_does_catch_a_violation(phone):
    from axe_playwright_python.sync_playwright import Axe

    phone.set_content("<html><body><main><input type='text'></main></body></html>")
    assert Axe().run(phone).violations_count > 0
