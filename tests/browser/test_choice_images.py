"""Choices with images on a phone (390×844, issue 16 easy-read): large tiles two per row, the
real radio or check box under each image, usable by keyboard, without JavaScript, and by the
designer who uploads them."""

import io
import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from surveys import editing, image_store, images
from surveys import questionnaires as service
from surveys.document import Choice
from tests.browser.conftest import PHONE, htmx_idle, open_live_campaign
from tests.browser.test_designer import add, save, sign_in
from tests.browser.test_respond import axe_clean, no_horizontal_scroll

pytestmark = pytest.mark.browser

SLUG = "sorties-en-images"
OUTINGS = [  # value, French, English, colour, shape
    ("cinema", "Cinéma", "Cinema", (200, 40, 60), "rectangle"),
    ("piscine", "Piscine", "Swimming pool", (30, 120, 220), "ellipse"),
    ("parc", "Parc", "Park", (40, 160, 70), "polygon"),
    ("concert", "Concert", "Concert", (230, 160, 20), "ellipse"),
]


def drawing(colour, shape: str, size=(1200, 900)) -> bytes:
    """A photo-sized picture (a shape on a light ground), as an upload would be."""
    image = Image.new("RGB", size, (245, 240, 230))
    draw = ImageDraw.Draw(image)
    box = (200, 150, 1000, 750)
    if shape == "polygon":
        draw.polygon([(600, 120), (1050, 780), (150, 780)], fill=colour)
    else:
        getattr(draw, shape)(box, fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def pictured_campaign(live_database) -> str:
    """A published questionnaire whose choices have images, open as SLUG on the live server."""

    def publish(db, commission_id):
        questionnaire = service.create_blank(db, commission_id, "Sorties", ("fr", "en"))
        stored = {}
        for value, _, _, colour, shape in OUTINGS:
            prepared, problem = images.prepare(drawing(colour, shape))
            assert problem is None
            stored[value] = (image_store.store(db, prepared), (prepared.width, prepared.height))

        def change(document):
            document = editing.update_settings(document, {"fr": "Sorties", "en": "Outings"},
                                               ("fr", "en"))  # fmt: skip
            document = editing.update_section(document, "section_1", {"fr": "Tes sorties",
                                                                      "en": "Your outings"})  # fmt: skip
            for name, kind, fr, en in [
                ("sortie", "single_choice", "Où aimes-tu le plus aller ?", "Where do you like going?"),
                ("envies", "multiple_choice", "Où voudrais-tu aller plus ?", "Where would you go more?"),
            ]:  # fmt: skip
                document, made = editing.add_question(
                    document, "section_1", kind, {"fr": fr, "en": en}
                )
                choices = tuple(Choice(v, {"fr": f, "en": e}) for v, f, e, _, _ in OUTINGS)
                question = replace(document.question(made), name=name, choices=choices,
                                           required=kind == "single_choice")  # fmt: skip
                document = editing.replace_question(document, made, question)
                for value, fr_label, en_label, _, _ in OUTINGS:
                    digest, size = stored[value]
                    alt = {
                        "fr": f"Dessin : {fr_label.lower()}",
                        "en": f"Drawing: {en_label.lower()}",
                    }
                    document = image_store.set_choice_image(
                        document, name, value, digest, size, alt
                    )
            return document

        service.edit_questionnaire(db, questionnaire.id, change)
        return service.publish(db, questionnaire.id).version

    open_live_campaign(live_database, publish, SLUG, "Sorties en images", audience="14–25 ans")
    return str(live_database)


def begin(page, base: str) -> None:
    page.goto(f"{base}/r/{SLUG}")
    page.check("#age-15plus")
    page.check("#consent")
    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url(f"**/r/{SLUG}/s/section_1")


def test_tiles_two_per_row_on_a_phone_usable_by_keyboard_and_clean_for_axe(
    live_server, pictured_campaign, phone, artifacts
):
    begin(phone, live_server)
    tiles = phone.locator("#q-sortie-block label.tile")
    assert tiles.count() == 4
    boxes = [tiles.nth(i).bounding_box() for i in range(4)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[2]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1
    assert boxes[1]["x"] > boxes[0]["x"] + boxes[0]["width"] - 1  # side by side
    assert all(150 <= b["width"] <= 195 for b in boxes), boxes  # large: half the screen each
    first = phone.locator("#q-sortie-block img").first
    first.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
    )
    assert first.get_attribute("alt") == "Dessin : cinéma"
    # the real input, named by its image and label, chosen with the keyboard
    radio = phone.get_by_role("radio", name="Piscine")
    radio.focus()
    phone.keyboard.press("Space")
    assert radio.is_checked()
    phone.keyboard.press("ArrowRight")
    assert phone.get_by_role("radio", name="Parc").is_checked()
    box = phone.get_by_role("checkbox", name="Concert")
    box.focus()
    phone.keyboard.press("Space")
    assert box.is_checked()
    phone.locator("#q-envies-block label.tile").nth(0).click()  # a tap on the image ticks too
    assert phone.get_by_role("checkbox", name="Cinéma").is_checked()
    no_horizontal_scroll(phone)
    axe_clean(phone)
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=artifacts / "choice-images-phone.png", full_page=True)
    phone.get_by_role("button", name="Suivant").click()
    phone.wait_for_url(f"**/r/{SLUG}/review")


