"""Every file and presentation made from a campaign's answers leaves an event in the audit
log: the summaries workbook, the deck and its PDF (they were missing)."""

from sqlmodel import Session, select

from consult.accounts.models import AuditEvent
from consult.web.areas import deck
from tests.web.conftest import DEMO, html, login

RESULTS = "/campaigns/temps-libre-2012/results"


def logged(client) -> list[tuple]:
    with Session(client.app.state.engine) as session:
        rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(e.actor, e.action, e.campaign_slug, e.detail) for e in rows]


def test_the_summaries_workbook_the_deck_and_its_pdf_are_logged(client, monkeypatch):
    monkeypatch.setattr(deck, "html_to_pdf", lambda *args: b"%PDF-1.7")  # the log, not WeasyPrint
    login(client, "member")
    assert client.get(f"{RESULTS}/summaries.xlsx").status_code == 200
    assert client.get(f"{RESULTS}/summaries.xlsx?public=true").status_code == 200
    assert client.get("/campaigns/temps-libre-2012/deck").status_code == 200
    assert client.get("/campaigns/temps-libre-2012/deck/pdf").status_code == 200
    member = DEMO["member"][0]
    assert logged(client) == [
        (member, "export", "temps-libre-2012", "summaries"),
        (member, "export", "temps-libre-2012", "summaries public"),
        (member, "deck", "temps-libre-2012", "html"),
        (member, "deck", "temps-libre-2012", "pdf"),
    ]


def test_the_audit_page_names_the_deck_action(client):
    login(client, "member")
    client.get("/campaigns/temps-libre-2012/deck")
    login(client, "coordinator")
    page = html(client.get("/audit", params={"action": "deck"}))
    options = {o["value"] for o in page.select("select[name=action] option")}
    assert "deck" in options
