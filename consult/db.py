"""Engine and sessions. SQLite gets WAL, foreign keys, a busy timeout and durable commits."""

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(synchronous: str):
    def set_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # FULL (the default): an acknowledged answer survives a power cut, not only a crash.
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.close()

    return set_pragmas


def _json_dumps(value) -> str:
    # orjson reads a campaign's answers ten times faster than the standard library.
    return orjson.dumps(value).decode()


# Engines made in this process, so a one-shot command can close their connections on exit.
_ENGINES: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def dispose_engines() -> None:
    """Close every pooled connection of this process (the CLI calls it when a command ends)."""
    for engine in list(_ENGINES):
        engine.dispose()


def make_engine(database_url: str, synchronous: str = "FULL") -> Engine:
    engine = _new_engine(database_url, synchronous)
    _ENGINES.add(engine)
    return engine


def _new_engine(database_url: str, synchronous: str) -> Engine:
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            # Never block on checkout: async handlers use the pool on the event loop, and a
            # request returns its connection only in a cleanup that needs the loop, so a
            # bounded pool deadlocked under 64 concurrent respondents.
            pool_size=8,
            max_overflow=-1,
        )
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
        return engine
    return create_engine(
        database_url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=-1,  # as for SQLite: a blocked checkout on the event loop deadlocks
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )


def reader(engine: Engine) -> Engine:
    """The same pool, for the hot path's short reads outside any transaction: on PostgreSQL a
    read is then one round trip, not BEGIN, the query and ROLLBACK."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error (CLI and demo use)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def check_database(engine: Engine) -> str | None:
    """None when the database answers, else a short reason (for /healthz)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "unreachable" to a health probe
        return type(exc).__name__
    return None
