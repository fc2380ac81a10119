"""The attack of tests/analysis/attack.py over every public output of the demo: each public
summary of both waves, each wave comparison of the series, and the cross-tabs of the profile
questions (gender, neighbourhood, situation) with every other choice question. An outsider
holding all of it recovers no hidden count."""

import pandas as pd
import pytest
from sqlmodel import Session

from consult.db import make_engine
from surveys import results as service
from tests.analysis.attack import counts_published, recovered, table_published

K = 5
CAMPAIGNS = ("temps-libre-2012", "temps-libre-2013")
PROFILE = ("genre", "quartier", "situation")


@pytest.fixture(scope="module")
def demo(tmp_path_factory, templates, request):
    from tests.conftest import _template

    path = _template("sqlite", True, templates, tmp_path_factory, request)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        campaigns = {slug: service.find_campaign(session, slug) for slug in CAMPAIGNS}
        data = {
            slug: service.load_results(session, [c], "fr", None) for slug, c in campaigns.items()
        }
        series = service.load_results(
            session,
            service.find_series(
                session, "temps-libre", campaigns["temps-libre-2012"].commission_id
            ),
            "fr",
            None,
        )
    engine.dispose()
    return data, series


def _values(series) -> list:
    return [None if pd.isna(v) else int(v) for v in series.astype(object)]


@pytest.mark.parametrize("slug", CAMPAIGNS)
def test_no_public_summary_of_the_demo_gives_a_hidden_count_away(demo, slug):
    data = demo[0][slug]
    hidden_seen = 0
    for summary in service.public_summaries(data, K):
        if summary.withheld:
            assert summary.n_valid is None and summary.stats == {}
            continue
        if summary.variable.kind not in ("single", "ordinal", "date"):
            continue
        counts = _values(summary.table["count"])
        assert all(c is None or c == 0 or c >= K for c in counts)
        if None in counts:
            hidden_seen += 1
            assert set(summary.stats) <= {"n"}, summary.variable.name
            found = recovered(counts_published(counts, summary.n_valid))
            assert found == {}, (summary.variable.name, found)
    assert hidden_seen, "the demo has small categories"


@pytest.mark.parametrize("slug", CAMPAIGNS)
def test_no_public_crosstab_of_the_demo_gives_a_hidden_count_away(demo, slug):
    data = demo[0][slug]
    applied = service.public_results(data, K)
    others = [v.name for v in data.codebook.of_kind("single") if "/" not in v.name]
    for row in PROFILE:
        for column in others:
            if column == row:
                continue
            table = service.crosstab_of(data, applied, row, column, K)
            if table.withheld:
                assert table.test is None
                continue
            if table.hidden.to_numpy().any():
                assert table.test is None, (row, column)
            published = table_published(
                [_values(table.counts.loc[r]) for r in table.counts.index],
                _values(table.row_totals),
                _values(table.column_totals),
                table.n,
            )
            assert recovered(published, budget=500_000) == {}, (row, column)


def test_no_public_wave_comparison_of_the_demo_gives_a_hidden_count_away(demo):
    series = demo[1]
    applied = service.public_results(series, K)
    for name, _label in service.comparable(series):
        comparison = service.waves_of(series, applied, name, K)
        if comparison.variable.kind != "single" and comparison.variable.kind != "ordinal":
            continue
        for wave in comparison.waves:
            counts = _values(comparison.counts[wave])
            base = comparison.bases[wave]
            if pd.isna(base):
                assert all(c is None for c in counts)
                continue
            assert all(c is None or c == 0 or c >= K for c in counts)
            if None in counts:
                assert recovered(counts_published(counts, int(base))) == {}, (name, wave)
