"""The network's pages over HTTP: every page with and without HX-Request, who may change what,
CSV import and export, PDFs."""

import pytest

from tests.web.conftest import csrf_token, html, login

HX = {"HX-Request": "true"}

PAGES = [
    ("/partners", "#partner-results", "ul.partner-list"),
    ("/partners/mjc-le-lierre", "article.partner-record", "article.partner-record"),
    ("/commissions", "ul.commission-list", "ul.commission-list"),
    ("/commissions/jeunesse", "#findings", "#findings"),
    ("/plenaries", ".rhythm", ".rhythm"),
    ("/plenaries/1", "ol.agenda", "ol.agenda"),
]


@pytest.mark.parametrize(("path", "in_page", "in_fragment"), PAGES)
def test_every_network_page_is_a_page_and_a_fragment(client, path, in_page, in_fragment):
    login(client, "member")
    page = html(client.get(path))
    assert page.find("html") and page.select_one(in_page)
    response = client.get(path, headers=HX)
    assert response.status_code == 200 and "HX-Request" in response.headers["vary"]
    fragment = html(response)
    assert fragment.select_one("header.site-header") is None
    assert fragment.select_one(in_fragment)


def test_network_pages_need_a_sign_in(client):
    response = client.get("/partners", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_directory_filters_by_theme_and_kind_from_the_url(client):
    login(client, "member")
    page = html(client.get("/partners?theme=sante&kind=institution"))
    names = [a.get_text(strip=True) for a in page.select("ul.partner-list h2 a")]
    assert "Centre médico-psychologique de Thionville" in names
    assert "Point écoute jeunes" not in names  # an association
    assert page.select_one("#theme option[selected]")["value"] == "sante"
    form = page.select_one("form.filters")
    assert (
        form["method"] == "get" and form["action"] == "/partners" and form["hx-get"] == "/partners"
    )


def test_only_the_coordinator_manages_partners_and_plenaries(client):
    login(client, "member")
    token = csrf_token(client)
    for path in (
        "/partners/new",
        "/partners/import",
        "/partners/mjc-le-lierre/edit",
        "/plenaries/new",
        "/plenaries/1/edit",
    ):
        assert client.get(path).status_code == 403, path
    response = client.post("/partners/new", data={"name": "X", "_csrf_token": token})
    assert response.status_code == 403
    assert html(client.get("/partners")).select_one("a[href='/partners/new']") is None


def test_the_coordinator_adds_a_partner_and_errors_sit_beside_their_field(client):
    login(client, "coordinator")
    token = csrf_token(client)
    bad = client.post(
        "/partners/new",
        data={
            "name": "",
            "kind": "association",
            "charter_date": "14/01",
            "place": "Rue A",
            "_csrf_token": token,
        },
    )
    assert bad.status_code == 400
    page = html(bad)
    date_input = page.select_one("#charter_date")
    assert date_input["aria-describedby"] == "err-charter_date"
    assert "AAAA-MM-JJ" in page.select_one("#err-charter_date").get_text()
    assert page.select_one("#place")["value"] == "Rue A"  # nothing typed is lost
    good = client.post(
        "/partners/new",
        data={
            "name": "Café des parents",
            "kind": "association",
            "themes": ["accueil_enfant", "animation_lien_social"],
            "contact_name": ["Lina", ""],
            "contact_role": ["Animatrice", ""],
            "contact_phone": ["", ""],
            "contact_email": ["lina@example.org", ""],
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert good.status_code == 303 and good.headers["location"] == "/partners/cafe-des-parents"
    record = html(client.get("/partners/cafe-des-parents"))
    assert [li.get_text(strip=True) for li in record.select("ul.tags li")] == [
        "Accueil enfant",
        "Animation, lien social",
    ]
    assert record.select_one("a[href='mailto:lina@example.org']")


def test_a_pilot_manages_their_commission_and_a_non_pilot_member_cannot(client):
    login(client, "facilitator")  # a member of the youth commission, not its pilot
    token = csrf_token(client)
    assert client.get("/commissions/jeunesse/edit").status_code == 403
    response = client.post(
        "/commissions/jeunesse/edit", data={"description": "x", "_csrf_token": token}
    )
    assert response.status_code == 403
    assert client.get("/commissions/jeunesse/projects/new").status_code == 403
    client.post("/logout", data={"_csrf_token": token})

    login(client, "other_member")  # pilot of employment, not of youth
    assert client.get("/commissions/jeunesse/edit").status_code == 403
    assert client.get("/commissions/emploi-formation/edit").status_code == 200
    client.post("/logout", data={"_csrf_token": csrf_token(client)})

    login(client, "member")  # the youth commission's pilot
    token = csrf_token(client)
    form = html(client.get("/commissions/jeunesse/edit"))
    assert form.select_one("#pilot_id") is None  # only the coordinator changes the pilot
    partners = [i["value"] for i in form.select("input[name=partner_ids][checked]")]
    users = [i["value"] for i in form.select("input[name=user_ids][checked]")]
    response = client.post(
        "/commissions/jeunesse/edit",
        data={
            "description": "Nouvelle description",
            "theme": "Jeunes",
            "partner_ids": partners,
            "user_ids": users,
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = html(client.get("/commissions/jeunesse"))
    assert page.select_one("p.description").get_text(strip=True) == "Nouvelle description"
    assert page.select_one("p.lead").get_text(strip=True) == "Jeunes"


def test_a_pilot_adds_a_project_and_links_a_finding(client):
    login(client, "member")
    token = csrf_token(client)
    bad = client.post(
        "/commissions/jeunesse/projects/new",
        data={"year": "deux mille", "title": "", "status": "idea", "_csrf_token": token},
    )
    assert bad.status_code == 400
    assert html(bad).select_one("#year")["aria-describedby"] == "err-year"
    ok = client.post(
        "/commissions/jeunesse/projects/new",
        data={
            "year": "2014",
            "title": "Café des jeunes",
            "status": "in_progress",
            "outcome": "",
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    page = html(client.get("/commissions/jeunesse"))
    years = [y.get_text(strip=True) for y in page.select("ol.timeline .year")]
    assert years[0] == "2014" and years == sorted(years, reverse=True)
    form = html(client.get("/commissions/jeunesse/findings/new"))
    campaign = form.select_one("#campaign_id option[value!='']")["value"]
    unknown = client.post(
        "/commissions/jeunesse/findings/new",
        data={
            "campaign_id": campaign,
            "question_name": "pas_une_question",
            "text": "x",
            "_csrf_token": token,
        },
    )
    assert unknown.status_code == 400
    assert html(unknown).select_one("#question_name")["aria-describedby"] == "err-question_name"


def test_the_coordinator_plans_a_plenary_with_attendance(client):
    login(client, "coordinator")
    token = csrf_token(client)
    form = html(client.get("/plenaries/new"))
    partner = form.select_one("input[name=attendee_ids]")["value"]
    response = client.post(
        "/plenaries/new",
        data={
            "held_on": "2030-11-20",
            "title": "Plénière d'automne 2030",
            "place": "Salle du Manège",
            "item_title": ["Bilan", "", ""],
            "item_position": ["1", "2", "3"],
            "item_campaign": ["", "", ""],
            "item_project": ["", "", ""],
            "attendee_ids": partner,
            "_csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = html(client.get(response.headers["location"]))
    assert [li.get_text(strip=True) for li in page.select("ol.agenda > li")] == ["Bilan"]
    assert len(page.select("section[aria-labelledby=attendance-title] ul li")) == 1


def test_csv_import_with_a_bad_row_says_which_row_and_column_and_imports_nothing(client):
    login(client, "coordinator")
    token = csrf_token(client)
    before = client.get("/partners/export.csv").content
    content = b"slug;name;kind\nbonne;Bonne asso;association\nmauvaise;Mauvaise;club\n"
    response = client.post(
        "/partners/import",
        files={"file": ("p.csv", content, "text/csv")},
        data={"_csrf_token": token},
    )
    assert response.status_code == 400
    errors = [li.get_text(" ", strip=True) for li in html(response).select("#import-errors li")]
    assert errors == [
        "Ligne 3, colonne « kind » : « club » n'est pas un type de structure (association ou institution)."
    ]
    assert client.get("/partners/export.csv").content == before


def test_csv_export_then_import_is_identical(client):
    login(client, "coordinator")
    exported = client.get("/partners/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith(b"\xef\xbb\xbf")
    response = client.post(
        "/partners/import",
        files={"file": ("p.csv", exported.content, "text/csv")},
        data={"_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith(
        "/partners?imported=0-"
    )
    assert client.get("/partners/export.csv").content == exported.content


def test_directory_and_minutes_are_pdfs(client):
    login(client, "member")
    pdf = client.get("/partners/directory.pdf?theme=sante")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    minutes = client.get("/plenaries/1/minutes.pdf")
    assert minutes.content.startswith(b"%PDF")
