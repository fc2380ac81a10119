"""Images of choices over HTTP (issue 16, easy-read): the designer's upload, its refusals with
everything typed kept, the files' access and cache, the respondent's tiles, XLSForm .zip."""

import io
import zipfile
from dataclasses import replace

import httpx
import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from consult.network.models import Commission
from surveys import editing, image_store, images
from surveys import questionnaires as service
from surveys.campaigns import questionnaire_of_version
from surveys.document import Choice
from tests.security.world import small_png
from tests.web.conftest import csrf_token, login
from tests.web.respond_helpers import BASE, campaign, set_campaign, start

PNG = ("sortie.png", small_png((900, 600)), "image/png")


def new_questionnaire(client, commission: str = "jeunesse") -> int:
    """A draft in French and English with one single choice, ``sortie``: cinema or parc."""
    with Session(client.app.state.engine) as db:
        owner = db.exec(select(Commission).where(Commission.slug == commission)).one()
        questionnaire = service.create_blank(db, owner.id, "Sorties", ("fr", "en"))

        def change(document):
            document = editing.update_settings(document, {"fr": "Sorties", "en": "Outings"},
                                               ("fr", "en"))  # fmt: skip
            document, name = editing.add_question(
                document, "section_1", "single_choice", {"fr": "Tu sors où ?", "en": "Where?"}
            )
            choices = (Choice("cinema", {"fr": "Cinéma", "en": "Cinema"}),
                       Choice("parc", {"fr": "Parc", "en": "Park"}))  # fmt: skip
            question = replace(document.question(name), name="sortie", choices=choices)
            document = editing.replace_question(document, name, question)
            document, _ = editing.add_question(
                document, "section_1", "text", {"fr": "Pourquoi ?", "en": "Why?"}
            )
            return document

        service.edit_questionnaire(db, questionnaire.id, change)
        return questionnaire.id


def document_of(client, questionnaire_id: int):
    with Session(client.app.state.engine) as db:
        return service.document_of(service.latest_version(db, questionnaire_id))


def send(client, questionnaire_id: int, value: str = "cinema", file=None, **fields):
    """The upload form as a browser sends it: multipart, an empty file part when none is chosen."""
    data = {"_csrf_token": csrf_token(client), **fields}
    files = {"file": file or ("", b"", "application/octet-stream")}
    url = f"/questionnaires/{questionnaire_id}/questions/sortie/images/{value}"
    return client.post(url, data=data, files=files, follow_redirects=False)


def html(response):
    """The page, with French's non-breaking spaces (before « : » and inside « ») as spaces."""
    return BeautifulSoup(response.text.replace("\xa0", " "), "lxml")


@pytest.fixture
def member(client):
    assert login(client, "member").status_code == 303
    return client


def test_the_editor_links_each_choice_question_to_its_images_page(member):
    questionnaire_id = new_questionnaire(member)
    editor = html(member.get(f"/questionnaires/{questionnaire_id}"))
    links = [a["href"] for a in editor.select("a[href$='/images']")]
    assert links == [f"/questionnaires/{questionnaire_id}/questions/sortie/images"]  # not the text
    page = html(member.get(links[0]))
    assert page.select_one("h1").get_text() == "Images des choix de « Tu sors où ? »"
    first = page.select_one("#choice-cinema form")
    assert first["enctype"] == "multipart/form-data"
    assert first.select_one("input[type=file]")["accept"] == "image/png,image/jpeg,image/webp"
    labels = [label.get_text(" ", strip=True) for label in first.select("label")]
    assert labels[1:] == [
        "Ce que montre l’image (FR), lu à qui ne peut pas la voir",
        "Ce que montre l’image (EN), lu à qui ne peut pas la voir",
    ]
    text_question = document_of(member, questionnaire_id).sections[0].questions[1].name
    assert member.get(f"/questionnaires/{questionnaire_id}/questions/{text_question}/images"
                      ).status_code == 404  # fmt: skip


