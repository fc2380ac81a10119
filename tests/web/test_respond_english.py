"""One language per respondent (issue 16): every respondent state rendered in English holds
no string of the French catalogues, nor any French text of the campaign or questionnaire."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlmodel import Session

import analysis
import consult
import surveys
from tests.web.conftest import csrf_token, html
from tests.web.respond_helpers import (
    BASE,
    PAGES,
    answer_all,
    campaign,
    hours,
    post_page,
    set_campaign,
    start,
    submit,
)

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}|%[sd]")


def french_catalogue() -> set[str]:
    """Every French message that differs from its English id, cut at its placeholders."""
    found: set[str] = set()
    for package in (consult, surveys, analysis):
        folder = Path(package.__file__).parent / "locale" / "fr" / "LC_MESSAGES"
        for path in folder.glob("*.po"):
            with path.open("rb") as fh:
                for message in read_po(fh):
                    if not message.id or not message.string:
                        continue
                    ids = message.id if isinstance(message.id, tuple) else (message.id,)
                    strings = (
                        message.string if isinstance(message.string, tuple) else (message.string,)
                    )
                    for french in strings:
                        if french and french not in ids:
                            found.update(p.strip() for p in PLACEHOLDER.split(french))
    return {s for s in found if len(s) >= 4}


FRENCH = french_catalogue()


def french_texts_of(client) -> set[str]:
    """The campaign's and the questionnaire's French texts that have an English version."""
    found = set()
    row = campaign(client)
    found |= {row.consent_text, row.audience}
    with Session(client.app.state.engine) as session:
        from surveys.capture import document_of

        document = document_of(session, row.version_id)

    def labels(item):
        if item.get("en") and item.get("fr") and item["en"] != item["fr"]:
            found.add(item["fr"])

    labels(document.title)
    labels(document.description)
    for section in document.sections:
        labels(section.title)
        labels(section.description)
        for q in section.questions:
            for field in (q.label, q.hint, q.constraint_message, q.easy):
                labels(field)
            for choice in q.choices:
                labels(choice.label)
            for r in q.rows:
                labels(r.label)
    return {t for t in found if t}


def french_in(response, extra: set[str]) -> list[str]:
    page = html(response)
    for hidden in page.select("script, style"):
        hidden.decompose()
    lines = {t.strip() for t in page.stripped_strings}
    text = " ".join(page.stripped_strings)
    attributes = " ".join(
        str(v)
        for tag in page.find_all(True)
        for k, v in tag.attrs.items()
        if k in ("aria-label", "title", "alt", "placeholder", "data-saved")
    )
    hits = []
    for french in FRENCH | extra:
        short = len(french) < 14 and french not in extra
        if french in lines or (not short and (french in text or french in attributes)):
            hits.append(french)
    return sorted(hits)


@pytest.fixture
def english(client):
    client.cookies.set("consult_lang", "en")
    return client


def states(client):
    """Every state a respondent can see, with the response that shows it."""
    yield "intro", client.get(BASE)
    token = html(client.get(BASE)).select_one("input[name=token]")["value"]
    yield (
        "intro with errors",
        client.post(f"{BASE}/start", data={"_csrf_token": csrf_token(client), "token": token}),
    )
    yield "resume", client.get(f"{BASE}/resume")
    yield (
        "resume refused",
        client.post(
            f"{BASE}/resume", data={"_csrf_token": csrf_token(client), "code": "ZZZZZZZZZZ"}
        ),
    )
    yield "mine", client.get(f"{BASE}/mine")
    start(client, age_group="under15")
    yield "young", client.get(f"{BASE}/young")
    for section, values in PAGES.items():
        yield f"{section} blank", client.get(f"{BASE}/s/{section}")
        broken = {k: "??" for k in values}
        yield f"{section} with errors", post_page(client, section, broken)
    yield "later", client.get(f"{BASE}/later")
    client.cookies.delete("consult_draft")
    token = answer_all(client)
    yield "review", client.get(f"{BASE}/review")
    submit(client, token)
    yield "thanks", client.get(f"{BASE}/thanks")
    yield "answered already", client.get(BASE)


def test_every_respondent_state_in_english_holds_no_french(english):
    extra = french_texts_of(english)
    assert FRENCH and extra
    found = {}
    for name, response in states(english):
        if response.status_code == 303:  # nothing to complain about on that page
            continue
        assert response.status_code in (200, 400), (name, response.status_code)
        assert html(response).select_one("html")["lang"] == "en", name
        hits = french_in(response, extra)
        if hits:
            found[name] = hits
    assert found == {}


def test_the_closed_and_scheduled_pages_in_english_hold_no_french(english):
    extra = french_texts_of(english)
    set_campaign(english, opens_at=hours(-48), closes_at=hours(-24))
    assert french_in(english.get(BASE), extra) == []
    set_campaign(english, opens_at=hours(24), closes_at=hours(48))
    assert french_in(english.get(BASE), extra) == []


def test_after_an_error_on_the_intro_the_commission_is_still_named(client):
    before = html(client.get(BASE)).select_one(".facts li").get_text(" ", strip=True)
    token = html(client.get(BASE)).select_one("input[name=token]")["value"]
    response = client.post(
        f"{BASE}/start", data={"_csrf_token": csrf_token(client), "token": token}
    )
    assert response.status_code == 400
    assert html(response).select_one(".facts li").get_text(" ", strip=True) == before
    assert "Jeunesse" in before
