"""Choice images (issue 16, easy-read): what an upload must be, the small clean file made of
it, and how a choice carries it in the document."""

import io

import pytest
from PIL import Image

from surveys import editing, image_store, images
from surveys.document import Choice, from_json, to_json
from surveys.problems import codes
from surveys.validation import validate
from tests.surveys.helpers import L, doc, q


def encoded(size=(800, 600), mode="RGB", fmt="PNG", colour=(10, 120, 200), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, fmt, **save)
    return buffer.getvalue()


def photo_with_location() -> bytes:
    """A JPEG as a phone writes it: camera, GPS position, and turned by its orientation tag."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}  # GPS
    image = Image.new("RGB", (1200, 600), (200, 30, 30))
    image.paste((30, 200, 30), (0, 0, 600, 600))  # left half green: shows the rotation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_png_jpeg_and_webp_become_a_small_webp(fmt):
    prepared, problem = images.prepare(encoded((2000, 1500), fmt=fmt))
    assert problem is None
    assert (prepared.width, prepared.height) == (640, 480)  # longest side bounded, ratio kept
    assert len(prepared.data) <= images.TARGET_BYTES
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.format == "WEBP" and out.size == (640, 480)
    assert prepared.name == prepared.digest + ".webp" and len(prepared.digest) == 64


def test_a_small_image_keeps_its_size_and_the_same_picture_its_name():
    first, _ = images.prepare(encoded((300, 200)))
    again, _ = images.prepare(encoded((300, 200)))
    assert (first.width, first.height) == (300, 200)
    assert first.digest == again.digest  # stored once, however often uploaded


def test_metadata_and_location_are_stripped_and_the_photo_turned_upright():
    upload = photo_with_location()
    with Image.open(io.BytesIO(upload)) as original:
        assert original.getexif().get_ifd(0x8825)  # the test photo does carry a position
    prepared, problem = images.prepare(upload)
    assert problem is None
    assert (prepared.width, prepared.height) == (320, 640)  # turned by its orientation
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert not out.getexif() and "exif" not in out.info and "icc_profile" not in out.info
        assert "xmp" not in out.info
        top = out.convert("RGB").getpixel((160, 20))
    assert top[1] > 150 and top[0] < 100  # the green half is on top once upright
    assert b"PhoneMaker" not in prepared.data and b"Exif" not in prepared.data


def test_transparency_is_kept_only_where_there_is_some():
    clear, _ = images.prepare(encoded((100, 100), mode="RGBA", colour=(0, 0, 0, 0)))
    opaque, _ = images.prepare(encoded((100, 100), mode="RGBA", colour=(9, 9, 9, 255)))
    with Image.open(io.BytesIO(clear.data)) as out:
        assert out.mode == "RGBA"
    with Image.open(io.BytesIO(opaque.data)) as out:
        assert out.mode == "RGB"


def test_a_file_past_the_size_limit_is_refused_before_decoding():
    prepared, problem = images.prepare(b"\x89PNG" + b"0" * images.MAX_BYTES)
    assert prepared is None and problem.code == "M_TOO_BIG" and problem.params["max_mb"] == 8


@pytest.mark.parametrize(
    "data",
    [
        encoded((50, 50), fmt="GIF"),  # an image, not of an accepted format
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"not an image at all",
        b"",
        encoded((400, 400), fmt="PNG")[:200],  # truncated
    ],
    ids=["gif", "svg", "text", "empty", "truncated"],
)
def test_what_is_not_a_png_jpeg_or_webp_is_refused(data):
    prepared, problem = images.prepare(data, "file")
    assert prepared is None and problem.code == "M_NOT_AN_IMAGE" and problem.where == "file"


def test_a_small_file_declaring_a_huge_canvas_is_refused_without_decoding_it():
    bomb = encoded((7000, 6000), mode="1", colour=0)  # 42 megapixels in a few KB
    assert len(bomb) < 100_000
    prepared, problem = images.prepare(bomb)
    assert prepared is None and problem.code == "M_TOO_MANY_PIXELS" and problem.params["max"] == 36


def test_served_names_are_checked():
    digest = "a" * 64
    assert images.digest_of(f"{digest}.webp") == digest
    for name in [f"{digest}.png", f"{'g' * 64}.webp", "../etc/passwd", f"{digest[:10]}.webp"]:
        assert images.digest_of(name) is None


# --- in the document ---------------------------------------------------------------------------

DIGEST = "0123456789abcdef" * 4


def pictured():
    return doc(q("activite", "single_choice", choices=["sport", "musique"]))


def test_a_choice_image_travels_in_the_json_and_a_plain_choice_is_unchanged():
    plain = pictured()
    before = to_json(plain)
    assert "image" not in before  # documents without images keep their exact JSON
    document = image_store.set_choice_image(
        plain, "activite", "sport", DIGEST, (640, 480), {"fr": "Un ballon", "en": "A ball"}
    )
    again = from_json(to_json(document))
    choice = again.question("activite").choices[0]
    assert (choice.image, choice.image_width, choice.image_height) == (DIGEST, 640, 480)
    assert choice.image_alt == {"fr": "Un ballon", "en": "A ball"}
    assert again.question("activite").choices[1] == Choice("musique", L("Musique"))


def test_an_image_key_that_is_not_a_digest_is_refused_on_reading():
    text = to_json(
        image_store.set_choice_image(pictured(), "activite", "sport", DIGEST, (1, 1), L("x"))
    ).replace(DIGEST, "../../secret")
    with pytest.raises(ValueError) as refused:
        from_json(text)
    assert "J_WRONG_TYPE" in str(refused.value)


def test_an_image_needs_its_description_in_every_language_to_publish():
    document = image_store.set_choice_image(
        pictured(), "activite", "sport", DIGEST, (640, 480), {"fr": "Un ballon", "en": " "}
    )
    problems = validate(document)
    assert codes(problems) == ["Q_CHOICE_IMAGE_NO_ALT"]
    assert problems[0].params["value"] == "sport" and problems[0].params["lang"] == "en"


def test_editing_the_choices_keeps_their_images_and_removing_one_takes_it_away():
    document = image_store.set_choice_image(
        pictured(), "activite", "sport", DIGEST, (640, 480), L("Un ballon", "A ball")
    )
    # the plain text form: the label edited in place keeps its choice, and its image
    form = {"choices_text_fr": "Sport collectif\nMusique", "choices_text_en": "Team sport\nMusic"}
    edited = editing.question_from_form(document, "activite", form)
    assert edited.choices[0].value == "sport" and edited.choices[0].image == DIGEST
    # the advanced table rebuilds each choice from the form: the image stays with its value
    table = {"choices": "1", "choice_0_value": "sport", "choice_0_label_fr": "Sport",
             "choice_0_label_en": "Sport", "choice_1_value": "musique",
             "choice_1_label_fr": "Musique", "choice_1_label_en": "Music"}  # fmt: skip
    edited = editing.question_from_form(document, "activite", table)
    assert edited.choices[0].image == DIGEST and edited.choices[0].image_alt["en"] == "A ball"
    assert not edited.choices[1].image
    removed = image_store.remove_choice_image(document, "activite", "sport")
    assert removed.question("activite").choices[0] == Choice("sport", L("Sport"))
    with pytest.raises(KeyError):
        image_store.remove_choice_image(document, "activite", "theatre")


def test_a_truncated_file_is_refused_even_after_weasyprint_is_imported():
    import weasyprint  # noqa: F401  # it tells Pillow to pad truncated images, process-wide
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    prepared, problem = images.prepare(encoded((400, 400), fmt="PNG")[:200], "file")
    assert prepared is None and problem.code == "M_NOT_AN_IMAGE"
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as it was found
