"""The ``image`` column of an XLSForm's choices (issue 16): an image where its file is in the
upload (a .zip of the workbook and its media), a warning on its row otherwise."""

import io
import zipfile

from pyxform.xls2xform import convert

from surveys import image_store, images
from surveys.messages import render
from surveys.reading import read_upload
from surveys.validation import validate
from surveys.xlsform_export import export_xlsform
from surveys.xlsform_media import bundle, export_name
from tests.surveys.helpers import L, doc, q, xlsx
from tests.surveys.test_images import encoded

SURVEY = """
| type                    | name     | label::French (fr) | label::English (en) |
| select_one sorties      | sortie   | Tu sors où ?       | Where do you go?    |
| select_multiple sorties | envies   | Tu aimerais ?      | You would like?     |
"""
CHOICES = """
| list_name | name    | label::French (fr) | label::English (en) | media::image | consult_alt_fr      |
| sorties   | cinema  | Cinéma             | Cinema              | cinema.png   | Un écran et des fauteuils |
| sorties   | piscine | Piscine            | Swimming pool       | piscine.jpg  |                     |
| sorties   | parc    | Parc               | Park                |              |                     |
"""


def zipped(workbook: bytes, **files: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("sorties.xlsx", workbook)
        for name, data in files.items():
            out.writestr(f"sorties-media/{name.replace('_', '.')}", data)
    return buffer.getvalue()


def test_a_workbook_alone_warns_on_each_row_whose_image_is_not_there():
    document, problems, warnings, found = read_upload(
        xlsx(survey=SURVEY, choices=CHOICES), "f.xlsx"
    )
    assert problems == [] and found == []
    missing = [w for w in warnings if w.code == "W_CHOICE_IMAGE_MISSING"]
    assert [(w.params["row"], w.params["file"], w.params["value"]) for w in missing] == [
        (2, "cinema.png", "cinema"),
        (3, "piscine.jpg", "piscine"),
    ]
    assert render(missing[0], "fr").replace("\xa0", " ") == (
        "Feuille « choices », ligne 2, colonne « media::image » : L’image « cinema.png » du "
        "choix « cinema » n’est pas dans le fichier : ajoutez-la dans l’éditeur (Images des choix)."
    )
    assert not any(c.image for c in document.question("sortie").choices)


def test_a_zip_gives_each_choice_its_image_and_warns_for_what_it_lacks_or_refuses():
    upload = zipped(
        xlsx(survey=SURVEY, choices=CHOICES),
        cinema_png=encoded((1000, 500)),
        piscine_jpg=b"this is no JPEG",
    )
    document, problems, warnings, found = read_upload(upload, "sorties.zip")
    assert problems == []
    [image] = found
    assert (image.width, image.height) == (640, 320)
    for name in ("sortie", "envies"):  # both questions use the list
        cinema, piscine, parc = document.question(name).choices
        assert (cinema.image, cinema.image_width, cinema.image_height) == (image.digest, 640, 320)
        # its description in French; none in English, which the editor asks for
        assert cinema.image_alt == {"fr": "Un écran et des fauteuils"}
        assert not piscine.image and not parc.image
    [refused] = [w for w in warnings if w.code.startswith(("W_CHOICE_IMAGE", "M_"))]
    assert refused.code == "M_NOT_AN_IMAGE" and refused.params["row"] == 3
    assert [(p.code, p.params["lang"]) for p in validate(document)] == [
        ("Q_CHOICE_IMAGE_NO_ALT", "en"),
        ("Q_CHOICE_IMAGE_NO_ALT", "en"),
    ]


def test_a_zip_without_one_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("cinema.png", encoded((10, 10)))
    document, problems, _, _ = read_upload(buffer.getvalue(), "images.zip")
    assert document is None and [p.code for p in problems] == ["X_ZIP_WORKBOOKS"]
    assert problems[0].params == {"count": 0}
    document, problems, _, _ = read_upload(b"PK\x03\x04 broken", "broken.zip")
    assert document is None and [p.code for p in problems] == ["X_NOT_A_WORKBOOK"]


def test_the_export_names_each_image_pyxform_converts_it_and_its_zip_reads_back():
    prepared, _ = images.prepare(encoded((800, 400)))
    document = image_store.set_choice_image(
        doc(q("sortie", "single_choice", choices=["cinema", "parc"])),
        "sortie", "cinema", prepared.digest, (prepared.width, prepared.height),
        L("Un écran", "A screen"),
    )  # fmt: skip
    workbook = export_xlsform(document)
    assert (
        "<h:html" in convert(xlsform=io.BytesIO(workbook), validate=False, file_type=".xlsx").xform
    )
    again, problems, warnings, found = read_upload(workbook, "q.xlsx")
    assert problems == [] and [w.code for w in warnings] == ["W_CHOICE_IMAGE_MISSING"]
    assert warnings[0].params["file"] == export_name(prepared.digest)
    packed = bundle(workbook, "questionnaire-1", {prepared.digest: prepared.data})
    names = zipfile.ZipFile(io.BytesIO(packed)).namelist()
    assert names == [
        "questionnaire-1.xlsx",
        f"questionnaire-1-media/{export_name(prepared.digest)}",
    ]
    again, problems, warnings, found = read_upload(packed, "questionnaire-1.zip")
    assert problems == [] and warnings == []
    cinema = again.question("sortie").choices[0]
    assert cinema.image == found[0].digest and (cinema.image_width, cinema.image_height) == (
        640,
        320,
    )
    assert cinema.image_alt == {"fr": "Un écran", "en": "A screen"}
    assert again.question("sortie").choices[1] == document.question("sortie").choices[1]
