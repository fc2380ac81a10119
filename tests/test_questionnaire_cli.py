"""`consult questionnaire import|export|list`."""

import json

import pytest

from consult.cli import main
from surveys.document import from_json, to_json
from surveys.library import load_template
from tests.surveys.helpers import xlsx


@pytest.fixture
def env(monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CONSULT_DATABASE_URL", database_url)
    monkeypatch.setenv("CONSULT_DEFAULT_LANGUAGE", "en")
    main(["demo"])
    return tmp_path


def listed(capsys) -> list[str]:
    capsys.readouterr()
    assert main(["questionnaire", "list"]) == 0
    return capsys.readouterr().out.splitlines()


def test_import_json_then_export_reimports_identically(env, capsys):
    source = env / "model.json"
    source.write_text(to_json(load_template("event_satisfaction")))
    capsys.readouterr()
    assert main(["questionnaire", "import", str(source), "--commission", "jeunesse"]) == 0
    new_id = int(capsys.readouterr().out.strip())
    assert any(line.startswith(f"{new_id}\tjeunesse\tv1\tdraft") for line in listed(capsys))

    exported = env / "out.json"
    assert (
        main(["questionnaire", "export", str(new_id), "--format", "json", "-o", str(exported)]) == 0
    )
    assert exported.read_text() == source.read_text()
    workbook = env / "out.xlsx"
    assert (
        main(["questionnaire", "export", str(new_id), "--format", "xlsform", "-o", str(workbook)])
        == 0
    )
    capsys.readouterr()
    assert main(["questionnaire", "import", str(workbook), "--commission", "jeunesse"]) == 0
    again = int(capsys.readouterr().out.strip())
    main(["questionnaire", "export", str(again), "-o", str(env / "again.json")])
    assert from_json((env / "again.json").read_text()) == from_json(source.read_text())


def test_a_broken_xlsform_prints_coded_problems_exits_2_and_creates_nothing(env, capsys):
    before = listed(capsys)
    broken = env / "broken.xlsx"
    broken.write_bytes(
        xlsx(survey="| type | name | label |\n| text | a | A |\n| select_one x | b | B |")
    )
    assert main(["questionnaire", "import", str(broken), "--commission", "jeunesse"]) == 2
    err = capsys.readouterr().err
    assert "Sheet “survey”, row 3, column “type”" in err and "“x”" in err
    assert listed(capsys) == before


def test_an_invalid_json_document_exits_2(env, capsys):
    bad = env / "bad.json"
    bad.write_text(
        json.dumps({"languages": ["fr"], "title": {"fr": "T"}, "sections": [{"name": "s"}]})
    )
    assert main(["questionnaire", "import", str(bad), "--commission", "jeunesse"]) == 2
    assert "no question" in capsys.readouterr().err


def test_import_needs_a_commission_when_there_are_several(env, capsys):
    source = env / "model.json"
    source.write_text(to_json(load_template("event_satisfaction")))
    assert main(["questionnaire", "import", str(source)]) == 2
    assert "--commission" in capsys.readouterr().err
    assert main(["questionnaire", "import", str(source), "--commission", "nope"]) == 2


def test_exporting_an_unknown_questionnaire_exits_2(env, capsys):
    assert main(["questionnaire", "export", "9999", "-o", str(env / "x.json")]) == 2
