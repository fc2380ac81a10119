"""Reading an uploaded questionnaire file (Consult JSON, XLSForm, or an XLSForm and its
images in a .zip) into a document.

Kept apart from the database code so that it loads in a few milliseconds in a child
process: the web app parses uploads there, with a time and memory limit
(``consult.web.plumbing.offload``), so a hostile file cannot hold a server thread.
"""

import io
import json
import zipfile
from pathlib import PurePath, PurePosixPath

from surveys.document import from_json
from surveys.images import MAX_BYTES
from surveys.limesurvey import import_lss
from surveys.limits import MAX_QUESTIONS, size_problems
from surveys.problems import Problem, ProblemsError
from surveys.validation import validate
from surveys.xlsform import import_xlsform
from surveys.xlsform_media import apply_images

# an XLSForm with its images (.zip): a workbook, at most a few hundred small pictures
BUNDLE_FILES = 500
BUNDLE_BYTES = 50 * 1024 * 1024
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def read_upload(
    data: bytes,
    filename: str,
    default_language: str = "fr",
    max_questions: int | None = MAX_QUESTIONS,
) -> tuple:
    """(document or None, problems, warnings, images) of an uploaded file: those of
    :func:`read_file`, and for an XLSForm the images of its choices (``surveys.images``
    ``Prepared``, to store), which a ``.zip`` holds beside its workbook."""
    media: dict[str, bytes] = {}
    if PurePath(filename).suffix.lower() == ".zip":
        try:
            data, filename, media = unpack_bundle(data)
        except ProblemsError as exc:
            return None, list(exc.problems), [], []
    document, problems, warnings = read_file(data, filename, default_language, max_questions)
    if document is None or PurePath(filename).suffix.lower() not in (".xlsx", ".xls"):
        return document, problems, warnings, []
    document, more, images = apply_images(document, data, media)
    return document, problems, warnings + more, images


def unpack_bundle(data: bytes) -> tuple[bytes, str, dict[str, bytes]]:
    """The workbook of a ``.zip`` (an XLSForm and its media files) and its image files by
    name, within size limits (a zip may unpack to far more than it weighs)."""
    try:
        bundle = zipfile.ZipFile(io.BytesIO(data))
        entries = [i for i in bundle.infolist() if not i.is_dir()
                   and not PurePosixPath(i.filename).name.startswith((".", "__MACOSX"))
                   and "__MACOSX" not in i.filename]  # fmt: skip
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ProblemsError([Problem("X_NOT_A_WORKBOOK", "file")]) from None
    books = [i for i in entries if i.filename.lower().endswith((".xlsx", ".xls"))]
    if len(books) != 1:
        raise ProblemsError([Problem("X_ZIP_WORKBOOKS", "file", count=len(books))])
    if len(entries) > BUNDLE_FILES:
        raise ProblemsError([Problem("X_NOT_A_WORKBOOK", "file")])
    if sum(i.file_size for i in entries) > BUNDLE_BYTES:
        raise ProblemsError([Problem("F_TOO_LARGE", "file", limit=BUNDLE_BYTES // 2**20)])
    media = {}
    try:
        workbook = bundle.read(books[0])
        for info in entries:
            if info.filename.lower().endswith(IMAGE_SUFFIXES):  # past the limit, refused
                with bundle.open(info) as image:  # by its size without reading it all
                    media[PurePosixPath(info.filename).name] = image.read(MAX_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise ProblemsError([Problem("X_NOT_A_WORKBOOK", "file")]) from None
    return workbook, PurePosixPath(books[0].filename).name, media


def read_file(
    data: bytes,
    filename: str,
    default_language: str = "fr",
    max_questions: int | None = MAX_QUESTIONS,
) -> tuple:
    """(document or None, problems, warnings) of an uploaded ``.json``, ``.xlsx``, ``.xls``
    or LimeSurvey ``.lss``.

    A document comes back only when it has no problem at all, and holds at most
    ``max_questions`` questions."""
    if PurePath(filename).suffix.lower() == ".json":
        try:
            document = from_json(_without_nul(data))
        except ProblemsError as exc:
            return None, list(exc.problems), []
        problems = size_problems(document, max_questions) or validate(document)
        return (None if problems else document), problems, []
    if PurePath(filename).suffix.lower() == ".lss":
        result = import_lss(data)
    else:
        result = import_xlsform(data, default_language=default_language)
    if result.document is not None and (too_many := size_problems(result.document, max_questions)):
        return None, too_many, []
    return result.document, result.problems, result.warnings


def _without_nul(data: bytes) -> bytes:
    """The JSON without NUL characters (meaningless in a label, refused by PostgreSQL);
    a file that is not JSON is left for ``from_json`` to report."""

    def clean(value):
        if isinstance(value, str):
            return value.replace("\x00", "")
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        return value

    try:
        return json.dumps(clean(json.loads(data))).encode()
    except (ValueError, RecursionError):  # from_json says what is wrong
        return data
