"""Short versions of the load and crash runs (`make bench` runs the long ones)."""

import pytest

from bench import servers
from bench.crash import crash_run
from bench.data import create_campaign
from bench.load import run_load, stored_tokens, verdict
from consult.db import make_engine
from consult.migrations import upgrade
from consult.migrations.tables import metadata
from consult.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def load_campaign(database_url, tmp_path):
    create_campaign(database_url, "load", questions=10)
    return database_url


def _env(url, tmp_path) -> dict:
    return {"CONSULT_VAR_DIR": str(tmp_path), "CONSULT_DATABASE_URL": url}


def test_concurrent_submissions_are_all_stored_once(load_campaign, tmp_path):
    workers = 1 if load_campaign.startswith("sqlite") else 2
    with servers.consult_server(_env(load_campaign, tmp_path), workers, tmp_path / "log") as base:
        # 64 clients as in the issue: more than the connection pool, which once deadlocked
        tally = run_load([base], "load", total=256, clients=64)
    figures = verdict(tally, stored_tokens(load_campaign, "load"))
    assert figures["errors"] == 0, tally.error_samples
    assert figures["stored"] == figures["acknowledged"] == 256
    assert figures["lost"] == figures["duplicated"] == 0


def test_a_killed_server_loses_no_acknowledged_submission(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    upgrade(Settings(var_dir=tmp_path, database_url=url))
    engine = make_engine(url)
    metadata.create_all(engine)
    engine.dispose()
    create_campaign(url, "load", questions=10)
    figures = crash_run(
        url, _env(url, tmp_path), "load", total=300, clients=16, kill_after=60, log=tmp_path / "log"
    )
    assert figures["acknowledged"] > 0, figures
    assert figures["errors"] > 0, "the server was not killed mid-run"
    assert figures["lost"] == 0 and figures["duplicated"] == 0, figures
    assert figures["integrity"] == "ok"
