"""The network's services on SQLite and PostgreSQL: CSV import and export, a partner's collected
responses, commissions, plenaries and "you said / we did"."""

from datetime import date

import pytest
from sqlmodel import Session, delete, select

from consult.db import make_engine
from consult.network.models import Partner, PartnerTheme
from consult.network.partners import (
    PartnerInput,
    export_partners_csv,
    import_partners_csv,
    list_partners,
    partner_page,
    save_partner,
)
from consult.network.plenaries import AgendaInput, PlenaryInput, plenary_calendar, save_plenary
from consult.network.services import findings_for_campaign
from surveys.models import Campaign, Response
from surveys.problems import ProblemsError

HEADER = "slug;name;kind;charter_signed;charter_date;themes;contacts\n"


@pytest.fixture
def demo(demo_database_url):
    engine = make_engine(demo_database_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def empty(database_url):
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


def count_partners(session) -> int:
    return len(session.exec(select(Partner)).all())


def test_a_csv_with_one_bad_row_reports_row_and_field_and_imports_nothing(demo):
    before = count_partners(demo)
    content = (
        HEADER
        + "nouvelle-asso;Nouvelle asso;association;oui;2014-01-02;jeunesse;\n"
        + "autre;Autre;associaton;non;;emploi;\n"
        + "troisieme;Troisième;institution;peut-être;14/01/2014;cuisine;\n"
    ).encode()
    with pytest.raises(ProblemsError) as caught:
        import_partners_csv(demo, content)
    found = {(p.code, p.params["row"], p.params.get("field")) for p in caught.value.problems}
    assert found == {
        ("BAD_KIND", 3, "kind"),
        ("BAD_BOOLEAN", 4, "charter_signed"),
        ("BAD_DATE", 4, "charter_date"),
        ("BAD_THEME", 4, "themes"),
    }
    demo.rollback()
    assert count_partners(demo) == before
    assert demo.exec(select(Partner).where(Partner.slug == "nouvelle-asso")).first() is None


def test_a_csv_row_of_the_wrong_width_and_a_repeated_slug_are_reported(demo):
    content = (
        HEADER + "a;A;association;oui;;;\n" + "a;A bis;association;non;;;\n" + "b;B\n"
    ).encode()
    with pytest.raises(ProblemsError) as caught:
        import_partners_csv(demo, content)
    codes = {(p.code, p.params["row"]) for p in caught.value.problems}
    assert codes == {("DUPLICATE_SLUG", 3), ("CSV_BAD_ROW", 4)}


def test_a_file_that_is_not_utf8_is_refused(empty):
    with pytest.raises(ProblemsError) as caught:
        import_partners_csv(empty, (HEADER + "x;Café;association;;;;\n").encode("latin-1"))
    assert [p.code for p in caught.value.problems] == ["CSV_NOT_UTF8"]


def test_export_then_import_into_an_empty_directory_gives_the_same_file(demo):
    exported = export_partners_csv(demo)
    total = count_partners(demo)
    assert exported.count("\r\n") == total + 1
    demo.exec(delete(Partner))
    demo.commit()
    assert count_partners(demo) == 0
    report = import_partners_csv(demo, exported.encode("utf-8-sig"))
    assert report.created == total and report.updated == 0
    assert export_partners_csv(demo) == exported


def test_importing_the_export_again_updates_and_changes_nothing(demo):
    exported = export_partners_csv(demo)
    report = import_partners_csv(demo, exported.encode("utf-8-sig"))
    assert report.created == 0 and report.updated == count_partners(demo)
    assert export_partners_csv(demo) == exported


def test_contacts_with_several_lines_survive_the_round_trip(empty):
    data = PartnerInput(
        name="Épicerie « Le Panier »; test",
        themes=["aides_ponctuelles", "logement"],
        objectives="Ligne 1\nLigne 2 ; avec point-virgule",
        contacts=[
            {"name": "Anne", "role": "Directrice", "phone": "03 82 11 22 33", "email": "a@x.fr"},
            {"name": "Bob", "role": "", "phone": "", "email": ""},
        ],
    )
    save_partner(empty, data)
    exported = export_partners_csv(empty)
    import_partners_csv(empty, exported.encode())
    assert export_partners_csv(empty) == exported
    partner = empty.exec(select(Partner)).one()
    assert partner.slug == "epicerie-le-panier-test"
    assert [c["name"] for c in partner.contacts] == ["Anne", "Bob"]


def test_a_partner_cannot_take_another_partners_slug(demo):
    with pytest.raises(ProblemsError) as caught:
        save_partner(demo, PartnerInput(name="Doublon", slug="mjc-le-lierre"))
    assert [(p.code, p.where) for p in caught.value.problems] == [("SLUG_TAKEN", "slug")]


def test_search_filters_by_theme_kind_and_words(demo):
    health = list_partners(demo, theme="sante")
    assert health and all("sante" in e.themes for e in health)
    institutions = list_partners(demo, kind="institution")
    assert institutions and all(e.partner.kind == "institution" for e in institutions)
    assert [e.partner.slug for e in list_partners(demo, q="Colibri")] == [
        "foyer-jeunes-travailleurs"
    ]
    themes_in_db = demo.exec(select(PartnerTheme.theme)).all()
    assert "sante" in themes_in_db


def test_a_partner_page_counts_the_responses_it_collected_per_campaign(demo):
    campaign = demo.exec(select(Campaign).where(Campaign.slug == "temps-libre-2013")).one()
    responses = demo.exec(select(Response).where(Response.campaign_id == campaign.id)).all()
    for response in [r for r in responses if r.completed][:7]:
        response.channel = "partner:mjc-le-lierre"
        demo.add(response)
    draft = next(r for r in responses if not r.completed)
    draft.channel = "partner:mjc-le-lierre"
    demo.add(draft)
    demo.commit()
    page = partner_page(demo, "mjc-le-lierre")
    assert [(c.slug, c.responses) for c in page.campaigns] == [("temps-libre-2013", 7)]
    assert {c.slug for c in page.commissions} == {"jeunesse"}
    assert "Un point écoute jeunes" in {p.title for p in page.projects}


def test_findings_for_campaign_give_text_question_and_linked_projects(demo):
    campaign = demo.exec(select(Campaign).where(Campaign.slug == "temps-libre-2012")).one()
    findings = findings_for_campaign(demo, campaign.id)
    assert [f.question_name for f in findings] == ["freins", "connait_pij"]
    first = findings[0]
    assert first.text.startswith("62 %")
    assert [(p.title, p.status) for p in first.projects] == [("Pass loisirs jeunes à 10 €", "done")]
    other = demo.exec(select(Campaign).where(Campaign.slug == "temps-libre-2013")).one()
    assert findings_for_campaign(demo, other.id) == []


def test_plenaries_split_into_upcoming_and_past(demo):
    calendar = plenary_calendar(demo, date(2020, 1, 1))
    assert calendar.last.title == "Plénière d'automne 2013"
    assert calendar.next.held_on > date(2020, 1, 1)


def test_a_plenary_agenda_is_saved_in_order_and_bad_links_are_refused(demo):
    data = PlenaryInput(
        held_on="2014-05-20",
        title="Plénière de printemps 2014",
        agenda=[
            AgendaInput("Second", position="2"),
            AgendaInput("Premier", position="1"),
            AgendaInput("", position="3"),
        ],
    )
    plenary = save_plenary(demo, data)
    from consult.network.plenaries import plenary_page

    assert [a.title for a in plenary_page(demo, plenary.id).agenda] == ["Premier", "Second"]
    with pytest.raises(ProblemsError) as caught:
        save_plenary(
            demo, PlenaryInput(held_on="20/05/2014", title="", agenda=[AgendaInput("", 99999)])
        )
    assert {(p.code, p.where) for p in caught.value.problems} == {
        ("BAD_DATE", "held_on"),
        ("REQUIRED", "title"),
        ("BAD_CHOICE", "agenda-0-campaign"),
        ("REQUIRED", "agenda-0-title"),
    }
