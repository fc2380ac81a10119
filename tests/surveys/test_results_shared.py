"""The shared tier of the results cache, on a real Redis: what one worker stored another
reads; values over the size guard, or signed with another secret, are not read; a store that
is down only costs the computing."""

import uuid

import pytest
import redis
from sqlalchemy import event
from sqlmodel import Session

from consult.db import make_engine
from surveys import results as service
from surveys.results import cards

REDIS_URL = "redis://127.0.0.1:6379/9"


@pytest.fixture
def engine(sqlite_demo_url):
    engine = make_engine(sqlite_demo_url)
    yield engine
    engine.dispose()


@pytest.fixture
def client():
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


def answers_read(engine, load) -> int:
    """How many queries reading the responses' answers ``load()`` ran."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        load()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sum("answers" in s.lower() for s in statements)


def worker(client, secret="secret", **options) -> service.ResultsCache:
    """A worker's cache: its own LRU, the shared tier behind it."""
    return service.ResultsCache(shared=service.SharedResults(client, secret, **options))


def load_with(engine, cache):
    def load():
        with Session(engine) as session:
            campaign = service.find_campaign(session, "temps-libre-2012")
            return service.load_results(session, [campaign], "fr", cache)

    return load


def test_what_one_worker_computed_another_reads(engine, client, monkeypatch):
    prefix = f"test:{uuid.uuid4().hex}"
    first, second = worker(client, prefix=prefix), worker(client, prefix=prefix)
    assert answers_read(engine, load_with(engine, first)) == 1
    assert answers_read(engine, load_with(engine, second)) == 0
    a, b = load_with(engine, first)(), load_with(engine, second)()
    assert a is not b and a.version == b.version
    assert a.frame.equals(b.frame) and [v.name for v in a.codebook] == [v.name for v in b.codebook]
    # memoised summaries travel too: the second worker summarises nothing, and says the same
    summaries = service.summaries_of(a, service.filter_results(a, {}))
    calls = []
    real = cards.summarise
    monkeypatch.setattr(cards, "summarise", lambda *args: calls.append(args) or real(*args))
    again = service.summaries_of(b, service.filter_results(b, {}))
    assert calls == [] and [s.n_valid for s in again] == [s.n_valid for s in summaries]
    assert client.ttl(b.shared.data_key(((a.campaign.id,), "fr"), a.version)) > 0


def test_a_value_over_the_size_guard_stays_in_the_worker(engine, client):
    prefix = f"test:{uuid.uuid4().hex}"
    first = worker(client, prefix=prefix, max_bytes=10_000)
    second = worker(client, prefix=prefix, max_bytes=10_000)
    assert answers_read(engine, load_with(engine, first)) == 1
    assert answers_read(engine, load_with(engine, second)) == 1
    assert answers_read(engine, load_with(engine, second)) == 0  # its own LRU still serves


def test_a_value_signed_with_another_secret_is_not_read(engine, client):
    prefix = f"test:{uuid.uuid4().hex}"
    load_with(engine, worker(client, "one secret", prefix=prefix))()
    assert answers_read(engine, load_with(engine, worker(client, "another", prefix=prefix))) == 1


def test_a_store_that_is_down_only_costs_the_computing(engine, caplog):
    down = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    try:
        cache = worker(down)
        data = load_with(engine, cache)()
        assert len(data.frame) == 300
        assert load_with(engine, cache)() is data
    finally:
        down.close()
    assert "shared results cache unavailable" in caplog.text
