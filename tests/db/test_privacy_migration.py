"""The privacy migration keeps what existing campaigns showed: their consent text becomes
version 1, and their responses are kept (no retention limit) until the commission sets one."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from consult.db import make_engine
from consult.migrations import upgrade
from consult.settings import Settings
from tests.conftest import DATABASES

BEFORE = "b78a396bd33d"


@pytest.fixture(params=DATABASES)
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    pg = request.getfixturevalue("postgres")
    return pg.url(pg.create())


def test_existing_consent_texts_become_version_1_and_responses_are_kept(
    empty_database_url, tmp_path
):
    settings = Settings(var_dir=tmp_path, database_url=empty_database_url)
    upgrade(settings, BEFORE)
    engine = make_engine(empty_database_url)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    meta = sa.MetaData()
    table = {
        n: sa.Table(n, meta, autoload_with=engine)
        for n in ("commission", "questionnaire", "questionnaireversion", "campaign")
    }
    with engine.begin() as conn:
        conn.execute(
            table["commission"].insert(),
            {"id": 1, "slug": "c", "name": "C", "theme": "", "description": ""},
        )
        conn.execute(
            table["questionnaire"].insert(),
            {"id": 1, "commission_id": 1, "title": "Q", "created_at": now},
        )
        conn.execute(
            table["questionnaireversion"].insert(),
            {
                "id": 1,
                "questionnaire_id": 1,
                "number": 1,
                "document": {},
                "published_at": now,
                "created_at": now,
            },
        )
        common = {
            "series": "",
            "wave": "",
            "version_id": 1,
            "audience": "",
            "anonymous": True,
            "created_at": now,
        }
        conn.execute(
            table["campaign"].insert(),
            [
                {"id": 1, "slug": "with-text", "name": "A", "consent_text": "J'accepte.", **common},
                {"id": 2, "slug": "without", "name": "B", "consent_text": "", **common},
            ],
        )
    upgrade(settings)
    with engine.connect() as conn:
        campaigns = conn.execute(
            sa.text(
                "SELECT slug, consent_version, draft_retention_days, response_retention_years "
                "FROM campaign ORDER BY id"
            )
        ).all()
        texts = conn.execute(
            sa.text("SELECT campaign_id, version, text FROM campaignconsent")
        ).all()
    engine.dispose()
    assert [tuple(c) for c in campaigns] == [("with-text", 1, 30, None), ("without", 0, 30, None)]
    assert [tuple(t) for t in texts] == [(1, 1, "J'accepte.")]
