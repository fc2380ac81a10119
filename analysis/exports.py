"""Responses and summaries as files people open elsewhere: CSV, XLSX, Parquet (all bytes).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some strip first) as a formula: an answer typed as ``=HYPERLINK(...)``
would run on the commission's computer. CSV and XLSX exports therefore prefix such *text*
cells with ``'``; numbers, negative ones included, stay numbers. Parquet is read by programs,
not spreadsheets, and keeps values as they are.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from analysis.codebook import Codebook, describe_codebook
from analysis.i18n import N_, gettext_for
from analysis.summaries import Summary, summary_table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_RESPONSES = N_("Responses")
SHEET_CODEBOOK = N_("Codebook")
SHEET_SUMMARIES = N_("Summaries")
BOM = "\ufeff"


def neutralise(value: object) -> object:
    """``'=1+1`` for the text ``=1+1``; anything that is not text is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text that :func:`neutralise` protected, for a file read back in."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where every text cell that a spreadsheet would run is neutralised."""
    frame = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            frame[column] = series.cat.rename_categories(
                [neutralise(str(c)) for c in series.cat.categories]
            )
        elif pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
            risky = series.astype("string").str.startswith(FORMULA_STARTS).fillna(False)
            if risky.any():
                frame[column] = series.where(~risky.to_numpy(), "'" + series.astype("string"))
    frame.columns = [neutralise(str(c)) for c in frame.columns]
    return frame


def responses_to_csv(frame: pd.DataFrame, *, separator: str = ",") -> bytes:
    """UTF-8 with a byte-order mark (so Excel detects the encoding). With ``separator=";"``,
    as French Excel expects, decimals are written with a comma. Multi-choice indicators are
    written ``True``/``False``, dates in ISO 8601, missing values empty."""
    if separator not in (",", ";"):
        raise ValueError("separator must be ',' or ';'")
    decimal = "," if separator == ";" else "."
    text = neutralise_frame(frame).to_csv(
        index=False, sep=separator, decimal=decimal, date_format="%Y-%m-%dT%H:%M:%S"
    )
    return (BOM + text).encode("utf-8")


def responses_to_xlsx(
    frame: pd.DataFrame,
    codebook: Codebook,
    summaries: Sequence[Summary] = (),
    lang: str = "fr",
) -> bytes:
    """A workbook with the sheets responses (one column per frame column, headed by its
    name), codebook (names, labels, categories) and, when given, summaries."""
    _ = gettext_for(lang)
    workbook = Workbook()
    _write_sheet(workbook.active, _(SHEET_RESPONSES), _for_excel(frame))
    _write_sheet(
        workbook.create_sheet(), _(SHEET_CODEBOOK), _for_excel(describe_codebook(codebook))
    )
    if summaries:
        _write_summaries(workbook.create_sheet(), _(SHEET_SUMMARIES), summaries, lang)
    return _workbook_bytes(workbook)


def summaries_to_xlsx(summaries: Sequence[Summary], lang: str = "fr") -> bytes:
    """One sheet of summaries, one block per variable (its label, then its table)."""
    _ = gettext_for(lang)
    workbook = Workbook()
    _write_summaries(workbook.active, _(SHEET_SUMMARIES), summaries, lang)
    return _workbook_bytes(workbook)


def responses_to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet keeps every dtype of the frame contract (categories in order, nullable
    booleans, datetimes), so a program reading it back gets the same frame."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def _for_excel(frame: pd.DataFrame) -> pd.DataFrame:
    frame = neutralise_frame(frame)
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            # Excel has no time zones: local wall-clock time of the stored zone.
            frame[column] = series.dt.tz_localize(None)
    return frame


def _cell(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _write_sheet(sheet, title: str, frame: pd.DataFrame) -> None:
    sheet.title = title[:31]
    sheet.append([str(c) for c in frame.columns])
    for row in frame.astype(object).itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in row])
    _fit_columns(sheet, frame)
    sheet.freeze_panes = "A2"


def _fit_columns(sheet, frame: pd.DataFrame) -> None:
    for i, column in enumerate(frame.columns, start=1):
        width = min(max(len(str(column)), 8) + 2, 50)
        sheet.column_dimensions[get_column_letter(i)].width = width


def _write_summaries(sheet, title: str, summaries: Sequence[Summary], lang: str) -> None:
    sheet.title = title[:31]
    for summary in summaries:
        sheet.append([neutralise(summary.variable.label), summary.variable.name])
        table = neutralise_frame(summary_table(summary, lang))
        sheet.append([str(c) for c in table.columns])
        for row in table.astype(object).itertuples(index=False, name=None):
            sheet.append([_cell(v) for v in row])
        sheet.append([])
    sheet.column_dimensions["A"].width = 40


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
