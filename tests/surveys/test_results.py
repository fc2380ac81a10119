"""The results service: one query to load, a cache keyed on the latest response, filters with
coded problems, public outputs without small cells, quotes. On SQLite and PostgreSQL."""

import uuid
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from consult.db import make_engine
from consult.network.models import Commission
from surveys import results as service
from surveys.models import Response
from surveys.results import loading


@pytest.fixture
def engine(demo_database_url):
    engine = make_engine(demo_database_url)
    yield engine
    engine.dispose()


def youth_commission(session) -> int:
    return session.exec(select(Commission.id).where(Commission.slug == "jeunesse")).one()


def count_queries(engine):
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    return statements


def add_response(session, campaign, answers):
    session.add(
        Response(
            campaign_id=campaign.id,
            version_id=campaign.version_id,
            token=uuid.uuid4().hex,
            answers=answers,
            completed=True,
            submitted_at=datetime.now(UTC),
        )
    )
    session.commit()


def test_a_campaign_loads_in_one_query_and_is_served_from_the_cache_after(engine):
    cache = service.ResultsCache()
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        statements = count_queries(engine)
        data = service.load_results(session, [campaign], "fr", cache)
        assert len(data.frame) == 300 and data.drafts == 22
        responses = [s for s in statements if "FROM response" in s and "count(" not in s]
        assert len(responses) == 1
        statements.clear()
        assert service.load_results(session, [campaign], "fr", cache) is data
        assert len(statements) == 1  # the data version only


def test_the_cache_refreshes_when_a_response_arrives(engine):
    cache = service.ResultsCache()
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        before = service.load_results(session, [campaign], "fr", cache)
        add_response(session, campaign, {"genre": "fille"})
        after = service.load_results(session, [campaign], "fr", cache)
    assert after is not before
    assert len(after.frame) == 301


def test_a_series_keeps_answers_by_name_across_versions(engine):
    with Session(engine) as session:
        waves = service.find_series(session, "temps-libre", youth_commission(session))
        data = service.load_results(session, waves, "fr", None)
    assert [c.slug for c in waves][:2] == ["temps-libre-2012", "temps-libre-2013"]
    counts = data.frame["campaign"].value_counts().to_dict()
    assert counts["2012"] == 300 and counts["2013"] == 250
    networks = data.codebook["reseaux_sociaux"]
    answered = data.frame[list(networks.columns)].notna().any(axis=1)
    assert not answered[data.frame["campaign"] == "2012"].any()


def test_unknown_filters_become_messages_not_errors(engine):
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        data = service.load_results(session, [campaign], "fr", None)
    applied = service.filter_results(
        data, {"genre": ["fille"], "nope": ["x"], "quartier": ["lune"]}
    )
    assert {p.code for p in applied.problems} == {"FILTER_UNKNOWN_VARIABLE", "FILTER_UNKNOWN_VALUE"}
    assert (applied.frame["genre"] == "fille").all() and len(applied.frame) > 100
    cards = service.question_cards(data, applied)
    genre = next(c for c in cards if c.question == "genre")
    assert genre.n_valid == len(applied.frame) and genre.alt_text


def test_public_summaries_hide_small_cells(engine):
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        data = service.load_results(session, [campaign], "fr", None)
    applied = service.filter_results(data, {"genre": "autre_genre"})
    for summary in service.summaries_of(data, applied, k=5):
        if summary.variable.is_categorical:
            shown = summary.table["count"].dropna()
            assert ((shown == 0) | (shown >= 5)).all(), summary.variable.name


def test_a_grid_card_gives_the_range_of_its_rows_blanks_small_ones_included(engine):
    """In the Garche group the grid's rows have 0 to 2 blanks each: asked of everyone, their
    blanks are the responses minus the base, so they are shown even below k."""
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        data = service.load_results(session, [campaign], "fr", None)
    applied = service.filter_results(data, {"quartier": "garche"})
    card = next(c for c in service.question_cards(data, applied, k=5) if c.question == "opinions")
    assert (card.n_valid, card.n_valid_high) == (25, 27)
    assert (card.n_no_answer, card.n_no_answer_high) == (0, 2)


def test_a_quote_is_marked_once_and_can_be_removed(engine):
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        response = session.exec(
            select(Response).where(Response.campaign_id == campaign.id, Response.completed)
        ).first()
        response.answers = {**response.answers, "envies": "Un skatepark couvert"}
        session.add(response)
        session.commit()
        first = service.mark_quote(session, [campaign.id], response.id, "envies", None)
        again = service.mark_quote(session, [campaign.id], response.id, "envies", None)
        assert first.id == again.id and first.text == "Un skatepark couvert"
        assert [q.id for q in service.list_quotes(session, [campaign.id])] == [first.id]
        assert service.mark_quote(session, [campaign.id], response.id, "genre_absent", None) is None
        assert service.unmark_quote(session, [campaign.id], first.id)
        assert service.list_quotes(session, [campaign.id]) == []


def test_responses_read_in_small_chunks_give_the_same_results(engine, monkeypatch):
    with Session(engine) as session:
        waves = service.find_series(session, "temps-libre", youth_commission(session))
        whole = service.load_results(session, waves, "fr", None)
        monkeypatch.setattr(loading, "CHUNK_ROWS", 64)  # where the reader looks it up
        chunked = service.load_results(session, waves, "fr", None)
    pd.testing.assert_frame_equal(chunked.frame, whole.frame, check_exact=True)
    assert (chunked.drafts, chunked.dropoff) == (whole.drafts, whole.dropoff)
    assert whole.drafts > 0 and str(whole.frame["submitted_at"].dt.tz) == "UTC"


def test_a_stored_answer_of_the_wrong_type_is_missing_not_an_error(engine):
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        response = session.exec(
            select(Response).where(Response.campaign_id == campaign.id, Response.completed)
        ).first()
        response.answers = {**response.answers, "genre": 3, "age": "dix-sept"}
        session.add(response)
        session.commit()
        edited = response.id
        data = service.load_results(session, [campaign], "fr", None)
    assert len(data.frame) == 300
    row = data.frame.set_index("response_id").loc[edited]
    assert pd.isna(row["genre"]) and pd.isna(row["age"])
    assert data.frame["genre"].notna().sum() >= 250


def test_the_cache_follows_its_campaign_not_the_others(engine):
    cache = service.ResultsCache()
    with Session(engine) as session:
        campaign = service.find_campaign(session, "temps-libre-2012")
        before = service.load_results(session, [campaign], "fr", cache)
        add_response(
            session, service.find_campaign(session, "temps-libre-2013"), {"genre": "fille"}
        )
        assert service.load_results(session, [campaign], "fr", cache) is before
        draft = session.exec(
            select(Response).where(
                Response.campaign_id == campaign.id, Response.completed.is_(False)
            )
        ).first()
        draft.completed, draft.submitted_at = True, datetime.now(UTC)
        session.add(draft)
        session.commit()
        after = service.load_results(session, [campaign], "fr", cache)
    assert after is not before
    assert len(after.frame) == 301 and after.drafts == before.drafts - 1
