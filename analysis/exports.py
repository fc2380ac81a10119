"""Responses and summaries as files people open elsewhere: CSV, XLSX, Parquet (all bytes).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return, which some strip first) as a formula: an answer typed as ``=HYPERLINK(...)``
would run on the commission's computer. CSV and XLSX exports therefore prefix such *text*
cells with ``'``; numbers, negative ones included, stay numbers. Parquet is read by programs,
not spreadsheets, and keeps values as they are.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.codebook import Codebook, describe_codebook
from analysis.disclosure import fewer_than_k
from analysis.formats import below_k
from analysis.i18n import N_, gettext_for
from analysis.summaries import COUNT_HEADER, Summary, summary_table

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


def responses_to_csv(
    frame: pd.DataFrame, *, separator: str = ",", timezone: str = "Europe/Paris"
) -> bytes:
    """UTF-8 with a byte-order mark (so Excel detects the encoding), missing values empty.

    With ``separator=","``: decimals with a point, booleans ``True``/``False``, datetimes in ISO
    8601. With ``separator=";"``, as French Excel reads it: decimals with a comma, booleans
    ``VRAI``/``FAUX``, datetimes as local wall-clock time ``dd/mm/yyyy hh:mm:ss`` in
    ``timezone``, dates ``dd/mm/yyyy``."""
    if separator not in (",", ";"):
        raise ValueError("separator must be ',' or ';'")
    if separator == ";":
        frame = _for_french_excel(frame, timezone)
        text = neutralise_frame(frame).to_csv(index=False, sep=";", decimal=",")
    else:
        text = neutralise_frame(frame).to_csv(
            index=False, sep=separator, date_format="%Y-%m-%dT%H:%M:%S"
        )
    return (BOM + text).encode("utf-8")


def _for_french_excel(frame: pd.DataFrame, timezone: str) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            frame[column] = series.map({True: "VRAI", False: "FAUX"}).astype("string")
        elif isinstance(series.dtype, pd.DatetimeTZDtype):
            local = series.dt.tz_convert(timezone)
            frame[column] = local.dt.strftime("%d/%m/%Y %H:%M:%S").astype("string")
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            midnight = (series.dropna() == series.dropna().dt.normalize()).all()
            fmt = "%d/%m/%Y" if midnight else "%d/%m/%Y %H:%M:%S"
            frame[column] = series.dt.strftime(fmt).astype("string")
    return frame


def with_labels(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The frame with category labels in place of codes (order kept), for people to read."""
    frame = frame.copy()
    for variable in codebook:
        if variable.kind in ("single", "ordinal") and variable.name in frame.columns:
            labels = dict(variable.category_labels)
            series = frame[variable.name]
            if isinstance(series.dtype, pd.CategoricalDtype):
                new = [labels.get(str(c), str(c)) for c in series.cat.categories]
                if len(set(new)) == len(new):
                    frame[variable.name] = series.cat.rename_categories(new)
    return frame


