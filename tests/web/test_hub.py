"""The campaign hub (issue 14): one home per campaign, tabs on every sub-page, breadcrumbs,
the filter said as chips on every results view, waves chosen by hand or by a minimum n."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.conftest import csrf_token, html, login

SLUG = "temps-libre-2013"
HUB = f"/campaigns/{SLUG}"
SUB_PAGES = {
    f"{HUB}/results": "results",
    f"{HUB}/results/crosstab": "crosstab",
    f"{HUB}/results/text": "text",
    f"{HUB}/results/waves": "waves",
    f"{HUB}/results/exports": "exports",
    f"{HUB}/deck/edit": "deck",
    f"{HUB}/public": "public",
    f"{HUB}/entry": "fieldwork",
    HUB: "fieldwork",
}


@pytest.fixture
def staff(client):
    assert login(client, "facilitator").status_code == 303
    return client


def tabs_of(page) -> dict[str, str]:
    nav = page.select_one("nav.hub-tabs")
    assert nav is not None, "the campaign's tabs are missing"
    return {a["data-tab"]: a["href"] for a in nav.select("a[data-tab]")}


def test_dashboard_rows_link_to_the_campaign_hub(staff):
    page = html(staff.get("/dashboard"))
    links = {a["href"] for a in page.select("ul.campaigns a.campaign-name")}
    assert {HUB, "/campaigns/temps-libre-2012", "/campaigns/temps-libre-2026"} <= links


def test_the_hub_links_every_view_of_the_campaign(staff):
    response = staff.get(HUB)
    assert response.status_code == 200
    tabs = tabs_of(html(response))
    assert tabs == {
        "fieldwork": HUB,
        "results": f"{HUB}/results",
        "crosstab": f"{HUB}/results/crosstab",
        "waves": f"{HUB}/results/waves",
        "text": f"{HUB}/results/text",
        "deck": f"{HUB}/deck/edit",
        "public": f"{HUB}/public",
        "exports": f"{HUB}/results/exports",
    }
    for href in tabs.values():
        assert staff.get(href).status_code == 200, href


@pytest.mark.parametrize(("path", "active"), SUB_PAGES.items())
def test_every_sub_page_keeps_the_tabs_and_breadcrumbs(staff, path, active):
    page = html(staff.get(path))
    current = page.select("nav.hub-tabs a[aria-current=page]")
    assert [a["data-tab"] for a in current] == [active]
    crumbs = [a["href"] for a in page.select("nav.breadcrumbs a")]
    assert crumbs == ["/dashboard", "/commissions/jeunesse", HUB]
    assert page.select_one("nav.breadcrumbs [aria-current=location]") is not None


def test_tabs_carry_the_active_filter(staff):
    tabs = tabs_of(html(staff.get(f"{HUB}/results?genre=fille")))
    for key in ("results", "crosstab", "waves", "text", "exports"):
        assert parse_qs(urlsplit(tabs[key]).query).get("genre") == ["fille"], key


def chips_of(page) -> list[tuple[str, str]]:
    return [(li["data-key"], li["data-value"]) for li in page.select(".filter-chips li.chip")]


@pytest.mark.parametrize(
    "view",
    [
        "results",
        "results/crosstab?row=genre&col=satisfaction_offre",
        "results/text",
        "results/waves",
    ],
)
def test_every_results_view_shows_the_filter_as_chips(staff, view):
    sep = "&" if "?" in view else "?"
    page = html(staff.get(f"{HUB}/{view}{sep}genre=fille&channel=web"))
    assert chips_of(page) == [("genre", "fille"), ("channel", "web")]
    unfiltered = html(staff.get(f"{HUB}/{view}"))
    assert chips_of(unfiltered) == []


def test_removing_a_chip_keeps_the_other_filter_and_the_chosen_questions(staff):
    page = html(
        staff.get(
            f"{HUB}/results/crosstab?row=genre&col=satisfaction_offre&genre=fille&channel=web"
        )
    )
    chip = page.select_one('.filter-chips li.chip[data-key="genre"] a.chip-remove')
    url = urlsplit(chip["href"])
    assert url.path == f"{HUB}/results/crosstab"
    query = parse_qs(url.query)
    assert query == {"row": ["genre"], "col": ["satisfaction_offre"], "channel": ["web"]}
    after = html(staff.get(chip["href"]))
    assert chips_of(after) == [("channel", "web")]


def test_the_crosstab_fragment_updates_the_chips_too(staff):
    response = staff.get(f"{HUB}/results?genre=fille", headers={"HX-Request": "true"})
    page = html(response)
    chips = page.select_one("#filter-chips")
    assert chips is not None and chips.get("hx-swap-oob") == "true"
    assert chips_of(page) == [("genre", "fille")]


def wave_boxes(page) -> dict[str, bool]:
    return {
        box["value"]: box.has_attr("checked")
        for box in page.select('fieldset.wave-choice input[name="waves"]')
    }


def test_a_wave_with_too_few_respondents_is_left_out_by_default(staff):
    page = html(staff.get(f"{HUB}/results/waves?q=satisfaction_offre"))
    assert wave_boxes(page) == {"2012": True, "2013": True, "2026": False}
    headers = [th.get_text(strip=True) for th in page.select("#waves table thead th")]
    assert "2026" not in headers and "2012" in headers and "2013" in headers


def test_waves_are_chosen_by_hand(staff):
    page = html(
        staff.get(f"{HUB}/results/waves?q=satisfaction_offre&waves=2012&waves=2026&min_n=1")
    )
    assert wave_boxes(page) == {"2012": True, "2013": False, "2026": True}
    headers = [th.get_text(strip=True) for th in page.select("#waves table thead th")]
    assert "2012" in headers and "2026" in headers and "2013" not in headers
    one = html(staff.get(f"{HUB}/results/waves?q=satisfaction_offre&waves=2013"))
    assert one.select_one("#waves-too-few") is not None
    assert one.select_one("#waves img.chart") is None


def test_the_waves_chart_follows_the_chosen_waves(staff):
    page = html(staff.get(f"{HUB}/results/waves?q=satisfaction_offre&waves=2012&waves=2013"))
    src = page.select_one("#waves img.chart")["src"]
    assert parse_qs(urlsplit(src).query)["waves"] == ["2012", "2013"]
    assert staff.get(src).status_code == 200
    too_few = src.replace("waves=2013", "waves=2012")
    assert staff.get(too_few).status_code == 404


AGE_GROUPS = "age__groups"


def test_age_groups_are_offered_in_filters_crosstabs_and_waves(staff):
    results = html(staff.get(f"{HUB}/results"))
    options = [o["value"] for o in results.select(f"#filter-{AGE_GROUPS} option")]
    assert options == ["", "14", "18", "22"]
    crosstab = html(staff.get(f"{HUB}/results/crosstab"))
    assert AGE_GROUPS in [o["value"] for o in crosstab.select("#row option")]
    waves = html(staff.get(f"{HUB}/results/waves"))
    assert AGE_GROUPS in [o["value"] for o in waves.select("#q option")]
    # a number's groups are not a card of their own on the results page
    assert results.select_one(f"#q-{AGE_GROUPS}") is None


def test_satisfaction_by_age_group_is_a_crosstab(staff):
    page = html(staff.get(f"{HUB}/results/crosstab?row={AGE_GROUPS}&col=satisfaction_offre"))
    table = page.select("#crosstab table.data")[0]
    rows = [th.get_text(strip=True) for th in table.select("tbody th[scope=row]")]
    assert rows[:3] == ["14–17", "18–21", "22–25"]
    chart = page.select_one("#crosstab img.chart")["src"]
    assert staff.get(chart).status_code == 200


def test_a_filter_on_an_age_group_is_named_by_its_group(staff):
    page = html(
        staff.get(f"{HUB}/results/crosstab?row=genre&col=satisfaction_offre&{AGE_GROUPS}=18")
    )
    chip = page.select_one(".filter-chips li.chip span").get_text(strip=True)
    assert chip.endswith("= 18–21") and chip.startswith("Quel âge as-tu ?")


def test_staff_change_the_groups_and_they_are_used_at_once(staff, client):

    page = html(staff.get(f"{HUB}/results/groups"))
    assert page.select_one("#groups-age") is not None
    form = {"question": "age", "action": "save", "_csrf_token": csrf_token(client)}
    response = staff.post(
        f"{HUB}/results/groups",
        data=form | {"low": ["14", "16", "20", ""], "label": ["", "16-19 ans", "", ""]},
        follow_redirects=False,
    )
    assert response.status_code == 303
    results = html(staff.get(f"{HUB}/results"))
    options = [
        (o["value"], o.get_text(strip=True)) for o in results.select(f"#filter-{AGE_GROUPS} option")
    ]
    assert options[1:] == [("14", "14–15"), ("16", "16-19 ans"), ("20", "20–25")]
    back = staff.post(
        f"{HUB}/results/groups", data=form | {"action": "reset"}, follow_redirects=False
    )
    assert back.status_code == 303
    results = html(staff.get(f"{HUB}/results"))
    assert [o["value"] for o in results.select(f"#filter-{AGE_GROUPS} option")] == [
        "",
        "14",
        "18",
        "22",
    ]


def test_bad_groups_are_refused_with_a_message_by_the_field_and_kept_as_typed(staff, client):

    form = {"question": "age", "action": "save", "_csrf_token": csrf_token(client)}
    response = staff.post(
        f"{HUB}/results/groups",
        data=form | {"low": ["14", "dix-huit", "16"], "label": ["", "", ""]},
    )
    assert response.status_code == 400
    page = html(response)
    field = page.select_one("#low-age-2")
    assert field["value"] == "dix-huit" and field["aria-invalid"] == "true"
    assert page.select_one(f"#{field['aria-describedby']}") is not None
    # nothing was saved: the default groups still apply
    results = html(staff.get(f"{HUB}/results"))
    assert [o["value"] for o in results.select(f"#filter-{AGE_GROUPS} option")] == [
        "",
        "14",
        "18",
        "22",
    ]


# --- files built from a filtered view follow it and name it --------------------------------

STATED = "Filtre : Tu es… = Une fille"


def filtered_count(staff) -> int:
    page = html(staff.get(f"{HUB}/results?genre=fille"))
    return int(page.select_one("#match-count").get_text().split()[0])


def test_the_csv_export_follows_the_filter_and_names_it(staff):
    n = filtered_count(staff)
    response = staff.get(f"{HUB}/results/export?format=csv&separator=%3B&genre=fille")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == f'"{STATED}"'
    assert lines[1].startswith("response_id;")
    assert len(lines) == 2 + n
    plain = staff.get(f"{HUB}/results/export?format=csv").content.decode("utf-8-sig")
    assert plain.splitlines()[0].startswith("response_id,")


def test_the_xlsx_export_follows_the_filter_and_names_it(staff):
    import io

    from openpyxl import load_workbook

    n = filtered_count(staff)
    response = staff.get(f"{HUB}/results/export?format=xlsx&genre=fille")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    first = book.worksheets[0]
    assert first.title == "Filtre" and first["A1"].value == STATED
    responses = book.worksheets[1]
    assert sum(1 for _ in responses.iter_rows()) == 1 + n


def test_the_report_follows_the_filter_and_names_it(staff):
    page = html(staff.get(f"{HUB}/results/report?genre=fille"))
    assert page.select_one("#report-filter").get_text(strip=True) == STATED
    n = filtered_count(staff)
    assert page.select_one("#report-filtered-n").get_text().split()[0] == str(n)
    assert html(staff.get(f"{HUB}/results/report")).select_one("#report-filter") is None


def test_the_crosstab_offers_files_that_name_its_filter(staff, tmp_path):
    import io
    import subprocess

    from openpyxl import load_workbook

    view = f"{HUB}/results/crosstab?row={AGE_GROUPS}&col=satisfaction_offre&genre=fille"
    page = html(staff.get(view))
    assert chips_of(page) == [("genre", "fille")]
    csv_text = staff.get(page.select_one("#crosstab-csv")["href"]).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[1] == STATED and "14–17" in csv_text
    book = load_workbook(io.BytesIO(staff.get(page.select_one("#crosstab-xlsx")["href"]).content))
    assert book.active["A2"].value == STATED
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(staff.get(page.select_one("#crosstab-pdf")["href"]).content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert STATED in " ".join(text.split())


# --- waves: a minimum n, signed changes in the right unit ----------------------------------


def one_response_in_2026(staff, client) -> None:
    """A single paper questionnaire typed into the wave that has just opened."""
    answers = {"age": "16", "genre": "fille", "satisfaction_offre": "tres_satisfait"}
    answers |= {"quartier": "centre_ville", "situation": "lyceen", "pratique_activite": "no"}
    answers |= {"freins": "cout"}
    data = answers | {"_csrf_token": csrf_token(client)}
    response = staff.post("/campaigns/temps-libre-2026/entry", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text


def change_cells(page) -> list[str]:
    table = page.select_one("#waves table.data")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    columns = [i for i, h in enumerate(headers) if h.startswith("Évolution")]
    first = table.select("tbody tr")[0]
    cells = first.find_all(["th", "td"])
    return [cells[i].get_text(strip=True) for i in columns]


def test_a_wave_below_the_minimum_n_is_neither_shown_nor_tested(staff, client):
    one_response_in_2026(staff, client)
    # by default the wave of one respondent is left out
    default = html(staff.get(f"{HUB}/results/waves?q=satisfaction_offre"))
    assert wave_boxes(default) == {"2012": True, "2013": True, "2026": False}
    # ticked by hand, it is shown, but no change is computed against it
    view = f"{HUB}/results/waves?q=satisfaction_offre&waves=2012&waves=2013&waves=2026"
    changes = change_cells(html(staff.get(view)))
    assert len(changes) == 2
    assert "pts" in changes[0] and changes[1] == "n < 30"
    assert "p =" not in changes[1]
    # with a minimum of 1, the change is shown and tested again
    changes = change_cells(html(staff.get(view + "&min_n=1")))
    assert "pts" in changes[1]


def test_a_change_of_a_mean_is_signed_in_the_unit_of_the_question(staff):
    page = html(staff.get(f"{HUB}/results/waves?q=age&waves=2012&waves=2013"))
    (change,) = change_cells(page)
    assert change[0] in "+−±" and "pts" not in change


def test_age_groups_can_be_published_with_small_groups_hidden(staff, client):
    admin = html(staff.get(f"{HUB}/public"))
    assert admin.select_one(f'input[name=q][value="{AGE_GROUPS}"]') is not None
    data = {"q": [AGE_GROUPS, "genre"], "published": "1", "_csrf_token": csrf_token(client)}
    assert staff.post(f"{HUB}/public", data=data, follow_redirects=False).status_code == 303
    client.cookies.clear()
    page = html(client.get(f"/p/{SLUG}"))
    charts = [img["src"] for img in page.select("img.chart")]
    assert any(f"q={AGE_GROUPS}" in src for src in charts)
    for src in charts:
        assert client.get(src).status_code == 200


def test_the_summaries_workbook_names_the_filter_too(staff):
    import io

    from openpyxl import load_workbook

    response = staff.get(f"{HUB}/results/summaries.xlsx?genre=fille")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(book.worksheets) == 1 and book.worksheets[0]["A1"].value == STATED
    plain = load_workbook(io.BytesIO(staff.get(f"{HUB}/results/summaries.xlsx").content))
    assert plain.worksheets[0]["A1"].value != STATED


def test_the_series_waves_address_still_works_inside_the_hub_of_its_latest_wave(staff):
    page = html(staff.get("/series/temps-libre/waves?q=satisfaction_offre"))
    assert [a["data-tab"] for a in page.select("nav.hub-tabs a[aria-current=page]")] == ["waves"]
    assert page.select_one("#waves table.data") is not None
