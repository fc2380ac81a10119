"""Results pages over HTTP: cards and filters (page and htmx fragment), commission scoping,
cross-tabs, waves, free text and quotes, exports, the JSON API."""

import io
import json
import uuid
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import event
from sqlmodel import Session

from consult.accounts.tokens import create_token_for_email
from consult.db import make_engine
from consult.i18n import translator
from surveys import results as service
from surveys.bands import banded
from surveys.models import Response
from tests.web.conftest import csrf_token, html, login

RESULTS = "/campaigns/temps-libre-2012/results"
HX = {"HX-Request": "true"}


def test_the_results_page_shows_a_card_per_question_with_a_chart_image(client):
    login(client, "member")
    response = client.get(RESULTS)
    assert response.status_code == 200
    page = html(response)
    assert page.find("h1").get_text(strip=True).startswith("Bien vivre son temps libre")
    cards = page.select("#cards article.result-card")
    assert len(cards) > 15
    genre = page.select_one("#q-genre")
    image = genre.select_one("img.chart")
    assert image["src"].startswith(f"{RESULTS}/chart.svg?q=genre") and image["alt"]
    assert genre.select_one("details table")
    assert page.select_one("form.filter-bar select[name=genre]")
    assert page.select_one("img[src^='/campaigns/temps-libre-2012/results/timeline.svg']")


def test_filters_in_the_url_refresh_only_the_cards_for_htmx(client):
    login(client, "facilitator")
    full = html(client.get(RESULTS, params={"genre": "fille"}))
    fragment_response = client.get(RESULTS, params={"genre": "fille"}, headers=HX)
    fragment = html(fragment_response)
    assert "HX-Request" in fragment_response.headers["vary"]
    assert fragment.find("h1") is None and fragment.select_one("form.filter-bar") is None
    assert full.select_one("select[name=genre] option[selected]")["value"] == "fille"
    assert "134" in fragment.select_one("#match-count").get_text()
    image = fragment.select_one("#q-quartier img.chart")
    assert "genre=fille" in image["src"]


def test_an_unknown_filter_value_gives_a_message_not_an_error(client):
    login(client, "member")
    response = client.get(RESULTS, params={"genre": "martien", "age_inconnu": "3"})
    assert response.status_code == 200
    messages = [li.get_text() for li in html(response).select(".alert li")]
    assert len(messages) == 2 and any("martien" in m for m in messages)


