"""Reading a responses frame through its codebook: who was asked, who answered, checks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.codebook import META_COLUMNS, Codebook, Variable
from analysis.problems import Problem


def asked_mask(frame: pd.DataFrame, variable: Variable) -> np.ndarray:
    """True where the question was shown to the respondent (not skipped by relevance)."""
    if variable.asked_column is None or variable.asked_column not in frame.columns:
        return np.ones(len(frame), dtype=bool)
    return frame[variable.asked_column].fillna(False).to_numpy(dtype=bool)


def indicators(frame: pd.DataFrame, variable: Variable) -> np.ndarray:
    """A multi variable's picks as a (rows × choices) bool array; NA counts as not picked."""
    columns = list(variable.columns)
    if not columns:
        return np.zeros((len(frame), 0), dtype=bool)
    return frame[columns].fillna(False).to_numpy(dtype=bool)


def answered_mask(frame: pd.DataFrame, variable: Variable) -> np.ndarray:
    """True where the row holds an answer (multi: any indicator not NA; text: not blank)."""
    if variable.kind == "multi":
        columns = list(variable.columns)
        if not columns:
            return np.zeros(len(frame), dtype=bool)
        return frame[columns].notna().any(axis=1).to_numpy(dtype=bool)
    column = frame[variable.name]
    if variable.kind == "text":
        # A blank answer says nothing: it counts as no answer.
        return (
            (column.astype("string").str.strip().str.len() > 0).fillna(False).to_numpy(dtype=bool)
        )
    return column.notna().to_numpy(dtype=bool)


def category_codes(frame: pd.DataFrame, variable: Variable) -> np.ndarray:
    """Positions 0..k-1 of a single/ordinal answer in codebook order, -1 where missing.

    Values outside the codebook categories count as missing, so an unexpected value never
    shifts the others.
    """
    column = frame[variable.name]
    if isinstance(column.dtype, pd.CategoricalDtype) and tuple(
        str(c) for c in column.cat.categories
    ) == tuple(variable.categories):
        return column.cat.codes.to_numpy(dtype=np.int64)
    as_text = column.astype("string")
    recoded = pd.Categorical(as_text, categories=list(variable.categories))
    return np.asarray(recoded.codes, dtype=np.int64)


def check_frame(frame: pd.DataFrame, codebook: Codebook) -> list[Problem]:
    """Where a frame breaks the contract documented in ``analysis.codebook`` (empty if none)."""
    problems: list[Problem] = []
    for column in META_COLUMNS:
        if column not in frame.columns:
            problems.append(Problem("FRAME_MISSING_COLUMN", column, {"column": column}))
    if "submitted_at" in frame.columns and not pd.api.types.is_datetime64_any_dtype(
        frame["submitted_at"]
    ):
        problems.append(Problem("FRAME_NOT_DATETIME", "submitted_at"))
    for variable in codebook:
        for column in variable.columns:
            if column not in frame.columns:
                problems.append(Problem("FRAME_MISSING_COLUMN", variable.name, {"column": column}))
                continue
            problems.extend(_check_dtype(frame[column], variable, column))
        if variable.asked_column and variable.asked_column not in frame.columns:
            problems.append(
                Problem("FRAME_MISSING_COLUMN", variable.name, {"column": variable.asked_column})
            )
    return problems


def _check_dtype(series: pd.Series, variable: Variable, column: str) -> list[Problem]:
    dtype = series.dtype
    kind = variable.kind
    if kind in ("single", "ordinal"):
        if not isinstance(dtype, pd.CategoricalDtype):
            return [Problem("FRAME_NOT_CATEGORICAL", column)]
        found = tuple(str(c) for c in dtype.categories)
        if found != variable.categories:
            return [
                Problem(
                    "FRAME_CATEGORIES_DIFFER",
                    column,
                    {"expected": variable.categories, "found": found},
                )
            ]
        return []
    checks = {
        "multi": pd.api.types.is_bool_dtype,
        "numeric": pd.api.types.is_numeric_dtype,
        "text": lambda d: pd.api.types.is_string_dtype(d) or pd.api.types.is_object_dtype(d),
        "date": pd.api.types.is_datetime64_any_dtype,
    }
    if kind == "multi" and series.isna().all():
        return []  # an all-NA column may arrive as object; it holds nothing to misread
    if not checks[kind](dtype):
        return [Problem("FRAME_WRONG_DTYPE", column, {"kind": kind, "dtype": str(dtype)})]
    return []


def frame_from_records(records: list[dict], codebook: Codebook) -> pd.DataFrame:
    """Build a contract frame from plain records, one dict per response.

    A record holds the meta columns and, per variable, a value (single/ordinal/numeric/text/
    date), a list of picked values (multi) or None; ``record[variable.asked_column]`` may be
    False for a question skipped by relevance (absent means asked). Meant for tests, imports
    and small data; ``surveys`` may build the same frame any faster way.
    """
    data: dict[str, object] = {}
    for column in META_COLUMNS:
        data[column] = [r.get(column) for r in records]
    data["submitted_at"] = pd.to_datetime(data["submitted_at"], format="ISO8601")
    data["campaign"] = pd.array(data["campaign"], dtype="string")
    data["channel"] = pd.array(data["channel"], dtype="string")
    for variable in codebook:
        values = [r.get(variable.name) for r in records]
        if variable.kind in ("single", "ordinal"):
            data[variable.name] = pd.Categorical(values, categories=list(variable.categories))
        elif variable.kind == "multi":
            for choice, column in zip(variable.categories, variable.columns, strict=True):
                data[column] = pd.array(
                    [None if v is None else choice in v for v in values], dtype="boolean"
                )
        elif variable.kind == "numeric":
            data[variable.name] = pd.to_numeric(pd.Series(values, dtype=object)).astype(float)
        elif variable.kind == "text":
            data[variable.name] = pd.array(values, dtype="string")
        else:
            data[variable.name] = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
        if variable.asked_column and variable.asked_column not in data:
            data[variable.asked_column] = [
                bool(r.get(variable.asked_column, True)) for r in records
            ]
    return pd.DataFrame(data)
