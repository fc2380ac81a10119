"""Disclosure control over HTTP: what an outsider holding only the public outputs of the demo
can work out. Each test is one finding of issue 13; the attack of tests/analysis/attack.py
is the oracle (it enumerates the tables consistent with everything published)."""

import io
import random
import re
import uuid
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlmodel import Session

from consult.db import make_engine
from consult.demo.responses import generate_answers
from surveys import results as service
from surveys.models import QuestionnaireVersion, Response
from tests.analysis.attack import counts_published, recovered, table_published
from tests.web.conftest import csrf_token, html, login
from tests.web.test_results import _token

K = 5
OLD, NEW, OPEN = "temps-libre-2012", "temps-libre-2013", "temps-libre-2026"
NUMBER = re.compile(r"^\d[\d\s\u202f\u00a0]*$")


def add_responses(client, slug: str, n: int, seed: int = 7) -> None:
    """n complete answers to ``slug``, drawn like the demo's (one a minute from now)."""
    engine = make_engine(str(client.app.state.engine.url))
    rng = random.Random(seed)
    with Session(engine) as session:
        campaign = service.find_campaign(session, slug)
        document = session.get(QuestionnaireVersion, campaign.version_id).document
        now = datetime.now(UTC)
        for i in range(n):
            when = now - timedelta(minutes=n - i)
            session.add(
                Response(
                    campaign_id=campaign.id,
                    version_id=campaign.version_id,
                    token=uuid.uuid4().hex,
                    channel="web",
                    answers=generate_answers(rng, document, 2, when.date()),
                    completed=True,
                    started_at=when,
                    submitted_at=when,
                )
            )
        session.commit()
    engine.dispose()
    service.CACHE.clear()


