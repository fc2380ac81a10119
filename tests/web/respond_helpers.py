"""Answering the demo youth questionnaire over HTTP, page by page, as a browser without JS."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from surveys.models import Campaign, Response
from tests.web.conftest import csrf_token, html

SLUG = "temps-libre-2026"
BASE = f"/r/{SLUG}"

# One respondent's pages (raw form values); "pratique_activite = yes" opens the follow-ups.
PAGES = {
    "profil": {"age": "17", "genre": "fille", "quartier": "centre_ville", "situation": "lyceen"},
    "activites": {
        "pratique_activite": "yes",
        "activites": ["sport", "musique"],
        "frequence": "semaine",
        "depense_mensuelle": "12,5",
        "derniere_sortie": "2026-11-01",
    },
    "freins": {
        "freins": ["cout"],
        "transport": "bus",
        "priorites/horaires": "1",
        "opinions/securite": "plutot",
    },
    "satisfaction": {"satisfaction_offre": "satisfait", "note_ville": "7"},
    "envies": {"envies": "Un skatepark couvert."},
}


def campaign(client, slug: str = SLUG) -> Campaign:
    with Session(client.app.state.engine) as session:
        return session.exec(select(Campaign).where(Campaign.slug == slug)).one()


def set_campaign(client, slug: str = SLUG, **values) -> None:
    with Session(client.app.state.engine) as session:
        row = session.exec(select(Campaign).where(Campaign.slug == slug)).one()
        for key, value in values.items():
            setattr(row, key, value)
        session.add(row)
        session.commit()


def responses(client, slug: str = SLUG) -> list[Response]:
    with Session(client.app.state.engine) as session:
        row = session.exec(select(Campaign).where(Campaign.slug == slug)).one()
        query = select(Response).where(Response.campaign_id == row.id).order_by(Response.id)
        return list(session.exec(query).all())


def start(client, via: str = "", age_group: str = "15plus"):
    page = html(client.get(BASE + (f"?via={via}" if via else "")))
    token = page.select_one("form[action$='/start'] input[name=token]")["value"]
    return client.post(
        f"{BASE}/start",
        data={
            "_csrf_token": csrf_token(client),
            "token": token,
            "via": via,
            "age_group": age_group,
            "consent": "yes",
        },
        follow_redirects=False,
    )


def post_page(client, section: str, values: dict, **extra):
    page = html(client.get(f"{BASE}/s/{section}"))
    data = {
        "_csrf_token": csrf_token(client),
        "token": page.select_one("input[name=token]")["value"],
        "_shown": [i["value"] for i in page.select("input[name=_shown]")],
        **values,
        **extra,
    }
    return client.post(f"{BASE}/s/{section}", data=data, follow_redirects=False)


def post_until_done(client, section: str, values: dict):
    """Post a page; when follow-up questions appear (no JavaScript), post it again with them."""
    response = post_page(client, section, values)
    if response.status_code == 200 and html(response).select_one(".notice-box"):
        page = html(response)
        data = {
            "_csrf_token": csrf_token(client),
            "token": page.select_one("input[name=token]")["value"],
            "_shown": [i["value"] for i in page.select("input[name=_shown]")],
            **values,
        }
        response = client.post(f"{BASE}/s/{section}", data=data, follow_redirects=False)
    return response


def answer_all(client) -> str:
    """Start and answer every page; returns the draft token."""
    start(client)
    for section, values in PAGES.items():
        response = post_until_done(client, section, values)
        assert response.status_code == 303, (section, response.text[:2000])
    review = html(client.get(f"{BASE}/review"))
    return review.select_one("form[action$='/submit'] input[name=token]")["value"]


def submit(client, token: str):
    return client.post(
        f"{BASE}/submit",
        data={"_csrf_token": csrf_token(client), "token": token},
        follow_redirects=False,
    )


def hours(n: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=n)
