"""Functions a test runs through consult.web.plumbing.offload (the fork server imports them by name),
and the hostile files of the upload tests."""

import io
import time
import zipfile

from tests.surveys.helpers import xlsx


def sleep_then_answer(seconds: float) -> str:
    time.sleep(seconds)
    return "done"


def allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def fail() -> None:
    raise LookupError("raised in the child")


def declared_dimension_xlsx() -> bytes:
    """An XLSForm of a few KB whose sheets declare the whole grid, A1:XFD1048576, with one
    cell in the very last row: a reader that trusts the dimension walks ~10^10 cells."""
    workbook = xlsx(
        survey=[["type", "name", "label"], ["text", "nom", "Nom"]],
        choices=[["list_name", "name", "label"]],
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                start = content.index(b"<dimension ")
                end = content.index(b"/>", start) + 2
                content = content[:start] + b'<dimension ref="A1:XFD1048576"/>' + content[end:]
                last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                content = content.replace(b"</sheetData>", last + b"</sheetData>")
            target.writestr(item, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def many_questions_xlsx(count: int) -> bytes:
    rows = [["type", "name", "label"]] + [["text", f"q{i}", f"Question {i}"] for i in range(count)]
    return xlsx(survey=rows)


def record_pid_and_sleep(path: str) -> None:
    import os
    from pathlib import Path

    Path(path).write_text(str(os.getpid()))
    time.sleep(60)
