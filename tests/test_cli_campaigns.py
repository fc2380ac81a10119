"""`consult campaign open|list`."""

import pytest
from sqlmodel import Session

from consult.cli import main
from consult.db import make_engine
from surveys.models import Questionnaire


@pytest.fixture
def env(demo_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_DATABASE_URL", demo_database_url)
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    return demo_database_url


def test_campaign_open_prints_the_public_link_of_a_new_campaign(env, capsys):
    assert (
        main(["campaign", "open", "1", "--name", "Temps libre 2027", "--closes", "2099-01-01"]) == 0
    )
    assert capsys.readouterr().out.strip().endswith("/r/temps-libre-2027")
    main(["campaign", "list"])
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("temps-libre-2027"))
    assert line.split()[1:] == ["open", "0", "0"]


def test_campaign_open_without_a_published_version_exits_2(env, capsys):
    engine = make_engine(env)
    with Session(engine) as session:
        draft = Questionnaire(commission_id=1, title="Brouillon")
        session.add(draft)
        session.commit()
        draft_id = draft.id
    assert main(["campaign", "open", str(draft_id), "--name", "X"]) == 2
    assert "no published version" in capsys.readouterr().err


def test_campaign_list_shows_status_and_counts(env, capsys):
    assert main(["campaign", "list"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("temps-libre-2013"))
    assert line.split()[1:] == ["closed", "250", "17"]
