"""Shared fixtures: migrated template databases (SQLite and, when it answers, PostgreSQL),
copied per test so that each test starts from a known state quickly."""

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from consult.settings import Settings

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = os.environ.get(
    "CONSULT_TEST_PG_ADMIN", f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres"
)
# While several areas add tables at once, their migration is written afterwards in one go;
# until then test databases get the new tables from the models. The migration test
# (tests/db/test_migrations.py) still fails until the migration exists.
CREATE_TABLES_WITHOUT_MIGRATION = False
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"


def _pg_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            pass
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except Exception:
        return False


PG_AVAILABLE = _pg_reachable()
DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_report_header(config) -> str:
    if PG_AVAILABLE:
        return f"PostgreSQL: reachable at {PG_HOST}:{PG_PORT}; database tests run on SQLite and PostgreSQL"
    return f"PostgreSQL: NOT reachable at {PG_HOST}:{PG_PORT}; PostgreSQL tests are SKIPPED"


def pytest_terminal_summary(terminalreporter) -> None:
    if not PG_AVAILABLE:
        terminalreporter.write_line(
            f"PostgreSQL NOT reachable at {PG_HOST}:{PG_PORT}: PostgreSQL tests were skipped",
            red=True,
        )


class PostgresDatabases:
    """Creates databases for this run and drops them all at the end."""

    def __init__(self) -> None:
        self.prefix = f"consult_test_{uuid.uuid4().hex[:8]}"
        self.created: list[str] = []

    def _admin(self):
        import psycopg

        return psycopg.connect(PG_ADMIN_URL, autocommit=True)

    def create(self, template: str | None = None) -> str:
        name = f"{self.prefix}_{len(self.created)}"
        with self._admin() as conn:
            conn.execute(
                f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
            )
        self.created.append(name)
        return name

    @staticmethod
    def url(name: str) -> str:
        return f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in reversed(self.created):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases]:
    if not PG_AVAILABLE:
        pytest.skip(f"PostgreSQL not reachable at {PG_HOST}:{PG_PORT}")
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


def _prepare(url: str, var_dir: Path, demo: bool) -> None:
    from consult.db import make_engine
    from consult.migrations import upgrade

    settings = Settings(var_dir=var_dir, database_url=url)
    upgrade(settings)
    if CREATE_TABLES_WITHOUT_MIGRATION:
        from consult.migrations.tables import metadata

        engine = make_engine(url)
        metadata.create_all(engine, checkfirst=True)
        engine.dispose()
    if demo:
        from consult.demo import load_demo

        engine = make_engine(url)
        load_demo(engine)
        engine.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> dict:
    """Template databases, built lazily: {(kind, demo): sqlite path or postgres db name}."""
    return {}


def _template(kind: str, demo: bool, templates: dict, tmp_path_factory, request) -> str:
    key = (kind, demo)
    if key not in templates:
        var_dir = tmp_path_factory.mktemp(f"template-{kind}-{'demo' if demo else 'empty'}")
        if kind == "sqlite":
            path = var_dir / "template.db"
            _prepare(f"sqlite:///{path}", var_dir, demo)
            templates[key] = str(path)
        else:
            pg = request.getfixturevalue("postgres")
            name = pg.create()
            _prepare(pg.url(name), var_dir, demo)
            templates[key] = name
    return templates[key]


def _fresh_database(kind: str, demo: bool, templates, tmp_path_factory, request, tmp_path) -> str:
    source = _template(kind, demo, templates, tmp_path_factory, request)
    if kind == "sqlite":
        target = tmp_path / "consult.db"
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    pg = request.getfixturevalue("postgres")
    return pg.url(pg.create(template=source))


@pytest.fixture(params=DATABASES)
def database_url(request, templates, tmp_path_factory, tmp_path) -> str:
    """A migrated, empty database of each kind."""
    return _fresh_database(request.param, False, templates, tmp_path_factory, request, tmp_path)


@pytest.fixture(params=DATABASES)
def demo_database_url(request, templates, tmp_path_factory, tmp_path) -> str:
    """A migrated database holding the demo data, of each kind."""
    return _fresh_database(request.param, True, templates, tmp_path_factory, request, tmp_path)


@pytest.fixture
def sqlite_demo_url(templates, tmp_path_factory, tmp_path, request) -> str:
    """The demo database on SQLite only, for tests about pages rather than storage."""
    return _fresh_database("sqlite", True, templates, tmp_path_factory, request, tmp_path)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _parsed_questionnaires_of_this_test_only(monkeypatch):
    """Parsed questionnaires are cached per process by version id, which is unique in one
    database; a test worker opens many databases, where the same id is another questionnaire."""
    from surveys import capture

    monkeypatch.setattr(capture, "_DOCUMENTS", {})
