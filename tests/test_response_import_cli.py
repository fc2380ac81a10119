"""`consult results import`: responses from a Kobo-style export into a campaign, end to end
from the command line (questionnaire import -> publish -> campaign open -> results import)."""

import io
import random
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlmodel import Session, select

from consult.cli import main
from consult.db import make_engine
from surveys import results as service
from surveys.models import Response
from tests.third_party import fixture

# pyxform's widgets.xls: every widget of ODK; what Consult asks of it is answered here
LIST = ["a", "b", "c", "d"]
LIST2 = [str(i) for i in range(1, 9)]


@pytest.fixture
def env(demo_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_DATABASE_URL", demo_database_url)
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    return demo_database_url


def form() -> Path:
    return fixture("xlsform", "widgets.xls")


def out(capsys) -> str:
    return capsys.readouterr().out.strip()


def open_campaign(capsys) -> str:
    assert main(["questionnaire", "import", str(form()), "--commission", "jeunesse"]) == 0
    questionnaire = out(capsys).splitlines()[-1]
    assert main(["questionnaire", "publish", questionnaire]) == 0
    assert "published" in out(capsys)
    assert (
        main(["campaign", "open", questionnaire, "--name", "Widgets", "--closes", "2099-01-01"])
        == 0
    )
    capsys.readouterr()
    return "widgets"


def choice_values(url: str, slug: str) -> dict[str, list[str]]:
    engine = make_engine(url)
    with Session(engine) as session:
        data = service.load_results(session, [service.find_campaign(session, slug)], "fr", None)
    engine.dispose()
    return data


def kobo_export(rows: int, seed: int = 7, broken_row: int | None = None) -> bytes:
    """What KoboToolbox exports of the form: a space-separated multiple choice beside its
    0/1 indicator columns, group/name headers, columns of the widgets Consult does not ask
    (time, geopoint, media: left empty), metadata and _uuid/_submission_time columns. The
    form's own constraints hold: my_int < 10, 10.51 < my_decimal < 18.39, a date from
    today on, never c and d together."""
    rng = random.Random(seed)
    header = ["start", "end", "my_string", "my_int", "my_decimal", "my_date", "my_time",
              "my_select"] + [f"my_select/{v}" for v in LIST] + [
              "my_select1", "my_geopoint", "spinner", "spinner_all", "grid_test",
              "table_list_test2/table_list_3", "table_list_test2/table_list_4",
              "_uuid", "_submission_time", "_index"]  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for i in range(rows):
        picked = rng.choice([["a"], ["b"], ["a", "c"], ["b", "d"], ["a", "b", "c"], ["d"]])
        select1 = rng.choice(LIST2)
        if broken_row is not None and i == broken_row:
            select1 = "9"  # not a choice of my_select1
        sheet.append(["2024-03-01T09:00:00", "2024-03-01T09:20:00", rng.choice(["RAS", None]),
                      rng.randint(-5, 9), round(rng.uniform(10.6, 18.3), 2),
                      f"2099-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", None,
                      " ".join(picked), *[int(v in picked) for v in LIST], select1, None,
                      rng.choice(LIST), rng.choice(LIST), rng.choice(["a", "b"]),
                      rng.choice(["yes", "no"]), rng.choice(["yes", "no"]),
                      f"uuid-{seed}-{i}", "2024-03-01T09:21:00", i + 1])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_kobo_export_of_1200_rows_imports_fast_and_its_summaries_equal_pandas(
    env, capsys, tmp_path
):
    slug = open_campaign(capsys)
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo_export(1200))
    assert main(["results", "import", slug, str(path), "--dry-run"]) == 0
    assert out(capsys).startswith("1200 responses would be stored")
    started, cpu = time.perf_counter(), time.process_time()
    assert main(["results", "import", slug, str(path)]) == 0
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert out(capsys).startswith("1200 responses stored")
    assert min(elapsed, cpu) <= 10, (elapsed, cpu)  # CPU time: the machine may be shared
    # the same file again stores nothing twice
    assert main(["results", "import", slug, str(path)]) == 0
    assert out(capsys).startswith("0 responses stored, 1200 already imported")

    data = choice_values(env, slug)
    frame, file = data.frame, pd.read_excel(path)
    assert len(frame) == 1200 and set(frame["channel"]) == {"import"}
    for name in ("my_select1", "spinner", "grid_test"):
        expected = file[name].astype(str).value_counts().to_dict()
        assert frame[name].astype(str).value_counts().to_dict() == expected, name
    assert frame["my_int"].mean() == pytest.approx(file["my_int"].mean())
    assert frame["my_decimal"].median() == pytest.approx(file["my_decimal"].median())
    for value in LIST:
        assert frame[f"my_select/{value}"].sum() == file[f"my_select/{value}"].sum()
        assert frame[f"spinner_all/{value}"].sum() == (file["spinner_all"] == value).sum()
    grid = frame["table_list_test2/table_list_3"].astype(str).value_counts().to_dict()
    assert grid == file["table_list_test2/table_list_3"].value_counts().to_dict()
    assert (frame["my_string"] == "RAS").sum() == (file["my_string"] == "RAS").sum()


def test_a_file_with_a_problem_stores_nothing_and_says_which_row(env, capsys, tmp_path):
    slug = open_campaign(capsys)
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo_export(50, broken_row=4))
    assert main(["results", "import", slug, str(path)]) == 2
    err = capsys.readouterr().err
    assert "Ligne 6" in err and "my_select1" in err and "nothing stored" in err
    engine = make_engine(env)
    with Session(engine) as session:
        campaign = service.find_campaign(session, slug)
        stored = session.exec(select(Response).where(Response.campaign_id == campaign.id)).all()
    engine.dispose()
    assert stored == []


def test_a_mapping_file_names_what_did_not_match(env, capsys, tmp_path):
    slug = open_campaign(capsys)
    rows = pd.DataFrame({
        "Entier": [3, 7], "Décimal": ["12,5", "17"], "Date": ["01/06/2099", "02/07/2099"],
        "Cases": ["a c", "d"], "Un choix": ["option 2", "8"], "Accusé": ["Yes", "OK"],
        "Numéro": [1, 2],
    })  # fmt: skip
    path = tmp_path / "papier.csv"
    rows.to_csv(path, sep=";", index=False)
    mapping = {"Entier": "my_int", "Décimal": "my_decimal", "Date": "my_date",
               "Cases": "my_select", "Un choix": "my_select1", "Accusé": "",
               "@source_id": "Numéro"}  # fmt: skip
    mapping_path = tmp_path / "mapping.json"
    mapping_path.write_text(pd.Series(mapping).to_json(force_ascii=False))
    assert main(["results", "import", slug, str(path), "--mapping", str(mapping_path)]) == 0
    assert out(capsys).startswith("2 responses stored")
    frame = choice_values(env, slug).frame
    assert list(frame["my_select1"]) == ["2", "8"]  # a label ("option 2") matched to its value
    assert frame["my_select/c"].tolist() == [True, False]
    assert list(frame["my_decimal"]) == [12.5, 17.0]
    assert list(frame["my_date"].astype(str)) == ["2099-06-01", "2099-07-02"]
