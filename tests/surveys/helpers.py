"""Short literal questionnaires and XLSForm workbooks written from markdown tables."""

import io
from typing import Any

from surveys.document import Choice, Document, Question, Row, Section


def L(fr: str, en: str | None = None) -> dict[str, str]:
    return {"fr": fr, "en": en if en is not None else fr}


def choices(*values: str) -> tuple[Choice, ...]:
    return tuple(Choice(v, L(v.capitalize())) for v in values)


def q(name: str, type: str, **kw: Any) -> Question:
    kw.setdefault("label", L(name))
    if (
        isinstance(kw.get("choices"), list | tuple)
        and kw["choices"]
        and isinstance(kw["choices"][0], str)
    ):
        kw["choices"] = choices(*kw["choices"])
    if "rows" in kw:
        kw["rows"] = tuple(Row(r, L(r)) for r in kw["rows"])
    return Question(name=name, type=type, **kw)


def doc(
    *questions: Question, sections: list[Section] | None = None, languages=("fr", "en")
) -> Document:
    if sections is None:
        sections = [Section(name="main", title=L("Principale", "Main"), questions=tuple(questions))]
    return Document(title=L("Essai", "Test"), languages=tuple(languages), sections=tuple(sections))


def table(markdown: str) -> list[list[str]]:
    """A pyxform-style markdown table: first row is the header, `|` separates cells."""
    rows = []
    for line in markdown.strip().splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows.append(cells)
    return rows


def xlsx(**sheets: str | list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, content in sheets.items():
        ws = book.create_sheet(name)
        for row in table(content) if isinstance(content, str) else content:
            ws.append([c if c != "" else None for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xls(**sheets: str) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    for name, content in sheets.items():
        ws = book.add_sheet(name)
        for r, row in enumerate(table(content)):
            for c, value in enumerate(row):
                if value != "":
                    ws.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
