"""The exports tab of the campaign hub (issue 14): every file the commission can take away,
SPSS and Stata included, each said what it is for; the active filter and the choice between
answer labels and codes carry over into the links."""

import io
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from tests.web.conftest import html, login

SLUG = "temps-libre-2013"
EXPORTS = f"/campaigns/{SLUG}/results/exports"


@pytest.fixture
def staff(client):
    assert login(client, "facilitator").status_code == 303
    return client


def query_of(link) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link["href"]).query)


def test_the_exports_tab_offers_spss_and_stata_and_says_what_they_are_for(staff):
    page = html(staff.get(EXPORTS))
    for key, program in (("sav", "SPSS"), ("dta", "Stata")):
        link = page.select_one(f"#export-{key}")
        assert link is not None, key
        assert query_of(link)["format"] == [key]
        assert staff.get(link["href"]).status_code == 200
        hint = link.find_next_sibling("p", class_="hint")
        assert hint is not None and program in hint.get_text()


def test_the_filter_and_the_labels_choice_carry_over_into_the_links(staff):
    page = html(staff.get(f"{EXPORTS}?genre=fille&labels=true"))
    for key in ("csv-fr", "csv", "xlsx"):
        query = query_of(page.select_one(f"#export-{key}"))
        assert query["genre"] == ["fille"] and query["labels"] == ["true"], key
    for key in ("sav", "dta"):  # both codes and labels, always: no choice to pretend to
        query = query_of(page.select_one(f"#export-{key}"))
        assert query["genre"] == ["fille"] and "labels" not in query, key
    codes = html(staff.get(f"{EXPORTS}?genre=fille"))
    assert "labels" not in query_of(codes.select_one("#export-csv"))
    # the choice itself is a form that keeps the filter
    form = codes.select_one("form#export-labels")
    hidden = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert hidden == {"genre": "fille"}
    assert {i["value"] for i in form.select("input[type=radio][name=labels]")} == {"true", ""}
    assert page.select_one('.filter-chips li.chip[data-key="genre"]') is not None
    assert "labels=true" in page.select_one(".filter-chips a.chip-remove")["href"]


def read_with_pyreadstat(content: bytes, suffix: str):
    import pyreadstat

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(content)
        read = pyreadstat.read_sav if suffix == ".sav" else pyreadstat.read_dta
        return read(str(path))


def test_the_spss_and_stata_files_follow_the_filter_of_the_tab(staff):
    page = html(staff.get(f"{EXPORTS}?genre=fille"))
    csv_rows = staff.get(page.select_one("#export-csv")["href"]).content.decode("utf-8-sig")
    kept = len(pd.read_csv(io.StringIO(csv_rows), skiprows=1))
    everyone = len(pd.read_csv(io.BytesIO(staff.get(f"/campaigns/{SLUG}/results/export").content)))
    assert 0 < kept < everyone
    for key in ("sav", "dta"):
        response = staff.get(page.select_one(f"#export-{key}")["href"])
        assert "-filtered" in response.headers["content-disposition"]
        frame, meta = read_with_pyreadstat(response.content, f".{key}")
        assert len(frame) == kept, key
        assert meta.file_label == "Filtre : Tu es… = Une fille", key  # the filter, named
    unfiltered = staff.get(f"/campaigns/{SLUG}/results/export?format=sav")
    assert read_with_pyreadstat(unfiltered.content, ".sav")[1].file_label == SLUG
