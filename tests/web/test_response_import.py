"""The response import pages: upload, a mapping screen with a preview, store (no JavaScript)."""

import io

import pandas as pd
from sqlmodel import Session

from consult.db import make_engine
from consult.demo.campaigns import OPEN_SLUG
from surveys import capture
from surveys.document import text
from surveys.types import effective_choices
from tests.web.conftest import csrf_token, html, login

IMPORT = f"/campaigns/{OPEN_SLUG}/import"


def paper_spreadsheet(client, rows: int, broken: bool = False) -> bytes:
    """Columns headed by the French labels, answers written as the choices' labels."""
    engine = make_engine(str(client.app.state.engine.url))
    with Session(engine) as db:
        campaign = capture.find_campaign(db, OPEN_SLUG)
        document = capture.document_of(db, campaign.version_id)
    engine.dispose()
    table: dict[str, list] = {"Numéro": [f"papier-{i}" for i in range(rows)]}
    for q in document.questions():
        if not q.required or q.relevant:
            continue
        label = text(q.label, "fr")
        if q.type == "integer":
            table[label] = [15 + i % 10 for i in range(rows)]
        else:
            choices = effective_choices(q)
            pick = [1] if q.type == "yes_no" else [0, 1]  # "no": nothing more to ask
            table[label] = [text(choices[pick[i % len(pick)]].label, "fr") for i in range(rows)]
    table["Remarque du saisisseur"] = ["ok"] * rows
    if broken:
        age = next(k for k in table if "âge" in k.lower())
        table[age][1] = "quinze"
    buffer = io.BytesIO()
    pd.DataFrame(table).to_csv(buffer, sep=";", index=False)
    return buffer.getvalue()


def upload(client, data: bytes):
    response = client.post(
        IMPORT,
        data={"_csrf_token": csrf_token(client)},
        files={"file": ("papier.csv", data)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return response.headers["location"]


def test_upload_preview_then_store_and_a_second_import_stores_nothing_twice(client):
    login(client, "member")
    assert html(client.get(IMPORT)).select_one(f"form[action='{IMPORT}'] input[type=file]")
    data = paper_spreadsheet(client, 12)
    preview = html(client.get(upload(client, data)))
    assert preview.select_one("#import-preview")["data-count"] == "12"
    ignored = [o for o in preview.select("#import-mapping select option[selected]")]
    assert "@source_id" in [o["value"] for o in ignored]
    store = preview.select_one("#import-store")
    fields: dict[str, list[str]] = {}
    for field in store.select("input"):
        fields.setdefault(field["name"], []).append(field["value"])
    response = client.post(store["action"], data=fields, follow_redirects=False)
    assert response.status_code == 303
    done = html(client.get(response.headers["location"])).select_one("#import-stored")
    assert done["data-stored"] == "12"
    again = html(client.get(upload(client, data)))
    assert again.select_one("#import-preview")["data-count"] == "0"


def test_a_row_with_a_problem_is_shown_and_nothing_is_stored(client):
    login(client, "member")
    location = upload(client, paper_spreadsheet(client, 5, broken=True))
    page = html(client.get(location))
    problems = [li.get_text() for li in page.select("#import-problems li")]
    assert len(problems) == 1 and problems[0].startswith("Ligne 3")
    assert page.select_one("#import-store") is None
