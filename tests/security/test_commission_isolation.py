"""Commissions kept apart on every path that reads or joins several campaigns at once: a series
(its waves page, its chart), the deck's waves slides, creating or editing a campaign.

The intruder is ``other_member`` (employment commission); the series ``temps-libre`` belongs
to the youth commission. Besides the refused creation, a campaign of the employment commission
is put into the youth series directly in the database (as an older version of Consult let it
happen): no read may mix it with the youth waves, for either side.
"""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from consult.network.models import Commission
from surveys import questionnaires
from surveys.models import Campaign
from tests.security.world import MEMBER, OTHER_MEMBER, SERIES

INTRUDER_SLUG = "intrusion-temps-libre"


def _published_version(world, commission_slug: str, template: str) -> int:
    with Session(world.client.app.state.engine) as db:
        commission = db.exec(select(Commission).where(Commission.slug == commission_slug)).one()
        questionnaire = questionnaires.create_from_template(db, commission.id, template)
        assert not questionnaires.publish(db, questionnaire.id).problems
        return questionnaires.latest_version(db, questionnaire.id).id


@pytest.fixture(scope="module")
def intruder_version(world) -> int:
    """A published copy of the youth questionnaire, owned by the employment commission."""
    return _published_version(world, "emploi-formation", "youth_free_time")


@pytest.fixture(scope="module")
def planted(world, intruder_version) -> str:
    """An employment campaign already sitting in the youth series (legacy data)."""
    with Session(world.client.app.state.engine) as db:
        db.add(
            Campaign(
                slug=INTRUDER_SLUG,
                name="Intrusion",
                series=SERIES,
                wave="2099",
                version_id=intruder_version,
                opens_at=datetime(2012, 1, 1, tzinfo=UTC),
            )
        )
        db.commit()
    return INTRUDER_SLUG


def _form(version_id: int, **values) -> dict:
    return {"name": "Intrusion", "version_id": str(version_id), "anonymous": "yes"} | values


def _error_of(response, field: str):
    return BeautifulSoup(response.text, "html.parser").find(id=f"f-{field}-error")


def test_a_campaign_cannot_be_created_in_another_commissions_series(world, intruder_version):
    form = _form(intruder_version, slug="intrusion-creee", series=SERIES)
    response = world.request(OTHER_MEMBER, "POST", "/campaigns", form)
    assert response.status_code == 400
    assert _error_of(response, "series") is not None
    with Session(world.client.app.state.engine) as db:
        assert db.exec(select(Campaign).where(Campaign.slug == "intrusion-creee")).first() is None
    # the same name in the commission's own, new series is fine
    own = world.request(OTHER_MEMBER, "POST", "/campaigns", form | {"series": "emploi-suivi"})
    assert own.status_code == 303


def test_a_campaign_cannot_be_moved_into_another_commissions_series(world, intruder_version):
    form = _form(intruder_version, slug="intrusion-deplacee", series="emploi-2")
    assert world.request(OTHER_MEMBER, "POST", "/campaigns", form).status_code == 303
    moved = world.request(
        OTHER_MEMBER, "POST", "/campaigns/intrusion-deplacee/edit", form | {"series": SERIES}
    )
    assert moved.status_code == 400
    assert _error_of(moved, "series") is not None
    with Session(world.client.app.state.engine) as db:
        campaign = db.exec(select(Campaign).where(Campaign.slug == "intrusion-deplacee")).one()
        assert campaign.series == "emploi-2"


def test_the_series_waves_page_shows_only_the_owning_commissions_waves(world, planted):
    response = world.request(MEMBER, "GET", f"/series/{SERIES}/waves")
    assert response.status_code == 200  # not 403 because of the planted campaign
    page = BeautifulSoup(response.text, "html.parser")
    assert "2099" not in page.get_text(" ")
    intruder = world.request(OTHER_MEMBER, "GET", f"/series/{SERIES}/waves")
    assert intruder.status_code == 403


def test_the_series_waves_chart_is_the_owning_commissions(world, planted):
    path = f"/series/{SERIES}/waves/chart.svg?q=genre"
    assert world.request(MEMBER, "GET", path).status_code == 200
    assert world.request(OTHER_MEMBER, "GET", path).status_code == 403


def test_a_deck_compares_no_wave_of_another_commission(world, planted):
    editor = world.request(OTHER_MEMBER, "GET", f"/campaigns/{planted}/deck/edit")
    assert editor.status_code == 200
    page = BeautifulSoup(editor.text, "html.parser")
    assert page.find("option", attrs={"value": "waves"}) is None
    added = world.request(
        OTHER_MEMBER,
        "POST",
        f"/campaigns/{planted}/deck/slides",
        {"kind": "waves", "question": "genre"},
    )
    assert added.status_code == 400
    deck = world.request(OTHER_MEMBER, "GET", f"/campaigns/{planted}/deck")
    assert deck.status_code == 200
    assert "2013" not in BeautifulSoup(deck.text, "html.parser").get_text(" ")


def test_the_owning_commissions_deck_ignores_the_planted_wave(world, planted):
    editor = world.request(MEMBER, "GET", "/campaigns/temps-libre-2013/deck/edit")
    assert editor.status_code == 200
    assert "2099" not in BeautifulSoup(editor.text, "html.parser").get_text(" ")
