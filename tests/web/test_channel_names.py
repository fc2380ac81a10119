"""Channel names in words wherever a reader meets them (issue 14): the deck's method slide,
the results page, the report, the filter bar and its chips, the fieldwork tab and the files
written for people (answers as labels). Codes stay in the files for programs."""

import csv
import io

import pytest

from tests.web.conftest import csrf_token, html, login

SLUG = "temps-libre-2013"
HUB = f"/campaigns/{SLUG}"
FRENCH = {"En ligne", "Papier", "Borne"}
ENGLISH = {"Online", "Paper", "Kiosk"}
CODES = {"web", "paper", "kiosk"}


@pytest.fixture
def staff(client):
    assert login(client, "facilitator").status_code == 303
    return client


def named(text: str) -> set[str]:
    """The channel names of « En ligne (150), Papier (60), Borne (40) »."""
    return {part.rsplit("(", 1)[0].strip() for part in text.split(",")}


@pytest.mark.parametrize(("lang", "names"), [("fr", FRENCH), ("en", ENGLISH)])
def test_the_method_slide_names_the_channels(staff, client, lang, names):
    data = {"kind": "method", "_csrf_token": csrf_token(client)}
    assert staff.post(f"{HUB}/deck/slides", data=data, follow_redirects=False).status_code == 303
    deck = html(staff.get(f"{HUB}/deck", headers={"Accept-Language": lang}))
    lines = {
        div.select_one("dt").get_text(strip=True): div.select_one("dd").get_text(strip=True)
        for div in deck.select("section.slide-method dl.method-lines > div")
    }
    channels = lines["Canaux" if lang == "fr" else "Channels"]
    assert named(channels) == names


def test_the_results_page_and_the_report_name_the_channels(staff):
    page = html(staff.get(f"{HUB}/results"))
    rows = {
        th.get_text(strip=True)
        for table in page.select(".overview table.data")
        for th in table.select("tbody th[scope=row]")
    }
    assert rows >= FRENCH and not rows & CODES
    report = html(staff.get(f"{HUB}/results/report"))
    channels = next(
        dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in report.select("dt")
        if dt.get_text(strip=True) == "Canaux"
    )
    assert {part.split(":")[0].strip() for part in channels.split(",")} == FRENCH


def test_the_filter_bar_and_its_chip_name_the_channel(staff):
    page = html(staff.get(f"{HUB}/results?channel=paper"))
    options = {o["value"]: o.get_text(strip=True) for o in page.select("#filter-channel option")}
    assert options == {"": "Tous", "kiosk": "Borne", "paper": "Papier", "web": "En ligne"}
    chip = page.select_one('.filter-chips li.chip[data-key="channel"]')
    assert chip["data-value"] == "paper"
    assert chip.select_one("span").get_text(strip=True) == "Canal = Papier"


def test_the_fieldwork_tab_names_the_channels(staff):
    page = html(staff.get(HUB))
    rows = page.select("#campaign-stats table")[0].select("tbody tr")
    cells = {tr.select_one("td").get_text(strip=True) for tr in rows}
    assert cells >= FRENCH and not cells & CODES


def test_a_file_with_answer_labels_names_the_channels_and_one_with_codes_keeps_them(staff):
    def channels(query: str) -> set[str]:
        response = staff.get(f"{HUB}/results/export?format=csv{query}")
        rows = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
        return {row["channel"] for row in rows}

    assert channels("&labels=true") == FRENCH
    assert channels("") == CODES
    first = staff.get(f"{HUB}/results/export?format=csv&labels=true&channel=kiosk")
    assert first.content.decode("utf-8-sig").splitlines()[0] == '"Filtre : Canal = Borne"'