def test_another_commissions_member_is_refused_and_an_unknown_slug_is_404(client):
    login(client, "other_member")
    assert client.get(RESULTS).status_code == 403
    assert client.get(f"{RESULTS}/chart.svg?q=genre").status_code == 403
    assert client.get(f"{RESULTS}/export?format=csv").status_code == 403
    assert client.get("/series/temps-libre/waves").status_code == 403
    assert client.get("/campaigns/nope/results").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(RESULTS, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_chart_is_an_svg_cached_on_the_data_version(client):
    login(client, "member")
    response = client.get(f"{RESULTS}/chart.svg", params={"q": "genre", "genre": "fille"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "max-age" in response.headers["cache-control"] and response.headers["etag"]
    assert response.content.lstrip().startswith(b"<?xml")
    assert client.get(f"{RESULTS}/chart.svg", params={"q": "envies"}).status_code == 404


def test_the_results_page_makes_no_query_per_question(any_db_client):
    login(any_db_client, "member")
    engine = any_db_client.app.state.engine
    any_db_client.get(RESULTS)  # warm the cache
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        service.CACHE.clear()
        assert any_db_client.get(RESULTS, params={"genre": "garcon"}).status_code == 200
        cold = len(statements)
        statements.clear()
        assert any_db_client.get(RESULTS, params={"genre": "fille"}).status_code == 200
        warm = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    # session user (2) + campaign + data version, the number groups and the breadcrumbs'
    # commission (surveys.bands, consult.web.areas.hub: one each per page, not per question), and
    # on a cold cache the document + responses
    assert cold <= 9 and warm <= 6


def test_a_crosstab_shows_counts_shares_and_the_test(client):
    login(client, "member")
    params = {"row": "situation", "col": "genre"}
    page = html(client.get(f"{RESULTS}/crosstab", params=params))
    tables = page.select("#crosstab table")
    assert len(tables) == 3
    assert "V de Cramér" in page.select_one(".test").get_text()
    assert page.select_one("#crosstab img.chart")["alt"]
    fragment = html(client.get(f"{RESULTS}/crosstab", params=params, headers=HX))
    assert fragment.find("h1") is None and fragment.select("table")
    bad = html(client.get(f"{RESULTS}/crosstab", params={"row": "genre", "col": "envies"}))
    assert bad.select_one("#crosstab .alert") and not bad.select("#crosstab table")
    svg = client.get(f"{RESULTS}/crosstab.svg", params=params)
    assert svg.status_code == 200


def test_the_waves_view_compares_a_question_across_the_series(client):
    login(client, "facilitator")
    page = html(client.get("/series/temps-libre/waves", params={"q": "satisfaction_offre"}))
    headers = [th.get_text() for th in page.select("#waves thead th")]
    assert headers[:3] == ["Réponse", "2012", "2013"] and "Évolution depuis 2012" in headers
    assert page.select_one("#waves img.chart")["src"].startswith(
        "/series/temps-libre/waves/chart.svg"
    )
    fragment = html(client.get("/series/temps-libre/waves", params={"q": "genre"}, headers=HX))
    assert fragment.find("h1") is None and fragment.select_one("table")


def _text_answer(client):
    page = html(client.get(f"{RESULTS}/text", params={"q": "envies", "search": "bus"}))
    answers = page.select("#answers li.answer")
    assert answers and all("bus" in a.blockquote.get_text().lower() for a in answers)
    return answers[0]["id"].removeprefix("answer-")


def test_a_facilitator_marks_and_unmarks_a_quote_without_javascript(client):
    login(client, "facilitator")
    response_id = _text_answer(client)
    form = {"response_id": response_id, "question": "envies", "search": "bus"}
    marked = client.post(
        f"{RESULTS}/quotes", data=form | {"_csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert marked.status_code == 303
    page = html(client.get(marked.headers["location"]))
    item = page.select_one(f"#answer-{response_id}")
    assert "quoted" in item["class"]
    action = item.select_one("form")["action"]
    removed = client.post(
        action, data=form | {"_csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert removed.status_code == 303
    page = html(client.get(removed.headers["location"]))
    assert "quoted" not in page.select_one(f"#answer-{response_id}")["class"]


def test_marking_a_quote_with_htmx_returns_the_new_button(client):
    login(client, "facilitator")
    response_id = _text_answer(client)
    response = client.post(
        f"{RESULTS}/quotes",
        data={"response_id": response_id, "question": "envies", "search": ""},
        headers=HX | {"x-csrftoken": csrf_token(client)},
    )
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.select_one(".badge") and "/delete" in fragment.select_one("form")["action"]


def _add_formula_answer(client):
    engine = make_engine(str(client.app.state.engine.url))
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        session.add(
            Response(
                campaign_id=campaign.id,
                version_id=campaign.version_id,
                token=uuid.uuid4().hex,
                answers={"genre": "fille", "age": 17, "envies": "=1+1"},
                completed=True,
                submitted_at=datetime.now(UTC),
            )
        )
        session.commit()
    engine.dispose()


def test_csv_and_xlsx_exports_read_back_equal_the_frame_with_formulas_neutralised(client):
    _add_formula_answer(client)
    login(client, "member")
    csv = client.get(f"{RESULTS}/export", params={"format": "csv", "separator": ";"})
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    back = pd.read_csv(
        io.BytesIO(csv.content), sep=";", decimal=",", encoding="utf-8-sig",
        true_values=["VRAI"], false_values=["FAUX"],
    )  # fmt: skip
    xlsx = client.get(f"{RESULTS}/export", params={"format": "xlsx"})
    sheets = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None)
    assert list(sheets) == ["Réponses", "Dictionnaire des variables", "Synthèses"]
    with Session(make_engine(str(client.app.state.engine.url))) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        data = service.load_results(session, [campaign], "fr", None)
        # the number questions' groups are columns of the export too (surveys.bands)
        frame = banded(session, data, translator("fr").gettext).frame
    for read in (back, sheets["Réponses"]):
        assert list(read.columns) == list(frame.columns)
        assert read["response_id"].tolist() == frame["response_id"].tolist()
        for column in ("genre", "quartier"):
            expected = frame[column].astype(object).where(frame[column].notna(), None).tolist()
            assert (
                read[column].astype(object).where(read[column].notna(), None).tolist() == expected
            )
        assert read["age"].tolist() == frame["age"].tolist()
        assert read["activites/sport"].dropna().astype(bool).sum() == frame["activites/sport"].sum()
        assert "'=1+1" in read["envies"].tolist() and "=1+1" not in read["envies"].tolist()


def test_a_public_export_has_no_cell_below_k(client):
    login(client, "member")
    csv = client.get(f"{RESULTS}/export", params={"format": "csv", "public": "1"})
    assert csv.status_code == 410  # row-level data is never public (tests/web/test_disclosure.py)
    # public summaries ignore filters: a narrow group would name someone
    summaries = client.get(
        f"{RESULTS}/summaries.xlsx", params={"public": "1", "genre": "autre_genre"}
    )
    whole = client.get(f"{RESULTS}/summaries.xlsx", params={"public": "1"})
    pd.testing.assert_frame_equal(
        pd.read_excel(io.BytesIO(summaries.content), header=None),
        pd.read_excel(io.BytesIO(whole.content), header=None),
    )


def test_the_printable_report_is_one_html_page_with_a_method_box(client):
    login(client, "member")
    page = html(client.get(f"{RESULTS}/report"))
    assert page.select_one(".method") and len(page.select("section.report-section")) == 5
    assert all(img["src"].startswith("data:image/svg+xml") for img in page.select("img.chart"))


def _token(client, email, scope="commission"):
    engine = make_engine(str(client.app.state.engine.url))
    with Session(engine) as session:
        token = create_token_for_email(session, email, "test", scope)
        session.commit()
    engine.dispose()
    return token


def test_the_api_refuses_a_missing_or_bad_token_with_401_json(client):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
        response = client.get("/api/campaigns/temps-libre-2012/summary", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["status"] == 401


def test_the_api_gives_summaries_crosstabs_and_respects_commissions(client):
    token = _token(client, "jeunesse@consult.demo")
    auth = {"Authorization": f"Bearer {token}"}
    summary = client.get("/api/campaigns/temps-libre-2012/summary", headers=auth).json()
    assert summary["responses"] == 300 and summary["scope"] == "commission"
    question = client.get("/api/campaigns/temps-libre-2012/questions/genre", headers=auth).json()
    assert question["variables"][0]["n_valid"] == 300
    table = client.get(
        "/api/campaigns/temps-libre-2012/crosstab",
        params={"row": "genre", "col": "situation"},
        headers=auth,
    ).json()
    assert table["n"] > 0 and 0 <= table["test"]["p_value"] <= 1
    other = {"Authorization": f"Bearer {_token(client, 'emploi@consult.demo')}"}
    assert client.get("/api/campaigns/temps-libre-2012/summary", headers=other).status_code == 403


def test_the_public_scope_of_the_api_has_no_count_below_k(client):
    token = _token(client, "jeunesse@consult.demo", scope="public")
    auth = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/campaigns/temps-libre-2012/summary", headers=auth).json()
    assert body["scope"] == "public" and body["suppressed_below"] == 5

    def counts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("count", "n_valid", "n_no_answer", "n_not_asked", "n") and isinstance(
                    value, int
                ):
                    yield value
                yield from counts(value)
        elif isinstance(node, list):
            for item in node:
                yield from counts(item)

    assert all(v == 0 or v >= 5 for v in counts(body))
    commission = {"Authorization": f"Bearer {_token(client, 'jeunesse@consult.demo')}"}
    table = client.get(
        "/api/campaigns/temps-libre-2012/crosstab",
        params={"row": "genre", "col": "quartier", "scope": "public"},
        headers=commission,
    ).json()
    cells = [v for row in table["counts"].values() for v in row.values() if v is not None]
    assert table["scope"] == "public" and all(v == 0 or v >= 5 for v in cells)


def test_the_openapi_schema_documents_the_api(client):
    schema = client.get("/api/schema/openapi.json").json()
    assert "/api/campaigns/{slug}/summary" in schema["paths"]
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_the_openapi_schema_lists_the_json_api_only(client):
    schema = client.get("/api/schema/openapi.json").json()
    paths = set(schema["paths"])
    assert paths and all(path.startswith("/api/") for path in paths), sorted(paths)
    # no component is left over from an HTML page's form
    components = schema["components"].get("schemas", {})
    referenced = json.dumps(schema["paths"]) + json.dumps(components)
    for name in components:
        assert f"#/components/schemas/{name}" in referenced, name


def test_spss_stata_and_labelled_csv_exports(client, tmp_path):
    import pyreadstat

    login(client, "member")
    page = html(client.get(RESULTS))
    links = {a["href"] for a in page.select("a[href*='/export?']")}
    for fmt in ("sav", "dta"):
        assert f"{RESULTS}/export?format={fmt}" in links
        response = client.get(f"{RESULTS}/export", params={"format": fmt})
        assert (
            response.status_code == 200 and "attachment" in response.headers["content-disposition"]
        )
        path = tmp_path / f"r.{fmt}"
        path.write_bytes(response.content)
        _, meta = (pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta)(str(path))
        assert meta.variable_value_labels["genre"]
    labelled = client.get(
        f"{RESULTS}/export", params={"format": "csv", "separator": ";", "labels": "true"}
    )
    coded = client.get(f"{RESULTS}/export", params={"format": "csv", "separator": ";"})
    read = [
        pd.read_csv(io.BytesIO(r.content), sep=";", encoding="utf-8-sig") for r in (labelled, coded)
    ]
    assert set(read[0]["genre"].dropna()) != set(read[1]["genre"].dropna())


def test_a_grid_says_the_same_count_on_its_card_and_its_chart_a_range_when_rows_differ(client):
    """Each row of a grid has its own count of answers: the card once said the first row's
    (« Ont répondu : 206 ») and the chart the largest (« Répondants : 212 »)."""
    login(client, "facilitator")
    data_rows = []
    with Session(make_engine(str(client.app.state.engine.url))) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        data = service.load_results(session, [campaign], "fr", service.ResultsCache())
        for name in data.codebook.of_question("opinions"):
            data_rows.append(int(data.frame[name.name].notna().sum()))
    low, high = min(data_rows), max(data_rows)
    assert low < high  # the demo's grid has rows left blank by some
    card = html(client.get(RESULTS)).select_one("#q-opinions")
    counts = " ".join(card.select_one("p.counts").get_text().split())
    assert f"Ont répondu : {low} à {high} selon la ligne" in counts
    svg = client.get(f"{RESULTS}/chart.svg", params={"q": "opinions"}).text
    assert f"Répondants : {low} à {high}" in svg.replace("\u202f", " ").replace("\xa0", " ")
