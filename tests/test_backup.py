import sqlite3
import threading
from contextlib import closing

import pytest
from sqlmodel import Session, func, select

from consult.cli import main
from consult.db import make_engine
from surveys.models import Response


@pytest.fixture
def env(monkeypatch, tmp_path, sqlite_demo_url):
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CONSULT_DATABASE_URL", sqlite_demo_url)
    return sqlite_demo_url


def count_responses(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Response)).one()
    engine.dispose()
    return count


def test_backup_while_writing_then_restore_gives_back_the_snapshot(env, tmp_path, capsys):
    before = count_responses(env)
    stop = threading.Event()
    db_path = env.removeprefix("sqlite:///")

    def keep_writing() -> None:
        with closing(sqlite3.connect(db_path, timeout=10)) as conn:
            while not stop.is_set():
                conn.execute("UPDATE response SET channel = channel WHERE id = 1")
                conn.commit()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        assert main(["backup", "-o", str(tmp_path / "copy.db")]) == 0
    finally:
        stop.set()
        writer.join()
    assert capsys.readouterr().out.strip().endswith("copy.db")

    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("DELETE FROM response")
        conn.commit()
    assert count_responses(env) == 0
    assert main(["restore", str(tmp_path / "copy.db")]) == 0
    assert count_responses(env) == before
    kept = list(tmp_path.glob("*.before-restore-*.db"))
    assert len(kept) == 1


def test_restore_refuses_a_file_that_is_not_a_consult_database(env, tmp_path, capsys):
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    before = count_responses(env)
    assert main(["restore", str(bogus)]) == 2
    assert "not a sound Consult database" in capsys.readouterr().err
    assert count_responses(env) == before


def test_backup_on_postgresql_points_to_pg_dump(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("CONSULT_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    assert main(["backup"]) == 2
    assert "pg_dump" in capsys.readouterr().err
