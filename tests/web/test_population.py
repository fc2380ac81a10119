"""The fieldwork monitor and its population margins, through the app."""

from tests.web.conftest import csrf_token, html, login

URL = "/campaigns/temps-libre-2013/population"


def test_monitor_flags_the_under_represented_groups_in_words(client):
    login(client, "facilitator")
    page = html(client.get(URL))
    flagged = page.select_one("#under-represented").get_text(" ", strip=True)
    assert "Élange" in flagged and "22-25" in flagged
    rows = {
        tr.th.get_text(" ", strip=True): "under" in (tr.get("class") or [])
        for tr in page.select("table.monitor tbody tr")
    }
    assert rows["Centre-ville"] is False
    assert any(label.startswith("Élange") and under for label, under in rows.items())
    assert "illustratifs" in page.get_text()
    # a facilitator reads the monitor but does not edit the margins
    assert page.select_one("textarea#margins-text") is None
    chart = page.select_one("img.chart")["src"]
    svg = client.get(chart)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg")


def test_a_member_replaces_the_margins_and_bad_lines_are_named_with_nothing_lost(client):
    login(client, "member")
    typed = "variable,category,share\ngenre,fille,0.5\ngenre,licorne,0.5\n"
    answer = client.post(
        URL,
        data={"margins": typed, "source": "INSEE", "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    page = html(answer)
    assert "licorne" in page.select_one("#margins-errors").get_text()
    assert page.select_one("textarea#margins-text").get_text() == typed
    assert page.select_one("#source")["value"] == "INSEE"
    good = "variable,category,share\ngenre,Une fille,0.5\ngenre,Un garçon,0.5\n"
    saved = client.post(
        URL,
        data={"margins": good, "source": "INSEE RP 2021", "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = html(client.get(URL))
    assert [h.get_text() for h in page.select("section.card h2")][0] == "Tu es…"
    assert "INSEE RP 2021" in page.get_text()


def test_another_commission_cannot_read_the_monitor(client):
    login(client, "other_member")
    assert client.get(URL).status_code == 403


def card_shares(page, question: str) -> dict[str, str]:
    table = page.select_one(f"#q-{question} table")
    return {
        tr.th.get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
        for tr in table.tbody.find_all("tr")
    }


def test_weighted_results_meet_the_margins_and_say_how(client):
    login(client, "facilitator")
    results = "/campaigns/temps-libre-2013/results"
    plain = html(client.get(results))
    assert plain.select_one("#weighting-method") is None
    assert card_shares(plain, "quartier")["Élange"] == "3,2\u00a0%"
    weighted = html(client.get(results + "?weighted=1"))
    # every respondent gave a neighbourhood: weighted, Élange is its 10 % of the population
    assert card_shares(weighted, "quartier")["Élange"] == "10,0\u00a0%"
    method = weighted.select_one("#weighting-method").get_text(" ", strip=True)
    assert "Effet de plan" in method and "illustratifs" in method
    header = [th.get_text() for th in weighted.select("#q-quartier thead th")]
    assert header[-1] == "Intervalle à 95 %"
    chart = weighted.select_one("#q-quartier img.chart")["src"]
    assert "weighted=1" in chart and client.get(chart).status_code == 200


def test_weighted_crosstab_says_rao_scott_and_keeps_the_pair(client):
    login(client, "facilitator")
    url = "/campaigns/temps-libre-2013/results/crosstab?row=genre&col=satisfaction_offre"
    plain = html(client.get(url))
    assert "Rao–Scott" not in plain.select_one("p.test").get_text()
    switch = plain.select_one("#weighted-switch")["href"]
    assert "row=genre" in switch and "weighted=1" in switch
    weighted = html(client.get("/campaigns/temps-libre-2013/results/crosstab" + switch))
    assert "Rao–Scott" in weighted.select_one("p.test").get_text()
    assert weighted.select_one("input[name=weighted]")["value"] == "1"
    chart = weighted.select_one("img.chart")["src"]
    assert "weighted=1" in chart and client.get(chart).status_code == 200


def test_overlapping_bands_are_refused_on_the_page_with_their_line_and_nothing_lost(client):
    login(client, "member")
    typed = "variable,category,share\nage,14-17,0.3\nage,17-21,0.4\nage,22+,0.3\n"
    answer = client.post(
        URL,
        data={"margins": typed, "source": "INSEE", "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    page = html(answer)
    errors = page.select_one("#margins-errors").get_text(" ", strip=True)
    assert "Ligne 3" in errors and "« 14-17 »" in errors and "« 17-21 »" in errors
    field = page.select_one("textarea#margins-text")
    assert field.get_text() == typed and "margins-errors" in field["aria-describedby"]
    # the saved margins are untouched
    page = html(client.get(URL))
    assert "illustratifs" in page.get_text()


# --- weighted waves ---------------------------------------------------------------------------

WAVES = "/series/temps-libre/waves"


def wave_rows(page) -> dict[str, list[str]]:
    return {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in page.select("#waves tbody tr")
    }


def test_weighted_waves_rake_each_wave_to_its_own_margins(client):
    login(client, "facilitator")
    plain = html(client.get(WAVES, params={"q": "quartier"}))
    assert plain.select_one("#weighting-method") is None  # unweighted stays the default
    assert "n effectif (effet de plan)" not in wave_rows(plain)
    switch = plain.select_one("#weighted-switch")["href"]
    assert "q=quartier" in switch and "weighted=1" in switch
    before = wave_rows(plain)["Élange"]
    weighted = html(client.get(WAVES + switch))
    rows = wave_rows(weighted)
    # every respondent gave a neighbourhood: each wave, raked to its margins, shows Élange at
    # its 10 % of the population; the counts in brackets stay the respondents
    for plain_cell, cell in zip(before[:2], rows["Élange"][:2], strict=True):
        assert cell.startswith("10,0\u00a0%")
        assert cell.split("(")[1] == plain_cell.split("(")[1]
    assert rows["Élange"][2].endswith("0\u00a0pts (p = 1)")  # no change
    precision = rows["n effectif (effet de plan)"]
    deff = float(precision[0].split("(")[1].rstrip(")").replace(",", "."))
    assert deff > 1
    method = weighted.select_one("#weighting-method").get_text(" ", strip=True)
    assert "2012" in method and "2013" in method and "effet de plan 1,6" in method
    assert weighted.select_one("#waves-weighted-note")
    assert weighted.select_one("form input[name=weighted]")["value"] == "1"
    chart = weighted.select_one("#waves img.chart")["src"]
    assert "weighted=1" in chart
    weighted_svg = client.get(chart)
    assert weighted_svg.status_code == 200
    assert weighted_svg.content != client.get(plain.select_one("#waves img.chart")["src"]).content


def test_a_wave_without_margins_borrows_those_of_the_series_and_says_so(client, sqlite_demo_url):
    from sqlmodel import Session, select

    from consult.db import make_engine
    from surveys.models import Campaign, PopulationMargins

    engine = make_engine(sqlite_demo_url)
    with Session(engine) as session:
        first = session.exec(select(Campaign).where(Campaign.slug == "temps-libre-2012")).one()
        session.delete(session.get(PopulationMargins, first.id))
        session.commit()
    engine.dispose()
    login(client, "facilitator")
    page = html(client.get(WAVES, params={"q": "quartier", "weighted": "1"}))
    method = page.select_one("#weighting-method").get_text(" ", strip=True)
    assert "n’a pas de marges propres" in method and "2013" in method
    assert wave_rows(page)["Élange"][0].startswith("10,0\u00a0%")


def test_weighted_waves_name_the_wave_whose_margins_do_not_fit(client, sqlite_demo_url):
    from sqlmodel import Session, select

    from consult.db import make_engine
    from surveys.models import Campaign, PopulationMargins

    engine = make_engine(sqlite_demo_url)
    with Session(engine) as session:
        first = session.exec(select(Campaign).where(Campaign.slug == "temps-libre-2012")).one()
        row = session.get(PopulationMargins, first.id)
        row.margins = {"genre": {"fille": 0.5, "licorne": 0.5}}
        session.add(row)
        session.commit()
    engine.dispose()
    login(client, "facilitator")
    page = html(client.get(WAVES, params={"q": "quartier", "weighted": "1"}))
    assert page.select_one("#weighting-method") is None
    alert = page.select_one("#weighting .alert").get_text(" ", strip=True)
    assert "2012" in alert and "licorne" in alert
    assert not wave_rows(page)["Élange"][0].startswith("10,0")  # shown unweighted
