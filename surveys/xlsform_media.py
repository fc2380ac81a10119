"""The ``image`` column of an XLSForm's choices: images of choices out and in.

XLSForm names a choice's picture by file name in ``image`` (or ``media::image``, optionally
per language); the files travel beside the workbook (ODK's ``<form>-media`` folder).

Out: ``image`` names each picture's file (``export_name``) and ``bundle`` zips the workbook
with the files. In: a ``.zip`` of a workbook and its images; a named file found there becomes
the choice's image (decoded and re-encoded, ``surveys.images``); a named file missing, or
refused, gives a warning on its row of the choices sheet. Descriptions (alternative text)
travel in ``consult_alt_<language>`` columns, our dialect; one missing is not made up from the
label (a screen reader would read the label twice): the editor asks for it before publishing.

Read from the sheets themselves, apart from ``surveys.xlsform``: the choices sheet says which
list and value a file belongs to, the survey sheet's types which questions use that list.
"""

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import PurePosixPath
from typing import NamedTuple

from surveys.document import Choice, Document, Labels
from surveys.editing import replace_question
from surveys.images import SUFFIX, Prepared, prepare
from surveys.problems import Problem, ProblemsError
from surveys.workbooks import Limits, Sheet, read_workbook

IMAGE_COLUMN = re.compile(r"^(media\s*::\s*)?image(\s*::.*)?$", re.IGNORECASE)
ALT_PREFIX = "consult_alt_"
_SELECT = re.compile(r"^\s*(select_one|select one|select_multiple|select all that apply|rank)"
                     r"\s+(\S+)", re.IGNORECASE)  # fmt: skip
LIMITS = Limits(rows=20_000, columns=300, cells=1_000_000)


class ImageRow(NamedTuple):
    row: int
    column: str
    list_name: str
    value: str
    file: str
    alt: Labels


def _sheet(sheets: list[Sheet], name: str) -> Sheet | None:
    return next((s for s in sheets if s.name.strip().lower() == name), None)


def image_rows(sheets: list[Sheet]) -> list[ImageRow]:
    """Rows of the choices sheet that name an image."""
    choices = _sheet(sheets, "choices")
    if choices is None:
        return []
    header = choices.header
    lower = {h.strip().lower(): h for h in header if h}
    columns = [h for h in header if h and IMAGE_COLUMN.match(h.strip())]
    alts = {h.strip().lower()[len(ALT_PREFIX) :]: h for h in header
            if h and h.strip().lower().startswith(ALT_PREFIX)}  # fmt: skip
    out = []
    for number, values in choices.records():
        named = next(((c, values[c].strip()) for c in columns if values.get(c, "").strip()), None)
        if named is None:
            continue
        alt = {lang: values[h].strip() for lang, h in alts.items() if values.get(h, "").strip()}
        list_name = values.get(lower.get("list_name", "list_name"), "").strip()
        value = values.get(lower.get("name", "name"), "").strip()
        out.append(ImageRow(number, named[0], list_name, value, named[1], alt))
    return out


def lists_used(sheets: list[Sheet]) -> dict[str, list[str]]:
    """Question names by the choice list they use (from the survey sheet's types)."""
    survey = _sheet(sheets, "survey")
    if survey is None:
        return {}
    lower = {h.strip().lower(): h for h in survey.header if h}
    type_h, name_h = lower.get("type", "type"), lower.get("name", "name")
    used: dict[str, list[str]] = {}
    for _, values in survey.records():
        found = _SELECT.match(values.get(type_h, ""))
        if found and values.get(name_h):
            used.setdefault(found[2], []).append(values[name_h].strip())
    return used


def apply_images(
    document: Document, workbook: bytes, media: Mapping[str, bytes]
) -> tuple[Document, list[Problem], list[Prepared]]:
    """The document with the images of its choices found in ``media`` (by file name), the
    warnings of the rows whose file is missing or refused, and the images to store."""
    try:
        sheets = read_workbook(workbook, LIMITS)
    except ProblemsError:  # the import has already said what is wrong with the workbook
        return document, [], []
    rows = image_rows(sheets)
    if not rows:
        return document, [], []
    used = lists_used(sheets)
    by_name = {PurePosixPath(name).name.lower(): data for name, data in media.items()}
    warnings: list[Problem] = []
    prepared: dict[str, Prepared] = {}
    for row in rows:
        where = dict(sheet="choices", row=row.row, column=row.column, value=row.value)
        data = by_name.get(PurePosixPath(row.file.replace("\\", "/")).name.lower())
        if data is None:
            warnings.append(Problem("W_CHOICE_IMAGE_MISSING", _at(row), file=row.file, **where))
            continue
        image, problem = prepare(data, _at(row))
        if problem is not None:
            warnings.append(Problem(problem.code, _at(row), **problem.params, **where))
            continue
        prepared[image.digest] = image
        for name in used.get(row.list_name, []):
            if document.has_question(name):
                document = _with_image(document, name, row, image)
    return document, warnings, list(prepared.values())


def _at(row: ImageRow) -> str:
    return f"choices row {row.row}, column {row.column}"


def _with_image(document: Document, name: str, row: ImageRow, image: Prepared) -> Document:
    question = document.question(name)
    choices = []
    for choice in question.choices:
        if choice.value == row.value:  # a description missing is for the editor to ask
            alt = {lang: row.alt[lang] for lang in document.languages if row.alt.get(lang)}
            choice = replace(
                choice, image=image.digest, image_width=image.width, image_height=image.height,
                image_alt=alt,
            )  # fmt: skip
        choices.append(choice)
    return replace_question(document, name, replace(question, choices=tuple(choices)))


# --- out: the image column, and the workbook with its images in a .zip ---------------------


def image_columns(choice: Choice) -> dict[str, str]:
    """The choices sheet's cells of a choice's image: its file name and descriptions."""
    if not choice.image:
        return {}
    alt = {f"{ALT_PREFIX}{lang}": text for lang, text in choice.image_alt.items()}
    return {"image": export_name(choice.image), **alt}


def export_name(digest: str) -> str:
    """An image's file name beside an exported XLSForm (short, one per picture)."""
    return digest[:16] + SUFFIX


def bundle(workbook: bytes, stem: str, files: Mapping[str, bytes]) -> bytes:
    """A .zip of the workbook and, in ODK's ``<form>-media`` folder, the images it names
    (``files``: bytes by digest); ``apply_images`` reads it back."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(f"{stem}.xlsx", workbook)
        for digest, data in sorted(files.items()):
            out.writestr(f"{stem}-media/{export_name(digest)}", data, zipfile.ZIP_STORED)
    return buffer.getvalue()
