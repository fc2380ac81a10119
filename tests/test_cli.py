import pytest
from sqlmodel import Session, select

from consult.accounts.models import Membership, User
from consult.accounts.services import authenticate
from consult.cli import main
from consult.db import make_engine


@pytest.fixture
def env(monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CONSULT_DATABASE_URL", database_url)
    return database_url


def test_db_upgrade_then_demo_then_demo_again(env, capsys):
    assert main(["db", "upgrade"]) == 0
    assert main(["demo"]) == 0
    assert "demo data loaded" in capsys.readouterr().out
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "already present" in out and "coordination@consult.demo" in out


def test_createuser_makes_an_account_that_can_sign_in(env, capsys):
    main(["demo"])
    code = main(
        [
            "createuser",
            "Lea@Example.org",
            "--name",
            "Léa",
            "--role",
            "facilitator",
            "--commission",
            "jeunesse",
            "--password",
            "a-long-password",
        ]
    )
    assert code == 0
    engine = make_engine(env)
    with Session(engine) as session:
        user = authenticate(session, "lea@example.org", "a-long-password")
        assert user is not None and user.role == "facilitator"
        assert session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    engine.dispose()


def test_createuser_refuses_a_duplicate_and_a_short_password(env, capsys):
    args = ["createuser", "dup@example.org", "--name", "Dup", "--password", "a-long-password"]
    assert main(args) == 0
    assert main(args) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["createuser", "x@example.org", "--name", "X", "--password", "short"]) == 2
    engine = make_engine(env)
    with Session(engine) as session:
        assert len(session.exec(select(User)).all()) == 1
    engine.dispose()


def test_createuser_with_an_unknown_commission_creates_nothing(env, capsys):
    code = main(
        [
            "createuser",
            "y@example.org",
            "--name",
            "Y",
            "--commission",
            "nope",
            "--password",
            "a-long-password",
        ]
    )
    assert code == 2
    assert "no commission has the slug 'nope'" in capsys.readouterr().err
    engine = make_engine(env)
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []
    engine.dispose()
