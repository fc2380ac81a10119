"""With CONSULT_REDIS_URL set, the workers share the results they compute: a second app on the
same Redis and database shows a campaign's results without reading its responses again or
summarising them again. On SQLite and PostgreSQL."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlmodel import Session

from surveys.models import Response
from surveys.results import cards, find_campaign
from tests.web.conftest import html, login, make_client

REDIS_URL = "redis://127.0.0.1:6379/9"
RESULTS = "/campaigns/temps-libre-2012/results"


class Reads:
    """Counts the queries that read the responses' answers, and the summaries computed."""

    def __init__(self, engine, monkeypatch):
        self.answers = 0
        self.summaries = 0
        real = cards.summarise

        def summarise(*args, **kwargs):
            self.summaries += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(cards, "summarise", summarise)
        event.listen(engine, "before_cursor_execute", self.record)
        self.engine = engine

    def record(self, conn, cursor, statement, *args):
        if "answers" in statement.lower():
            self.answers += 1

    def stop(self):
        event.remove(self.engine, "before_cursor_execute", self.record)


def cards_of(response) -> list[str]:
    return [card.get_text(" ", strip=True) for card in html(response).select("article")]


@pytest.fixture
def two_workers(demo_database_url, tmp_path):
    """Two apps, as two worker processes would build them: one database, one Redis."""
    first = make_client(demo_database_url, tmp_path, redis_url=REDIS_URL)
    second = make_client(demo_database_url, tmp_path, redis_url=REDIS_URL)
    with first, second:
        yield first, second


def test_a_second_worker_reads_the_results_the_first_computed(two_workers, monkeypatch):
    first, second = two_workers
    assert first.app.state.results_cache is not second.app.state.results_cache
    login(first, "member")
    login(second, "member")

    reads = Reads(first.app.state.engine, monkeypatch)
    computed = first.get(RESULTS)
    reads.stop()
    assert computed.status_code == 200
    assert reads.answers >= 1 and reads.summaries > 0  # the first worker did the work

    reads = Reads(second.app.state.engine, monkeypatch)
    shared = second.get(RESULTS)
    reads.stop()
    assert shared.status_code == 200
    assert reads.answers == 0 and reads.summaries == 0
    assert cards_of(shared) == cards_of(computed) and cards_of(shared)


def test_a_new_response_is_seen_by_every_worker(two_workers, monkeypatch):
    first, second = two_workers
    login(first, "member")
    login(second, "member")
    assert first.get(RESULTS).status_code == 200
    with Session(first.app.state.engine) as session:  # a response arrives: a new data version
        campaign = find_campaign(session, "temps-libre-2012")
        session.add(
            Response(
                campaign_id=campaign.id,
                version_id=campaign.version_id,
                token=uuid.uuid4().hex,
                answers={"genre": "fille"},
                completed=True,
                submitted_at=datetime.now(UTC),
            )
        )
        session.commit()
    reads = Reads(second.app.state.engine, monkeypatch)
    assert second.get(RESULTS).status_code == 200
    reads.stop()
    assert reads.answers >= 1  # read again, not the entry of the old version