def test_an_image_with_its_descriptions_is_attached_staff_only_until_published(member):
    questionnaire_id = new_questionnaire(member)
    response = send(member, questionnaire_id, file=PNG, alt_fr="Une salle de cinéma",
                    alt_en="A cinema")  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"].endswith("/questions/sortie/images#choice-cinema")
    cinema = document_of(member, questionnaire_id).question("sortie").choices[0]
    assert (cinema.image_width, cinema.image_height) == (640, 427)
    assert cinema.image_alt == {"fr": "Une salle de cinéma", "en": "A cinema"}
    url = f"/media/{cinema.image}.webp"
    served = member.get(url)
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    assert served.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert served.content[:4] == b"RIFF" and len(served.content) < images.TARGET_BYTES
    again = member.get(url, headers={"If-None-Match": served.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    page = html(member.get(f"/questionnaires/{questionnaire_id}/questions/sortie/images"))
    thumb = page.select_one("#choice-cinema img")
    assert thumb["src"] == url and thumb["alt"] == "Une salle de cinéma"
    # a visitor sees nothing of a draft's image, not even that it exists
    signed_in = httpx.Cookies(member.cookies)
    member.cookies.clear()
    assert member.get(url).status_code == 404
    member.cookies = signed_in
    published = member.post(f"/questionnaires/{questionnaire_id}/publish",
                            data={"_csrf_token": csrf_token(member)})  # fmt: skip
    assert published.status_code in (200, 303)
    member.cookies.clear()
    public = member.get(url)
    assert public.status_code == 200
    assert public.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert member.get(f"/media/{'0' * 64}.webp").status_code == 404
    assert member.get("/media/..%2Fsecret_key").status_code == 404


def test_a_missing_description_says_what_and_where_and_loses_nothing(member):
    questionnaire_id = new_questionnaire(member)
    response = send(member, questionnaire_id, file=PNG, alt_fr="Une salle de cinéma")
    assert response.status_code == 400
    page = html(response)
    summary = page.select_one(".error-summary")
    assert summary.select_one("a")["href"] == "#choice-1-alt-en"
    assert summary.get_text(" ", strip=True).endswith(
        "Choix « Cinéma » : Décrivez l’image en « EN » : ce texte est lu à qui ne peut pas la voir."
    )
    field = page.select_one("#choice-1-alt-en")
    assert field["aria-invalid"] == "true"
    message = page.select_one(f"#{field['aria-describedby']}").get_text()
    assert message.startswith("Décrivez l’image en « EN »")
    assert page.select_one("#choice-1-alt-fr")["value"] == "Une salle de cinéma"  # kept
    pending = page.select_one("#choice-cinema input[name=pending]")["value"]  # the image too
    assert page.select_one("#choice-cinema img")["src"] == f"/media/{pending}.webp"
    assert member.get(f"/media/{pending}.webp").status_code == 200
    assert not document_of(member, questionnaire_id).question("sortie").choices[0].image
    # the description added, no file chosen again: the image waiting is attached
    response = send(member, questionnaire_id, pending=pending, alt_fr="Une salle de cinéma",
                    alt_en="A cinema")  # fmt: skip
    assert response.status_code == 303
    assert document_of(member, questionnaire_id).question("sortie").choices[0].image == pending


def test_in_english_the_messages_are_english(member):
    questionnaire_id = new_questionnaire(member)
    member.cookies.set("consult_lang", "en")
    page = html(send(member, questionnaire_id, file=PNG, alt_en="A cinema"))
    assert page.select_one("#choice-1-alt-fr-error").get_text() == (
        "Describe the image in “FR”: this text is read to those who cannot see it."
    )


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (("grand.png", b"\x89PNG" + b"0" * (8 * 1024 * 1024), "image/png"),
         "L’image dépasse 8 Mo : choisissez un fichier plus petit."),
        (("anime.gif", b"GIF89a" + b"0" * 100, "image/gif"),
         "Ce fichier n’est pas une image PNG, JPEG ou WebP."),
        (None, "Choisissez un fichier image (PNG, JPEG ou WebP)."),
    ],
    ids=["oversize", "gif", "none"],
)  # fmt: skip
def test_a_file_too_big_or_not_an_image_is_refused_next_to_its_field(member, file, message):
    questionnaire_id = new_questionnaire(member)
    response = send(member, questionnaire_id, file=file, alt_fr="Cinéma", alt_en="Cinema")
    assert response.status_code == 400
    page = html(response)
    field = page.select_one("#choice-1-file")
    assert field["aria-invalid"] == "true"
    assert page.select_one(f"#{field['aria-describedby']}").get_text() == message
    assert page.select_one("#choice-1-alt-en")["value"] == "Cinema"  # kept
    assert not page.select("#choice-cinema input[name=pending]")
    assert not document_of(member, questionnaire_id).question("sortie").choices[0].image


def test_an_image_is_removed_and_a_description_changed_without_a_new_file(member):
    questionnaire_id = new_questionnaire(member)
    assert (
        send(member, questionnaire_id, file=PNG, alt_fr="Salle", alt_en="Room").status_code == 303
    )
    assert send(member, questionnaire_id, alt_fr="Une salle", alt_en="A room").status_code == 303
    cinema = document_of(member, questionnaire_id).question("sortie").choices[0]
    assert cinema.image and cinema.image_alt == {"fr": "Une salle", "en": "A room"}
    assert send(member, questionnaire_id, action="remove").status_code == 303
    assert document_of(member, questionnaire_id).question("sortie").choices[0] == Choice(
        "cinema", {"fr": "Cinéma", "en": "Cinema"}
    )


