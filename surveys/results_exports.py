"""Results as files: responses (CSV, XLSX, Parquet) for the commission, and summaries (XLSX),
for the commission or public.

Responses are never exported in public form: one row per respondent, even with rare values
blanked, names young people by their age, gender and neighbourhood. The public summaries go
through :mod:`analysis.disclosure` over the whole fieldwork (filters ignored).
Formula-like text is neutralised by ``analysis.exports``.
"""

import csv
import io
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from analysis.exports import (
    neutralise,
    responses_to_csv,
    responses_to_dta,
    responses_to_parquet,
    responses_to_sav,
    responses_to_xlsx,
    summaries_to_xlsx,
    with_labels,
)
from surveys.channels import channel_name
from surveys.results import (
    Filtered,
    ResultsData,
    Table,
    crosstab_view,
    filter_results,
    filter_text,
    gettext_for,
    public_summaries,
    summaries_of,
)

ExportFormat = Literal["csv", "xlsx", "parquet", "sav", "dta"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet", "sav", "dta")
MEDIA_TYPES = {
    "sav": "application/x-spss-sav",
    "dta": "application/x-stata-dta",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    media_type: str


def export_responses(
    data: ResultsData,
    fmt: str,
    *,
    separator: str = ",",
    weights: pd.Series | None = None,
    labels: bool = False,
    applied: Filtered | None = None,
) -> ExportFile:
    """One row per complete response, one column per variable (multi-choice as indicator
    columns), for the commission only; with ``weights``, a last ``weight`` column.
    ``labels``: CSV and XLSX show the choices' labels instead of their codes. SPSS and Stata
    files carry both (coded values, labelled). With ``applied``, only the responses of that
    filtered view, the filter named in the file (the CSV's first line, the workbook's first
    sheet, the SPSS or Stata file label)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    applied = applied if applied is not None else filter_results(data, {})
    stated = filter_text(data, applied)
    frame = applied.frame
    if weights is not None:
        frame = frame.assign(weight=weights.reindex(frame.index).to_numpy())
    title = stated or data.campaign.slug  # SPSS and Stata name the filter in the file label
    if fmt == "sav":
        content = responses_to_sav(frame, data.codebook, title)
    elif fmt == "dta":
        content = responses_to_dta(frame, data.codebook, title)
    elif labels and fmt in ("csv", "xlsx"):
        frame = _channels_named(with_labels(frame, data.codebook), data.lang)
    if fmt in ("sav", "dta"):
        pass
    elif fmt == "csv":
        content = responses_to_csv(frame, separator=separator)
        if stated:
            content = _first_line(content, stated)
    elif fmt == "xlsx":
        summaries = summaries_of(data, applied)
        content = responses_to_xlsx(frame, data.codebook, summaries, data.lang)
        if stated:
            content = _filter_sheet(content, stated, data.lang)
    else:
        content = responses_to_parquet(frame, data.codebook)
    suffix = "-filtered" if stated else ""
    return ExportFile(content, f"{data.campaign.slug}{suffix}.{fmt}", MEDIA_TYPES[fmt])


def _channels_named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The channel column in words (« Papier », « Borne »), for people to read."""
    if "channel" not in frame.columns:
        return frame
    gettext = gettext_for(lang)
    named = frame["channel"].map(lambda code: channel_name(code, gettext), na_action="ignore")
    return frame.assign(channel=named)


def export_summaries(data: ResultsData, applied: Filtered, *, k: int | None = None) -> ExportFile:
    """The summaries of the filtered rows; with ``k``, the public ones: whole fieldwork only
    (``applied`` is ignored, so that two public files cannot be subtracted)."""
    summaries = summaries_of(data, applied) if k is None else public_summaries(data, k)
    content = summaries_to_xlsx(summaries, data.lang)
    stated = filter_text(data, applied) if k is None else ""  # public: no filter applies
    if stated:
        content = _filter_line(content, stated)
    suffix = ("-public" if k is not None else "") + ("-filtered" if stated else "")
    return ExportFile(content, f"{data.campaign.slug}-summaries{suffix}.xlsx", MEDIA_TYPES["xlsx"])


def _first_line(content: bytes, stated: str) -> bytes:
    """The filter as the file's first line (after the byte-order mark), before the header."""
    bom = "\ufeff".encode()
    body = content[len(bom) :] if content.startswith(bom) else content
    quoted = '"' + neutralise(stated).replace('"', '""') + '"'
    return bom + (quoted + "\n").encode("utf-8") + body


def _filter_line(content: bytes, stated: str) -> bytes:
    """The filter as the first line of the workbook's (only) sheet, above the summaries."""
    from openpyxl import load_workbook  # on use: only spreadsheets need it

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    sheet.insert_rows(1, amount=2)
    sheet["A1"] = neutralise(stated)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filter_sheet(content: bytes, stated: str, lang: str) -> bytes:
    """A first sheet saying which responses the workbook holds."""
    from openpyxl import load_workbook  # on use: only spreadsheets need it

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.create_sheet(gettext_for(lang)("Filter")[:31], 0)
    sheet.append([neutralise(stated)])
    sheet.column_dimensions["A"].width = 80
    workbook.active = 0
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_crosstab(
    data: ResultsData,
    applied: Filtered,
    row: str,
    column: str,
    fmt: str,
    *,
    separator: str = ",",
) -> ExportFile:
    """The cross-tab of a view as a small file: its title, the filter it was built with, the
    number of respondents, then the counts and the shares of each row."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError("format must be csv or xlsx")
    view = crosstab_view(data, applied, row, column)
    _ = gettext_for(data.lang)
    lines: list[list[str]] = [[f"{view.table.column.label} × {view.table.row.label}"]]
    stated = filter_text(data, applied)
    if stated:
        lines.append([stated])
    lines.append([_("Respondents who answered both questions: %(n)s") % {"n": view.table.n}])
    for table in (view.counts, view.row_shares):
        lines += [[], *_table_lines(table)]
    safe = [[neutralise(cell) for cell in line] for line in lines]
    name = f"{data.campaign.slug}-{row}-{column}{'-filtered' if stated else ''}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=separator, lineterminator="\n").writerows(safe)
        return ExportFile(("\ufeff" + buffer.getvalue()).encode("utf-8"), name, MEDIA_TYPES["csv"])
    from openpyxl import Workbook  # on use: only spreadsheets need it

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cross-tabulation")[:31]
    for line in safe:
        sheet.append(line)
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ExportFile(buffer.getvalue(), name, MEDIA_TYPES["xlsx"])


def _table_lines(table: Table) -> list[list[str]]:
    return [[table.caption], list(table.headers), *[list(r) for r in table.rows]]
