"""The waves page filters like the other results views (issue 14): the filter fields inside
its own form (so changing one keeps the other), chips, and every figure of the page — the
respondents of each wave, the table, the chart — computed on the filtered responses. The
deck's wave slides stay on the whole fieldwork (disclosure control)."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.conftest import html, login

SLUG = "temps-libre-2013"
HUB = f"/campaigns/{SLUG}"
WAVES = f"{HUB}/results/waves?q=satisfaction_offre"


@pytest.fixture
def staff(client):
    assert login(client, "facilitator").status_code == 303
    return client


def wave_counts(page) -> dict[str, int]:
    """2012 → 120, from « 2012 (120 répondants) »."""
    counts = {}
    for label in page.select("fieldset.wave-choice label"):
        box = label.select_one("input[name=waves]")
        counts[box["value"]] = int(label.select_one(".muted").get_text().strip("()").split()[0])
    return counts


def respondents_row(page) -> list[str]:
    rows = page.select("#waves table.data tbody tr")
    cells = rows[-1].find_all(["th", "td"])
    return [c.get_text(strip=True) for c in cells if c.get_text(strip=True)][1:]


@pytest.mark.parametrize(
    "view",
    [
        "results/waves?q=satisfaction_offre",
        "results/crosstab?row=genre&col=quartier",
        "results/text",
    ],
)
def test_the_filter_fields_sit_in_the_views_own_form(staff, view):
    page = html(
        staff.get(f"{HUB}/{view}&genre=fille" if "?" in view else f"{HUB}/{view}?genre=fille")
    )
    form = page.select_one("form.pair-form")
    select = form.select_one("select#filter-genre")
    assert select is not None, view
    assert select.select_one("option[selected]")["value"] == "fille"
    summary = form.select_one("details.filter-details > summary").get_text(" ", strip=True)
    assert summary == "Filtrer les réponses (1 actif)"  # folded: the chips say the filter
    assert form.select("input[type=hidden][name=genre]") == []  # the select sends it
    clear = urlsplit(form.select_one("#filter-clear")["href"])
    assert "genre" not in parse_qs(clear.query)
    unfiltered = html(staff.get(f"{HUB}/{view}"))
    summary = unfiltered.select_one("details.filter-details > summary")
    assert summary.get_text(" ", strip=True) == "Filtrer les réponses"


def test_the_waves_form_offers_no_wave_filter(staff):
    page = html(staff.get(WAVES))
    form = page.select_one("form.pair-form")
    assert form.select_one("#filter-genre") is not None
    assert form.select_one("#filter-campaign") is None  # the waves are chosen above it


def test_every_figure_of_the_waves_page_follows_the_filter(staff):
    everyone = html(staff.get(WAVES))
    girls = html(staff.get(f"{WAVES}&genre=fille"))
    assert [c.get_text(strip=True) for c in girls.select(".filter-chips li.chip span")] == [
        "Tu es… = Une fille"
    ]
    all_counts, girl_counts = wave_counts(everyone), wave_counts(girls)
    assert all(0 < girl_counts[w] < all_counts[w] for w in ("2012", "2013")), girl_counts
    assert respondents_row(girls) == [str(girl_counts["2012"]), str(girl_counts["2013"])]
    assert respondents_row(everyone) == [str(all_counts["2012"]), str(all_counts["2013"])]
    chart = girls.select_one("#waves img.chart")["src"]
    assert parse_qs(urlsplit(chart).query)["genre"] == ["fille"]
    assert (
        staff.get(chart).content
        != staff.get(everyone.select_one("#waves img.chart")["src"]).content
    )


def test_a_waves_fragment_refreshes_the_chips_tabs_and_counts(staff):
    response = staff.get(f"{WAVES}&genre=fille", headers={"HX-Request": "true"})
    page = html(response)
    for selector in ("#filter-chips", "#results-nav", "#wave-choice"):
        node = page.select_one(selector)
        assert node is not None and node.get("hx-swap-oob") == "true", selector
    assert wave_counts(page)["2013"] < wave_counts(html(staff.get(WAVES)))["2013"]
    tabs = {a["data-tab"]: a["href"] for a in page.select("#results-nav a[data-tab]")}
    assert parse_qs(urlsplit(tabs["crosstab"]).query)["genre"] == ["fille"]


def test_the_deck_wave_slides_ignore_a_filter(staff):
    """The public side (a deck) keeps the whole fieldwork whatever view it came from."""
    from tests.web.conftest import csrf_token

    data = {"kind": "waves", "question": "satisfaction_offre", "_csrf_token": csrf_token(staff)}
    assert (
        staff.post(f"{HUB}/deck/slides?genre=fille", data=data, follow_redirects=False).status_code
        == 303
    )
    deck = html(staff.get(f"{HUB}/deck?genre=fille"))
    slide = deck.select_one("section.slide-waves")
    rows = slide.select("table tbody tr")
    bases = [c.get_text(strip=True) for c in rows[-1].find_all(["th", "td"])]
    everyone = wave_counts(html(staff.get(WAVES)))
    assert str(everyone["2013"]) in bases