def test_another_commission_cannot_see_or_change_the_images(client):
    questionnaire_id = new_questionnaire(client)
    assert login(client, "other_member").status_code == 303
    url = f"/questionnaires/{questionnaire_id}/questions/sortie/images"
    assert client.get(url).status_code == 403
    assert send(client, questionnaire_id, file=PNG, alt_fr="x", alt_en="x").status_code == 403
    assert send(client, questionnaire_id, value="theatre").status_code == 403
    assert login(client, "member").status_code == 303
    assert send(client, questionnaire_id, value="theatre").status_code == 404


def give_images(client, question: str = "genre") -> list:
    """The open demo campaign's questionnaire, republished with an image on each choice."""
    with Session(client.app.state.engine) as db:
        questionnaire_id = questionnaire_of_version(db, campaign(client).version_id)
        choices = (
            service.document_of(service.latest_version(db, questionnaire_id))
            .question(question)
            .choices
        )
        made = []
        for index, choice in enumerate(choices):
            prepared, _ = images.prepare(small_png((400, 300), (40 * index, 90, 160)))
            image_store.store(db, prepared)
            made.append((choice.value, prepared))

        def change(document):
            for value, prepared in made:
                alt = {"fr": f"Dessin {value}", "en": f"Drawing {value}"}
                document = image_store.set_choice_image(
                    document, question, value, prepared.digest, (400, 300), alt
                )
            return document

        service.edit_questionnaire(db, questionnaire_id, change)
        version = service.publish(db, questionnaire_id).version
        assert version is not None
        version_id = version.id
    set_campaign(client, version_id=version_id)
    return made


def test_the_respondent_sees_large_tiles_with_the_real_inputs_and_alt_texts(client):
    made = give_images(client)
    start(client)
    page = html(client.get(f"{BASE}/s/profil"))
    block = page.select_one("#q-genre-block")
    assert block.select_one(".options")["class"] == ["options", "tiles"]
    tiles = block.select("label.option.tile")
    assert len(tiles) == len(made)
    for index, (tile, (value, prepared)) in enumerate(zip(tiles, made, strict=True), start=1):
        image = tile.select_one("img")
        assert image["src"] == f"/media/{prepared.digest}.webp"
        assert image["alt"] == f"Dessin {value}"
        assert (image["width"], image["height"]) == ("400", "300")
        assert image["loading"] == "lazy" and image["decoding"] == "async"
        radio = tile.select_one("input[type=radio]")
        assert radio["id"] == tile["for"] == f"q-genre-{index}" and radio["value"] == value
        assert radio["name"] == "genre"
        assert client.get(image["src"]).headers["cache-control"].startswith("public")
    assert not page.select("#q-quartier-block .tiles")  # the other questions stay as they were
    client.cookies.set("consult_lang", "en")
    page = html(client.get(f"{BASE}/s/profil"))
    assert page.select_one("#q-genre-block img")["alt"] == f"Drawing {made[0][0]}"


def test_the_zip_export_holds_the_images_and_imports_back_with_them(member):
    questionnaire_id = new_questionnaire(member)
    assert (
        send(member, questionnaire_id, file=PNG, alt_fr="Salle", alt_en="Room").status_code == 303
    )
    exported = member.get(f"/questionnaires/{questionnaire_id}/export.zip")
    assert exported.status_code == 200 and exported.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
    assert names[0] == f"questionnaire-{questionnaire_id}.xlsx"
    assert names[1].startswith(f"questionnaire-{questionnaire_id}-media/")
    with Session(member.app.state.engine) as db:
        youth = db.exec(select(Commission).where(Commission.slug == "jeunesse")).one().id
    response = member.post(
        "/questionnaires/import",
        data={"_csrf_token": csrf_token(member), "commission_id": str(youth)},
        files={"file": ("sorties.zip", exported.content, "application/zip")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    copy = int(response.headers["location"].rsplit("/", 1)[1])
    cinema = document_of(member, copy).question("sortie").choices[0]
    assert cinema.image_alt == {"fr": "Salle", "en": "Room"}
    assert member.get(f"/media/{cinema.image}.webp").status_code == 200


def test_the_bytes_are_stored_published_and_served_alike_on_sqlite_and_postgresql(any_db_client):
    client = any_db_client
    assert login(client, "member").status_code == 303
    questionnaire_id = new_questionnaire(client)
    for _ in range(2):  # the same picture twice: one row
        response = send(client, questionnaire_id, file=PNG, alt_fr="Salle", alt_en="Room")
        assert response.status_code == 303
    digest = document_of(client, questionnaire_id).question("sortie").choices[0].image
    with Session(client.app.state.engine) as db:
        assert db.exec(select(image_store.ChoiceImage.digest)).all() == [digest]
    served = client.get(f"/media/{digest}.webp").content
    published = client.post(f"/questionnaires/{questionnaire_id}/publish",
                            data={"_csrf_token": csrf_token(client)})  # fmt: skip
    assert published.status_code in (200, 303)
    client.cookies.clear()
    public = client.get(f"/media/{digest}.webp")
    assert public.headers["cache-control"].startswith("public") and public.content == served