def public_api(client, path: str, **params):
    auth = {"Authorization": f"Bearer {_token(client, 'jeunesse@consult.demo', 'public')}"}
    response = client.get(path, params=params, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


def crosstab_attack(body: dict) -> dict:
    rows, columns = body["row"]["categories"], body["column"]["categories"]
    shown = [[body["counts"][r][c] for c in columns] for r in rows]
    return recovered(
        table_published(
            shown,
            [body["row_totals"][r] for r in rows],
            [body["column_totals"][c] for c in columns],
            body["n"],
        ),
        budget=2_000_000,
    )


# --- finding 1: the public cross-tab ----------------------------------------------------------


def test_the_public_crosstab_publishes_no_test_beside_a_hidden_cell(client):
    body = public_api(client, f"/api/campaigns/{NEW}/crosstab", row="genre", col="situation")
    cells = [v for row in body["counts"].values() for v in row.values()]
    margins = [*body["row_totals"].values(), *body["column_totals"].values()]
    assert None in cells, "genre × situation of 2013 has small cells"
    assert body["test"] is None
    assert crosstab_attack(body) == {}
    assert all(v is None or v == 0 or v >= K for v in cells + margins)


def test_a_fully_published_crosstab_keeps_its_test_rounded(client):
    body = public_api(client, f"/api/campaigns/{OLD}/crosstab", row="genre", col="transport")
    cells = [v for row in body["counts"].values() for v in row.values()]
    if None in cells:
        assert body["test"] is None
    else:
        assert body["test"]["cramers_v"] == round(body["test"]["cramers_v"], 2)
        assert body["test"]["chi_square"] == round(body["test"]["chi_square"], 2)


# --- finding 2: the mean of a scale with its n ------------------------------------------------


def test_the_public_summary_of_a_scale_with_a_hidden_cell_has_no_mean(client):
    body = public_api(client, f"/api/campaigns/{NEW}/questions/satisfaction_pij")
    variable = body["variables"][0]
    counts = [row["count"] for row in variable["table"]]
    assert None in counts  # 1 person answered "pas du tout"
    assert "mean" not in variable["stats"] and "top2_share" not in variable["stats"]
    assert recovered(counts_published(counts, variable["n_valid"])) == {}


def test_no_public_summary_gives_a_statistic_beside_a_hidden_count(client):
    body = public_api(client, f"/api/campaigns/{NEW}/summary")
    for variable in body["variables"]:
        counts = [row.get("count") for row in variable["table"]]
        if variable["kind"] in ("single", "ordinal", "multi", "date") and None in counts:
            assert set(variable["stats"]) <= {"n"}, variable["name"]
        if variable["kind"] == "numeric" and variable["stats"].get("min") is not None:
            assert variable["stats"]["min"] == round(variable["stats"]["min"], 2)


# --- finding 3: small bases on the public page and in the deck ------------------------------


def public_tables(page) -> list[list[list[str]]]:
    """Each table of each question card: rows of cell texts (the header cell first)."""
    out = []
    for table in page.select("div.question table"):
        out.append(
            [
                [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
                for tr in table.select("tbody tr")
            ]
        )
    return out


def test_a_public_page_with_few_responses_withholds_small_bases(client):
    add_responses(client, OPEN, 6)
    login(client, "member")
    data = {"_csrf_token": csrf_token(client), "q": ["genre", "quartier", "situation"]}
    data["published"] = "1"
    assert client.post(f"/campaigns/{OPEN}/public", data=data).status_code in (200, 303)
    client.post("/logout", data={"_csrf_token": csrf_token(client)})
    page = html(client.get(f"/p/{OPEN}"))
    questions = page.select("div.question")
    assert len(questions) >= 3
    withheld = page.select("div.question .withheld")
    for table in public_tables(page):
        for row in table:
            for cell in row[1:2]:  # the count column
                if NUMBER.match(cell):
                    value = int(re.sub(r"\D", "", cell))
                    assert value == 0 or value >= K, row
        labels = [r[0] for r in table]
        if "Total" not in labels:
            continue
        end = labels.index("Total")
        counts = [None if r[1].startswith("<") else int(re.sub(r"\D", "", r[1])) for r in table]
        categories, total = counts[:end], counts[end]
        assert total is not None and total >= K
        if None in categories:
            assert recovered(counts_published(categories, total)) == {}
    # five responses are public (the sixth waits for k more): a question some of them left
    # unanswered has a base below k and is withheld whole
    assert page.select_one("p.lead").get_text().strip().startswith("5")
    assert withheld or all(len(t) for t in public_tables(page))


def test_the_deck_withholds_a_wave_of_one_respondent(client):
    add_responses(client, OPEN, 1)
    login(client, "facilitator")
    client.post(
        f"/campaigns/{NEW}/deck/slides",
        data={
            "_csrf_token": csrf_token(client),
            "kind": "waves",
            "question": "genre",
            "takeaway": "",
        },
    )
    deck = html(client.get(f"/campaigns/{NEW}/deck"))
    table = deck.select_one("section.slide-waves table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    if "2026" in headers:
        column = headers.index("2026")
        cells = [
            tr.find_all(["th", "td"])[column].get_text(strip=True)
            for tr in table.select("tbody tr")
        ]
        # no count, no share and no base of the one respondent: nothing but "< 5" or a notice
        assert not any(re.search(r"\d", c.replace("< 5", "")) for c in cells), cells
        assert deck.select_one("section.slide-waves .withheld")
    # else the wave is left out whole (under the minimum n of a comparison): nothing shown
    assert "2026" not in deck.select_one("section.slide-waves").get_text() or (
        deck.select_one("section.slide-waves .withheld")
    )


# --- finding 4: row-level data ----------------------------------------------------------------


def test_there_is_no_public_row_level_export(client):
    login(client, "member")
    for fmt in ("csv", "xlsx", "parquet"):
        response = client.get(
            f"/campaigns/{NEW}/results/export", params={"format": fmt, "public": "1"}
        )
        assert response.status_code == 410
        page = html(response)
        assert page.select_one(f"a[href='/campaigns/{NEW}/results/summaries.xlsx?public=1']")
    # the commission's own export is still there
    assert (
        client.get(f"/campaigns/{NEW}/results/export", params={"format": "csv"}).status_code == 200
    )


def test_the_cli_refuses_a_public_row_level_export(sqlite_demo_url, tmp_path, capsys, monkeypatch):
    from consult.cli import main

    monkeypatch.setenv("CONSULT_DATABASE_URL", sqlite_demo_url)
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    code = main(["results", "export", NEW, "--public", "-o", str(tmp_path / "x.csv")])
    assert code != 0 and not (tmp_path / "x.csv").exists()
    assert "summaries" in capsys.readouterr().err


def test_hidden_values_read_below_k_in_public_summaries(client):
    login(client, "member")
    response = client.get(f"/campaigns/{NEW}/results/summaries.xlsx", params={"public": "1"})
    sheet = pd.read_excel(io.BytesIO(response.content), header=None, dtype=object)
    values = sheet.stack().astype(str).tolist()
    assert "< 5" in values
    counts, header = [], None
    for row in sheet.itertuples(index=False):
        if row[1] == "Nombre de répondants":
            header = True
        elif pd.isna(row[0]):
            header = None  # a blank line ends a block
        elif header and row[0] not in ("Sans réponse", "Non posée"):
            counts.append(row[1])
    assert "< 5" in counts
    numbers = pd.to_numeric(pd.Series(counts), errors="coerce").dropna()
    assert len(numbers) > 100 and not ((numbers > 0) & (numbers < K)).any()


# --- finding 5: differencing through dates ----------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{"to": "2013-04-10"}, {"from": "2013-04-11"}, {"genre": "fille"}, {"weighted": "1"}],
)
def test_public_summaries_ignore_filters(client, params):
    login(client, "member")
    base = f"/campaigns/{NEW}/results/summaries.xlsx"
    whole = pd.read_excel(io.BytesIO(client.get(base, params={"public": "1"}).content), header=None)
    one = client.get(base, params={"public": "1", **params})
    two = client.get(base, params={"public": "1", "to": "2013-04-11"})
    for response in (one, two):
        sheet = pd.read_excel(io.BytesIO(response.content), header=None)
        pd.testing.assert_frame_equal(sheet, whole)


def test_a_live_public_page_moves_in_steps_of_k(client):
    login(client, "member")
    data = {"_csrf_token": csrf_token(client), "q": ["genre"], "published": "1"}
    client.post(f"/campaigns/{OPEN}/public", data=data)
    seen = []
    for step in range(7):
        add_responses(client, OPEN, 1, seed=step)
        page = html(client.get(f"/p/{OPEN}"))
        seen.append(tuple(tuple(r) for t in public_tables(page) for r in t))
    # after 1..4 responses nothing; after 5..7 the same figures: a sixth person changes nothing
    assert len(set(seen[:4])) == 1 and len(set(seen[4:])) == 1
    body = public_api(client, f"/api/campaigns/{OPEN}/summary")
    assert body["responses"] == 5


@pytest.mark.parametrize("params", [{"weighted": "1"}, {"genre": "fille"}, {"to": "2013-04-10"}])
def test_the_public_api_ignores_weights_and_filters(client, params):
    for path in (f"/api/campaigns/{NEW}/summary", f"/api/campaigns/{NEW}/questions/quartier"):
        assert public_api(client, path, **params) == public_api(client, path)
    crosstab = f"/api/campaigns/{NEW}/crosstab"
    plain = public_api(client, crosstab, row="genre", col="situation")
    assert public_api(client, crosstab, row="genre", col="situation", **params) == plain
