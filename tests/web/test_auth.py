from tests.web.conftest import DEMO, csrf_token, html, login, make_client


def test_login_with_good_credentials_reaches_the_dashboard(any_db_client):
    response = login(any_db_client, "member")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    page = html(any_db_client.get("/dashboard"))
    assert page.find("h1").get_text(strip=True) == "Tableau de bord"
    assert "Jeunesse" in [h.get_text(strip=True) for h in page.select("section.card h2")]


def test_member_sees_only_their_commissions(client):
    login(client, "member")
    names = [
        h.get_text(strip=True) for h in html(client.get("/dashboard")).select("section.card h2")
    ]
    assert names == ["Jeunesse"]


def test_coordinator_sees_every_commission(client):
    login(client, "coordinator")
    names = [
        h.get_text(strip=True) for h in html(client.get("/dashboard")).select("section.card h2")
    ]
    assert len(names) == 4


def test_bad_password_and_unknown_account_get_the_same_generic_message(client):
    wrong_password = login(client, "member", password="not-the-password")
    email_unknown = client.post(
        "/login",
        data={
            "email": "nobody@consult.demo",
            "password": "whatever-123",
            "_csrf_token": csrf_token(client),
        },
    )
    assert wrong_password.status_code == email_unknown.status_code == 400
    messages = [
        html(r).select_one("[role=alert]").get_text(strip=True)
        for r in (wrong_password, email_unknown)
    ]
    assert messages[0] == messages[1] == "Adresse e-mail ou mot de passe incorrect."
    # The typed address is kept, the password is not sent back.
    field = html(wrong_password).select_one("input#email")
    assert field["value"] == DEMO["member"][0]
    assert field["aria-describedby"] == "login-error"
    assert html(wrong_password).select_one("input#password").get("value") is None


def test_repeated_failures_are_throttled_even_with_the_right_password(sqlite_demo_url, tmp_path):
    with make_client(sqlite_demo_url, tmp_path, login_attempts=3) as c:
        for _ in range(3):
            assert login(c, "member", password="wrong-password").status_code == 400
        blocked = login(c, "member")
        assert blocked.status_code == 429
        assert "Trop de tentatives" in html(blocked).select_one("[role=alert]").get_text()
        assert c.get("/dashboard", follow_redirects=False).status_code == 303


def test_login_rotates_the_session_id(client):
    client.get("/login")
    client.cookies.set("consult_session", "attacker-chosen-session-id")
    response = login(client, "member")
    new_id = response.cookies.get("consult_session")
    assert new_id and new_id != "attacker-chosen-session-id"


def test_session_cookie_is_httponly_and_samesite_lax(client):
    header = login(client, "member").headers["set-cookie"]
    cookie = next(part for part in header.split(", consult") if "consult_session" in part)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_secure_cookies_setting_marks_the_session_cookie_secure(sqlite_demo_url, tmp_path):
    with make_client(
        sqlite_demo_url, tmp_path, base_url="https://testserver.local", secure_cookies=True
    ) as c:
        assert "Secure" in login(c, "member").headers["set-cookie"]


def test_login_only_redirects_to_paths_of_this_site(client):
    token = csrf_token(client)
    email, password = DEMO["member"]
    response = client.post(
        "/login",
        data={
            "email": email,
            "password": password,
            "next": "//evil.example/x",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/dashboard"


def test_logout_ends_the_session(client):
    login(client, "member")
    response = client.post(
        "/logout", data={"_csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_anonymous_visitor_is_sent_to_login_and_back(client):
    response = client.get("/users", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/users"
    assert (
        html(client.get(response.headers["location"])).select_one(
            'form[action="/login"] input[name=next]'
        )["value"]
        == "/users"
    )


def test_wrong_role_is_refused(client):
    login(client, "member")
    response = client.get("/users")
    assert response.status_code == 403
    assert html(response).find("h1").get_text(strip=True) == "Accès refusé"


def test_coordinator_reaches_the_user_list(client):
    login(client, "coordinator")
    rows = html(client.get("/users")).select("tbody tr")
    assert len(rows) == 4


def test_post_without_csrf_token_is_refused(client):
    email, password = DEMO["member"]
    client.get("/login")
    response = client.post(
        "/login", data={"email": email, "password": password}, follow_redirects=False
    )
    assert response.status_code == 403
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_post_with_a_forged_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/logout", data={"_csrf_token": "forged"}, follow_redirects=False)
    assert response.status_code == 403


def test_htmx_requests_carry_the_csrf_token_in_a_header(client):
    client.get("/login")
    token = csrf_token(client)
    body = html(client.get("/")).find("body")
    assert '"x-csrftoken"' in body["hx-headers"]
    response = client.post(
        "/logout", headers={"x-csrftoken": token, "HX-Request": "true"}, follow_redirects=False
    )
    assert response.status_code == 303
