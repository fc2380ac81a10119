"""Spreadsheets read by their content, never by what they declare.

openpyxl trusts a sheet's ``<dimension>``: a 5 KB file declaring ``A1:XFD1048576`` makes an
ordinary read walk ~10^10 cells. Every workbook upload (XLSForm, response import) goes through
:func:`read_workbook`: read-only mode with the declared dimension dropped, only the rows the
file really holds, trailing empty rows and columns trimmed, and caps on rows, columns, cells
and uncompressed size. Past a cap the answer is a coded problem, never a long wait.
"""

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from surveys.problems import Problem, ProblemsError

MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
MAX_CELLS = 5_000_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS


@dataclass
class Sheet:
    """A sheet as text: ``rows[i]`` is spreadsheet row ``i + 1``, trailing blanks trimmed."""

    name: str
    rows: list[list[str]]

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []

    def records(self) -> list[tuple[int, dict[str, str]]]:
        """(row number, {header: text}) for each non-empty row below the header."""
        header = self.header
        out = []
        for number, cells in enumerate(self.rows[1:], start=2):
            values = {h: v for h, v in zip(header, cells, strict=False) if h and v}
            if values:
                out.append((number, values))
        return out


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\u00a0", " ").strip()


def _fail(code: str, sheet: str = "", **params: Any) -> ProblemsError:
    return ProblemsError([Problem(code, sheet or "file", sheet=sheet, **params)])


class _Counter:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cells = 0

    def rows_of(self, name: str, grid: Any) -> list[list[str]]:
        """Dense text rows from sparse ones: ``grid`` yields (row number, {column: value})."""
        limits = self.limits
        rows: list[list[str]] = []
        for index, sparse in grid:
            texts = {c: t for c, v in sparse.items() if (t := cell_text(v))}
            if not texts:
                continue
            if index > limits.rows:
                raise _fail("F_TOO_MANY_ROWS", name, limit=limits.rows)
            width = max(texts)
            if width > limits.columns:
                raise _fail("F_TOO_MANY_COLUMNS", name, limit=limits.columns)
            self.cells += width + index - len(rows)
            if self.cells > limits.cells:
                raise _fail("F_TOO_MANY_CELLS", name, limit=limits.cells)
            rows.extend([] for _ in range(index - 1 - len(rows)))
            rows.append([texts.get(c, "") for c in range(1, width + 1)])
        return rows


def _sparse_rows(ws: Any) -> Any:
    """(row number, {column: value}) straight from the sheet's XML, only the rows it has.

    openpyxl's own iterators fill every row and column up to the declared dimension."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for index, cells in parser.parse():
            yield index, {cell["column"]: cell["value"] for cell in cells}


def _xlsx(data: bytes, limits: Limits) -> list[Sheet]:
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED:
            raise _fail("F_TOO_LARGE", limit=MAX_UNCOMPRESSED // (1024 * 1024))
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ProblemsError:
        raise
    except Exception:  # a damaged archive raises whatever zipfile/lxml raise
        raise _fail("X_NOT_A_WORKBOOK") from None
    counter = _Counter(limits)
    sheets = []
    try:
        for ws in book.worksheets:
            sheets.append(Sheet(ws.title, counter.rows_of(ws.title, _sparse_rows(ws))))
    except ProblemsError:
        raise
    except Exception:
        raise _fail("X_NOT_A_WORKBOOK") from None
    finally:
        book.close()
    return sheets


def _xls(data: bytes, limits: Limits) -> list[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception:
        raise _fail("X_NOT_A_WORKBOOK") from None
    counter = _Counter(limits)
    return [
        Sheet(sh.name, counter.rows_of(sh.name, _dense(sh.row_values(i) for i in range(sh.nrows))))
        for sh in book.sheets()
    ]


def _dense(rows: Any) -> Any:
    for index, row in enumerate(rows, start=1):
        yield index, {column: value for column, value in enumerate(row, start=1)}


def read_workbook(data: bytes, limits: Limits = Limits()) -> list[Sheet]:
    """The sheets of an ``.xlsx`` or ``.xls`` file; ProblemsError (X_NOT_A_WORKBOOK, F_*)."""
    if data[:2] == b"PK":
        return _xlsx(data, limits)
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return _xls(data, limits)
    raise _fail("X_NOT_A_WORKBOOK")


def read_csv(data: bytes, limits: Limits = Limits()) -> Sheet:
    """A CSV file (UTF-8 with or without BOM, else Latin-1; `,` `;` or tab) as one sheet."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text[:4096].splitlines()[0] if text else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return Sheet("csv", _Counter(limits).rows_of("csv", _dense(reader)))
    except csv.Error:
        raise _fail("F_NOT_CSV") from None


def read_table(data: bytes, filename: str, limits: Limits = Limits()) -> Sheet:
    """The first sheet of a workbook, or a CSV file."""
    if filename.lower().endswith((".xlsx", ".xls")) or data[:2] == b"PK":
        sheets = read_workbook(data, limits)
        if not sheets:
            raise _fail("X_NOT_A_WORKBOOK")
        return sheets[0]
    return read_csv(data, limits)
