"""The safe workbook reader: content, not declared dimension; caps give coded problems."""

import io
import re
import time
import zipfile

import openpyxl
import pytest

from surveys.problems import ProblemsError, codes
from surveys.workbooks import Limits, read_csv, read_workbook


def workbook(rows, title="survey") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def declaring(data: bytes, dimension: str, extra_cell: str = "") -> bytes:
    """The same workbook whose first sheet declares another dimension (and maybe a far cell)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text)
                if extra_cell:
                    text = text.replace("</sheetData>", extra_cell + "</sheetData>")
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def test_a_sheet_declaring_a_million_rows_and_every_column_is_read_by_its_content_fast():
    data = declaring(workbook([["type", "name"], ["text", "town"]]), "A1:XFD1048576")
    assert len(data) < 10_000
    started = time.perf_counter()
    sheets = read_workbook(data)
    assert time.perf_counter() - started < 1
    assert sheets[0].rows == [["type", "name"], ["text", "town"]]


def test_trailing_empty_rows_and_columns_are_trimmed():
    data = workbook([["type", "name", None], ["text", "town", None], [None, None], [None]])
    assert read_workbook(data)[0].rows == [["type", "name"], ["text", "town"]]


def test_content_far_away_is_a_coded_problem_not_a_long_walk():
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    data = declaring(workbook([["type", "name"]]), "A1:XFD1048576", far)
    started = time.perf_counter()
    with pytest.raises(ProblemsError) as caught:
        read_workbook(data)
    assert time.perf_counter() - started < 1
    assert codes(caught.value.problems) == ["F_TOO_MANY_ROWS"]
    assert caught.value.problems[0].params["sheet"] == "survey"


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        (Limits(rows=3), "F_TOO_MANY_ROWS"),
        (Limits(columns=2), "F_TOO_MANY_COLUMNS"),
        (Limits(cells=10), "F_TOO_MANY_CELLS"),
    ],
)
def test_caps_give_coded_problems(limits, code):
    data = workbook([["a", "b", "c"]] + [[1, 2, 3]] * 5)
    with pytest.raises(ProblemsError) as caught:
        read_workbook(data, limits)
    assert codes(caught.value.problems) == [code]


def test_not_a_workbook():
    for data in (b"hello", b"PK\x03\x04broken"):
        with pytest.raises(ProblemsError) as caught:
            read_workbook(data)
        assert codes(caught.value.problems) == ["X_NOT_A_WORKBOOK"]


def test_csv_with_semicolons_and_a_bom():
    sheet = read_csv("\ufeffâge;ville\n17;Thionville\n".encode())
    assert sheet.rows == [["âge", "ville"], ["17", "Thionville"]]
    assert sheet.records() == [(2, {"âge": "17", "ville": "Thionville"})]
