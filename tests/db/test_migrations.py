import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from consult.db import make_engine
from consult.migrations import upgrade
from consult.migrations.tables import metadata
from consult.settings import Settings
from tests.conftest import DATABASES


@pytest.fixture(params=DATABASES)
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    pg = request.getfixturevalue("postgres")
    return pg.url(pg.create())


def test_upgrade_from_empty_creates_every_table(empty_database_url, tmp_path):
    upgrade(Settings(var_dir=tmp_path, database_url=empty_database_url))
    engine = make_engine(empty_database_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(metadata.tables) | {"alembic_version"} == tables
    assert {"user", "commission", "questionnaireversion", "campaign", "response"} <= tables


def test_upgrade_twice_changes_nothing(empty_database_url, tmp_path):
    settings = Settings(var_dir=tmp_path, database_url=empty_database_url)
    upgrade(settings)
    upgrade(settings)


def test_migrations_produce_exactly_the_models_schema(empty_database_url, tmp_path):
    upgrade(Settings(var_dir=tmp_path, database_url=empty_database_url))
    engine = make_engine(empty_database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    engine.dispose()
