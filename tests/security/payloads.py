"""The injection corpus, and the checks that a page, a chart, a PDF or a spreadsheet shows it
only as text."""

import csv
import io
import subprocess

import openpyxl
from lxml import etree

from tests.web.conftest import html

SCRIPT = "<script>alert(1)</script>"
# One value, every trick: a formula start, HTML and attribute breakers, a template expression,
# a closing textarea, right-to-left override, zero-width joiner, stacked combining marks.
PAYLOAD = (
    '=HYPERLINK("http://x","clic") '
    f"{SCRIPT} \"><img src=x onerror=alert(1)> ' onmouseover='alert(1) javascript:alert(1) "
    "{{7*7}} </textarea><svg onload=alert(1)> \u202eRTL\u202c ze\u200dro e\u0301\u0301"
)
FORMULAS = ('=HYPERLINK("http://x","clic")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1+1")
LONG = "long " * 400
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RAW = ("<script>alert", "<img src=x", "<svg onload", "onmouseover='alert")
LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "hx-get", "hx-post", "data")


def assert_inert(markup: str, where: str) -> None:
    """The payload is on the page as text, and nothing of it became an element or attribute."""
    page = assert_escaped(markup, where)
    assert SCRIPT in page.get_text(), f"{where}: the payload is not shown at all"


def assert_escaped(markup: str, where: str):
    """Nothing typed became an element or an attribute (the text may be cut up, as in a
    word cloud)."""
    for raw in RAW:
        assert raw not in markup, f"{where}: {raw!r} reached the page unescaped"
    page = html_of(markup)
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), f"{where}: <{element.name} {name}>"
            if name in LINK_ATTRIBUTES:
                assert not str(value).strip().lower().startswith("javascript:"), (
                    f"{where}: <{element.name} {name}={value!r}>"
                )
        if element.name == "script":
            assert element.get("src", "").startswith("/static/"), f"{where}: inline script"
            assert not element.get_text().strip(), f"{where}: inline script"
    return page


def html_of(markup: str):
    class Page:  # the `html` helper takes a response
        text = markup

    return html(Page)


def assert_inert_svg(content: bytes, where: str, shown: str = SCRIPT) -> None:
    root = etree.fromstring(content)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element).localname
        assert tag not in ("script", "foreignObject"), f"{where}: <{tag}>"
        assert not any(a.lower().startswith("on") for a in element.attrib), f"{where}: <{tag}>"
    assert shown in "".join(root.itertext()), f"{where}: the label is not in the chart"


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def csv_cells(content: bytes, delimiter: str = ",") -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def xlsx_cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(cells: list[str], where: str) -> None:
    """No text cell starts the way a formula does (numbers stay numbers), and the payload is
    there, shown after an apostrophe."""
    assert any(c.startswith("'=HYPERLINK") for c in cells), f"{where}: no neutralised payload"
    risky = [c for c in cells if c.startswith(FORMULA_STARTS) and not _number(c)]
    assert not risky, f"{where}: {risky[:3]}"


def _number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def assert_no_formula_cell(content: bytes, where: str) -> None:
    cells = xlsx_cells(content)
    formulas = [f"{c.parent.title}!{c.coordinate}={c.value!r}" for c in cells if c.data_type == "f"]
    assert not formulas, f"{where}: formula cells {formulas[:5]}"
    assert any(isinstance(c.value, str) and "HYPERLINK" in c.value for c in cells), where
