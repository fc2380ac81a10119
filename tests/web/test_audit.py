"""The audit log: exports, reports, the API and the free-text reader each leave one event
(who, when, what, which campaign; never an answer); the coordinator reads them at /audit."""

from sqlmodel import Session, select

from consult.accounts.models import AuditEvent
from consult.accounts.tokens import create_token_for_email
from tests.web.conftest import DEMO, html, login

RESULTS = "/campaigns/temps-libre-2012/results"
HX = {"HX-Request": "true"}


def events(client) -> list[AuditEvent]:
    with Session(client.app.state.engine) as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)).all())


def test_exports_reports_api_and_free_text_are_logged_without_answer_content(client):
    login(client, "member")
    assert client.get(f"{RESULTS}/export?format=csv").status_code == 200
    # no public row-level file exists (disclosure control): refused, so nothing is logged
    assert client.get(f"{RESULTS}/export?format=xlsx&public=true").status_code == 410
    assert client.get(f"{RESULTS}/report").status_code == 200
    text = client.get(f"{RESULTS}/text")
    assert text.status_code == 200
    assert client.get(f"{RESULTS}/").status_code == 200  # aggregates only: not logged
    with Session(client.app.state.engine) as session:
        token = create_token_for_email(session, DEMO["facilitator"][0], "t", "commission")
        session.commit()
    api = client.get(
        "/api/campaigns/temps-libre-2012/summary", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 200
    logged = [(e.actor, e.action, e.campaign_slug, e.detail) for e in events(client)]
    member, facilitator = DEMO["member"][0], DEMO["facilitator"][0]
    assert logged[:2] == [
        (member, "export", "temps-libre-2012", "csv"),
        (member, "report", "temps-libre-2012", "html"),
    ]
    assert logged[2][:3] == (member, "text_answers", "temps-libre-2012")
    assert logged[3] == (
        facilitator,
        "api",
        "temps-libre-2012",
        "/api/campaigns/temps-libre-2012/summary",
    )
    assert len(logged) == 4
    first_answer = html(text).select_one("#answers blockquote, #answers li, #answers p")
    assert first_answer is not None
    assert all(first_answer.get_text(strip=True) not in (e.detail or "-") for e in events(client))


def test_a_refused_export_leaves_no_event(client):
    login(client, "other_member")
    assert client.get(f"{RESULTS}/export").status_code == 403
    assert events(client) == []


def test_the_coordinator_reads_the_log_filtered_by_user_and_campaign(client):
    login(client, "member")
    client.get(f"{RESULTS}/export")
    client.get("/campaigns/temps-libre-2013/results/export")
    client.post("/logout", data={"_csrf_token": client.cookies.get("consult_csrf")})
    login(client, "coordinator")
    client.get(f"{RESULTS}/report")
    page = html(client.get("/audit"))
    assert page.select_one("h1").get_text() == "Journal des accès"
    assert len(page.select("tr.audit-event")) == 3
    member_id = next(
        o["value"] for o in page.select("#f-user option") if o.get_text() == DEMO["member"][0]
    )
    mine = html(client.get(f"/audit?user={member_id}&campaign=temps-libre-2012"))
    rows = mine.select("tr.audit-event")
    assert len(rows) == 1 and "Exported the answers" not in rows[0].get_text()
    assert "A exporté les réponses" in rows[0].get_text()
    fragment = client.get("/audit?action=report", headers=HX | {"Accept-Language": "en"})
    assert fragment.text.lstrip().startswith('<div id="events"') and "<html" not in fragment.text
    rows = html(fragment).select("tr.audit-event")
    assert len(rows) == 1 and "Opened the report" in rows[0].get_text()
    assert html(client.get("/audit?campaign=none")).select_one("#events p.muted") is not None


def test_only_the_coordinator_sees_the_audit_log(client):
    assert client.get("/audit", follow_redirects=False).headers["location"].startswith("/login")
    login(client, "member")
    assert client.get("/audit").status_code == 403
