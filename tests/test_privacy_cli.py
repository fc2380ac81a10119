"""Retention, consent versions and the audit log at the storage level and through the
`consult retention` and `consult audit` commands, on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from consult.accounts import audit
from consult.cli import main
from consult.db import make_engine
from consult.network.models import Commission
from surveys import privacy
from surveys.models import (
    Campaign,
    CampaignConsent,
    Questionnaire,
    QuestionnaireVersion,
    Quote,
    Response,
)

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
DOCUMENT = {
    "title": {"fr": "Essai"},
    "languages": ["fr"],
    "sections": [{"name": "s", "title": {"fr": "S"}, "questions": [{"name": "q", "type": "text"}]}],
}


@pytest.fixture
def world(database_url):
    """Two campaigns: "limited" (30 days, 5 years) and "kept" (7 days, no limit on
    responses), each with rows just inside and just outside its limits."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        commission = Commission(slug="c", name="C")
        session.add(commission)
        session.flush()
        questionnaire = Questionnaire(commission_id=commission.id, title="Essai")
        session.add(questionnaire)
        session.flush()
        version = QuestionnaireVersion(
            questionnaire_id=questionnaire.id, document=DOCUMENT, published_at=NOW
        )
        session.add(version)
        session.flush()
        limited = Campaign(slug="limited", name="L", version_id=version.id)
        kept = Campaign(
            slug="kept",
            name="K",
            version_id=version.id,
            draft_retention_days=7,
            response_retention_years=None,
        )
        session.add_all([limited, kept])
        session.flush()

        def add(campaign, name, completed, at):
            session.add(
                Response(
                    campaign_id=campaign.id,
                    version_id=version.id,
                    token=f"{campaign.slug}-{name}-token-0123456789",
                    answers={"q": name},
                    completed=completed,
                    started_at=at,
                    updated_at=at,
                    submitted_at=at if completed else None,
                )
            )

        add(limited, "old-draft", False, NOW - timedelta(days=31))
        add(limited, "young-draft", False, NOW - timedelta(days=29))
        add(limited, "old-response", True, NOW - timedelta(days=5 * 366))
        add(limited, "young-response", True, NOW - timedelta(days=4 * 365))
        add(kept, "old-draft", False, NOW - timedelta(days=8))
        add(kept, "young-draft", False, NOW - timedelta(days=6))
        add(kept, "ancient-response", True, NOW - timedelta(days=20 * 365))
        session.commit()
        old = session.exec(
            select(Response).where(Response.answers["q"].as_string() == "old-response")
        ).one()
        session.add(Quote(campaign_id=limited.id, response_id=old.id, question="q", text="x"))
        session.commit()
    yield engine
    engine.dispose()


def remaining(engine) -> set[tuple[str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(Campaign.slug, Response.answers).join(Campaign)).all()
    return {(slug, answers["q"]) for slug, answers in rows}


def test_retention_deletes_exactly_what_is_past_each_campaigns_limits(world):
    with Session(world) as session:
        done = privacy.apply_retention(session, NOW)
    assert {(i.slug, i.drafts, i.responses) for i in done} == {("kept", 1, 0), ("limited", 1, 1)}
    assert remaining(world) == {
        ("limited", "young-draft"),
        ("limited", "young-response"),
        ("kept", "young-draft"),
        ("kept", "ancient-response"),
    }
    with Session(world) as session:
        assert session.exec(select(Quote)).all() == []  # the quote went with its answer
        assert all(i.drafts == i.responses == 0 for i in privacy.apply_retention(session, NOW))


def test_a_response_of_29_february_is_kept_until_the_28th_five_years_on():
    assert privacy.years_before(datetime(2029, 2, 28, tzinfo=UTC), 1).day == 28
    assert privacy.years_before(datetime(2028, 2, 29, tzinfo=UTC), 5) == datetime(
        2023, 2, 28, tzinfo=UTC
    )


@pytest.fixture
def env(world, database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_DATABASE_URL", database_url)
    monkeypatch.setenv("CONSULT_VAR_DIR", str(tmp_path))
    return world


def test_retention_command_dry_run_prints_per_campaign_and_deletes_nothing(env, capsys):
    # the rows are dated around NOW (2026-12-02); the command runs at the real time, so
    # shift every row by the difference
    shift = datetime.now(UTC) - NOW
    with Session(env) as session:
        for row in session.exec(select(Response)).all():
            row.started_at, row.updated_at = row.started_at + shift, row.updated_at + shift
            row.submitted_at = row.submitted_at + shift if row.submitted_at else None
            session.add(row)
        session.commit()
    before = remaining(env)
    assert main(["retention", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "kept: would delete 1 draft(s)" in out and "0 response(s) kept (no limit)" in out
    assert "limited: would delete 1 draft(s)" in out and "1 response(s) sent before" in out
    assert "total: would delete 2 draft(s) and 1 response(s)" in out
    assert remaining(env) == before
    assert main(["retention"]) == 0
    assert "total: deleted 2 draft(s) and 1 response(s)" in capsys.readouterr().out
    assert len(remaining(env)) == len(before) - 3
    assert main(["retention"]) == 0  # idempotent
    assert "total: deleted 0 draft(s) and 0 response(s)" in capsys.readouterr().out


def test_each_change_of_the_consent_text_is_a_new_version_kept_with_its_text(world):
    with Session(world, expire_on_commit=False) as session:
        campaign = session.exec(select(Campaign).where(Campaign.slug == "limited")).one()
        assert campaign.consent_version == 0
        campaign.consent_text = "Première version."
        session.add(campaign)
        session.commit()
        campaign.name = "Renamed"  # not a change of the text: no new version
        session.add(campaign)
        session.commit()
        campaign.consent_text = "Deuxième version."
        session.add(campaign)
        session.commit()
        texts = session.exec(
            select(CampaignConsent.version, CampaignConsent.text)
            .where(CampaignConsent.campaign_id == campaign.id)
            .order_by(CampaignConsent.version)
        ).all()
        assert [tuple(t) for t in texts] == [(1, "Première version."), (2, "Deuxième version.")]
        assert campaign.consent_version == 2
        assert privacy.consent_text(session, campaign.id, 1).text == "Première version."


def test_audit_command_prints_events_filtered_by_campaign(env, capsys):
    with Session(env) as session:
        audit.record(session, audit.EXPORT, "a@x.org", campaign_slug="limited", detail="csv")
        audit.record(session, audit.REPORT, "b@x.org", campaign_slug="kept", detail="pdf")
    assert main(["audit"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[1:4] for line in lines] == [
        ["b@x.org", "report", "kept"],
        ["a@x.org", "export", "limited"],
    ]
    assert main(["audit", "--campaign", "limited"]) == 0
    assert capsys.readouterr().out.count("\n") == 1
    assert main(["audit", "--user", "nobody@x.org"]) == 2
    assert "no user" in capsys.readouterr().err