def test_without_javascript_the_tiles_are_plain_form_fields(
    live_server, pictured_campaign, browser, artifacts
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        begin(page, live_server)
        page.locator("#q-sortie-block label.tile").nth(3).click()
        page.locator("#q-envies-block label.tile").nth(1).click()
        token = page.locator("form#answers input[name=token]").input_value()
        page.get_by_role("button", name="Suivant").click()
        page.wait_for_url(f"**/r/{SLUG}/review")
        page.screenshot(path=artifacts / "choice-images-nojs-review.png", full_page=True)
    finally:
        context.close()
    with sqlite3.connect(pictured_campaign) as db:
        [(answers,)] = db.execute("SELECT answers FROM response WHERE token = ?", (token,))
    assert json.loads(answers) == {"sortie": "concert", "envies": ["piscine"]}


def test_a_designer_uploads_an_image_and_is_told_what_is_missing(
    live_server, phone, artifacts, tmp_path: Path
):
    sign_in(phone, live_server)
    phone.locator("#blank-name").fill("Tuiles")
    phone.get_by_role("button", name="Créer", exact=True).click()
    phone.wait_for_selector("#designer")
    htmx_idle(phone)
    add(phone, "single_choice", 1)
    save(phone, "q1", "Tu sors où ?", [("cinema", "Cinéma"), ("parc", "Parc")])
    phone.locator("#card-q1").get_by_role("link", name="Images des choix").click()
    phone.wait_for_url("**/questions/q1/images")
    picture = tmp_path / "cinema.jpg"
    picture.write_bytes(drawing((200, 40, 60), "rectangle"))
    first = phone.locator("li.choice-image").first
    first.locator("input[type=file]").set_input_files(str(picture))
    first.get_by_role("button", name="Enregistrer l’image").click()
    phone.wait_for_selector(".error-summary")
    summary = phone.locator(".error-summary").inner_text().replace("\xa0", " ")
    assert "Choix « Cinéma » : Décrivez l’image en « FR »" in summary
    first = phone.locator("li.choice-image").first
    assert first.locator("img").count() == 1  # the image read is kept, waiting for its text
    field = first.locator("input[name=alt_fr]")
    assert field.get_attribute("aria-invalid") == "true"
    axe_clean(phone)
    phone.screenshot(path=artifacts / "choice-images-designer-missing-alt.png", full_page=True)
    field.fill("Une salle de cinéma")
    first.get_by_role("button", name="Enregistrer l’image").click()
    phone.wait_for_url(re.compile(r"/questions/q1/images#choice-cinema$"))
    assert phone.locator(".error-summary").count() == 0
    first = phone.locator("li.choice-image").first
    assert first.get_by_role("button", name="Retirer l’image").count() == 1
    assert first.locator("img").get_attribute("alt") == "Une salle de cinéma"
