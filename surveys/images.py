"""Choice images: what an upload must be, and the small file respondents download.

An upload is trusted only once decoded: PNG, JPEG or WebP, at most ``MAX_BYTES`` and
``MAX_PIXELS`` (a small file may declare a huge canvas). It is re-encoded as a WebP of at
most ``MAX_SIDE`` pixels a side, turned upright by its EXIF orientation and written from bare
pixels, so no metadata (EXIF, GPS location, camera, XMP, colour profile) leaves with it. The
file is named by its SHA-256: the same picture uploaded twice is stored once, and its address
never changes, so browsers may keep it a year.

Only Pillow and the standard library here: the web app runs :func:`prepare` in a child process
with a deadline and a memory ceiling (``consult.web.plumbing.offload``), which imports this
module alone.
"""

import hashlib
import io
import warnings
from typing import NamedTuple

from PIL import Image, ImageFile, ImageOps

from surveys.problems import Problem

FORMATS = ("PNG", "JPEG", "WEBP")
MAX_BYTES = (
    8 * 1024 * 1024
)  # a phone photo as taken (re-encoded to ~60 KB); under the 10 MB body limit
MAX_PIXELS = 36_000_000  # 6,000 × 6,000: any phone photo, not a decompression bomb
# A tile is ~170 CSS pixels wide on a 390 px phone, so 3× screens want ~510: 640 is enough.
MAX_SIDE = 640
# Quality steps down until the file is at most TARGET_BYTES (most pictures: the first one).
QUALITIES = (72, 60, 45, 30)
TARGET_BYTES = 60 * 1024
MEDIA_TYPE = "image/webp"
SUFFIX = ".webp"


class Prepared(NamedTuple):
    data: bytes
    width: int
    height: int
    digest: str

    @property
    def name(self) -> str:
        return self.digest + SUFFIX


def prepare(data: bytes, where: str = "file") -> tuple[Prepared | None, Problem | None]:
    """The re-encoded picture of an upload, or the problem that refuses it (``where``: the
    form field, for the message)."""
    if len(data) > MAX_BYTES:
        return None, Problem("M_TOO_BIG", where, max_mb=MAX_BYTES // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return None, Problem("M_TOO_MANY_PIXELS", where, max=MAX_PIXELS // 1_000_000)
    except (OSError, ValueError, SyntaxError):  # not an image of an accepted format
        return None, Problem("M_NOT_AN_IMAGE", where)
    width, height = image.size
    if width * height > MAX_PIXELS:
        return None, Problem("M_TOO_MANY_PIXELS", where, max=MAX_PIXELS // 1_000_000)
    try:
        if image.format == "JPEG":  # decode at a reduced scale: less memory, less time
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        _load_whole(image)
        image = ImageOps.exif_transpose(image)
        image = _pixels(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):  # truncated
        return None, Problem("M_NOT_AN_IMAGE", where)
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    encoded = b""
    for quality in QUALITIES:
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=quality, method=4)
        encoded = buffer.getvalue()
        if len(encoded) <= TARGET_BYTES:
            break
    digest = hashlib.sha256(encoded).hexdigest()
    return Prepared(encoded, image.width, image.height, digest), None


def _pixels(image: Image.Image) -> Image.Image:
    """The picture's pixels alone, in RGB (RGBA when it has real transparency): a new image
    holds no ``info``, so nothing of the upload's metadata can be written out again."""
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if transparent else "RGB"
    converted = image.convert(mode)
    if mode == "RGBA" and converted.getextrema()[3][0] == 255:  # opaque after all
        converted, mode = converted.convert("RGB"), "RGB"
    return Image.frombytes(mode, converted.size, converted.tobytes())


def file_name(digest: str) -> str:
    return digest + SUFFIX


def digest_of(name: str) -> str | None:
    """The digest a served file name holds (``<64 hex>.webp``), or None."""
    stem, _, suffix = name.partition(".")
    if f".{suffix}" != SUFFIX or len(stem) != 64:
        return None
    if any(c not in "0123456789abcdef" for c in stem):
        return None
    return stem


def _load_whole(image: Image.Image) -> None:
    """Decode every pixel, refusing a truncated file even where WeasyPrint, once imported,
    has told Pillow to pad truncated images for the whole process (uploads are decoded in a
    child process of their own, where it is not imported; tests share one)."""
    padding = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = padding