def for_programs(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Types a statistics program expects: ordinal categories ordered, whole numbers as
    nullable integers (not floats)."""
    frame = frame.copy()
    for variable in codebook:
        column = variable.name
        if column not in frame.columns:
            continue
        series = frame[column]
        if variable.kind == "ordinal" and isinstance(series.dtype, pd.CategoricalDtype):
            frame[column] = series.cat.as_ordered()
        elif variable.kind == "numeric" and pd.api.types.is_float_dtype(series.dtype):
            values = series.dropna()
            if ((values % 1) == 0).all() and (values.abs() < 2**53).all():
                frame[column] = series.astype("Int64")
    return frame


# --- SPSS and Stata -------------------------------------------------------------------

_STATA_NAME = 32
_SPSS_NAME = 64
YES_NO = {0: "Non", 1: "Oui"}


def program_names(columns: Sequence[str], limit: int) -> dict[str, str]:
    """Column -> a name SPSS and Stata accept (letters, digits, _; a letter first; unique)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        name = re.sub(r"[^A-Za-z0-9_]", "_", str(column)) or "v"
        if not re.match(r"[A-Za-z]", name):
            name = f"v{name}"
        name = name[:limit]
        base, n = name, 1
        while name.lower() in taken:
            n += 1
            name = f"{base[: limit - len(str(n)) - 1]}_{n}"
        taken.add(name.lower())
        out[column] = name
    return out


def _labelled(frame: pd.DataFrame, codebook: Codebook, limit: int):
    """(frame of numbers and text, column labels, value labels, measures) for pyreadstat."""
    data: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    values: dict[str, dict[int, str]] = {}
    measures: dict[str, str] = {}
    by_column = {}
    for variable in codebook:
        for column in variable.columns:
            by_column[column] = variable
    names = program_names(list(frame.columns), limit)
    for column in frame.columns:
        name, series = names[column], frame[column]
        variable = by_column.get(column)
        label = variable.label if variable else str(column)
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.astype("float64").where(series.notna()) + 1
            data[name] = codes
            cats = [str(c) for c in series.cat.categories]
            names_of = dict(variable.category_labels) if variable else {}
            values[name] = {i: names_of.get(c, c) for i, c in enumerate(cats, start=1)}
            measures[name] = "ordinal" if variable and variable.kind == "ordinal" else "nominal"
        elif pd.api.types.is_bool_dtype(series.dtype):
            data[name] = series.astype("float64")
            values[name] = dict(YES_NO)
            measures[name] = "nominal"
            if variable is not None and variable.kind == "multi":
                value = str(column).split("/", 1)[-1]
                label = f"{variable.label}: {dict(variable.category_labels).get(value, value)}"
        elif isinstance(series.dtype, pd.DatetimeTZDtype):
            data[name] = series.dt.tz_localize(None)
            measures[name] = "scale"
        elif pd.api.types.is_numeric_dtype(series.dtype):
            data[name] = series.astype("float64")
            measures[name] = "scale"
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            data[name] = series
            measures[name] = "scale"
        else:
            data[name] = series.astype("string").fillna("").astype(object)
            measures[name] = "nominal"
        labels[name] = label[:80] if limit == _STATA_NAME else label
    return pd.DataFrame(data), labels, values, measures


def _written(write, suffix: str) -> bytes:
    handle, path = tempfile.mkstemp(suffix=suffix)  # pyreadstat writes to a path only
    os.close(handle)
    try:
        write(path)
        with open(path, "rb") as file:
            return file.read()
    finally:
        os.unlink(path)


def responses_to_sav(frame: pd.DataFrame, codebook: Codebook, title: str = "") -> bytes:
    """SPSS ``.sav``: every variable with its label, categories as coded values with labels."""
    import pyreadstat

    data, labels, values, measures = _labelled(frame, codebook, _SPSS_NAME)
    return _written(
        lambda path: pyreadstat.write_sav(
            data, path, file_label=title[:64], column_labels=labels,
            variable_value_labels=values, variable_measure=measures,
        ),
        ".sav",
    )  # fmt: skip


def responses_to_dta(frame: pd.DataFrame, codebook: Codebook, title: str = "") -> bytes:
    """Stata ``.dta``: variable labels (80 characters) and value labels on coded values."""
    import pyreadstat

    data, labels, values, _ = _labelled(frame, codebook, _STATA_NAME)
    return _written(
        lambda path: pyreadstat.write_dta(
            data, path, file_label=title[:80], column_labels=labels,
            variable_value_labels=values,
        ),
        ".dta",
    )  # fmt: skip


def responses_to_xlsx(
    frame: pd.DataFrame,
    codebook: Codebook,
    summaries: Sequence[Summary] = (),
    lang: str = "fr",
) -> bytes:
    """A workbook with the sheets responses (one column per frame column, headed by its
    name), codebook (names, labels, categories) and, when given, summaries."""
    _ = gettext_for(lang)
    workbook = _workbook()
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
    workbook = _workbook()
    _write_summaries(workbook.active, _(SHEET_SUMMARIES), summaries, lang)
    return _workbook_bytes(workbook)


def responses_to_parquet(frame: pd.DataFrame, codebook: Codebook | None = None) -> bytes:
    """Parquet keeps every dtype of the frame (categories in order, nullable booleans,
    datetimes); with the codebook, ordinal categories are ordered and whole numbers integers."""
    if codebook is not None:
        frame = for_programs(frame, codebook)
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
        sheet.column_dimensions[_column_letter(i)].width = width


def _write_summaries(sheet, title: str, summaries: Sequence[Summary], lang: str) -> None:
    _ = gettext_for(lang)
    sheet.title = title[:31]
    for summary in summaries:
        sheet.append([neutralise(summary.variable.label), summary.variable.name])
        if summary.withheld:
            sheet.append([fewer_than_k(summary.k, lang)])
            sheet.append([])
            continue
        table = neutralise_frame(summary_table(summary, lang))
        sheet.append([str(c) for c in table.columns])
        # hidden counts read "< k" (and their shares stay empty), as on every public page
        counts = summary.variable.is_categorical or summary.variable.kind == "date"
        hidden = summary.hidden.to_numpy(dtype=bool) if counts and summary.k else np.zeros(0)
        count_column = _(COUNT_HEADER)
        for i, row in enumerate(table.astype(object).itertuples(index=False, name=None)):
            cells = [_cell(v) for v in row]
            if i < len(hidden) and hidden[i] and count_column in table.columns:
                cells[list(table.columns).index(count_column)] = below_k(summary.k, lang)
            sheet.append(cells)
        sheet.append([])
    sheet.column_dimensions["A"].width = 40


def _workbook():
    """A new workbook (openpyxl imported on use: a page or command that writes no
    spreadsheet does not pay for it)."""
    from openpyxl import Workbook

    return Workbook()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
