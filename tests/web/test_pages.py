import pytest
from litestar import get

from consult.web.plumbing.access import Access
from tests.web.conftest import csrf_token, html, make_client


def test_french_is_the_default_language(client):
    page = html(client.get("/"))
    assert page.find("html")["lang"] == "fr"
    assert page.select_one(".skip-link").get_text(strip=True) == "Aller au contenu"


def test_browser_preference_for_english_is_honoured(client):
    page = html(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}))
    assert page.find("html")["lang"] == "en"
    assert page.select_one(".skip-link").get_text(strip=True) == "Skip to content"


def test_language_switch_sets_english_and_returns_to_the_page(client):
    token = csrf_token(client)
    form = html(client.get("/login")).select_one("form.lang-switch")
    assert form.select_one("input[name=next]")["value"] == "/login"
    response = client.post(
        "/language",
        data={"lang": "en", "next": "/login", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"
    page = html(client.get("/login"))
    assert page.find("html")["lang"] == "en"
    assert page.find("h1").get_text(strip=True) == "Sign in"
    assert page.select_one("form.lang-switch button")["value"] == "fr"


def test_language_switch_ignores_unknown_languages(client):
    client.post("/language", data={"lang": "xx", "next": "/", "_csrf_token": csrf_token(client)})
    assert html(client.get("/")).find("html")["lang"] == "fr"


@pytest.mark.parametrize(
    ("accept", "title"), [("fr", "Page introuvable"), ("en", "Page not found")]
)
def test_404_page_in_both_languages(client, accept, title):
    response = client.get("/no/such/page", headers={"Accept-Language": accept})
    assert response.status_code == 404
    page = html(response)
    assert page.find("h1").get_text(strip=True) == title
    assert page.select_one("main a.button")["href"] == "/"


def test_404_for_an_api_client_is_json(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json() == {"status": 404, "detail": "Not Found"}


@pytest.mark.parametrize(
    ("accept", "title"), [("fr", "Une erreur est survenue"), ("en", "Something went wrong")]
)
def test_500_page_in_both_languages_shows_no_stack_trace(sqlite_demo_url, tmp_path, accept, title):
    @get("/boom", opt={"access": Access.PUBLIC}, sync_to_thread=False)
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    with make_client(sqlite_demo_url, tmp_path) as c:
        c.app.register(boom)
        response = c.get("/boom", headers={"Accept-Language": accept})
    assert response.status_code == 500
    assert html(response).find("h1").get_text(strip=True) == title
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


def test_healthz_reports_the_database(any_db_client):
    response = any_db_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    with make_client("postgresql+psycopg://postgres@127.0.0.1:1/nowhere", tmp_path) as c:
        response = c.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"]


def test_every_page_has_landmarks_and_a_skip_link(client):
    page = html(client.get("/login"))
    assert page.select_one("a.skip-link")["href"] == "#main"
    assert (
        page.select_one("main#main")
        and page.select_one("header")
        and page.select_one("nav[aria-label]")
    )
    for field in page.select("form:not(.lang-switch):not(.inline) input:not([type=hidden])"):
        assert page.select_one(f"label[for={field['id']}]"), field


def test_htmx_is_loaded_from_the_local_vendor_folder(client):
    scripts = [s["src"] for s in html(client.get("/")).select("script[src]")]
    assert scripts == ["/static/vendor/htmx.min.js"]
    assert client.get("/static/css/consult.css").status_code == 200


def test_security_headers_on_pages_errors_and_static_files(client):
    for path in ("/", "/no/such/page", "/static/css/consult.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


def test_pages_carry_no_inline_script_or_style(client):
    page = html(client.get("/login"))
    assert all(script.get("src") for script in page.find_all("script"))
    assert page.find_all("style") == [] and page.select("[style]") == []


def test_an_oversized_request_gets_413(client):
    response = client.post(
        "/login",
        content=b"x" * (11 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413


def test_anonymous_visitors_get_no_session_cookie(client):
    response = client.get("/")
    assert "consult_session" not in response.headers.get("set-cookie", "")


def test_static_files_are_cacheable(client):
    assert "max-age=3600" in client.get("/static/css/consult.css").headers["cache-control"]
