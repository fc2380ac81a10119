from collections import Counter

import pytest
from sqlmodel import Session, func, select

from consult.accounts.models import User
from consult.db import make_engine
from consult.demo import load_demo
from consult.network.models import Commission
from surveys.models import Campaign, Response


@pytest.fixture
def demo_engine(demo_database_url):
    engine = make_engine(demo_database_url)
    yield engine
    engine.dispose()


def _responses(session: Session, slug: str, completed: bool = True) -> list[Response]:
    campaign = session.exec(select(Campaign).where(Campaign.slug == slug)).one()
    query = select(Response).where(
        Response.campaign_id == campaign.id, Response.completed == completed
    )
    return list(session.exec(query).all())


def test_demo_has_the_four_commissions_and_one_account_per_role(demo_engine):
    with Session(demo_engine) as session:
        slugs = set(session.exec(select(Commission.slug)).all())
        roles = Counter(session.exec(select(User.role)).all())
    assert slugs == {"emploi-formation", "sante", "logement", "jeunesse"}
    assert set(roles) == {"coordinator", "member", "facilitator"}


def test_loading_the_demo_twice_changes_nothing(demo_engine):
    with Session(demo_engine) as session:
        before = session.exec(select(func.count()).select_from(Response)).one()
    assert load_demo(demo_engine) is False
    with Session(demo_engine) as session:
        assert session.exec(select(func.count()).select_from(Response)).one() == before


def test_two_waves_of_the_youth_study_with_about_300_and_250_responses(demo_engine):
    with Session(demo_engine) as session:
        first, second = (
            _responses(session, "temps-libre-2012"),
            _responses(session, "temps-libre-2013"),
        )
        drafts = _responses(session, "temps-libre-2012", completed=False)
        # the 2026 campaign is the open one for trying the respondent flow (no responses)
        waves = ["temps-libre-2012", "temps-libre-2013"]
        campaigns = session.exec(
            select(Campaign).where(Campaign.slug.in_(waves)).order_by(Campaign.wave)
        ).all()
    assert (len(first), len(second)) == (300, 250)
    assert drafts and all(r.submitted_at is None for r in drafts)
    assert [c.series for c in campaigns] == ["temps-libre", "temps-libre"]
    assert [c.wave for c in campaigns] == ["2012", "2013"]
    assert all(c.opens_at <= r.submitted_at <= c.closes_at for r in first for c in campaigns[:1])


def test_answers_follow_the_skip_logic(demo_engine):
    with Session(demo_engine) as session:
        responses = _responses(session, "temps-libre-2012")
    for r in responses:
        a = r.answers
        assert ("activites" in a) == (a["pratique_activite"] == "yes") or a[
            "pratique_activite"
        ] == "no"
        if a["pratique_activite"] == "no":
            assert "activites" not in a and "frequence" not in a
        if a.get("connait_pij") != "yes":
            assert "satisfaction_pij" not in a
        assert ("activites_other" in a) == ("other" in a.get("activites", []))
        assert 14 <= a["age"] <= 25
        assert not ("aucun" in a["freins"] and len(a["freins"]) > 1)


def test_answers_have_plausible_relations_not_uniform_noise(demo_engine):
    with Session(demo_engine) as session:
        answers = [
            r.answers
            for wave in ("2012", "2013")
            for r in _responses(session, f"temps-libre-{wave}")
        ]

    def share(group, predicate):
        return sum(predicate(a) for a in group) / len(group)

    outer = [
        a for a in answers if a["quartier"] in {"veymerange", "volkrange", "elange", "oeutrange"}
    ]
    centre = [a for a in answers if a["quartier"] in {"centre_ville", "cote_des_roses"}]
    assert (
        share(outer, lambda a: "transport" in a["freins"])
        > share(centre, lambda a: "transport" in a["freins"]) + 0.15
    )
    older = [a for a in answers if a["age"] >= 19]
    assert share(older, lambda a: a["situation"] == "collegien") == 0
