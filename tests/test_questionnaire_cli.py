"""`consult questionnaire import|export|list`."""

import io
import json
import zipfile

import pytest
from sqlmodel import Session

from consult.cli import main
from consult.db import make_engine
from consult.settings import Settings
from surveys import image_store
from surveys import questionnaires as service
from surveys.document import from_json, to_json
from surveys.library import load_template
from tests.security.world import small_png
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
        xlsx(
            survey="| type | name | label |\n| text | a | A |\n| select_one x | b | B |",
            choices="| list_name | name | label |\n| y | s | S |",
        )
    )
    assert main(["questionnaire", "import", str(broken), "--commission", "jeunesse"]) == 2
    err = capsys.readouterr().err
    assert "Sheet “survey”, row 3" in err and "pyxform" in err
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


def test_a_limesurvey_file_imports_publishes_and_opens_a_campaign(env, capsys):
    from tests.surveys.test_limesurvey import new_layout

    lss = env / "enquete.lss"
    lss.write_bytes(new_layout())
    assert main(["questionnaire", "import", str(lss), "--commission", "jeunesse"]) == 0
    captured = capsys.readouterr()
    questionnaire = captured.out.strip().splitlines()[-1]
    assert "warning:" in captured.err  # the file-upload question, a condition dropped
    assert main(["questionnaire", "publish", questionnaire]) == 0
    assert "published" in capsys.readouterr().out
    assert (
        main(["campaign", "open", questionnaire, "--name", "Enquête LS", "--closes", "2099-01-01"])
        == 0
    )
    assert capsys.readouterr().out.strip().endswith("/r/enquete-ls")


def _workbook_with_a_picture() -> bytes:
    """An XLSForm whose choice « cinema » names a picture, and the .zip that carries both
    (as ODK and KoboToolbox export a form with its media)."""
    workbook = xlsx(
        survey="| type | name | label |\n| select_one lieux | sortie | Where do you go? |",
        choices=(
            "| list_name | name | label | image | consult_alt_en |\n"
            "| lieux | cinema | Cinema | salle.png | A cinema room |\n"
            "| lieux | parc | Parc | | |"
        ),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("sorties.xlsx", workbook)
        bundle.writestr("sorties-media/salle.png", small_png((300, 200)))
    return buffer.getvalue()


def test_an_xlsform_in_a_zip_imports_with_its_pictures_and_exports_back_as_a_zip(env, capsys):
    source = env / "sorties.zip"
    source.write_bytes(_workbook_with_a_picture())
    capsys.readouterr()
    assert main(["questionnaire", "import", str(source), "--commission", "jeunesse"]) == 0
    new_id = int(capsys.readouterr().out.strip())
    with Session(make_engine(Settings.from_env().database_url)) as db:
        document = service.document_of(service.latest_version(db, new_id))
        cinema = document.question("sortie").choices[0]
        assert cinema.image_alt == {"en": "A cinema room"}
        assert image_store.find(db, cinema.image).width == 300

    bundle = env / "out.zip"
    assert main(["questionnaire", "export", str(new_id), "--format", "zip", "-o", str(bundle)]) == 0
    names = zipfile.ZipFile(io.BytesIO(bundle.read_bytes())).namelist()
    assert names == [f"questionnaire-{new_id}.xlsx", f"questionnaire-{new_id}-media/"
                     f"{cinema.image[:16]}.webp"]  # fmt: skip
    assert main(["questionnaire", "import", str(bundle), "--commission", "jeunesse"]) == 0
    again = int(capsys.readouterr().out.strip())
    with Session(make_engine(Settings.from_env().database_url)) as db:
        copy = service.document_of(service.latest_version(db, again))
        assert copy.question("sortie").choices[0].image == cinema.image


def test_a_zip_without_a_workbook_says_so_and_creates_nothing(env, capsys):
    before = listed(capsys)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("notes.txt", "rien")
    empty = env / "vide.zip"
    empty.write_bytes(buffer.getvalue())
    assert main(["questionnaire", "import", str(empty), "--commission", "jeunesse"]) == 2
    assert "vide.zip: A .zip must hold one XLSForm workbook" in capsys.readouterr().err
    assert listed(capsys) == before
